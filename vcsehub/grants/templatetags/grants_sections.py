"""Grants sections other apps' pages can show: `{% load grants_sections %}` then

    {% area_grants_data area as section %}        grants placed in an area (geography pages)
    {% recipient_grants_data org_id as section %} grants an organisation received (charity pages)

Used by the partials grants/_area_grants.html and grants/_recipient_grants.html.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template

from vcsehub.grants.area_selectors import AreaGrantsSection, area_grants_section
from vcsehub.grants.models import Grant
from vcsehub.grants.placing import PlaceMethod
from vcsehub.grants.purposes import LABELS, purpose_codes
from vcsehub.grants.selectors import (
    CurrencyTotal,
    datasets_for_grants,
    funder_for_organisation,
    grant_totals_by_currency,
    grants_for_recipient,
    purposes_of,
)

register = template.Library()
RECIPIENT_LIMIT = 50


@register.simple_tag
def area_grants_data(area) -> AreaGrantsSection | None:
    if area is None or not getattr(area, "code", ""):
        return None
    return area_grants_section(area=area)


@dataclass
class RecipientSection:
    org_id: str
    grants: list[Grant]
    shown: int
    count: int
    totals: list[CurrencyTotal]
    gbp_total: Decimal | None
    datasets: list
    data_date: object
    purposes: dict[int, dict[str, list[str]]]
    funder: object = None  # the Funder this organisation is, when it makes grants too


@register.simple_tag
def recipient_grants_data(org_id: str) -> RecipientSection:
    grants = grants_for_recipient(org_id=org_id)
    totals = grant_totals_by_currency(grants=grants)
    shown = list(grants[:RECIPIENT_LIMIT])
    datasets = datasets_for_grants(grants=grants)
    runs = [d.last_run.finished_at for d in datasets if d.last_run]
    return RecipientSection(
        org_id=org_id,
        grants=shown,
        shown=len(shown),
        count=sum(t.grants for t in totals),
        totals=totals,
        gbp_total=next((t.total for t in totals if t.currency == "GBP"), None),
        datasets=datasets,
        data_date=max(runs) if runs else None,
        purposes=purposes_of(grant_ids=[g.id for g in shown]),
        funder=funder_for_organisation(org_id=org_id),
    )


@register.filter
def purposes_for(purposes: dict, grant_id: int) -> dict:
    return purposes.get(grant_id, {}) if purposes else {}


@register.filter
def purpose_list(purposes: dict) -> list[tuple[str, list[str]]]:
    """{code: words} → [(label, words)] in rule order."""
    if not purposes:
        return []
    return [(LABELS[code], purposes[code]) for code in purpose_codes(purposes)]


@register.filter
def place_method_label(method: str) -> str:
    return dict(PlaceMethod.choices).get(method, method or "not placed yet")
