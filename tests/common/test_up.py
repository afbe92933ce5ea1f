"""`vcsehub up --no-serve`: migrations, first administrator, imports, static files; twice."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from vcsehub.geography.models import Area, AreaType
from vcsehub.sources import registry
from vcsehub.sources.errors import DataError
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun
from vcsehub.sources.registry import OGL, OGL_ATTRIBUTION, OGL_URL, Source

pytestmark = pytest.mark.django_db

AREAS_ID = "test-up-areas"
BROKEN_ID = "test-up-broken"
ABSENT_ID = "test-up-absent"


class TestAreasImporter(Importer):
    """Reads code,name rows from a small CSV into geography.Area (local authorities)."""

    __test__ = False
    source_id = AREAS_ID

    def current_row_count(self) -> int:
        return Area.objects.filter(source_id=self.source_id).count()

    def load(self, files, run) -> int:
        with open(files[0].path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        run.rows_read = len(rows)
        areas = (
            Area(type=AreaType.LAD, code=row["code"], name=row["name"], source_id=self.source_id)
            for row in rows
        )
        return self.replace_rows(
            Area, areas, existing=Area.objects.filter(source_id=self.source_id)
        )


class TestBrokenImporter(TestAreasImporter):
    __test__ = False
    source_id = BROKEN_ID

    def load(self, files, run) -> int:
        raise DataError(
            "The column 'code' is missing", fix="Add a 'code' column.", file=files[0].name
        )


class TestAbsentImporter(TestAreasImporter):
    __test__ = False
    source_id = ABSENT_ID


def _source(source_id: str, importer: type, pattern: str, order: int) -> Source:
    return Source(
        id=source_id,
        title=f"Test source {source_id}",
        publisher="The test suite",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(OGL_ATTRIBUTION,),
        urls=("https://example.invalid/never-fetched.csv",),
        format="CSV",
        importer=f"{__name__}.{importer.__name__}",
        local_paths=(pattern,),
        order=order,
    )


@pytest.fixture
def only_sources():
    """Replace the registry with the given test sources for one test, then put it back."""
    saved = dict(registry._REGISTRY)

    def use(*sources: Source) -> None:
        registry._REGISTRY.clear()
        for source in sources:
            registry.register(source)

    yield use
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data" / "areas"
    folder.mkdir(parents=True)
    (folder / "areas.csv").write_text(
        "code,name\nE08000025,Birmingham\nE08000026,Coventry\nE08000029,Solihull\n",
        encoding="utf-8",
    )
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.FIRST_ADMIN_EMAIL = ""
    settings.FIRST_ADMIN_PASSWORD = ""
    return settings.STATIC_ROOT


def up(**options) -> str:
    out = io.StringIO()
    call_command("up", no_serve=True, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_up_twice_imports_once_then_says_there_is_nothing_to_do(only_sources, data_dir):
    only_sources(_source(AREAS_ID, TestAreasImporter, "areas/*.csv", 10))

    first = up(data_dir=str(data_dir))
    assert "Database: up to date." in first
    assert "Open data: importing 1 source from" in first
    assert f"  {AREAS_ID}: succeeded, 3 rows in " in first
    assert "Static files: collected." in first
    assert Area.objects.filter(source_id=AREAS_ID).count() == 3
    assert ImportRun.objects.get(source_id=AREAS_ID).status == ImportRun.Status.SUCCEEDED

    second = up(data_dir=str(data_dir))
    assert "Open data: every source is already imported; nothing to import." in second
    assert "succeeded" not in second
    assert "Static files: up to date." in second
    assert ImportRun.objects.filter(source_id=AREAS_ID).count() == 1


def test_failed_sources_are_reported_with_how_to_retry_and_do_not_stop_the_rest(
    only_sources, data_dir
):
    only_sources(
        _source(BROKEN_ID, TestBrokenImporter, "areas/*.csv", 1),
        _source(ABSENT_ID, TestAbsentImporter, "not-there/*.csv", 2),
        _source(AREAS_ID, TestAreasImporter, "areas/*.csv", 3),
    )
    output = up(data_dir=str(data_dir))
    lines = [line for line in output.splitlines() if line.startswith("  ")]
    assert [line.split(":")[0].strip() for line in lines] == [BROKEN_ID, ABSENT_ID, AREAS_ID]
    assert "The column 'code' is missing" in lines[0]
    assert f"Retry with `vcsehub import {BROKEN_ID}`." in lines[0]
    assert "nothing matches 'not-there/*.csv'" in lines[1]
    assert f"Retry with `vcsehub import {ABSENT_ID}`." in lines[1]
    assert "succeeded, 3 rows" in lines[2]
    assert "Ready in" in output
    # A failed source is tried again next time; the loaded one is not.
    again = up(data_dir=str(data_dir))
    assert "importing 2 sources" in again
    assert f"  {AREAS_ID}:" not in again


def test_skip_imports_imports_nothing(only_sources, data_dir):
    only_sources(_source(AREAS_ID, TestAreasImporter, "areas/*.csv", 10))
    runs_before = ImportRun.objects.count()
    output = up(data_dir=str(data_dir), skip_imports=True)
    assert "Open data: skipped (--skip-imports)" in output
    assert ImportRun.objects.count() == runs_before
    assert not ImportRun.objects.filter(source_id=AREAS_ID).exists()


def test_sources_that_are_not_automatic_are_left_alone(only_sources, data_dir):
    manual = _source(AREAS_ID, TestAreasImporter, "areas/*.csv", 10)
    only_sources(Source(**{**manual.__dict__, "auto_import": False}))
    assert "nothing to import" in up(data_dir=str(data_dir))


def test_first_administrator_is_created_from_settings_once(
    settings, django_user_model, only_sources
):
    only_sources()
    assert "there is none yet" in up()
    assert "`vcsehub createsuperuser`" in up()

    settings.FIRST_ADMIN_EMAIL = "Admin@Example.org"
    settings.FIRST_ADMIN_PASSWORD = "correct horse battery staple 7"
    assert "Administrator: created admin@example.org." in up()
    admin = django_user_model.objects.get()
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("correct horse battery staple 7")
    assert "Administrator: already set up (1 administrator)." in up()
    assert django_user_model.objects.count() == 1


def test_weak_or_half_given_admin_details_create_nobody(settings, django_user_model, only_sources):
    only_sources()
    settings.FIRST_ADMIN_EMAIL = "admin@example.org"
    settings.FIRST_ADMIN_PASSWORD = "password"
    assert "VCSEHUB_ADMIN_PASSWORD is too weak" in up()
    settings.FIRST_ADMIN_PASSWORD = ""
    assert "not created because VCSEHUB_ADMIN_PASSWORD is empty" in up()
    assert not django_user_model.objects.exists()


def test_a_source_without_an_official_file_is_imported_only_from_a_data_folder(
    only_sources, data_dir, settings
):
    settings.DATA_DIR = None
    local_only = Source(
        **{**_source(AREAS_ID, TestAreasImporter, "areas/*.csv", 10).__dict__, "urls": ()}
    )
    only_sources(local_only)

    without_folder = up()
    assert f"Open data: {AREAS_ID} has no official file address to download" in without_folder
    assert f"`vcsehub import {AREAS_ID} --source PATH`" in without_folder
    assert not ImportRun.objects.filter(source_id=AREAS_ID).exists()

    with_folder = up(data_dir=str(data_dir))
    assert f"  {AREAS_ID}: succeeded, 3 rows in " in with_folder
