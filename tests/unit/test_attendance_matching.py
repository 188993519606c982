from __future__ import annotations

from datetime import datetime

import pytest

from app.attendance import (
    AttendanceRow,
    MemberRef,
    group_rows,
    match_rows,
    normalise_name,
)


def row(line: int, name: str, email: str | None = None, original: str | None = None):
    start = datetime(2026, 1, 10, 10, line)
    return AttendanceRow(line, name, original, email, start, start, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("iPhone (Brian Smith)", "brian smith"),
        ("Eric's iPad (Clapton)", "clapton"),
        ("Galaxy S21 (Ana Ruiz)", "ana ruiz"),
        ("Smith, Brian", "brian smith"),
        ("015_Loki (Loki Laufeyson)", "loki"),
        ("015_Loki", "loki"),
        ("  José   Núñez ", "jose nunez"),
        ("García Simón, Pedro", "pedro garcia simon"),
        ("Paul McCartney (Wings)", "paul mccartney"),
        ("JANSSENS JAN (EXT)", "janssens jan"),
        ("Jane Doe, MD, PhD", "jane doe"),
        ("Dr. Jane Doe", "jane doe"),
        ("Doe, Jane, MD", "jane doe"),
        ("Nguyen, Do", "do nguyen"),
        ("O'Brien-Smith, Mary", "mary obrien smith"),
        ("Łukasz Żółć", "lukasz zolc"),
        ("Yo-Yo Ma", "yo yo ma"),
        ("太郎1", "太郎1"),
        ("がく", "がく"),
        ("ＡＢＣ　Ｄｅｆ", "abc def"),
        ("", ""),
    ],
)
def test_normalise_name_cases(raw, expected):
    assert normalise_name(raw) == expected


MEMBERS = [
    MemberRef(1, "Ann.Lee@Clinic.org", ("ann.personal@mail.com",), "Ann Lee"),
    MemberRef(2, "brian.smith@clinic.example.com", (), "Brian Smith"),
    MemberRef(3, "bsmith@other.example.com", (), "Brian Smith"),
    MemberRef(4, "pedro@spain.es", (), "Pedro García Simón"),
]


def statuses(matches):
    return [(m.status, m.user_id, m.candidate_ids) for m in matches]


def test_match_rows_email_is_case_insensitive():
    assert statuses(match_rows([row(1, "A. L.", "ann.lee@CLINIC.org")], MEMBERS)) == [
        ("email", 1, (1,))
    ]


def test_match_rows_alias_email_after_primary():
    assert statuses(match_rows([row(1, "A", "Ann.Personal@mail.com")], MEMBERS)) == [
        ("alias", 1, (1,))
    ]


def test_match_rows_normalised_name_when_the_row_has_no_email():
    rows = [row(1, "García Simón, Pedro")]
    assert statuses(match_rows(rows, MEMBERS)) == [("name", 4, (4,))]


def test_match_rows_never_by_name_across_a_contradicting_email():
    rows = [row(1, "García Simón, Pedro", "unknown@x.org")]
    assert statuses(match_rows(rows, MEMBERS)) == [("conflict", None, (4,))]


def test_match_rows_unauthenticated_teams_guest_is_not_matched_by_name():
    rows = [row(1, "Pedro García Simón (Guest)")]
    assert statuses(match_rows(rows, MEMBERS, names_need_email=True)) == [("unverified", None, (4,))]


def test_match_rows_remembered_device_name_is_an_alias():
    members = [MemberRef(9, "jim@clinic.org", (), "Jim Beam", name_aliases=("jims ipad",))]
    assert statuses(match_rows([row(1, "Jim's iPad")], members)) == [("alias", 9, (9,))]
    assert statuses(match_rows([row(1, "Jim's iPad")], members, names_need_email=True)) == [("alias", 9, (9,))]


def test_match_rows_ambiguous_name_is_never_auto_matched():
    assert statuses(match_rows([row(1, "iPhone", None, "Brian Smith")], MEMBERS)) == [
        ("ambiguous", None, (2, 3))
    ]


def test_match_rows_email_beats_ambiguous_name():
    rows = [row(1, "Brian Smith", "BSmith@other.example.com")]
    assert statuses(match_rows(rows, MEMBERS)) == [("email", 3, (3,))]


def test_match_rows_unmatched_person():
    assert statuses(match_rows([row(1, "Zed Nobody")], MEMBERS)) == [("unmatched", None, ())]


def test_match_rows_shared_email_of_two_members_is_ambiguous():
    members = [MemberRef(7, "desk@clinic.org", (), "A"), MemberRef(8, "DESK@clinic.org", (), "B")]
    assert statuses(match_rows([row(1, "C", "desk@clinic.org")], members)) == [
        ("ambiguous", None, (7, 8))
    ]


def test_group_rows_same_email_is_one_person():
    people = group_rows([row(1, "Ann", "a@x.org"), row(2, "Ann L", "A@X.org")])
    assert [(p.key, [r.line for r in p.rows]) for p in people] == [("email:a@x.org", [1, 2])]


def test_group_rows_phone_row_joins_the_only_signed_in_row_of_that_name():
    rows = [row(1, "Brian Smith", "b@x.org"), row(2, "iPhone", None, "Brian Smith")]
    assert [[r.line for r in p.rows] for p in group_rows(rows)] == [[1, 2]]


def test_group_rows_name_shared_by_two_emails_stays_apart():
    rows = [
        row(1, "Brian Smith", "b1@x.org"),
        row(2, "Brian Smith", "b2@x.org"),
        row(3, "Brian Smith"),
    ]
    assert [p.key for p in group_rows(rows)] == [
        "email:b1@x.org",
        "email:b2@x.org",
        "name:brian smith",
    ]


def test_group_rows_rows_without_name_or_email_stay_single():
    assert [p.key for p in group_rows([row(1, ""), row(2, "")])] == ["line:1", "line:2"]


def test_match_rows_one_match_per_person_with_all_rows():
    rows = [row(1, "Ann Lee", "ann.lee@clinic.org"), row(5, "Ann Lee", "ann.lee@clinic.org")]
    [match] = match_rows(rows, MEMBERS)
    assert (match.status, [r.line for r in match.person.rows], len(match.person.intervals)) == (
        "email",
        [1, 5],
        2,
    )
