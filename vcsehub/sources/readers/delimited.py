"""CSV and other delimited text: encoding, separator and header found from the content.

rows() is a thin loop over csv.reader, so reading costs about what the csv module costs.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import islice
from typing import IO

from vcsehub.sources.errors import DataError
from vcsehub.sources.readers.base import Table, clean_headers, find_header_index, fit_record
from vcsehub.sources.readers.detect import detect_encoding, fallback_errors

SAMPLE_BYTES = 256 * 1024
SAMPLE_RECORDS = 200
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

Opener = Callable[[], IO[bytes]]


class CsvTable(Table):
    format = "csv"

    def __init__(
        self,
        opener: Opener,
        *,
        name: str,
        container: str | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
        quotechar: str | None = '"',
        header_row: int | None = None,
    ) -> None:
        self._opener = opener
        label = f"{name} in {container}" if container else name
        with opener() as raw:
            sample = raw.read(SAMPLE_BYTES)
            complete = not raw.read(1)
        if not sample.strip(b" \t\r\n\x00\xef\xbb\xbf"):
            raise DataError(
                "The file is empty",
                fix="Check it is the right file, and that it was saved with its data.",
                file=label,
            )
        self._errors = "strict" if encoding else fallback_errors()
        if encoding:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise DataError(
                    f"{encoding!r} is not a text encoding VCSE Hub knows",
                    fix="Use utf-8 or cp1252.",
                ) from None
        chosen = encoding or detect_encoding(sample, complete=complete)
        decoder = codecs.getincrementaldecoder(chosen)(errors=self._errors)
        try:
            text = decoder.decode(sample, final=complete)
        except UnicodeDecodeError as error:
            raise _decode_error(label, chosen, error) from None
        quoting = csv.QUOTE_NONE if quotechar is None else csv.QUOTE_MINIMAL
        delimiter = delimiter or sniff_delimiter(text, quotechar=quotechar, complete=complete)
        self._format = {"delimiter": delimiter, "quoting": quoting, "strict": False}
        if quotechar is not None:
            self._format["quotechar"] = quotechar
        sample_rows = list(
            islice(csv.reader(io.StringIO(text, newline=""), **self._format), SAMPLE_RECORDS)
        )
        if not complete and sample_rows:
            sample_rows.pop()  # may be cut off at the end of the sample
        if header_row is None:
            index = find_header_index(sample_rows)
            if index is None:
                raise DataError(
                    "The file holds no values, only empty lines",
                    fix="Check it is the right file.",
                    file=label,
                )
            header_row = index + 1
        raw_headers = sample_rows[header_row - 1] if header_row <= len(sample_rows) else []
        super().__init__(
            name=name,
            container=container,
            headers=clean_headers(raw_headers),
            header_row=header_row,
            encoding=chosen,
            raw_headers=raw_headers,
        )
        self.delimiter = delimiter
        self.quotechar = quotechar

    def _text(self) -> io.TextIOWrapper:
        return io.TextIOWrapper(
            self._opener(), encoding=self.encoding, errors=self._errors, newline=""
        )

    def rows(self, *, strict: bool = True) -> Iterator[tuple[int, list[str]]]:
        """Yield (row_number, list of str) straight from csv.reader; empty cells are ''."""
        width = len(self.headers)
        number = self.header_row
        with self._text() as text:
            reader = csv.reader(text, **self._format)
            try:
                for _ in islice(reader, self.header_row):
                    pass
                for number, row in enumerate(reader, self.header_row + 1):  # noqa: B007
                    if len(row) != width:
                        if not any(row):
                            continue  # a blank line
                        if strict:
                            raise self.ragged_row_error(number, len(row))
                    elif not row[0] and not any(row):
                        continue  # a line of empty cells: ,,,
                    yield number, row
            except UnicodeDecodeError as error:
                raise _decode_error(self.file_label, self.encoding, error, row=number + 1) from None
            except (zipfile.BadZipFile, EOFError) as error:
                raise DataError(
                    f"The file is damaged and could not be read to the end ({error})",
                    fix="Download it again.",
                    file=self.file_label,
                ) from None
            except csv.Error as error:
                raise DataError(
                    f"The file could not be read as CSV near row {number + 1} ({error})",
                    fix=(
                        "This usually means a quote mark that is never closed. Open the file "
                        "in a spreadsheet, check that row, and save it as CSV again."
                    ),
                    file=self.file_label,
                    row=number + 1,
                ) from None

    def records(self, *, strict: bool = True) -> Iterator[tuple[int, dict[str, str | None]]]:
        """Yield (row_number, {header: value}); empty cells are None."""
        headers = self.headers
        width = len(headers)
        for number, row in self.rows(strict=strict):
            values = [value or None for value in row]
            if len(values) == width:
                yield number, dict(zip(headers, values, strict=True))
            else:
                yield number, fit_record(headers, values)


def sniff_delimiter(text: str, *, quotechar: str | None = '"', complete: bool = True) -> str:
    """The separator that splits the first lines into the same, largest number of columns."""
    quoting = csv.QUOTE_NONE if quotechar is None else csv.QUOTE_MINIMAL
    best: tuple = ()
    chosen = ","
    for delimiter in DELIMITERS:
        options = {"delimiter": delimiter, "quoting": quoting, "strict": False}
        if quotechar is not None:
            options["quotechar"] = quotechar
        try:
            rows = list(islice(csv.reader(io.StringIO(text, newline=""), **options), 60))
        except csv.Error:
            continue
        if not complete and len(rows) > 1:
            rows.pop()
        widths = [len(row) for row in rows if any(cell.strip() for cell in row)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        # Most consistent first, then the most columns; order of DELIMITERS breaks ties.
        score = (width > 1, round(count / len(widths), 1), width)
        if not best or score > best:
            best, chosen = score, delimiter
    return chosen


def _decode_error(
    label: str, encoding: str, error: UnicodeDecodeError, row: int | None = None
) -> DataError:
    return DataError(
        f"The file could not be read as {encoding} text: byte {error.object[error.start : error.end]!r} "
        "is not valid there",
        fix="Save the file as 'CSV UTF-8' (in Excel: File, Save As, CSV UTF-8) and try again.",
        file=label,
        row=row,
    )
