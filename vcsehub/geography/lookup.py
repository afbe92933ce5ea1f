"""Postcode → small areas → ward, district, region → deprivation, one or many at a time.

`postcodes_lookup(list)` answers in input order with one query per 500 postcodes (plus a
few for names and deprivation), so 100,000 postcodes take about a second.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection

from vcsehub.geography.models import Area, AreaType, Deprivation, DeprivationIndex, Postcode
from vcsehub.geography.postcodes import postcode_check
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
MERGED_SET = frozenset(MERGED)


def postcodes_lookup(postcodes: Sequence[str]) -> list[PostcodeResult]:
    """Look up many postcodes; results in input order (duplicates answered each time)."""
    priority, sources = _source_info()
    checks = {}
    for text in postcodes:
        if text not in checks:
            checks[text] = postcode_check(text)
    wanted = list(dict.fromkeys(c.postcode for c in checks.values() if c.valid))
    rows_by_postcode = _rows(wanted)
    merged = {pc: _merge(rows, priority, sources) for pc, rows in rows_by_postcode.items()}
    names = _names(merged.values())
    deprivation = _deprivation(merged.values())
    areas: dict[tuple, tuple] = {}
    used: dict[tuple, list[SourceUsed]] = {}
    parts = {
        pc: _parts(record, names, deprivation, areas, used, sources)
        for pc, record in merged.items()
    }
    results = []
    for text in postcodes:
        check = checks[text]
        part = parts.get(check.postcode) if check.valid else None
        if part is not None:
            (
                status,
                reason,
                intr,
                term,
                lsoas_wards,
                ward_year,
                districts,
                lat,
                lon,
                figures,
                src,
                der,
            ) = part
            # Positional, in PostcodeResult's field order: the hot loop of big batches.
            results.append(
                PostcodeResult(
                    check.input, check.postcode, True, True, status, reason, intr, term,
                    *lsoas_wards, ward_year, *districts, lat, lon, *figures, src, list(der),
                )
            )  # fmt: skip
        elif check.valid:
            results.append(
                PostcodeResult(
                    input=check.input, postcode=check.postcode, valid=True, reason=NOT_LOADED
                )
            )
        else:
            results.append(
                PostcodeResult(
                    input=check.input,
                    postcode=check.postcode,
                    valid=False,
                    status="invalid",
                    reason=check.reason,
                )
            )
    return results


def _rows(wanted: list[str]) -> dict[str, list[tuple]]:
    """Postcode rows of every source, one query per CHUNK postcodes (plain DB-API tuples)."""
    table = connection.ops.quote_name(Postcode._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Postcode._meta.get_field(f).column)
        for f in ("postcode", "source_id", *MERGED)
    )
    found: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {columns} FROM {table} WHERE postcode IN ({marks})", chunk)  # noqa: S608
            for row in cursor.fetchall():
                found.setdefault(row[0], []).append(row)
    return found


def _merge(rows: list[tuple], priority: dict[str, int], sources: dict[str, Source]) -> dict:
    """Official rows first, derived ones filling gaps; say which fields came from derived rows."""
    if len(rows) == 1:  # the usual case: one source knows this postcode
        row = rows[0]
        values = dict(zip(MERGED, row[2:], strict=True))
        source = sources.get(row[1])
        values["sources"] = (row[1],)
        values["derived_fields"] = (
            tuple(k for k, v in values.items() if v not in EMPTY and k in MERGED_SET)
            if source is not None and source.derived
            else ()
        )
        return values
    rows.sort(key=lambda r: priority.get(r[1], len(priority)))
    values = dict.fromkeys(MERGED, "")
    derived_fields: list[str] = []
    used: list[str] = []
    for row in rows:
        source_id = row[1]
        source = sources.get(source_id)
        is_derived = bool(source and source.derived)
        contributed = False
        for name, value in zip(MERGED, row[2:], strict=True):
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


def _parts(r, names, deprivation, areas, used, sources) -> tuple:
    """Everything in one found postcode's result but `input`, grouped as _build expects."""
    key = (
        r["lsoa11"],
        r["lsoa21"],
        r["ward_code"],
        r["lad_code"],
        r["region_code"],
        r["country_code"],
    )
    area = areas.get(key)
    if area is None:
        area = areas[key] = _area_parts(*key, names=names, deprivation=deprivation)
    source_list = used.get(r["sources"])
    if source_list is None:
        source_list = used[r["sources"]] = [
            SourceUsed(
                id=s,
                title=sources[s].title if s in sources else s,
                derived=bool(s in sources and sources[s].derived),
            )
            for s in r["sources"]
        ]
    lsoas_wards, districts, figures = area
    terminated = r["terminated"] or ""
    country = districts[4]
    if terminated or r["derived_fields"] or (country and country != ENGLAND):
        status, reason = _status(
            terminated=terminated,
            lsoa11=lsoas_wards[0],
            lsoa11_name=lsoas_wards[1],
            lad_code=districts[0],
            lad_name=districts[1],
            country_code=country,
            country_name=districts[5],
            derived_fields=r["derived_fields"],
        )
    else:
        status, reason = "ok", ""
    lat, lon = r["latitude"], r["longitude"]
    return (
        status,
        reason,
        r["introduced"] or "",
        terminated,
        lsoas_wards,
        r["ward_year"] or None,
        districts,
        lat if lat != "" else None,
        lon if lon != "" else None,
        figures,
        source_list,
        r["derived_fields"],
    )


