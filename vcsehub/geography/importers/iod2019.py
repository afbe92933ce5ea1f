"""English Indices of Deprivation 2019: Files 1, 2, 6 and 7, and the ODC IMD score file.

Every file given is recognised by its columns; together they fill one Deprivation row
per LSOA (2011) with index `imd2019` (rank, decile, score, domains) and one Population
row per LSOA with edition `mid2015` (the IoD2019 denominators, from File 6 or File 7).
"""

from __future__ import annotations

from vcsehub.geography.importers import iod2019_odc_score, iod_official
from vcsehub.geography.importers._csv import open_tables, wrong_layout
from vcsehub.geography.importers.records import write_deprivation, write_population
from vcsehub.geography.models import Deprivation, DeprivationIndex, Population
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun


class IodImporter(Importer):
    index: str
    vintage: int

    def current_row_count(self) -> int:
        return Deprivation.objects.filter(source_id=self.source_id).count()

    def read_other(self, table, deprivation: dict) -> tuple[int, int] | None:
        """Layouts other than the official gov.uk files; None when not recognised."""
        return None

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        deprivation: dict[str, dict] = {}
        population: dict[str, dict] = {}
        editions: dict[str, str] = {}
        self.progress.start(f"Reading {self.source.title}")
        for fetched in files:
            with open_tables(fetched) as tables:
                for table in tables:
                    if iod_official.is_official(table):
                        read, rejected = iod_official.read(
                            table,
                            vintage=self.vintage,
                            deprivation=deprivation,
                            population=population,
                            populations=editions,
                        )
                    else:
                        counts = self.read_other(table, deprivation)
                        if counts is None:
                            raise wrong_layout(table.name, ["LSOA code"], iod_official.EXPECTED)
                        read, rejected = counts
                    run.rows_read += read
                    run.rows_rejected += rejected
                    self.log(f"{table.name}: {read:,} rows")
        incomplete = sum(
            1 for r in deprivation.values() if r["rank"] is None or r["decile"] is None
        )
        run.rows_rejected += incomplete
        if incomplete:
            self.log(f"{incomplete:,} areas had no IMD rank or decile and were not loaded")
        loaded = 0
        if deprivation:
            loaded = write_deprivation(
                index=self.index,
                records=deprivation,
                source_id=self.source_id,
                progress=self.progress,
            )
        for edition in editions:
            rows = {code: r for code, r in population.items() if r["edition"] == edition}
            count = write_population(edition=edition, records=rows, source_id=self.source_id)
            self.log(f"population {edition}: {count:,} areas")
        if not deprivation and population:
            # A denominators-only file (File 6 alone): the population rows are the import.
            loaded = Population.objects.filter(source_id=self.source_id).count()
        return loaded


class Iod2019Importer(IodImporter):
    source_id = "iod2019"
    index = DeprivationIndex.IMD2019
    vintage = 2011

    def read_other(self, table, deprivation):
        if iod2019_odc_score.matches(table):
            return iod2019_odc_score.read(table, deprivation=deprivation)
        return None
