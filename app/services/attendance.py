"""Attendance of a session: report imports, reconciliation, adjustments and check-ins.

Every change ends in `rebuild`: the attendance records of the session are recomputed from
the active imports and the check-ins (coordinators' adjustments override and survive), then
credit is recomputed, which revokes certificates that no longer hold.

Imports are all or nothing: the file is parsed whole before anything is written, and the
router commits once. Every report of a session counts (a restarted meeting gives one per
part): each person's intervals from all of them are combined, overlaps counted once. The
same file again changes nothing; a coordinator removes a wrong report explicitly.

Check-in: the code is accepted from 10 minutes before the start until the session ends. It
proves presence at that moment only: it adds no attended time (a learner who checks in and
leaves earns nothing by it). The reports decide the time; without one, a coordinator's
adjustment does. The record keeps the check-in time and "checkin" among its sources.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, func
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from app.attendance import (
    MemberRef,
    ParsedReport,
    attended_minutes,
    match_rows,
    merge_intervals,
    parse_report,
)
from app.attendance.names import normalise_name
from app.db import utcnow
from app.enums import SessionStatus
from app.errors import InvalidInput, InvalidTransition, NotFound
from app.models import (
    AttendanceImport,
    AttendanceRecord,
    CheckInCode,
    EchoSession,
    EmailAlias,
    Membership,
    NameAlias,
    Program,
    ReportPerson,
    User,
)
from app.services import audit, credit

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_REPORT_ROWS = 5000
MATCHED = {"email", "alias", "name", "member"}
WAITING = {"ambiguous", "unmatched", "conflict", "unverified"}
# How a person was matched, as the reconciliation page and the API say it.
MATCHED_BY = {"email": "e-mail", "alias": "remembered alias", "name": "name", "member": "by hand",
              "guest": "guest (by hand)", "ignored": "ignored (by hand)"}
CHECKIN_EARLY = timedelta(minutes=10)
CHECKIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or off a slide
CHECKIN_LENGTH = 6
# A host opens the meeting a little early or late: up to 10 minutes off passes; more (a time zone
# error, the second part of a restarted meeting) needs the coordinator's confirmation of the
# offset shown; more than 12 hours off is another meeting and is refused.
OFFSET_TOLERANCE = timedelta(minutes=10)
ANOTHER_MEETING = timedelta(hours=12)


@dataclass
class ImportResult:
    batch: AttendanceImport
    unchanged: bool
    matched: int
    waiting: int


def source_family(layout: str) -> str:
    return "zoom" if layout.startswith("zoom") else layout


def session_seconds(session: EchoSession) -> int:
    return int((session.ends_at - session.starts_at).total_seconds())


def member_refs(db: Session, program: Program) -> list[MemberRef]:
    """What matching needs of every member, in three queries (plain columns: no ORM objects)."""
    rows = db.exec(select(User.id, User.email, User.full_name).join(Membership, Membership.user_id == User.id)
                   .where(Membership.program_id == program.id)).all()
    aliases: dict[int, list[str]] = {}
    for user_id, email in db.exec(select(EmailAlias.user_id, EmailAlias.email)
                                  .join(Membership, Membership.user_id == EmailAlias.user_id)
                                  .where(Membership.program_id == program.id)).all():
        aliases.setdefault(user_id, []).append(email)
    devices: dict[int, list[str]] = {}
    for user_id, key in db.exec(select(NameAlias.user_id, NameAlias.name_key)
                                .where(NameAlias.program_id == program.id)).all():
        devices.setdefault(user_id, []).append(key)
    return [MemberRef(user_id=user_id, email=email, alias_emails=tuple(aliases.get(user_id, ())),
                      full_name=full_name, name_aliases=tuple(devices.get(user_id, ())))
            for user_id, email, full_name in rows]


def read_upload(data: bytes, filename: str) -> ParsedReport:
    if not data:
        raise InvalidInput(fields={"file": "Choose a report file to upload."})
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(fields={"file": "The file is larger than 5 MB. Upload the participants report only."})
    report = parse_report(data, filename=filename)
    # A meeting has at most a few hundred people, rejoins included; a 45,000-row file held a
    # worker for 40 s. At the cap an import takes under a second.
    if len(report.rows) > MAX_REPORT_ROWS:
        raise InvalidInput(fields={"file": f"The report has {len(report.rows):,} rows; at most {MAX_REPORT_ROWS:,} "
                                           "are read. Upload the participants report of this one meeting."})
    return report


def _check_window(report: ParsedReport, session: EchoSession, zone: ZoneInfo, *, confirm_offset: int | None,
                  confirm_date: date | None) -> int | None:
    """Refuse the report of another meeting; ask the coordinator to confirm a report whose own
    meeting start is more than 10 minutes off the session's (returns the confirmed offset), and
    the session's date for a report without any time. Never accepts either silently."""
    start = report.meeting.start
    if start is not None and abs(start - session.starts_at) > ANOTHER_MEETING:
        raise InvalidInput(fields={"file": "This report is of a meeting that started at another time than this "
                                           "session. Is it the report of another meeting?"})
    confirmed = None
    if start is not None and abs(start - session.starts_at) > OFFSET_TOLERANCE:
        minutes = round((start - session.starts_at).total_seconds() / 60)
        if confirm_offset != minutes:
            raise InvalidInput(fields={"confirm_offset": _offset_message(start, session, zone, minutes)},
                               extra={"offset_minutes": minutes})
        confirmed = minutes
    if start is None and not report.has_times:
        day = session.starts_at.astimezone(zone).date()
        if confirm_date != day:
            raise InvalidInput(fields={"confirm_date": (
                "This report says neither when the meeting was nor when anyone joined. Confirm that it is the "
                f"report of this session, held on {day:%A %-d %B %Y}; each person's time counts up to the "
                "session's length.")}, extra={"session_date": day.isoformat()})
    if report.has_times and not any(row.interval and row.joined_at < session.ends_at
                                    and row.left_at > session.starts_at for row in report.rows):
        raise InvalidInput(fields={"file": "None of the join and leave times in this file fall within this "
                                           "session. Is it the report of another meeting?"})
    return confirmed


