"""Reads behind the cold-spots page and the area pages' grants section.

For every local authority and ward loaded: Census 2021 residents, residents living in
IMD 2025 deciles 1–2, active charities based there (from the charity registers, placed
by their registered postcode) and the grants placed there. Small areas (LSOA 2021) go
to a local authority by the ONS lookup, and to a ward by best fit — the ward holding
most of their postcodes — as on the area pages (derived, not official).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from vcsehub.geography import area_selectors as geo
from vcsehub.geography.models import (
    Area,
    AreaType,
    Deprivation,
    DeprivationIndex,
    Population,
    Postcode,
)
from vcsehub.grants.models import Grant
from vcsehub.grants.selectors import area_codes_within, datasets_for_grants, funder_names

CENSUS = "census2021"
DEPRIVED_DECILES = (1, 2)


@dataclass(frozen=True)
class AreaRaw:
    code: str
    name: str
    population: int | None
    deprived_population: int  # residents of its small areas in deciles 1–2
    small_areas: int
    small_areas_missing: int  # small areas with no population or no decile
    charities: int | None
    grants: int
    gbp_total: Decimal
    derived: bool


def registers_loaded() -> bool:
    if not apps.is_installed("vcsehub.charities"):
        return False
    return apps.get_model("charities", "Charity").objects.exists()


def _lsoa_figures() -> tuple[dict[str, int], dict[str, int]]:
    people = dict(Population.objects.filter(edition=CENSUS).values_list("area_code", "total"))
    deciles = dict(
        Deprivation.objects.filter(index=DeprivationIndex.IMD2025).values_list(
            "area_code", "decile"
        )
    )
    return people, deciles


def _lsoa_wards() -> dict[str, str]:
    """LSOA 2021 → the ward holding most of its postcodes (ties: lower ward code)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for lsoa, ward, n in (
        Postcode.objects.exclude(lsoa21="")
        .exclude(ward_code="")
        .values("lsoa21", "ward_code")
        .annotate(n=Count("id"))
        .values_list("lsoa21", "ward_code", "n")
    ):
        counts[lsoa][ward] += n
    return {
        lsoa: min(by.items(), key=lambda item: (-item[1], item[0]))[0]
        for lsoa, by in counts.items()
    }


def _charities(level: str) -> dict[str, int] | None:
    if not registers_loaded():
        return None
    column = "lad_code" if level == "lad" else "ward_code"
    charity = apps.get_model("charities", "Charity")
    return dict(
        charity.objects.filter(status="registered")
        .exclude(**{column: ""})
        .values(column)
        .annotate(n=Count("id"))
        .values_list(column, "n")
    )


def _grants(level: str) -> dict[str, tuple[int, Decimal]]:
    column = "place_lad" if level == "lad" else "place_ward"
    return {
        code: (n, total)
        for code, n, total in Grant.objects.filter(currency="GBP")
        .exclude(**{column: ""})
        .values(column)
        .annotate(n=Count("id"), total=Sum("amount_awarded"))
        .values_list(column, "n", "total")
    }


def coldspot_areas(*, level: str) -> list[AreaRaw]:
    """Every local authority (level "lad") or ward ("ward") with small areas loaded."""
    people, deciles = _lsoa_figures()
    members: dict[str, list[str]] = defaultdict(list)
    if level == "lad":
        for code, lad in (
            Area.objects.filter(type=AreaType.LSOA21)
            .exclude(lad_code="")
            .values_list("code", "lad_code")
        ):
            members[lad].append(code)
    else:
        for lsoa, ward in _lsoa_wards().items():
            members[ward].append(lsoa)
    names: dict[str, str] = {}
    for code, name in (
        Area.objects.filter(
            type=AreaType.LAD if level == "lad" else AreaType.WARD, code__in=list(members)
        )
        .order_by("year")
        .values_list("code", "name")
    ):
        names[code] = name
    charities = _charities(level)
    grants = _grants(level)
    found = []
    for code, lsoas in members.items():
        usable = [c for c in lsoas if c in people and c in deciles]
        population = sum(people[c] for c in usable) if usable else None
        deprived = sum(people[c] for c in usable if deciles[c] in DEPRIVED_DECILES)
        n, total = grants.get(code, (0, Decimal(0)))
        found.append(
            AreaRaw(
                code=code,
                name=names.get(code, code),
                population=population,
                deprived_population=deprived,
                small_areas=len(lsoas),
                small_areas_missing=len(lsoas) - len(usable),
                charities=None if charities is None else charities.get(code, 0),
                grants=n,
                gbp_total=total,
                derived=level == "ward",
            )
        )
    return found


