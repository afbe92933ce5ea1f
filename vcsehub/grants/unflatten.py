"""Turn 360Giving spreadsheet rows into grant JSON, exactly as the official converter does.

The 360Giving Data Quality Tool converts CSV and XLSX files with Open Data Services'
flatten-tool (`unflatten` with convert_titles, root_list_path "grants", id_name "id",
a vertical "Meta" sheet). This module follows the same rules, so the grants it builds
are the same JSON (tests/grants/test_unflatten.py compares the two on every real file):

- a column title is split on ":" and each part matched to a schema title, ignoring case
  and spaces ("Recipient Org:Identifier" → recipientOrganization/id); unknown titles
  become field names as they are ("Open Call?");
- a number between parts is an array index ("Beneficiary Location:1:Name");
- cells are typed by the schema: numbers become Decimal (a value that is not a number
  stays text, with a warning), dates in text fields become ISO date-times (UTC);
- rows with the same Identifier, on any sheet, are merged into one grant; array items
  with the same "id" are merged too; rows with no Identifier stay separate grants.

Unlike flatten-tool it keeps no per-cell objects: each grant remembers only the rows it
came from, and each sheet the column each field came from, which is enough to point a
validation error at a sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from openpyxl.utils import get_column_letter

from vcsehub.grants.schema import GrantSchema

META_SHEET = "Meta"


class ConversionError(Exception):
    """The spreadsheet's columns contradict the schema so it cannot be converted at all."""


@dataclass
class Column:
    index: int  # 0-based
    title: Any  # the header cell as written
    path: list[str]  # JSON path parts, array indices kept as digit strings

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    @property
    def path_no_numbers(self) -> str:
        return "/".join(p for p in self.path if not _isint(p))


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    format: str  # "xlsx" or "csv"


@dataclass
class SpreadsheetGrant:
    data: dict
    rows: list[tuple[str, int]] = field(default_factory=list)  # (sheet, row number)


def _isint(text: Any) -> bool:
    try:
        int(text)
    except (TypeError, ValueError):
        return False
    return True


def _utc_iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def convert_type(kind: str, value: Any, warnings: list[str]) -> Any:
    """A cell's value as the schema type `kind` wants it (flatten-tool's convert_type)."""
    if value == "" or value is None:
        return None
    if kind == "number":
        if isinstance(value, float):
            return Decimal(repr(value))
        try:
            return Decimal(value)
        except (TypeError, ValueError, InvalidOperation):
            warnings.append(
                f'Non-numeric value "{value}" found in number column, returning as string instead.'
            )
            return str(value)
    if kind in ("array", "string_array", "number_array"):
        text = str(value)
        if kind == "number_array":
            try:
                if "," in text:
                    return [[Decimal(y) for y in x.split(",")] for x in text.split(";")]
                return [Decimal(x) for x in text.split(";")]
            except (TypeError, ValueError, InvalidOperation):
                warnings.append(f'Non-numeric value "{value}" found in number array column.')
        if "," in text:
            return [x.split(",") for x in text.split(";")]
        return text.split(";")
    if kind == "string":
        if type(value) is dt.datetime:
            return _utc_iso(value)
        return str(value)
    if type(value) is dt.datetime:
        return _utc_iso(value)
    if type(value) is float and int(value) == value:
        return int(value)
    return value if type(value) is int else str(value)


class _ListAsDict(dict):
    """Array items of one row, by the index written in the column title (-1 when none)."""


class _Keyed:
    """Array items (or grants) merged by their "id"; items with no id kept in order."""

    __slots__ = ("data", "no_key", "rows")

    def __init__(self) -> None:
        self.data: dict[Any, dict] = {}
        self.no_key: list[dict] = []
        self.rows: dict[int, list] = {}  # id(item) -> source rows, for grants only

    def append(self, item: dict) -> None:
        if "id" in item:
            key = item["id"]
            if key not in self.data:
                self.data[key] = item
            else:
                self.data[key].update(item)
        else:
            self.no_key.append(item)

    def to_list(self) -> list[dict]:
        return list(self.data.values()) + self.no_key


