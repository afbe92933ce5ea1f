"""Scottish Index of Multiple Deprivation 2020 by data zone (2011) (columns `dz11_code`, `<Domain>_decile`, `<Domain>_rank`; tied ranks such as 4563.5 kept as decimals in the domains)."""

from __future__ import annotations

from vcsehub.geography.importers._csv import open_tables
from vcsehub.geography.importers.deprivation_tables import read_domain_table
from vcsehub.geography.importers.records import write_deprivation
from vcsehub.geography.models import Deprivation, DeprivationIndex
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

EXPECTED = "the SIMD 2020 data zone table (dz11_code, IMD_rank, IMD_decile)"


class Simd2020Importer(Importer):
    source_id = "simd2020"

    def current_row_count(self) -> int:
        return Deprivation.objects.filter(source_id=self.source_id).count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        records: dict[str, dict] = {}
        for fetched in files:
            with open_tables(fetched) as tables:
                for table in tables:
                    read, rejected = read_domain_table(
                        table,
                        code_column="dz11_code",
                        code_prefixes=("S01",),
                        records=records,
                        expected=EXPECTED,
                    )
                    run.rows_read += read
                    run.rows_rejected += rejected
        return write_deprivation(
            index=DeprivationIndex.SIMD2020, records=records, source_id=self.source_id
        )