def _area_parts(lsoa11, lsoa21, ward, lad, region, country, *, names, deprivation) -> tuple:
    """(LSOA and ward fields, district/region/country fields, deprivation fields), in field order."""
    if not region and lad:
        region = names.get(("region_of", lad), "")
    lsoas_wards = (
        lsoa11,
        names.get(("lsoa11", lsoa11), "") if lsoa11 else "",
        lsoa21,
        names.get(("lsoa21", lsoa21), "") if lsoa21 else "",
        ward,
        names.get(("other", ward), "") if ward else "",
    )
    districts = (
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
        rank, decile = deprivation.get((index, code), (None, None)) if code else (None, None)
        figures += [decile, rank]
    return lsoas_wards, districts, tuple(figures)


def _names(records: Iterable[dict]) -> dict[tuple[str, str], str]:
    """(kind, code) → name, for the LSOAs, wards, districts, regions and countries found."""
    wanted: dict[str, set[str]] = {"lsoa11": set(), "lsoa21": set(), "other": set()}
    for r in records:
        if r.get("lsoa11"):
            wanted["lsoa11"].add(r["lsoa11"])
        if r.get("lsoa21"):
            wanted["lsoa21"].add(r["lsoa21"])
        for key in ("ward_code", "lad_code", "region_code", "country_code"):
            if r.get(key):
                wanted["other"].add(r[key])
    names: dict[tuple[str, str], str] = {}
    # Region from the district when the directory has no region column.
    missing = {r["lad_code"] for r in records if r.get("lad_code") and not r.get("region_code")}
    if missing:
        for code, region in Area.objects.filter(type=AreaType.LAD, code__in=missing).values_list(
            "code", "region_code"
        ):
            names[("region_of", code)] = region
            if region:
                wanted["other"].add(region)
    queries = (
        ("lsoa11", [AreaType.LSOA11, AreaType.WELSH_LSOA11, AreaType.DATAZONE11]),
        ("lsoa21", [AreaType.LSOA21]),
        ("other", [AreaType.WARD, AreaType.LAD, AreaType.REGION, AreaType.COUNTRY]),
    )
    for kind, types in queries:
        codes = sorted(wanted[kind])
        for start in range(0, len(codes), CHUNK):
            for code, name in (
                Area.objects.filter(type__in=types, code__in=codes[start : start + CHUNK])
                .order_by("year")
                .values_list("code", "name")
            ):
                names[(kind, code)] = name
    return names


def _deprivation(records: Iterable[dict]) -> dict[tuple[str, str], tuple[int, int]]:
    """(index, area code) → (rank, decile) for the LSOAs found."""
    lsoa11 = sorted({r["lsoa11"] for r in records if r.get("lsoa11")})
    lsoa21 = sorted({r["lsoa21"] for r in records if r.get("lsoa21")})
    found: dict[tuple[str, str], tuple[int, int]] = {}
    older = [DeprivationIndex.IMD2019, DeprivationIndex.WIMD2019, DeprivationIndex.SIMD2020]
    for indexes, codes in ((older, lsoa11), ([DeprivationIndex.IMD2025], lsoa21)):
        for start in range(0, len(codes), CHUNK):
            for index, code, rank, decile in Deprivation.objects.filter(
                index__in=indexes, area_code__in=codes[start : start + CHUNK]
            ).values_list("index", "area_code", "rank", "decile"):
                found[(index, code)] = (rank, decile)
    return found


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
