"""Postcode → small areas → ward, district, region → deprivation, one or many at a time.

`postcodes_lookup(list)` answers in input order with one query per 500 postcodes, asked
in sorted order, each with its postcodes in one text parameter (plus a few queries for
names and deprivation, loaded once per batch); on PostgreSQL those queries are all sent
at once, so the server looks up the next ones while Python reads the answers. The whole
batch's format is checked in one regex call when every postcode is already well formed.
Each row comes back as a few columns, its area codes and termination date joined into
one key with its source, so each area combination is named, given its deciles and its
status once, not once per postcode; results are built positionally with the garbage
collector paused. 100,000 postcodes take about a second of CPU (see benchmarks/README.md).

Several sources can describe one postcode (an official ONS directory, and the derived
WMCA file). They are merged field by field: official sources first (in registry order),
then derived ones fill gaps; `derived_fields` names every field taken from a derived
source. IMD 2019 comes through the postcode's LSOA 2011, IMD 2025 through its LSOA 2021
as the directory gives it — never by converting LSOA 2011 to 2021 through the lookup
(that best-fit lookup is wrong for about 4% of postcodes). Welsh and Scottish postcodes
get the WIMD 2019 / SIMD 2020 decile in their own fields: national indices are never mixed.
"""

from __future__ import annotations

import functools
import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter

from django.db import connection

from vcsehub.geography.models import Area, AreaType, Deprivation, DeprivationIndex, Postcode
from vcsehub.geography.postcodes import (
    postcode_check,
    postcode_well_formed,
    postcodes_well_formed,
)
from vcsehub.sources.registry import Source, all_sources

