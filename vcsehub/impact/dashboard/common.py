"""What every dashboard figure shares: the period, the records read once, and counts
protected together (`Protected`) with the relations that tie them.

Disclosure control (analytics/disclosure.py) is applied per group of related counts. Each
figure about some of the people sits in the relation "all people = counted + each reason
missing", and "all people" is shown in the reach figure, so a small missing count can
never be worked out by subtracting the figure's N from it.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connections
from django.db.models.sql.constants import MULTI

from vcsehub.analytics import impact as fig
from vcsehub.analytics.disclosure import (
    SafeCount,
    SafeShare,
    Status,
    min_display_count,
    safe_count,
    safe_share_of_hidden,
    suppress,
)
from vcsehub.geography import area_selectors as geo
from vcsehub.geography.models import Area
from vcsehub.impact.models import Dataset, Record, Upload
from vcsehub.sources.registry import Source, get_source

EDITION_SPECS = {spec.edition.key: spec for spec in geo.EDITIONS}
DEFAULT_EDITION = "imd2025"
ALL = "all"  # the key of "all people" (or all contacts) in every relation
ROW_FIELDS = (
    "contact_date",
    "person_key",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
    "outcome_before",
    "outcome_after",
    "postcode_status",
    "lsoa11",
    "lsoa21",
    "ward_code",
    "lad_code",
    "imd2019_decile",
    "imd2025_decile",
    "id",
)
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Period:
    """Dates to count from and to (either may be open)."""

    start: date | None = None
    end: date | None = None

    @property
    def chosen(self) -> bool:
        return self.start is not None or self.end is not None


def long_date(value: date) -> str:
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def month_label(value: date, *, short: bool = False) -> str:
    name = MONTH_NAMES[value.month - 1]
    return f"{name[:3]} {value.year}" if short else f"{name} {value.year}"


def period_text(first: date | None, last: date | None, period: Period) -> tuple[str, str]:
    """('April 2025 to March 2026', 'Between April 2025 and March 2026')."""
    if period.chosen:
        start = long_date(period.start) if period.start else None
        end = long_date(period.end) if period.end else None
        if start and end:
            return f"{start} to {end}", f"Between {start} and {end}"
        if start:
            return f"from {start}", f"Since {start}"
        return f"up to {end}", f"Up to {end}"
    if first is None or last is None:
        return "no dated contacts", "Over all the records"
    if (first.year, first.month) == (last.year, last.month):
        return month_label(first), f"In {month_label(first)}"
    return (
        f"{month_label(first)} to {month_label(last)}",
        f"Between {month_label(first)} and {month_label(last)}",
    )


def dataset_rows(dataset: Dataset, period: Period) -> tuple[list[fig.VisitRow], int]:
    """The dataset's records in the period as plain rows, and how many undated records the
    period left out (a record with no date cannot be placed in a chosen period)."""
    records = Record.objects.filter(dataset=dataset)
    undated_left_out = 0
    if period.chosen:
        undated_left_out = records.filter(contact_date__isnull=True).count()
        records = records.exclude(contact_date__isnull=True)
        if period.start:
            records = records.filter(contact_date__gte=period.start)
        if period.end:
            records = records.filter(contact_date__lte=period.end)
    return _visit_rows(records.values_list(*ROW_FIELDS)), undated_left_out


@dataclass(frozen=True)
class KnownRows:
    """Every record of a dataset as rows, from the record lines just written, so the figures
    need not read a million records back; `last_id` is the id of the newest of them. They
    stand for the records only while that is still the dataset's newest record (records
    are only ever added, by saving an upload, and go only with the whole dataset)."""

    rows: list[fig.VisitRow]
    last_id: int


def visit_rows_from(lines: Iterable[Sequence], names: Sequence[str]) -> list[fig.VisitRow]:
    """The rows of record lines in the order they were written (each line's values are the
    Record fields `names`). A row's `order` is its place: it sorts as the ids would."""
    place = {name: i for i, name in enumerate(names)}
    *fields, last = ROW_FIELDS
    if last != "id":
        raise ValueError("ROW_FIELDS must end with the id, which orders equal dates")
    pick = operator.itemgetter(*(place[name] for name in fields))
    lines = list(lines)
    # (fields..., order) for each line, made into a VisitRow (as VisitRow._make would,
    # without its length check: 15 fields and the order are 16), all in C.
    make = functools.partial(tuple.__new__, fig.VisitRow)
    return list(map(make, map(tuple.__add__, map(pick, lines), zip(range(len(lines))))))


