"""records_insert: the fast path that stores record lines (COPY on PostgreSQL, executemany
elsewhere) keeps every value as the ORM would, and refuses a repeated row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.impact.dashboard_data import make_dataset
from tests.organisations.people import make_cast
from vcsehub.impact.models import Record
from vcsehub.impact.prepare import PreparedRow
from vcsehub.impact.services import record_lines, records_insert

pytestmark = pytest.mark.django_db


def rows():
    full = PreparedRow(
        number=5,
        values={
            "contact_date": date(2025, 4, 15),
            "person_key": "a" * 64,
            "age_band": "35-44",
            "gender": "Female",
            "referral_source": "GP – surgery",
            "people_count": 3,
            "outcome_before": Decimal("4.50"),
            "outcome_after": Decimal("7.00"),
        },
        fingerprint="f" * 64,
    )
    empty = PreparedRow(number=6, values={}, fingerprint="e" * 64)
    return [full, empty]


def test_every_value_comes_back_as_stored():
    dataset, upload = make_dataset(make_cast().organisation)
    assert records_insert(dataset=dataset, upload=upload, lines=record_lines(rows())) == 2
    full = Record.objects.get(row_number=5)
    assert (full.dataset, full.upload, full.fingerprint) == (dataset, upload, "f" * 64)
    assert full.contact_date == date(2025, 4, 15)
    assert (full.age_band, full.gender, full.referral_source) == ("35-44", "Female", "GP – surgery")
    assert (full.people_count, full.outcome_before, full.outcome_after) == (
        3,
        Decimal("4.50"),
        Decimal("7.00"),
    )
    empty = Record.objects.get(row_number=6)
    assert (empty.contact_date, empty.person_key, empty.outcome_before) == (None, "", None)


def test_a_row_stored_twice_is_an_integrity_error():
    dataset, upload = make_dataset(make_cast().organisation)
    records_insert(dataset=dataset, upload=upload, lines=record_lines(rows()))
    with pytest.raises(IntegrityError), transaction.atomic():
        records_insert(dataset=dataset, upload=upload, lines=record_lines(rows()[:1]))
    assert Record.objects.count() == 2


def test_the_same_date_and_score_in_many_rows_are_all_stored_right():
    # Each distinct value is adapted for the database once, then reused.
    dataset, upload = make_dataset(make_cast().organisation)
    many = [
        PreparedRow(
            number=n,
            values={
                "contact_date": date(2025, 4, 1 + n % 2),
                "outcome_before": Decimal("4.50") if n % 3 else Decimal("4.5"),
            },
            fingerprint=f"{n:064d}",
        )
        for n in range(2, 12)
    ]
    records_insert(dataset=dataset, upload=upload, lines=record_lines(many))
    stored = dict(Record.objects.values_list("row_number", "contact_date"))
    assert stored == {n: date(2025, 4, 1 + n % 2) for n in range(2, 12)}
    assert set(Record.objects.values_list("outcome_before", flat=True)) == {Decimal("4.50")}


def test_the_bigger_sqlite_page_cache_is_given_back_after_storing():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    dataset, upload = make_dataset(make_cast().organisation)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        records_insert(dataset=dataset, upload=upload, lines=record_lines(rows()))
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before