CHUNK = 500
ENGLAND, WALES, SCOTLAND = "E92000001", "W92000004", "S92000003"
MONTHS = [
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

# Fields merged across sources, in the order of Postcode.values_list below (after postcode, source_id).
MERGED = (
    "introduced",
    "terminated",
    "lsoa11",
    "lsoa21",
    "ward_code",
    "ward_year",
    "lad_code",
    "region_code",
    "country_code",
    "latitude",
    "longitude",
)


@dataclass(slots=True)
class SourceUsed:
    id: str
    title: str
    derived: bool


@dataclass(slots=True)
class PostcodeResult:
    input: str
    postcode: str
    valid: bool
    found: bool = False
    status: str = "not_found"  # ok | terminated | outside_england | not_found | invalid
    reason: str = ""
    introduced: str = ""
    terminated: str = ""
    lsoa11: str = ""
    lsoa11_name: str = ""
    lsoa21: str = ""
    lsoa21_name: str = ""
    ward_code: str = ""
    ward_name: str = ""
    ward_year: int | None = None
    lad_code: str = ""
    lad_name: str = ""
    region_code: str = ""
    region_name: str = ""
    country_code: str = ""
    country_name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    imd2019_decile: int | None = None
    imd2019_rank: int | None = None
    imd2025_decile: int | None = None
    imd2025_rank: int | None = None
    wimd2019_decile: int | None = None
    wimd2019_rank: int | None = None
    simd2020_decile: int | None = None
    simd2020_rank: int | None = None
    sources: list[SourceUsed] = field(default_factory=list)
    derived_fields: list[str] = field(default_factory=list)


def postcode_lookup(postcode: str) -> PostcodeResult:
    return postcodes_lookup([postcode])[0]


def _source_info() -> tuple[dict[str, int], dict[str, Source]]:
    """Postcode sources and their merge priority: official first (registry order), derived after."""
    sources = {s.id: s for s in all_sources() if "postcodes" in s.tags}
    ordered = sorted(sources.values(), key=lambda s: (s.derived, s.order, s.id))
    return {s.id: i for i, s in enumerate(ordered)}, sources


NOT_LOADED = (
    "This is a valid postcode, but it is not in the postcode directories loaded here. "
    "It may be very new, or outside the areas loaded."
)
EMPTY = ("", None, 0)
OK = ("ok", "")
# The area columns of a postcode row, fetched joined into one text key with its source id and
# termination date (official rows of one source share their key, so each key is parsed once).
AREA_COLUMNS = (
    "lsoa11",
    "lsoa21",
    "ward_code",
    "ward_year",
    "lad_code",
    "region_code",
    "country_code",
)
# Above this many codes, read the whole (small) name or deprivation table once instead.
WHOLE_TABLE = 5_000


def postcodes_lookup(postcodes: Sequence[str]) -> list[PostcodeResult]:
    """Look up many postcodes; results in input order (duplicates answered each time)."""
    with _collector_paused():
        return _lookup(postcodes)


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while a batch builds its results.

    A big batch makes hundreds of thousands of small objects that all live until it ends,
    and the collector would scan them again and again: over half the time of making them.
    They hold no reference cycles, so collecting later loses nothing. Afterwards they go
    straight to the oldest generation (freeze then unfreeze does that in one step), as
    they would after two more collections, each scanning all of them again: a tenth of
    the batch's time. Skipped if the program has frozen objects of its own.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _lookup(postcodes: Sequence[str]) -> list[PostcodeResult]:
    priority, sources = _source_info()
    # Per input, its normalised postcode (a str) or, when that needs more than upper-casing,
    # its PostcodeCheck. Usually the whole batch is checked in one go.
    answers: list | None = postcodes_well_formed(postcodes)
    if answers is not None:
        valid = set(answers)
    else:
        answers = _checks(postcodes)
        valid = {
            a if a.__class__ is str else a.postcode
            for a in answers
            if a.__class__ is str or a.valid
        }
    wanted = sorted(valid)
    single, multi = _rows(wanted)
    keys = {row[1]: None for row in single.values()}
    for rows in multi.values():
        keys.update((row[1], None) for row in rows)
    parsed = {key: _parse_key(key) for key in keys}
    context = _Context(parsed.values(), sources)
    by_key: dict[str, tuple] = {}
    for key, (source_id, terminated, *codes) in parsed.items():
        source = sources.get(source_id)
        area = context.area(*codes)
        source_list = context.source_list((source_id,))
        # An official row's status follows from its key; a derived row's depends on which
        # of its own fields are filled in too (derived_fields).
        status = None if source and source.derived else context.status(area[0], terminated, ())
        by_key[key] = (status, area[0], area[1] + (source_list,), area, source_list, terminated)
    multi_tails = {}
    for pc, rows in multi.items():
        values = _merge(rows, parsed, priority, sources)
        multi_tails[pc] = context.tail(
            context.area(*(values[name] for name in AREA_COLUMNS)),
            values["introduced"],
            values["terminated"],
            values["latitude"],
            values["longitude"],
            context.source_list(values["sources"]),
            values["derived_fields"],
        )
    results: list[PostcodeResult] = []
    append = results.append
    for text, check in zip(postcodes, answers, strict=True):
        if check.__class__ is str:
            pc, given = check, text
        elif check.valid:
            pc, given = check.postcode, check.input
        else:
            append(
                PostcodeResult(
                    input=check.input,
                    postcode=check.postcode,
                    valid=False,
                    status="invalid",
                    reason=check.reason,
                )
            )
            continue
        row = single.get(pc)
        if row is not None:
            _, key, introduced, lat, lon = row
            status, before, after, area, source_list, terminated = by_key[key]
            if status is not None:
                # The usual answer, built positionally in PostcodeResult's field order.
                append(
                    PostcodeResult(
                        given, pc, True, True, *status, introduced, terminated, *before, lat,
                        lon, *after, [],
                    )
                )  # fmt: skip
                continue
            values = (introduced, terminated, *parsed[key][2:], lat, lon)
            fields = tuple(n for n, v in zip(MERGED, values, strict=True) if v not in EMPTY)
            tail = context.tail(area, introduced, terminated, lat, lon, source_list, fields)
        else:
            tail = multi_tails.get(pc)
            if tail is None:
                append(PostcodeResult(input=given, postcode=pc, valid=True, reason=NOT_LOADED))
                continue
        append(PostcodeResult(given, pc, *tail[0], list(tail[1])))
    return results


def _checks(postcodes: Sequence[str]) -> list:
    """Per input, its normalised postcode when well formed, else its PostcodeCheck
    (valid or not; a check's postcode is "" when it is invalid and blank)."""
    checks: dict = {}
    for text in postcodes:
        if text not in checks:
            quick = postcode_well_formed(text) if text.__class__ is str else None
            checks[text] = quick if quick is not None else postcode_check(text)
    return [checks[text] for text in postcodes]


@functools.lru_cache(maxsize=4)
def _select_sql(vendor: str) -> str:
    """The postcode query: postcode, source id and area codes as one key, per-postcode fields.

    The postcodes go in one text parameter, so the statement text never changes and is
    short: SQLite takes a JSON array (Django's SQLite wrapper rewrites every statement's
    placeholders with a regex, which took a tenth of a 100,000-postcode batch with 500 of
    them); PostgreSQL a comma-separated text (valid postcodes hold no comma), so psycopg
    quotes one string, not 500 (or an array of 500, whose dumper escapes each element
    with a regular expression).
    """
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(Postcode._meta.get_field(name).column)

    parts = [column(f) for f in ("source_id", "terminated", *AREA_COLUMNS)]
    if vendor == "sqlite":  # one printf builds the key in one go, where || copies 15 times
        key = f"printf('{'|'.join(['%%s'] * len(parts))}', {', '.join(parts)})"  # %% for the driver
        wanted = "IN (SELECT value FROM json_each(%s))"
    else:
        key = f"concat_ws('|', {', '.join(parts)})"
        wanted = "= ANY(string_to_array(%s, ','))"
    return (
        f"SELECT {column('postcode')}, {key}, {column('introduced')}, "  # noqa: S608
        f"{column('latitude')}, {column('longitude')} "
        f"FROM {quote(Postcode._meta.db_table)} WHERE {column('postcode')} {wanted}"
    )


def _rows(wanted: list[str]) -> tuple[dict[str, tuple], dict[str, list[tuple]]]:
    """Rows of the wanted postcodes, one query per CHUNK of them in sorted order.

    Sorted, the index and table pages are read in order instead of at random. Returns
    (postcode → its one row, postcode → its rows when several sources have it).
    """
    single: dict[str, tuple] = {}
    multi: dict[str, list[tuple]] = {}
    chunks = [wanted[start : start + CHUNK] for start in range(0, len(wanted), CHUNK)]
    batches = _pipelined(chunks) if connection.vendor == "postgresql" else _one_by_one(chunks)
    first = itemgetter(0)
    for rows in batches:
        before = len(single)
        single.update(zip(map(first, rows), rows, strict=True))
        if len(single) - before == len(rows):
            continue
        # Some postcode came from several sources (chunks never share a postcode).
        groups: dict[str, list[tuple]] = {}
        for row in rows:
            groups.setdefault(row[0], []).append(row)
        for pc, group in groups.items():
            if len(group) > 1:
                del single[pc]
                multi[pc] = group
    return single, multi


def _one_by_one(chunks: list[list[str]]) -> Iterator[list[tuple]]:
    sql = _select_sql(connection.vendor)
    joined = json.dumps if connection.vendor == "sqlite" else ",".join
    with connection.cursor() as cursor:
        for chunk in chunks:
            cursor.execute(sql, [joined(chunk)])
            yield cursor.fetchall()


def _pipelined(chunks: list[list[str]]) -> Iterator[list[tuple]]:
    """PostgreSQL: send every chunk's query at once (psycopg's pipeline mode), then read the
    answers in order, so the server looks up the next chunks while Python handles this one."""
    sql = _select_sql(connection.vendor)
    if len(chunks) < 2:
        yield from _one_by_one(chunks)
        return
    connection.ensure_connection()
    cursors = []
    try:
        with connection.connection.pipeline():
            for chunk in chunks:
                cursor = connection.cursor()
                cursors.append(cursor)
                cursor.execute(sql, [",".join(chunk)])
            for cursor in cursors:
                yield cursor.fetchall()
    finally:
        for cursor in cursors:
            cursor.close()


def _parse_key(key: str) -> tuple:
    """'nspl||E01…|…|2021|…' → (source id, terminated, lsoa11, lsoa21, ward, ward year, lad,
    region, country)."""
    source_id, terminated, lsoa11, lsoa21, ward, ward_year, lad, region, country = key.split("|")
    return source_id, terminated, lsoa11, lsoa21, ward, int(ward_year), lad, region, country


def _merge(rows: list[tuple], parsed: dict, priority: dict[str, int], sources: dict) -> dict:
    """Official rows first, derived ones filling gaps; say which fields came from derived rows."""
    rows = sorted(rows, key=lambda r: priority.get(parsed[r[1]][0], len(priority)))
    values = dict.fromkeys(MERGED, "")
    derived_fields: list[str] = []
    used: list[str] = []
    for _, key, introduced, lat, lon in rows:
        source_id, terminated, *codes = parsed[key]
        source = sources.get(source_id)
        is_derived = bool(source and source.derived)
        contributed = False
        for name, value in zip(MERGED, (introduced, terminated, *codes, lat, lon), strict=True):
            if value in EMPTY or values[name] not in EMPTY:
                continue
            values[name] = value
            contributed = True
            if is_derived:
                derived_fields.append(name)
        if contributed or not used:
            used.append(source_id)
    values["sources"] = tuple(used)
    values["derived_fields"] = tuple(derived_fields)
    return values


class _Context:
    """Names and deprivation of the areas in one batch, loaded once, and caches built on them."""

    def __init__(self, keys: Iterable[tuple], sources: dict[str, Source]) -> None:
        lsoa11: set[str] = set()
        lsoa21: set[str] = set()
        other: set[str] = set()
        no_region: set[str] = set()
        for _, _, l11, l21, ward, _, lad, region, country in keys:
            lsoa11.add(l11)
            lsoa21.add(l21)
            other.update((ward, lad, region, country))
            if lad and not region:
                no_region.add(lad)
        lsoa11.discard("")
        lsoa21.discard("")
        other.discard("")
        self.names = _names(lsoa11, lsoa21, other, no_region)
        self.deprivation = _deprivation(lsoa11, lsoa21)
        self.sources = sources
        self.areas: dict[tuple, tuple] = {}
        self.source_lists: dict[tuple, list[SourceUsed]] = {}
        self.statuses: dict[tuple, tuple[str, str]] = {}

    def area(self, lsoa11, lsoa21, ward, ward_year, lad, region, country) -> tuple:
        """(the 13 LSOA/ward/district fields, the 8 deprivation fields) of an area combination."""
        key = (lsoa11, lsoa21, ward, ward_year, lad, region, country)
        found = self.areas.get(key)
        if found is None:
            found = self.areas[key] = self._area(*key)
        return found

    def _area(self, lsoa11, lsoa21, ward, ward_year, lad, region, country) -> tuple:
        names = self.names
        if not region and lad:
            region = names.get(("region_of", lad), "")
        fields = (
            lsoa11,
            names.get(("lsoa11", lsoa11), "") if lsoa11 else "",
            lsoa21,
            names.get(("lsoa21", lsoa21), "") if lsoa21 else "",
            ward,
            names.get(("other", ward), "") if ward else "",
            ward_year or None,
            lad,
            names.get(("other", lad), "") if lad else "",
            region,
            names.get(("other", region), "") if region else "",
            country,
            names.get(("other", country), "") if country else "",
        )
        figures: list[int | None] = []
        for index, code in (
            (DeprivationIndex.IMD2019, lsoa11),
            (DeprivationIndex.IMD2025, lsoa21),
            (DeprivationIndex.WIMD2019, lsoa11),
            (DeprivationIndex.SIMD2020, lsoa11),
        ):
            rank, decile = (
                self.deprivation.get((index, code), (None, None)) if code else (None, None)
            )
            figures += [decile, rank]
        return fields, tuple(figures)

    def source_list(self, ids: tuple[str, ...]) -> list[SourceUsed]:
        found = self.source_lists.get(ids)
        if found is None:
            sources = self.sources
            found = self.source_lists[ids] = [
                SourceUsed(
                    id=s,
                    title=sources[s].title if s in sources else s,
                    derived=bool(s in sources and sources[s].derived),
                )
                for s in ids
            ]
        return found

    def status(self, fields: tuple, terminated: str, derived_fields: tuple) -> tuple[str, str]:
        """(status, reason) of a postcode in these areas (`fields`, as from `area`)."""
        country = fields[11]
        if not (terminated or derived_fields or (country and country != ENGLAND)):
            return OK
        key = (fields, terminated, derived_fields)
        status = self.statuses.get(key)
        if status is None:
            status = self.statuses[key] = _status(
                terminated=terminated,
                lsoa11=fields[0],
                lsoa11_name=fields[1],
                lad_code=fields[7],
                lad_name=fields[8],
                country_code=country,
                country_name=fields[12],
                derived_fields=derived_fields,
            )
        return status

    def tail(self, area, introduced, terminated, lat, lon, source_list, derived_fields) -> tuple:
        """(every PostcodeResult field after `postcode` but derived_fields, derived_fields)."""
        fields, figures = area
        terminated = terminated or ""
        status = self.status(fields, terminated, derived_fields)
        head = (True, True, *status, introduced or "", terminated)
        lat = lat if lat != "" else None
        lon = lon if lon != "" else None
        return head + fields + (lat, lon) + figures + (source_list,), derived_fields


def _names(
    lsoa11: set[str], lsoa21: set[str], other: set[str], no_region: set[str]
) -> dict[tuple[str, str], str]:
    """(kind, code) → name, for the LSOAs, wards, districts, regions and countries wanted."""
    names: dict[tuple[str, str], str] = {}
    # Region from the district when the directory has no region column.
    if no_region:
        other = set(other)
        for code, region in _by_codes(
            Area.objects.filter(type=AreaType.LAD), no_region, ("code", "region_code")
        ):
            names[("region_of", code)] = region
            if region:
                other.add(region)
    queries = (
        ("lsoa11", lsoa11, [AreaType.LSOA11, AreaType.WELSH_LSOA11, AreaType.DATAZONE11]),
        ("lsoa21", lsoa21, [AreaType.LSOA21]),
        ("other", other, [AreaType.WARD, AreaType.LAD, AreaType.REGION, AreaType.COUNTRY]),
    )
    for kind, codes, types in queries:
        rows = Area.objects.filter(type__in=types).order_by("year")
        for code, name in _by_codes(rows, codes, ("code", "name")):
            names[(kind, code)] = name
    return names


def _deprivation(lsoa11: set[str], lsoa21: set[str]) -> dict[tuple[str, str], tuple[int, int]]:
    """(index, area code) → (rank, decile) for the LSOAs wanted."""
    found: dict[tuple[str, str], tuple[int, int]] = {}
    older = [DeprivationIndex.IMD2019, DeprivationIndex.WIMD2019, DeprivationIndex.SIMD2020]
    for indexes, codes in ((older, lsoa11), ([DeprivationIndex.IMD2025], lsoa21)):
        rows = Deprivation.objects.filter(index__in=indexes)
        for code, index, rank, decile in _by_codes(
            rows, codes, ("area_code", "index", "rank", "decile"), code_field="area_code"
        ):
            found[(index, code)] = (rank, decile)
    return found


def _by_codes(rows, codes: set[str], fields: tuple[str, ...], *, code_field: str = "code"):
    """values_list(*fields) of the rows whose code is wanted: by chunks of codes, or, for
    many codes, the whole (small) table read once and filtered here. The code is fields[0]."""
    if not codes:
        return
    if len(codes) > WHOLE_TABLE:
        for row in rows.values_list(*fields):
            if row[0] in codes:
                yield row
        return
    ordered = sorted(codes)
    for start in range(0, len(ordered), CHUNK):
        yield from rows.filter(**{f"{code_field}__in": ordered[start : start + CHUNK]}).values_list(
            *fields
        )


def _month(yyyymm: str) -> str:
    if len(yyyymm) == 6 and yyyymm.isdigit() and 1 <= int(yyyymm[4:]) <= 12:
        return f"{MONTHS[int(yyyymm[4:]) - 1]} {yyyymm[:4]}"
    return yyyymm


def _status(
    *,
    terminated,
    lsoa11,
    lsoa11_name,
    lad_code,
    lad_name,
    country_code,
    country_name,
    derived_fields,
) -> tuple[str, str]:
    """(status, reason) of a found postcode that is not simply a live English official one."""
    notes = []
    status = "ok"
    if terminated:
        status = "terminated"
        place = lad_name or lad_code or "an area not recorded"
        lsoa = f", small area {lsoa11_name or lsoa11}" if lsoa11 else ""
        notes.append(
            f"This postcode was withdrawn in {_month(terminated)} and is no longer used. "
            f"The areas shown are where it used to be: {place}{lsoa}."
        )
    if country_code and country_code != ENGLAND:
        if status != "terminated":
            status = "outside_england"
        nation = {WALES: "Wales", SCOTLAND: "Scotland"}.get(
            country_code, country_name or "outside England"
        )
        if country_code == WALES:
            index = "the Welsh Index of Multiple Deprivation 2019 (wimd2019 fields)"
        elif country_code == SCOTLAND:
            index = "the Scottish Index of Multiple Deprivation 2020 (simd2020 fields)"
        else:
            index = "no deprivation index loaded here"
        notes.append(
            f"This postcode is in {nation}, outside England, so the English IMD does not apply: "
            f"deprivation comes from {index}. Never pool its decile with English ones."
        )
    if derived_fields:
        notes.append(_derived_note(tuple(derived_fields)))
    return status, " ".join(notes)


@functools.lru_cache(maxsize=64)
def _derived_note(fields: tuple[str, ...]) -> str:
    return (
        "Some areas were worked out by the VCSE Hub project from the postcode's location, "
        "not published by ONS: " + ", ".join(fields) + "."
    )
