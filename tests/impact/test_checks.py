"""Each check class on a tiny table of rows (no postcodes, so no geography is needed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from vcsehub.impact.checks import CHECKS, ERROR, checks_run
from vcsehub.impact.prepare import ERROR_FLAGS, MAX_CELLS, rows_prepare

TODAY = date(2026, 1, 31)
SECRET = "s" * 64
HEADERS = ["Date", "Ref", "Age", "DOB", "Service", "Before", "After", "Adults", "Spare"]
MAPPING = {
    "Date": "contact_date",
    "Ref": "person_ref",
    "Age": "age",
    "DOB": "date_of_birth",
    "Service": "service",
    "Before": "outcome_before",
    "After": "outcome_after",
    "Adults": "people_count",
}


def run(rows, mapping=MAPPING, scale=(Decimal(1), Decimal(10)), existing=None, personal=None):
    numbered = [
        (n, list(r) + [None] * (len(HEADERS) - len(r))) for n, r in enumerate(rows, start=2)
    ]
    prepared = rows_prepare(
        headers=HEADERS,
        rows=numbered,
        mapping=mapping,
        secret=SECRET,
        today=TODAY,
        scale=scale,
        existing=existing,
        personal=personal,
    )
    return prepared, checks_run(prepared)


def result(outcome, check):
    return next((r for r in outcome.results if r.check == check), None)


def test_every_error_flag_has_an_error_check():
    flags = {c.flags[0] for c in CHECKS if c.severity == ERROR and getattr(c, "flags", ())}
    assert flags == set(ERROR_FLAGS)


def test_uk_day_month_is_the_default_and_said():
    prepared, outcome = run([["03/04/2025", "A"], ["05/06/2025", "B"]])
    assert [r.values["contact_date"] for r in prepared.rows] == [date(2025, 4, 3), date(2025, 6, 5)]
    assert "could be read either way" in result(outcome, "date_order").message


def test_a_second_number_above_12_makes_the_column_month_day():
    prepared, outcome = run([["03/04/2025", "A"], ["04/25/2025", "B"]])
    assert [r.values["contact_date"] for r in prepared.rows] == [
        date(2025, 3, 4),
        date(2025, 4, 25),
    ]
    assert "month/day/year (US style)" in result(outcome, "date_order").message


def test_a_column_mixing_both_orders_stays_uk_and_the_others_are_unreadable():
    prepared, outcome = run([["13/04/2025", "A"], ["04/25/2025", "B"]])
    assert "mixes day/month and month/day" in result(outcome, "date_order").message
    assert result(outcome, "date_unreadable").cells == [[3, "Date"]]
    assert outcome.excluded_reasons == {"date of contact could not be read": 1}


def test_every_date_style_is_read():
    prepared, _ = run(
        [
            ["2025-04-03", "A"],
            ["3 April 2025", "B"],
            ["3/4/25", "C"],
            [date(2025, 4, 3), "D"],
            ["April 3, 2025", "E"],
            ["3 Apr 2025", "F"],
        ]
    )
    assert {r.values["contact_date"] for r in prepared.rows} == {date(2025, 4, 3)}


def test_future_missing_and_unreadable_dates_are_errors():
    _, outcome = run([["01/02/2026", "A"], ["", "B"], ["soon", "C"], ["30/01/2026", "D"]])
    assert result(outcome, "date_future").cells == [[2, "Date"]]
    assert result(outcome, "date_missing").cells == [[3, "Date"]]
    assert result(outcome, "date_unreadable").cells == [[4, "Date"]]
    assert [row.number for row in outcome.to_store] == [5]
    assert "31/01/2026" in result(outcome, "date_future").message


def test_no_date_column_is_a_warning():
    mapping = {"Ref": "person_ref"}
    _, outcome = run([["x", "A"]], mapping=mapping)
    assert result(outcome, "no_contact_date_column").severity == "warning"
    assert len(outcome.to_store) == 1


def test_age_and_date_of_birth_become_an_age_band_only():
    prepared, outcome = run(
        [
            ["01/01/2026", "A", "40"],
            ["01/01/2026", "B", "", "02/01/1960"],  # 65 on 1 January 2026
            ["01/01/2026", "C", "", "02/01/2027"],  # born after the visit
            ["01/01/2026", "D", "230"],
            ["01/01/2026", "E", "", "not a date"],
        ]
    )
    assert [r.values.get("age_band") for r in prepared.rows] == ["35-44", "65-74", None, None, None]
    assert result(outcome, "age_unreadable").cells == [[5, "Age"]]
    assert result(outcome, "date_of_birth_unreadable").cells == [[4, "DOB"], [6, "DOB"]]


def test_scores_outside_the_scale_or_not_numbers_are_left_out():
    prepared, outcome = run(
        [
            ["01/01/2026", "A", "", "", "", "3", "11"],
            ["01/01/2026", "B", "", "", "", "n/a", "7.5"],
        ]
    )
    assert prepared.rows[0].values.get("outcome_before") == Decimal("3.00")
    assert "outcome_after" not in prepared.rows[0].values
    assert prepared.rows[1].values["outcome_after"] == Decimal("7.50")
    assert result(outcome, "outcome_out_of_scale").cells == [[2, "After"]]
    assert "scale of 1 to 10" in result(outcome, "outcome_out_of_scale").message
    assert result(outcome, "outcome_not_number").cells == [[3, "Before"]]


def test_people_counts_must_be_whole_numbers():
    prepared, outcome = run(
        [
            ["01/01/2026", "A", "", "", "", "", "", "2"],
            ["01/01/2026", "B", "", "", "", "", "", "1.5"],
        ]
    )
    assert prepared.rows[0].values["people_count"] == 2
    assert result(outcome, "people_unreadable").cells == [[3, "Adults"]]


def test_missing_references_count_as_contacts_only():
    prepared, outcome = run([["01/01/2026", ""], ["02/01/2026", "a1"], ["03/01/2026", " A1 "]])
    assert result(outcome, "person_ref_missing").cells == [[2, "Ref"]]
    keys = [r.values.get("person_key") for r in prepared.rows]
    assert keys[0] is None and keys[1] == keys[2] and len(keys[1]) == 64


def test_personal_values_and_long_text_are_not_stored():
    prepared, outcome = run(
        [
            ["01/01/2026", "A", "", "", "ring 07700 900123"],
            ["01/01/2026", "B", "", "", "x" * 201],
            ["01/01/2026", "C", "", "", "Food parcel"],
        ]
    )
    assert result(outcome, "personal_values").cells == [[2, "Service"]]
    assert result(outcome, "text_too_long").cells == [[3, "Service"]]
    assert [r.values.get("service") for r in prepared.rows] == [None, None, "Food parcel"]


def test_repeats_in_the_file_and_rows_already_stored_are_stored_once():
    first, _ = run([["01/01/2026", "A"]])
    stored = {first.rows[0].fingerprint}
    _, outcome = run(
        [["01/01/2026", "A"], ["02/01/2026", "B"], ["02/01/2026", "B"]], existing=stored
    )
    assert result(outcome, "already_stored").cells == [[2, ""]]
    assert result(outcome, "duplicate_rows").cells == [[4, ""]]
    assert [r.number for r in outcome.to_store] == [3]
    assert outcome.rows_duplicate == 2


def test_every_cell_is_counted_but_only_the_first_are_listed_in_row_order():
    # Births after the visit and unreadable births are one check of two flags: its cells
    # come in row order whichever flag they carry, the first MAX_CELLS of them listed.
    rows = [
        ["01/01/2026", f"P{n}", "", "02/01/2027" if n % 2 else "not a date"]
        for n in range(MAX_CELLS + 50)
    ]
    _, outcome = run(rows)
    found = result(outcome, "date_of_birth_unreadable")
    assert found.count == MAX_CELLS + 50
    assert found.cells == [[n, "DOB"] for n in range(2, MAX_CELLS + 2)]


@pytest.mark.django_db
def test_postcode_cells_of_any_kind_are_looked_up_once_each():
    # 1, 1.0 and True are equal in Python: each kind of cell still gets its own answer.
    mapping = {**MAPPING, "Spare": "postcode"}
    prepared, outcome = run(
        [["01/01/2026", "A", *[None] * 6, cell] for cell in (1, True, 1.0, "1", None, "B1 1")],
        mapping=mapping,
    )
    statuses = [row.postcode.status for row in prepared.rows]
    assert statuses == ["invalid"] * 4 + ["missing", "invalid"]
    assert result(outcome, "postcode_invalid").count == 5


def test_empty_rows_are_errors_and_nothing_else():
    _, outcome = run(
        [["01/01/2026", "A"], [None, None, None, None, None, None, None, None, "note"]]
    )
    assert result(outcome, "row_empty").cells == [[3, ""]]
    assert result(outcome, "date_missing") is None
    assert outcome.excluded_reasons == {"nothing in the columns chosen": 1}


def test_empty_mapped_unmapped_and_personal_columns():
    _, outcome = run([["01/01/2026", "A"]], personal={"Spare": "notes"})
    empty = result(outcome, "empty_mapped_column")
    assert empty.count == 6 and "'Age' (Age)" in empty.message
    assert result(outcome, "unmapped_columns") is None  # "Spare" is personal, reported apart
    personal = result(outcome, "personal_columns")
    assert "'Spare' looks like free-text notes" in personal.message
    assert "used only to work out an age band" in personal.message
    _, outcome = run([["01/01/2026", "A"]], mapping={"Date": "contact_date"})
    assert "'Ref'" in result(outcome, "unmapped_columns").message


@pytest.mark.parametrize("check", CHECKS)
def test_every_check_says_what_it_is(check):
    assert check.id and check.title and check.category
    assert check.severity in ("error", "warning", "info")
