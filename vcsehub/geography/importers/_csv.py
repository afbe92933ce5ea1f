"""Reading the official CSV files quickly, and saying clearly when one is the wrong file.

Geography files are big (the postcode directory has 2.7 million rows), so importers read
them with the csv module directly: rows come back as lists, and each importer turns
them into tuples for `bulk.insert`. This module handles what the official files do:
a UTF-8 byte-order mark, CRLF line ends, zips holding one or many CSVs, thousands
separators in numbers ("29,199"), and files cut short (a zip CRC error, or a last row
with fewer columns than the header).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from vcsehub.sources.errors import DataError
from vcsehub.sources.fetch import FetchedFile

csv.field_size_limit(10 * 1024 * 1024)


@dataclass
class CsvTable:
    """One CSV (a file, or a member of a zip) opened for reading."""

    name: str
    header: list[str]
    rows: Iterator[list[str]]

    def __post_init__(self) -> None:
        self.lower = [h.strip().lower() for h in self.header]

    def find(self, *patterns: str) -> int | None:
        """Index of the first column whose lower-cased name matches one of the regex patterns."""
        for pattern in patterns:
            regex = re.compile(pattern)
            for i, name in enumerate(self.lower):
                if regex.fullmatch(name):
                    return i
        return None

    def column(self, name: str) -> int | None:
        try:
            return self.lower.index(name.lower())
        except ValueError:
            return None

    def require(self, required: dict[str, Sequence[str]], *, expected: str) -> dict[str, int]:
        """Map each required field to its column, or raise DataError naming what is missing."""
        found: dict[str, int] = {}
        missing: list[str] = []
        for field, patterns in required.items():
            index = self.find(*patterns)
            if index is None:
                missing.append(field)
            else:
                found[field] = index
        if missing:
            raise wrong_layout(self.name, missing, expected)
        return found


def wrong_layout(name: str, missing: Sequence[str], expected: str) -> DataError:
    columns = ", ".join(missing)
    return DataError(
        f"This file does not look like {expected}: it has no column for {columns}",
        fix=f"Check it is {expected}, not another file, and that its first row holds the column names.",
        file=name,
    )


def truncated(name: str, row: int | None = None, detail: str = "") -> DataError:
    extra = f" ({detail})" if detail else ""
    return DataError(
        f"The file ends part-way through{extra}, so it was not loaded",
        fix="Download the file again: it was probably cut off.",
        file=name,
        row=row,
    )


def _text(stream) -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")


@contextmanager
def open_tables(
    fetched: FetchedFile,
    *,
    choose_members: Callable[[list[str]], list[str]] | None = None,
) -> Iterator[list[CsvTable]]:
    """Open a CSV file, or the CSV members of a zip, as CsvTables (lazy rows)."""
    path = Path(fetched.path)
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic.startswith(b"PK"):
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise truncated(fetched.name, detail="the zip file is damaged") from None
        with archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if choose_members is not None:
                names = choose_members(names)
            if not names:
                raise DataError(
                    "The zip file holds no CSV file to load",
                    fix="Check it is the right download.",
                    file=fetched.name,
                )
            streams = []
            try:
                tables = []
                for member in names:
                    stream = _text(archive.open(member))
                    streams.append(stream)
                    tables.append(_table(f"{fetched.name}:{member}", stream))
                yield tables
            finally:
                for stream in streams:
                    stream.close()
        return
    with path.open("rb") as raw:
        stream = _text(raw)
        yield [_table(fetched.name, stream)]


def _table(name: str, stream) -> CsvTable:
    reader = csv.reader(stream, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError("The file is empty", fix="Check it is the right file.", file=name) from None
    except UnicodeDecodeError:
        raise not_utf8(name) from None
    return CsvTable(name=name, header=header, rows=_guarded(name, reader, len(header)))


def not_utf8(name: str) -> DataError:
    return DataError(
        "The file is not UTF-8 text, as the official file is",
        fix="Use the file as downloaded from the publisher.",
        file=name,
    )


def _guarded(name: str, reader, width: int) -> Iterator[list[str]]:
    """Rows of the reader; a short last row, a broken quote or a bad zip means a cut-off file."""
    line = 1
    try:
        for row in reader:
            line += 1
            if len(row) != width:
                if not row:
                    continue
                raise truncated(
                    name,
                    row=line,
                    detail=f"row {line} has {len(row)} columns, the header has {width}",
                )
            yield row
    except csv.Error as error:
        raise truncated(name, row=line + 1, detail=str(error)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise truncated(name, row=line + 1, detail=f"the zip file is damaged: {error}") from None
    except UnicodeDecodeError:
        raise not_utf8(name) from None


def to_int(text: str) -> int | None:
    """'29,199' → 29199; '' → None; '4563.0' → 4563."""
    if not text:
        return None
    text = text.replace(",", "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return int(float(text))


def to_float(text: str) -> float | None:
    if not text:
        return None
    text = text.replace(",", "").strip()
    return float(text) if text else None


def number_error(name: str, row: int, column: str, value: str) -> DataError:
    return DataError(
        f"{value!r} is not a number",
        fix="The official file has numbers in this column; check it has not been edited.",
        file=name,
        row=row,
        column=column,
    )
