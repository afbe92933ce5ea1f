"""Reads of the charity tables."""

from __future__ import annotations

from django.db.models import Q

from vcsehub.charities.models import Charity, OrgIdLink


def charity_get(*, org_id: str) -> Charity | None:
    return Charity.objects.filter(org_id=org_id.strip().upper()).first()


def organisation_linked_ids(*, org_id: str, max_steps: int = 4) -> dict[str, str]:
    """Every org-id known to be the same body as `org_id`, with the reason for each link.

    Follows links both ways (GB-SC ↔ GB-CHC ↔ GB-COH …), up to `max_steps` hops.
    """
    start = org_id.strip().upper()
    found: dict[str, str] = {}
    frontier = {start}
    for _ in range(max_steps):
        links = OrgIdLink.objects.filter(Q(org_id_a__in=frontier) | Q(org_id_b__in=frontier))
        step: set[str] = set()
        for a, b, reason in links.values_list("org_id_a", "org_id_b", "reason"):
            for other in (a, b):
                if other != start and other not in found:
                    found[other] = reason
                    step.add(other)
        if not step:
            break
        frontier = step
    return found
