"""The grants API: grants (filtered, paged), a funder's summary, grants into an area.

Money is given as decimal strings. Totals are per currency: pounds are never added to
other currencies. Each answer lists the licence and attribution of every file it uses.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from vcsehub.analytics import grant_figures as gf
from vcsehub.analytics.grants import MoneyTable
from vcsehub.grants import selectors as sel
from vcsehub.grants.area_selectors import area_grants_section
from vcsehub.grants.models import Dataset, Grant
from vcsehub.grants.placing import PlaceMethod
from vcsehub.grants.purposes import RULES_BY_CODE
from vcsehub.grants.schemas import (
    AreaGrantsOut,
    ErrorOut,
    FunderSummaryOut,
    GrantPageOut,
)

router = Router(tags=["grants"])
MAX_PAGE_SIZE = 500
METHODS = dict(PlaceMethod.choices)
CENTS = Decimal("0.01")


class GrantFilters(Schema):
    funder: str | None = None
    recipient: str | None = None
    area: str | None = None
    purpose: str | None = None
    from_: date | None = Field(None, alias="from")
    to: date | None = None
    page: int = 1
    page_size: int = 100

    model_config = {"populate_by_name": True}


def _totals(totals: list[sel.CurrencyTotal]) -> list[dict]:
    return [
        {"currency": t.currency, "grants": t.grants, "total": t.total.quantize(CENTS)}
        for t in totals
    ]


def _licences(datasets: list[Dataset]) -> list[dict]:
    return [
        {
            "dataset": d.identifier,
            "title": d.title,
            "licence": d.licence,
            "attribution": gf.licence_line(d),
            "loaded": d.last_run.finished_at.date().isoformat() if d.last_run else None,
        }
        for d in datasets
    ]


def _grant_out(grant: Grant, purposes: dict) -> dict:
    return {
        "id": grant.identifier,
        "dataset": grant.dataset.identifier,
        "title": grant.title,
        "description": grant.description,
        "currency": grant.currency,
        "amount_awarded": grant.amount_awarded,
        "award_date": grant.award_date,
        "funder_org_id": grant.funder_org_id,
        "funder_name": grant.funder_name,
        "recipient_type": grant.recipient_type,
        "recipient_org_id": grant.recipient_org_id,
        "recipient_name": grant.recipient_name,
        "recipient_income_band": grant.recipient_income_band,
        "programmes": grant.programmes,
        "purposes": purposes.get(grant.id, {}),
        "place": {
            "method": grant.place_method,
            "method_label": METHODS.get(grant.place_method, ""),
            "note": grant.place_note,
            "postcode": grant.place_postcode if grant.recipient_type == "organisation" else "",
            "postcode_status": grant.place_postcode_status,
            "lsoa11": grant.place_lsoa11,
            "lsoa21": grant.place_lsoa21,
            "ward": grant.place_ward,
            "lad": grant.place_lad,
            "imd2019_decile": grant.place_imd2019_decile,
            "imd2025_decile": grant.place_imd2025_decile,
        },
    }


def _filtered(filters: GrantFilters) -> QuerySet[Grant] | str:
    grants = Grant.objects.all()
    if filters.funder:
        grants = grants.filter(funder_org_id=filters.funder.strip())
    if filters.recipient:
        org_id = filters.recipient.strip()
        grants = grants.filter(Q(recipient_org_id=org_id) | Q(recipient_register_org_id=org_id))
    if filters.area:
        area, condition = sel.area_codes_within(code=filters.area.strip().upper())
        if area is None:
            return f"No area with the code {filters.area!r} is loaded."
        grants = grants.filter(condition)
    if filters.purpose:
        codes = [p.strip() for p in filters.purpose.split(",") if p.strip()]
        unknown = [c for c in codes if c not in RULES_BY_CODE]
        if unknown:
            return f"Unknown purpose {unknown[0]!r}: use one of {', '.join(RULES_BY_CODE)}."
        grants = sel.grants_with_purposes(grants=grants, purposes=codes)
    if filters.from_:
        grants = grants.filter(award_date__gte=filters.from_)
    if filters.to:
        grants = grants.filter(award_date__lte=filters.to)
    return grants


@router.get(
    "/grants",
    response={200: GrantPageOut, 400: ErrorOut},
    summary="Grants, filtered by funder, recipient, area, purpose and award date",
)
def grants_list(request, filters: Query[GrantFilters]):
    """Grants loaded from 360Giving files, most recent first, a page at a time.

    `funder` and `recipient` are org-ids; `area` is an ONS GSS code (local authority, ward,
    LSOA, combined authority or region) matched against where each grant was placed;
    `purpose` is one or more purpose codes separated by commas (any of them matches);
    `from` and `to` are award dates (inclusive). `totals_by_currency` covers every grant
    matching the filters, one line per currency.
    """
    grants = _filtered(filters)
    if isinstance(grants, str):
        return Status(400, {"detail": grants})
    size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    totals = sel.grant_totals_by_currency(grants=grants)
    count = sum(t.grants for t in totals)
    pages = max(1, math.ceil(count / size))
    page = max(1, filters.page)
    rows = list(
        grants.select_related("dataset").order_by("-award_date", "id")[
            (page - 1) * size : page * size
        ]
    )
    purposes = sel.purposes_of(grant_ids=[g.id for g in rows])

    def link(number: int) -> str | None:
        if number < 1 or number > pages:
            return None
        query = request.GET.copy()
        query["page"] = str(number)
        return f"{request.path}?{query.urlencode()}"

    return Status(
        200,
        {
            "count": count,
            "page": page,
            "page_size": size,
            "pages": pages,
            "next": link(page + 1),
            "previous": link(page - 1),
            "totals_by_currency": _totals(totals),
            "results": [_grant_out(g, purposes) for g in rows],
            "licences": _licences(sel.datasets_for_grants(grants=grants)),
        },
    )


def _table_out(title: str, table: MoneyTable) -> dict:
    return {
        "title": title,
        "rows": [
            {
                "key": "" if r.key is None else str(r.key),
                "label": r.label,
                "grants": r.grants,
                "total_gbp": r.total,
                "share": r.share,
            }
            for r in table.rows
        ],
        "grants": table.grants,
        "total_gbp": table.total,
        "missing_grants": table.missing_grants,
        "missing_total_gbp": table.missing_total,
        "other_currencies": [
            {"currency": o.currency, "grants": o.grants, "total": o.total} for o in table.others
        ],
    }


@router.get(
    "/funders/{org_id}/summary",
    response={200: FunderSummaryOut, 404: ErrorOut},
    summary="A funder's grants: totals, median and range, and the funder page's tables",
)
def funder_summary(request, org_id: str):
    """The same figures as the funder page: by year, programme, recipient size band,
    local authority and IMD decile of the place funded, top recipients, and how grants
    were placed. Tables count grants in pounds; other currencies are listed apart."""
    found = gf.funder_figures(org_id=org_id)
    if found is None:
        return Status(404, {"detail": f"No grants from the funder {org_id!r} are loaded."})
    f = found.figures
    s = f.stats
    return Status(
        200,
        {
            "org_id": found.funder.org_id,
            "name": found.funder.name,
            "register_org_id": found.funder.register_org_id,
            "register_note": found.funder.register_note,
            "grants": f.count,
            "totals_by_currency": _totals(f.totals),
            "first_award": f.first_date,
            "last_award": f.last_date,
            "grants_with_no_date": f.no_date,
            "gbp": {
                "grants": s.grants,
                "total": s.total,
                "median": s.median,
                "lower_quartile": s.lower_quartile,
                "upper_quartile": s.upper_quartile,
                "smallest": s.smallest,
                "largest": s.largest,
            },
            "tables": {
                name: _table_out(gf.TABLE_TITLES[name], table) for name, table in f.tables.items()
            },
            "licences": _licences(f.datasets),
            "page": reverse("grants:funder", args=[found.funder.org_id]),
        },
    )


@router.get(
    "/areas/{gss_code}/grants",
    response={200: AreaGrantsOut, 404: ErrorOut},
    summary="Grants placed in an area: by funder, by year, and pounds per resident",
)
def area_grants(request, gss_code: str):
    """Grants placed in a local authority, ward, LSOA, combined authority or region.
    Pounds per resident divide grants in pounds by Census 2021 usual residents."""
    area, _grants = sel.grants_in_area(code=gss_code.strip().upper())
    if area is None:
        return Status(404, {"detail": f"No area with the code {gss_code!r} is loaded."})
    g = area_grants_section(area=area)

    def rows(items) -> list[dict]:
        return [
            {
                "key": r.key,
                "label": r.label,
                "grants": r.grants,
                "total_gbp": r.total,
                "share": None,
            }
            for r in items
        ]

    return Status(
        200,
        {
            "code": area.code,
            "name": area.name,
            "type": area.type,
            "grants": g.grants,
            "grants_gbp": g.gbp_grants,
            "total_gbp": g.gbp_total,
            "other_currency_grants": g.other_currency_grants,
            "residents_census2021": g.population.people if g.population else None,
            "gbp_per_resident": g.per_resident,
            "by_funder": rows(g.by_funder),
            "by_year": rows(g.by_year),
            "grants_with_no_date": g.no_date,
            "grants_not_placed_anywhere": g.grants_not_placed,
            "licences": _licences(g.datasets),
        },
    )
