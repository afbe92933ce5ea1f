"""Welsh Index of Multiple Deprivation 2019 by Welsh LSOA (2011) (columns `lsoa11_code`, `<Domain>_decile`, `<Domain>_rank`, `<Domain>_score`)."""

from __future__ import annotations

from vcsehub.geography.importers._csv import open_tables
from vcsehub.geography.importers.deprivation_tables import read_domain_table
from vcsehub.geography.importers.records import write_deprivation
from vcsehub.geography.models import Deprivation, DeprivationIndex
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

EXPECTED = "the WIMD 2019 LSOA table (lsoa11_code, IMD_rank, IMD_decile)"


class Wimd2019Importer(Importer):
    source_id = "wimd2019"

    def current_row_count(self) -> int:
        return Deprivation.objects.filter(source_id=self.source_id).count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        records: dict[str, dict] = {}
        for fetched in files:
            with open_tables(fetched) as tables:
                for table in tables:
                    read, rejected = read_domain_table(
                        table,
                        code_column="lsoa11_code",
                        code_prefixes=("W01",),
                        records=records,
                        expected=EXPECTED,
                    )
                    run.rows_read += read
                    run.rows_rejected += rejected
        return write_deprivation(
            index=DeprivationIndex.WIMD2019, records=records, source_id=self.source_id
        )
