"""Figures about a charity's own records: people reached, contacts, repeat use, reach into
deprivation, where people live, who they are, outcomes and data quality.

Input is plain rows (`VisitRow`: one per stored record, de-identified). Output is plain
counts; disclosure control (`disclosure.py`) decides what of them may be shown.

How people are counted:
- A *contact* is one row of the file (one visit, session or case note).
- A *person* is one distinct person reference (stored only as a keyed hash). Rows with
  no person reference are contacts only: they count towards contacts but not people.
  When no row has a person reference, figures count contacts instead and say so.
- What a person is like (age band, gender, ethnicity, disability) and where they live
  come from their most recent row that records it: each person is counted once.
- Outcomes: a person's first "before" score and last "after" score; improved means a
  higher score after than before.

Pure code: no Django models, no database.
"""

from __future__ import annotations

import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

REPEAT_BANDS = ("Once", "2 to 5 times", "6 times or more")
OUTCOME_BANDS = ("Improved", "Stayed the same", "Got worse")
WHO_FIELDS = {
    "age_band": "Age band",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
}
FOUND = "found"
POSTCODE_REASONS = {
    "invalid": "postcode not valid",
    "terminated": "postcode no longer in use",
    "not_found": "postcode not found in the directory",
    "missing": "no postcode given",
    "": "no postcode given",
}


class VisitRow(NamedTuple):
    """One stored record, as the figures need it. `order` breaks ties between equal dates."""

    contact_date: date | None
    person_key: str
    age_band: str
    gender: str
    ethnicity: str
    disability: str
    outcome_before: Decimal | None
    outcome_after: Decimal | None
    postcode_status: str
    lsoa11: str
    lsoa21: str
    ward_code: str
    lad_code: str
    imd2019_decile: int | None
    imd2025_decile: int | None
    order: int = 0


# -- people and contacts --------------------------------------------------------------------


@dataclass
class Person:
    """One person (or, when no references are kept, one contact), as the figures see them."""

    key: str
    contacts: int = 0
    last_seen: tuple = ()
    attributes: dict[str, str] = field(default_factory=dict)
    area: VisitRow | None = None  # most recent row with a found postcode
    postcode_reason: str = ""  # why no area, from the most recent row's postcode status
    before: Decimal | None = None
    after: Decimal | None = None


@dataclass
class People:
    people: dict[str, Person]
    contacts: int
    contacts_without_person: int
    unit: str  # "people" or "contacts"

    @property
    def count(self) -> int:
        return len(self.people)


def _sort_key(row: VisitRow) -> tuple:
    return (row.contact_date is not None, row.contact_date or date.min, row.order)


_CONTACT_DATE = operator.attrgetter("contact_date")
_DATE_AND_ORDER = operator.attrgetter("contact_date", "order")


def _in_date_order(rows: Iterable[VisitRow]) -> list[VisitRow]:
    """The rows sorted by `_sort_key`; when every row has a date (the usual case) by a key
    made in C, which sorts them the same: a million rows are sorted in a fraction of the time."""
    rows = list(rows)
    if None in map(_CONTACT_DATE, rows):
        return sorted(rows, key=_sort_key)
    return sorted(rows, key=_DATE_AND_ORDER)


def people_from_rows(rows: Iterable[VisitRow]) -> People:
    """Group rows into people (by person reference), each with their most recent details.

    When no row carries a person reference, every row becomes its own 'person' and the
    unit is "contacts".
    """
    rows = _in_date_order(rows)
    with_key = sum(1 for r in rows if r.person_key)
    unit = "people" if with_key else "contacts"
    people: dict[str, Person] = {}
    by_reference = unit == "people"
    for index, row in enumerate(rows):
        key = row.person_key if by_reference else f"row-{index}"
        if not key:
            continue
        person = people.get(key)
        if person is None:
            person = people[key] = Person(key)
        person.contacts += 1
        # The WHO_FIELDS, spelt out: this loop runs once per record (a million of them).
        attributes = person.attributes
        if row.age_band:
            attributes["age_band"] = row.age_band
        if row.gender:
            attributes["gender"] = row.gender
        if row.ethnicity:
            attributes["ethnicity"] = row.ethnicity
        if row.disability:
            attributes["disability"] = row.disability
        if row.postcode_status == FOUND and (row.lsoa11 or row.lsoa21 or row.lad_code):
            person.area = row
            person.postcode_reason = ""
        elif person.area is None:
            person.postcode_reason = POSTCODE_REASONS.get(row.postcode_status, "no postcode given")
        if row.outcome_before is not None and person.before is None:
            person.before = row.outcome_before
        if row.outcome_after is not None:
            person.after = row.outcome_after
    return People(
        people=people,
        contacts=len(rows),
        contacts_without_person=len(rows) - with_key if unit == "people" else 0,
        unit=unit,
    )


# -- by month -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: date  # first day of the month
    people: int
    contacts: int


