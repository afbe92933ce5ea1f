"""Reads behind the area pages and the areas API: an area, its parents, its small areas,
their deprivation deciles, populations and boundaries, and the place-name search.

Small areas (LSOAs) of a local authority come from every place that records the
authority: LSOA area rows (their `lad_code`) and boundary rows. Small areas of a
combined authority or region are those of its local authorities. Small areas of a
ward are *derived*: each LSOA goes to the ward holding most of its postcodes (see
`ward_lsoa_best_fit`), because no official LSOA → ward lookup is loaded.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, Value, When

from vcsehub.analytics.deprivation import DecileProfile, Edition, SmallArea, decile_profile
from vcsehub.common.formatting import format_count
from vcsehub.geography.lookup import PostcodeResult, postcode_lookup
from vcsehub.geography.models import (
    Area,
    AreaType,
    Boundary,
    Deprivation,
    DeprivationIndex,
    Population,
    Postcode,
)
from vcsehub.sources.registry import Source, get_source

# Area types that have a page of their own.
PAGE_TYPES = (AreaType.LAD, AreaType.WARD, AreaType.CAUTH, AreaType.REGION)
_CHUNK = 500  # codes per IN (...) query: well under SQLite's variable limit


@dataclass(frozen=True)
class EditionSpec:
    """One deprivation edition as the pages use it: index, small areas, population."""

    index: str
    lsoa_type: str
    population_edition: str
    source_id: str
    population_source_id: str
    edition: Edition
    year_label: str  # column heading, e.g. "IMD 2019 decile"


EDITIONS: tuple[EditionSpec, ...] = (
    EditionSpec(
        index=DeprivationIndex.IMD2019,
        lsoa_type=AreaType.LSOA11,
        population_edition="mid2015",
        source_id="iod2019",
        population_source_id="iod2019",
        edition=Edition(
            key="imd2019",
            label="IoD2019, 2011 areas",
            title="English Indices of Deprivation 2019",
            nation="England",
            data_date="26 September 2019",
            population_label="mid-2015 population, IoD2019 denominators",
        ),
        year_label="IMD 2019 decile",
    ),
    EditionSpec(
        index=DeprivationIndex.IMD2025,
        lsoa_type=AreaType.LSOA21,
        population_edition="census2021",
        source_id="iod2025",
        population_source_id="census2021-population",
        edition=Edition(
            key="imd2025",
            label="IoD2025, 2021 areas",
            title="English Indices of Deprivation 2025",
            nation="England",
            data_date="30 October 2025",
            population_label="Census 2021 usual residents",
        ),
        year_label="IMD 2025 decile",
    ),
)
# Sources that decide which small areas a place holds (a new import may change the set).
AREA_SOURCES = ("ons-area-codes", "ons-lsoa11-lsoa21-lookup", "postcodes-derived-lsoa-wmca", "nspl")
CENSUS_EDITION = "census2021"
MID2015_EDITION = "mid2015"


def _chunks(codes: Iterable[str]) -> Iterable[list[str]]:
    codes = list(codes)
    for start in range(0, len(codes), _CHUNK):
        yield codes[start : start + _CHUNK]


# -- areas --------------------------------------------------------------------------------


def area_get(*, code: str) -> Area | None:
    """The area with a page for this GSS code (latest ward year), or None."""
    code = (code or "").strip().upper()
    return Area.objects.filter(code=code, type__in=PAGE_TYPES).order_by("-year").first()


def area_parents(*, area: Area) -> list[Area]:
    """The larger areas it sits in, smallest first: local authority, combined authority,
    region, country. Only those loaded; each at its latest year."""
    wanted = []
    if area.type == AreaType.WARD and area.lad_code:
        wanted.append(area.lad_code)
    if area.type in (AreaType.WARD, AreaType.LAD):
        wanted.append(area.cauth_code)
    if area.type != AreaType.REGION:
        wanted.append(area.region_code)
    wanted.append(area.country_code)
    found = {
        a.code: a for a in Area.objects.filter(code__in=[c for c in wanted if c]).order_by("year")
    }
    return [found[c] for c in wanted if c in found]


# A district is current when it is its own successor (or no successor is recorded).
CURRENT_LAD = Q(lad_code=F("code")) | Q(lad_code="")


def area_lads_within(*, area: Area) -> list[Area]:
    """Local authorities inside a combined authority or region (by their stored codes)."""
    if area.type == AreaType.CAUTH:
        query = Q(cauth_code=area.code)
    elif area.type == AreaType.REGION:
        query = Q(region_code=area.code)
    else:
        return []
    return list(Area.objects.filter(query, CURRENT_LAD, type=AreaType.LAD).order_by("name"))


def area_wards(*, lad_code: str) -> list[Area]:
    """The current wards of a local authority, A to Z.

    Ward codes are kept from every year, so "current" is taken from the newest ward set
    that places something in the district: ward boundaries, else postcodes' wards. With
    neither loaded, every ward code recorded for the district is listed.
    """
    codes = set(
        Boundary.objects.filter(area_type=AreaType.WARD, lad_code=lad_code).values_list(
            "area_code", flat=True
        )
    )
    if not codes:
        latest = (
            Postcode.objects.filter(lad_code=lad_code)
            .exclude(ward_code="")
            .order_by("-ward_year")
            .values_list("ward_year", flat=True)
            .first()
        )
        if latest is not None:
            codes = set(
                Postcode.objects.filter(lad_code=lad_code, ward_year=latest)
                .exclude(ward_code="")
                .values_list("ward_code", flat=True)
                .distinct()
            )
    wards = Area.objects.filter(type=AreaType.WARD, lad_code=lad_code)
    if codes:
        wards = wards.filter(code__in=codes)
    latest_row: dict[str, Area] = {}
    for ward in wards.order_by("year"):
        latest_row[ward.code] = ward
    return sorted(latest_row.values(), key=lambda w: (w.name, w.code))


def lad_successor(*, area: Area) -> Area | None:
    """For a district that no longer exists, the current district it is now part of."""
    if area.type != AreaType.LAD or not area.lad_code or area.lad_code == area.code:
        return None
    return Area.objects.filter(type=AreaType.LAD, code=area.lad_code).first()


def lads_by_region() -> list[tuple[str, list[Area]]]:
    """Every current local authority loaded, grouped by region name (then country), A to Z."""
    lads = list(Area.objects.filter(CURRENT_LAD, type=AreaType.LAD).order_by("name"))
    region_codes = {a.region_code or a.country_code for a in lads}
    names = dict(Area.objects.filter(code__in=region_codes).values_list("code", "name"))
    groups: dict[str, list[Area]] = defaultdict(list)
    for lad in lads:
        key = lad.region_code or lad.country_code
        groups[names.get(key, "Region not known")].append(lad)
    return sorted(groups.items())


def area_search(*, query: str, limit: int = 50) -> list[Area]:
    """Local authorities and wards whose name contains the query (any case).

    Exact names first, then names starting with the query, then the rest; local
    authorities before wards; A to Z. Each ward only at its latest year.
    """
    query = " ".join((query or "").split())
    if not query:
        return []
    rank = Case(
        When(name__iexact=query, then=Value(0)),
        When(name__istartswith=query, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    kind = Case(
        When(type=AreaType.LAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    rows = (
        Area.objects.filter(name__icontains=query, type__in=(AreaType.LAD, AreaType.WARD))
        .annotate(rank=rank, kind=kind)
        .order_by("rank", "kind", "name", "-year")
    )
    seen: set[tuple[str, str]] = set()
    results: list[Area] = []
    for area in rows[: limit * 4]:
        key = (area.type, area.code)
        if key in seen:
            continue
        seen.add(key)
        results.append(area)
        if len(results) >= limit:
            break
    # Former districts: say which current district each is now part of.
    successors = {
        a.code: a
        for a in Area.objects.filter(
            type=AreaType.LAD,
            code__in={
                a.lad_code
                for a in results
                if a.type == AreaType.LAD and a.lad_code not in ("", a.code)
            },
        )
    }
    for area in results:
        area.successor = successors.get(area.lad_code) if area.type == AreaType.LAD else None
    return results


# -- small areas --------------------------------------------------------------------------


@dataclass
class LsoaSet:
    """The small areas of one vintage (2011 or 2021) in a place."""

    lsoa_type: str
    codes: list[str]
    names: dict[str, str]
    derived: bool = False
    method: str = ""
    ward_postcodes: int = 0  # the ward's postcodes with an LSOA of this vintage
    postcodes_in_best_fit: int = 0  # of those, how many lie in the LSOAs given to the ward
    touching: int = 0  # LSOAs holding some of the ward's postcodes, given to the ward or not


def _lad_lsoa_codes(*, lsoa_type: str, lad_codes: list[str]) -> dict[str, str]:
    """LSOA code → name for LSOAs recorded in any of these local authorities."""
    names: dict[str, str] = {}
    for code, name in Boundary.objects.filter(
        area_type=lsoa_type, lad_code__in=lad_codes
    ).values_list("area_code", "name"):
        names[code] = name or code
    for code, name in Area.objects.filter(type=lsoa_type, lad_code__in=lad_codes).values_list(
        "code", "name"
    ):
        names[code] = name or names.get(code) or code
    return names


def lsoa_names(*, lsoa_type: str, codes: Iterable[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for chunk in _chunks(codes):
        for code, name in Boundary.objects.filter(
            area_type=lsoa_type, area_code__in=chunk
        ).values_list("area_code", "name"):
            names[code] = name or code
        for code, name in Area.objects.filter(type=lsoa_type, code__in=chunk).values_list(
            "code", "name"
        ):
            if name:
                names[code] = name
    return names


def ward_postcode_source(*, ward: Area) -> str | None:
    """The postcode source to place this ward's small areas with: official before derived."""
    sources = set(
        Postcode.objects.filter(ward_code=ward.code).values_list("source_id", flat=True).distinct()
    )
    if not sources:
        return None

    def derived(source_id: str) -> bool:
        try:
            return get_source(source_id).derived
        except LookupError:
            return True

    return sorted(sources, key=lambda s: (derived(s), s))[0]


