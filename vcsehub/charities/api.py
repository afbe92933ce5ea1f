"""The charities API: search organisations, one organisation, an area's charity profile.

The builders here (`organisation_payload`, `area_profile_build`, …) also feed the pages,
their JSON and CSV versions, so every output gives the same figures.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from vcsehub.analytics.charities import (
    INACTIVE_RULE,
    AreaProfile,
    InactiveCheck,
    YearMoney,
    area_profile_figures,
    finance_history,
    possibly_inactive,
)
from vcsehub.charities import profile as profile_reads
from vcsehub.charities.classification import INCOME_BAND_LABELS, INCOME_BAND_NONE, INCOME_BANDS
from vcsehub.charities.detail import OrganisationDetail, issuer, organisation_detail
from vcsehub.charities.models import Charity, Register
from vcsehub.charities.models import Status as CharityStatus
from vcsehub.charities.schemas import (
    AreaProfileOut,
    ErrorOut,
    OrganisationOut,
    SearchOut,
)
from vcsehub.charities.search import MAX_PAGE_SIZE, organisation_search
from vcsehub.geography import area_selectors
from vcsehub.sources.registry import get_source
from vcsehub.sources.selectors import import_runs_latest_success

router = Router(tags=["charities"])

BAND_ORDER = (*(band.code for band in INCOME_BANDS), INCOME_BAND_NONE)


# -- builders shared with the pages --------------------------------------------------------------


def register_data_dates() -> dict[str, date | None]:
    runs = import_runs_latest_success(source_ids=profile_reads.REGISTER_SOURCES)
    return {
        source: run.data_date or (run.finished_at.date() if run.finished_at else None)
        for source, run in runs.items()
    }


def organisation_summary(charity: Charity) -> dict:
    return {
        "org_id": charity.org_id,
        "name": charity.name,
        "register": charity.register,
        "registered_number": charity.registered_number,
        "status": charity.status,
        "income_band": charity.income_band,
        "latest_income": charity.latest_income,
        "based_in_lad": charity.lad_code,
        "url": reverse("charities:organisation", args=[charity.org_id]),
    }


def organisation_inactive(detail: OrganisationDetail) -> InactiveCheck:
    charity = detail.charity
    return possibly_inactive(
        registered=charity.status == CharityStatus.REGISTERED,
        latest_period_end=charity.latest_period_end,
        date_registered=charity.date_registered,
        data_date=charity.data_date,
        register_overdue=charity.accounts_overdue,
    )


def organisation_finances(detail: OrganisationDetail):
    source = get_source(detail.source_id)
    return finance_history(
        name=detail.charity.name,
        years=[
            YearMoney(y.period_end, y.income, y.expenditure, y.suppressed) for y in detail.years
        ],
        source=f"{source.title} ({source.publisher}), data of {detail.charity.data_date or 'unknown date'}.",
    )


def organisation_payload(detail: OrganisationDetail) -> dict:
    charity = detail.charity
    place = detail.placement
    names = detail.area_names
    inactive = organisation_inactive(detail)
    source = get_source(detail.source_id)
    return {
        "org_id": charity.org_id,
        "name": charity.name,
        "other_names": detail.other_names,
        "register": charity.register,
        "register_label": dict(Register.choices).get(charity.register, charity.register),
        "registered_number": charity.registered_number,
        "org_ids": [i for i in (charity.org_id, charity.company_org_id) if i],
        "linked_org_ids": [
            {
                "org_id": link.org_id,
                "reason": link.reason,
                "issuer": issuer(link.org_id),
                "name": link.charity.name if link.charity else None,
            }
            for link in detail.linked_ids
        ],
        "is_main_charity": charity.linked_number == 0,
        "linked_charities": [
            {
                "linked_number": linked.linked_number,
                "name": linked.name,
                "status": linked.status,
                "date_registered": linked.date_registered,
                "date_removed": linked.date_removed,
            }
            for linked in detail.linked_charities
        ],
        "status": charity.status,
        "register_status": charity.register_status,
        "charity_type": charity.charity_type,
        "date_registered": charity.date_registered,
        "date_removed": charity.date_removed,
        "removal_reason": charity.removal_reason,
        "company_number": charity.company_number,
        "website": charity.website,
        "activities": charity.activities,
        "what": detail.categories.get("What the charity does", []),
        "who": detail.categories.get("Who the charity helps", []),
        "how": detail.categories.get("How the charity helps", []),
        "based_in": {
            "placed": detail.placed,
            "postcode": charity.postcode,
            "lsoa21": charity.lsoa21,
            "lsoa21_name": (place.lsoa21_name if place else "") or names.get(charity.lsoa21, ""),
            "ward_code": charity.ward_code,
            "ward_name": (place.ward_name if place else "") or names.get(charity.ward_code, ""),
            "lad_code": charity.lad_code,
            "lad_name": (place.lad_name if place else "") or names.get(charity.lad_code, ""),
            "imd2025_decile": place.imd2025_decile if place else None,
            "imd2019_decile": place.imd2019_decile if place else None,
        },
        "works_in": [
            {
                "area_type": a.area_type,
                "description": a.description,
                "gss_code": a.gss_code,
                "iso_code": a.iso_code,
            }
            for a in detail.areas_of_operation
        ],
        "finances": [
            {
                "period_end": y.period_end,
                "income": None if y.suppressed else y.income,
                "expenditure": None if y.suppressed else y.expenditure,
                "suppressed": y.suppressed,
            }
            for y in detail.years
        ],
        "latest_income": charity.latest_income,
        "latest_expenditure": charity.latest_expenditure,
        "latest_period_end": charity.latest_period_end,
        "possibly_inactive": {
            "flag": inactive.flag,
            "reason": inactive.reason,
            "rule": INACTIVE_RULE,
        },
        "trustee_count": charity.trustee_count,
        "source": {
            "id": source.id,
            "title": source.title,
            "publisher": source.publisher,
            "licence": source.licence,
            "attribution": list(source.attribution),
            "data_date": charity.data_date,
        },
        "url": reverse("charities:organisation", args=[charity.org_id]),
    }


def area_profile_build(area) -> tuple[profile_reads.AreaProfileData, AreaProfile]:
    """Count an area's charities and turn the counts into labelled figures."""
    data = profile_reads.area_profile_data(area=area)
    figures = area_profile_figures(
        data,
        band_labels=INCOME_BAND_LABELS,
        band_order=BAND_ORDER,
        id_prefix=f"charities-{area.code}",
    )
    return data, figures


