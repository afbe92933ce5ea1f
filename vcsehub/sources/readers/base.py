"""What every reader gives back: a Table with clean headers, rows() and records()."""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, ClassVar

from vcsehub.sources.errors import DataError

HEADER_SEARCH_ROWS = 20
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^[-+(£$€]?\s*[\d.,]+\s*%?\)?$")


class Table(ABC):
    """One table from a file: a CSV file, one sheet of a workbook, one array in a JSON file.

    `headers` are cleaned (see clean_headers). `header_row` is the 1-based row the headers
    came from (0 for JSON, which has none). Rows are numbered as a spreadsheet shows them,
    so error messages point where the person will look.
    """

    format: ClassVar[str] = ""

    def __init__(
        self,
        *,
        name: str,
        headers: list[str],
        header_row: int,
        sheet: str | None = None,
        encoding: str | None = None,
        container: str | None = None,
        has_macros: bool = False,
        raw_headers: Sequence[Any] = (),
    ) -> None:
        self.name = name
        self.sheet = sheet
        self.headers = headers
        self.header_row = header_row
        self.encoding = encoding
        self.container = container
        self.has_macros = has_macros
        self.raw_headers = list(raw_headers)

    def __repr__(self) -> str:
        where = f" sheet {self.sheet!r}" if self.sheet else ""
        return f"<{type(self).__name__} {self.name}{where} {len(self.headers)} columns>"

    @property
    def file_label(self) -> str:
        """How error messages name the file: 'member.csv in archive.zip' or 'file.csv'."""
        return f"{self.name} in {self.container}" if self.container else self.name

    @abstractmethod
    def rows(self, *, strict: bool = True) -> Iterator[tuple[int, list[Any]]]:
        """Yield (row_number, values) for each data row, in file order, blank rows skipped.

        strict=True raises DataError on a row whose number of values differs from the
        number of headers; strict=False yields such rows as they are, for callers that
        repair them.
        """

    def records(self, *, strict: bool = True) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield (row_number, {header: value}); empty cells are None.

        With strict=False a short row is padded with None and the values of a long row
        beyond the headers are kept in a list under the key "_extra".
        """
        headers = self.headers
        for number, row in self.rows(strict=strict):
            record = fit_record(headers, row)
            for key, value in record.items():
                if value == "":
                    record[key] = None
            yield number, record

    def ragged_row_error(self, number: int, found: int) -> DataError:
        expected = len(self.headers)
        return DataError(
            f"Row {number} has {found} values, but the header row has {expected} columns",
            fix=(
                "Check that row for a missing or extra separator, or a value holding a "
                "separator that is not inside quotes, then save the file and try again."
            ),
            file=self.file_label,
            sheet=self.sheet,
            row=number,
        )


def fit_record(headers: list[str], row: Sequence[Any]) -> dict[str, Any]:
    """A row as {header: value}: a short row padded with None, a long row's rest in "_extra"."""
    width = len(headers)
    if len(row) == width:
        return dict(zip(headers, row, strict=True))
    if len(row) < width:
        return dict(zip(headers, [*row, *([None] * (width - len(row)))], strict=True))
    record = dict(zip(headers, row[:width], strict=True))
    record["_extra"] = list(row[width:])
    return record


def clean_header(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return _SPACES.sub(" ", text.replace("\ufeff", "").replace("\u00a0", " ")).strip()


def clean_headers(values: Sequence[Any]) -> list[str]:
    """Headers people can rely on: BOM and odd spaces gone, blanks named, duplicates made unique.

    A blank header becomes "column_<n>" (n counts from 1); a repeated header gets "_2", "_3".
    """
    cleaned = [clean_header(v) or f"column_{i}" for i, v in enumerate(values, start=1)]
    seen: set[str] = set()
    unique: list[str] = []
    for header in cleaned:
        candidate, n = header, 1
        while candidate in seen:
            n += 1
            candidate = f"{header}_{n}"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def _filled(row: Sequence[Any]) -> list[Any]:
    return [v for v in row if v is not None and not (isinstance(v, str) and not v.strip())]


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and not _NUMBER.match(value.strip())


def _span(row: Sequence[Any]) -> int:
    """How far along the row its values reach: 1 + the position of its last value."""
    for index in range(len(row) - 1, -1, -1):
        value = row[index]
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return index + 1
    return 0


def find_header_index(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index of the header row among the first rows of a sheet, skipping title rows.

    Title rows hold a few values at the left; the header reaches across the table. So the
    header is the first row (of the first 20) that reaches at least 80% as far as most
    rows do, has at least two values, and is mostly text. Failing that, the first row
    that reaches that far. None when every row is empty.
    """
    window = list(rows[:HEADER_SEARCH_ROWS])
    spans = [_span(row) for row in window]
    if not any(spans):
        return None
    counts = Counter(span for span in spans if span)
    usual = max(counts, key=lambda span: (counts[span], -span))
    far_enough = math.ceil(usual * 0.8)
    for index, row in enumerate(window):
        if spans[index] < far_enough:
            continue
        filled = _filled(row)
        if len(filled) >= min(2, usual) and sum(map(_is_text, filled)) * 2 > len(filled):
            return index
    return next(index for index, span in enumerate(spans) if span >= far_enough)


def trim_trailing_blanks(values: Sequence[Any]) -> list[Any]:
    values = list(values)
    while values and (
        values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())
    ):
        values.pop()
    return values