def ward_lsoa_best_fit(*, ward: Area, lsoa_type: str) -> LsoaSet:
    """Small areas whose postcodes mostly lie in this ward (derived, best fit).

    Counts postcodes (live and terminated alike) of one postcode source by (LSOA, ward);
    each LSOA goes to the ward with the most; ties go to the lower ward code. Wards are
    matched by code only: ONS gives a ward a new code whenever its boundary changes, and
    `Area.year` (the year a code was first listed) need not equal the postcode file's.
    """
    column = "lsoa11" if lsoa_type == AreaType.LSOA11 else "lsoa21"
    source_id = ward_postcode_source(ward=ward)
    empty = LsoaSet(lsoa_type=lsoa_type, codes=[], names={}, derived=True, method="postcodes")
    if source_id is None:
        return empty
    touching = set(
        Postcode.objects.filter(source_id=source_id, ward_code=ward.code)
        .exclude(**{column: ""})
        .values_list(column, flat=True)
    )
    if not touching:
        return empty
    counts: dict[str, Counter] = defaultdict(Counter)
    used = 0
    for chunk in _chunks(sorted(touching)):
        rows = (
            Postcode.objects.filter(source_id=source_id, **{f"{column}__in": chunk})
            .exclude(ward_code="")
            .values_list(column, "ward_code")
        )
        for lsoa, ward_code in rows:
            counts[lsoa][ward_code] += 1
    codes = []
    this_ward = ward.code
    for lsoa, by_ward in counts.items():
        best = min(by_ward.items(), key=lambda item: (-item[1], item[0]))[0]
        if best == this_ward:
            codes.append(lsoa)
            used += by_ward[this_ward]
    codes.sort()
    return LsoaSet(
        lsoa_type=lsoa_type,
        codes=codes,
        names=lsoa_names(lsoa_type=lsoa_type, codes=codes),
        derived=True,
        method=f"postcodes:{source_id}",
        ward_postcodes=sum(by_ward[this_ward] for by_ward in counts.values()),
        postcodes_in_best_fit=used,
        touching=len(touching),
    )


