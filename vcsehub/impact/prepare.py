"""Turning the rows of an upload into the values that would be stored, noting every problem.

`Preparer` reads each mapped cell: dates (with the column's day/month order, decided
from the whole column first), person references (pseudonymised), postcodes (looked up a
batch at a time, kept only as areas), ages and dates of birth (kept only as an age
band), counts, outcome scores and short text values. Each problem becomes a flag
`(flag, column title)` on its row. A `Tally` counts the flags as the rows go by, so the
check classes in `checks/` can report on a million rows without keeping them; rows
flagged with an error are not stored. `LineMaker` turns each row to store into a
compact record line. `rows_prepare` does all of it for a small table and keeps every row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from vcsehub.impact import privacy
from vcsehub.impact.enrich import AREA_FIELDS, FOUND, INVALID, PostcodeOutcome, postcodes_enrich
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
MAX_CELLS = 200  # cells listed per check (each check still counts them all)
MAX_SCORE = Decimal("1000000")


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
class Tally:
    """What the checks need to know of the prepared rows, counted as they go by, so the rows
    themselves need not be kept: each flag's count and first cells, the rows left out (by
    their first error), repeats within the file and rows already in the dataset.

    `add(row)` says whether the row would be stored (no error, not a repeat, not stored
    before).
    """

    existing: set[str] = field(default_factory=set)
    rows: int = 0
    flag_counts: Counter = field(default_factory=Counter)
    # flag → its first MAX_CELLS cells, as (row sequence, place among the row's flags, row
    # number, column): enough to list the first cells of a check of several flags in order.
    flag_cells: dict[str, list[tuple[int, int, int, str]]] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)  # first error flag → rows left out
    invalid_reasons: Counter = field(default_factory=Counter)  # why postcodes are not valid
    repeats: int = 0
    repeat_rows: list[int] = field(default_factory=list)  # the first MAX_CELLS row numbers
    already: int = 0
    already_rows: list[int] = field(default_factory=list)
    stored: int = 0
    first_date: date | None = None  # of the rows to store
    last_date: date | None = None
    seen: set[str] = field(default_factory=set)

    def add(self, row: PreparedRow) -> bool:
        sequence = self.rows
        self.rows += 1
        if row.flags:
            for place, (name, column) in enumerate(row.flags):
                self.flag_counts[name] += 1
                cells = self.flag_cells.setdefault(name, [])
                if len(cells) < MAX_CELLS:
                    cells.append((sequence, place, row.number, column))
            if row.postcode is not None and row.postcode.status == INVALID:
                self.invalid_reasons[row.postcode.reason] += 1
            error = row.error
            if error is not None:
                self.errors[error] += 1
                return False
        fingerprint = row.fingerprint
        if fingerprint in self.existing:
            self.already += 1
            if len(self.already_rows) < MAX_CELLS:
                self.already_rows.append(row.number)
            return False
        if fingerprint in self.seen:
            self.repeats += 1
            if len(self.repeat_rows) < MAX_CELLS:
                self.repeat_rows.append(row.number)
            return False
        self.seen.add(fingerprint)
        self.stored += 1
        when = row.values.get("contact_date")
        if when is not None:
            if self.first_date is None or when < self.first_date:
                self.first_date = when
            if self.last_date is None or when > self.last_date:
                self.last_date = when
        return True

    def cells(self, flags: Sequence[str]) -> tuple[int, list[tuple[int, str]]]:
        """How many cells carry any of `flags`, and the first MAX_CELLS of them in row order."""
        count = sum(self.flag_counts[name] for name in flags)
        found = sorted(cell for name in flags for cell in self.flag_cells.get(name, ()))
        return count, [(number, column) for _, _, number, column in found[:MAX_CELLS]]


@dataclass(slots=True)
class Prepared:
    """The whole-file decisions and the tally of the prepared rows: what the checks read."""

    headers: list[str]
    mapping: dict[str, str]
    personal: dict[str, str]
    date_orders: dict[str, DateOrder]
    scale: tuple[Decimal, Decimal] | None
    today: date
    tally: Tally
    columns_of: dict[str, list[str]] = field(default_factory=dict)
    column_values: dict[str, int] = field(default_factory=dict)  # title → non-blank cells
    rows: list[PreparedRow] = field(default_factory=list)  # every row, kept by rows_prepare
    to_store: list[PreparedRow] = field(default_factory=list)  # and those it would store


def _key(cell: Any) -> Any:
    """A memo key: 1, 1.0 and True are equal keys otherwise; text (the usual cell) as it is."""
    return cell if cell.__class__ is str else (cell.__class__, cell)


def _columns_of(mapping: dict[str, str]) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = defaultdict(list)
    for title, name in mapping.items():
        columns[name].append(title)
    return dict(columns)


def date_orders_for(
    headers: Sequence[str], mapping: dict[str, str], rows: Sequence[tuple[int, list[Any]]]
) -> dict[str, DateOrder]:
    """Each date column's day/month order, decided from the whole column."""
    index = {title: i for i, title in enumerate(headers)}
    columns_of = _columns_of(mapping)
    orders = {}
    for name in (Field.CONTACT_DATE, Field.DATE_OF_BIRTH):
        for title in columns_of.get(name, []):
            i = index[title]
            orders[title] = date_order_for(row[i] for _, row in rows)
    return orders


