"""Reads behind a place's charity profile: who is based there, who works there, and the place.

Two groups of charities, never mixed:

- **based in**: the charity's registered postcode lies in the area (placed by
  `services.organisation_place_all` through the geography postcode tables);
- **works in**: the charity names the area's local authority as an area of operation
  (England and Wales register only; the lookup gives each area its GSS code). For a ward,
  that is the ward's local authority: the register records no smaller areas.

"Active" means registered (not removed). This module only counts, in SQL; the figures
(per 1,000 residents, shares, summaries) are worked out by `vcsehub.analytics.charities`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet

from vcsehub.charities import area_counts
from vcsehub.charities.area_counts import (  # noqa: F401 - part of this module's interface
    BASED,
    WORKS,
    GroupCounts,
    NotPlaced,
    not_placed_counts,
)
from vcsehub.charities.models import AreaOfOperation, Charity, Classification, Kind, Status
from vcsehub.charities.search_facets import data_version
from vcsehub.geography import area_selectors
from vcsehub.geography.models import Area, AreaType, DeprivationIndex
from vcsehub.sources.selectors import import_runs_latest_success

PROFILE_TYPES = (AreaType.LAD, AreaType.WARD)
REGISTER_SOURCES = ("ccew", "oscr", "ccni")
# Sources a profile is drawn from, for data dates and attribution.
PROFILE_SOURCES = (
    *REGISTER_SOURCES,
    "charity-area-lookup",
    "postcodes-derived-lsoa-wmca",
    "nspl",
    "census2021-population",
    "iod2025",
)
DECILE_INDEX = DeprivationIndex.IMD2025
POPULATION_EDITION = area_selectors.CENSUS_EDITION
CACHE_SIZE = 64  # areas whose counts are kept in memory
_cache: dict[tuple, AreaProfileData] = {}
_cache_lock = threading.Lock()


@dataclass
class AreaProfileData:
    """Everything counted for one area's charity profile (no figures worked out yet)."""

    area: Area
    works_code: str  # the local authority whose areas of operation are used
    works_name: str
    based: GroupCounts
    works: GroupCounts
    not_placed: NotPlaced
    population: int | None  # Census 2021 usual residents, summed over the small areas
    population_lsoas: int  # small areas (2021) in the place
    population_missing: int  # of those, with no count
    lsoa_population: dict[str, int]
    lsoa_decile: dict[str, int]  # IoD2025 decile of each small area (2021) of the place
    lsoas_derived: bool  # wards: small areas placed by their postcodes
    data_dates: dict[str, date | None]  # source id → data date of its latest import
    loaded: dict[str, date | None]  # source id → day of its latest import
    sources_used: list[str]


def area_profile_data(*, area: Area) -> AreaProfileData:
    """Count a local authority's or ward's charities, and the place's residents.

    Counting reads every charity of the place (a hundred thousand in a big city on a full
    register, seconds), so the charity counts are read from those the imports store for
    every area (area_counts.py) while they match the data, and counted here otherwise.
    The whole result is also kept in memory until the data changes: the key is the data
    version of the facet index (search_facets.data_version), which changes with every
    import. Code that edits charities in place should call `area_profile_cache_clear()`.
    """
    if area.type not in PROFILE_TYPES:
        raise ValueError("Charity profiles are made for local authorities and wards.")
    version = data_version()
    if version is None:
        return _area_profile_data(area)
    key = (area.pk, area.code, version)
    found = _cache.get(key)
    if found is None:
        found = _area_profile_data(area)
        with _cache_lock:
            while len(_cache) >= CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            _cache[key] = found
    return found


def area_profile_cache_clear() -> None:
    """Forget the counts kept in memory and those stored (the charity data changed in place)."""
    with _cache_lock:
        _cache.clear()
    area_counts.area_counts_clear()