def _offset_message(start: datetime, session: EchoSession, zone: ZoneInfo, minutes: int) -> str:
    side = "after" if minutes > 0 else "before"
    theirs, ours = start.astimezone(zone), session.starts_at.astimezone(zone)
    return (f"The report's meeting started {abs(minutes)} minutes {side} this session ({theirs:%-I:%M %p} instead "
            f"of {ours:%-I:%M %p %Z}). If it is the report of this session (a restarted meeting, a late start), "
            "confirm the offset to import it as it is; if its times are in another time zone, correct the file "
            "or the program's time zone instead.")


def import_report(db: Session, session: EchoSession, program: Program, data: bytes, *, filename: str,
                  actor: User, confirm_offset: int | None = None, confirm_date: date | None = None) -> ImportResult:
    """Import one report. `confirm_offset` (minutes) and `confirm_date` are the coordinator's
    answers to the time check, each given only after being shown what it confirms."""
    if session.status == SessionStatus.cancelled:
        raise InvalidTransition("This session was cancelled; it has no attendance.")
    zone = ZoneInfo(program.timezone)
    report = read_upload(data, filename).to_utc(zone)
    confirmed = _check_window(report, session, zone, confirm_offset=confirm_offset, confirm_date=confirm_date)
    # One import per session at a time (a double-clicked upload): on PostgreSQL the second waits
    # here and then finds the first one's import, so the same file twice still changes nothing.
    db.exec(select(EchoSession.id).where(EchoSession.id == session.id).with_for_update()).one()
    batches = [b for b in imports_of(db, session) if b.active]
    same = next((b for b in batches if b.fingerprint == report.fingerprint), None)
    if same is not None:
        people = _people(db, same)
        return ImportResult(same, True, sum(p.status in MATCHED for p in people),
                            sum(p.status in WAITING for p in people))
    decisions = _earlier_decisions(db, session)
    joins = [row.joined_at for row in report.rows if row.interval]
    leaves = [row.left_at for row in report.rows if row.interval]
    batch = AttendanceImport(session_id=session.id, source=source_family(report.source), layout=report.source,
                             fingerprint=report.fingerprint, filename=filename[:200], imported_by_id=actor.id,
                             row_count=len(report.rows), first_join=min(joins, default=None),
                             last_leave=max(leaves, default=None), meeting_start=report.meeting.start,
                             confirmed_offset_minutes=confirmed)
    db.add(batch)
    db.flush()
    matches = match_rows(report.rows, member_refs(db, program), names_need_email=report.source == "teams")
    people = [_person_row(batch, match, decisions) for match in matches]
    batch.people = len(people)
    db.flush()
    if people:  # one INSERT for the whole report (executemany), not one per person
        db.connection().execute(ReportPerson.__table__.insert(), people)
    audit.record(db, actor=actor, action="attendance.imported", obj=batch, session_id=session.id,
                 layout=report.source, people=len(people), rows=len(report.rows), confirmed_offset_minutes=confirmed,
                 confirmed_date=confirm_date.isoformat() if confirm_date and not report.has_times else None)
    db.flush()
    rebuild(db, session, program, actor=actor, reason="An attendance report was imported.")
    return ImportResult(batch, False, sum(p["status"] in MATCHED for p in people),
                        sum(p["status"] in WAITING for p in people))


