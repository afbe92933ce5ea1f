"""Deprivation and population importers on the real files, and the File 7 layout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from vcsehub.geography.importers.census2021_population import Census2021PopulationImporter
from vcsehub.geography.importers.iod2019 import Iod2019Importer
from vcsehub.geography.importers.iod2025 import Iod2025Importer
from vcsehub.geography.importers.simd2020 import Simd2020Importer
from vcsehub.geography.importers.wimd2019 import Wimd2019Importer
from vcsehub.geography.models import Deprivation, Population
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "geography"
OK = ImportRun.Status.SUCCEEDED


def test_iod2019_files_1_2_6_and_score(shared_data_dir):
    run = Iod2019Importer(data_dir=shared_data_dir).run()
    assert run.status == OK, run.error
    assert run.rows_loaded == 32_844 and run.rows_read == 4 * 32_844
    row = Deprivation.objects.get(index="imd2019", area_code="E01000001")
    # File 1 has the rank as "29,199" in a BOM + CRLF file.
    assert (row.rank, row.decile, row.score) == (29199, 9, Decimal("6.208"))
    assert row.domains["income"] == {"rank": 32831, "decile": 10}
    assert row.domains["housing_and_services"] == {"rank": 7319, "decile": 3}
    assert set(row.domains) == {
        "income",
        "employment",
        "education",
        "health",
        "crime",
        "housing_and_services",
        "environment",
    }
    assert Deprivation.objects.filter(index="imd2019").values("rank").distinct().count() == 32_818
    population = Population.objects.get(edition="mid2015", area_code="E01000001")
    assert population.total == 1296
    assert population.by_age == {"0-15": 175, "16-59": 656, "60+": 465}
    total = sum(Population.objects.filter(edition="mid2015").values_list("total", flat=True))
    assert total == 54_728_204


def test_file_7_layout(db):
    run = Iod2019Importer(locations=[FIXTURES / "iod2019_file7_layout.csv"]).run()
    assert run.status == OK, run.error
    row = Deprivation.objects.get(index="imd2019", area_code="E01000002")
    assert (row.rank, row.decile, row.score) == (30379, 10, Decimal("5.143"))
    assert row.domains == {
        "income": {"rank": 29901, "decile": 10},
        "employment": {"rank": 31190, "decile": 10},
    }
    assert Population.objects.get(edition="mid2015", area_code="E01000002").total == 1156


def test_iod2025_file_is_refused_as_iod2019(shared_data_dir, tmp_path):
    wrong = tmp_path / "File_7_IoD2025.csv"
    wrong.write_text(
        (FIXTURES / "iod2019_file7_layout.csv")
        .read_text()
        .replace("LSOA code (2011)", "LSOA code (2021)")
    )
    run = Iod2019Importer(locations=[wrong]).run()
    assert run.status == ImportRun.Status.FAILED
    assert "2021 small areas" in run.error and "iod2025" in run.error


def test_wrong_file_for_iod_is_refused_and_data_kept(shared_data_dir):
    Iod2019Importer(data_dir=shared_data_dir).run()
    census = (
        shared_data_dir
        / "population-census2021-lsoa"
        / "census2021_usual_residents_lsoa21_by_age6.csv"
    )
    run = Iod2019Importer(locations=[census]).run()
    assert run.status == ImportRun.Status.FAILED
    assert "does not look like an official English Indices of Deprivation CSV" in run.error
    assert Deprivation.objects.filter(index="imd2019").count() == 32_844


def test_iod2025(shared_data_dir):
    run = Iod2025Importer(data_dir=shared_data_dir).run()
    assert run.status == OK, run.error
    assert run.rows_loaded == 33_755
    row = Deprivation.objects.get(index="imd2025", area_code="E01000001")
    assert (row.rank, row.decile, row.score) == (26525, 8, Decimal("8.742"))
    assert row.domains["housing_and_services"] == {"rank": 29220, "decile": 9, "score": 10.95}
    assert row.domains["income"]["score"] == 0.013


def test_wimd_and_simd_are_separate_indices(shared_data_dir):
    assert Wimd2019Importer(data_dir=shared_data_dir).run().status == OK
    assert Simd2020Importer(data_dir=shared_data_dir).run().status == OK
    assert Deprivation.objects.filter(index="wimd2019").count() == 1_909
    assert Deprivation.objects.filter(index="simd2020").count() == 6_976
    welsh = Deprivation.objects.get(index="wimd2019", area_code="W01000446")
    assert (welsh.rank, welsh.decile) == (1578, 9)
    scottish = Deprivation.objects.get(index="simd2020", area_code="S01006506")
    assert (scottish.rank, scottish.decile, scottish.score) == (4691, 7, None)
    assert scottish.domains["income"]["rank"] == 3936.0


def test_census_2021_population(shared_data_dir):
    run = Census2021PopulationImporter(data_dir=shared_data_dir).run()
    assert run.status == OK, run.error
    assert run.rows_loaded == 35_672
    total = sum(Population.objects.filter(edition="census2021").values_list("total", flat=True))
    assert total == 59_597_114
    row = Population.objects.get(edition="census2021", area_code="E01000001")
    assert row.total == 125 + 110 + 291 + 336 + 245 + 370
    assert set(row.by_age) == {"0-15", "16-24", "25-34", "35-49", "50-64", "65+"}
