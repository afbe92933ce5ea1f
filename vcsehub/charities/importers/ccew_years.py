"""CCEW financial years: annual return history + Part A + Part B, merged in the database.

Each table is streamed into FinancialYear with an upsert on (charity, period end), so no
year is held in memory; then only the five latest years of each charity are kept.
Dates and amounts are made in the form the database driver would make of them
(values.db_values), so SQLite gets its text directly.
"""

from __future__ import annotations

from django.db import connection

from vcsehub.charities.importers import values as v
from vcsehub.charities.models import Charity, FinancialYear
from vcsehub.charities.services import JsonText

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


def ccew_years_makes(*, ids: dict[int, int], vendor: str) -> list[tuple]:
    """(table, row builder maker, fields, ON CONFLICT clause) for the three annual-return tables.

    Each is upserted on (charity, period end) in this order, so a year reported in several
    tables becomes one row; then ccew_years_trim keeps the five latest years of each charity.
    """
    db = v.db_values(vendor)

    def keyed(column):
        org, end_at, start_at = (
            column["organisation_number"],
            column["fin_period_end_date"],
            column["fin_period_start_date"],
        )

        def key(values) -> tuple | None:
            end = v.iso_date_fast(values[end_at])
            if end is None:
                raise ValueError("fin_period_end_date is empty")
            charity_id = ids.get(v.integer_fast(values[org]))
            if charity_id is None:
                return None
            return charity_id, db.date(values[start_at]), db.date(values[end_at])

        return key

    def history(text, column):
        key = keyed(column)
        income, spending, suppressed, due, received, accounts = (column[name] for name in (
            "total_gross_income", "total_gross_expenditure", "suppression_ind",
            "reporting_due_date", "date_annual_return_received", "date_accounts_received",
        ))  # fmt: skip

        def build(values):
            found = key(values)
            if found:
                return (
                    *found, db.money(values[income]), db.money(values[spending]),
                    bool(v.boolean(values[suppressed])), db.date(values[due]),
                    db.date(values[received]), db.date(values[accounts]),
                )  # fmt: skip
            return None

        return build

    def part_a(text, column):
        key = keyed(column)
        income, spending, due, received, volunteers, contracts, grants = (column[name] for name in (
            "total_gross_income", "total_gross_expenditure", "ar_due_date", "ar_received_date",
            "count_volunteers", "income_from_government_contracts",
            "income_from_government_grants",
        ))  # fmt: skip

        def build(values):
            found = key(values)
            if found:
                return (
                    *found, db.money(values[income]), db.money(values[spending]),
                    db.date(values[due]), db.date(values[received]),
                    v.integer_fast(values[volunteers]), db.money(values[contracts]),
                    db.money(values[grants]),
                )  # fmt: skip
            return None

        return build

    def part_b(text, column):
        key = keyed(column)
        employees = column["count_employees"]
        detail_at = [(name, column[name]) for name in PART_B_DETAIL]
        plain = [(f'"{name}": "', position) for name, position in detail_at]

        def build(values):
            found = key(values)
            if found is None:
                return None
            # Usually every amount is plain: write the JSON text directly.
            parts = []
            for prefix, position in plain:
                amount = values[position]
                if amount:
                    if not v.is_plain_amount(amount):
                        break
                    parts.append(prefix + amount + '"')
            else:
                detail = JsonText("{" + ", ".join(parts) + "}")
                return (*found, v.integer_fast(values[employees]), detail)
            detail = {}
            for name, position in detail_at:
                amount = v.money_text(values[position])
                if amount is not None:
                    detail[name] = amount
            return (*found, v.integer_fast(values[employees]), detail)

        return build

    return [
        ("charity_annual_return_history", history, *HISTORY),
        ("charity_annual_return_parta", part_a, *PART_A),
        ("charity_annual_return_partb", part_b, *PART_B),
    ]


def ccew_years_trim(*, register: str) -> int:
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
