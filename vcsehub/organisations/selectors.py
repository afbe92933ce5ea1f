"""Reads for accounts, organisations, memberships, invitations and API tokens.

These functions do not decide who may see what: views and the API ask
`vcsehub.sharing.access` first, then call these.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone

from vcsehub.organisations.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    User,
    hash_secret,
)


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email=(email or "").strip().lower()).first()


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    """The user's memberships with their organisations, by organisation name."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__email")
    )


def organisation_member_count(*, organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation).count()


def organisation_list() -> QuerySet[Organisation]:
    """Every organisation with its number of members, for administrators' listings."""
    return Organisation.objects.annotate(member_count=Count("memberships")).order_by("slug")


def organisation_get_by_slug(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def invitations_pending(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations not yet used, withdrawn or expired, newest first."""
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def invitation_get_by_token(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_secret(token or ""))
        .first()
    )


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_get_for_user(*, user: User, pk: int) -> ApiToken | None:
    return ApiToken.objects.filter(pk=pk, user=user).first()


def api_tokens_by_prefix(*, prefix: str) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(key_prefix__startswith=prefix).select_related("user")


def api_token_get_active_by_key(*, key: str) -> ApiToken | None:
    """The un-revoked token with this key whose user is active, or None."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(key or ""), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
