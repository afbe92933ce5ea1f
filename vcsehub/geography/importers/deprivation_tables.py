"""Reading the "one row per small area, rank/decile/score per domain" tables.

Used by the IoD2025 converted file, WIMD 2019 and SIMD 2020 (columns `<Domain>_decile`,
`<Domain>_rank`, `<Domain>_score`, with `IMD_` for the overall index). `DomainTableImporter`
is the whole importer of a national index published as one such table (WIMD 2019,
SIMD 2020): a subclass only names its source, index, code column and code prefixes.
"""

from __future__ import annotations

import re
from typing import ClassVar

from vcsehub.geography.importers._csv import CsvTable, DataError, open_tables, to_float, to_int
from vcsehub.geography.importers.records import domain_key, write_deprivation
from vcsehub.geography.models import Deprivation, DeprivationIndex
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

SUFFIX = re.compile(r"^(?P<domain>.+)_(?P<measure>decile|rank|score)$", re.I)


def read_domain_table(
    table: CsvTable,
    *,
    code_column: str,
    code_prefixes: tuple[str, ...],
    records: dict,
    expected: str,
) -> tuple[int, int]:
    """Fill records (code → {rank, decile, score, domains}); return (rows read, rows rejected)."""
    found = table.require(
        {
            code_column: (code_column.lower(),),
            "IMD_rank": ("imd_rank",),
            "IMD_decile": ("imd_decile",),
        },
        expected=expected,
    )
    i_code = found[code_column]
    measures: list[tuple[int, str, str]] = []
    for i, name in enumerate(table.header):
        match = SUFFIX.match(name.strip())
        if match:
            measures.append(
                (i, domain_key(match["domain"].replace("_", " ")), match["measure"].lower())
            )
    read = rejected = 0
    for line, row in enumerate(table.rows, start=2):
        read += 1
        code = row[i_code].strip()
        if not code.startswith(code_prefixes):
            rejected += 1
            continue
        record = {"rank": None, "decile": None, "score": None, "domains": {}}
        for i, key, measure in measures:
            text = row[i]
            try:
                value = to_float(text) if measure == "score" or "." in text else to_int(text)
            except ValueError:
                raise DataError(
                    f"{text!r} is not a number",
                    fix="Check the file has not been edited.",
                    file=table.name,
                    row=line,
                    column=table.header[i],
                ) from None
            if key == "imd":
                if measure == "rank" and value is not None:
                    value = int(value)
                record[measure] = value
            else:
                record["domains"].setdefault(key, {})[measure] = value
        records[code] = record
    return read, rejected


class DomainTableImporter(Importer):
    """Loads one national index from its domain table, replacing this source's rows."""

    index: ClassVar[DeprivationIndex]
    code_column: ClassVar[str]
    code_prefixes: ClassVar[tuple[str, ...]]
    expected: ClassVar[str]

    def current_row_count(self) -> int:
        return Deprivation.objects.filter(source_id=self.source_id).count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        records: dict[str, dict] = {}
        for fetched in files:
            with open_tables(fetched) as tables:
                for table in tables:
                    read, rejected = read_domain_table(
                        table,
                        code_column=self.code_column,
                        code_prefixes=self.code_prefixes,
                        records=records,
                        expected=self.expected,
                    )
                    run.rows_read += read
                    run.rows_rejected += rejected
        return write_deprivation(index=self.index, records=records, source_id=self.source_id)
