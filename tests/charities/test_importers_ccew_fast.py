"""The CCEW importer's fast paths give exactly what the plain, row-by-row reading gives.

The reader splits large pieces of text with str methods, the converters have quick forms
for plain values, and big imports read in a second process. Each is checked here against
the straightforward way on the same input.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from tests.charities.test_importers_ccew import _dump, _replace, _rewrite
from vcsehub.charities.importers import ccew_files
from vcsehub.charities.importers import values as v
from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.importers.ccew_files import ccew_rows, ccew_table_open
from vcsehub.charities.importers.ccew_layout import CCEW_COLUMNS
from vcsehub.sources.models import ImportRun

POLICY_HEADER = "\t".join(CCEW_COLUMNS["charity_policy"])


def _reference_rows(text: str, width: int) -> list[tuple[int, list[str] | None, str]]:
    """The rule, one physical line at a time: join a CR LF line to a following tab line."""
    lines = list(io.StringIO(text, newline=""))
    joined: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if joined and line.startswith("\t") and joined[-1][1].endswith("\r\n"):
            joined[-1] = (joined[-1][0], joined[-1][1][:-2] + line)
        else:
            joined.append((number, line))
    rows = []
    for number, line in joined[1:]:
        stripped = line.rstrip("\r\n")
        if not stripped:
            continue
        values = stripped.split("\t")
        if len(values) == width:
            rows.append((number, values, ""))
        else:
            rows.append((number, None, f"has {len(values)} fields, but the header has {width}"))
    return rows


AWKWARD = [
    "2023-09-07\t1\t1\t0\tPolicy A\r\n2023-09-07\t2\t2\t0\tPolicy B\r\n",
    "2023-09-07\t1\t1\t0\tsplit\r\n\tpart\r\n2023-09-07\t2\t2\t0\tB\r\n",  # the known defect
    "2023-09-07\t1\t1\t0\tA\n2023-09-07\t2\t2\t0\tB\n",  # LF line ends
    "2023-09-07\t1\t1\t0\tlone\rcarriage\r\n2023-09-07\t2\t2\t0\tB\r\n",
    "\r\n2023-09-07\t1\t1\t0\tA\r\n\r\n\r\n2023-09-07\t2\t2\t0\tB",  # blanks, no final end
    "2023-09-07\t1\t1\t0\tA\tstray\r\n2023-09-07\t2\t2\r\n\t0\tjoined\r\n",
    "2023-09-07\t1\t1\t0\tA\n\t0\tnot joined after LF\r\n",
    "2023-09-07\t1\t1\t0\tCafé ’s\r\n" * 40,
]


@pytest.mark.parametrize("body", AWKWARD)
@pytest.mark.parametrize("segment", [1, 7, 64, 1 << 20])
def test_reader_matches_the_line_by_line_rule(body, segment, tmp_path, monkeypatch):
    monkeypatch.setattr(ccew_files, "SEGMENT_CHARS", segment)
    text = POLICY_HEADER + "\r\n" + body
    path = tmp_path / "publicextract.charity_policy.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("publicextract.charity_policy.txt", text.encode("utf-8"))
    table = ccew_table_open(path, name=path.name)
    assert list(ccew_rows(table)) == _reference_rows(text, len(CCEW_COLUMNS["charity_policy"]))


PLAIN_AND_ODD = ["", " ", "0", "-0", "12", "0012", "12.5", "12.50", "-3.25", "1,234.56", "£12",
                 " 7 ", "1e3", "0.0000001", "12.345", "١٢", "x", "NaN", "1_000", "12\x00"]  # fmt: skip


@pytest.mark.parametrize("text", PLAIN_AND_ODD)
def test_fast_converters_give_what_the_plain_ones_give(text):
    def outcome(function):
        try:
            return ("value", function(text))
        except ValueError as error:
            return ("error", str(error))

    assert outcome(v.integer_fast) == outcome(v.integer)
    assert outcome(v.money_fast) == outcome(v.money)
    money = outcome(v.money)
    expected = (
        money if money[0] == "error" else ("value", None if money[1] is None else str(money[1]))
    )
    assert outcome(v.money_text) == expected
    if v.is_plain_amount(text):  # a plain amount is its own text
        assert money == ("value", Decimal(text)) and str(money[1]) == text


@pytest.mark.parametrize(
    "text", ["", "2023-09-07 00:00:00.0000000", "2023-09-07", " 2023-09-07", "20230907", "x"]
)
def test_database_forms_of_dates_and_amounts(text):
    sqlite, postgres = v.db_values("sqlite"), v.db_values("postgresql")
    try:
        expected = v.iso_date(text)
    except ValueError:
        for form in (sqlite.date, postgres.date):
            with pytest.raises(ValueError):
                form(text)
        return
    assert postgres.date(text) == expected
    assert sqlite.date(text) == (expected.isoformat() if expected else None)
    assert isinstance(postgres.money("12.50"), Decimal) and sqlite.money("12.50") == "12.50"
    assert isinstance(v.iso_date_fast("2023-09-07"), date)


@pytest.fixture
def in_a_second_process(monkeypatch):
    monkeypatch.setattr(CcewImporter, "parallel_min_bytes", 0)


@pytest.mark.django_db
def test_reading_in_a_second_process_gives_the_same_database(ccew_paths, monkeypatch):
    run = CcewImporter(locations=ccew_paths).run()
    assert run.status == "succeeded", run.error
    here = _dump()
    monkeypatch.setattr(CcewImporter, "parallel_min_bytes", 0)
    importer = CcewImporter(locations=ccew_paths)
    second = importer.run()
    assert importer.parallel
    assert second.status == "succeeded", second.error
    assert (second.rows_read, second.rows_rejected, second.rows_loaded) == (
        run.rows_read,
        run.rows_rejected,
        run.rows_loaded,
    )
    assert _dump() == here


def test_a_bad_table_in_the_second_process_fails_and_keeps_the_data(
    ccew_loaded, ccew_paths, tmp_path, in_a_second_process
):
    before = _dump()

    def shift(text):
        header, *rows = text.split("\r\n")
        return "\r\n".join([header, *(row + "\tshifted" if row else row for row in rows)])

    bad = _rewrite(ccew_paths[5], tmp_path, shift)  # charity_classification
    run = CcewImporter(locations=_replace(ccew_paths, "charity_classification", bad)).run()
    assert run.status == ImportRun.Status.FAILED
    assert "layout looks wrong" in run.error
    assert _dump() == before


@pytest.mark.django_db
def test_rejected_rows_are_logged_from_the_second_process(
    ccew_paths, tmp_path, in_a_second_process
):
    def break_one(text):
        lines = text.split("\r\n")
        lines[3] = lines[3] + "\tstray"
        return "\r\n".join(lines)

    bad = _rewrite(ccew_paths[0], tmp_path, break_one)  # charity
    run = CcewImporter(locations=_replace(ccew_paths, "charity", bad)).run()
    assert run.status == "succeeded", run.error
    assert run.rows_rejected == 1
    assert "row 4 left out: has 35 fields, but the header has 34" in run.log


def _indexes() -> dict:
    """Every index and constraint of the tables the import loads, as the database reports them."""
    from django.db import connection

    from vcsehub.charities.importers.ccew import LOADED_TABLES

    with connection.cursor() as cursor:
        return {
            table: connection.introspection.get_constraints(cursor, table)
            for table in LOADED_TABLES
        }


@pytest.mark.django_db(transaction=True)
def test_indexes_are_built_again_after_an_import_and_kept_after_a_failed_one(ccew_paths, tmp_path):
    before = _indexes()
    assert sum(len(found) for found in before.values()) >= 15
    run = CcewImporter(locations=ccew_paths).run()
    assert run.status == "succeeded", run.error
    assert _indexes() == before

    def shift(text):
        header, *rows = text.split("\r\n")
        return "\r\n".join([header, *(row + "\tshifted" if row else row for row in rows)])

    bad = _rewrite(ccew_paths[5], tmp_path, shift)  # charity_classification: fails mid-load
    failed = CcewImporter(locations=_replace(ccew_paths, "charity_classification", bad)).run()
    assert failed.status == ImportRun.Status.FAILED
    assert _indexes() == before