def remove_report(db: Session, session: EchoSession, program: Program, batch: AttendanceImport, *,
                  actor: User) -> None:
    """Take one report out of the session's attendance (the coordinator confirmed it)."""
    audit.record(db, actor=actor, action="attendance.report_removed", obj=batch, session_id=session.id,
                 filename=batch.filename, layout=batch.layout, rows=batch.row_count, people=batch.people,
                 fingerprint=batch.fingerprint)
    db.exec(delete(ReportPerson).where(ReportPerson.import_id == batch.id))
    db.delete(batch)
    db.flush()
    rebuild(db, session, program, actor=actor, reason="An attendance report was removed.")


def load_report(db: Session, session: EchoSession, report_id: int) -> AttendanceImport:
    batch = db.get(AttendanceImport, report_id)
    if batch is None or batch.session_id != session.id:
        raise NotFound("No such attendance report for this session.")
    return batch


def reports_of(db: Session, session: EchoSession) -> list[tuple[AttendanceImport, str]]:
    """Each report of the session, newest first, with the name of who imported it."""
    rows = db.exec(select(AttendanceImport, User.full_name)
                   .outerjoin(User, User.id == AttendanceImport.imported_by_id)
                   .where(AttendanceImport.session_id == session.id)
                   .order_by(AttendanceImport.created_at.desc(), AttendanceImport.id.desc())).all()
    return [(batch, name or "") for batch, name in rows]


def _person_key(email: str, display_name: str) -> str:
    return "email:" + email.casefold() if email else "name:" + normalise_name(display_name)


def _earlier_decisions(db: Session, session: EchoSession) -> dict[str, tuple[str, int | None]]:
    """Another report of the session keeps what the coordinator decided for the same people."""
    rows = db.exec(select(ReportPerson.email, ReportPerson.display_name, ReportPerson.status, ReportPerson.user_id)
                   .join(AttendanceImport).where(AttendanceImport.session_id == session.id, AttendanceImport.active,
                                                 ReportPerson.status.in_(["member", "guest", "ignored"]))).all()
    return {_person_key(email, name): (status, user_id) for email, name, status, user_id in rows}


