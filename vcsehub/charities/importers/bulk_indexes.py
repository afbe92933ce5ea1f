"""SQLite: build a loaded table's secondary indexes once at the end, instead of row by row.

Inserting millions of rows into a table with several indexes updates every index for every
row, each at a scattered place. Dropping the plain secondary indexes first and creating
them again after the load sorts each index's keys once, which costs a fraction of that.

Everything happens inside the importer's transaction, in a savepoint of its own: if the
load fails, rolling back brings the indexes back exactly as they were, and readers (WAL)
see the old tables and indexes until the import commits. The indexes are re-created from
the SQL SQLite keeps for them, so any index a migration adds is handled the same way.
Unique constraints (SQLite's own autoindexes) stay: the load relies on them.

PostgreSQL is left alone: DROP INDEX there would lock the tables against searches for the
whole import.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def indexes_built_after(tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes of `tables`, run the body, then create them again."""
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after() must run inside the import's transaction")
    marks = ", ".join(["%s"] * len(tables))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "  # noqa: S608
                f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
                list(tables),
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        yield
        with connection.cursor() as cursor:
            for _, sql in indexes:
                cursor.execute(sql)
