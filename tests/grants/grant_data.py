"""Real grants with real geography (for placing, pages, API).

The geography the postcode lookup needs (area codes, LSOA lookup, IoD2019/2025, Census
2021 population, NSPL TF/HR, Birmingham's derived postcodes) is loaded once for the whole
tests/grants package by the `grants_geography` fixture (conftest.py): loading it is the
slow part, above all on PostgreSQL. `load_grants_world` then imports four funders' real
files for one test module. The data is committed so every test of the module sees it;
the grants are removed at the end of the module, the geography at the end of the package,
so other modules and packages start from empty tables.
"""

from __future__ import annotations

from pathlib import Path

from tests.geography.conftest import POSTCODE_SOURCES, clear_geography, load_sources
from vcsehub.grants.models import (
    Dataset,
    Funder,
    Grant,
    GrantLocation,
    GrantPurpose,
    Publisher,
    StandardDocument,
    ValidationIssue,
)
from vcsehub.grants.services import grant_file_import, standard_import
from vcsehub.sources.models import ImportRun

CC_BY = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LLOYDS = "GB-CHC-327114"
POWER_TO_CHANGE = "GB-CHC-1159982"
AB_TRUST = "GB-CHC-1000147"
LLOYDS_WELBY = "GB-CHC-1015648"  # Andrew Lloyd Webber Foundation
FILES = {
    "lloyds": ("grantnav-test-data/a002400000OiDBQAA3.json", LLOYDS),
    "power-to-change": ("grantnav-test-data/a002400000nO46WAAS.json", POWER_TO_CHANGE),
    "ab-trust": ("dataquality-tools-data/a001p00000zgyHZAAY.json", AB_TRUST),
    "alw": ("dataquality-tools-data/a003W000001B7PzQAK.json", LLOYDS_WELBY),
}


def clear_grants() -> None:
    GrantPurpose.objects.all().delete()
    GrantLocation.objects.all().delete()
    ValidationIssue.objects.all().delete()
    Grant.objects.all().delete()
    Dataset.objects.all().delete()
    Funder.objects.all().delete()
    Publisher.objects.all().delete()
    StandardDocument.objects.all().delete()


def load_geography(data_dir: Path) -> None:
    clear_geography()
    load_sources(POSTCODE_SOURCES, data_dir)


def load_grants_world(data_dir: Path, *, files=tuple(FILES)) -> None:
    """The funders' files (the geography must be loaded already: grants_geography)."""
    clear_grants()
    run = standard_import(data_dir=data_dir)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    for name in files:
        relative, _funder = FILES[name]
        run = grant_file_import(
            location=data_dir / "360giving-grants" / relative, dataset=name, licence=CC_BY
        )
        assert run.status == ImportRun.Status.SUCCEEDED, run.error


def clear_world() -> None:
    clear_grants()
    clear_geography()