def _person_row(batch: AttendanceImport, match, decisions: dict[str, tuple[str, int | None]]) -> dict:
    """The report_person row of one matched person, as values for one bulk INSERT."""
    person = match.person
    intervals = [[start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat()]
                 for start, end in merge_intervals(person.intervals)]
    reported = int(sum((row.duration_minutes or 0) * 60 for row in person.rows)) if not intervals else 0
    row = {"import_id": batch.id, "display_name": person.display_name[:200], "email": (person.email or "")[:254],
           "status": match.status, "user_id": match.user_id, "candidate_ids": list(match.candidate_ids),
           "intervals": intervals, "reported_seconds": reported}
    earlier = decisions.get(_person_key(row["email"], row["display_name"]))
    if earlier is not None and match.status in WAITING:
        row["status"], row["user_id"] = earlier
    return row


def _people(db: Session, batch: AttendanceImport) -> list[ReportPerson]:
    return list(db.exec(select(ReportPerson).where(ReportPerson.import_id == batch.id)
                        .order_by(ReportPerson.id)).all())


def active_people(db: Session, session: EchoSession) -> list[ReportPerson]:
    return list(db.exec(select(ReportPerson).join(AttendanceImport)
                        .where(AttendanceImport.session_id == session.id, AttendanceImport.active)
                        .order_by(ReportPerson.id)).all())


def imports_of(db: Session, session: EchoSession) -> list[AttendanceImport]:
    return list(db.exec(select(AttendanceImport).where(AttendanceImport.session_id == session.id)
                        .order_by(AttendanceImport.created_at.desc(), AttendanceImport.id.desc())).all())


def records_of(db: Session, session: EchoSession) -> list[AttendanceRecord]:
    return list(db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id)
                        .order_by(AttendanceRecord.id)).all())


# --- recomputation ------------------------------------------------------------------------


@dataclass
class _Presence:
    intervals: list
    reported_seconds: int
    sources: set


def _gather(db: Session, session: EchoSession,
            records: list[AttendanceRecord]) -> tuple[dict[int, _Presence], dict[str, _Presence]]:
    members: dict[int, _Presence] = {}
    guests: dict[str, _Presence] = {}
    people = db.exec(select(AttendanceImport.source, ReportPerson.status, ReportPerson.user_id,
                            ReportPerson.display_name, ReportPerson.intervals, ReportPerson.reported_seconds)
                     .join(AttendanceImport).where(AttendanceImport.session_id == session.id,
                                                   AttendanceImport.active)).all()
    for source, status, user_id, display_name, intervals, reported_seconds in people:
        if status in MATCHED and user_id is not None:
            target = members.setdefault(user_id, _Presence([], 0, set()))
        elif status == "guest":
            target = guests.setdefault(display_name, _Presence([], 0, set()))
        else:
            continue
        target.intervals += [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in intervals]
        target.reported_seconds += reported_seconds
        target.sources.add(source)
    for record in records:
        if record.user_id is not None and record.checked_in_at is not None:
            # A moment, not an interval: it keeps the record and its source, never adds time.
            members.setdefault(record.user_id, _Presence([], 0, set())).sources.add("checkin")
    return members, guests


def _seconds(presence: _Presence, session: EchoSession) -> int:
    from_times = attended_minutes(presence.intervals, session.starts_at, session.ends_at) * 60
    # Duration-only reports cannot be clipped: their total counts up to the session's length.
    return int(round(max(from_times, min(presence.reported_seconds, session_seconds(session)))))