class Preparer:
    """Prepares rows, a batch at a time, once the whole-column decisions are made.

    Each distinct cell (a date, a reference, a category, a score) is worked out once per
    file: a visit log repeats its dates, references and categories many times. The answers
    hold pseudonyms and values of this upload: they live only as long as this object.
    """

    def __init__(
        self,
        *,
        headers: Sequence[str],
        mapping: dict[str, str],
        secret: str,
        today: date,
        orders: dict[str, DateOrder],
        scale: tuple[Decimal, Decimal] | None = None,
    ) -> None:
        self.headers = list(headers)
        self.mapping = dict(mapping)
        self.today = today
        self.orders = orders
        self.scale = scale
        index = {title: i for i, title in enumerate(headers)}
        self.columns_of = columns_of = _columns_of(mapping)

        def columns(name):
            return [(index[t], t) for t in columns_of.get(name, [])]

        self._mapped = [index[t] for t in mapping]
        self._filled = [0] * len(self._mapped)
        self._dates = [(i, t, {}, orders[t].order) for i, t in columns(Field.CONTACT_DATE)]
        self._people = [(i, t) for i, t in columns(Field.PERSON_REF)]
        self._postcodes = [i for i, _ in columns(Field.POSTCODE)]
        self._postcode_column = columns(Field.POSTCODE)[0] if Field.POSTCODE in columns_of else None
        self._ages = columns(Field.AGE)
        self._births = [(i, t, orders[t].order) for i, t in columns(Field.DATE_OF_BIRTH)]
        self._texts = [(str(name), columns(name), {}) for name in TEXT_FIELDS]
        self._counts = columns(Field.PEOPLE_COUNT)
        self._outcomes = [
            (str(name), columns(name), {}) for name in (Field.OUTCOME_BEFORE, Field.OUTCOME_AFTER)
        ]
        self._person_key = privacy.pseudonymiser(secret)
        self._fingerprint = privacy.keyed_hasher(secret)
        self._keys: dict = {}
        self._postcode_texts: dict = {}
        self._age_bands: dict = {}
        self._births_read: dict = {}
        self._numbers: dict = {}
        self._counts_read: dict = {}
        self._text_forms: dict = {}  # a stored value → its text in a fingerprint
        self._outcome_of: dict = {}  # a postcode cell → its PostcodeOutcome

    @property
    def column_values(self) -> dict[str, int]:
        return dict(zip(self.mapping, self._filled, strict=True))

    def prepared(self, tally: Tally, *, personal: dict[str, str] | None = None) -> Prepared:
        return Prepared(
            headers=self.headers,
            mapping=self.mapping,
            personal=dict(personal or {}),
            date_orders=self.orders,
            scale=self.scale,
            today=self.today,
            tally=tally,
            columns_of=self.columns_of,
            column_values=self.column_values,
        )

    def prepare(self, rows: Sequence[tuple[int, list[Any]]]) -> list[PreparedRow]:
        """The prepared rows of a batch, in order (its postcodes looked up in one go)."""
        outcomes = self._postcode_outcomes(rows)
        column = self._postcode_column
        self._count_filled(rows)
        prepared = []
        for position, (number, raw) in enumerate(rows):
            row = PreparedRow(number=number, values={})
            if self._prepare_row(row, raw) and column is not None:
                row.postcode = outcome = outcomes[position]
                if outcome.status != FOUND:
                    row.flag(f"postcode_{outcome.status}", column[1])
            row.fingerprint = self._fingerprint_of(row.values)
            prepared.append(row)
        return prepared

    def _postcode_outcomes(self, rows) -> list[PostcodeOutcome] | None:
        if self._postcode_column is None:
            return None
        i = self._postcode_column[0]
        known = self._outcome_of
        cells = [raw[i] for _, raw in rows]
        keys = [_key(cell) for cell in cells]
        new = {key: cell for key, cell in zip(keys, cells, strict=True) if key not in known}
        for key, outcome in zip(new, postcodes_enrich(list(new.values())), strict=True):
            known[key] = outcome
        return [known[key] for key in keys]

    def _count_filled(self, rows) -> None:
        """Count the filled cells of each mapped column of a batch, each distinct cell once."""
        for k, i in enumerate(self._mapped):
            cells = Counter([raw[i] for _, raw in rows])
            self._filled[k] += sum(n for cell, n in cells.items() if _filled(cell))

    def _prepare_row(self, row: PreparedRow, raw: list[Any]) -> bool:
        """Fill the row's values and flags; False for a row with nothing in any mapped column."""
        mapped = self._mapped
        # Only a row whose first mapped cell is blank can be empty: the rest are not looked at.
        first_blank = not mapped or not _filled(raw[mapped[0]])
        if first_blank and not any(_filled(raw[i]) for i in mapped):
            row.flag("row_empty", "")
            return False  # nothing else to say about an empty row
        values = row.values
        for i, title, memo, order in self._dates:
            cell = raw[i]
            key = cell if cell.__class__ is str else (cell.__class__, cell)
            answer = memo.get(key)
            if answer is None:
                answer = memo[key] = self._contact_date(cell, order)
            flag, found = answer
            if flag:
                row.flag(flag, title)
            else:
                values["contact_date"] = found
        for i, title in self._people:
            cell = raw[i]
            key = cell if cell.__class__ is str else (cell.__class__, cell)
            person = self._keys.get(key)
            if person is None:
                person = self._keys[key] = self._person_key(cell)
            if person:
                values["person_key"] = person
            else:
                row.flag("person_ref_missing", title)
        for i in self._postcodes:
            cell = raw[i]
            key = cell if cell.__class__ is str else (cell.__class__, cell)
            text = self._postcode_texts.get(key)
            if text is None:
                text = self._postcode_texts[key] = text_of(cell).upper().replace(" ", "")
            values["postcode"] = text
        if self._ages or self._births:
            self._age(row, raw)
        for name, titles, memo in self._texts:
            for i, title in titles:
                cell = raw[i]
                if cell is None:
                    continue
                key = cell if cell.__class__ is str else (cell.__class__, cell)
                answer = memo.get(key)
                if answer is None:
                    answer = memo[key] = _text_value(name, cell)
                flag, text = answer
                if flag:
                    row.flag(flag, title)
                elif text:
                    values[name] = text
        if self._counts:
            counts = []
            for i, title in self._counts:
                cell = raw[i]
                if is_blank(cell):
                    continue
                key = cell if cell.__class__ is str else (cell.__class__, cell)
                if key not in self._counts_read:
                    self._counts_read[key] = parse_count(cell)
                count = self._counts_read[key]
                if count is None or count > 1000:
                    row.flag("people_unreadable", title)
                else:
                    counts.append(count)
            if counts:
                values["people_count"] = sum(counts)
        for name, titles, memo in self._outcomes:
            for i, title in titles:
                cell = raw[i]
                if cell is None:
                    continue
                key = cell if cell.__class__ is str else (cell.__class__, cell)
                answer = memo.get(key)
                if answer is None:
                    answer = memo[key] = self._score(cell)
                flag, number = answer
                if flag:
                    row.flag(flag, title)
                elif number is not None:
                    values[name] = number
        return True

    def _contact_date(self, cell: Any, order: str) -> tuple[str, date | None]:
        if is_blank(cell):
            return "date_missing", None
        found = parse_date(cell, order=order, today=self.today)
        if found is None:
            return "date_unreadable", None
        if found > self.today:
            return "date_future", None
        return "", found

    def _number(self, cell: Any) -> Decimal | None:
        key = _key(cell)
        if key not in self._numbers:
            self._numbers[key] = parse_number(cell)
        return self._numbers[key]

    def _score(self, cell: Any) -> tuple[str, Decimal | None]:
        """('', score), (flag, None), or ('', None) for a blank cell."""
        if is_blank(cell):
            return "", None
        number = self._number(cell)
        if number is None:
            return "outcome_not_number", None
        scale = self.scale
        if scale is not None and not scale[0] <= number <= scale[1] or abs(number) >= MAX_SCORE:
            return "outcome_out_of_scale", None
        return "", number.quantize(Decimal("0.01"))

    def _age(self, row: PreparedRow, raw: list[Any]) -> None:
        for i, title in self._ages:
            cell = raw[i]
            key = cell if cell.__class__ is str else (cell.__class__, cell)
            band = self._age_bands.get(key)
            if band is None:
                band = self._age_bands[key] = self._age_band(cell)
            if band == "":  # blank
                continue
            if band == "?":
                row.flag("age_unreadable", title)
            else:
                row.values["age_band"] = band
                return
        when = row.values.get("contact_date") or self.today
        for i, title, order in self._births:
            cell = raw[i]
            if is_blank(cell):
                continue
            key = (_key(cell), order)
            if key not in self._births_read:
                self._births_read[key] = parse_date(cell, order=order, today=self.today)
            born = self._births_read[key]
            if born is None:
                row.flag("dob_unreadable", title)
            elif born > when or age_on(born, when) > MAX_AGE:
                row.flag("dob_impossible", title)
            else:
                row.values["age_band"] = age_band(age_on(born, when))
                return

    def _age_band(self, cell: Any) -> str:
        """The age band of an age cell: '' for a blank cell, '?' when not a usable age."""
        if is_blank(cell):
            return ""
        number = self._number(cell)
        if number is None or number < 0 or number > MAX_AGE:
            return "?"
        return age_band(int(number))

    def _fingerprint_of(self, values: dict[str, Any]) -> str:
        forms = self._text_forms
        parts = []
        for name in FINGERPRINT_FIELDS:
            value = values.get(name)
            if value is None:
                parts.append("")
            elif value.__class__ is str:
                parts.append(value)
            else:
                key = (value.__class__, value)
                text = forms.get(key)
                if text is None:
                    text = forms[key] = str(value)
                parts.append(text)
        return self._fingerprint(parts)


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
    """Prepare every row and keep them all (`rows`, and those it would store in `to_store`).

    For a small table; an upload goes through `Preparer` and `Tally` a batch at a time and
    keeps only the record lines.
    """
    preparer = Preparer(
        headers=headers,
        mapping=mapping,
        secret=secret,
        today=today,
        orders=date_orders_for(headers, mapping, rows),
        scale=scale,
    )
    tally = Tally(existing=set(existing or ()))
    prepared_rows = preparer.prepare(rows)
    to_store = [row for row in prepared_rows if tally.add(row)]
    prepared = preparer.prepared(tally, personal=personal)
    prepared.rows = prepared_rows
    prepared.to_store = to_store
    return prepared


