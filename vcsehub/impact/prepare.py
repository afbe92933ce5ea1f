"""Turning the rows of an upload into the values that would be stored, noting every problem.

`rows_prepare` reads each mapped cell once: dates (with the column's day/month order),
person references (pseudonymised), postcodes (looked up in one batch, kept only as
areas), ages and dates of birth (kept only as an age band), counts, outcome scores and
short text values. Each problem becomes a flag `(flag, column title)` on its row; the
check classes in `checks/` turn flags into the report, and the rows flagged with an
error are not stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from vcsehub.impact import privacy
from vcsehub.impact.enrich import FOUND, MISSING_OUTCOME, PostcodeOutcome, postcodes_enrich
from vcsehub.impact.models import Field, Record
from vcsehub.impact.values import (
    MAX_AGE,
    DateOrder,
    age_band,
    age_on,
    date_order_for,
    is_blank,
    parse_count,
    parse_date,
    parse_number,
    text_of,
)

TEXT_FIELDS = (
    Field.GENDER,
    Field.ETHNICITY,
    Field.DISABILITY,
    Field.SERVICE,
    Field.REFERRAL_SOURCE,
)
FINGERPRINT_FIELDS = (
    "contact_date",
    "person_key",
    "postcode",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
    "service",
    "referral_source",
    "people_count",
    "outcome_before",
    "outcome_after",
)
# Flags that stop a row being stored.
ERROR_FLAGS = ("row_empty", "date_missing", "date_unreadable", "date_future")


@dataclass(slots=True)
class PreparedRow:
    number: int
    values: dict[str, Any]
    postcode: PostcodeOutcome | None = None  # None when no column is mapped to postcode
    flags: list[tuple[str, str]] = field(default_factory=list)
    fingerprint: str = ""

    def flag(self, name: str, column: str) -> None:
        self.flags.append((name, column))

    @property
    def error(self) -> str | None:
        """The first flag that stops this row being stored, or None."""
        if not self.flags:
            return None
        names = {name for name, _ in self.flags}
        return next((name for name in ERROR_FLAGS if name in names), None)


@dataclass(slots=True)
class Prepared:
    headers: list[str]
    mapping: dict[str, str]
    rows: list[PreparedRow]
    personal: dict[str, str]
    date_orders: dict[str, DateOrder]
    scale: tuple[Decimal, Decimal] | None
    today: date
    existing: set[str] = field(default_factory=set)
    columns_of: dict[str, list[str]] = field(default_factory=dict)
    column_values: dict[str, int] = field(default_factory=dict)  # title → non-blank cells

    def flagged(self, name: str) -> list[tuple[int, str]]:
        return [
            (row.number, column) for row in self.rows for flag, column in row.flags if flag == name
        ]


class _Memo:
    """Answers for cells already seen in this file: a visit log repeats its dates, its
    references and its categories many times, so each distinct cell is worked out once.
    Per run only (it holds pseudonyms and values of this upload, never kept)."""

    __slots__ = ("dates", "keys", "texts", "ages", "counts", "numbers", "secret", "today")

    def __init__(self, secret: str, today: date) -> None:
        self.secret, self.today = secret, today
        self.dates: dict = {}
        self.keys: dict = {}
        self.texts: dict = {}
        self.ages: dict = {}
        self.counts: dict = {}
        self.numbers: dict = {}

    def date(self, cell: Any, order) -> date | None:
        key = (cell.__class__, cell, order)  # 1, 1.0 and True are equal keys otherwise
        if key not in self.dates:
            self.dates[key] = parse_date(cell, order=order, today=self.today)
        return self.dates[key]

    def person(self, cell: Any) -> str:
        key = (cell.__class__, cell)
        if key not in self.keys:
            self.keys[key] = privacy.pseudonymise(self.secret, cell)
        return self.keys[key]

    def text(self, name: str, cell: Any) -> tuple[str, str]:
        """(flag, '') or ('', text to store) or ('', '') for nothing."""
        key = (name, cell.__class__, cell)
        if key not in self.texts:
            self.texts[key] = _text_value(name, cell)
        return self.texts[key]

    def count(self, cell: Any) -> int | None:
        key = (cell.__class__, cell)
        if key not in self.counts:
            self.counts[key] = parse_count(cell)
        return self.counts[key]

    def number(self, cell: Any) -> Decimal | None:
        key = (cell.__class__, cell)
        if key not in self.numbers:
            self.numbers[key] = parse_number(cell)
        return self.numbers[key]


def _columns_of(mapping: dict[str, str]) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = defaultdict(list)
    for title, name in mapping.items():
        columns[name].append(title)
    return dict(columns)


def rows_prepare(
    *,
    headers: Sequence[str],
    rows: Sequence[tuple[int, list[Any]]],
    mapping: dict[str, str],
    secret: str,
    today: date,
    personal: dict[str, str] | None = None,
    scale: tuple[Decimal, Decimal] | None = None,
    existing: set[str] | None = None,
) -> Prepared:
    index = {title: i for i, title in enumerate(headers)}
    columns_of = _columns_of(mapping)

    def cells(name: str) -> list[tuple[str, list[Any]]]:
        return [
            (title, [row[index[title]] for _, row in rows]) for title in columns_of.get(name, [])
        ]

    orders = {}
    for name in (Field.CONTACT_DATE, Field.DATE_OF_BIRTH):
        for title, values in cells(name):
            orders[title] = date_order_for(values)
    postcode_cells = cells(Field.POSTCODE)
    outcomes = (
        postcodes_enrich(postcode_cells[0][1]) if postcode_cells else [MISSING_OUTCOME] * len(rows)
    )
    prepared_rows = []
    memo = _Memo(secret, today)
    fingerprint = privacy.keyed_hasher(secret)
    mapped_indexes = [index[t] for titles in columns_of.values() for t in titles]
    for position, (number, raw) in enumerate(rows):
        row = PreparedRow(number=number, values={})
        _prepare_row(row, raw, index, columns_of, orders, memo, scale, mapped_indexes)
        if postcode_cells and row.error != "row_empty":
            row.postcode = outcomes[position]
            title = postcode_cells[0][0]
            if row.postcode.status != FOUND:
                row.flag(f"postcode_{row.postcode.status}", title)
        row.fingerprint = _fingerprint(row, fingerprint)
        prepared_rows.append(row)
    column_values = {
        title: sum(1 for _, raw in rows if not is_blank(raw[index[title]])) for title in mapping
    }
    return Prepared(
        headers=list(headers),
        mapping=dict(mapping),
        rows=prepared_rows,
        personal=dict(personal or {}),
        date_orders=orders,
        scale=scale,
        today=today,
        existing=set(existing or ()),
        columns_of=columns_of,
        column_values=column_values,
    )


def _prepare_row(row, raw, index, columns_of, orders, memo, scale, mapped_indexes) -> None:
    values = row.values
    today = memo.today
    if all(is_blank(raw[i]) for i in mapped_indexes):
        row.flag("row_empty", "")
        return  # nothing else to say about an empty row
    for title in columns_of.get(Field.CONTACT_DATE, []):
        cell = raw[index[title]]
        if is_blank(cell):
            row.flag("date_missing", title)
            continue
        found = memo.date(cell, orders[title].order)
        if found is None:
            row.flag("date_unreadable", title)
        elif found > today:
            row.flag("date_future", title)
        else:
            values["contact_date"] = found
    for title in columns_of.get(Field.PERSON_REF, []):
        key = memo.person(raw[index[title]])
        if key:
            values["person_key"] = key
        else:
            row.flag("person_ref_missing", title)
    for title in columns_of.get(Field.POSTCODE, []):
        values["postcode"] = text_of(raw[index[title]]).upper().replace(" ", "")
    _age(row, raw, index, columns_of, orders, memo)
    for name in TEXT_FIELDS:
        for title in columns_of.get(name, []):
            cell = raw[index[title]]
            if cell is None:
                continue
            flag, text = memo.text(name, cell)
            if flag:
                row.flag(flag, title)
            elif text:
                values[str(name)] = text
    counts = []
    for title in columns_of.get(Field.PEOPLE_COUNT, []):
        cell = raw[index[title]]
        if is_blank(cell):
            continue
        count = memo.count(cell)
        if count is None or count > 1000:
            row.flag("people_unreadable", title)
        else:
            counts.append(count)
    if counts:
        values["people_count"] = sum(counts)
    for name in (Field.OUTCOME_BEFORE, Field.OUTCOME_AFTER):
        for title in columns_of.get(name, []):
            cell = raw[index[title]]
            if is_blank(cell):
                continue
            number = memo.number(cell)
            if number is None:
                row.flag("outcome_not_number", title)
            elif (
                scale is not None
                and not scale[0] <= number <= scale[1]
                or abs(number) >= Decimal("1000000")
            ):
                row.flag("outcome_out_of_scale", title)
            else:
                values[str(name)] = number.quantize(Decimal("0.01"))


def _age(row, raw, index, columns_of, orders, memo) -> None:
    today = memo.today
    for title in columns_of.get(Field.AGE, []):
        cell = raw[index[title]]
        if is_blank(cell):
            continue
        number = memo.number(cell)
        if number is None or number < 0 or number > MAX_AGE:
            row.flag("age_unreadable", title)
        else:
            row.values["age_band"] = age_band(int(number))
            return
    when = row.values.get("contact_date") or today
    for title in columns_of.get(Field.DATE_OF_BIRTH, []):
        cell = raw[index[title]]
        if is_blank(cell):
            continue
        born = memo.date(cell, orders[title].order)
        if born is None:
            row.flag("dob_unreadable", title)
        elif born > when or age_on(born, when) > MAX_AGE:
            row.flag("dob_impossible", title)
        else:
            row.values["age_band"] = age_band(age_on(born, when))
            return


def _text_value(name: str, cell: Any) -> tuple[str, str]:
    """(flag, '') when the value may not be stored, else ('', the text) ('' for nothing)."""
    text = text_of(cell)
    if not text:
        return "", ""
    if privacy.value_personal_kind(cell) is not None or privacy.value_personal_kind(text):
        return "personal_value", ""
    if len(text) > Record._meta.get_field(str(name)).max_length:
        return "text_too_long", ""
    return "", text


def _fingerprint(row: PreparedRow, hasher) -> str:
    parts = []
    for name in FINGERPRINT_FIELDS:
        value = row.values.get(name)
        parts.append("" if value is None else str(value))
    return hasher(parts)


def record_fields(row: PreparedRow) -> dict[str, Any]:
    """The Record fields of a prepared row (the postcode itself is not among them)."""
    values = {k: v for k, v in row.values.items() if k != "postcode"}
    if row.postcode is None:
        return values
    values["postcode_status"] = row.postcode.status
    if row.postcode.status == FOUND:
        values.update(row.postcode.areas())
    return values