@lru_cache(maxsize=4096)
def _steps(path: tuple[str, ...]) -> tuple[tuple[int, str, bool, str, str, bool], ...]:
    """For each part of a column's path, what _place needs that depends on the path alone:
    (position, part, part is a number, path so far without numbers, next part, next part
    is a number). Worked out once per column instead of once per cell."""
    numeric = [_isint(part) for part in path]
    return tuple(
        (
            num,
            item,
            numeric[num],
            "/".join(
                p for p, is_number in zip(path[: num + 1], numeric, strict=False) if not is_number
            ),
            path[num + 1] if num + 1 < len(path) else "",
            num + 1 < len(path) and numeric[num + 1],
        )
        for num, item in enumerate(path)
    )


def _place(
    target: dict,
    path: list[str],
    value: Any,
    types: dict[str, str],
    warnings: list[str],
    steps: tuple | None = None,  # _steps(path), when the caller has it already
) -> None:
    current: dict = target
    for num, item, item_is_number, so_far, following, following_is_number in steps or _steps(
        tuple(path)
    ):
        if item_is_number:
            if num == 0:
                warnings.append(
                    f'Column "{"/".join(path)}" has been ignored because it is a number.'
                )
            continue
        kind = types.get(so_far)
        index = -1
        if following_is_number:
            if kind and kind != "array":
                raise ConversionError(
                    f"There is an array at '{so_far}' when the schema says there should be a '{kind}'"
                )
            index = int(following)
            kind = "array"
        if kind == "array":
            items = current.get(item)
            if items is None:
                items = _ListAsDict()
                current[item] = items
            elif type(items) is not _ListAsDict:
                warnings.append(
                    f"Column {'/'.join(path)} has been ignored, because it treats {so_far} as an array, but another column does not."
                )
                return
            new = items.get(index)
            if new is None:
                new = {}
                items[index] = new
            current = new
            continue
        if kind == "object" or (not kind and following):
            new = current.get(item)
            if new is None:
                new = {}
                current[item] = new
            elif type(new) is _ListAsDict or not isinstance(new, dict):
                warnings.append(
                    f"Column {'/'.join(path)} has been ignored, because it treats {so_far} as an object, but another column does not."
                )
                return
            current = new
            continue
        if kind and following:
            raise ConversionError(
                f"There is an object or list at '{so_far}' but it should be an {kind}"
            )
        existing = current.get(item)
        if type(existing) is _ListAsDict or isinstance(existing, dict):
            warnings.append(
                f"Column {so_far} has been ignored, because another column treats it as an array or object"
            )
            continue
        converted = convert_type(kind or "", value, warnings)
        if converted is not None and converted != "":
            current[item] = converted


def _lists_to_keyed(node: dict) -> dict:
    for key, value in list(node.items()):
        if isinstance(value, dict):
            if not value:
                node.pop(key)
            _lists_to_keyed(value)
        if isinstance(value, _ListAsDict):
            keyed = _Keyed()
            for index in sorted(value):
                keyed.append(value[index])
            node[key] = keyed
    return node


def _merge(base: dict, extra: dict, warnings: list[str], where: str) -> None:
    for key, value in extra.items():
        if key not in base:
            base[key] = value
            continue
        if isinstance(value, _Keyed):
            if not isinstance(base[key], _Keyed):
                warnings.append(
                    f"Columns for {key} ({where}) were ignored: another column does not treat it as a list."
                )
                continue
            for item_key, item in value.data.items():
                if item_key in base[key].data:
                    _merge(base[key].data[item_key], item, warnings, where)
                else:
                    base[key].data[item_key] = item
            base[key].no_key.extend(value.no_key)
        elif isinstance(value, dict):
            if isinstance(base[key], dict):
                _merge(base[key], value, warnings, where)
            else:
                warnings.append(
                    f"Columns for {key} ({where}) were ignored: another column does not treat it as an object."
                )
        elif isinstance(base[key], (dict, _Keyed)):
            warnings.append(
                f"Column {key} ({where}) was ignored: another column treats it as a list or object."
            )
        elif base[key] != value:
            warnings.append(
                f'You may have a duplicate Identifier: {where}: field "{key}" has the value "{base[key]}" '
                f'in one row and "{value}" in another; the first was kept.'
            )


