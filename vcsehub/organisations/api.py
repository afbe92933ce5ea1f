"""Accounts API: who am I, and which organisations can I use."""

from __future__ import annotations

from ninja import Router

from vcsehub.organisations import selectors
from vcsehub.organisations.api_auth import bearer_auth
from vcsehub.organisations.schemas import AccountErrorOut, MeOut, OrganisationDetailOut
from vcsehub.sharing import access
from vcsehub.sharing.access import Need

router = Router(tags=["Accounts"])


@router.get(
    "/me",
    auth=bearer_auth,
    response={200: MeOut, 401: AccountErrorOut},
    url_name="me",
    summary="The token's user and their organisations",
)
def me(request):
    user = request.auth
    memberships = selectors.memberships_for_user(user=user)
    return {
        "email": user.email,
        "name": user.name,
        "organisations": [
            {
                "slug": m.organisation.slug,
                "name": m.organisation.name,
                "org_id": m.organisation.org_id or None,
                "role": m.role,
            }
            for m in memberships
        ],
    }


@router.get(
    "/my-organisations/{slug}",
    auth=bearer_auth,
    response={200: OrganisationDetailOut, 401: AccountErrorOut, 404: AccountErrorOut},
    url_name="my_organisation",
    summary="One of your organisations",
    description="404 if there is no such organisation or you are not one of its members.",
)
def my_organisation(request, slug: str):
    organisation = access.organisation_for_user_or_404(request.auth, slug, need=Need.VIEW)
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "org_id": organisation.org_id or None,
        "role": access.role_of(request.auth, organisation),
        "members_count": selectors.organisation_member_count(organisation=organisation),
    }
