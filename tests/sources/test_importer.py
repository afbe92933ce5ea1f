"""All-or-nothing imports: a failed, refused or interrupted run leaves the previous data in place."""

from __future__ import annotations

import hashlib

import pytest

from tests.sources.conftest import FIXTURES
from tests.sources.testapp.importers import InjectedFailure
from tests.sources.testapp.models import Widget
from vcsehub.sources.errors import DataError
from vcsehub.sources.models import ImportRun

FOUR = FIXTURES / "widgets_4.csv"
ONE = FIXTURES / "widgets_1.csv"
NONE = FIXTURES / "widgets_header_only.csv"


def widgets() -> list[tuple[str, str, int]]:
    return list(Widget.objects.order_by("id").values_list("name", "town", "amount"))


FOUR_WIDGETS = [(f"Widget {i}", f"Town {i}", i * 10) for i in range(1, 5)]


@pytest.mark.django_db
def test_a_successful_import_records_its_run(widget_importer):
    run = widget_importer(locations=[FOUR]).run()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (4, 4, 0)
    assert run.sha256 == hashlib.sha256(FOUR.read_bytes()).hexdigest()
    assert run.files == [
        {"name": "widgets_4.csv", "bytes": FOUR.stat().st_size, "sha256": run.sha256}
    ]
    assert run.finished_at is not None and run.error == ""
    assert "loaded 4 rows (before: 0)" in run.log
    assert widgets() == FOUR_WIDGETS


@pytest.mark.django_db(transaction=True)
def test_a_fault_part_way_leaves_the_previous_rows(widget_importer, monkeypatch):
    widget_importer(locations=[FOUR]).run()
    monkeypatch.setattr(widget_importer, "fail_after", 3)  # rows 1-2 are already written by then
    with pytest.raises(InjectedFailure):
        widget_importer(locations=[ONE, FOUR]).run()
    assert widgets() == FOUR_WIDGETS
    run = ImportRun.objects.latest("id")
    assert run.status == ImportRun.Status.FAILED
    assert run.rows_loaded == 0
    assert "fault in VCSE Hub, not in your file" in run.error
    assert "InjectedFailure: injected failure after 3 rows" in run.log


@pytest.mark.django_db
def test_a_problem_in_the_file_part_way_fails_the_run_without_raising(widget_importer, monkeypatch):
    widget_importer(locations=[FOUR]).run()
    monkeypatch.setattr(widget_importer, "fail_after", 2)
    monkeypatch.setattr(widget_importer, "fail_with", DataError)
    run = widget_importer(locations=[FOUR]).run()
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "injected failure after 2 rows"
    assert widgets() == FOUR_WIDGETS


@pytest.mark.django_db
def test_a_ragged_file_fails_with_where_and_why(widget_importer):
    widget_importer(locations=[FOUR]).run()
    run = widget_importer(locations=[FIXTURES / "ragged_rows.csv"]).run()
    assert run.status == ImportRun.Status.FAILED
    assert (
        "Row 3 has 2 values, but the header row has 3 columns (file ragged_rows.csv, row 3)"
        in run.error
    )
    assert widgets() == FOUR_WIDGETS


@pytest.mark.django_db
def test_zero_rows_are_refused(widget_importer):
    widget_importer(locations=[FOUR]).run()
    run = widget_importer(locations=[NONE]).run()
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith(
        "The file held no rows that could be loaded, so nothing was changed"
    )
    assert widgets() == FOUR_WIDGETS


@pytest.mark.django_db
def test_a_big_shrink_is_refused_unless_allowed(widget_importer):
    widget_importer(locations=[FOUR]).run()
    refused = widget_importer(locations=[ONE]).run()
    assert refused.status == ImportRun.Status.FAILED
    assert "would cut the data from 4 rows to 1" in refused.error
    assert "--allow-shrink" in refused.error
    assert widgets() == FOUR_WIDGETS
    allowed = widget_importer(locations=[ONE], allow_shrink=True).run()
    assert allowed.status == ImportRun.Status.SUCCEEDED
    assert widgets() == [("Widget 1", "Town 1", 10)]


@pytest.mark.django_db
def test_a_run_left_running_is_marked_interrupted(widget_importer):
    killed = ImportRun.objects.create(source_id="test-widgets", locations=[str(FOUR)])
    other = ImportRun.objects.create(source_id="another-source")
    run = widget_importer(locations=[FOUR]).run()
    assert run.status == ImportRun.Status.SUCCEEDED
    killed.refresh_from_db()
    other.refresh_from_db()
    assert killed.status == ImportRun.Status.FAILED
    assert killed.error.startswith("Interrupted")
    assert killed.finished_at is not None
    assert other.status == ImportRun.Status.RUNNING  # other sources are left alone


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_mid_load_keeps_the_data_and_propagates(widget_importer, monkeypatch):
    widget_importer(locations=[FOUR]).run()
    monkeypatch.setattr(widget_importer, "fail_after", 3)
    monkeypatch.setattr(widget_importer, "fail_with", KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        widget_importer(locations=[FOUR]).run()
    assert widgets() == FOUR_WIDGETS
    run = ImportRun.objects.latest("id")
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("Interrupted: the import was stopped before it finished")


@pytest.mark.django_db
def test_a_missing_file_fails_the_run(widget_importer, tmp_path):
    run = widget_importer(locations=[tmp_path / "gone.csv"]).run()
    assert run.status == ImportRun.Status.FAILED
    assert "does not exist" in run.error


@pytest.mark.django_db
def test_import_from_a_url(widget_importer, data_server):
    run = widget_importer(locations=[data_server.url("_fixtures/sources/widgets_4.csv")]).run()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.sha256 == hashlib.sha256(FOUR.read_bytes()).hexdigest()
    assert widgets() == FOUR_WIDGETS


@pytest.mark.django_db
def test_a_404_fails_the_run(widget_importer, data_server):
    widget_importer(locations=[FOUR]).run()
    run = widget_importer(locations=[data_server.url("_test/404")]).run()
    assert run.status == ImportRun.Status.FAILED
    assert "(HTTP 404)" in run.error
    assert widgets() == FOUR_WIDGETS


@pytest.mark.django_db
def test_data_dir_uses_the_local_paths(widget_importer):
    run = widget_importer(data_dir=FIXTURES).run()
    assert run.locations == [str(FOUR)]
    assert run.status == ImportRun.Status.SUCCEEDED