def rebuild(db: Session, session: EchoSession, program: Program, *, actor: User | None, reason: str) -> None:
    """Recompute every attendance record of the session, then its credit.

    A constant number of statements whatever the number of attendees: the new records are one
    INSERT, the changed ones one UPDATE and the stale ones one DELETE (executemany); the
    session's loaded records are kept in step without reloading them."""
    records = records_of(db, session)
    members, guests = _gather(db, session, records)
    existing = {(r.user_id, r.guest_name if r.user_id is None else ""): r for r in records}
    now = utcnow()
    inserts, updates, stale = [], [], []
    wanted = [((user_id, ""), presence) for user_id, presence in members.items()]
    wanted += [((None, name), presence) for name, presence in guests.items()]
    present = {key for key, _ in wanted}
    for key, record in existing.items():
        if key in present:
            continue
        if record.adjusted:  # kept for the coordinator's adjustment alone
            wanted.append((key, _Presence([], 0, {"manual"})))
        else:
            stale.append(record)
    for (user_id, guest), presence in wanted:
        seconds = _seconds(presence, session) if presence.intervals or presence.reported_seconds else 0
        sources = ",".join(sorted(presence.sources))
        record = existing.get((user_id, guest))
        if record is None:
            inserts.append({"session_id": session.id, "user_id": user_id, "guest_name": guest, "sources": sources,
                            "computed_seconds": seconds, "adjust_reason": "", "updated_at": now})
        elif (record.computed_seconds, record.sources) != (seconds, sources):
            updates.append({"b_id": record.id, "b_seconds": seconds, "b_sources": sources, "b_now": now})
            for name, value in (("computed_seconds", seconds), ("sources", sources), ("updated_at", now)):
                set_committed_value(record, name, value)
    _write_records(db, inserts, updates, stale)
    credit.recompute_session(db, session, program, actor=actor, reason=reason)


def _write_records(db: Session, inserts: list[dict], updates: list[dict], stale: list[AttendanceRecord]) -> None:
    db.flush()
    table = AttendanceRecord.__table__
    connection = db.connection()
    if inserts:
        connection.execute(table.insert(), inserts)
    if updates:
        connection.execute(table.update().where(table.c.id == bindparam("b_id")).values(
            computed_seconds=bindparam("b_seconds"), sources=bindparam("b_sources"), updated_at=bindparam("b_now")),
            updates)
    if stale:
        connection.execute(table.delete().where(table.c.id.in_([record.id for record in stale])))
        for record in stale:
            db.expunge(record)


# --- reconciliation and adjustments ------------------------------------------------------


def resolve(db: Session, session: EchoSession, program: Program, person: ReportPerson, *, action: str,
            user_id: int | None, actor: User) -> None:
    """Match a waiting report row to a member, record it as a guest, or ignore it."""
    if action == "match":
        member = _member(db, program, user_id, field="user_id")
        person.status, person.user_id = "member", member.id
        _remember_alias(db, member, person.email)
        _remember_device(db, program, member, person, actor=actor)
    elif action in {"guest", "ignore"}:
        person.status, person.user_id = ("guest" if action == "guest" else "ignored"), None
    else:
        raise InvalidInput(fields={"action": "Choose match, guest or ignore."})
    db.add(person)
    audit.record(db, actor=actor, action=f"attendance.row_{person.status}", obj=person, session_id=session.id,
                 user_id=person.user_id)
    db.flush()
    rebuild(db, session, program, actor=actor, reason="An attendance report row was reconciled.")


def _member(db: Session, program: Program, user_id: int | None, *, field: str) -> User:
    membership = db.exec(select(Membership).where(Membership.program_id == program.id,
                                                  Membership.user_id == user_id)).first() if user_id else None
    if membership is None:
        raise InvalidInput(fields={field: "Choose a member of this program."})
    return db.get(User, membership.user_id)


def _remember_alias(db: Session, member: User, email: str) -> None:
    address = email.strip().casefold()
    if not address or address == member.email.casefold():
        return
    if db.exec(select(EmailAlias).where(EmailAlias.email == address)).first() is None:
        db.add(EmailAlias(user_id=member.id, email=address))


def _remember_device(db: Session, program: Program, member: User, person: ReportPerson, *, actor: User) -> None:
    """A name without e-mail matched by hand ("Jim's iPad") matches that member next time, in this
    program. A member's own name is never remembered: it may be another member's too."""
    key = normalise_name(person.display_name)
    if person.email or not key:
        return
    names = db.exec(select(User.full_name).join(Membership, Membership.user_id == User.id)
                    .where(Membership.program_id == program.id)).all()
    if key in {normalise_name(name) for name in names}:
        return
    if db.exec(select(NameAlias).where(NameAlias.program_id == program.id, NameAlias.name_key == key)).first() is None:
        db.add(NameAlias(program_id=program.id, name_key=key[:200], user_id=member.id, created_by_id=actor.id))


