"""English Indices of Deprivation 2025 (LSOA 2021): the official File 7 CSV, or the
converted all-domains table (`lsoa21_code`, `IMD_decile`, ..., `Environment_score`)."""

from __future__ import annotations

from vcsehub.geography.importers.deprivation_tables import read_domain_table
from vcsehub.geography.importers.iod2019 import IodImporter
from vcsehub.geography.models import DeprivationIndex

EXPECTED = "the IoD2025 LSOA table (official File 7, or lsoa21_code with IMD_rank and IMD_decile)"


class Iod2025Importer(IodImporter):
    source_id = "iod2025"
    index = DeprivationIndex.IMD2025
    vintage = 2021

    def read_other(self, table, deprivation):
        if table.column("lsoa21_code") is None:
            return None
        return read_domain_table(
            table,
            code_column="lsoa21_code",
            code_prefixes=("E01",),
            records=deprivation,
            expected=EXPECTED,
        )
