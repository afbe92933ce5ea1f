"""Writes to the charity tables: fast bulk loading, the search index, links, placing on the map.

The importers call these inside their one transaction, so a failed import leaves
everything (rows, search index, links) as it was.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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

BATCH_ROWS = 20_000
# SQLite page cache while a register loads: 96 MiB, so most of the indexes being filled stay in
# memory. Given back when the load ends.
BULK_CACHE_KIB = 96 * 1024


def rows_bulk_insert(
    *,
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    batch_rows: int = BATCH_ROWS,
    suffix: str = "",
    table: str | None = None,
) -> int:
    """INSERT many rows; no model instances, no per-row queries.

    `fields` are model field names (attnames for foreign keys, e.g. "charity_id"); each row
    gives their values in that order. JSON fields take Python lists/dicts. Fields not given
    take their model default ("" for text, None if nullable), as bulk_create would.
    `suffix` is added to the INSERT, e.g. an ON CONFLICT clause (written the same on SQLite
    and PostgreSQL). `table` loads a staging table with the model's columns instead.
    """
    columns, prepare = bulk_layout(model=model, fields=fields)
    return table_rows_insert(
        table=table or model._meta.db_table,
        columns=columns,
        rows=prepare(rows),
        batch_rows=batch_rows,
        suffix=suffix,
    )


class JsonText(str):
    """Text already encoded as JSON (exactly as json.dumps would): stored as it is."""


def bulk_layout(
    *, model: type[models.Model], fields: Sequence[str]
) -> tuple[list[str], Callable[[Iterable[Sequence]], Iterator[Sequence]]]:
    """The columns rows_bulk_insert writes for `fields`, and what it does to each row first.

    The second is a function taking rows of `fields` values and giving rows ready for the
    columns: JSON fields encoded, the other columns' defaults added. It is pure, so another
    process can run it (see importers/parallel.py).
    """
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    defaults = [
        field for field in meta.concrete_fields if field not in given and not field.primary_key
    ]
    json_positions = [
        position for position, field in enumerate(given) if isinstance(field, models.JSONField)
    ]
    dumps = json.JSONEncoder(default=str).encode
    # Defaults as plain values (JSON as its text), so prepared rows can be pickled.
    extra = tuple(
        dumps(field.get_default())
        if isinstance(field, models.JSONField)
        else field.get_db_prep_save(field.get_default(), connection)
        for field in defaults
    )

    def encoded(value) -> str:
        if value.__class__ is JsonText:
            return value
        if value.__class__ is list and not value:
            return "[]"
        return dumps(value)

    def prepare(rows: Iterable[Sequence]) -> Iterator[Sequence]:
        if not json_positions and not extra:
            yield from rows
            return
        for row in rows:
            if json_positions:
                row = list(row)
                for position in json_positions:
                    row[position] = encoded(row[position])
            yield (*row, *extra) if extra else row

    return [field.column for field in [*given, *defaults]], prepare


def table_rows_insert(
    *,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    batch_rows: int = BATCH_ROWS,
    suffix: str = "",
) -> int:
    """Write rows of plain values into a table, the fastest way the database offers.

    SQLite: the DB-API cursor's executemany in batches. PostgreSQL: COPY (psycopg 3), or
    executemany when there is a `suffix` (COPY cannot resolve conflicts).
    """
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(c) for c in columns)
    total = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not suffix:
            # A batch is gathered before each COPY: making the rows may itself query the
            # database, which cannot happen while a COPY is under way.
            sql = f"COPY {quote(table)} ({column_list}) FROM STDIN"
            for batch in _batched(rows, batch_rows):
                with cursor.cursor.copy(sql) as copy:
                    for row in batch:
                        copy.write_row(row)
                total += len(batch)
            return total
        sql = (
            f"INSERT INTO {quote(table)} ({column_list}) "  # noqa: S608 - names from our models
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        ) + suffix
        batch: list[Sequence] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_rows:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def _batched(rows: Iterable[Sequence], size: int) -> Iterator[list[Sequence]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


Column = tuple[str, "models.Field | str"]


def staging_table_create(*, name: str, columns: Sequence[Column], primary_key: str = "") -> None:
    """A temporary table for one import (gone at the end of the connection, or dropped).

    Each column is (name, a model field whose type it takes, or an SQL type). Created
    inside the import's transaction, so a failed import leaves nothing behind.
    """
    parts = [
        f"{column} {kind if isinstance(kind, str) else kind.db_type(connection)}"
        for column, kind in columns
    ]
    if primary_key:
        parts.append(f"PRIMARY KEY ({primary_key})")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({', '.join(parts)})")


def staging_table_drop(*, name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


@contextmanager
def bulk_load_session() -> Iterator[None]:
    """Settings for loading a large register (SQLite: a bigger page cache), then back."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


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
        if connection.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM charities_charity_tsv WHERE id IN "  # noqa: S608 - table names are ours
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
    """Copy one register's names into the full-text table: SQLite's FTS5 table, or
    PostgreSQL's narrow tsvector table (migrations 0002 and 0005)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM charities_charity_tsv WHERE id IN "
                "(SELECT id FROM charities_charity WHERE register = %s)",
                [register],
            )
            cursor.execute(
                "INSERT INTO charities_charity_tsv (id, search_vector) "
                "SELECT id, to_tsvector('simple'::regconfig, search_text) FROM charities_charity "
                "WHERE register = %s",
                [register],
            )
            # Move new entries out of the GIN index's pending list (which every search
            # would otherwise read through), and give the planner fresh counts.
            cursor.execute("SELECT gin_clean_pending_list('charities_charity_tsv_vector')")
            cursor.execute("ANALYZE charities_charity_tsv")
        return
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
    from vcsehub.charities.profile import area_profile_cache_clear

    area_profile_cache_clear()  # the places changed in place: counts kept in memory are old
    placed = Charity.objects.exclude(lad_code="")
    return (placed.filter(register=register) if register else placed).count()


def json_money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def json_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
