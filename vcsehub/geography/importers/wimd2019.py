"""Welsh Index of Multiple Deprivation 2019 by Welsh LSOA (2011) (columns `lsoa11_code`, `<Domain>_decile`, `<Domain>_rank`, `<Domain>_score`)."""

from __future__ import annotations

from vcsehub.geography.importers.deprivation_tables import DomainTableImporter
from vcsehub.geography.models import DeprivationIndex


class Wimd2019Importer(DomainTableImporter):
    source_id = "wimd2019"
    index = DeprivationIndex.WIMD2019
    code_column = "lsoa11_code"
    code_prefixes = ("W01",)
    expected = "the WIMD 2019 LSOA table (lsoa11_code, IMD_rank, IMD_decile)"
