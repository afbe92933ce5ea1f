"""Fast bulk loading of plain tuples: the hot path of the geography importers.

`insert(model, columns, rows)` writes an iterable of tuples into the model's table inside
the caller's transaction. On SQLite it uses the DB-API cursor's `executemany` in large
batches; on PostgreSQL it uses COPY through psycopg 3 (`cursor.copy()`). Both go through
Django's connection, so they take part in the importer's all-or-nothing transaction.
JSON fields must be given as JSON text (`json.dumps`). No model objects are built.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, connection, models

from vcsehub.sources.errors import DataError
from vcsehub.sources.progress import Progress

BATCH_ROWS = 20_000


def insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple],
    *,
    progress: Progress | None = None,
    what: str = "rows",
) -> int:
    """Insert `rows` (tuples in the order of `columns`, model field names). Returns rows written."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = [connection.ops.quote_name(model._meta.get_field(c).column) for c in columns]
    rows = iter(rows)
    try:
        if connection.vendor == "postgresql":
            return _copy(table, names, rows, progress)
        return _executemany(table, names, rows, progress)
    except IntegrityError as error:
        raise DataError(
            f"The file lists the same {what} more than once ({error})",
            fix="Check the file has not been joined with another copy of itself.",
        ) from None


def _executemany(table: str, names: list[str], rows, progress: Progress | None) -> int:
    # Table and column names come from the model's meta, quoted; values are parameters.
    placeholders = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})"  # noqa: S608
    written = 0
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, BATCH_ROWS)):
            cursor.executemany(sql, batch)
            written += len(batch)
            if progress is not None:
                progress.advance(len(batch))
    return written


def _copy(table: str, names: list[str], rows, progress: Progress | None) -> int:
    sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(sql) as copy:
            write = copy.write_row
            while batch := list(itertools.islice(rows, BATCH_ROWS)):
                for row in batch:
                    write(row)
                written += len(batch)
                if progress is not None:
                    progress.advance(len(batch))
    return written


def analyze(model: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load.

    Without it, a table filled by COPY in the same transaction still looks empty to the
    planner, which then scans all 2.7 million postcodes for every lookup instead of
    using the index. SQLite needs nothing here.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def settle(model: type[models.Model]) -> None:
    """VACUUM a PostgreSQL table after a bulk load has been committed.

    The first read of each page written by a bulk load also writes the page again, to
    record that its rows' transaction committed (hint bits): right after importing 2.7
    million postcodes, the first lookups spent most of their time doing that. VACUUM does
    it for every page at once, marks the pages all-visible and clears the rows the import
    replaced, as autovacuum would later. It cannot run inside a transaction, so this does
    nothing there (the import's own transaction, or a test's) and on SQLite.
    """
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def delete_source(model: type[models.Model], source_id: str) -> int:
    """Delete every row of `model` loaded from `source_id` (one DELETE statement)."""
    deleted, _ = model.objects.filter(source_id=source_id).delete()
    return deleted
