"""Delivering e-mail: over SMTP when TELEMENTOR_SMTP_URL is set, else into a folder as .eml files."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from app.config import Settings
from app.db import utcnow


class MailError(Exception):
    """Delivery failed; the message stays queued and is retried."""


def deliver(settings: Settings, message: EmailMessage) -> None:
    if "From" not in message:
        message["From"] = settings.mail_from
    if "Message-ID" not in message:
        message["Message-ID"] = make_msgid(domain=settings.host or "localhost")
    if settings.smtp_url:
        _send_smtp(settings.smtp_url, message)
    else:
        _write_to_folder(settings.mail_dir, message)


def _send_smtp(smtp_url: str, message: EmailMessage) -> None:
    """smtp://[user:pass@]host[:port][?starttls=true] or smtps://... (implicit TLS)."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise MailError("TELEMENTOR_SMTP_URL must look like smtp://host:port or smtps://user:pass@host:465")
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["false"])[0].lower() in {"1", "true", "yes"}
    try:
        if parts.scheme == "smtps":
            client = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=30,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=30)
        with client:
            if starttls:
                client.starttls(context=ssl.create_default_context())
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}"[:400]) from exc


def _write_to_folder(folder: Path, message: EmailMessage) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.eml"
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(bytes(message))
    temporary.replace(path)  # a reader never sees half a message
