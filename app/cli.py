"""The `telementor` command: serve, db upgrade, demo, worker, phi-check."""

from __future__ import annotations

import argparse
import logging
import secrets
import sys
from pathlib import Path

from pydantic import ValidationError

from app.config import Settings, get_settings


def _settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            print(f"telementor: configuration error: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.migrate import pending_migrations

    settings = _settings()  # refuse to start on unsafe production settings before binding the port
    if pending_migrations(settings.database_url):
        print("telementor: the database is not up to date; run `telementor db upgrade` first", file=sys.stderr)
        return 2
    # No uvicorn access log: it prints the query string and path tokens (a calendar feed's); the
    # app logs one line per request without them (app.request_log).
    uvicorn.run("app.main:create_app", factory=True, host=args.host, port=args.port, reload=args.reload,
                proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips, access_log=False)
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from app.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url, args.revision)
    print(f"database is at revision {args.revision}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.db import make_engine
    from app.migrate import upgrade
    from app import demo

    settings = _settings()
    upgrade(settings.database_url)
    password = args.password or secrets.token_urlsafe(9)
    engine = make_engine(settings.database_url)
    with Session(engine) as db:
        summary = demo.build(db, settings, password=password)
        db.commit()
    engine.dispose()
    print(summary)
    print(f"Demo users (password: {password}): " + ", ".join(demo.DEMO_EMAILS))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from app import worker
    from app.db import make_engine
    from app.exports.pdf import warm_up
    from app.request_log import configure_logging

    settings = _settings()
    configure_logging(settings.log_level)
    log = logging.getLogger("telementor.worker")
    engine = make_engine(settings.database_url)
    warm_up()  # certificate PDFs are rendered in this process: fonts and stylesheets once, now
    log.info("worker started; mail goes to %s", "SMTP" if settings.smtp_url else settings.mail_dir)
    try:
        return worker.run(engine, settings, once=args.once, interval=args.interval)
    except KeyboardInterrupt:
        return 0
    finally:
        engine.dispose()


def cmd_phi_check(args: argparse.Namespace) -> int:
    from app.redaction import find_phi
    from app.redaction.cli import format_findings

    path = Path(args.file)
    try:
        text = sys.stdin.read() if args.file == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"telementor: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    findings = find_phi(text)
    if findings or args.json:
        print(format_findings(text, findings, as_json=args.json))
    else:
        print("No possible identifiers found.")
    return 1 if findings else 0  # like grep: 1 means "found something", for scripts and hooks


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="telementor", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                       help="proxies whose X-Forwarded-* headers are trusted")
    serve.set_defaults(handler=cmd_serve)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply the migrations")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)

    demo = commands.add_parser("demo", help="create (or refresh) a realistic demo hub")
    demo.add_argument("--password", help="password of every demo user (default: a random one, printed)")
    demo.set_defaults(handler=cmd_demo)

    worker = commands.add_parser("worker", help="send queued e-mail (drains the outbox)")
    worker.add_argument("--once", action="store_true", help="send what is due, then exit")
    worker.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    worker.set_defaults(handler=cmd_worker)

    phi = commands.add_parser("phi-check", help="print the PHI findings of a text file (- for stdin)")
    phi.add_argument("file")
    phi.add_argument("--json", action="store_true", help="print the findings as JSON")
    phi.set_defaults(handler=cmd_phi_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