SEARCH_LIMIT = 20


def search_members(db: Session, program: Program, query: str, *, limit: int = SEARCH_LIMIT) -> list[User]:
    """Members of the program whose name or e-mail contains the query (at least 2 characters),
    at most `limit`, by name: the reconciliation page never lists the whole membership."""
    text = " ".join(query.split()).casefold()
    if len(text) < 2:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(db.exec(select(User).join(Membership, Membership.user_id == User.id)
                        .where(Membership.program_id == program.id,
                               func.lower(User.full_name).like(pattern, escape="\\")
                               | func.lower(User.email).like(pattern, escape="\\"))
                        .order_by(User.full_name, User.id).limit(limit)).all())


def load_person(db: Session, session: EchoSession, person_id: int) -> ReportPerson:
    person = db.get(ReportPerson, person_id)
    batch = db.get(AttendanceImport, person.import_id) if person else None
    if batch is None or batch.session_id != session.id or not batch.active:
        raise NotFound("No such report row for this session.")
    return person


def adjust(db: Session, session: EchoSession, program: Program, *, user_id: int | None, minutes: int | None,
           reason: str, actor: User) -> AttendanceRecord | None:
    """Set a member's attended minutes by hand: a kept adjustment (``credit_adjustments.adjust``:
    never overwritten, its reason PHI-checked and in the audit event, waiting for the CME office
    when the program says so). Returns the record as it now stands (None while it waits)."""
    from app.services import credit_adjustments  # noqa: PLC0415  (it builds on this module)

    adjustment = credit_adjustments.adjust(db, session, program, user_id=user_id, minutes=minutes,
                                           reason=reason, actor=actor)
    if adjustment.status != "applied":
        return None
    return db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id,
                                                  AttendanceRecord.user_id == adjustment.user_id)).first()


# --- check-in ----------------------------------------------------------------------------


def show_checkin_code(db: Session, session: EchoSession, *, actor: User, renew: bool = False) -> CheckInCode:
    if session.ends_at <= utcnow():
        raise InvalidTransition("This session is over; check-in is closed.")
    checkin = db.exec(select(CheckInCode).where(CheckInCode.session_id == session.id)).first()
    if checkin is None or renew:
        checkin = checkin or CheckInCode(session_id=session.id, code="")
        checkin.code = "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_LENGTH))
        checkin.created_by_id, checkin.created_at = actor.id, utcnow()
        db.add(checkin)
        audit.record(db, actor=actor, action="attendance.checkin_code", obj=session)
        db.flush()
    return checkin


def checkin_code_of(db: Session, session: EchoSession) -> CheckInCode | None:
    return db.exec(select(CheckInCode).where(CheckInCode.session_id == session.id)).first()


def check_in(db: Session, session: EchoSession, program: Program, code: str, *, actor: User,
             now: datetime | None = None) -> AttendanceRecord:
    now = (now or utcnow()).replace(microsecond=0)
    if not session.starts_at - CHECKIN_EARLY <= now <= session.ends_at:
        raise InvalidInput(fields={"code": "Check-in is open only while the session runs."})
    checkin = checkin_code_of(db, session)
    given = "".join(code.split()).upper()
    if checkin is None or not secrets.compare_digest(given.encode(), checkin.code.encode()):
        raise InvalidInput(fields={"code": "That is not this session's check-in code."})
    record = db.exec(select(AttendanceRecord).where(AttendanceRecord.session_id == session.id,
                                                    AttendanceRecord.user_id == actor.id)).first()
    record = record or AttendanceRecord(session_id=session.id, user_id=actor.id, sources="checkin")
    if record.checked_in_at is None:
        record.checked_in_at = now
        db.add(record)
        db.flush()
        audit.record(db, actor=actor, action="attendance.checked_in", obj=record, session_id=session.id)
        rebuild(db, session, program, actor=actor, reason="A check-in was recorded.")
    return record
