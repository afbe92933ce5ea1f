"""The one place that decides who may see or change an organisation's data.

Every view and API endpoint that shows or changes organisation data asks this module.
Today access comes only from membership of the organisation:

    role     view data   change data   manage members   delete organisation
    owner    yes         yes           yes              yes
    editor   yes         yes           no               no
    viewer   yes         no            no               no
    others   no          no            no               no

Partnerships and sharing agreements will extend this module (and only this module) to
let partner organisations see agreed, aggregated figures.

Privacy: superusers can run the site (the admin, imports, accounts), but being a
superuser does NOT let anyone see an organisation's data. A superuser sees an
organisation's data only if they are a member of it, like everyone else. Anonymous and
deactivated users can see no organisation's data.

People who may not see an organisation at all get "not found" (404), never "forbidden"
(403), so that the existence of an organisation is not revealed to them. Members who
lack the permission an action needs get the same answer.
"""

from __future__ import annotations

import enum

from django.db.models import QuerySet
from django.http import Http404

from vcsehub.organisations.models import Membership, Organisation, Role


class Need(enum.Enum):
    """What a view or endpoint is about to do with an organisation."""

    VIEW = "view the organisation's data"
    EDIT = "change the organisation's data"
    MANAGE_MEMBERS = "manage the organisation's members"
    DELETE = "delete the organisation"


ROLES_ALLOWED: dict[Need, frozenset[Role]] = {
    Need.VIEW: frozenset({Role.OWNER, Role.EDITOR, Role.VIEWER}),
    Need.EDIT: frozenset({Role.OWNER, Role.EDITOR}),
    Need.MANAGE_MEMBERS: frozenset({Role.OWNER}),
    Need.DELETE: frozenset({Role.OWNER}),
}


def _is_active_person(user) -> bool:
    """Signed in and not deactivated (AnonymousUser and None are neither)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_of(user, organisation: Organisation) -> Role | None:
    """The user's role in the organisation, or None if they have none (or cannot sign in)."""
    if not _is_active_person(user):
        return None
    role = (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        return None
    return Role(role)


def has_need(user, organisation: Organisation, need: Need) -> bool:
    """Whether the user may do `need` to the organisation."""
    return role_of(user, organisation) in ROLES_ALLOWED[need]


def can_view_organisation_data(user, organisation: Organisation) -> bool:
    return has_need(user, organisation, Need.VIEW)


def can_edit_organisation_data(user, organisation: Organisation) -> bool:
    return has_need(user, organisation, Need.EDIT)


def can_manage_members(user, organisation: Organisation) -> bool:
    return has_need(user, organisation, Need.MANAGE_MEMBERS)


def can_delete_organisation(user, organisation: Organisation) -> bool:
    return has_need(user, organisation, Need.DELETE)


def organisation_for_user_or_404(user, slug: str, *, need: Need) -> Organisation:
    """The organisation with this slug if the user may do `need` to it; otherwise Http404.

    Unknown organisations and organisations the user may not use look the same, so this
    never reveals that an organisation exists.
    """
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not has_need(user, organisation, need):
        raise Http404("No organisation found")
    return organisation


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The organisations whose data the user may see, by name."""
    if not _is_active_person(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=ROLES_ALLOWED[Need.VIEW]
    ).order_by("name")
