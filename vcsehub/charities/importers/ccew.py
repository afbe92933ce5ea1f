"""Charity Commission for England and Wales: the 13-table register extract, as one import run.

One `Charity` per main charity (linked_charity_number 0), with its linked charities,
other names, classifications, areas of operation, up to five financial years (annual
return history + Part A + Part B), policies, other regulators, published reports and the
number of trustees. Trustees' names are never stored: the trustee table is only counted.

Each table is read once, in three steps:
1. the small facts kept per charity (other names, policies, …) are read into memory;
2. the charity table gives the main charities and, through a staging table, their
   linked charities;
3. the tables that hang off a charity (classifications, areas, financial years).
In steps 2 and 3 a second process reads and builds the rows while this one writes them
(importers/parallel.py), when the files are big enough for that to pay and a core is free.
On SQLite the secondary indexes of the loaded tables are built once after the load
(importers/bulk_indexes.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import ClassVar

from vcsehub.charities.importers.base import RegisterImporter
from vcsehub.charities.importers.bulk_indexes import indexes_built_after
from vcsehub.charities.importers.ccew_aux import ccew_aux_read
from vcsehub.charities.importers.ccew_charity import ccew_charities_load
from vcsehub.charities.importers.ccew_children import ccew_children_load
from vcsehub.charities.importers.ccew_files import CcewTable, ccew_table_open
from vcsehub.charities.importers.ccew_read import Make, Tally, ccew_built
from vcsehub.charities.importers.parallel import fork_available, spare_core
from vcsehub.charities.models import (
    AreaOfOperation,
    Charity,
    Classification,
    FinancialYear,
    LinkedCharity,
    Register,
)
from vcsehub.charities.services import bulk_load_session, charity_ids_by, register_rows_delete
from vcsehub.charities.sources import CCEW_TABLES
from vcsehub.sources.errors import DataError
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.models import ImportRun

LOADED_TABLES = [
    model._meta.db_table
    for model in (Charity, LinkedCharity, FinancialYear, Classification, AreaOfOperation)
]


class CcewImporter(RegisterImporter):
    source_id = "ccew"
    register = Register.CCEW
    # Read in a second process when the zipped files add up to at least this much and a
    # processor core is free for it (None: never; 0: always). Forking costs a few
    # milliseconds, so small files are quicker here; and when every core is already busy,
    # two processes handing rows to each other take longer than one doing it all.
    parallel_min_bytes: ClassVar[int | None] = 20_000_000

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        tables = self._tables(files)
        self.table_counts: dict[str, int] = {}
        self._rejected: dict[str, int] = {}
        self._run = run
        self.data_date: date | None = None
        size = sum(fetched.size for fetched in files)
        self.parallel = (
            self.parallel_min_bytes is not None
            and fork_available()
            and (self.parallel_min_bytes == 0 or (size >= self.parallel_min_bytes and spare_core()))
        )

        with bulk_load_session():
            aux = ccew_aux_read(importer=self, tables=tables)
            with indexes_built_after(LOADED_TABLES):
                register_rows_delete(register=self.register)
                linked = ccew_charities_load(importer=self, table=tables["charity"], aux=aux)
                del aux
                ids = charity_ids_by(register=self.register, key="organisation_number")
                loaded = len(ids)
                ccew_children_load(importer=self, tables=tables, ids=ids)
                del ids
                run.data_date = self.data_date
                for table in CCEW_TABLES:
                    self.log(f"{table}: {self.table_counts[table]:,} rows read")
                self.log(f"{loaded:,} charities, {linked:,} linked charities")
                self.log(f"read in {'two processes' if self.parallel else 'one process'}")
                self.finish(run)  # placing charities updates their rows: before the indexes
        return loaded

    # -- files -------------------------------------------------------------------------

    def _tables(self, files: list[FetchedFile]) -> dict[str, CcewTable]:
        tables: dict[str, CcewTable] = {}
        for fetched in files:
            table = ccew_table_open(fetched.path, name=fetched.name)
            if table.table in tables:
                raise DataError(
                    f"The {table.table} table was given twice",
                    fix="Give each of the 13 publicextract files once.",
                    file=fetched.name,
                )
            tables[table.table] = table
        missing = [t for t in CCEW_TABLES if t not in tables]
        if missing:
            raise DataError(
                f"{len(missing)} of the 13 register extract tables are missing: {', '.join(missing)}",
                fix="Download all 13 publicextract.<table>.zip files and import them together.",
            )
        return tables

    # -- reading, and what reading found ----------------------------------------------------

    def rows(self, table: CcewTable, make: Make, *, fields_used: int = 0) -> Iterator:
        """What the builder keeps of each row, one by one (read in this process)."""
        tally = Tally(table.table, table.name)
        for items in ccew_built(table, make, tally=tally, fields_used=fields_used):
            yield from items
        self.account(tally)

    def account(self, tally: Tally) -> None:
        """Log the rows a table left out, count what it read; fail if too many were bad."""
        run = self._run
        for number, problem in tally.first:
            self.reject(run, file=tally.name, row=number, reason=problem, counts=self._rejected)
        unlogged = tally.rejected - len(tally.first)
        if unlogged:
            run.rows_rejected += unlogged
            self._rejected[tally.name] = self._rejected.get(tally.name, 0) + unlogged
        run.rows_read += tally.read
        self.table_counts[tally.table] = tally.read
        example = f"row {tally.first[0][0]} {tally.first[0][1]}" if tally.first else ""
        self.check_rejections(
            file=tally.name, read=tally.read, rejected=tally.rejected, example=example
        )

    def consume(self, messages: Iterable[tuple], writers: dict) -> None:
        """Act on what a reader sends: ("rows", writer, rows), ("tally", Tally), ("data_date", d)."""
        for kind, *payload in messages:
            if kind == "rows":
                writer, rows = payload
                writers[writer](rows)
            elif kind == "tally":
                self.account(payload[0])
            elif kind == "data_date" and self.data_date is None:
                self.data_date = payload[0]
