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
