"""Every area's charity profile counts, worked out at import time and kept in the database.

Counting one big city's charities takes seconds on a full register, so the first profile
request of a process would be slow. Instead, each register import works out the counts of
every local authority and ward at once (a few grouped queries over the whole register,
inside the import's transaction) and stores them in `AreaCharityCounts`:

- scope "lad" / "ward": charities based in the area (their placed local authority or ward);
- scope "works": charities naming the area (GSS code) as an area of operation;
- scope "register": the whole register's charities that no area can count (NotPlaced).

Stored counts are used only while they match the data: each row keeps a key of the tables
they were counted from (highest and lowest ids of charities, categories and areas of
operation, which change with every import and every row added, and the latest import of
the area-of-operation lookup, which recodes areas of operation in place). Code that
changes or deletes these rows in place, such as `services.organisation_place_all`, must
call `area_counts_clear()` (through `profile.area_profile_cache_clear`, as the counts kept
in memory already asked). A profile whose counts are missing or whose key does not match
counts its charities itself (profile.py).

Places, population and deprivation are not stored: the profile reads them per request (they
are small), so geography imports do not make these counts stale.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q

from vcsehub.charities.models import (
    AreaCharityCounts,
    AreaOfOperation,
    Charity,
    Classification,
    Kind,
    Status,
)
from vcsehub.sources.models import ImportRun

BASED = "based"
WORKS = "works"
LAD, WARD, WORKS_SCOPE, REGISTER = "lad", "ward", "works", "register"
AREA_LOOKUP_SOURCE = "charity-area-lookup"  # recodes areas of operation in place
CHUNK = 20000  # charities read at a time when working out every area's counts


@dataclass
class GroupCounts:
    """Counts for one group of charities (based in, or works in) of one area."""

    key: str  # "based" or "works"
    active: int = 0
    removed: int = 0
    active_by_register: dict[str, int] = field(default_factory=dict)
    active_by_band: dict[str, int] = field(default_factory=dict)  # "" = no income data
    active_by_cause: list[tuple[str, str, int]] = field(default_factory=list)  # code, label, n
    active_with_cause: int = 0
    registered_by_year: dict[int, int] = field(default_factory=dict)  # every status
    removed_by_year: dict[int, int] = field(default_factory=dict)
    no_registration_date: int = 0
    active_by_lsoa: dict[str, int] = field(default_factory=dict)  # based in only


@dataclass
class NotPlaced:
    """Active charities that cannot be counted in any area, by register, and why."""

    no_postcode: dict[str, int] = field(default_factory=dict)
    postcode_not_found: dict[str, int] = field(default_factory=dict)
    no_area_of_operation: dict[str, int] = field(default_factory=dict)
    active_by_register: dict[str, int] = field(default_factory=dict)


def not_placed_counts() -> NotPlaced:
    """Active charities on each register that no area can count, and why."""
    found = NotPlaced()
    active = Charity.objects.filter(status=Status.REGISTERED).order_by()
    for register, no_postcode, n in (
        active.filter(lad_code="")
        .values_list("register")
        .annotate(blank=Count("id", filter=Q(postcode="")), n=Count("id"))
        .values_list("register", "blank", "n")
    ):
        found.no_postcode[register] = no_postcode
        found.postcode_not_found[register] = n - no_postcode
    found.active_by_register = dict(
        active.values_list("register").annotate(n=Count("id")).values_list("register", "n")
    )
    # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a large list row by row.
    with_area = AreaOfOperation.objects.filter(charity_id=OuterRef("pk")).exclude(gss_code="")
    found.no_area_of_operation = dict(
        active.exclude(Exists(with_area))
        .values_list("register")
        .annotate(n=Count("id"))
        .values_list("register", "n")
    )
    return found


# -- the key ---------------------------------------------------------------------------------


def counts_key() -> list:
    """The state of the counted tables now (compared with the key stored with the counts).

    Only indexed MAX/MIN reads, so that checking costs a few milliseconds: row counts would
    take hundreds on PostgreSQL. Rows are added with new ids, and imports replace them;
    code that changes or deletes rows in place must call `area_counts_clear()`.
    """
    charities = Charity._meta.db_table
    categories = Classification._meta.db_table
    areas = AreaOfOperation._meta.db_table
    runs = ImportRun._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {charities}), (SELECT MIN(id) FROM {charities}), "  # noqa: S608 - our tables
            f"(SELECT MAX(id) FROM {categories}), (SELECT MIN(id) FROM {categories}), "
            f"(SELECT MAX(id) FROM {areas}), (SELECT MIN(id) FROM {areas}), "
            f"(SELECT MAX(id) FROM {runs} WHERE source_id = %s)",
            [AREA_LOOKUP_SOURCE],
        )
        return list(cursor.fetchone())


# -- reading ---------------------------------------------------------------------------------


@dataclass
class StoredCounts:
    based: GroupCounts
    works: GroupCounts
    not_placed: NotPlaced


def stored_counts(*, based_scope: str, based_code: str, works_code: str) -> StoredCounts | None:
    """An area's stored counts, or None when there are none for the data as it is now."""
    if based_scope not in (LAD, WARD) or not based_code or not works_code:
        return None
    rows = {
        (row.scope, row.area_code): row
        for row in AreaCharityCounts.objects.filter(
            Q(scope=REGISTER, area_code="")
            | Q(scope=based_scope, area_code=based_code)
            | Q(scope=WORKS_SCOPE, area_code=works_code)
        )
    }
    register = rows.get((REGISTER, ""))
    if register is None or register.data_key != counts_key():
        return None
    if any(row.data_key != register.data_key for row in rows.values()):
        return None
    # Counted over the whole register: an area without a row has no such charities.
    based = rows.get((based_scope, based_code))
    works = rows.get((WORKS_SCOPE, works_code))
    return StoredCounts(
        based=_group_from_json(BASED, based.counts if based else {}),
        works=_group_from_json(WORKS, works.counts if works else {}),
        not_placed=NotPlaced(**register.counts),
    )


