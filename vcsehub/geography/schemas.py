"""API shapes for postcode lookups (areas have theirs in schemas_areas.py)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

MAX_BATCH = 10_000


class SourceOut(Schema):
    id: str = Field(description="Source id, as listed on the Data sources page")
    title: str
    derived: bool = Field(
        description="True when made by the VCSE Hub project, not published officially"
    )


class PostcodeOut(Schema):
    input: str = Field(description="What was asked, unchanged")
    postcode: str = Field(description="Normalised: upper case, one space, e.g. 'B1 1AA'")
    valid: bool = Field(description="Has the format of a UK postcode")
    found: bool = Field(description="In a loaded postcode directory (live or terminated)")
    status: str = Field(description="ok | terminated | outside_england | not_found | invalid")
    reason: str = Field(description="Plain-English explanation when the answer is not a plain 'ok'")
    introduced: str = Field(description="yyyymm the postcode was introduced, if known")
    terminated: str = Field(
        description="yyyymm the postcode was withdrawn; empty if live or unknown"
    )
    lsoa11: str = Field(description="LSOA 2011 code")
    lsoa11_name: str
    lsoa21: str = Field(description="LSOA 2021 code, from the postcode directory itself")
    lsoa21_name: str
    ward_code: str
    ward_name: str
    ward_year: int | None = Field(description="Year of the ward boundaries the code belongs to")
    lad_code: str = Field(description="Local authority district code")
    lad_name: str
    region_code: str
    region_name: str
    country_code: str
    country_name: str
    latitude: float | None
    longitude: float | None
    imd2019_decile: int | None = Field(
        description="IoD2019 IMD decile (1 = most deprived 10% of England), 2011 LSOA"
    )
    imd2019_rank: int | None = Field(description="IoD2019 IMD rank out of 32,844")
    imd2025_decile: int | None = Field(description="IoD2025 IMD decile, 2021 LSOA")
    imd2025_rank: int | None = Field(
        description="IoD2025 IMD rank out of 33,755 (not comparable with 2019 ranks)"
    )
    wimd2019_decile: int | None = Field(description="Welsh IMD 2019 decile (Welsh postcodes only)")
    wimd2019_rank: int | None
    simd2020_decile: int | None = Field(
        description="Scottish IMD 2020 decile (Scottish postcodes only)"
    )
    simd2020_rank: int | None
    sources: list[SourceOut]
    derived_fields: list[str] = Field(
        description="Fields taken from a derived (not official) source"
    )


class PostcodesIn(Schema):
    postcodes: list[str] = Field(description=f"Up to {MAX_BATCH:,} postcodes, in any format")


class PostcodesOut(Schema):
    count: int
    found: int
    results: list[PostcodeOut]
    attribution: list[str]


class PostcodeError(Schema):
    detail: str
