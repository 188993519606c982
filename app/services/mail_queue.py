"""The mail queue page's list: outbox messages found by recipient or subject, of one status or
any, newest or oldest first or by recipient; keyset pages of one query, and the count of each
status in one more (read from the (status, next_attempt_at) index)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from app.errors import InvalidInput
from app.models import OutboxMessage
from app.pagination import DEFAULT_PAGE_SIZE, Page, SortOrder, Sorts, contains, paginate

COLUMNS = (OutboxMessage.id, OutboxMessage.kind, OutboxMessage.status, OutboxMessage.attempts,
           OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.last_error, OutboxMessage.created_at,
           OutboxMessage.sent_at)
STATUS_LABELS = {"pending": "Waiting", "sending": "Sending", "sent": "Sent", "dead": "Given up"}
SORTS = Sorts({
    "newest": SortOrder(OutboxMessage.id, OutboxMessage.id, int, descending=True),
    "oldest": SortOrder(OutboxMessage.id, OutboxMessage.id, int),
    # No index: the table stays small (sent mail is deleted after the retention period).
    "recipient": SortOrder(OutboxMessage.recipient, OutboxMessage.id, str),
}, default="newest")
SORT_LABELS = {"newest": "Newest first", "oldest": "Oldest first", "recipient": "Recipient (A–Z)"}


def status_choice(raw: str | None) -> str | None:
    """The status filter: empty means any; anything not in the list is a field error."""
    status = (raw or "").strip()
    if not status:
        return None
    if status not in STATUS_LABELS:
        raise InvalidInput("Choose a status from the list.", fields={"status": "Choose a status from the list."})
    return status


def page(db: Session, *, search: str = "", status: str | None = None, sort: str | None = None,
         cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE) -> tuple[str, Page]:
    """One page of messages. Recipient and subject are as the worker last built them (empty until
    then): the page never renders a message. Only the columns the page shows (not the payload)."""
    statement = select(*COLUMNS)
    if status:
        statement = statement.where(OutboxMessage.status == status)
    if search:
        statement = statement.where(contains(OutboxMessage.recipient, search) | contains(OutboxMessage.subject, search))
    scope = f"outbox|{status or ''}|{search}"
    return paginate(db, statement, SORTS, scope=scope, sort=sort, cursor=cursor, limit=limit)


def status_counts(db: Session) -> dict[str, int]:
    rows = db.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    counted = dict(rows)
    return {status: counted.get(status, 0) for status in STATUS_LABELS}
