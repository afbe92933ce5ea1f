"""Reads behind an organisation's page: the charity, its links, categories, places and years."""

from __future__ import annotations

from dataclasses import dataclass, field

from vcsehub.charities.models import (
    AreaOfOperation,
    Charity,
    FinancialYear,
    Kind,
    LinkedCharity,
    Register,
)
from vcsehub.charities.selectors import charity_get, organisation_linked_ids
from vcsehub.geography.lookup import PostcodeResult, postcode_lookup
from vcsehub.geography.models import Area

REGISTER_SOURCE = {Register.CCEW: "ccew", Register.OSCR: "oscr", Register.CCNI: "ccni"}
PREFIX_NAMES = {
    "GB-CHC": "Charity Commission for England and Wales",
    "GB-SC": "Scottish Charity Regulator",
    "GB-NIC": "Charity Commission for Northern Ireland",
    "GB-COH": "Companies House",
}


@dataclass(frozen=True)
class LinkedId:
    org_id: str
    reason: str
    register: str  # who issues the id
    charity: Charity | None  # the record, when that register is loaded


@dataclass
class OrganisationDetail:
    charity: Charity
    linked_ids: list[LinkedId]
    linked_charities: list[LinkedCharity]
    categories: dict[str, list[str]]  # kind label → labels
    areas_of_operation: list[AreaOfOperation]
    area_names: dict[str, str]  # GSS code → name, for areas of operation and placement
    placement: PostcodeResult | None  # where the registered postcode is, when placed
    years: list[FinancialYear]  # newest first
    source_id: str
    other_names: list[dict] = field(default_factory=list)

    @property
    def placed(self) -> bool:
        return bool(self.charity.lad_code)


def issuer(org_id: str) -> str:
    prefix = "-".join(org_id.split("-")[:2])
    return PREFIX_NAMES.get(prefix, prefix)


def organisation_detail(*, org_id: str) -> OrganisationDetail | None:
    charity = charity_get(org_id=org_id)
    if charity is None:
        return None
    links = organisation_linked_ids(org_id=charity.org_id)
    records = {c.org_id: c for c in Charity.objects.filter(org_id__in=list(links))}
    linked_ids = [
        LinkedId(org_id=other, reason=reason, register=issuer(other), charity=records.get(other))
        for other, reason in sorted(links.items())
    ]
    categories: dict[str, list[str]] = {label: [] for label in Kind.labels}
    kind_labels = dict(Kind.choices)
    for kind, label in charity.classifications.order_by("kind", "code").values_list(
        "kind", "label"
    ):
        categories.setdefault(kind_labels.get(kind, kind), []).append(label)
    areas = list(charity.areas_of_operation.order_by("area_type", "description"))
    codes = {a.gss_code for a in areas if a.gss_code}
    codes |= {c for c in (charity.lsoa21, charity.ward_code, charity.lad_code) if c}
    area_names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    placement = postcode_lookup(charity.postcode) if charity.postcode and charity.lad_code else None
    return OrganisationDetail(
        charity=charity,
        linked_ids=linked_ids,
        linked_charities=list(charity.linked_charities.all()),
        categories=categories,
        areas_of_operation=areas,
        area_names=area_names,
        placement=placement,
        years=list(FinancialYear.objects.filter(charity=charity).order_by("-period_end")[:5]),
        source_id=REGISTER_SOURCE.get(charity.register, charity.source_id),
        other_names=list(charity.other_names or []),
    )
