"""Read the CCEW register extract files: zipped tab-separated text or zipped JSON.

Text layout: UTF-8 (a BOM is tolerated), header row, tab-separated, no quoting, CRLF or
LF line ends. The official files have a known defect: a free-text field can end in CR LF,
so one record is broken over two physical lines and the second starts with a tab. As the
Commission's other readers do, a line ending CR LF followed by a line starting with a tab
is joined back; every row's field count is then checked against the header.

JSON layout: a JSON array of objects with the same field names (streamed with ijson).

Both give rows as lists of strings in the official column order ("" = empty).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ijson

from vcsehub.charities.importers.ccew_layout import CCEW_COLUMNS
from vcsehub.sources.errors import DataError

_NAME = re.compile(r"publicextract\.([a-z_]+)\.(txt|json|zip)$", re.IGNORECASE)


@dataclass
class CcewTable:
    table: str
    path: Path
    name: str  # the file's name, for messages
    member: str
    layout: str  # "txt" or "json"

    @property
    def columns(self) -> tuple[str, ...]:
        return CCEW_COLUMNS[self.table]


def ccew_table_open(path: Path, *, name: str) -> CcewTable:
    """Check the file is a zip holding one publicextract.<table>.txt or .json."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise DataError(
            "The file is not a complete zip file (it may have been cut off while downloading)",
            fix="Download it again from the Charity Commission.",
            file=name,
        ) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise DataError(
                f"The zip holds {len(members)} files, but a register extract zip holds one",
                fix="Use the publicextract.<table>.zip files exactly as downloaded.",
                file=name,
            )
        member = members[0].filename
    match = _NAME.search(member.rsplit("/", 1)[-1]) or _NAME.search(name)
    if match is None or match.group(1).lower() not in CCEW_COLUMNS:
        raise DataError(
            f"{member} is not one of the 13 register extract tables",
            fix="Use the publicextract.<table>.zip files from the Charity Commission's full register download.",
            file=name,
        )
    layout = "json" if member.lower().endswith(".json") else "txt"
    return CcewTable(
        table=match.group(1).lower(), path=path, name=name, member=member, layout=layout
    )


def ccew_rows(table: CcewTable) -> Iterator[tuple[int, list[str] | None, str]]:
    """Yield (line_number, values, problem) for each record.

    values is None when the record is malformed (problem says why); the header is checked
    first and a wrong header is a DataError: the whole table cannot be trusted.
    """
    try:
        with zipfile.ZipFile(table.path) as archive, archive.open(table.member) as raw:
            if table.layout == "json":
                yield from _json_rows(table, raw)
            else:
                yield from _text_rows(table, raw)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as error:
        raise DataError(
            f"The zip file is damaged and could not be read to the end ({error})",
            fix="Download it again from the Charity Commission.",
            file=table.name,
        ) from None
    except UnicodeDecodeError as error:
        raise DataError(
            f"The file is not UTF-8 text (a byte at position {error.start} cannot be read)",
            fix="Use the file exactly as the Charity Commission publishes it.",
            file=table.name,
        ) from None
    except ijson.JSONError as error:
        raise DataError(
            f"The JSON is not valid ({error})",
            fix="Download it again from the Charity Commission.",
            file=table.name,
        ) from None


def _physical_lines(raw) -> Iterator[str]:
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    yield from text


def _repaired_lines(raw) -> Iterator[tuple[int, str]]:
    """Physical lines joined where a record was split by a stray CR LF before a tab."""
    pending: str | None = None
    pending_number = 0
    for number, line in enumerate(_physical_lines(raw), start=1):
        if pending is not None and line.startswith("\t") and pending.endswith("\r\n"):
            pending = pending[:-2] + line
            continue
        if pending is not None:
            yield pending_number, pending
        pending, pending_number = line, number
    if pending is not None:
        yield pending_number, pending


def _text_rows(table: CcewTable, raw) -> Iterator[tuple[int, list[str] | None, str]]:
    lines = _repaired_lines(raw)
    first = next(lines, None)
    if first is None:
        raise DataError("The file is empty", fix="Download it again.", file=table.name)
    header = first[1].rstrip("\r\n").split("\t")
    _check_header(table, header)
    width = len(header)
    for number, line in lines:
        stripped = line.rstrip("\r\n")
        if not stripped:
            continue
        values = stripped.split("\t")
        if len(values) != width:
            yield number, None, f"has {len(values)} fields, but the header has {width}"
            continue
        yield number, values, ""


def _json_rows(table: CcewTable, raw) -> Iterator[tuple[int, list[str] | None, str]]:
    head = raw.read(3)
    stream = io.BufferedReader(_Prefixed(head if head != b"\xef\xbb\xbf" else b"", raw))
    columns = table.columns
    expected = set(columns)
    for number, item in enumerate(ijson.items(stream, "item", use_float=False), start=1):
        if not isinstance(item, dict):
            yield number, None, "is not an object with named fields"
            continue
        if number == 1:
            _check_header(table, list(item))
        if set(item) != expected:
            yield number, None, "does not have the table's fields"
            continue
        yield number, [_json_text(item[column]) for column in columns], ""


def _json_text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "True"
    if value is False:
        return "False"
    return str(value)


class _Prefixed(io.RawIOBase):
    """A raw stream that gives back some already-read bytes before the rest."""

    def __init__(self, prefix: bytes, raw) -> None:
        self.prefix = prefix
        self.raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            size = min(len(buffer), len(self.prefix))
            buffer[:size] = self.prefix[:size]
            self.prefix = self.prefix[size:]
            return size
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _check_header(table: CcewTable, header: list[str]) -> None:
    expected = list(table.columns)
    found = [h.strip() for h in header]
    if table.layout == "json":
        found_set, expected_set = set(found), set(expected)
        if found_set == expected_set:
            return
        missing = [c for c in expected if c not in found_set]
        extra = [c for c in found if c not in expected_set]
    else:
        if found == expected:
            return
        missing = [c for c in expected if c not in found]
        extra = [c for c in found if c not in expected]
    details = []
    if missing:
        details.append("missing " + ", ".join(missing[:5]))
    if extra:
        details.append("unexpected " + ", ".join(extra[:5]))
    if not details:
        details.append("the columns are in a different order")
    raise DataError(
        f"The {table.table} table does not have the columns of the register extract ({'; '.join(details)})",
        fix=(
            "The file may be damaged, or the Commission may have changed the layout. Download it "
            "again; if it still fails, the importer needs updating for the new layout."
        ),
        file=table.name,
        row=1,
    )
