"""The whole data road on a realistic, messy food bank visit log, checked against a hand count.

tests/fixtures/impact/food_bank_visits.csv (Windows-1252, two title rows and a blank row
above the header, a blank line in the middle) and food_bank_visits.xlsx (the same rows,
title rows above the header, half the dates as real Excel dates). Counted by hand from
the file (see make_food_bank.py for how it was written):

- 76 rows under the header (the blank line is not a row).
- Left out, 5 rows: row 78 has nothing but a note (nothing in the columns chosen);
  rows 35 ("31/02/2025") and 36 ("next week") have dates that cannot be read; row 37
  is in January 2027 (the future); row 38 has no date.
- Repeats, 3 rows: rows 79, 80 and 81 are copies of rows 9, 25 and 59.
- Stored: 76 - 5 - 3 = 68 rows = 68 contacts.
- People: clients C001-C025 = 25 (C026 and C027 appear only in rows left out);
  rows 76 and 77 have no client ID (contacts, not people).
- Visits per person among stored rows: C001-C010 once each (10 people; C001's "next
  week" row is left out), C011-C020 three times (C011's undated row left out), C025
  twice (11 people with 2-5 visits), C021-C024 six times (4 people with more than 5).
- Postcodes in the 75 non-empty rows: not valid 2 (row 6 "B11 XYZ", row 7 "12345"),
  withdrawn 1 (row 8 TF1 1AB, terminated December 1999), not loaded 2 (row 9 SW1A 2AA
  and its copy row 79), blank 2 (row 10, row 77). Among the 68 stored: found 62.
- Scores: one start score of 15 on a 1-10 scale (row 21, C013); 9 people have both scores.
- One email address typed in "Referred by" (row 30); one "two" in Adults (row 56).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from tests.impact import food_bank_expected as hand
from tests.impact.conftest import FIXTURES
from tests.impact.disclosure_check import problems
from vcsehub.impact import services
from vcsehub.impact.dashboard import dashboard_figures
from vcsehub.impact.mapping import column_key
from vcsehub.impact.models import ColumnChoice, Dataset, Record, Upload

pytestmark = pytest.mark.django_db

FILES = ["food_bank_visits.csv", "food_bank_visits.xlsx"]
EXPECTED_MAPPING = {
    "Visit date": "contact_date",
    "Client ID": "person_ref",
    "Post code": "postcode",
    "DOB": "date_of_birth",
    "Age": "age",
    "Adults": "people_count",
    "Children": "people_count",
    "Referred by": "referral_source",
    "Score at start": "outcome_before",
    "Score at end": "outcome_after",
}
PERSONAL_TEXT = [
    # names, emails, phones, notes, raw IDs, full dates of birth, full postcodes
    "Amina",
    "Khan",
    "Okafor",
    "Peter Walsh",
    "example.com",
    "@",
    "07700",
    "900001",
    "0121 496",
    "nappies",
    "Universal Credit",
    "C001",
    "C013",
    "C025",
    "14/02/1986",
    "1986-02-14",
    "B11 1AA",
    "B111AA",
    "B12 0AE",
    "TF1 1AB",
    "SW1A",
    "gp.referrals",
]


def _upload(cast, name, **kwargs):
    return services.upload_create(
        organisation=cast.organisation,
        user=cast.owner,
        source=FIXTURES / name,
        name=name,
        **({"dataset_name": "Food bank visits"} | kwargs),
    )


def _cells(upload, check):
    return next(r for r in upload.report if r["check"] == check)


@pytest.mark.parametrize("name", FILES)
def test_the_check_report_matches_the_hand_count(impact_geography, cast, name):
    upload = _upload(cast, name)
    assert upload.header_row == 4
    assert upload.mapping == EXPECTED_MAPPING
    assert (upload.outcome_scale_min, upload.outcome_scale_max) == (1, 10)
    assert upload.rows_read == 76
    assert upload.rows_excluded == 5
    assert upload.excluded_reasons == {
        "nothing in the columns chosen": 1,
        "date of contact could not be read": 2,
        "date of contact in the future": 1,
        "no date of contact": 1,
    }
    assert upload.rows_duplicate == 3
    assert upload.rows_stored == 68
    counts = {r["check"]: r["count"] for r in upload.report}
    assert counts == {
        "row_empty": 1,
        "date_missing": 1,
        "date_unreadable": 2,
        "date_future": 1,
        "date_order": 2,
        "postcode_invalid": 2,
        "postcode_terminated": 1,
        "postcode_not_found": 2,
        "postcode_missing": 2,
        "duplicate_rows": 3,
        "outcome_out_of_scale": 1,
        "people_unreadable": 1,
        "person_ref_missing": 2,
        "personal_values": 1,
        "personal_columns": 5,
    }
    assert _cells(upload, "date_unreadable")["cells"] == [[35, "Visit date"], [36, "Visit date"]]
    assert _cells(upload, "date_future")["cells"] == [[37, "Visit date"]]
    assert _cells(upload, "postcode_invalid")["cells"] == [[6, "Post code"], [7, "Post code"]]
    assert _cells(upload, "postcode_terminated")["cells"] == [[8, "Post code"]]
    assert _cells(upload, "duplicate_rows")["cells"] == [[79, ""], [80, ""], [81, ""]]
    assert _cells(upload, "outcome_out_of_scale")["cells"] == [[21, "Score at start"]]
    assert _cells(upload, "personal_values")["cells"] == [[30, "Referred by"]]
    assert "day/month/year (UK style)" in _cells(upload, "date_order")["message"]
    personal = _cells(upload, "personal_columns")["message"]
    for words in (
        "'Full name' looks like people's names",
        "'Email' looks like email",
        "'Phone' looks like phone",
        "'Notes' looks like free-text notes",
    ):
        assert words in personal
    # Nothing is stored before the user confirms.
    assert not Record.objects.exists()
    assert not Dataset.objects.exists()
    assert upload.status == Upload.Status.CHECKING


@pytest.mark.parametrize("name", FILES)
def test_stored_records_match_the_hand_count(
    impact_geography, cast, name, held_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.upload_confirm(upload=_upload(cast, name), user=cast.owner)
    dataset = upload.dataset
    assert dataset.name == "Food bank visits"
    records = Record.objects.filter(dataset=dataset)
    assert records.count() == 68
    assert records.filter(person_key="").count() == 2
    assert records.exclude(person_key="").values("person_key").distinct().count() == 25
    visits = Counter(records.exclude(person_key="").values_list("person_key", flat=True))
    bands = Counter("once" if n == 1 else "2-5" if n <= 5 else "6+" for n in visits.values())
    assert bands == {"once": 10, "2-5": 11, "6+": 4}
    assert Counter(records.values_list("postcode_status", flat=True)) == {
        "found": 62,
        "invalid": 2,
        "terminated": 1,
        "not_found": 1,
        "missing": 2,
    }
    both = records.filter(outcome_before__isnull=False).values_list("person_key", flat=True)
    after = set(records.filter(outcome_after__isnull=False).values_list("person_key", flat=True))
    assert len(set(both) & after) == 9
    assert records.filter(outcome_before=15).count() == 0
    assert records.filter(contact_date__isnull=True).count() == 0
    assert records.order_by("contact_date").first().contact_date == date(2025, 4, 1)
    assert records.order_by("contact_date").last().contact_date == date(2026, 3, 6)
    # Row 5 (C001, 15/04/2025, B11 1AA, aged 39, 1 adult and 2 children, referred by a GP).
    first = records.get(row_number=5)
    assert first.contact_date == date(2025, 4, 15)
    assert (first.age_band, first.people_count, first.referral_source) == ("35-44", 3, "GP")
    assert (first.lsoa11, first.lsoa21, first.ward_code, first.lad_code) == (
        "E01009371",
        "E01009371",
        "E05011170",
        "E08000025",
    )
    assert (first.imd2019_decile, first.imd2025_decile) == (1, 1)
    # Row 6 (C002): no age, born 2 November 1958, so 66 on 29 April 2025.
    assert records.get(row_number=6).age_band == "65-74"
    assert records.get(row_number=30).referral_source == ""  # the email address was removed
    assert records.get(row_number=56).people_count == 3  # "two" adults left out, 3 children kept
    assert upload.period_start == date(2025, 4, 1) and upload.period_end == date(2026, 3, 6)
    assert upload.held_path == "" and not any(held_files.iterdir())


HASHES = {"fingerprint", "person_key", "sha256", "key", "state"}
HEX = set("0123456789abcdef")


def _impact_text_values():
    """Every text value of every row of every impact table (keyed hashes checked apart:
    64 hex characters can hold "c001" by chance)."""
    for model in apps.get_app_config("impact").get_models():
        text_fields = [
            f.name
            for f in model._meta.fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for name in HASHES & set(text_fields):
            for value in model.objects.values_list(name, flat=True):
                assert value == "" or (len(value) == 64 and set(value) <= HEX), (model, name)
        text_fields = [name for name in text_fields if name not in HASHES]
        for row in model.objects.values_list(*text_fields):
            for value in row:
                yield model.__name__, str(value)


@pytest.mark.parametrize("name", FILES)
def test_nothing_personal_is_stored_anywhere(impact_geography, cast, name):
    services.upload_confirm(upload=_upload(cast, name), user=cast.owner)
    found = [
        (model, text, value)
        for model, value in _impact_text_values()
        for text in PERSONAL_TEXT
        if text.lower() in value.lower()
    ]
    assert found == []
    assert Record.objects.count() == 68


def test_the_same_reference_links_within_an_organisation_only(impact_geography, cast):
    services.upload_confirm(upload=_upload(cast, "food_bank_visits.csv"), user=cast.owner)
    other = services.upload_create(
        organisation=cast.other_organisation,
        user=cast.outsider,
        source=FIXTURES / "food_bank_visits.csv",
        name="food_bank_visits.csv",
        dataset_name="Copy",
    )
    services.upload_confirm(upload=other, user=cast.outsider)
    ours = set(
        Record.objects.filter(dataset__organisation=cast.organisation).values_list(
            "person_key", flat=True
        )
    )
    theirs = set(
        Record.objects.filter(dataset__organisation=cast.other_organisation).values_list(
            "person_key", flat=True
        )
    )
    assert ours - {""} and theirs - {""}
    assert not (ours - {""}) & (theirs - {""})


def test_a_second_period_file_skips_the_rows_already_stored(impact_geography, cast):
    first = services.upload_confirm(upload=_upload(cast, "food_bank_visits.csv"), user=cast.owner)
    dataset = first.dataset
    second = services.upload_create(
        organisation=cast.organisation,
        user=cast.owner,
        source=FIXTURES / "food_bank_visits_april_2026.csv",
        name="food_bank_visits_april_2026.csv",
        dataset=dataset,
    )
    # 10 rows: 5 already stored (February and March 2026), 5 new (April 2026).
    assert second.rows_read == 10
    assert second.rows_duplicate == 5
    assert second.rows_stored == 5
    assert {r["check"]: r["count"] for r in second.report}["already_stored"] == 5
    services.upload_confirm(upload=second, user=cast.owner)
    records = Record.objects.filter(dataset=dataset)
    assert records.count() == 73
    assert records.exclude(person_key="").values("person_key").distinct().count() == 26
    assert dataset.uploads.count() == 2


def test_choices_are_remembered_next_time(impact_geography, cast):
    upload = _upload(cast, "food_bank_visits.csv")
    mapping = dict(upload.mapping)
    mapping["Referred by"] = ""  # not stored
    mapping["Age"] = ""
    mapping["Children"] = ""
    upload = services.upload_remap(upload=upload, mapping=mapping)
    services.upload_confirm(upload=upload, user=cast.owner)
    remembered = dict(
        ColumnChoice.objects.filter(organisation=cast.organisation).values_list(
            "column_key", "field"
        )
    )
    assert remembered[column_key("Referred by")] == ""
    assert remembered[column_key("Visit date")] == "contact_date"
    assert column_key("Full name") not in remembered  # personal columns are not remembered
    again = _upload(cast, "food_bank_visits.xlsx", dataset_name="Second")
    assert "Referred by" not in again.mapping
    assert "Age" not in again.mapping and "Children" not in again.mapping
    assert again.mapping["Visit date"] == "contact_date"
    assert Record.objects.filter(referral_source="GP").count() == 0


def test_a_chosen_scale_changes_what_is_out_of_scale(impact_geography, cast):
    upload = _upload(cast, "food_bank_visits.csv")
    upload = services.upload_remap(
        upload=upload, mapping=upload.mapping, scale=(Decimal(0), Decimal(20))
    )
    assert "outcome_out_of_scale" not in {r["check"] for r in upload.report}
    upload = services.upload_remap(
        upload=upload, mapping=upload.mapping, scale=(Decimal(1), Decimal(5))
    )
    # Above 5: start scores of C011 (6), C013 (15), C015 (6), C019 (6); end scores of
    # everyone but C015 and C020 (8 people) = 12.
    assert _cells(upload, "outcome_out_of_scale")["count"] == 12


def test_deleting_a_dataset_removes_every_row(
    impact_geography, cast, django_capture_on_commit_callbacks
):
    upload = services.upload_confirm(upload=_upload(cast, "food_bank_visits.csv"), user=cast.owner)
    kept = services.upload_confirm(
        upload=services.upload_create(
            organisation=cast.organisation,
            user=cast.owner,
            source=FIXTURES / "food_bank_visits.csv",
            name="food_bank_visits.csv",
            dataset_name="Kept",
        ),
        user=cast.owner,
    )
    waiting = _upload(
        cast, "food_bank_visits_april_2026.csv", dataset=upload.dataset, dataset_name=""
    )
    held = waiting.held_path
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.dataset_delete(dataset=upload.dataset)
    assert counts == {"records": 68, "uploads": 2}
    assert not Dataset.objects.filter(pk=upload.dataset.pk).exists()
    assert not Upload.objects.filter(pk__in=[upload.pk, waiting.pk]).exists()
    assert Record.objects.filter(dataset=kept.dataset).count() == 68
    assert Record.objects.count() == 68
    assert not Path(held).exists()


def test_the_dashboard_matches_the_hand_count(impact_geography, cast, shared_data_dir):
    upload = services.upload_confirm(upload=_upload(cast, "food_bank_visits.xlsx"), user=cast.owner)
    figures = dashboard_figures(upload.dataset)
    f = figures["figures"]
    assert f["reach"]["people"]["value"] == hand.PEOPLE
    assert f["reach"]["contacts"]["value"] == hand.CONTACTS
    assert figures["summary"] == (
        f"Between April 2025 and March 2026 you supported {hand.PEOPLE} people over "
        f"{hand.CONTACTS} contacts."
    )
    repeat = {
        r["label"]: (r["count"]["display"], r["share"]["display"]) for r in f["repeat_use"]["rows"]
    }
    assert repeat == {
        "Once": ("not shown", "not shown"),
        "2 to 5 times": (str(hand.TWO_TO_FIVE), "44%"),
        "6 times or more": ("fewer than 5", "not shown"),
    }
    wards, deciles = hand.placed_by_hand(shared_data_dir)
    where = f["where"]
    assert where["n"]["value"] == hand.PLACED
    assert [(m["reason"], m["count"]["value"]) for m in where["missing"]] == [
        ("no usable postcode", hand.NO_POSTCODE)
    ]
    assert [(r["label"], r["count"]["value"]) for r in where["local_authorities"]] == [
        ("Birmingham", hand.PLACED)
    ]
    for row in where["wards"]:
        count = wards[row["code"]]
        assert row["count"]["display"] == (str(count) if count >= 5 else "fewer than 5")
    dep = f["deprivation"]
    assert dep["n"]["value"] == hand.PLACED == sum(deciles.values())
    in_1_2 = deciles[1] + deciles[2]
    assert dep["comparison"][1]["count"]["value"] == in_1_2
    assert dep["value"]["deciles_1_2"]["value"] == round(100 * in_1_2 / hand.PLACED)
    assert f["outcomes"]["n"]["value"] == hand.BOTH_SCORES
    rows = {r["label"]: r["count"]["value"] for r in f["data_quality"]["rows"]}
    assert rows["Rows read from your files"] == hand.ROWS_READ
    assert rows["Rows stored"] == hand.ROWS_STORED
    assert f["data_quality"]["summary"] == "76 rows were read from 1 file; 68 were stored (89%)."
    # And nothing in it can be worked out by subtraction.
    assert problems(figures) == []