def area_counts_clear() -> None:
    """Forget the stored counts (their data changed in place); profiles count until refreshed."""
    AreaCharityCounts.objects.all().delete()


# -- working them out --------------------------------------------------------------------------


def area_counts_refresh() -> int:
    """Work out and store every area's counts (call inside the transaction that changed the
    data, after the charities are placed). Returns how many areas were stored."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One refresh at a time, each counting what the one before it committed (two
            # registers imported at once); readers still see the previous counts meanwhile.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {AreaCharityCounts._meta.db_table} IN EXCLUSIVE MODE"  # noqa: S608
                )
        groups, not_placed = grouped_counts()
        key = counts_key()
        rows = [
            AreaCharityCounts(
                scope=scope, area_code=code, data_key=key, counts=_group_to_json(group)
            )
            for (scope, code), group in groups.items()
        ]
        rows.append(
            AreaCharityCounts(
                scope=REGISTER, area_code="", data_key=key, counts=not_placed.__dict__
            )
        )
        AreaCharityCounts.objects.all().delete()
        AreaCharityCounts.objects.bulk_create(rows, batch_size=2000)
    return len(rows) - 1


def grouped_counts() -> tuple[dict[tuple[str, str], GroupCounts], NotPlaced]:
    """Every area's counts, (scope, GSS code) → GroupCounts, and the register's charities
    that no area counts (as not_placed_counts), from one read of the register.

    The database gathers each charity's areas of operation and "what" categories into one
    text each; the charities are then read in chunks and tallied with Counter over zipped
    columns (which runs in C), keyed by a charity's place (local authority, ward) or by the
    areas it works in, and the tallies spread over those areas. Grouping everything in SQL
    instead sorts millions of rows several times over (about three times slower).
    No query here may need a secondary index: the SQLite CCEW import runs this before it
    builds them again (importers/bulk_indexes.py).
    """
    tallies = _Tallies()
    with connection.cursor() as cursor:
        cursor.execute(*_per_charity_areas_sql())
        works_in = dict(cursor.fetchall())
        cursor.execute(*_per_charity_causes_sql())
        causes_of = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT id, register, status, income_band, {_year('date_registered')}, "  # noqa: S608 - our SQL
            f"CASE WHEN status = %s THEN {_year('date_removed')} END, lad_code, ward_code, lsoa21, "
            f"CASE WHEN postcode = '' THEN 1 ELSE 0 END FROM {Charity._meta.db_table}",
            [Status.REMOVED.value],
        )
        while rows := cursor.fetchmany(CHUNK):
            tallies.add(rows, works_in=works_in, causes_of=causes_of)
    found: dict[tuple[str, str], GroupCounts] = {}
    for scope, areas_of in ((BASED, _based_areas), (WORKS, _works_areas)):
        spread = _Spread(found, areas_of)
        spread.add(tallies.kinds[scope], _add_kind)
        spread.add(tallies.registered[scope], _add_registered)
        spread.add(tallies.removed[scope], _add_removed)
        by_cause, with_cause = _causes_counted(tallies.causes[scope])
        spread.add(by_cause, _add_cause)
        spread.add(with_cause, _add_with)
    _Spread(found, _based_areas).add(tallies.lsoas, _add_lsoa)
    for group in found.values():
        group.active_by_cause.sort(key=lambda row: (-row[2], row[1], row[0]))
    return found, _not_placed(tallies.not_placed)


class _Tallies:
    """Charities counted by where they are (based: (lad, ward); works: the GSS codes they
    name, comma-separated) and one thing about them, chunk by chunk."""

    def __init__(self) -> None:
        self.kinds = {BASED: Counter(), WORKS: Counter()}  # (register, status, band)
        self.registered = {BASED: Counter(), WORKS: Counter()}  # year
        self.removed = {BASED: Counter(), WORKS: Counter()}  # year (removed charities)
        self.causes = {BASED: Counter(), WORKS: Counter()}  # (status, categories JSON)
        self.lsoas: Counter = Counter()  # based: (status, lsoa21)
        self.not_placed: Counter = Counter()  # see _not_placed

    def add(self, rows: list[tuple], *, works_in: dict, causes_of: dict) -> None:
        ids, registers, statuses, bands, registered, removed, lads, wards, lsoas, no_postcode = zip(
            *rows, strict=True
        )
        places = list(zip(lads, wards, strict=True))
        works = list(map(works_in.get, ids))
        kinds = list(zip(registers, statuses, bands, strict=True))
        causes = list(zip(statuses, map(causes_of.get, ids), strict=True))
        for scope, keys in ((BASED, places), (WORKS, works)):
            self.kinds[scope].update(zip(keys, kinds, strict=True))
            self.registered[scope].update(zip(keys, registered, strict=True))
            self.removed[scope].update(zip(keys, removed, strict=True))
            self.causes[scope].update(zip(keys, causes, strict=True))
        self.lsoas.update(zip(places, zip(statuses, lsoas, strict=True), strict=True))
        self.not_placed.update(
            zip(statuses, registers, lads, no_postcode, map(bool, works), strict=True)
        )


def _not_placed(counts: Counter) -> NotPlaced:
    """NotPlaced from charities counted by (status, register, local authority, no postcode,
    names an area with a code)."""
    found = NotPlaced()
    for (status, register, lad, no_postcode, works_somewhere), n in counts.items():
        if status != Status.REGISTERED:
            continue
        found.active_by_register[register] = found.active_by_register.get(register, 0) + n
        if not lad:
            for bucket, add in (
                (found.no_postcode, n if no_postcode else 0),
                (found.postcode_not_found, 0 if no_postcode else n),
            ):
                bucket[register] = bucket.get(register, 0) + add
        if not works_somewhere:
            found.no_area_of_operation[register] = found.no_area_of_operation.get(register, 0) + n
    return found


def _causes_counted(counts: Counter) -> tuple[Counter, Counter]:
    """From counts by (key, (status, categories as JSON)): active charities by (key, (code,
    label)), and active charities with any category by (key, None)."""
    by_cause: Counter = Counter()
    with_cause: Counter = Counter()
    read: dict[str, list] = {}
    for (key, (status, causes)), n in counts.items():
        if status != Status.REGISTERED or causes is None:
            continue
        with_cause[key, None] += n
        if causes not in read:
            read[causes] = [(code, label) for code, label in json.loads(causes)]
        for cause in read[causes]:
            by_cause[key, cause] += n
    return by_cause, with_cause


def _per_charity_areas_sql() -> tuple[str, list]:
    """(charity id, its areas of operation's GSS codes, each once, comma-separated)."""
    areas = AreaOfOperation._meta.db_table
    named = f"SELECT DISTINCT charity_id, gss_code FROM {areas} WHERE gss_code <> ''"  # noqa: S608
    if connection.vendor == "sqlite":
        joined = "group_concat(gss_code, ',')"
    else:
        joined = "string_agg(gss_code, ',')"
    return f"SELECT charity_id, {joined} FROM ({named}) n GROUP BY charity_id", []  # noqa: S608


def _per_charity_causes_sql() -> tuple[str, list]:
    """(charity id, its "what" categories, each once, as a JSON list of [code, label])."""
    categories = Classification._meta.db_table
    named = f"SELECT DISTINCT charity_id, code, label FROM {categories} WHERE kind = %s"  # noqa: S608
    if connection.vendor == "sqlite":
        joined = "json_group_array(json_array(code, label))"
    else:
        joined = "CAST(json_agg(json_build_array(code, label)) AS text)"
    return (
        f"SELECT charity_id, {joined} FROM ({named}) k GROUP BY charity_id",  # noqa: S608
        [Kind.WHAT.value],
    )


def _year(column: str) -> str:
    if connection.vendor == "sqlite":  # dates are kept as YYYY-MM-DD text
        return f"CAST(substr({column}, 1, 4) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"


def _based_areas(place: tuple[str, str]) -> list[tuple[str, str]]:
    lad, ward = place
    return [area for area in ((LAD, lad), (WARD, ward)) if area[1]]


def _works_areas(codes: str) -> list[tuple[str, str]]:
    return [(WORKS_SCOPE, code) for code in codes.split(",")]


class _Spread:
    """Adds counts keyed by (where, value) to the group of every area `where` stands for
    (each value once per group, summed over the keys that name the area)."""

    def __init__(self, found: dict, areas_of) -> None:
        self.found = found
        self.areas_of = areas_of
        self.areas: dict = {}

    def add(self, counts: Counter, add_one) -> None:
        totals: Counter = Counter()
        for (where, value), n in counts.items():
            if not where:
                continue
            areas = self.areas.get(where)
            if areas is None:
                areas = self.areas[where] = self.areas_of(where)
            for area in areas:
                totals[area, value] += n
        for ((scope, code), value), n in totals.items():
            group = self.found.get((scope, code))
            if group is None:
                group = GroupCounts(key=WORKS if scope == WORKS_SCOPE else BASED)
                self.found[(scope, code)] = group
            add_one(group, value, n)


def _add_kind(group: GroupCounts, kind: tuple[str, str, str], n: int) -> None:
    register, status, band = kind
    if status == Status.REGISTERED:
        group.active += n
        group.active_by_register[register] = group.active_by_register.get(register, 0) + n
        group.active_by_band[band] = group.active_by_band.get(band, 0) + n
    else:
        group.removed += n


def _add_registered(group: GroupCounts, year: int | None, n: int) -> None:
    if year is None:
        group.no_registration_date += n
    else:
        group.registered_by_year[year] = group.registered_by_year.get(year, 0) + n


def _add_removed(group: GroupCounts, year: int | None, n: int) -> None:
    if year is not None:
        group.removed_by_year[year] = group.removed_by_year.get(year, 0) + n


def _add_cause(group: GroupCounts, cause: tuple[str, str], n: int) -> None:
    group.active_by_cause.append((*cause, n))


def _add_with(group: GroupCounts, _: None, n: int) -> None:
    group.active_with_cause += n


def _add_lsoa(group: GroupCounts, status_lsoa: tuple[str, str], n: int) -> None:
    status, lsoa = status_lsoa
    if status == Status.REGISTERED and lsoa:
        group.active_by_lsoa[lsoa] = group.active_by_lsoa.get(lsoa, 0) + n


# -- stored form -----------------------------------------------------------------------------


def _group_to_json(group: GroupCounts) -> dict:
    return {
        "active": group.active,
        "removed": group.removed,
        "active_by_register": group.active_by_register,
        "active_by_band": group.active_by_band,
        "active_by_cause": [list(row) for row in group.active_by_cause],
        "active_with_cause": group.active_with_cause,
        "registered_by_year": {str(y): n for y, n in group.registered_by_year.items()},
        "removed_by_year": {str(y): n for y, n in group.removed_by_year.items()},
        "no_registration_date": group.no_registration_date,
        "active_by_lsoa": group.active_by_lsoa,
    }


def _group_from_json(key: str, data: dict) -> GroupCounts:
    return GroupCounts(
        key=key,
        active=data.get("active", 0),
        removed=data.get("removed", 0),
        active_by_register=data.get("active_by_register", {}),
        active_by_band=data.get("active_by_band", {}),
        active_by_cause=[tuple(row) for row in data.get("active_by_cause", [])],
        active_with_cause=data.get("active_with_cause", 0),
        registered_by_year={int(y): n for y, n in data.get("registered_by_year", {}).items()},
        removed_by_year={int(y): n for y, n in data.get("removed_by_year", {}).items()},
        no_registration_date=data.get("no_registration_date", 0),
        active_by_lsoa=data.get("active_by_lsoa", {}),
    )
