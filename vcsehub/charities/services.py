"""Writes to the charity tables: fast bulk loading, the search index, links, placing on the map.

The importers call these inside their one transaction, so a failed import leaves
everything (rows, search index, links) as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db import connection, models

from vcsehub.charities.models import (
    AreaOfOperation,
    Charity,
    Classification,
    FinancialYear,
    LinkedCharity,
    OrgIdLink,
)

BATCH_ROWS = 5000


def rows_bulk_insert(
    *,
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    batch_rows: int = BATCH_ROWS,
    suffix: str = "",
) -> int:
    """INSERT many rows with executemany, in batches; no model instances, no per-row queries.

    `fields` are model field names (attnames for foreign keys, e.g. "charity_id"); each row
    gives their values in that order. JSON fields take Python lists/dicts. `suffix` is added
    to the INSERT, e.g. an ON CONFLICT clause (written the same on SQLite and PostgreSQL).
    """
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    # Fields not given take their model default ("" for text, None if nullable), as bulk_create would.
    defaults = [
        field for field in meta.concrete_fields if field not in given and not field.primary_key
    ]
    extra = tuple(field.get_db_prep_save(field.get_default(), connection) for field in defaults)
    columns, json_positions = [], []
    for position, field in enumerate([*given, *defaults]):
        columns.append(field.column)
        if isinstance(field, models.JSONField) and position < len(given):
            json_positions.append(position)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    ) + suffix
    total = 0
    batch: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            if json_positions:
                row = list(row)
                for position in json_positions:
                    row[position] = json.dumps(row[position], default=str)
            batch.append((*row, *extra) if extra else row)
            if len(batch) >= batch_rows:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def register_rows_delete(*, register: str) -> None:
    """Delete one register's charities and everything hanging off them (raw, set-based)."""
    charity_table = Charity._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"DELETE FROM charities_charity_fts WHERE rowid IN "  # noqa: S608 - table names are ours
                f"(SELECT id FROM {charity_table} WHERE register = %s)",
                [register],
            )
        for child in (FinancialYear, Classification, AreaOfOperation, LinkedCharity):
            cursor.execute(
                f"DELETE FROM {child._meta.db_table} WHERE charity_id IN "  # noqa: S608
                f"(SELECT id FROM {charity_table} WHERE register = %s)",
                [register],
            )
        cursor.execute(f"DELETE FROM {charity_table} WHERE register = %s", [register])  # noqa: S608


def charity_search_index_refresh(*, register: str) -> None:
    """Copy one register's names into the SQLite FTS5 table (PostgreSQL indexes by itself)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM charities_charity_fts WHERE rowid IN "
            "(SELECT id FROM charities_charity WHERE register = %s)",
            [register],
        )
        cursor.execute(
            "INSERT INTO charities_charity_fts (rowid, search_text) "
            "SELECT id, search_text FROM charities_charity WHERE register = %s",
            [register],
        )


def charity_ids_by(*, register: str, key: str) -> dict:
    """{key value: charity id} for one register, e.g. key="organisation_number"."""
    return dict(
        Charity.objects.filter(register=register).values_list(key, "id").iterator(chunk_size=20000)
    )


def org_id_links_replace(
    *, source_id: str, run_id: int, links: Iterable[tuple[str, str, str]]
) -> int:
    """Replace the links a source made with `links` [(org_id_a, org_id_b, reason)]."""
    OrgIdLink.objects.filter(source_id=source_id).delete()
    seen: set[tuple[str, str]] = set()

    def unique():
        for a, b, reason in links:
            if a and b and a != b and (a, b) not in seen:
                seen.add((a, b))
                yield (a, b, reason, source_id, run_id)

    return rows_bulk_insert(
        model=OrgIdLink,
        fields=("org_id_a", "org_id_b", "reason", "source_id", "import_run_id"),
        rows=unique(),
    )


def company_links(*, register: str) -> Iterable[tuple[str, str, str]]:
    """(charity org-id, GB-COH org-id, reason) for each charity of a register with a company number."""
    for org_id, company in (
        Charity.objects.filter(register=register)
        .exclude(company_number="")
        .values_list("org_id", "company_number")
        .iterator(chunk_size=20000)
    ):
        yield org_id, f"GB-COH-{company}", "same company number (the register gives it)"


PLACE_COLUMNS = ("lsoa21", "ward_code", "lad_code", "region_code", "country_code")


def organisation_place_all(*, register: str | None = None) -> int:
    """Set each charity's small area, ward, local authority, region and country from its postcode.

    One set-based UPDATE over the postcode table the geography importers load. Where
    several sources describe a postcode, a record that gives a local authority wins, then
    the source ids in order. Charities whose postcode is not found get blank codes and are
    counted as "not placed" wherever figures use them. Returns how many were placed.
    """
    from vcsehub.geography.models import Postcode

    postcode_table = Postcode._meta.db_table
    charity_table = Charity._meta.db_table
    pick = (
        f"(SELECT p.{{column}} FROM {postcode_table} p WHERE p.postcode = {charity_table}.postcode "  # noqa: S608
        "ORDER BY CASE WHEN p.lad_code = '' THEN 1 ELSE 0 END, p.source_id LIMIT 1)"
    )
    assignments = ", ".join(
        f"{column} = COALESCE({pick.format(column=column)}, '')" for column in PLACE_COLUMNS
    )
    where, params = "", []
    if register:
        where, params = " WHERE register = %s", [register]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {charity_table} SET {assignments}{where}", params)  # noqa: S608
    placed = Charity.objects.exclude(lad_code="")
    return (placed.filter(register=register) if register else placed).count()


def json_money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def json_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
