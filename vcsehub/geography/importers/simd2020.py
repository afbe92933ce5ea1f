"""Scottish Index of Multiple Deprivation 2020 by data zone (2011) (columns `dz11_code`, `<Domain>_decile`, `<Domain>_rank`; tied ranks such as 4563.5 kept as decimals in the domains)."""

from __future__ import annotations

from vcsehub.geography.importers.deprivation_tables import DomainTableImporter
from vcsehub.geography.models import DeprivationIndex


class Simd2020Importer(DomainTableImporter):
    source_id = "simd2020"
    index = DeprivationIndex.SIMD2020
    code_column = "dz11_code"
    code_prefixes = ("S01",)
    expected = "the SIMD 2020 data zone table (dz11_code, IMD_rank, IMD_decile)"