def month_range(first: date, last: date) -> list[date]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def by_month(
    rows: Iterable[VisitRow], *, unit: str, first: date | None = None, last: date | None = None
) -> tuple[list[Month], int]:
    """People and contacts in each calendar month (months with none included), and how many
    rows had no date. People in a month: distinct references seen that month."""
    contacts: Counter = Counter()
    people: dict[date, set[str]] = defaultdict(set)
    undated = 0
    for row in rows:
        if row.contact_date is None:
            undated += 1
            continue
        month = row.contact_date.replace(day=1)
        contacts[month] += 1
        if unit == "people" and row.person_key:
            people[month].add(row.person_key)
    if not contacts:
        return [], undated
    first = (first or min(contacts)).replace(day=1)
    last = (last or max(contacts)).replace(day=1)
    months = [
        Month(
            month=m,
            people=len(people[m]) if unit == "people" else contacts[m],
            contacts=contacts[m],
        )
        for m in month_range(first, last)
    ]
    return months, undated


# -- repeat use ---------------------------------------------------------------------------


def repeat_band(contacts: int) -> str:
    if contacts <= 1:
        return REPEAT_BANDS[0]
    if contacts <= 5:
        return REPEAT_BANDS[1]
    return REPEAT_BANDS[2]


def repeat_use(people: People) -> dict[str, int]:
    """People by how many contacts they had: once, 2 to 5 times, 6 times or more."""
    counts = dict.fromkeys(REPEAT_BANDS, 0)
    for person in people.people.values():
        counts[repeat_band(person.contacts)] += 1
    return counts


# -- deprivation --------------------------------------------------------------------------


@dataclass(frozen=True)
class DeprivationReach:
    """People by the decile of the small area they live in (one edition)."""

    edition_key: str
    counts: dict[int, int]  # decile → people
    n: int  # people with a decile
    no_postcode: int  # people with no usable postcode
    no_decile: int  # usable postcode, but no decile in this edition (e.g. outside England)
    by_lad: dict[str, int]  # local authority → people with a decile (the baseline's weights)

    @property
    def decile_1(self) -> int:
        return self.counts[1]

    @property
    def decile_1_2(self) -> int:
        return self.counts[1] + self.counts[2]


def deprivation_reach(people: People, *, edition_key: str) -> DeprivationReach:
    """Each person once, at their most recent known postcode area."""
    field_name = f"{edition_key}_decile"
    counts = dict.fromkeys(range(1, 11), 0)
    by_lad: Counter = Counter()
    no_postcode = no_decile = 0
    for person in people.people.values():
        if person.area is None:
            no_postcode += 1
            continue
        decile = getattr(person.area, field_name)
        if decile is None:
            no_decile += 1
            continue
        if decile not in counts:
            raise ValueError(f"Decile {decile!r} is outside 1 to 10.")
        counts[decile] += 1
        by_lad[person.area.lad_code] += 1
    return DeprivationReach(
        edition_key=edition_key,
        counts=counts,
        n=sum(counts.values()),
        no_postcode=no_postcode,
        no_decile=no_decile,
        by_lad=dict(by_lad),
    )


@dataclass(frozen=True)
class Baseline:
    """Share of residents living in the most deprived 10% and 20% of areas."""

    share_1: Decimal | None
    share_1_2: Decimal | None
    lads_used: tuple[str, ...]
    lads_missing: tuple[str, ...]  # local authorities with no population or decile data
    population: int


def baseline_share(
    *,
    weights: dict[str, int],
    populations: dict[str, dict[int, int]],
    places: int = 0,
) -> Baseline:
    """The share of residents in deciles 1 and 1–2, for the local authorities people live in.

    `populations`: local authority → {decile: residents} (population-weighted over its
    small areas). Each local authority's own share is weighted by how many of the people
    counted live there, so the baseline is the share you would expect if the people were
    drawn at random from the residents of their own local authorities. With one local
    authority this is simply its residents' share.
    """
    used, missing = [], []
    total_weight = 0
    sum_1 = sum_12 = Decimal(0)
    population = 0
    for lad, weight in sorted(weights.items()):
        by_decile = populations.get(lad) or {}
        residents = sum(by_decile.values())
        if not residents or not weight:
            missing.append(lad)
            continue
        used.append(lad)
        population += residents
        total_weight += weight
        sum_1 += Decimal(weight) * by_decile.get(1, 0) / residents
        sum_12 += Decimal(weight) * (by_decile.get(1, 0) + by_decile.get(2, 0)) / residents
    if not total_weight:
        return Baseline(None, None, tuple(used), tuple(missing), 0)
    quantum = Decimal(1).scaleb(-places)
    return Baseline(
        share_1=(sum_1 * 100 / total_weight).quantize(quantum, rounding=ROUND_HALF_UP),
        share_1_2=(sum_12 * 100 / total_weight).quantize(quantum, rounding=ROUND_HALF_UP),
        lads_used=tuple(used),
        lads_missing=tuple(missing),
        population=population,
    )


