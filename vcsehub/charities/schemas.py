"""Shapes of the charities API's answers (/api/v1/organisations…, /api/v1/areas/{code}/profile)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    detail: str


class OrganisationSummaryOut(Schema):
    org_id: str = Field(description="e.g. GB-CHC-1173550, GB-SC-SC003558, GB-NIC-100002.")
    name: str
    register_: str = Field(alias="register", description="ccew, oscr or ccni.")
    registered_number: str
    status: str = Field(description="registered or removed.")
    income_band: str = Field(description='Band code; "" when there is no income figure.')
    latest_income: Decimal | None = Field(description="Pounds; null when not reported.")
    based_in_lad: str = Field(
        description='Local authority of the registered postcode; "" if not placed.'
    )
    url: str = Field(description="The organisation's page.")


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    total: int = Field(description="Charities matching the query and filters.")
    page: int
    page_size: int
    items: list[OrganisationSummaryOut]
    facets: dict[str, list[FacetValueOut]] = Field(
        description=(
            "Counts per value of each filter among the matches: register, status, "
            'income_band ("none" = no income data) and classification (left out for very '
            "large result sets)."
        )
    )
    data_dates: dict[str, date | None] = Field(description="Register → date of the data loaded.")


class LinkedIdOut(Schema):
    org_id: str
    reason: str = Field(description="Why the two ids are taken to be the same body.")
    issuer: str
    name: str | None = Field(description="The linked record's name, when that register is loaded.")


class LinkedCharityOut(Schema):
    linked_number: int
    name: str
    status: str
    date_registered: date | None
    date_removed: date | None


class PlaceOut(Schema):
    placed: bool = Field(description="False when the postcode is missing or not found.")
    postcode: str
    lsoa21: str
    lsoa21_name: str
    ward_code: str
    ward_name: str
    lad_code: str
    lad_name: str
    imd2025_decile: int | None = Field(
        description="1 = most deprived 10% of small areas in England."
    )
    imd2019_decile: int | None


class AreaOfOperationOut(Schema):
    area_type: str
    description: str
    gss_code: str
    iso_code: str


class YearOut(Schema):
    period_end: date
    income: Decimal | None
    expenditure: Decimal | None
    suppressed: bool


class InactiveOut(Schema):
    flag: bool | None = Field(description="True: possibly inactive; null: cannot tell.")
    reason: str
    rule: str


class SourceOut(Schema):
    id: str
    title: str
    publisher: str
    licence: str
    attribution: list[str]
    data_date: date | None


class OrganisationOut(Schema):
    org_id: str
    name: str
    other_names: list[dict]
    register_: str = Field(alias="register", description="ccew, oscr or ccni.")
    register_label: str
    registered_number: str
    org_ids: list[str] = Field(description="This body's own org-ids (charity, company).")
    linked_org_ids: list[LinkedIdOut]
    is_main_charity: bool
    linked_charities: list[LinkedCharityOut] = Field(
        description="Subsidiary or group-member charities registered under this one."
    )
    status: str
    register_status: str
    charity_type: str
    date_registered: date | None
    date_removed: date | None
    removal_reason: str
    company_number: str
    website: str
    activities: str
    what: list[str]
    who: list[str]
    how: list[str]
    based_in: PlaceOut
    works_in: list[AreaOfOperationOut]
    finances: list[YearOut] = Field(description="Up to five financial years, newest first.")
    latest_income: Decimal | None
    latest_expenditure: Decimal | None
    latest_period_end: date | None
    possibly_inactive: InactiveOut
    trustee_count: int | None = Field(description="How many trustees; names are never kept.")
    source: SourceOut
    url: str


class ProfileRowOut(Schema):
    label: str
    values: list[int | Decimal | None]


class ProfileFigureOut(Schema):
    key: str
    title: str
    counts: str = Field(description="What the figure counts.")
    columns: list[str]
    rows: list[ProfileRowOut]
    summary: str
    n: str
    missing: str
    source: str


class AreaProfileOut(Schema):
    code: str
    name: str
    type: str
    works_in_area: str = Field(
        description="The local authority whose areas of operation are counted as 'working in'."
    )
    population: int | None = Field(description="Census 2021 usual residents.")
    figures: list[ProfileFigureOut]
    notes: list[str]
    data_dates: dict[str, date | None]
    url: str
