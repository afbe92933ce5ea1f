"""No count of fewer than the minimum can be worked out from the dashboard figures by
subtracting shown counts that describe the same population (tests/impact/disclosure_check.py
lists those relations), on the hand-made dataset and on many made-up datasets of every
size (the food bank file: tests/impact/test_food_bank.py)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from tests.impact.dashboard_data import area, make_dataset, make_small_dataset, record
from tests.impact.disclosure_check import problems, relations
from tests.organisations.people import make_cast
from vcsehub.impact.dashboard import dashboard_figures, dashboard_figures_uncached
from vcsehub.impact.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


def test_the_hand_made_dataset_gives_nothing_away(cast):
    figures = dashboard_figures(make_small_dataset(cast.organisation))
    assert problems(figures) == []
    # The gender table: 30 people, 4 with no gender. The 26 with one is hidden, so the 4
    # cannot be had as 30 − 26 (the old dashboard showed 26 beside "fewer than 5").
    gender = figures["figures"]["who"]["tables"][0]
    assert figures["figures"]["repeat_use"]["total"]["count"]["value"] == 30
    assert gender["n"]["display"] == "not shown"
    assert gender["missing"][0]["count"]["display"] == "fewer than 5"


def test_the_check_finds_the_old_leak(cast):
    """The check itself can fail: put back what the old dashboard showed (the 26)."""
    figures = dashboard_figures(make_small_dataset(cast.organisation))
    gender = figures["figures"]["who"]["tables"][0]
    gender["n"] = {"value": 26, "display": "26", "suppressed": None}
    gender["rows"][1]["count"] = {"value": 9, "display": "9", "suppressed": None}
    found = problems(figures)
    assert found == ["Gender coverage: the one hidden count is 30 minus the rest"]


def random_dataset(organisation, rng: random.Random, people: int):
    """People in three wards of two local authorities (one ward in both; and an invalid postcode group),
    with genders, scores, dates and repeat visits drawn at random, a few rows with no
    person reference or no date."""
    dataset, upload = make_dataset(organisation, name=f"Random {rng.random()}")
    # W1 also comes with L2: postcodes are placed in wards by where their point falls,
    # so a ward code can come with two local authorities.
    places = [area("W1", 1), area("W2", 2), area("W3", 7, lad="L2"), area("W1", 1, lad="L2")]
    rows = []
    for i in range(people):
        visits = rng.choice([1, 1, 1, 2, 3, 7])
        where = rng.random()
        place = (
            {"postcode_status": "invalid"}
            if where < rng.choice([0.02, 0.1, 0.3])
            else rng.choice(places)
        )
        if place.get("ward_code") == "W3" and rng.random() < 0.3:
            place = {**place, "imd2025_decile": None}  # placed, but no decile
        gender = rng.choice(["Female", "Male", "Male", "Female", "Non-binary", ""])
        before = Decimal(rng.randint(1, 10)) if rng.random() < 0.6 else None
        after = Decimal(rng.randint(1, 10)) if rng.random() < 0.6 else None
        for v in range(visits):
            undated = rng.random() < 0.01
            extra = {"gender": gender} if v == 0 else {}
            if v == 0 and before is not None:
                extra["outcome_before"] = before
            if v == visits - 1 and after is not None:
                extra["outcome_after"] = after
            rows.append(
                record(
                    dataset,
                    upload,
                    len(rows) + 1,
                    None if undated else date(2025, rng.randint(1, 12), rng.randint(1, 28)),
                    f"p{i}",
                    **extra,
                    **place,
                )
            )
    for _ in range(rng.choice([0, 1, 3, 8])):
        rows.append(record(dataset, upload, len(rows) + 1, date(2025, 5, 1), ""))
    Record.objects.bulk_create(rows)
    excluded = {"no usable date": rng.choice([0, 1, 2, 6]), "nothing in the columns chosen": 1}
    upload.rows_stored = len(rows)
    upload.rows_excluded = sum(excluded.values())
    upload.rows_duplicate = rng.choice([0, 2, 9])
    upload.rows_read = upload.rows_stored + upload.rows_excluded + upload.rows_duplicate
    upload.excluded_reasons = {k: v for k, v in excluded.items() if v}
    upload.save()
    return dataset


@pytest.mark.parametrize("minimum", [3, 5, 10])
def test_made_up_datasets_of_every_size_give_nothing_away(cast, settings, minimum):
    settings.MIN_DISPLAY_COUNT = minimum
    rng = random.Random(minimum)
    checked = 0
    for people in (4, 7, 12, 18, 25, 40, 60, 90, 150):
        dataset = random_dataset(cast.organisation, rng, people)
        figures = dashboard_figures_uncached(dataset)
        assert problems(figures) == [], (people, minimum)
        checked += len(relations(figures))
    assert checked > 150
