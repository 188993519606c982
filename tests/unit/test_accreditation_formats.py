"""Accreditor formats (app/exports/accreditation.py): NPI check digit, MMDD, learner field checks,
and each row column by column against the layouts recorded in docs/accreditation-formats.md."""

from datetime import date
from decimal import Decimal

import pytest

from app.exports import accreditation as fmt


def learner(**changes) -> fmt.Learner:
    base = dict(user_id=1, email="j@example.org", full_name="Jenna Whitfield", first_name="Jenna",
                last_name="Whitfield", participant_type="physician", consent=True, npi="1234567893",
                certifying_board="ABIM", board_id="123456", birth_month=2, birth_day=29, licence_state="CO",
                licence_number="DR.12345", nabp_eprofile_id="")
    base.update(changes)
    return fmt.Learner(**base)


def test_npi_check_digit():
    assert fmt.npi_ok("1234567893")  # CMS's published example
    assert not fmt.npi_ok("1234567890")
    assert not fmt.npi_ok("1234567894")
    assert not fmt.npi_ok("123456789")
    assert not fmt.npi_ok("12345678931")
    assert not fmt.npi_ok("12345678a3")
    assert not fmt.npi_ok("")
    # every other check digit fails for the same first nine digits
    assert [d for d in range(10) if fmt.npi_ok(f"123456789{d}")] == [3]


@pytest.mark.parametrize(("month", "day", "ok"), [(2, 29, True), (2, 30, False), (4, 31, False), (12, 31, True),
                                                   (13, 1, False), (0, 5, False), (1, 0, False)])
def test_month_day_is_a_real_date(month, day, ok):
    assert fmt.valid_month_day(month, day) is ok


def test_mmdd_is_zero_padded_and_never_a_year():
    assert fmt.birth_mmdd(3, 7) == "0307"
    assert fmt.birth_mmdd(None, 7) == ""
    assert fmt.birth_mmdd(3, None) == ""


def test_learner_fields_clear_messages_and_no_guessing():
    values, errors = fmt.clean_learner_fields(fmt.LearnerFieldsForm("Jenna", "Whitfield", "ABIM", "co", "DR-1",
                                                                    "physician"))
    assert errors == {} and values["licence_state"] == "CO"
    _, errors = fmt.clean_learner_fields(fmt.LearnerFieldsForm("", "", "ABX", "XX", "12", "surgeon"))
    assert set(errors) == {"certifying_board", "licence_state", "participant_type"}
    assert "list" in errors["licence_state"]
    _, errors = fmt.clean_learner_fields(fmt.LearnerFieldsForm("123", "", "", "CO", "", ""))
    assert errors == {"first_name": "A name needs at least one letter.",
                      "licence_number": "Give the licence number for that state, or clear the state."}
    _, errors = fmt.clean_learner_fields(fmt.LearnerFieldsForm(licence_number="=1+1"))
    assert "licence_number" in errors and "licence_state" in errors
    assert fmt.split_full_name("Ana María de la Cruz") == ("Ana María de la", "Cruz")
    assert fmt.split_full_name("Madonna") == ("", "")


def test_state_list_is_states_dc_and_territories():
    assert len(fmt.US_STATES) == 56 and {"DC", "PR", "GU", "VI", "AS", "MP"} <= set(fmt.US_STATES)


def test_pars_row_column_by_column():
    completion = fmt.Completion(learner(), date(2026, 3, 4), {"ama_pra_1": Decimal("3.50"),
                                                              "participation": Decimal("1.00")}, sessions=4)
    row = fmt.pars_row("RSS-2026-01", completion)
    assert dict(zip(fmt.PARS_COLUMNS, row, strict=True)) == {
        "Provider Activity ID": "RSS-2026-01", "Learner First Name": "Jenna", "Learner Last Name": "Whitfield",
        "NPI": "1234567893", "Certifying Board": "ABIM", "Board ID": "123456", "Date of Birth (MMDD)": "0229",
        "State of Licensure": "CO", "License Number": "DR.12345", "Completion Date": "03/04/2026",
        "AMA PRA Category 1 Credits": "3.50", "Other Credits": "1.00", "MOC Points": "3.50"}
    no_board = fmt.pars_row("A1", fmt.Completion(learner(certifying_board="", board_id=""), date(2026, 1, 2),
                                                 {"ama_pra_1": Decimal("1")}))
    assert no_board[4:7] == ["", "", "0229"] and no_board[-1] == ""  # no MOC points without a board
    line = fmt.tab_line(row)
    assert line.endswith("\r\n") and line.count("\t") == len(fmt.PARS_COLUMNS) - 1


def test_pars_missing_names_each_gap():
    assert fmt.pars_missing(learner()) == []
    assert fmt.pars_missing(learner(consent=False, first_name="", birth_day=None, board_id="")) == [
        "consent to report", "first name", "birth month and day", "ABIM board ID"]
    assert fmt.pars_missing(learner(certifying_board="", board_id="", npi="", licence_state="", licence_number="")) == [
        "NPI or certifying board and board ID", "state of licensure and license number"]
    assert fmt.pars_missing(learner(participant_type="")) == ["participant type (profile)"]


def test_cpe_row_column_by_column_and_gaps():
    pharmacist = learner(participant_type="pharmacist", nabp_eprofile_id="1234567", birth_month=11, birth_day=5)
    uan = "0123-0000-26-001-L01-P"
    assert fmt.cpe_missing(pharmacist, uan) == []
    row = fmt.cpe_row(uan, pharmacist, date(2026, 3, 4), Decimal("1.5"))
    assert dict(zip(fmt.CPE_COLUMNS, row, strict=True)) == {
        "NABP e-Profile ID": "1234567", "Date of Birth (MMDD)": "1105", "ACPE UAN": uan, "Participant Type": "P",
        "Learner First Name": "Jenna", "Learner Last Name": "Whitfield", "Date of Participation": "03/04/2026",
        "Contact Hours": "1.50"}
    technician = learner(participant_type="technician", nabp_eprofile_id="12", birth_month=None)
    assert fmt.cpe_missing(technician, uan) == ["a UAN ending in -T (this file is for -P)", "NABP e-Profile ID",
                                                "birth month and day"]
    assert fmt.UAN_SHAPE.fullmatch(uan) and not fmt.UAN_SHAPE.fullmatch("0123-0000-26-001-X01-P")


def test_summary_row_column_by_column():
    row = fmt.summary_row(2026, "Denver ECHO", 12, 30, 18, Decimal("40.5"), Decimal("3"))
    assert dict(zip(fmt.SUMMARY_COLUMNS, row, strict=True)) == {
        "Year": "2026", "Program": "Denver ECHO", "Sessions": "12", "Learners": "30", "Physicians": "18",
        "Other Learners": "12", "AMA PRA Category 1 Credits": "40.50", "Other Credits": "3.00",
        "Total Credits": "43.50"}


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe(cell):
    assert fmt.guard(cell) == "'" + cell
    assert fmt.csv_line([cell]).startswith(("'", "\"'"))
    # a tab file cannot hold a tab or line break inside a value: they become spaces
    assert fmt.tab_line([cell]) == ("'" + cell if cell[0] not in "\t\r" else " x") + "\r\n"
