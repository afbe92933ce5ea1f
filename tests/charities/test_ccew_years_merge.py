"""CCEW financial years: the staged merge gives what upserting the three tables in turn gives.

The annual return history, Part A and Part B tables are staged and merged into
FinancialYear in one statement (importers/ccew_years.py). The expected values below are
those of upserting history, then Part A, then Part B, row by row in file order:
history's last row sets a year's figures, Part A fills what history left empty and sets
volunteers and government income, Part B sets employees and the detail; a period start
is the first one given; only the five latest years of a charity are kept.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from tests.charities.test_importers_ccew import _replace, _rewrite
from vcsehub.charities.importers import values as v
from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.importers.ccew_layout import CCEW_COLUMNS
from vcsehub.charities.importers.ccew_years import STAGES
from vcsehub.charities.models import FinancialYear

ALL_THREE, PART_B_ONLY, TWICE, SEVEN_YEARS = 207237, 208791, 208941, 203460
HISTORY, PART_A, PART_B = (
    "charity_annual_return_history",
    "charity_annual_return_parta",
    "charity_annual_return_partb",
)


def _day(text: str) -> str:
    return f"{text} 00:00:00.0000000"


def _line(table: str, org: int, **given: str) -> str:
    values = dict.fromkeys(CCEW_COLUMNS[table], "")
    values.update(date_of_extract=_day("2023-09-07"), organisation_number=str(org))
    values["registered_charity_number"] = str(org)
    if table == HISTORY:
        values["suppression_ind"] = "False"
    for name, value in given.items():
        values[name] = _day(value) if "date" in name and value else value
    assert set(values) == set(CCEW_COLUMNS[table])
    return "\t".join(values[name] for name in CCEW_COLUMNS[table])


ROWS = {
    HISTORY: [
        # In all three tables: history gives no income and no period start.
        _line(HISTORY, ALL_THREE, fin_period_end_date="2022-03-31", total_gross_expenditure="900",
              reporting_due_date="2023-01-31", date_accounts_received="2022-12-01",
              suppression_ind="True"),
        # Given twice: the last row's figures, the first period start.
        _line(HISTORY, TWICE, fin_period_start_date="2021-01-01", fin_period_end_date="2021-12-31",
              total_gross_income="100", total_gross_expenditure="90",
              date_annual_return_received="2022-06-01"),
        _line(HISTORY, TWICE, fin_period_start_date="2020-12-31", fin_period_end_date="2021-12-31",
              total_gross_income="250.5", date_accounts_received="2022-07-01"),
        *(
            _line(HISTORY, SEVEN_YEARS, fin_period_start_date=f"{year}-01-01",
                  fin_period_end_date=f"{year}-12-31", total_gross_income=str(year))
            for year in (2015, 2016, 2017, 2018)
        ),
    ],
    PART_A: [
        # Out of order, as in the real file.
        _line(PART_A, SEVEN_YEARS, fin_period_end_date="2019-12-31", total_gross_income="19"),
        _line(PART_A, ALL_THREE, fin_period_start_date="2021-04-01",
              fin_period_end_date="2022-03-31", total_gross_income="1000",
              total_gross_expenditure="1", ar_due_date="2023-02-28",
              ar_received_date="2022-11-30", count_volunteers="12",
              income_from_government_contracts="10.25"),
        _line(PART_A, TWICE, fin_period_end_date="2021-12-31", total_gross_income="7",
              count_volunteers="3", ar_due_date="2022-10-31"),
        _line(PART_A, TWICE, fin_period_end_date="2021-12-31", count_volunteers="",
              income_from_government_grants="55", ar_received_date="2022-09-09"),
        _line(PART_A, SEVEN_YEARS, fin_period_end_date="2016-12-31", count_volunteers="4"),
    ],
    PART_B: [
        _line(PART_B, PART_B_ONLY, fin_period_start_date="2021-04-01",
              fin_period_end_date="2022-03-31", count_employees="5",
              income_donations_and_legacies="1200", reserves="300.5"),
        _line(PART_B, PART_B_ONLY, fin_period_end_date="2023-03-31", count_employees="6",
              income_investments="£1,000"),
        _line(PART_B, ALL_THREE, fin_period_start_date="2021-05-01",
              fin_period_end_date="2022-03-31", count_employees="2", funds_total="77"),
        _line(PART_B, TWICE, fin_period_end_date="2021-12-31", count_employees="8",
              reserves="1"),
        _line(PART_B, TWICE, fin_period_end_date="2021-12-31", count_employees="9"),
        *(
            _line(PART_B, SEVEN_YEARS, fin_period_end_date=f"{year}-12-31", count_employees="1")
            for year in (2020, 2021)
        ),
    ],
}  # fmt: skip


@pytest.fixture
def merged(db, ccew_paths, tmp_path):
    paths = ccew_paths
    for table, rows in ROWS.items():
        path = next(p for p in ccew_paths if p.name == f"publicextract.{table}.zip")

        def change(text, rows=rows):
            return "\r\n".join([text.split("\r\n")[0], *rows]) + "\r\n"

        paths = _replace(paths, table, _rewrite(path, tmp_path, change))
    run = CcewImporter(locations=paths).run()
    assert run.status == "succeeded", run.error
    return run


def _years(org: int) -> dict[date, dict]:
    rows = FinancialYear.objects.filter(charity__organisation_number=org).values()
    return {row["period_end"]: row for row in rows}


def test_a_year_in_all_three_tables(merged):
    (year,) = _years(ALL_THREE).values()
    assert year["period_end"] == date(2022, 3, 31)
    assert year["period_start"] == date(2021, 4, 1)  # history gave none: Part A's
    assert year["income"] == Decimal("1000")  # history gave none: Part A's
    assert year["expenditure"] == Decimal("900")  # history's, kept over Part A's
    assert year["suppressed"] is True
    assert year["return_due"] == date(2023, 1, 31)  # history's
    assert year["return_received"] == date(2022, 11, 30)  # history gave none: Part A's
    assert year["accounts_received"] == date(2022, 12, 1)
    assert (year["volunteers"], year["income_government_contracts"]) == (12, Decimal("10.25"))
    assert year["income_government_grants"] is None
    assert year["employees"] == 2
    assert year["detail"] == {"funds_total": "77"}


def test_years_only_in_part_b(merged):
    years = _years(PART_B_ONLY)
    assert sorted(years) == [date(2022, 3, 31), date(2023, 3, 31)]
    first, second = years[date(2022, 3, 31)], years[date(2023, 3, 31)]
    assert first["period_start"] == date(2021, 4, 1)
    assert first["detail"] == {"income_donations_and_legacies": "1200", "reserves": "300.5"}
    assert second["detail"] == {"income_investments": "1000"}
    assert (first["employees"], second["employees"]) == (5, 6)
    for year in (first, second):
        assert year["income"] is None and year["expenditure"] is None
        assert year["suppressed"] is False and year["volunteers"] is None


def test_a_year_given_twice_in_each_table(merged):
    (year,) = _years(TWICE).values()
    assert year["period_start"] == date(2021, 1, 1)  # the first given
    assert year["income"] == Decimal("250.5")  # history's last row
    assert year["expenditure"] is None  # history's last row gave none, nor did Part A
    assert year["return_received"] == date(2022, 9, 9)  # history's last row gave none: Part A's
    assert year["return_due"] == date(2022, 10, 31)  # the first Part A gave
    assert year["accounts_received"] == date(2022, 7, 1)
    assert year["volunteers"] is None  # Part A's last row
    assert year["income_government_grants"] == Decimal("55")
    assert year["employees"] == 9 and year["detail"] == {}  # Part B's last row


def test_only_the_five_latest_years_are_kept(merged):
    years = _years(SEVEN_YEARS)
    assert sorted(years) == [date(year, 12, 31) for year in range(2017, 2022)]
    assert years[date(2017, 12, 31)]["income"] == Decimal("2017")
    assert years[date(2019, 12, 31)]["income"] == Decimal("19")
    assert years[date(2021, 12, 31)]["employees"] == 1
    assert FinancialYear.objects.count() == 1 + 2 + 1 + 5


def test_the_staging_tables_are_gone(merged):
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert not tables & {stage for stage, _ in STAGES.values()}


@pytest.mark.parametrize(
    "amounts",
    [["1"], ["1", "2.5"], ["-0.25", "100", "7"], ["1", " 2"], ["01", "2"], ["1.234"], ["3", "£4"],
     ["1e3"], ["5", "-"], ["١٢"], ["12", "1,000"]],
)  # fmt: skip
def test_plain_amounts_together_as_each_alone(amounts):
    together = v.are_plain_amounts("\t".join(amounts))
    assert together == all(v.is_plain_amount(amount) for amount in amounts)
