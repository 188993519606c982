"""Report rows -> people -> members. Pure: members are passed in as MemberRef values.

Rows are first grouped per person (so rejoins become one attendance record), then each
person is matched by e-mail, then a remembered alias (an e-mail or, for a person without
e-mail, a device name a coordinator matched by hand before), then normalised name. A key
that fits more than one member is "ambiguous" and is never auto-matched: a coordinator decides.
A name is never matched when the person's e-mail is not the member's ("conflict"), nor, in a
report whose signed-in users always carry an address (Teams), for a person without e-mail: an
unauthenticated guest can type any name ("unverified"). Both wait for a coordinator, with the
members of that name as candidates.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from app.attendance.names import normalise_name
from app.attendance.report import AttendanceRow

MatchStatus = Literal["email", "alias", "name", "ambiguous", "unmatched", "conflict", "unverified"]


@dataclass(frozen=True)
class MemberRef:
    """What matching needs to know of a program member."""

    user_id: Hashable
    email: str | None
    alias_emails: tuple[str, ...] = ()
    full_name: str = ""
    name_aliases: tuple[str, ...] = ()  # normalised device names remembered for this program


@dataclass(frozen=True)
class PersonRows:
    """The rows of one person: same e-mail, else same normalised name."""

    key: str
    display_name: str
    email: str | None
    rows: tuple[AttendanceRow, ...]

    @property
    def intervals(self) -> list[tuple[datetime, datetime]]:
        return [row.interval for row in self.rows if row.interval is not None]


@dataclass(frozen=True)
class Match:
    """One person of the report and what they matched. `user_id` is set only for the
    "email", "alias" and "name" statuses; `candidate_ids` lists every member that fitted
    (one for a match, several for "ambiguous", none for "unmatched")."""

    person: PersonRows
    status: MatchStatus
    user_id: Hashable | None = None
    candidate_ids: tuple[Hashable, ...] = field(default=())


def row_name_keys(row: AttendanceRow) -> list[str]:
    """Normalised names a row can be known by: the combined cell first, then each part."""
    names = [row.display_name]
    if row.original_name:
        names = [f"{row.display_name} ({row.original_name})", row.display_name, row.original_name]
    keys: list[str] = []
    for name in names:
        key = normalise_name(name)
        if key and key not in keys:
            keys.append(key)
    return keys


def group_rows(rows: Iterable[AttendanceRow]) -> list[PersonRows]:
    """Rows per person, in order of each person's first row.

    A row without e-mail joins the e-mail group whose rows carry the same normalised name
    when exactly one such group exists (a rejoin from a phone that was not signed in);
    otherwise it is grouped with other e-mail-less rows of the same name.
    """
    rows = list(rows)
    groups: dict[str, list[AttendanceRow]] = {}
    email_groups_by_name: dict[str, set[str]] = {}
    for row in rows:
        if row.email:
            key = "email:" + row.email.casefold()
            groups.setdefault(key, []).append(row)
            for name in row_name_keys(row)[:1]:
                email_groups_by_name.setdefault(name, set()).add(key)
    for row in rows:
        if not row.email:
            groups.setdefault(_emailless_key(row, email_groups_by_name), []).append(row)
    people = [
        _person(key, sorted(members, key=lambda r: r.line)) for key, members in groups.items()
    ]
    return sorted(people, key=lambda person: person.rows[0].line)


def _emailless_key(row: AttendanceRow, email_groups_by_name: dict[str, set[str]]) -> str:
    names = row_name_keys(row)
    if not names:
        return f"line:{row.line}"  # no name, no e-mail: nothing to group by
    owners = email_groups_by_name.get(names[0], set())
    return next(iter(owners)) if len(owners) == 1 else "name:" + names[0]


def _person(key: str, rows: Sequence[AttendanceRow]) -> PersonRows:
    email = next((row.email for row in rows if row.email), None)
    first = rows[0]
    shown = first.display_name
    if first.original_name:
        shown = f"{first.display_name} ({first.original_name})"
    return PersonRows(key=key, display_name=shown, email=email, rows=tuple(rows))


def match_rows(rows: Iterable[AttendanceRow], members: Sequence[MemberRef], *,
               names_need_email: bool = False) -> list[Match]:
    """Group the rows per person and match each person to at most one member.

    `names_need_email`: the report's signed-in users always have an e-mail (Teams), so a
    person without one is an unauthenticated guest and is never matched by name."""
    by_email = _index(members, lambda m: [m.email] if m.email else [], str.casefold)
    by_alias = _index(members, lambda m: list(m.alias_emails), str.casefold)
    by_device = _index(members, lambda m: list(m.name_aliases), normalise_name)
    by_name = _index(members, lambda m: [m.full_name], normalise_name)
    return [_match_person(p, by_email, by_alias, by_device, by_name, names_need_email) for p in group_rows(rows)]


def _index(members, keys_of, normalise) -> dict[str, list[Hashable]]:
    index: dict[str, list[Hashable]] = {}
    for member in members:
        for raw in keys_of(member):
            key = normalise(raw.strip()) if raw else ""
            if key and member.user_id not in index.setdefault(key, []):
                index[key].append(member.user_id)
    return index


def _match_person(person: PersonRows, by_email, by_alias, by_device, by_name, names_need_email: bool) -> Match:
    emails = [row.email.strip().casefold() for row in person.rows if row.email]
    names = [key for row in person.rows for key in row_name_keys(row)]
    devices = [] if emails else [normalise_name(row.display_name) for row in person.rows]
    for status, index, keys in (
        ("email", by_email, emails),
        ("alias", by_alias, emails),
        ("alias", by_device, devices),
        ("name", by_name, names),
    ):
        candidates = _candidates(index, keys)
        if not candidates:
            continue
        if status == "name" and emails:
            return Match(person, "conflict", None, tuple(candidates))
        if status == "name" and names_need_email:
            return Match(person, "unverified", None, tuple(candidates))
        if len(candidates) == 1:
            return Match(person, status, candidates[0], tuple(candidates))
        return Match(person, "ambiguous", None, tuple(candidates))
    return Match(person, "unmatched")


def _candidates(index: dict[str, list[Hashable]], keys: Iterable[str]) -> list[Hashable]:
    found: list[Hashable] = []
    for key in keys:
        for user_id in index.get(key, []):
            if user_id not in found:
                found.append(user_id)
    return found
