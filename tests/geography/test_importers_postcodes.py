"""Postcode directory importers: real NSPL/ONSPD files, and files that must be refused."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from vcsehub.geography.importers.postcode_directory import (
    DerivedPostcodesImporter,
    NsplImporter,
    OnspdImporter,
)
from vcsehub.geography.models import Postcode
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "geography"
FIELDS = [f.name for f in Postcode._meta.fields if f.name != "id"]


def nspl_files(shared_data_dir):
    return sorted((shared_data_dir / "postcodes-nspl-nov2021-tf-hr").glob("NSPL_NOV_2021_UK_*.csv"))


def test_nspl_tf_and_hr(shared_data_dir):
    run = NsplImporter(data_dir=shared_data_dir).run()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.rows_loaded == run.rows_read == 9_342 + 7_986
    rows = Postcode.objects.filter(source_id="nspl")
    assert rows.filter(postcode__startswith="TF").count() == 9_342
    assert rows.filter(terminated="").count() == 7_081 + 6_466
    assert rows.filter(latitude__isnull=True).count() == 7 + 2
    assert rows.filter(easting__isnull=True).count() == 7 + 2
    assert rows.filter(lsoa11__startswith="E01").count() == 9_335 + 7_712
    assert rows.filter(lsoa11__startswith="W01").count() == 272
    for field in ("lsoa11", "ward_code", "lad_code", "region_code", "country_code"):
        assert not rows.filter(**{f"{field}__endswith": "99999999"}).exists(), field
    first = rows.get(postcode="TF1 1AA")
    assert (first.lsoa11, first.lad_code, first.ward_code, first.ward_year) == (
        "E01014145",
        "E06000020",
        "E05009978",
        2021,
    )
    assert (first.latitude, first.longitude, first.easting, first.northing) == (
        52.699797,
        -2.519838,
        364968,
        311472,
    )
    assert first.imd_rank_in_file == 7383 and first.lsoa21 == ""


def test_reimport_gives_the_same_rows(shared_data_dir):
    NsplImporter(data_dir=shared_data_dir).run()
    before = sorted(Postcode.objects.values_list(*FIELDS))
    run = NsplImporter(data_dir=shared_data_dir).run()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert sorted(Postcode.objects.values_list(*FIELDS)) == before


@pytest.mark.django_db(transaction=True)
def test_postgresql_vacuums_the_table_once_the_import_has_committed(shared_data_dir):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no VACUUM to run after a bulk load")
    run = NsplImporter(data_dir=shared_data_dir).run()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = %s",
            [Postcode._meta.db_table],
        )
        pages, all_visible = cursor.fetchone()
    # ANALYZE alone leaves relallvisible at 0: only VACUUM marks pages all-visible.
    assert pages > 0 and all_visible == pages


@pytest.mark.parametrize(
    ("fixture", "words"),
    [
        ("nspl_wrong_layout.csv", "does not look like an ONS postcode directory"),
        ("nspl_cut_mid_row.csv", "ends part-way through"),
    ],
)
def test_bad_files_are_refused_and_previous_data_kept(shared_data_dir, fixture, words):
    NsplImporter(data_dir=shared_data_dir).run()
    run = NsplImporter(locations=[FIXTURES / fixture]).run()
    assert run.status == ImportRun.Status.FAILED
    assert words in run.error
    assert fixture in run.error
    assert Postcode.objects.filter(source_id="nspl").count() == 17_328


def test_wrong_layout_names_the_missing_columns(db):
    run = NsplImporter(locations=[FIXTURES / "nspl_wrong_layout.csv"]).run()
    assert "no column for the postcode (pcds or pcd)" in run.error
    assert "laua" in run.error


def test_zip_cut_off_is_refused(shared_data_dir, tmp_path):
    NsplImporter(data_dir=shared_data_dir).run()
    archive = tmp_path / "NSPL_NOV_2021_UK.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(nspl_files(shared_data_dir)[1], "Data/NSPL_NOV_2021_UK.csv")
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # damage the compressed stream
    archive.write_bytes(bytes(data))
    run = NsplImporter(locations=[archive]).run()
    assert run.status == ImportRun.Status.FAILED
    assert "damaged" in run.error or "ends part-way" in run.error
    assert Postcode.objects.filter(source_id="nspl").count() == 17_328


def test_official_zip_reads_the_national_file_only(shared_data_dir, tmp_path):
    tf, hr = nspl_files(shared_data_dir)[1], nspl_files(shared_data_dir)[0]
    archive = tmp_path / "NSPL_NOV_2021_UK.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(tf, "Data/NSPL_NOV_2021_UK.csv")
        z.write(tf, "Data/multi_csv/NSPL_NOV_2021_UK_TF.csv")
        z.write(hr, "Documents/LA_UA names and codes UK as at 04_21.csv")
    run = NsplImporter(locations=[archive]).run()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.rows_loaded == 9_342


def test_2025_column_names(db):
    run = OnspdImporter(locations=[FIXTURES / "onspd_2025_column_names.csv"]).run()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    live = Postcode.objects.get(postcode="TF1 1AA")
    assert (live.lsoa11, live.lsoa21, live.ward_code, live.ward_year) == (
        "E01014145",
        "E01014145",
        "E05015208",
        2025,
    )
    assert live.imd_rank_in_file == 7383 and live.easting == 364968
    gone = Postcode.objects.get(postcode="TF1 1AB")
    assert gone.terminated == "199912"
    assert gone.lad_code == "" and gone.ward_code == "" and gone.ward_year == 0
    assert gone.latitude is None and gone.easting is None


def test_onspd_extract_with_lad_and_grid_only(shared_data_dir):
    path = (
        shared_data_dir / "postcodes-onspd-nov2025-wm-areas" / "onspd_nov2025_WV_pcd_lad25_grid.csv"
    )
    run = OnspdImporter(locations=[path]).run()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.rows_loaded == 14_512
    rows = Postcode.objects.filter(source_id="onspd")
    assert rows.filter(lad_code="").count() == 188
    assert rows.filter(lad_code="E08000031", country_code="E92000001").exists()
    assert rows.get(postcode="WV1 1AA").easting is not None
    assert not rows.filter(latitude__isnull=False).exists()


def test_derived_file_is_its_own_source(shared_data_dir):
    path = (
        shared_data_dir
        / "postcodes-derived-lsoa-wmca"
        / "derived_pcd_lsoa_ward_E08000029_solihull.csv"
    )
    refused = NsplImporter(locations=[path]).run()
    assert refused.status == ImportRun.Status.FAILED
    assert "derived postcode file" in refused.error
    run = DerivedPostcodesImporter(locations=[path]).run()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.rows_loaded == 6_611
    row = Postcode.objects.get(source_id="postcodes-derived-lsoa-wmca", postcode="B90 1AA")
    assert row.lad_code == "E08000029" and row.ward_year == 2025 and row.latitude is not None


def test_official_file_is_not_accepted_as_derived(shared_data_dir):
    run = DerivedPostcodesImporter(locations=[nspl_files(shared_data_dir)[1]]).run()
    assert run.status == ImportRun.Status.FAILED
    assert "derived VCSE Hub postcode" in run.error


def test_duplicate_postcodes_are_refused(shared_data_dir, tmp_path):
    twice = tmp_path / "twice.csv"
    shutil.copy(nspl_files(shared_data_dir)[1], twice)
    run = NsplImporter(locations=[twice, nspl_files(shared_data_dir)[1]]).run()
    assert run.status == ImportRun.Status.FAILED
    assert "same postcode more than once" in run.error