def _to_lists(node: Any) -> Any:
    if isinstance(node, _Keyed):
        return [_to_lists(item) for item in node.to_list()]
    if isinstance(node, dict):
        return {key: _to_lists(value) for key, value in node.items()}
    return node


def sheet_columns(
    headers: Iterable[Any], schema: GrantSchema, *, package: bool = False
) -> list[Column]:
    """The columns of a sheet with the JSON path each one fills.

    As in flatten-tool, where two columns have the same title, or titles naming the same
    field, the cell further right wins and the column keeps the place of the first one.
    """
    lookup = schema.package_path_for_title if package else schema.path_for_title
    last: dict[Any, int] = {}
    first: dict[Any, int] = {}
    for index, header in enumerate(headers):
        if header is None:
            continue
        first.setdefault(header, index)
        last[header] = index
    columns: dict[str, Column] = {}
    places: dict[str, int] = {}
    for header, place in first.items():
        path = str(lookup(header) if isinstance(header, str) else header)
        places.setdefault(path, place)
        columns[path] = Column(
            index=last[header], title=header, path=[p.rstrip("[]") for p in path.split("/")]
        )
    return [columns[path] for path in sorted(columns, key=places.__getitem__)]


class Unflattener:
    """Collect rows from one or more sheets into grants, merged by Identifier."""

    def __init__(self, schema: GrantSchema) -> None:
        self.schema = schema
        self.grants = _Keyed()
        self.warnings: list[str] = []
        self.sheets: list[Sheet] = []
        self.meta: dict = {}

    def add_sheet(
        self, name: str, headers: list[Any], rows: Iterator[tuple[int, list[Any]]], *, format: str
    ) -> None:  # noqa: A002
        columns = sheet_columns(headers, self.schema)
        self.sheets.append(Sheet(name=name, columns=columns, format=format))
        types = self.schema.types
        steps = [_steps(tuple(column.path)) for column in columns]
        for number, values in rows:
            width = len(values)
            cells = [values[column.index] if column.index < width else None for column in columns]
            if all(value is None or value == "" for value in cells):
                continue
            record: dict = {}
            for column, column_steps, value in zip(columns, steps, cells, strict=True):
                if value is None or value == "":
                    continue
                try:
                    _place(record, column.path, value, types, self.warnings, column_steps)
                except ConversionError as error:
                    raise ConversionError(
                        f'sheet "{name}", column {column.letter} "{column.title}": {error}'
                    ) from None
            _lists_to_keyed(record)
            self._add(record, name, number)

    def _add(self, record: dict, sheet: str, number: int) -> None:
        grants = self.grants
        if "id" in record and record["id"] in grants.data:
            existing = grants.data[record["id"]]
            _merge(existing, record, self.warnings, f'sheet "{sheet}", Identifier "{record["id"]}"')
            grants.rows[id(existing)].append((sheet, number))
        else:
            grants.append(record)
            grants.rows[id(record)] = [(sheet, number)]

    def add_meta(self, columns_by_title: list[tuple[Any, Any]]) -> None:
        """The vertical Meta sheet: titles in column A, values in column B."""
        record: dict = {}
        for column in sheet_columns([t for t, _v in columns_by_title], self.schema, package=True):
            value = columns_by_title[column.index][1]
            if value is None or value == "":
                continue
            _place(record, column.path, value, self.schema.package_types, self.warnings)
        self.meta = _to_lists(_lists_to_keyed(record))

    def results(self) -> Iterator[SpreadsheetGrant]:
        """The grants in the converter's order (by first appearance; no-Identifier rows last)."""
        for record in self.grants.to_list():
            yield SpreadsheetGrant(data=_to_lists(record), rows=self.grants.rows[id(record)])