def grants_placed_outside(*, level: str) -> tuple[int, int, int]:
    """(GBP grants placed at this level, GBP grants not placed at it, grants in other currencies)."""
    column = "place_lad" if level == "lad" else "place_ward"
    placed = Grant.objects.filter(currency="GBP").exclude(**{column: ""}).count()
    unplaced = Grant.objects.filter(currency="GBP", **{column: ""}).count()
    other = Grant.objects.filter(~Q(currency="GBP")).count()
    return placed, unplaced, other


@dataclass(frozen=True)
class AreaPopulation:
    people: int | None
    small_areas: int
    missing: int
    derived: bool


def area_population(*, area: Area) -> AreaPopulation:
    """Census 2021 residents of a place, summed over its 2021 small areas (as the area page)."""
    lsoas = geo.area_lsoas(area=area, lsoa_type=AreaType.LSOA21)
    people = geo.populations_for(edition=CENSUS, codes=lsoas.codes)
    return AreaPopulation(
        people=sum(people.values()) if people else None,
        small_areas=len(lsoas.codes),
        missing=len(lsoas.codes) - len(people),
        derived=lsoas.derived,
    )


# -- the grants section of an area page ------------------------------------------------------


@dataclass(frozen=True)
class SectionRow:
    key: str
    label: str
    grants: int
    total: Decimal


@dataclass
class AreaGrantsSection:
    """Grants placed in an area, by funder and by year (pounds only), and £ per resident."""

    code: str
    grants: int  # all grants placed in the area, any currency
    gbp_grants: int
    gbp_total: Decimal
    other_currency_grants: int
    no_date: int  # GBP grants with no award date (not in the by-year table)
    by_funder: list[SectionRow]
    by_year: list[SectionRow]
    population: AreaPopulation | None
    per_resident: Decimal | None
    datasets: list
    data_date: object
    grants_not_placed: int  # grants loaded that could not be placed in any local authority


def _gbp_rows(grants, column: str) -> tuple[dict, int]:
    rows = (
        grants.filter(currency="GBP")
        .order_by()
        .values(column)
        .annotate(n=Count("id"), total=Sum("amount_awarded"))
        .values_list(column, "n", "total")
    )
    found = {}
    missing = 0
    for key, n, total in rows:
        if key in (None, ""):
            missing += n
        else:
            found[key] = (n, total)
    return found, missing


def area_grants_section(*, area: Area) -> AreaGrantsSection:
    _area, condition = area_codes_within(code=area.code)
    grants = Grant.objects.filter(condition)
    total_grants = grants.count()
    funders, no_funder = _gbp_rows(grants, "funder_org_id")
    years, no_date = _gbp_rows(grants.annotate(award_year=ExtractYear("award_date")), "award_year")
    names = funder_names(org_ids=list(funders))
    gbp_grants = sum(n for n, _ in funders.values()) + no_funder
    gbp_total = sum((t for _, t in funders.values()), Decimal(0))
    population = (
        area_population(area=area) if total_grants or area.type != AreaType.LSOA21 else None
    )
    datasets = datasets_for_grants(grants=grants)
    runs = [d.last_run.finished_at for d in datasets if d.last_run]
    per_resident = None
    if population and population.people:
        per_resident = (gbp_total / population.people).quantize(Decimal("0.01"))
    return AreaGrantsSection(
        code=area.code,
        grants=total_grants,
        gbp_grants=gbp_grants,
        gbp_total=gbp_total,
        other_currency_grants=total_grants - gbp_grants,
        no_date=no_date,
        by_funder=sorted(
            (SectionRow(k, names.get(k, k), n, t) for k, (n, t) in funders.items()),
            key=lambda r: (-r.total, r.label),
        ),
        by_year=[SectionRow(str(k), str(k), n, t) for k, (n, t) in sorted(years.items())],
        population=population,
        per_resident=per_resident,
        datasets=datasets,
        data_date=max(runs) if runs else None,
        grants_not_placed=Grant.objects.filter(place_lad="").count(),
    )
