"""The dashboard is ready when an upload is saved, its kept figures are shared by every
process (they are in the database), and they go stale when anything they show changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.impact.conftest import FIXTURES
from tests.impact.dashboard_data import make_small_dataset
from tests.organisations.people import make_cast
from vcsehub.impact import services
from vcsehub.impact.dashboard import (
    KnownRows,
    Period,
    cache,
    dashboard_figures,
    dashboard_figures_uncached,
)
from vcsehub.impact.models import DashboardFigures, Dataset, Record
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


def people(dataset) -> int:
    return dashboard_figures(dataset)["figures"]["reach"]["people"]["value"]


def test_saving_an_upload_works_the_dashboard_out(client, cast, django_assert_max_num_queries):
    upload = services.upload_create(
        organisation=cast.organisation,
        user=cast.owner,
        source=FIXTURES / "utf8_bom.csv",
        name="utf8_bom.csv",
        dataset_name="Visits",
    )
    client.force_login(cast.owner)
    page = client.post(
        reverse("impact:upload_confirm", args=[cast.organisation.slug, upload.pk]), follow=True
    )
    dataset = Dataset.objects.get(name="Visits")
    assert DashboardFigures.objects.filter(dataset=dataset).count() == 1
    # The dataset page links to the dashboard and the report.
    html = page.content.decode()
    for name in ("dashboard", "report", "report_pdf"):
        assert reverse(f"impact:{name}", args=[cast.organisation.slug, dataset.pk]) in html
    # The figures are read back, not worked out again: no record is read.
    dataset = Dataset.objects.get()
    with django_assert_max_num_queries(2):
        figures = dashboard_figures(dataset)
    assert figures["dataset"]["id"] == dataset.pk


def test_a_page_in_another_process_finds_the_kept_figures(cast):
    dataset = make_small_dataset(cast.organisation)
    first = dashboard_figures(dataset)
    kept = DashboardFigures.objects.get(dataset=dataset)
    assert kept.key == cache.figures_key(
        cache.data_state(dataset), period=Period(), edition="imd2025"
    )
    # What a second process reads is the same JSON, key order and all.
    assert list(cache.figures_get(dataset, kept.key)) == list(first)
    assert cache.figures_get(dataset, kept.key) == first


@pytest.mark.parametrize(
    "change",
    ["rename", "mapping", "scale", "organisation", "minimum", "import", "upload", "record"],
)
def test_the_kept_figures_go_stale_when_anything_they_show_changes(cast, settings, change):
    dataset = make_small_dataset(cast.organisation)
    state = cache.data_state(dataset)
    dashboard_figures(dataset)
    if change == "rename":
        Dataset.objects.filter(pk=dataset.pk).update(name="Renamed")
    elif change == "mapping":
        Dataset.objects.filter(pk=dataset.pk).update(mapping={"Date": "contact_date"})
    elif change == "scale":
        Dataset.objects.filter(pk=dataset.pk).update(outcome_scale_max=Decimal(20))
    elif change == "organisation":
        cast.organisation.name = "Another name"
        cast.organisation.save()
    elif change == "minimum":
        settings.MIN_DISPLAY_COUNT = 10
    elif change == "import":
        ImportRun.objects.create(source_id="iod2025")
    elif change == "upload":
        upload = dataset.uploads.get()
        upload.pk = None
        upload.save()
    elif change == "record":
        record = dataset.records.first()
        record.pk, record.fingerprint = None, "e" * 64
        record.save()
    assert cache.data_state(dataset) != state
    figures = dashboard_figures(dataset)
    # Only the figures of the new state are kept.
    assert list(DashboardFigures.objects.values_list("state", flat=True)) == [
        cache.data_state(dataset)
    ]
    if change == "rename":
        assert figures["dataset"]["name"] == "Renamed"
    if change == "minimum":
        assert figures["min_display_count"] == 10


def test_kept_figures_are_deleted_with_the_dataset(cast):
    dataset = make_small_dataset(cast.organisation)
    dashboard_figures(dataset)
    dashboard_figures(dataset, edition="imd2019")
    assert DashboardFigures.objects.count() == 2
    services.dataset_delete(dataset=dataset)
    assert DashboardFigures.objects.count() == 0


def _upload_and_save(cast, path, name="Visits"):
    upload = services.upload_create(
        organisation=cast.organisation,
        user=cast.owner,
        source=path,
        name=path.name,
        dataset_name=name,
    )
    return services.upload_confirm(upload=upload, user=cast.owner).dataset


def test_figures_worked_out_on_saving_are_those_of_the_records_read_back(cast):
    # The save works the figures out from the record lines it has just written. (Without
    # the geography fixture: loaded this early, a later module's geography would replace
    # it; test_food_bank checks the saved figures with areas against its hand count.)
    dataset = _upload_and_save(cast, FIXTURES / "food_bank_visits.csv")
    kept = dashboard_figures(dataset)
    assert DashboardFigures.objects.filter(dataset=dataset).count() == 1
    assert kept == dashboard_figures_uncached(dataset)


def test_a_person_is_as_their_last_row_of_the_same_day_says_when_worked_out_on_saving(
    cast, tmp_path
):
    # Six people, each with two rows on one day: the second row (stored later) is the
    # most recent, so each person counts as its gender.
    lines = ["Date,Client ID,Gender"]
    for n in range(6):
        lines += [f"0{n + 1}/04/2025,C{n},Female", f"0{n + 1}/04/2025,C{n},Male"]
    path = tmp_path / "same_day.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset = _upload_and_save(cast, path)
    kept = dashboard_figures(dataset)
    genders = next(t for t in kept["figures"]["who"]["tables"] if t["field"] == "gender")
    assert {row["label"]: row["count"]["value"] for row in genders["rows"]}["Male"] == 6
    assert kept == dashboard_figures_uncached(dataset)


def test_rows_that_are_no_longer_all_the_records_are_not_used(cast):
    dataset = make_small_dataset(cast.organisation)
    newest = Record.objects.filter(dataset=dataset).order_by("-id").first()
    # Rows said to end one record before the dataset's newest: the records are read.
    stale = KnownRows(rows=[], last_id=newest.pk - 1)
    assert dashboard_figures(dataset, known=stale)["figures"]["reach"]["people"]["value"] == 30