def _filled(cell: Any) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


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


def record_fields(row: PreparedRow) -> dict[str, Any]:
    """The Record fields of a prepared row (the postcode itself is not among them)."""
    values = {k: v for k, v in row.values.items() if k != "postcode"}
    if row.postcode is None:
        return values
    values["postcode_status"] = row.postcode.status
    if row.postcode.status == FOUND:
        values.update(row.postcode.areas())
    return values


def line_fields() -> list:
    """The Record fields of a record line, in order: all but the id, dataset and upload."""
    return [
        f
        for f in Record._meta.concrete_fields
        if not f.primary_key and f.attname not in ("dataset_id", "upload_id")
    ]


class LineMaker:
    """Turns prepared rows into record lines: the Record field values in `line_fields` order.

    A line is a plain tuple, far smaller than the prepared row, so an upload keeps only its
    lines once the checks have counted its rows.
    """

    def __init__(self) -> None:
        fields = line_fields()
        self._place = {f.attname: i for i, f in enumerate(fields)}
        self._defaults = [f.get_default() for f in fields]
        self._number = self._place["row_number"]
        self._fingerprint = self._place["fingerprint"]
        self._status = self._place["postcode_status"]
        self._areas = [(self._place[name], name) for name in AREA_FIELDS]

    def line(self, row: PreparedRow) -> tuple:
        line = self._defaults.copy()
        place = self._place
        line[self._number] = row.number
        line[self._fingerprint] = row.fingerprint
        for name, value in row.values.items():
            if name != "postcode":
                line[place[name]] = value
        outcome = row.postcode
        if outcome is not None:
            line[self._status] = outcome.status
            if outcome.status == FOUND:
                for i, name in self._areas:
                    line[i] = getattr(outcome, name)
        return tuple(line)
