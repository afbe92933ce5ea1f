"""JSON files, streamed with ijson: records come one at a time, never the whole file."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from typing import IO, Any

import ijson

from vcsehub.sources.errors import DataError
from vcsehub.sources.readers.base import Table, clean_header

Opener = Callable[[], IO[bytes]]
BROKEN_FIX = "Check the file with a JSON validator, or export it again, then try again."


class _SkipBOM:
    """A byte stream that drops a UTF-8 byte-order mark at its start."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._first = True

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        if self._first:
            self._first = False
            head = self._stream.read(3)
            if head == codecs.BOM_UTF8:
                head = b""
            rest = self._stream.read(size - len(head) if size and size > 0 else -1)
            return head + rest
        return self._stream.read(size)

    def close(self) -> None:
        self._stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class JsonTable(Table):
    format = "json"

    def __init__(
        self, opener: Opener, *, name: str, container: str | None = None, items: str | None = None
    ) -> None:
        self._opener = lambda: _SkipBOM(opener())
        label = f"{name} in {container}" if container else name
        self.items_prefix = items or _find_items(self._opener, label)
        items = self._items(label)
        first = next(items, None)
        items.close()
        headers = [clean_header(key) for key in first] if isinstance(first, dict) else []
        super().__init__(
            name=name, container=container, headers=headers, header_row=0, encoding="utf-8"
        )

    def _items(self, label: str | None = None) -> Iterator[Any]:
        with self._opener() as stream:
            try:
                yield from ijson.items(stream, self.items_prefix, use_float=False)
            except ijson.JSONError as error:
                raise DataError(
                    f"This JSON file is not valid: {error}",
                    fix=BROKEN_FIX,
                    file=label or self.file_label,
                ) from None

    def rows(self, *, strict: bool = True):
        raise DataError(
            "This importer needs a table (CSV or Excel), but this file is JSON",
            fix="Save the data as CSV (UTF-8) or .xlsx and try again.",
            file=self.file_label,
        )

    def records(self, *, strict: bool = True) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield (item_number, item) with nested objects and lists kept as they are."""
        for number, item in enumerate(self._items(), 1):
            if not isinstance(item, dict):
                raise DataError(
                    f"Item {number} of this JSON file is a {type(item).__name__}, not an object",
                    fix='Each record should be a JSON object: {"name": value, ...}.',
                    file=self.file_label,
                    row=number,
                )
            yield number, item


def _find_items(opener: Callable[[], Any], label: str) -> str:
    """The ijson prefix of the records: 'item' for a top-level array, '<key>.item' for an
    object holding one array. Streams the file's structure; never holds it in memory."""
    arrays: list[str] = []
    keys: list[str] = []
    with opener() as stream:
        try:
            events = ijson.parse(stream)
            prefix, event, _ = next(events, ("", "", None))
            if event == "start_array":
                return "item"
            if event != "start_map":
                raise DataError(
                    "This JSON file holds a single value, not a list of records",
                    fix="Export the data as a list of records.",
                    file=label,
                )
            key = None
            for prefix, event, value in events:
                if prefix == "" and event == "map_key":
                    key = value
                    keys.append(value)
                elif event == "start_array" and key is not None and prefix == key:
                    arrays.append(key)
        except ijson.JSONError as error:
            raise DataError(
                f"This JSON file is not valid: {error}", fix=BROKEN_FIX, file=label
            ) from None
    if len(arrays) == 1:
        return f"{arrays[0]}.item"
    if "grants" in arrays:
        return "grants.item"
    if not arrays:
        raise DataError(
            "This JSON file holds no list of records (its top-level keys are: "
            f"{', '.join(keys) or 'none'})",
            fix="Check it is the right file.",
            file=label,
        )
    raise DataError(
        f"This JSON file holds several lists ({', '.join(arrays)}), so it is not clear which "
        "holds the records",
        fix="Keep only the list of records in the file, or name the list to read.",
        file=label,
    )
