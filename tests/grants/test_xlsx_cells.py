"""XLSX files read with python-calamine give exactly what openpyxl (flatten-tool's reader)
gives: the same cell values, grants, warnings and validation errors (sheet, row, column).

Every .xlsx of 360giving-grants/ and the Data Quality Tool's fixtures, workbooks made here
with awkward cells, and files like the benchmark's are read both ways. Where calamine is
known not to read alike (calamine_reads_alike is False) openpyxl is used; for those files
the test also shows calamine would have differed, so the check is needed.
"""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from vcsehub.grants.reading import calamine_reads_alike, read_grant_file, xlsx_sheets

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def all_real_xlsx(shared_data_dir: Path) -> list[Path]:
    folders = ("360giving-grants", "360giving-test-fixtures")
    return sorted(
        p
        for folder in folders
        for p in (shared_data_dir / folder).rglob("*.xlsx")
        if p.stat().st_size
    )


def strict(value):
    """A value with its types spelt out, so 1 == 1.0 == Decimal("1.0") do not pass."""
    if isinstance(value, dict):
        return {key: strict(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [strict(item) for item in value]
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return (type(value).__name__, value)


def cells(path: Path, reader: str) -> dict:
    """Each sheet's rows, without the trailing empty cells and rows only openpyxl gives."""
    found = {}
    for title, rows in xlsx_sheets(path, path.name, reader=reader):
        trimmed = []
        for row in rows:
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            trimmed.append(strict(row))
        while trimmed and not trimmed[-1]:
            trimmed.pop()
        found[title] = trimmed
    return found


def converted(path: Path, loaded_schema, reader: str) -> dict:
    schema, validator = loaded_schema
    grant_file = read_grant_file(path, name=path.name, schema=schema, xlsx_reader=reader)
    grants, errors = [], []
    for record in grant_file.grants():
        grants.append((strict(record.data), record.rows))
        for error in validator.errors(record.data, ("grants", record.index)):
            place = grant_file.column_for(
                record, error.path_text.removeprefix(f"grants/{record.index}")
            )
            errors.append((error.path_text, error.validator, error.message, place))
    return {
        "meta": strict(grant_file.meta),
        "grants": grants,
        "errors": errors,
        "warnings": grant_file.warnings,
    }


def assert_read_alike(path: Path, loaded_schema) -> None:
    assert calamine_reads_alike(path), f"{path.name} would be read with openpyxl"
    assert cells(path, "calamine") == cells(path, "openpyxl")
    assert converted(path, loaded_schema, "calamine") == converted(path, loaded_schema, "openpyxl")


def test_every_real_xlsx_reads_alike_or_falls_back(shared_data_dir, loaded_schema):
    fallbacks = []
    for path in all_real_xlsx(shared_data_dir):
        if path.name == "bad.xlsx":
            continue
        if calamine_reads_alike(path):
            assert cells(path, "calamine") == cells(path, "openpyxl"), path.name
            theirs = converted(path, loaded_schema, "openpyxl")
            assert converted(path, loaded_schema, "calamine") == theirs, path.name
        else:
            fallbacks.append(path.name)
    # The files that need openpyxl, each for a reason calamine would get wrong: spaces at
    # the ends of shared strings not marked to be kept (LBFEW, a001p …), "_x000D_" (a003W).
    assert "360_giving_LBFEW_2010_2015.xlsx" in fallbacks
    assert "badfile_too_many_rows.xlsx" not in fallbacks


@pytest.mark.parametrize(
    "name",
    ["360_giving_LBFEW_2010_2015.xlsx", "a003W000001B7PzQAK.xlsx"],
)
def test_calamine_would_differ_where_it_is_not_used(grants_dir, loaded_schema, name):
    path = next(grants_dir.rglob(name))
    assert not calamine_reads_alike(path)
    assert cells(path, "calamine") != cells(path, "openpyxl")


def awkward_workbook(path: Path, *, date1904: bool = False) -> Path:
    book = Workbook()
    book.epoch = dt.datetime(1904, 1, 1) if date1904 else book.epoch
    grants = book.active
    grants.title = "grants"
    header = [
        "Identifier", "Title", "Amount Awarded", "Award Date", "Recipient Org:Identifier",
        "Recipient Org:Name", "Recipient Org:Charity Number", "Planned Dates:Start Date",
        "Planned Dates:Duration (months)", "Beneficiary Location:0:Name",
        "Beneficiary Location:1:Name", "From an open call?", "Extra", "Extra Time",
    ]  # fmt: skip
    grants.append(header)
    rng = random.Random(7)
    for n in range(60):
        serial = rng.uniform(1, 60000)
        grants.append(
            [
                f"360G-X-{n}",
                rng.choice(["  spaced  ", "line\nbreak", "tab\there", "é ñ 😀 &<>", ""]),
                rng.choice([1000, 1000.5, 0.1 + 0.2, 3, 1.5e-7, 12345678901234]),
                dt.datetime(1904 if date1904 else 1899, 12, 31) + dt.timedelta(days=serial),
                f"GB-CHC-{n}",
                CellRichText(["Rich ", TextBlock(InlineFont(b=True), "Org")]) if n % 5 else "Org",
                rng.choice([1234567, "1234567", 0, True, None]),
                dt.date(2020, 1, 1) + dt.timedelta(days=n),
                rng.choice([12, 12.0 + 0.5, None]),
                "Leeds",
                None if n % 3 else "York",
                rng.choice([True, False, "Yes"]),
                rng.uniform(0, 2),
                dt.time(rng.randrange(24), rng.randrange(60), rng.randrange(60)),
            ]
        )
        for column, fmt in ((4, "dd/mm/yyyy"), (8, "yyyy-mm-dd h:mm"), (13, "0.00")):
            grants.cell(row=n + 2, column=column).number_format = fmt
        grants.cell(row=n + 2, column=9).number_format = "[h]:mm:ss" if n % 7 == 0 else "General"
    grants.merge_cells("M2:M4")
    second = book.create_sheet("Beneficiaries")
    second.append([None, "Identifier", "Beneficiary Location:Name", None])
    second.append([None, "360G-X-1", "Hull"])
    second.append([])
    second.append([None, "360G-X-2", "Bath", None, "beyond the header"])
    late = book.create_sheet("late start")  # no row 1: not a sheet of grants to either
    late["B3"], late["C3"], late["B4"], late["C4"] = "Identifier", "Title", "360G-X-4", "Late"
    hidden = book.create_sheet("hidden extra")
    hidden.sheet_state = "hidden"
    hidden.append(["Identifier", "Description"])
    hidden.append(["360G-X-3", "from a hidden sheet"])
    meta = book.create_sheet("Meta")
    for row in (
        ["Title", "Awkward file"],
        ["Date Modified", dt.datetime(2021, 4, 30)],
        ["License", None],
    ):
        meta.append(row)
    book.save(path)
    return path


def with_wrong_dimension(path: Path) -> Path:
    """The same workbook, its sheets claiming to be only A1:B2."""
    target = path.with_name("dimension-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                start = data.find(b"<dimension ")
                end = data.find(b"/>", start) + 2
                data = data[:start] + b'<dimension ref="A1:B2"/>' + data[end:]
            out.writestr(info, data)
    return target


@pytest.mark.parametrize("date1904", [False, True])
def test_awkward_cells_read_alike(tmp_path, loaded_schema, date1904):
    path = awkward_workbook(tmp_path / "awkward.xlsx", date1904=date1904)
    assert_read_alike(path, loaded_schema)
    assert_read_alike(with_wrong_dimension(path), loaded_schema)


def test_whole_number_stored_with_a_point_is_read_with_openpyxl(tmp_path, loaded_schema):
    path = awkward_workbook(tmp_path / "awkward.xlsx")
    target = tmp_path / "point.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>1000</v>", b"<v>1000.0</v>", 1)
            out.writestr(info, data)
    assert not calamine_reads_alike(target)
    assert cells(target, "calamine") != cells(target, "openpyxl")
    auto = converted(target, loaded_schema, "auto")
    assert auto == converted(target, loaded_schema, "openpyxl")


def test_dates_before_the_epoch_are_read_with_openpyxl(tmp_path, loaded_schema):
    path = awkward_workbook(tmp_path / "awkward.xlsx", date1904=True)
    target = tmp_path / "negative.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                start = data.find(b'<c r="D2"')
                value = data.find(b"<v>", start) + 3
                data = data[:value] + b"-" + data[value:]
            out.writestr(info, data)
    assert not calamine_reads_alike(target)
    assert cells(target, "calamine") != cells(target, "openpyxl")
    auto = converted(target, loaded_schema, "auto")
    assert auto == converted(target, loaded_schema, "openpyxl")


def test_benchmark_like_files_are_read_with_calamine(tmp_path, shared_data_dir, loaded_schema):
    """Real grants written again by openpyxl (as benchmarks/grants_import.py does)."""
    from openpyxl import load_workbook

    for relative in (
        "360giving-grants/grantnav-2016-sample/360_giving_LBFEW_2010_2015.xlsx",
        "360giving-grants/dataquality-tools-data/a001p00000zgyHZAAY.xlsx",
    ):
        source = load_workbook(shared_data_dir / relative, read_only=True, data_only=True)
        book = Workbook(write_only=True)
        target = book.create_sheet("grants")
        for row in source.worksheets[0].iter_rows(values_only=True):
            target.append(list(row))
        path = tmp_path / Path(relative).name
        book.save(path)
        assert_read_alike(path, loaded_schema)