def _area_profile_data(area: Area) -> AreaProfileData:
    works_code = area.code if area.type == AreaType.LAD else area.lad_code
    works_name = area.name
    if works_code != area.code:
        lad = Area.objects.filter(type=AreaType.LAD, code=works_code).first()
        works_name = lad.name if lad else works_code
    stored = area_counts.stored_counts(
        based_scope=area_counts.LAD if area.type == AreaType.LAD else area_counts.WARD,
        based_code=area.code,
        works_code=works_code,
    )
    if stored is None:
        based = _group(BASED, area_charities(area=area, mode=BASED), with_lsoas=True)
        works = _group(WORKS, area_charities(area=area, mode=WORKS), with_lsoas=False)
        not_placed = not_placed_counts()
    else:
        based, works, not_placed = stored.based, stored.works, stored.not_placed
    lsoas = area_selectors.area_lsoas(area=area, lsoa_type=AreaType.LSOA21)
    populations = area_selectors.populations_for(edition=POPULATION_EDITION, codes=lsoas.codes)
    deciles = area_selectors.deciles_for(index=DECILE_INDEX, codes=lsoas.codes)
    runs = import_runs_latest_success(source_ids=PROFILE_SOURCES)
    return AreaProfileData(
        area=area,
        works_code=works_code,
        works_name=works_name,
        based=based,
        works=works,
        not_placed=not_placed,
        population=sum(populations.values()) if populations else None,
        population_lsoas=len(lsoas.codes),
        population_missing=len([c for c in lsoas.codes if c not in populations]),
        lsoa_population=populations,
        lsoa_decile=deciles,
        lsoas_derived=lsoas.derived,
        data_dates={source: run.data_date for source, run in runs.items()},
        loaded={
            source: (run.finished_at.date() if run.finished_at else None)
            for source, run in runs.items()
        },
        sources_used=[s for s in PROFILE_SOURCES if s in runs],
    )


def area_charities(*, area: Area, mode: str) -> QuerySet[Charity]:
    """Charities (any status) based in the area, or working in it (see the module notes)."""
    if mode == BASED:
        if area.type == AreaType.WARD:
            return Charity.objects.filter(ward_code=area.code)
        return Charity.objects.filter(lad_code=area.code)
    if mode == WORKS:
        code = area.code if area.type == AreaType.LAD else area.lad_code
        return Charity.objects.filter(
            id__in=AreaOfOperation.objects.filter(gss_code=code).values("charity_id")
        )
    raise ValueError(f"mode must be {BASED!r} or {WORKS!r}, not {mode!r}.")


def area_organisations(
    *, area: Area, mode: str, page: int = 1, page_size: int = 50, total: int | None = None
) -> tuple[list[Charity], int]:
    """Active charities of one group, A to Z: one page of them and how many in all
    (`total`, when the caller has counted them already)."""
    active = area_charities(area=area, mode=mode).filter(status=Status.REGISTERED)
    if total is None:
        total = active.count()
    start = (max(1, page) - 1) * page_size
    return list(active.order_by("name", "org_id")[start : start + page_size]), total


def area_organisations_all(*, area: Area, mode: str) -> QuerySet[Charity]:
    return (
        area_charities(area=area, mode=mode)
        .filter(status=Status.REGISTERED)
        .order_by("name", "org_id")
    )


def _group(key: str, charities: QuerySet[Charity], *, with_lsoas: bool) -> GroupCounts:
    counts = GroupCounts(key=key)
    rows = (
        charities.order_by()
        .values_list("register", "status", "income_band")
        .annotate(n=Count("id"))
    )
    for register, status, band, n in rows:
        if status == Status.REGISTERED:
            counts.active += n
            counts.active_by_register[register] = counts.active_by_register.get(register, 0) + n
            counts.active_by_band[band] = counts.active_by_band.get(band, 0) + n
        else:
            counts.removed += n
    active = charities.filter(status=Status.REGISTERED)
    causes = (
        Classification.objects.filter(kind=Kind.WHAT, charity_id__in=active.values("id"))
        .values_list("code", "label")
        .annotate(n=Count("charity_id", distinct=True))
    )
    counts.active_by_cause = sorted(
        ((code, label, n) for code, label, n in causes), key=lambda row: (-row[2], row[1])
    )
    counts.active_with_cause = (
        Classification.objects.filter(kind=Kind.WHAT, charity_id__in=active.values("id"))
        .values("charity_id")
        .distinct()
        .count()
    )
    # By day, added up by year here: SQLite works out a year in Python, row by row.
    for day, n in charities.order_by().values_list("date_registered").annotate(n=Count("id")):
        if day is None:
            counts.no_registration_date += n
        else:
            counts.registered_by_year[day.year] = counts.registered_by_year.get(day.year, 0) + n
    for day, n in (
        charities.filter(status=Status.REMOVED)
        .exclude(date_removed=None)
        .order_by()
        .values_list("date_removed")
        .annotate(n=Count("id"))
    ):
        counts.removed_by_year[day.year] = counts.removed_by_year.get(day.year, 0) + n
    if with_lsoas:
        counts.active_by_lsoa = dict(
            active.exclude(lsoa21="")
            .order_by()
            .values_list("lsoa21")
            .annotate(n=Count("id"))
            .values_list("lsoa21", "n")
        )
    return counts
