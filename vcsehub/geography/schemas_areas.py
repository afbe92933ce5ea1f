"""Shapes of the areas API's answers (GET /api/v1/areas/{gss_code})."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class AreaRefOut(Schema):
    code: str = Field(description="ONS GSS code, e.g. E08000025.")
    name: str
    type: str = Field(
        description="lad, ward, cauth (combined authority), rgn (region) or ctry (country)."
    )
    type_label: str
    year: int | None = Field(description="Ward boundary year; null for areas not dated.")


class PopulationOut(Schema):
    edition: str = Field(description="census2021 or mid2015.")
    label: str
    people: int | None = Field(
        description="Sum over the small areas with a count; null if none has one."
    )
    small_areas_counted: int
    small_areas_missing: int = Field(description="Small areas of the place with no count.")
    small_area_year: int = Field(description="2011 or 2021: which small areas were summed.")
    source: str
    derived: bool = Field(
        description="True for wards, whose small areas are placed by their postcodes."
    )


class DecileCountOut(Schema):
    decile: int = Field(description="1 = most deprived 10% of small areas in England.")
    small_areas: int
    residents: int = Field(description="People in those small areas (the edition's population).")


class DeprivationOut(Schema):
    edition: str = Field(description="imd2019 (2011 small areas) or imd2025 (2021 small areas).")
    label: str = Field(description='e.g. "IoD2019, 2011 areas".')
    title: str
    published: str
    population: str = Field(description="Which population weights the residents' shares.")
    small_areas: int = Field(description="Small areas of the place in this edition's set.")
    n: int = Field(description="Small areas with a decile.")
    missing: int = Field(description="Small areas with no decile or no population count.")
    missing_codes: list[str]
    by_decile: list[DecileCountOut]
    small_areas_decile_1: int
    small_areas_deciles_1_2: int
    share_of_small_areas_decile_1: float | None = Field(description="Percent, 1 decimal place.")
    share_of_small_areas_deciles_1_2: float | None
    residents_counted: int
    share_of_residents_decile_1: float | None = Field(
        description="Population-weighted percent living in England's most deprived 10% of small areas."
    )
    share_of_residents_deciles_1_2: float | None = Field(
        description="Population-weighted percent living in England's most deprived 20% of small areas."
    )
    summary: str
    derived: bool
    attribution: list[str]


class AreaOut(Schema):
    code: str
    name: str
    type: str
    type_label: str
    year: int | None
    parents: list[AreaRefOut] = Field(
        description="Local authority, combined authority, region, country."
    )
    population: list[PopulationOut]
    deprivation: list[DeprivationOut]
    url: str = Field(description="The area's page on this site.")


class AreaErrorOut(Schema):
    detail: str