def area_profile_payload(area, data, figures: AreaProfile) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "type": area.type,
        "works_in_area": data.works_code,
        "population": data.population,
        "figures": [table.as_dict() for table in figures.tables],
        "notes": figures.notes,
        "data_dates": {
            source: data.data_dates.get(source) or data.loaded.get(source)
            for source in data.sources_used
        },
        "url": reverse("charities:area", args=[area.code]),
    }


def profile_area_get(gss_code: str):
    """The local authority or ward with this code, or None."""
    area = area_selectors.area_get(code=gss_code)
    if area is None or area.type not in profile_reads.PROFILE_TYPES:
        return None
    return area


# -- endpoints ------------------------------------------------------------------------------------


class SearchParams(Schema):
    q: str = Field("", description="Name, charity number, company number or org-id.")
    register_: str | None = Field(
        None, alias="register", description="ccew, oscr or ccni (or EW, SC, NI)."
    )
    status: str | None = Field(None, description="registered or removed.")
    income_band: str | None = Field(
        None, description="micro, small, medium, large, major, supermajor, or none (no data)."
    )
    classification: str | None = Field(None, description="A category code (e.g. 105) or label.")
    lad: str | None = Field(None, description="Local authority GSS code, e.g. E08000025.")
    lad_mode: str = Field(
        "based", description="based (registered postcode) or works (area of operation)."
    )
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/organisations",
    response={200: SearchOut, 400: ErrorOut},
    url_name="organisations_search",
    by_alias=True,
    summary="Search charities, with filters and counts per filter value",
)
def organisations_search(request, params: Query[SearchParams]):
    """Charities by name (current and other names), number or org-id; an exact number or
    org-id comes first, then the best name matches. Paged, with facets."""
    try:
        result = organisation_search(
            q=params.q,
            register=params.register_,
            status=params.status,
            income_band=params.income_band,
            classification=params.classification,
            lad_code=params.lad,
            lad_mode=params.lad_mode,
            page=params.page,
            page_size=params.page_size,
        )
    except ValueError as error:
        return Status(400, {"detail": str(error)})
    return Status(
        200,
        {
            "total": result.total,
            "page": result.page,
            "page_size": result.page_size,
            "items": [organisation_summary(c) for c in result.items],
            "facets": {
                name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                for name, values in result.facets.items()
            },
            "data_dates": register_data_dates(),
        },
    )


@router.get(
    "/organisations/{org_id}",
    response={200: OrganisationOut, 404: ErrorOut},
    url_name="organisation",
    by_alias=True,
    summary="One organisation: numbers, links, places, money over time",
)
def organisation_get(request, org_id: str):
    """A charity by org-id, with the org-ids linked to it and why, where it is based and
    works, up to five years of income and spending and the possibly-inactive check."""
    detail = organisation_detail(org_id=org_id)
    if detail is None:
        return Status(404, {"detail": f"No organisation with the org-id {org_id!r} is loaded."})
    return Status(200, organisation_payload(detail))


@router.get(
    "/areas/{gss_code}/profile",
    response={200: AreaProfileOut, 404: ErrorOut},
    url_name="area_profile",
    summary="A local authority's or ward's charity profile",
)
def area_profile(request, gss_code: str):
    """Active charities based in the area (registered postcode) and working in it (area of
    operation), per 1,000 residents, by income band and cause, registrations and removals per
    year, and the share based in the most deprived 20% of small areas against the share of
    residents living there. Each figure carries N, missing and its source."""
    area = profile_area_get(gss_code)
    if area is None:
        return Status(
            404, {"detail": f"No local authority or ward with the code {gss_code!r} is loaded."}
        )
    data, figures = area_profile_build(area)
    return Status(200, area_profile_payload(area, data, figures))
