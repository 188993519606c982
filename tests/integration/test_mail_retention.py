"""Sent e-mail is deleted after its retention; invites of sessions still to come are kept, and
e-mailing invites costs the same number of statements for 5 members as for 60."""

from datetime import timedelta

from sqlmodel import select

from app.db import utcnow
from app.models import EchoSession, OutboxMessage
from app.services import invites, outbox
from tests.factories import add_member, make_program, make_series, make_user
from tests.querycount import count_queries


def _sent(db, kind, days_ago, **payload):
    message = outbox.enqueue(db, kind, **payload)
    message.status, message.sent_at = "sent", utcnow() - timedelta(days=days_ago)
    return message


def test_prune_deletes_old_sent_mail_and_keeps_the_rest(db, settings):
    program = make_program(db)
    coordinator = make_user(db, email="coord@example.org")
    add_member(db, program, coordinator, "coordinator")
    make_series(db, program, coordinator, count=1)
    upcoming = db.exec(select(EchoSession)).one()
    past = EchoSession(program_id=program.id, starts_at=utcnow() - timedelta(days=200),
                       ends_at=utcnow() - timedelta(days=200) + timedelta(hours=1))
    db.add(past)
    db.flush()
    old_reset = _sent(db, "password_reset", 120, user_id=coordinator.id)
    recent_reset = _sent(db, "password_reset", 10, user_id=coordinator.id)
    old_invite_upcoming = _sent(db, invites.INVITE, 120, session_id=upcoming.id, user_id=coordinator.id)
    old_invite_past = _sent(db, invites.INVITE, 120, session_id=past.id, user_id=coordinator.id)
    dead = outbox.enqueue(db, "password_reset", user_id=coordinator.id)
    dead.status, dead.sent_at = "dead", None
    pending = outbox.enqueue(db, "password_reset", user_id=coordinator.id)
    kept = {recent_reset.id, old_invite_upcoming.id, dead.id, pending.id}
    gone = {old_reset.id, old_invite_past.id}
    db.commit()

    assert outbox.prune_sent(db, settings, batch=1) == 2   # batches of one: the loop goes round
    remaining = set(db.exec(select(OutboxMessage.id)).all())
    assert kept <= remaining and not (gone & remaining)
    assert outbox.prune_sent(db, settings) == 0

    settings.mail_retention_days = 5
    assert outbox.prune_sent(db, settings) == 1   # the 10-day-old reset; the upcoming invite stays
    assert old_invite_upcoming.id in set(db.exec(select(OutboxMessage.id)).all())


def _invite_statements(db, engine, members: int) -> int:
    program = make_program(db, name=f"Program {members}")
    coordinator = make_user(db, email=f"coord{members}@example.org")
    add_member(db, program, coordinator, "coordinator")
    for i in range(members):
        add_member(db, program, make_user(db, email=f"m{members}-{i}@example.org"), "clinician")
    make_series(db, program, coordinator, count=1)
    session = db.exec(select(EchoSession).where(EchoSession.program_id == program.id)).one()
    db.commit()
    with count_queries(engine) as counted:
        queued = invites.send_invites(db, session, actor=coordinator)
        db.commit()
    assert queued == members + 1
    return counted.total


def test_sending_invites_costs_the_same_statements_for_5_and_60_members(db, engine):
    assert _invite_statements(db, engine, 5) == _invite_statements(db, engine, 60)
