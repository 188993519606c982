"""Delivering e-mail: over SMTP when TELEMENTOR_SMTP_URL is set, else into a folder as .eml files.

Every address is an ``email.headerregistry.Address`` (never a formatted string), so a display
name with a comma, quotes or angle brackets is quoted and can never add a recipient. Names and
subjects are stored as typed; only their header form folds line breaks and controls into spaces,
and the message policy refuses any header that still carries CR or LF.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from app.config import Settings
from app.db import utcnow

# policy.default refuses CR/LF in header values set from strings; deliver() checks again below.
MAIL_POLICY = policy.default
_ADDRESS_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Sender")
_CONTROLS_AND_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class MailError(Exception):
    """Delivery failed. A temporary failure is retried; a permanent one (5xx) is not."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


def header_text(text: str) -> str:
    """One header line of text: line breaks, tabs and other controls become single spaces."""
    return _CONTROLS_AND_SPACE.sub(" ", text).strip()


def address(name: str, email: str) -> Address:
    """An address object for a person; ValueError when the e-mail is not one address."""
    return Address(display_name=header_text(name), addr_spec=email.strip())


def new_message() -> EmailMessage:
    return EmailMessage(policy=MAIL_POLICY)


def deliver(settings: Settings, message: EmailMessage) -> None:
    if "From" not in message:
        message["From"] = settings.mail_from
    if "Date" not in message:
        message["Date"] = format_datetime(utcnow())
    if "Message-ID" not in message:
        message["Message-ID"] = make_msgid(domain=settings.host or "localhost")
    _refuse_injected_headers(message)
    if settings.smtp_url:
        _send_smtp(settings.smtp_url, message)
    else:
        _write_to_folder(settings.mail_dir, message)


def _refuse_injected_headers(message: EmailMessage) -> None:
    """A header with a line break, or an address header that did not parse cleanly, is never sent."""
    for name, value in message.items():
        if "\r" in str(value) or "\n" in str(value):
            raise ValueError(f"the {name} header contains a line break")
        if name in _ADDRESS_HEADERS and getattr(value, "defects", ()):
            raise ValueError(f"the {name} header is not a valid address list: {value.defects[0]}")


def _recipients(message: EmailMessage) -> list[str]:
    return [a.addr_spec for field in ("To", "Cc", "Bcc") for a in getattr(message.get(field), "addresses", ())]


def _permanent(exc: smtplib.SMTPException) -> bool:
    """5xx replies mean "never" (RFC 5321 §4.2.1); 4xx and lost connections mean "later"."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _reason(exc: smtplib.SMTPException) -> str:
    """The server's own words: "550 5.1.1 No such mailbox (refused name@example.org)"."""
    def reply(code: int, text: bytes | str) -> str:
        return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{reply(*answer)} (refused {rcpt})" for rcpt, answer in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {reply(exc.smtp_code, exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


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
            client.send_message(message, to_addrs=_recipients(message))
    except smtplib.SMTPException as exc:
        raise MailError(_reason(exc)[:400], permanent=_permanent(exc)) from exc
    except OSError as exc:
        raise MailError(f"{type(exc).__name__}: {exc}"[:400]) from exc


def _write_to_folder(folder: Path, message: EmailMessage) -> None:
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}.eml"
    temporary = path.with_suffix(".tmp")
    content = bytes(message)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(content)
        temporary.replace(path)  # a reader never sees half a message
    except OSError as exc:  # a full disk or a missing mount: try again later
        raise MailError(f"cannot write {path}: {exc.strerror or exc}") from exc
