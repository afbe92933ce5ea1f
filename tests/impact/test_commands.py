"""`vcsehub impact upload`, tested by what it prints."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.impact.conftest import FIXTURES
from vcsehub.impact.models import Dataset, Record, Upload

pytestmark = pytest.mark.django_db
SLUG = "sparkbrook-food-bank"


def run(*args) -> str:
    out = io.StringIO()
    call_command("impact", "upload", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_clean_file_is_saved_with_the_suggested_mapping(cast):
    printed = run(FIXTURES / "utf8_bom.csv", "--org", SLUG, "--dataset", "Visits")
    dataset = Dataset.objects.get()
    assert printed.splitlines()[-1] == f"dataset {dataset.pk}"
    assert "utf8_bom.csv: 2 rows read" in printed
    assert "Visit date -> contact_date" in printed and "Service -> service" in printed
    assert "Saved 2 rows to 'Visits'" in printed
    # A second run adds to the same dataset and skips the rows already there: its second
    # row (02/04/2025, C2, B12 0AE, Advice) is the same; its first has another service.
    printed = run(FIXTURES / "semicolon.csv", "--org", SLUG, "--dataset", "visits")
    assert "[info] already in the dataset (1)" in printed
    assert Dataset.objects.count() == 1 and Record.objects.count() == 3


def test_rows_with_errors_stop_the_save_unless_yes(cast):
    with pytest.raises(CommandError, match="Nothing was saved: 5 rows have errors"):
        run(FIXTURES / "food_bank_visits.csv", "--org", SLUG)
    assert not Record.objects.exists()
    assert Upload.objects.get().status == Upload.Status.DISCARDED
    printed = run(FIXTURES / "food_bank_visits.csv", "--org", SLUG, "--yes")
    assert "[error] date of contact could not be read (2)" in printed
    assert "Saved 68 rows to 'food_bank_visits' (5 left out, 3 repeats stored once)" in printed
    assert Record.objects.count() == 68


def test_a_mapping_file_is_applied(cast, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Visit date": "contact_date", "Post code": "postcode"}))
    run(FIXTURES / "utf8_bom.csv", "--org", SLUG, "--mapping", mapping)
    assert Dataset.objects.get().mapping == {"Visit date": "contact_date", "Post code": "postcode"}
    assert set(Record.objects.values_list("person_key", flat=True)) == {""}


def test_a_personal_column_in_the_mapping_is_refused(cast, tmp_path):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Visit date": "contact_date", "Full name": "person_ref"}))
    with pytest.raises(CommandError, match="'Full name' looks like it holds people's names"):
        run(FIXTURES / "food_bank_visits.csv", "--org", SLUG, "--mapping", mapping, "--yes")
    assert not Record.objects.exists()


def test_refusals_are_plain(cast):
    with pytest.raises(CommandError, match="holds macros"):
        run(FIXTURES / "macro_enabled.xlsm", "--org", SLUG)
    with pytest.raises(CommandError, match="no organisation with the short name 'nope'"):
        run(FIXTURES / "utf8_bom.csv", "--org", "nope")
