"""The "Test connection" button: sign in with the stored credentials and try what Telementor will
need, reporting what works and, from the platform's own error, what is missing."""

from __future__ import annotations

import httpx
from sqlmodel import Session

from app.config import Settings
from app.integrations.crypto import SecretUnreadable
from app.integrations.http import ApiError
from app.integrations.jobs import make_client
from app.integrations.meetings import Check
from app.models import IntegrationConnection
from app.services import integrations


def run_checks(db: Session, settings: Settings, connection: IntegrationConnection, *,
                    http: httpx.Client | None = None) -> list[Check]:
    """Runs the checks outside any transaction, then records the result on the connection (flushed)."""
    hosts = integrations.host_users_of(db, connection)[:5]
    connection_id = connection.id
    try:
        with (http or httpx.Client()) as client_http:
            client = make_client(settings, connection, client_http)
            db.rollback()  # nothing is held while the platform is called
            try:
                checks = client.check(hosts)
            except ApiError as exc:
                checks = [Check("sign in with the app's credentials", False, exc.describe())]
    except SecretUnreadable:
        checks = [Check("read the stored client secret", False,
                        "it does not decrypt with this service's secret key: enter the client secret again")]
    connection = db.get(IntegrationConnection, connection_id)
    integrations.record_check(db, connection, [line(check) for check in checks])
    return checks


def line(check: Check) -> str:
    return f"{'OK' if check.ok else 'MISSING'}: {check.what}" + (f": {check.detail}" if check.detail else "")
