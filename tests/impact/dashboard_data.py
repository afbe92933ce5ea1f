"""Made-up records for the dashboard and report tests, created straight through the ORM
(independent of the upload road).

The hand-made dataset (`make_small_dataset`), minimum count 5:
- 12 people in ward WA (local authority L1), decile 1, one contact each in April 2025,
  all Female; 3 of them have a before score only.
- 3 people in ward WB (L1), decile 3, two contacts each (April, May), Male.
- 9 people in ward WC (L1), decile 5, six contacts each (April to September);
  5 Female, 4 with no gender; scores 4→7 (5 people), 6→6 (2), 5→3 (2).
- 6 people with an invalid postcode, one contact each in June, Male.
- 2 rows with no person reference (April, no postcode).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from vcsehub.impact.models import Dataset, Record, Upload


def make_dataset(organisation, *, name="Food bank visits", mapping=None) -> tuple[Dataset, Upload]:
    dataset = Dataset.objects.create(
        organisation=organisation,
        name=name,
        mapping=mapping
        or {
            "Date": "contact_date",
            "Ref": "person_ref",
            "Postcode": "postcode",
            "Gender": "gender",
            "Before": "outcome_before",
            "After": "outcome_after",
        },
        outcome_scale_min=Decimal(1),
        outcome_scale_max=Decimal(10),
        outcome_label="How well are you managing?",
    )
    upload = Upload.objects.create(
        organisation=organisation,
        dataset=dataset,
        original_name="visits.xlsx",
        sha256="0" * 64,
        status=Upload.Status.CONFIRMED,
        confirmed_at=timezone.make_aware(timezone.datetime(2025, 10, 2, 9, 0)),
    )
    return dataset, upload


def record(dataset, upload, n, when, person, **fields) -> Record:
    return Record(
        dataset=dataset,
        upload=upload,
        row_number=n,
        fingerprint=f"{n:064d}",
        contact_date=when,
        person_key=person,
        **fields,
    )


def area(ward, decile, lad="L1"):
    return {
        "postcode_status": "found",
        "lsoa11": f"E0{ward}11",
        "lsoa21": f"E0{ward}21",
        "ward_code": ward,
        "lad_code": lad,
        "imd2019_decile": decile,
        "imd2025_decile": decile,
    }


def make_small_dataset(organisation) -> Dataset:
    dataset, upload = make_dataset(organisation)
    upload.rows_read, upload.rows_stored, upload.rows_excluded, upload.rows_duplicate = 90, 80, 7, 3
    upload.excluded_reasons = {"no usable date": 7}
    upload.save()
    rows = []
    n = 0

    def add(when, person, **fields):
        nonlocal n
        n += 1
        rows.append(record(dataset, upload, n, when, person, **fields))

    for i in range(12):
        add(
            date(2025, 4, 2),
            f"a{i}",
            gender="Female",
            outcome_before=Decimal(3) if i < 3 else None,
            **area("WA", 1),
        )
    for i in range(3):
        add(date(2025, 4, 3), f"b{i}", gender="Male", **area("WB", 3))
        add(date(2025, 5, 3), f"b{i}", **area("WB", 3))
    scores = [(4, 7)] * 5 + [(6, 6)] * 2 + [(5, 3)] * 2
    for i in range(9):
        for month in range(4, 10):
            extra = {}
            if month == 4:
                extra["gender"] = "Female" if i < 5 else ""
                extra["outcome_before"] = Decimal(scores[i][0])
            if month == 9:
                extra["outcome_after"] = Decimal(scores[i][1])
            add(date(2025, month, 4), f"c{i}", **extra, **area("WC", 5))
    for i in range(6):
        add(date(2025, 6, 5), f"d{i}", gender="Male", postcode_status="invalid")
    for _ in range(2):
        add(date(2025, 4, 6), "", postcode_status="missing")
    Record.objects.bulk_create(rows)
    return dataset