def _visit_rows(queryset) -> list[fig.VisitRow]:
    """The queryset's rows as VisitRows, each value as the ORM gives it.

    A dataset has a million rows but few distinct dates and scores, so each distinct value
    the database sends is turned into a date or Decimal once (by the ORM's own
    converters), instead of once per row: a third of the time of reading the rows.
    """
    connection = connections[queryset.db]
    compiler = queryset.query.get_compiler(using=queryset.db)
    chunks = compiler.execute_sql(
        MULTI, chunked_fetch=connection.features.can_use_chunked_reads, chunk_size=10_000
    )
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    converted = []
    for position, (converters, expression) in compiler.get_converters(fields).items():

        def convert(value, converters=converters, expression=expression):
            for converter in converters:
                value = converter(value, expression, connection)
            return value

        converted.append((position, convert, {}))
    make = fig.VisitRow._make
    if not converted:
        return [make(row) for chunk in chunks for row in chunk]
    rows = []
    for chunk in chunks:
        for row in chunk:
            row = list(row)
            for position, convert, seen in converted:
                value = row[position]
                if value is None:
                    continue
                new = seen.get(value)
                if new is None:
                    new = seen[value] = convert(value)
                row[position] = new
            rows.append(make(row))
    return rows


def area_names(codes: Iterable[str], area_type: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in (
        Area.objects.filter(type=area_type, code__in=list(codes))
        .order_by("year")
        .values_list("code", "name")
    ):
        names[code] = name
    return names


def source_or_none(source_id: str) -> Source | None:
    try:
        return get_source(source_id)
    except LookupError:
        return None


class Protected:
    """Counts suppressed together, keeping their true values for the share rule only.

    `values`: every count by key (cells and totals); `relations`: (total, cells) pairs
    that add up. Relations that do not add up are a bug in the caller (ValueError).
    """

    def __init__(
        self,
        values: dict[Hashable, int],
        relations: Sequence[tuple[Hashable, Sequence[Hashable]]],
        *,
        threshold: int,
        last: Sequence[Hashable] = (),
    ) -> None:
        self._values = dict(values)
        self.threshold = threshold
        self.safe: dict[Hashable, SafeCount] = suppress(
            self._values, relations, threshold=threshold, last=last
        )

    def __getitem__(self, key: Hashable) -> SafeCount:
        return self.safe[key]

    def __contains__(self, key: Hashable) -> bool:
        return key in self.safe

    def cell(self, key: Hashable) -> dict:
        return self.safe[key].as_dict()

    def share(self, key: Hashable, total: Hashable) -> SafeShare:
        return safe_share_of_hidden(self.safe[key], self.safe[total], self._values[total])

    def share_cell(self, key: Hashable, total: Hashable) -> dict:
        return self.share(key, total).as_dict()

    def reasons(self, items: Sequence[tuple[str, Hashable]]) -> list[dict]:
        """Missing or excluded counts with their reasons (zeros left out)."""
        return [
            {"reason": reason, "count": self.cell(key)}
            for reason, key in items
            if self._values[key]
        ]


def reasons(items: Sequence[tuple[str, int]], threshold: int) -> list[dict]:
    """Counts that are in no relation (primary suppression only), zeros left out."""
    return [
        {"reason": reason, "count": safe_count(count, threshold=threshold).as_dict()}
        for reason, count in items
        if count
    ]


def coverage(
    values: dict[Hashable, int],
    *,
    counted: Hashable,
    missing: Sequence[tuple[Hashable, int]],
    everyone: int,
) -> tuple[Hashable, list[Hashable]]:
    """Add the missing counts and "all" to `values`; return the relation all = counted + missing."""
    for key, count in missing:
        values[key] = count
    values[ALL] = everyone
    return (ALL, [counted, *(key for key, _ in missing)])


@dataclass
class Context:
    """What the figures of one dashboard read: the rows once, the people, the uploads."""

    dataset: Dataset
    period: Period
    edition: str
    threshold: int = 0
    rows: list[fig.VisitRow] = field(default_factory=list)
    undated_left_out: int = 0
    people: fig.People | None = None
    uploads: list[Upload] = field(default_factory=list)
    data_date: str = ""
    sources: list[str] = field(default_factory=list)

    @classmethod
    def load(
        cls, dataset: Dataset, period: Period, edition: str, *, rows: list | None = None
    ) -> Context:
        """`rows`: every record of the dataset (`KnownRows.rows`), for the whole period only."""
        if edition not in EDITION_SPECS:
            raise ValueError(f"Unknown deprivation edition {edition!r}.")
        if rows is not None and period.chosen:
            raise ValueError("Known rows stand for the whole period, not a chosen one.")
        if rows is None:
            rows, undated_left_out = dataset_rows(dataset, period)
        else:
            undated_left_out = 0
        uploads = list(
            Upload.objects.filter(dataset=dataset, status=Upload.Status.CONFIRMED).order_by("id")
        )
        latest = max((u.confirmed_at for u in uploads if u.confirmed_at), default=None)
        return cls(
            dataset=dataset,
            period=period,
            edition=edition,
            threshold=min_display_count(),
            rows=rows,
            undated_left_out=undated_left_out,
            people=fig.people_from_rows(rows),
            uploads=uploads,
            data_date=long_date(latest.date()) if latest else "",
        )

    @property
    def spec(self):
        return EDITION_SPECS[self.edition]

    @property
    def unit(self) -> str:
        return self.people.unit

    @property
    def who_word(self) -> str:
        return "people" if self.unit == "people" else "contacts"

    @property
    def everyone(self) -> int:
        """All people (or contacts, when no person reference is kept) in the period."""
        return self.people.count

    @property
    def people_total(self) -> SafeCount:
        return safe_count(self.everyone, threshold=self.threshold)

    def base(self, **extra) -> dict:
        return {"data_date": self.data_date, "source": "Your records", "edition": "", **extra}

    def excluded_no_person(self) -> list[dict]:
        if self.unit != "people":
            return []
        return reasons(
            [
                (
                    "rows with no person reference: counted as contacts only",
                    self.people.contacts_without_person,
                )
            ],
            self.threshold,
        )

    def check_everyone(self, table: Protected) -> None:
        """ "All people" is shown in the reach figure: no table may hide it on its own."""
        if table[ALL].status is Status.HIDDEN:
            raise RuntimeError("A table hid the number of all people, which is shown elsewhere.")


def counts_table(
    *,
    keys_labels: list[tuple[str, str]],
    values: dict[str, int],
    total_key: str,
    total_label: str,
    threshold: int,
    relations: list | None = None,
) -> tuple[list[dict], dict, Protected]:
    """Rows (label, count, share of the total) and the total row, suppressed together.

    `values` may hold more keys than the rows (missing counts, "all"); `relations`
    defaults to total = the rows.
    """
    rel = relations if relations is not None else [(total_key, [k for k, _ in keys_labels])]
    # The total (a figure's N) is hidden to protect a missing count only when no other
    # missing count will do.
    table = Protected(values, rel, threshold=threshold, last=[total_key])
    rows = [
        {
            "key": key,
            "label": label,
            "count": table.cell(key),
            "share": table.share_cell(key, total_key),
        }
        for key, label in keys_labels
    ]
    return rows, {"label": total_label, "count": table.cell(total_key)}, table
