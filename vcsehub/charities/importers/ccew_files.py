"""Read the CCEW register extract files: zipped tab-separated text or zipped JSON.

Text layout: UTF-8 (a BOM is tolerated), header row, tab-separated, no quoting, CRLF or
LF line ends. The official files have a known defect: a free-text field can end in CR LF,
so one record is broken over two physical lines and the second starts with a tab. As the
Commission's other readers do, a line ending CR LF followed by a line starting with a tab
is joined back; every row's field count is then checked against the header.

JSON layout: a JSON array of objects with the same field names (streamed with ijson).

Both give rows as lists of strings in the official column order ("" = empty), a few
thousand at a time (`ccew_batches`): the text is decoded in large pieces and split with
str methods, so a row costs a fraction of a microsecond to read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import ijson

from vcsehub.charities.importers.ccew_layout import CCEW_COLUMNS
from vcsehub.sources.errors import DataError

SEGMENT_CHARS = 4 << 20
JSON_BATCH_ROWS = 20_000
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


@dataclass(slots=True)
class Batch:
    """Consecutive records of a table.

    Text layout: `lines[i]` is the record starting on physical line `numbers[i]`, its
    fields still joined by tabs (so a reader can split off only the fields it needs); a
    blank line is "". JSON layout: `rows[i]` holds the fields of item `numbers[i]`, and
    `bad` holds (item, problem) for items that are not records at all. Field counts are
    not checked here. `clean` is true when no field holds a NUL character, so the importer
    may use its fast converters.
    """

    numbers: Sequence[int]
    lines: list[str] | None
    rows: list[list[str]] | None
    bad: list[tuple[int, str]]
    clean: bool


def ccew_batches(table: CcewTable) -> Iterator[Batch]:
    """The table's records, a few thousand at a time; the header is checked first.

    A wrong header is a DataError: the whole table cannot be trusted.
    """
    try:
        with zipfile.ZipFile(table.path) as archive, archive.open(table.member) as raw:
            if table.layout == "json":
                yield from _json_batches(table, raw)
            else:
                yield from _text_batches(table, raw)
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


def ccew_rows(table: CcewTable) -> Iterator[tuple[int, list[str] | None, str]]:
    """Yield (line_number, values, problem) for each record, one at a time.

    values is None when the record is malformed (problem says why).
    """
    width = len(table.columns)
    for batch in ccew_batches(table):
        bad = dict(batch.bad)
        rows = batch.rows if batch.rows is not None else [x.split("\t") for x in batch.lines]
        for number, values in zip(batch.numbers, rows, strict=True):
            if len(values) == width:
                yield number, values, ""
            elif len(values) > 1 or values[0]:
                yield number, None, f"has {len(values)} fields, but the header has {width}"
        for number, problem in sorted(bad.items()):
            yield number, None, problem


def _segments(raw) -> Iterator[str]:
    """The decoded text in large pieces, each ending at a line end that no repair crosses.

    A piece ends just after a line feed that is followed by something other than a tab,
    so a record split by the known defect is never cut between two pieces.
    """
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    carry = ""
    while True:
        chunk = text.read(SEGMENT_CHARS)
        if not chunk:
            if carry:
                yield carry
            return
        data = carry + chunk
        cut = data.rfind("\n", 0, len(data) - 1)
        while cut != -1 and data[cut + 1] == "\t":
            cut = data.rfind("\n", 0, cut)
        if cut == -1:
            carry = data
            continue
        yield data[: cut + 1]
        carry = data[cut + 1 :]


def _text_batches(table: CcewTable, raw) -> Iterator[Batch]:
    number = 1  # physical line number of the next line
    header_seen = False
    for segment in _segments(raw):
        clean = "\x00" not in segment
        if "\r\n\t" not in segment and segment.count("\r") == segment.count("\r\n"):
            lines = segment.replace("\r\n", "\n").split("\n")
            if lines[-1] == "":
                lines.pop()
            numbers: Sequence[int] = range(number, number + len(lines))
            number += len(lines)
        else:
            lines, numbers = [], []
            for offset, line in _repaired_lines(io.StringIO(segment, newline="")):
                lines.append(line.rstrip("\r\n"))
                numbers.append(number + offset - 1)
            number += _physical_count(segment)
        if not header_seen:
            if not lines:
                continue
            header_seen = True
            _check_header(table, lines[0].split("\t"))
            lines, numbers = lines[1:], numbers[1:]
        yield Batch(numbers, lines, None, [], clean)
    if not header_seen:
        raise DataError("The file is empty", fix="Download it again.", file=table.name)


def _physical_count(segment: str) -> int:
    return sum(1 for _ in io.StringIO(segment, newline=""))


def _repaired_lines(text) -> Iterator[tuple[int, str]]:
    """Physical lines joined where a record was split by a stray CR LF before a tab.

    Yields (number of the record's first physical line, counting from 1; the line).
    """
    pending: str | None = None
    pending_number = 0
    for number, line in enumerate(text, start=1):
        if pending is not None and line.startswith("\t") and pending.endswith("\r\n"):
            pending = pending[:-2] + line
            continue
        if pending is not None:
            yield pending_number, pending
        pending, pending_number = line, number
    if pending is not None:
        yield pending_number, pending


def _json_batches(table: CcewTable, raw) -> Iterator[Batch]:
    head = raw.read(3)
    stream = io.BufferedReader(_Prefixed(head if head != b"\xef\xbb\xbf" else b"", raw))
    columns = table.columns
    expected = set(columns)
    batch = Batch([], None, [], [], False)
    for number, item in enumerate(ijson.items(stream, "item", use_float=False), start=1):
        if not isinstance(item, dict):
            batch.bad.append((number, "is not an object with named fields"))
        else:
            if number == 1:
                _check_header(table, list(item))
            if set(item) != expected:
                batch.bad.append((number, "does not have the table's fields"))
            else:
                batch.numbers.append(number)
                batch.rows.append([_json_text(item[column]) for column in columns])
        if len(batch.rows) + len(batch.bad) >= JSON_BATCH_ROWS:
            yield batch
            batch = Batch([], None, [], [], False)
    if batch.rows or batch.bad:
        yield batch


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