# -- where people live --------------------------------------------------------------------


@dataclass(frozen=True)
class WherePeopleLive:
    by_lad: dict[str, int]
    by_ward: dict[str, int]
    ward_lad: dict[str, str]  # ward code → local authority code
    no_ward: dict[str, int]  # local authority → people whose postcode has no ward
    no_postcode: int
    # (local authority, ward) → people. A ward code can come with more than one local
    # authority (areas assigned by where a postcode's point falls), so wards are counted
    # within each local authority; these add up to by_lad (with no_ward).
    by_lad_ward: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return sum(self.by_lad.values())


def where_people_live(people: People) -> WherePeopleLive:
    by_lad: Counter = Counter()
    by_ward: Counter = Counter()
    by_lad_ward: Counter = Counter()
    no_ward: Counter = Counter()
    ward_lad: dict[str, str] = {}
    no_postcode = 0
    for person in people.people.values():
        area = person.area
        if area is None or not area.lad_code:
            no_postcode += 1
            continue
        by_lad[area.lad_code] += 1
        if area.ward_code:
            by_ward[area.ward_code] += 1
            by_lad_ward[(area.lad_code, area.ward_code)] += 1
            ward_lad.setdefault(area.ward_code, area.lad_code)
        else:
            no_ward[area.lad_code] += 1
    return WherePeopleLive(
        dict(by_lad), dict(by_ward), ward_lad, dict(no_ward), no_postcode, dict(by_lad_ward)
    )


# -- who ----------------------------------------------------------------------------------


def _natural(text: str) -> tuple:
    match = re.match(r"\s*(\d+)", text)
    return (0, int(match.group(1)), text) if match else (1, 0, text.casefold())


def who(people: People, *, field_name: str) -> tuple[dict[str, int], int]:
    """People by their most recent recorded value of one field, and how many had none.

    Categories are in natural order ("5-15" before "16-24"), then A to Z.
    """
    if field_name not in WHO_FIELDS:
        raise ValueError(f"Unknown field {field_name!r}.")
    counts: Counter = Counter()
    not_recorded = 0
    for person in people.people.values():
        value = person.attributes.get(field_name, "")
        if value:
            counts[value] += 1
        else:
            not_recorded += 1
    return {k: counts[k] for k in sorted(counts, key=_natural)}, not_recorded


# -- outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcomes:
    changes: tuple[Decimal, ...]  # after − before, one per person with both scores
    improved: int
    same: int
    worse: int
    one_score_only: int
    no_scores: int

    @property
    def n(self) -> int:
        return len(self.changes)


def outcomes(people: People) -> Outcomes:
    changes = []
    improved = same = worse = one = none = 0
    for person in people.people.values():
        if person.before is None and person.after is None:
            none += 1
            continue
        if person.before is None or person.after is None:
            one += 1
            continue
        change = person.after - person.before
        changes.append(change)
        if change > 0:
            improved += 1
        elif change < 0:
            worse += 1
        else:
            same += 1
    return Outcomes(tuple(changes), improved, same, worse, one, none)


# -- data quality -------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadSummary:
    """What one confirmed upload read, stored and left out (from the Upload row)."""

    name: str
    rows_read: int
    rows_stored: int
    rows_excluded: int
    rows_duplicate: int
    excluded_reasons: dict[str, int] = field(default_factory=dict)  # why rows were not stored


@dataclass(frozen=True)
class DataQuality:
    rows_read: int
    rows_stored: int
    rows_excluded: int
    rows_duplicate: int
    excluded_reasons: dict[str, int]  # why rows were not stored → rows
    uploads: int
    postcode_status: dict[str, int]  # reason → rows in the figures' period
    undated: int
    without_person: int


def data_quality(
    uploads: Sequence[UploadSummary],
    rows: Sequence[VisitRow],
) -> DataQuality:
    reasons: Counter = Counter()
    for upload in uploads:
        for reason, count in (upload.excluded_reasons or {}).items():
            reasons[str(reason)] += int(count)
    status: Counter = Counter()
    for row in rows:
        if row.postcode_status == FOUND:
            status["postcode found"] += 1
        else:
            status[POSTCODE_REASONS.get(row.postcode_status, "no postcode given")] += 1
    return DataQuality(
        rows_read=sum(u.rows_read for u in uploads),
        rows_stored=sum(u.rows_stored for u in uploads),
        rows_excluded=sum(u.rows_excluded for u in uploads),
        rows_duplicate=sum(u.rows_duplicate for u in uploads),
        excluded_reasons=dict(reasons),
        uploads=len(uploads),
        postcode_status=dict(status),
        undated=sum(1 for r in rows if r.contact_date is None),
        without_person=sum(1 for r in rows if not r.person_key),
    )
