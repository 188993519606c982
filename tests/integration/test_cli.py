"""The console script, run as a newcomer runs it: in a subprocess with environment settings."""

import json
import os
import subprocess
import sys

from sqlalchemy import func
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Membership, Program, SpokeSite, User


def run(args, env_extra, cwd):
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def counts(url):
    engine = make_engine(url)
    with Session(engine) as db:
        result = tuple(db.exec(select(func.count()).select_from(model)).one()
                       for model in (User, Program, SpokeSite, Membership))
    engine.dispose()
    return result


def test_demo_twice_neither_fails_nor_duplicates(empty_database_url, tmp_path):
    env = {"TELEMENTOR_DATABASE_URL": empty_database_url}
    first = run(["demo", "--password", "demo-pass-123"], env, tmp_path)
    assert first.returncode == 0, first.stderr
    after_first = counts(empty_database_url)
    second = run(["demo", "--password", "demo-pass-123"], env, tmp_path)
    assert second.returncode == 0, second.stderr
    assert counts(empty_database_url) == after_first
    assert after_first[0] >= 17 and after_first[1] == 3
    assert "admin@example.org, coordinator@example.org, specialist@example.org" in first.stdout


def test_db_upgrade_then_serve_refuses_nothing_and_worker_once(tmp_path):
    env = {"TELEMENTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "TELEMENTOR_MAIL_DIR": str(tmp_path / "mail")}
    assert run(["db", "upgrade"], env, tmp_path).returncode == 0
    worker = run(["worker", "--once"], env, tmp_path)
    assert worker.returncode == 0, worker.stderr


def test_serve_refuses_database_without_migrations(tmp_path):
    result = run(["serve", "--port", "1"], {"TELEMENTOR_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}, tmp_path)
    assert result.returncode == 2
    assert "run `telementor db upgrade` first" in result.stderr


def test_phi_check_prints_findings_as_text_and_json(tmp_path):
    note = tmp_path / "case.txt"
    note.write_text("HPI: seen 3/14/25.\nCall (505) 555-0142 with results.\n", encoding="utf-8")
    text = run(["phi-check", str(note)], {}, tmp_path)
    assert (text.returncode, text.stdout.splitlines()) == (1, ['1:11-17 DATE certain "3/14/25"',
                                                             '2:6-19 PHONE certain "(505) 555-0142"'])
    as_json = run(["phi-check", "--json", str(note)], {}, tmp_path)
    assert [(f["label"], f["start"], f["end"], f["text"]) for f in json.loads(as_json.stdout)] == [
        ("DATE", 10, 17, "3/14/25"), ("PHONE", 24, 38, "(505) 555-0142")]


def test_phi_check_clean_file_and_missing_file(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("BP 148/92, pain 6/10, buprenorphine 8/2 mg daily.", encoding="utf-8")
    result = run(["phi-check", str(clean)], {}, tmp_path)
    assert (result.returncode, result.stdout) == (0, "No possible identifiers found.\n")
    missing = run(["phi-check", str(tmp_path / "nope.txt")], {}, tmp_path)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
