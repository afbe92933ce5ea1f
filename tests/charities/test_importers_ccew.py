"""The CCEW importer on the real 13-table sample: counts, repair, all-or-nothing, re-import."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.models import (
    AreaOfOperation,
    Charity,
    Classification,
    FinancialYear,
    LinkedCharity,
    OrgIdLink,
)
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db

# Independent check values from ccew-sample/SOURCE.md.
SOURCE_COUNTS = {
    "charity": 572,
    "charity_annual_return_history": 741,
    "charity_annual_return_parta": 541,
    "charity_annual_return_partb": 379,
    "charity_area_of_operation": 413,
    "charity_classification": 1278,
    "charity_event_history": 951,
    "charity_governing_document": 572,
    "charity_other_names": 222,
    "charity_other_regulators": 32,
    "charity_policy": 857,
    "charity_published_report": 2,
    "charity_trustee": 1270,
}


def test_counts_equal_the_source(ccew_paths):
    importer = CcewImporter(locations=ccew_paths)
    run = importer.run()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert importer.table_counts == SOURCE_COUNTS
    assert run.rows_read == sum(SOURCE_COUNTS.values())
    assert run.rows_rejected == 0
    assert Charity.objects.filter(register="ccew").count() == 200 == run.rows_loaded
    assert LinkedCharity.objects.count() == 372
    main_and_linked = (
        Charity.objects.filter(status="registered").count()
        + LinkedCharity.objects.filter(status="registered").count()
    )
    assert main_and_linked == 397
    assert run.data_date.isoformat() == "2023-09-07"


def test_the_split_record_is_repaired(ccew_loaded):
    charity = Charity.objects.get(org_id="GB-CHC-1173550")
    assert [r["name"] for r in charity.published_reports] == [
        "STATEMENT OF INQUIRY",
        "INTERIM MANAGER",
    ]
    assert charity.published_reports[1]["date"] == "2023-02-10"


def test_charity_fields(ccew_loaded):
    charity = Charity.objects.get(organisation_number=281345)
    assert "\u2019" in charity.name  # the curly apostrophe survives UTF-8 decoding
    with_money = Charity.objects.exclude(latest_income=None)
    assert isinstance(with_money.first().latest_income, Decimal)
    assert all(c.income_band for c in with_money)
    assert not Charity.objects.filter(latest_income=None).exclude(income_band="").exists()
    assert (
        Charity.objects.exclude(company_number="").count()
        == OrgIdLink.objects.filter(source_id="ccew").count()
    )
    assert all(len(c.company_number) == 8 for c in Charity.objects.exclude(company_number=""))


def test_trustee_names_are_never_stored(ccew_loaded, ccew_paths):
    with zipfile.ZipFile(ccew_paths[-1]) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    some_names = [line.split("\t")[5] for line in text.splitlines()[1:6]]
    stored = " ".join(str(row) for row in Charity.objects.values_list())
    assert not any(name and name in stored for name in some_names)
    assert Charity.objects.exclude(trustee_count=None).count() == 122


def test_financial_history_up_to_five_years(ccew_loaded):
    counts = [c.financial_years.count() for c in Charity.objects.all()]
    assert max(counts) <= 5
    assert FinancialYear.objects.exists()
    latest = Charity.objects.exclude(latest_period_end=None).first()
    year = latest.financial_years.filter(period_end=latest.latest_period_end).first()
    assert year is not None and year.income == latest.latest_income


def test_classifications_and_areas(ccew_loaded, shared_data_dir):
    labels = {}
    for line in (
        (shared_data_dir / "charity-lookups" / "classification-ccew.csv")
        .read_text()
        .splitlines()[1:]
    ):
        _, code, name = line.split(",", 2)
        labels[code] = name
    stored = dict(Classification.objects.values_list("code", "label").distinct())
    assert set(stored) <= set(labels)

    # The lookup writes "Accommodation Housing" where the extract says "Accommodation/Housing".
    def words(text):
        return re.findall(r"[a-z]+", text.lower())

    assert {k: words(v) for k, v in stored.items()} == {k: words(labels[k]) for k in stored}
    assert AreaOfOperation.objects.count() == 413


def _dump() -> list[tuple]:
    """Every stored row, without database ids or run ids, in a stable order."""
    rows = []
    skip = {"id", "import_run", "charity"}
    for model in (Charity, FinancialYear, Classification, AreaOfOperation, LinkedCharity):
        names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        if model is not Charity:
            names.insert(0, "charity__org_id")
        rows.extend(
            (model.__name__, *map(str, row))
            for row in model.objects.order_by(*names).values_list(*names)
        )
    return rows


def test_reimport_gives_the_same_database(ccew_paths):
    assert CcewImporter(locations=ccew_paths).run().status == "succeeded"
    before = _dump()
    assert CcewImporter(locations=ccew_paths).run().status == "succeeded"
    assert _dump() == before


def test_json_layout_gives_the_same_charities(ccew_paths, tmp_path):
    """The JSON flavour (a BOM-prefixed JSON array) loads the same rows as the text flavour."""
    json_paths = [_as_json_zip(path, tmp_path) for path in ccew_paths]
    assert CcewImporter(locations=ccew_paths).run().status == "succeeded"
    text_dump = _dump()
    run = CcewImporter(locations=json_paths).run()
    assert run.status == "succeeded", run.error
    assert _dump() == text_dump


def _as_json_zip(path: Path, folder: Path) -> Path:
    import json

    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8").replace("\r\n\t", "\t")
    lines = [line for line in text.splitlines() if line]
    header = lines[0].split("\t")
    records = [
        dict(zip(header, (value or None for value in line.split("\t")), strict=True))
        for line in lines[1:]
    ]
    table = path.name.split(".")[1]
    out = folder / f"publicextract.{table}.json.zip"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(f"publicextract.{table}.json", "\ufeff" + json.dumps(records))
    return out


# -- bad inputs leave the previous data in place ----------------------------------------------


def _replace(paths: list[Path], table: str, new: Path) -> list[Path]:
    return [new if f"publicextract.{table}.zip" == p.name else p for p in paths]


def _rewrite(path: Path, folder: Path, change) -> Path:
    with zipfile.ZipFile(path) as archive:
        member = archive.namelist()[0]
        text = archive.read(member).decode("utf-8")
    out = folder / path.name
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(member, change(text))
    return out


@pytest.fixture
def loaded_once(ccew_loaded):
    return _dump()


def _fails_and_keeps(paths, before, *words):
    run = CcewImporter(locations=paths).run()
    assert run.status == ImportRun.Status.FAILED
    for word in words:
        assert word in run.error, run.error
    assert _dump() == before
    return run


def test_truncated_zip(loaded_once, ccew_paths, tmp_path):
    cut = tmp_path / "publicextract.charity.zip"
    data = ccew_paths[0].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    _fails_and_keeps(_replace(ccew_paths, "charity", cut), loaded_once, "not a complete zip")


def test_shifted_column_in_the_header(loaded_once, ccew_paths, tmp_path):
    def shift(text):
        header, rest = text.split("\r\n", 1)
        columns = header.split("\t")
        columns.insert(5, "extra_column")
        return "\t".join(columns) + "\r\n" + rest

    bad = _rewrite(ccew_paths[0], tmp_path, shift)
    _fails_and_keeps(
        _replace(ccew_paths, "charity", bad),
        loaded_once,
        "does not have the columns",
        "extra_column",
    )


def test_every_row_shifted(loaded_once, ccew_paths, tmp_path):
    def shift(text):
        header, *rows = text.split("\r\n")
        return "\r\n".join([header, *(row + "\tshifted" if row else row for row in rows)])

    bad = _rewrite(ccew_paths[5], tmp_path, shift)  # charity_classification
    _fails_and_keeps(
        _replace(ccew_paths, "charity_classification", bad), loaded_once, "layout looks wrong"
    )


def test_a_few_broken_rows_are_left_out_and_logged(ccew_paths, tmp_path):
    def break_one(text):
        lines = text.split("\r\n")
        lines[3] = lines[3] + "\tstray"
        return "\r\n".join(lines)

    bad = _rewrite(ccew_paths[6], tmp_path, break_one)  # charity_event_history
    run = CcewImporter(locations=_replace(ccew_paths, "charity_event_history", bad)).run()
    assert run.status == "succeeded", run.error
    assert run.rows_rejected == 1
    assert "row 4 left out: has 13 fields, but the header has 12" in run.log


def test_wrong_encoding(loaded_once, ccew_paths, tmp_path):
    bad = _rewrite(ccew_paths[0], tmp_path, lambda text: text)
    with zipfile.ZipFile(ccew_paths[0]) as archive:
        member = archive.namelist()[0]
        data = archive.read(member).decode("utf-8").encode("utf-16")
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr(member, data)
    _fails_and_keeps(_replace(ccew_paths, "charity", bad), loaded_once, "not UTF-8")


def test_missing_table(loaded_once, ccew_paths):
    _fails_and_keeps(ccew_paths[:-1], loaded_once, "charity_trustee")


def test_hostile_names_are_stored_as_they_are(ccew_paths, tmp_path):
    hostile = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0"]

    def rename(text):
        lines = text.split("\r\n")
        for i, name in enumerate(hostile, start=1):
            fields = lines[i].split("\t")
            fields[4] = name
            lines[i] = "\t".join(fields)
        return "\r\n".join(lines)

    paths = _replace(ccew_paths, "charity", _rewrite(ccew_paths[0], tmp_path, rename))
    assert CcewImporter(locations=paths).run().status == "succeeded"
    stored = set(Charity.objects.values_list("name", flat=True)) | set(
        LinkedCharity.objects.values_list("name", flat=True)
    )
    assert set(hostile) <= stored


def test_the_local_paths_of_the_source(settings, shared_data_dir):
    settings.DATA_DIR = str(shared_data_dir)
    run = CcewImporter().run()
    assert run.status == "succeeded", run.error
    assert len(run.files) == 13
