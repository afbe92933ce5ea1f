"""Shapes of the grants API's answers (money as decimal strings, never floats)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema


class PlaceOut(Schema):
    method: str
    method_label: str
    note: str
    postcode: str
    postcode_status: str
    lsoa11: str
    lsoa21: str
    ward: str
    lad: str
    imd2019_decile: int | None
    imd2025_decile: int | None


class GrantOut(Schema):
    id: str
    dataset: str
    title: str
    description: str
    currency: str
    amount_awarded: Decimal
    award_date: date | None
    funder_org_id: str
    funder_name: str
    recipient_type: str
    recipient_org_id: str
    recipient_name: str
    recipient_income_band: str
    programmes: list[dict]
    purposes: dict[str, list[str]]
    place: PlaceOut


class CurrencyTotalOut(Schema):
    currency: str
    grants: int
    total: Decimal


class LicenceOut(Schema):
    dataset: str
    title: str
    licence: str
    attribution: str
    loaded: str | None


class GrantPageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    totals_by_currency: list[CurrencyTotalOut]
    results: list[GrantOut]
    licences: list[LicenceOut]


class GroupOut(Schema):
    key: str
    label: str
    grants: int
    total_gbp: Decimal
    share: Decimal | None


class TableOut(Schema):
    title: str
    rows: list[GroupOut]
    grants: int
    total_gbp: Decimal
    missing_grants: int
    missing_total_gbp: Decimal
    other_currencies: list[CurrencyTotalOut]


class StatsOut(Schema):
    grants: int
    total: Decimal | None
    median: Decimal | None
    lower_quartile: Decimal | None
    upper_quartile: Decimal | None
    smallest: Decimal | None
    largest: Decimal | None


class FunderSummaryOut(Schema):
    org_id: str
    name: str
    register_org_id: str = Field(
        "", description="the charity register record the funder is linked to; empty if none"
    )
    register_note: str = Field("", description="how it was linked, or why not")
    grants: int
    totals_by_currency: list[CurrencyTotalOut]
    first_award: date | None
    last_award: date | None
    grants_with_no_date: int
    gbp: StatsOut
    tables: dict[str, TableOut]
    licences: list[LicenceOut]
    page: str


class AreaGrantsOut(Schema):
    code: str
    name: str
    type: str
    grants: int
    grants_gbp: int
    total_gbp: Decimal
    other_currency_grants: int
    residents_census2021: int | None
    gbp_per_resident: Decimal | None
    by_funder: list[GroupOut]
    by_year: list[GroupOut]
    grants_with_no_date: int
    grants_not_placed_anywhere: int
    licences: list[LicenceOut]


class ErrorOut(Schema):
    detail: str
