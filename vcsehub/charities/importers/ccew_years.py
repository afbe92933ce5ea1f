"""CCEW financial years: annual return history + Part A + Part B, merged in the database.

Each table is streamed into FinancialYear with an upsert on (charity, period end), so no
year is held in memory; then only the five latest years of each charity are kept.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

from vcsehub.charities.importers import values as v
from vcsehub.charities.models import Charity, FinancialYear
from vcsehub.charities.services import rows_bulk_insert

YEARS_KEPT = 5
PART_B_DETAIL = (
    "income_donations_and_legacies",
    "income_charitable_activities",
    "income_other_trading_activities",
    "income_investments",
    "income_other",
    "income_legacies",
    "income_endowments",
    "expenditure_raising_funds",
    "expenditure_charitable_expenditure",
    "expenditure_other",
    "expenditure_grants_institution",
    "reserves",
    "assets_total_fixed",
    "assets_cash",
    "assets_total_assets_and_liabilities",
    "funds_endowment",
    "funds_restricted",
    "funds_unrestricted",
    "funds_total",
)
TABLE = FinancialYear._meta.db_table


def _upsert(assignments: dict[str, str]) -> str:
    """ON CONFLICT clause (the same words on SQLite and PostgreSQL)."""
    sets = ", ".join(f"{column} = {expression}" for column, expression in assignments.items())
    return f" ON CONFLICT (charity_id, period_end) DO UPDATE SET {sets}"


def _keep(column: str) -> str:
    return f"COALESCE({TABLE}.{column}, excluded.{column})"


HISTORY = (
    ("charity_id", "period_start", "period_end", "income", "expenditure", "suppressed",
     "return_due", "return_received", "accounts_received"),
    _upsert({
        "period_start": _keep("period_start"), "income": "excluded.income",
        "expenditure": "excluded.expenditure", "suppressed": "excluded.suppressed",
        "return_due": "excluded.return_due", "return_received": "excluded.return_received",
        "accounts_received": "excluded.accounts_received",
    }),
)  # fmt: skip
PART_A = (
    ("charity_id", "period_start", "period_end", "income", "expenditure", "return_due",
     "return_received", "volunteers", "income_government_contracts", "income_government_grants"),
    _upsert({
        "period_start": _keep("period_start"), "income": _keep("income"),
        "expenditure": _keep("expenditure"), "return_due": _keep("return_due"),
        "return_received": _keep("return_received"), "volunteers": "excluded.volunteers",
        "income_government_contracts": "excluded.income_government_contracts",
        "income_government_grants": "excluded.income_government_grants",
    }),
)  # fmt: skip
PART_B = (
    ("charity_id", "period_start", "period_end", "employees", "detail"),
    _upsert({
        "period_start": _keep("period_start"), "employees": "excluded.employees",
        "detail": "excluded.detail",
    }),
)  # fmt: skip


def ccew_years_load(*, importer, tables: dict, ids: dict[int, int]) -> int:
    """Load the three annual-return tables; keep the five latest years per charity."""

    def key(values, index) -> tuple[int, object] | None:
        end = v.iso_date(values[index["fin_period_end_date"]])
        if end is None:
            raise ValueError("fin_period_end_date is empty")
        charity_id = ids.get(v.integer(values[index["organisation_number"]]))
        return None if charity_id is None else (charity_id, end)

    def history(values, index):
        found = key(values, index)
        if found:
            return (
                found[0], v.iso_date(values[index["fin_period_start_date"]]), found[1],
                v.money(values[index["total_gross_income"]]),
                v.money(values[index["total_gross_expenditure"]]),
                bool(v.boolean(values[index["suppression_ind"]])),
                v.iso_date(values[index["reporting_due_date"]]),
                v.iso_date(values[index["date_annual_return_received"]]),
                v.iso_date(values[index["date_accounts_received"]]),
            )  # fmt: skip
        return None

    def part_a(values, index):
        found = key(values, index)
        if found:
            return (
                found[0], v.iso_date(values[index["fin_period_start_date"]]), found[1],
                v.money(values[index["total_gross_income"]]),
                v.money(values[index["total_gross_expenditure"]]),
                v.iso_date(values[index["ar_due_date"]]),
                v.iso_date(values[index["ar_received_date"]]),
                v.integer(values[index["count_volunteers"]]),
                v.money(values[index["income_from_government_contracts"]]),
                v.money(values[index["income_from_government_grants"]]),
            )  # fmt: skip
        return None

    def part_b(values, index):
        found = key(values, index)
        if found:
            detail = {}
            for field in PART_B_DETAIL:
                amount = v.money(values[index[field]])
                if amount is not None:
                    detail[field] = str(amount)
            return (
                found[0], v.iso_date(values[index["fin_period_start_date"]]), found[1],
                v.integer(values[index["count_employees"]]), detail,
            )  # fmt: skip
        return None

    for table, build, (fields, conflict) in (
        ("charity_annual_return_history", history, HISTORY),
        ("charity_annual_return_parta", part_a, PART_A),
        ("charity_annual_return_partb", part_b, PART_B),
    ):
        rows_bulk_insert(
            model=FinancialYear,
            fields=fields,
            rows=_rows(importer, tables[table], build),
            suffix=conflict,
        )
    return _trim(register=importer.register)


def _rows(importer, table, build) -> Iterator[tuple]:
    pending: list[tuple] = []

    def parse(values, index):
        row = build(values, index)
        if row is not None:
            pending.append(row)

    yield from importer._drain(table, parse, pending)


def _trim(*, register: str) -> int:
    """Delete all but the five latest years of each charity of the register."""
    charities = Charity._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE id IN (SELECT id FROM ("  # noqa: S608 - our table names
            f"SELECT y.id, ROW_NUMBER() OVER (PARTITION BY y.charity_id ORDER BY y.period_end DESC) AS n "
            f"FROM {TABLE} y JOIN {charities} c ON c.id = y.charity_id WHERE c.register = %s"
            ") ranked WHERE n > %s)",
            [register, YEARS_KEPT],
        )
        return cursor.rowcount