def area_lsoas(*, area: Area, lsoa_type: str) -> LsoaSet:
    """The small areas (LSOAs of one vintage) making up a place."""
    if area.type == AreaType.WARD:
        return ward_lsoa_best_fit(ward=area, lsoa_type=lsoa_type)
    if area.type == AreaType.LAD:
        lad_codes = [area.code]
    else:
        lad_codes = [lad.code for lad in area_lads_within(area=area)]
    names = _lad_lsoa_codes(lsoa_type=lsoa_type, lad_codes=lad_codes) if lad_codes else {}
    return LsoaSet(lsoa_type=lsoa_type, codes=sorted(names), names=names, method="local authority")


def deciles_for(*, index: str, codes: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(codes):
        found.update(
            Deprivation.objects.filter(index=index, area_code__in=chunk).values_list(
                "area_code", "decile"
            )
        )
    return found


def populations_for(*, edition: str, codes: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(codes):
        found.update(
            Population.objects.filter(edition=edition, area_code__in=chunk).values_list(
                "area_code", "total"
            )
        )
    return found


def boundaries_for(*, area_type: str, codes: Iterable[str]) -> dict[str, dict]:
    """code → GeoJSON geometry for the codes that have a boundary loaded."""
    found: dict[str, dict] = {}
    for chunk in _chunks(codes):
        found.update(
            Boundary.objects.filter(area_type=area_type, area_code__in=chunk).values_list(
                "area_code", "geometry"
            )
        )
    return found


def boundary_codes(*, area_type: str, codes: Iterable[str]) -> set[str]:
    """The codes that have a boundary loaded (without reading the geometries)."""
    found: set[str] = set()
    for chunk in _chunks(codes):
        found.update(
            Boundary.objects.filter(area_type=area_type, area_code__in=chunk).values_list(
                "area_code", flat=True
            )
        )
    return found


def edition_loaded(*, spec: EditionSpec) -> bool:
    return Deprivation.objects.filter(index=spec.index).exists()


# -- profiles ------------------------------------------------------------------------------


@dataclass
class EditionFigures:
    """One edition's figures for one place: the profile and the rows it was built from."""

    spec: EditionSpec
    lsoas: LsoaSet
    deciles: dict[str, int]
    populations: dict[str, int]
    profile: DecileProfile
    sources: list[Source] = field(default_factory=list)


@dataclass
class AreaFigures:
    area: Area
    parents: list[Area]
    editions: list[EditionFigures]
    census: tuple[int, int, int] | None  # (people, LSOAs counted, LSOAs with no count)
    census_lsoas: LsoaSet | None

    @property
    def derived(self) -> bool:
        return self.area.type == AreaType.WARD


def _sources(*ids: str) -> list[Source]:
    out: list[Source] = []
    for source_id in ids:
        try:
            source = get_source(source_id)
        except LookupError:
            continue
        if source not in out:
            out.append(source)
    return out


def area_figures(*, area: Area) -> AreaFigures:
    """Everything the area page and the areas API show, computed once."""
    editions: list[EditionFigures] = []
    lsoa_sets: dict[str, LsoaSet] = {}
    for spec in EDITIONS:
        if spec.lsoa_type not in lsoa_sets:
            lsoa_sets[spec.lsoa_type] = area_lsoas(area=area, lsoa_type=spec.lsoa_type)
        lsoas = lsoa_sets[spec.lsoa_type]
        if not lsoas.codes or not edition_loaded(spec=spec):
            continue
        deciles = deciles_for(index=spec.index, codes=lsoas.codes)
        populations = populations_for(edition=spec.population_edition, codes=lsoas.codes)
        profile = decile_profile(
            place_name=area.name,
            edition=spec.edition,
            areas=(
                SmallArea(
                    code, lsoas.names.get(code, code), deciles.get(code), populations.get(code)
                )
                for code in lsoas.codes
            ),
        )
        sources = _sources(spec.source_id, spec.population_source_id)
        if lsoas.derived and lsoas.method.startswith("postcodes:"):
            sources += _sources(lsoas.method.split(":", 1)[1])
        editions.append(EditionFigures(spec, lsoas, deciles, populations, profile, sources))

    census_lsoas = lsoa_sets.get(AreaType.LSOA21)
    census = None
    if census_lsoas and census_lsoas.codes:
        people = populations_for(edition=CENSUS_EDITION, codes=census_lsoas.codes)
        if people:
            census = (sum(people.values()), len(people), len(census_lsoas.codes) - len(people))
    return AreaFigures(
        area=area,
        parents=area_parents(area=area),
        editions=editions,
        census=census,
        census_lsoas=census_lsoas,
    )


# -- the small-area table (page and CSV) ----------------------------------------------------
# One row per LSOA code of either vintage. The area page and its CSV download both come
# from `lsoa_table`, so the file holds exactly the figures the page shows. A cell is None
# when the small area is not one of that vintage's areas in this place (e.g. a 2011 code
# split in 2021), and "no data" when it is but the figure is missing.

NO_DATA = "no data"

HEADER = (
    "LSOA code",
    "LSOA name",
    "IMD 2019 decile (2011 areas)",
    "IMD 2025 decile (2021 areas)",
    "Population mid-2015 (IoD2019 denominators)",
    "Census 2021 usual residents",
)


@dataclass(frozen=True)
class LsoaRow:
    code: str
    name: str
    decile_2019: int | str | None
    decile_2025: int | str | None
    population_2015: int | str | None
    population_2021: int | str | None

    def display(self) -> tuple[str, ...]:
        """The number cells as the page writes them: "–" where the area is not of that year."""
        return tuple(
            "–" if value is None else value if isinstance(value, str) else format_count(value)
            for value in (
                self.decile_2019,
                self.decile_2025,
                self.population_2015,
                self.population_2021,
            )
        )

    def cells(self) -> tuple:
        return (
            self.code,
            self.name,
            self.decile_2019,
            self.decile_2025,
            self.population_2015,
            self.population_2021,
        )


def _edition(figures: AreaFigures, key: str) -> EditionFigures | None:
    return next((e for e in figures.editions if e.spec.edition.key == key), None)


def lsoa_table(figures: AreaFigures) -> list[LsoaRow]:
    """The small-area rows of a place, sorted by code."""
    e2019 = _edition(figures, "imd2019")
    e2025 = _edition(figures, "imd2025")
    names: dict[str, str] = {}
    in_2011: set[str] = set()
    in_2021: set[str] = set()
    if e2019:
        in_2011 = set(e2019.lsoas.codes)
        names.update(e2019.lsoas.names)
    if e2025:
        in_2021 = set(e2025.lsoas.codes)
        names.update(e2025.lsoas.names)
    rows = []
    for code in sorted(in_2011 | in_2021):
        rows.append(
            LsoaRow(
                code=code,
                name=names.get(code, code),
                decile_2019=_cell(code, in_2011, e2019.deciles if e2019 else {}),
                decile_2025=_cell(code, in_2021, e2025.deciles if e2025 else {}),
                population_2015=_cell(code, in_2011, e2019.populations if e2019 else {}),
                population_2021=_cell(code, in_2021, e2025.populations if e2025 else {}),
            )
        )
    return rows


def _cell(code: str, members: set[str], values: dict[str, int]) -> int | str | None:
    if code not in members:
        return None
    return values.get(code, NO_DATA)


# -- find an area ---------------------------------------------------------------------------


@dataclass
class PlaceSearch:
    """What the find-an-area page found for what was typed."""

    query: str
    kind: str  # "name" or "postcode"
    areas: list[Area] = field(default_factory=list)
    postcode: PostcodeResult | None = None  # the postcode lookup's answer
    reason: str = ""  # why nothing was found, in plain words
    pages: set[str] = field(default_factory=set)  # codes of the postcode's areas that have a page


def place_search(*, query: str) -> PlaceSearch:
    """A postcode (anything with a digit in it) is looked up; anything else is a name search."""
    query = " ".join((query or "").split())
    if any(ch.isdigit() for ch in query):
        return _postcode_search(query)
    areas = area_search(query=query)
    reason = "" if areas else f"No local authority or ward name contains “{query}”."
    return PlaceSearch(query=query, kind="name", areas=areas, reason=reason)


def _postcode_search(query: str) -> PlaceSearch:
    result = postcode_lookup(query)
    reason = "" if result.valid and result.found else result.reason
    codes = [c for c in (result.ward_code, result.lad_code, result.region_code) if c]
    pages = set(
        Area.objects.filter(code__in=codes, type__in=PAGE_TYPES).values_list("code", flat=True)
    )
    return PlaceSearch(query=query, kind="postcode", postcode=result, reason=reason, pages=pages)
