"""CCEW financial years: annual return history + Part A + Part B, merged in the database.

Each table is streamed into a staging table of its own (plain inserts, or COPY on
PostgreSQL); then one INSERT … SELECT merges the three into FinancialYear on (charity,
period end), keeping the five latest years of each charity. The merge gives what upserting
the tables in turn (history, Part A, Part B, each in file order) would give:

- history: the last row of a year sets its figures (period start: the first one given);
- Part A: fills the income, spending and return dates history left empty (the first
  value given) and sets volunteers and government income (its last row);
- Part B: sets employees and the detail (its last row).

A year given twice in one table (rare) is folded into one row in Python first
(`_duplicates_fold`), so the merge itself only has to combine one row per table.
Dates and amounts are made in the form the database driver would make of them
(values.db_values); on SQLite the staging columns have no type, so that text reaches
FinancialYear unchanged, exactly as an insert straight into it would.
"""

from __future__ import annotations

import json
from itertools import compress
from operator import add, itemgetter

from django.db import connection

from vcsehub.charities.importers import values as v
from vcsehub.charities.models import FinancialYear
from vcsehub.charities.services import staging_table_create, staging_table_drop

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
KEY = ("charity_id", "period_start", "period_end")  # what every staged row starts with
_json = json.JSONEncoder(default=str).encode  # as services.bulk_layout encodes JSON fields

# Per source table: its staging table, and for each column after the key whether the
# first value given (an upsert's COALESCE(existing, new)) or the last row's value counts.
FIRST, LAST = "first", "last"
STAGES = {
    "charity_annual_return_history": ("ccew_years_history", {
        "income": LAST, "expenditure": LAST, "suppressed": LAST, "return_due": LAST,
        "return_received": LAST, "accounts_received": LAST,
    }),
    "charity_annual_return_parta": ("ccew_years_parta", {
        "income": FIRST, "expenditure": FIRST, "return_due": FIRST, "return_received": FIRST,
        "volunteers": LAST, "income_government_contracts": LAST,
        "income_government_grants": LAST,
    }),
    "charity_annual_return_partb": ("ccew_years_partb", {"employees": LAST, "detail": LAST}),
}  # fmt: skip


