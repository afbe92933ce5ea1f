"""The rows checked on upload are stored as they were shown, unless anything changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.impact.conftest import FIXTURES
from vcsehub.impact import services
from vcsehub.impact.held import SUFFIX
from vcsehub.impact.models import Record

pytestmark = pytest.mark.django_db


def _upload(cast, name, **kwargs):
    return services.upload_create(
        organisation=cast.organisation,
        user=cast.owner,
        source=FIXTURES / name,
        name=name,
        **({"dataset_name": "Food bank visits"} | kwargs),
    )


def test_saving_stores_the_rows_checked_without_reading_the_file_again(
    impact_geography, cast, django_capture_on_commit_callbacks
):
    upload = _upload(cast, "food_bank_visits.csv")
    kept = Path(upload.held_path + SUFFIX)
    assert kept.is_file()
    # Spoil the rows of the held file (its first lines, for the column sample, stay): a
    # second reading would find other rows.
    lines = Path(upload.held_path).read_bytes().splitlines(keepends=True)
    Path(upload.held_path).write_bytes(b"".join(lines[:8]))
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.upload_confirm(upload=upload, user=cast.owner)
    assert Record.objects.filter(dataset=upload.dataset).count() == 68
    assert not kept.exists()


def test_a_change_since_the_check_means_reading_and_checking_again(impact_geography, cast):
    first = _upload(cast, "food_bank_visits.csv")
    dataset = services.upload_confirm(upload=first, user=cast.owner).dataset
    # Checked while the dataset was empty of April 2026's rows, then an earlier file
    # that overlaps it is saved first: the kept rows are stale.
    april = _upload(cast, "food_bank_visits_april_2026.csv", dataset=dataset, dataset_name="")
    assert april.rows_stored == 5
    other = _upload(cast, "food_bank_visits_april_2026.csv", dataset=dataset, dataset_name="")
    services.upload_confirm(upload=other, user=cast.owner)
    april = services.upload_confirm(upload=april, user=cast.owner)
    assert (april.rows_stored, april.rows_duplicate) == (0, 10)
    assert Record.objects.filter(dataset=dataset).count() == 73


def test_a_kept_file_not_signed_by_this_server_is_not_loaded(impact_geography, cast):
    upload = _upload(cast, "food_bank_visits.csv")
    kept = Path(upload.held_path + SUFFIX)
    kept.write_bytes(b"\0" * 32 + kept.read_bytes()[32:])
    upload = services.upload_confirm(upload=upload, user=cast.owner)
    assert upload.rows_stored == 68


def test_discarding_deletes_the_kept_rows(impact_geography, cast):
    upload = _upload(cast, "food_bank_visits.csv")
    kept = Path(upload.held_path + SUFFIX)
    services.upload_discard(upload=upload)
    assert not kept.exists() and not Path(upload.held_path or "x").exists()


def _checked(upload):
    from vcsehub.impact import held

    scale = (
        (upload.outcome_scale_min, upload.outcome_scale_max)
        if upload.outcome_scale_min is not None
        else None
    )
    return held.checked_kept(upload, scale)


def test_checking_a_few_rows_at_a_time_gives_the_same_report_and_rows(
    impact_geography, cast, monkeypatch
):
    # An upload is prepared and counted in batches, its raw rows let go as it goes: the
    # batches must not change what is found or stored (dates, repeats, first cells).
    whole = _checked(_upload(cast, "food_bank_visits.csv"))
    monkeypatch.setattr(services, "CHECK_BATCH", 7)
    batched = _checked(_upload(cast, "food_bank_visits.csv", dataset_name="Visits again"))
    assert batched.report == whole.report
    assert batched.lines == whole.lines
    assert (batched.rows_read, batched.rows_excluded, batched.rows_duplicate) == (
        whole.rows_read,
        whole.rows_excluded,
        whole.rows_duplicate,
    )
    assert (batched.period_start, batched.period_end) == (whole.period_start, whole.period_end)
    assert len(whole.lines) == 68
