"""Reads of areas, deprivation, population and boundaries (used by area pages, maps and the API).

Keyword-only functions named <entity>_<action>. LSOA vintages: 2011 areas carry IoD2019
(and mid-2015 population); 2021 areas carry IoD2025 (and Census 2021 population).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from vcsehub.geography.models import (
    Area,
    AreaType,
    Boundary,
    Deprivation,
    DeprivationIndex,
    LsoaLookup,
    Population,
)

LSOA_TYPES = {2011: AreaType.LSOA11, 2021: AreaType.LSOA21}
INDEX_VINTAGE = {
    DeprivationIndex.IMD2019: 2011,
    DeprivationIndex.IMD2025: 2021,
}
EDITION_VINTAGE = {"mid2015": 2011, "census2021": 2021}
CHUNK = 500


def area_get(*, code: str, type: str | None = None, year: int | None = None) -> Area | None:
    """The area with this GSS code (the most recent year when a ward code has several)."""
    areas = Area.objects.filter(code=code)
    if type:
        areas = areas.filter(type=type)
    if year is not None:
        areas = areas.filter(year=year)
    # An E01 code can be both a 2011 and a 2021 LSOA: prefer the bigger area types first.
    return areas.order_by("-year", "type").first()


def areas_in_lad(*, lad_code: str, type: str, year: int | None = None) -> QuerySet[Area]:
    """Areas of one type inside a (current) local authority district, by code."""
    areas = Area.objects.filter(lad_code=lad_code, type=type)
    if year is not None:
        areas = areas.filter(year=year)
    return areas.order_by("code")


def lsoas_for_lad(*, lad_code: str, vintage: int) -> QuerySet[Area]:
    """The LSOAs (2011 or 2021) in a district, as loaded from the ONS lookup."""
    if vintage not in LSOA_TYPES:
        raise ValueError(f"LSOA vintage must be 2011 or 2021, not {vintage}")
    return areas_in_lad(lad_code=lad_code, type=LSOA_TYPES[vintage])


def wards_for_lad(*, lad_code: str, year: int | None = None) -> QuerySet[Area]:
    """Wards in a district; without `year`, the most recent ward set loaded for it."""
    wards = Area.objects.filter(lad_code=lad_code, type=AreaType.WARD)
    if year is None:
        latest = wards.order_by("-year").values_list("year", flat=True).first()
        if latest is None:
            return wards.none()
        year = latest
    return wards.filter(year=year).order_by("name")


def deprivation_for(*, index: str, area_codes: Iterable[str]) -> dict[str, Deprivation]:
    """area code → Deprivation row, for the codes that have one in this index."""
    codes = list(dict.fromkeys(area_codes))
    found: dict[str, Deprivation] = {}
    for start in range(0, len(codes), CHUNK):
        for row in Deprivation.objects.filter(
            index=index, area_code__in=codes[start : start + CHUNK]
        ):
            found[row.area_code] = row
    return found


def deprivation_for_lad(*, index: str, lad_code: str) -> tuple[list[Deprivation], int]:
    """The district's LSOAs' rows in an English index, and how many of its LSOAs had none."""
    codes = list(
        lsoas_for_lad(lad_code=lad_code, vintage=INDEX_VINTAGE[index]).values_list(
            "code", flat=True
        )
    )
    rows = deprivation_for(index=index, area_codes=codes)
    return [rows[c] for c in codes if c in rows], sum(1 for c in codes if c not in rows)


@dataclass
class PopulationFigure:
    """Residents of an area (or the sum over a district's LSOAs) in one edition."""

    edition: str
    area_code: str
    total: int | None
    by_age: dict[str, int] = field(default_factory=dict)
    areas_counted: int = 0
    areas_missing: int = 0


def population_for(*, edition: str, area_codes: Iterable[str]) -> dict[str, Population]:
    """area code → Population row, for the codes that have one in this edition."""
    codes = list(dict.fromkeys(area_codes))
    found: dict[str, Population] = {}
    for start in range(0, len(codes), CHUNK):
        for row in Population.objects.filter(
            edition=edition, area_code__in=codes[start : start + CHUNK]
        ):
            found[row.area_code] = row
    return found


def population_for_lad(*, edition: str, lad_code: str) -> PopulationFigure:
    """Sum of a district's LSOA populations in one edition (mid2015: 2011 LSOAs; census2021: 2021)."""
    vintage = EDITION_VINTAGE.get(edition)
    if vintage is None:
        raise ValueError(f"Unknown population edition {edition!r}")
    codes = list(lsoas_for_lad(lad_code=lad_code, vintage=vintage).values_list("code", flat=True))
    rows = population_for(edition=edition, area_codes=codes)
    by_age: dict[str, int] = {}
    for row in rows.values():
        for band, count in (row.by_age or {}).items():
            if count is not None:
                by_age[band] = by_age.get(band, 0) + count
    return PopulationFigure(
        edition=edition,
        area_code=lad_code,
        total=sum(r.total for r in rows.values()) if rows else None,
        by_age=by_age,
        areas_counted=len(rows),
        areas_missing=len(codes) - len(rows),
    )


def lsoa21_for_lsoa11(*, lsoa11: str) -> list[str]:
    """2021 LSOAs a 2011 LSOA became (best fit, many-to-many). Never use it for postcodes."""
    return list(
        LsoaLookup.objects.filter(lsoa11=lsoa11).values_list("lsoa21", flat=True).distinct()
    )


def boundaries_for(
    *,
    area_type: str,
    lad_code: str | None = None,
    area_codes: Iterable[str] | None = None,
    year: int | None = None,
) -> QuerySet[Boundary]:
    """Simplified boundaries of one area type, for a district or a list of codes."""
    rows = Boundary.objects.filter(area_type=area_type)
    if lad_code:
        rows = rows.filter(lad_code=lad_code)
    if area_codes is not None:
        rows = rows.filter(area_code__in=list(area_codes))
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("area_code")


def boundary_get(*, area_type: str, area_code: str, year: int | None = None) -> Boundary | None:
    rows = Boundary.objects.filter(area_type=area_type, area_code=area_code)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-year").first()
