"""E-mails, rendered by the worker from current data when an outbox message is sent.

Each outbox kind has one renderer: (db, settings, payload) -> EmailMessage, or None when there is
nothing to send any more (the object is gone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import mail, security
from app.config import Settings
from app.models import User
from app.templating import email_env

Renderer = Callable[[Session, Settings, dict[str, Any]], EmailMessage | None]
RENDERERS: dict[str, Renderer] = {}
PASSWORD_RESET_PURPOSE = "password-reset"


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(function: Renderer) -> Renderer:
        RENDERERS[kind] = function
        return function
    return register


def compose(*, to: User, subject: str, template: str, **context: Any) -> EmailMessage:
    """One message to one person. Names and subjects go into headers only through app.mail, so a
    comma, quote or line break in a name can neither break the message nor add a recipient."""
    message = mail.new_message()
    message["To"] = mail.address(to.full_name, to.email)
    message["Subject"] = mail.header_text(subject)
    message.set_content(email_env.get_template(template).render(user=to, **context))
    return message


def password_link(settings: Settings, user: User) -> str:
    token = security.make_token(settings.secret_key, PASSWORD_RESET_PURPOSE, {"uid": user.id, "epoch": user.auth_epoch})
    return f"{settings.base_url}/password/set/{token}"


@renderer("password_reset")
def password_reset(db: Session, settings: Settings, payload: dict[str, Any]) -> EmailMessage | None:
    user = db.get(User, payload["user_id"])
    if user is None or not user.is_active:
        return None
    return compose(to=user, subject="Reset your Telementor password", template="password_reset.txt",
                   link=password_link(settings, user))


@renderer("account_invitation")
def account_invitation(db: Session, settings: Settings, payload: dict[str, Any]) -> EmailMessage | None:
    user = db.get(User, payload["user_id"])
    inviter = db.get(User, payload.get("invited_by") or 0)
    if user is None or not user.is_active:
        return None
    return compose(to=user, subject="You are invited to Telementor", template="account_invitation.txt",
                   link=password_link(settings, user), inviter=inviter, base_url=settings.base_url)


@renderer("email_verification")
def email_verification(db: Session, settings: Settings, payload: dict[str, Any]) -> EmailMessage | None:
    """The signed, expiring link that confirms a self-registered person's address."""
    from app.models import Program
    from app.services.signup import verification_link

    user = db.get(User, payload["user_id"])
    if user is None or not user.is_active or user.email_verified_at is not None:
        return None
    return compose(to=user, subject="Confirm your e-mail address for Telementor", template="email_verification.txt",
                   link=verification_link(settings, user), program=db.get(Program, payload.get("program_id") or 0))


@renderer("recommendations_final")
def recommendations_final(db: Session, settings: Settings, payload: dict[str, Any]) -> EmailMessage | None:
    """Tells the presenter where to read the hub's answer; the text itself stays behind sign-in."""
    from app.models import CasePresentation, Program

    case = db.get(CasePresentation, payload["case_id"])
    presenter = db.get(User, case.presenter_id) if case else None
    if case is None or presenter is None or not presenter.is_active:
        return None
    program = db.get(Program, case.program_id)
    subject = (f"Addendum to the recommendations for case {case.number}" if payload.get("addendum")
               else f"Recommendations for case {case.number} are ready")
    return compose(to=presenter, subject=subject, template="recommendations_final.txt", case=case, program=program,
                   link=f"{settings.base_url}/cases/{case.id}", addendum=bool(payload.get("addendum")))


@renderer("session_invite")
def session_invite(db: Session, settings: Settings, payload: dict[str, Any]) -> EmailMessage | None:
    """An iMIP invite: REQUEST for a scheduled session, CANCEL for a cancelled one or for someone who
    has left the program; always the session's current state and SEQUENCE (a late retry never
    resurrects an old time). The organizer address is never sent an invite to itself."""
    from app.exports.ical import Attendee, build_calendar
    from app.models import EchoSession, Membership, Program
    from app.services.calendars import organizer_email, to_event

    session = db.get(EchoSession, payload["session_id"])
    member = db.get(User, payload["user_id"])
    if session is None or member is None or not member.is_active:
        return None
    if member.email.strip().lower() == organizer_email(settings):
        return None
    program = db.get(Program, session.program_id)
    still_member = db.exec(select(Membership.id).where(
        Membership.program_id == program.id, Membership.user_id == member.id)).first() is not None
    method = "REQUEST" if still_member and session.status != "cancelled" else "CANCEL"
    event = to_event(settings, session, program, with_link=still_member)
    ics = build_calendar([replace(event, attendees=(Attendee(member.email, member.full_name),))], method=method)
    when = session.starts_at.astimezone(ZoneInfo(program.timezone))
    subject = f"{'Cancelled: ' if method == 'CANCEL' else ''}{program.name} — {when:%a %-d %b %Y, %-I:%M %p %Z}"
    message = compose(to=member, subject=subject, template="session_invite.txt", program=program, session=session,
                      method=method, link=f"{settings.base_url}/sessions/{session.id}",
                      video=session.video_url or program.video_url, left_program=not still_member)
    message.add_alternative(ics.decode("utf-8"), subtype="calendar", params={"method": method})
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return message