def ccew_years_makes(*, ids: dict[int, int], by_text: dict[str, int], vendor: str) -> list[tuple]:
    """(table, row builder maker, staging table, columns) for the three annual-return tables.

    Each builder gives (charity id, period start, period end, the table's columns…).
    `by_text` is `ids` keyed by the numbers' text, the quick way to the usual plain number.
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
            charity_id = by_text.get(values[org])
            if charity_id is None:
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
        amounts_of = itemgetter(*(position for _, position in detail_at))
        prefixes = [f'"{name}": "' for name, _ in detail_at]

        def build(values):
            found = key(values)
            if found is None:
                return None
            # Usually every amount given is plain: write the JSON text directly.
            amounts = amounts_of(values)
            given = list(filter(None, amounts))
            if not given:
                return (*found, v.integer_fast(values[employees]), "{}")
            if v.are_plain_amounts("\t".join(given)):
                detail = '", '.join(map(add, compress(prefixes, amounts), given))
                return (*found, v.integer_fast(values[employees]), "{" + detail + '"}')
            detail = {}
            for name, position in detail_at:
                amount = v.money_text(values[position])
                if amount is not None:
                    detail[name] = amount
            return (*found, v.integer_fast(values[employees]), _json(detail))

        return build

    return [
        (table, make, STAGES[table][0], (*KEY, *STAGES[table][1]))
        for table, make in (
            ("charity_annual_return_history", history),
            ("charity_annual_return_parta", part_a),
            ("charity_annual_return_partb", part_b),
        )
    ]


def ccew_years_stage() -> None:
    """Create the three (temporary) staging tables, empty."""
    for stage, columns in STAGES.values():
        staging_table_create(
            name=stage,
            columns=[("seq", _seq_type()), *((c, _column_type(c)) for c in (*KEY, *columns))],
            primary_key="seq" if connection.vendor == "sqlite" else "",
        )


def ccew_years_merge() -> int:
    """Merge the staged years into FinancialYear (the latest five per charity); drop the stages.

    Returns the number of years stored.
    """
    for stage, columns in STAGES.values():
        _duplicates_fold(stage, columns)
    history, part_a, part_b = (stage for stage, _ in STAGES.values())
    # After folding, each table has at most one row per year: the rows of the three are
    # stacked, each (table, column) in a column of its own, and grouped by year, where
    # MAX() of a column is that one row's value (NULL when the table has no such year).
    wide = [(stage, c) for stage, columns in STAGES.values() for c in ("period_start", *columns)]

    def branch(stage: str) -> str:
        parts = ["charity_id", "period_end"]
        for source, column in wide:
            if source != stage:
                value = _null(column)
            elif column == "suppressed":
                value = "CAST(suppressed AS INTEGER)"  # no MAX() of a boolean on PostgreSQL
            else:
                value = column
            parts.append(f"{value} AS {source}_{column}")
        return f"SELECT {', '.join(parts)} FROM {stage}"  # noqa: S608 - our own names

    def given(*sources: str, column: str) -> str:
        values = [f"MAX({source}_{column})" for source in sources]
        return values[0] if len(values) == 1 else f"COALESCE({', '.join(values)})"

    detail = f"COALESCE(MAX({part_b}_detail), '{{}}')"
    merged = {
        "period_start": given(history, part_a, part_b, column="period_start"),
        "income": given(history, part_a, column="income"),
        "expenditure": given(history, part_a, column="expenditure"),
        "suppressed": f"CAST(COALESCE(MAX({history}_suppressed), 0) AS BOOLEAN)",
        "return_due": given(history, part_a, column="return_due"),
        "return_received": given(history, part_a, column="return_received"),
        "accounts_received": given(history, column="accounts_received"),
        "volunteers": given(part_a, column="volunteers"),
        "income_government_contracts": given(part_a, column="income_government_contracts"),
        "income_government_grants": given(part_a, column="income_government_grants"),
        "employees": given(part_b, column="employees"),
        "detail": f"CAST({detail} AS jsonb)" if connection.vendor == "postgresql" else detail,
    }
    names = ", ".join(merged)
    stacked = " UNION ALL ".join(branch(stage) for stage, _ in STAGES.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (charity_id, period_end, {names}) "  # noqa: S608 - our names
            f"SELECT charity_id, period_end, {names} FROM ("
            "SELECT charity_id, period_end, "
            + ", ".join(f"{expression} AS {name}" for name, expression in merged.items())
            + ", ROW_NUMBER() OVER (PARTITION BY charity_id ORDER BY period_end DESC) AS recent"
            f" FROM ({stacked}) AS staged GROUP BY charity_id, period_end"
            f") AS years WHERE recent <= {YEARS_KEPT} ORDER BY charity_id, period_end"
        )
        stored = cursor.rowcount
    for stage, _ in STAGES.values():
        staging_table_drop(name=stage)
    return stored


def _duplicates_fold(stage: str, columns: dict[str, str]) -> None:
    """Make a year given in several rows of one table one row, as upserting them would."""
    names = ["seq", *KEY, *columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {stage} GROUP BY charity_id, period_end HAVING COUNT(*) > 1"  # noqa: S608
        )
        if cursor.fetchone() is None:
            return
        cursor.execute(
            f"SELECT {', '.join(names)} FROM ("  # noqa: S608 - our own names
            f"SELECT {', '.join(names)}, "
            f"COUNT(*) OVER (PARTITION BY charity_id, period_end) AS copies FROM {stage}"
            ") AS counted WHERE copies > 1 ORDER BY charity_id, period_end, seq"
        )
        rows = cursor.fetchall()
    if not rows:
        return
    rules = [FIRST, *columns.values()]  # period start, then the table's columns
    folded: dict[tuple, list] = {}
    for row in rows:
        key = (row[1], row[3])
        values = list(row[2:3]) + list(row[4:])
        kept = folded.get(key)
        if kept is None:
            folded[key] = values
            continue
        for position, rule in enumerate(rules):
            if rule == LAST or kept[position] is None:
                kept[position] = values[position]
    with connection.cursor() as cursor:
        seqs = [row[0] for row in rows]
        for start in range(0, len(seqs), 10_000):
            batch = seqs[start : start + 10_000]
            cursor.execute(
                f"DELETE FROM {stage} WHERE seq IN ({', '.join(['%s'] * len(batch))})",  # noqa: S608
                batch,
            )
        inserted = ", ".join([*KEY, *columns])
        cursor.executemany(
            f"INSERT INTO {stage} ({inserted}) "  # noqa: S608 - our own names
            f"VALUES ({', '.join(['%s'] * (len(KEY) + len(columns)))})",
            [(key[0], values[0], key[1], *values[1:]) for key, values in folded.items()],
        )


def _seq_type() -> str:
    return "integer" if connection.vendor == "sqlite" else "bigserial"


def _column_type(column: str) -> str:
    """No type on SQLite (values stay as given); the model field's type on PostgreSQL."""
    if connection.vendor == "sqlite":
        return ""
    if column == "detail":
        return "text"  # MAX() of jsonb does not exist: cast to jsonb when merged
    return FinancialYear._meta.get_field(column).db_type(connection)


def _null(column: str) -> str:
    if connection.vendor == "sqlite":
        return "NULL"
    if column == "suppressed":
        return "CAST(NULL AS integer)"
    return f"CAST(NULL AS {_column_type(column)})"
