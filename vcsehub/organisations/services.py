"""Writes for accounts, organisations, memberships, invitations and API tokens.

Views, the API and the CLI all call these functions. They check the data, not who is
asking: whether the person asking may do it is decided by `vcsehub.sharing.access`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from vcsehub.organisations.errors import (
    AccountError,
    InvitationError,
    LastOwnerError,
    UserExistsError,
)
from vcsehub.organisations.models import (
    API_KEY_PREFIX,
    INVITATION_DAYS,
    RESERVED_SLUGS,
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
    hash_secret,
)

API_KEY_SHOWN_CHARS = 8  # characters of the secret kept, in clear, as the display prefix
LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_create(*, email: str, password: str | None, name: str = "") -> User:
    """Make an account. With no password the account cannot sign in until one is set."""
    email = (email or "").strip().lower()
    if User.objects.filter(email=email).exists():
        raise UserExistsError(f"There is already an account for {email}. Sign in instead.")
    user = User(email=email, name=name.strip())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise UserExistsError(
            f"There is already an account for {email}. Sign in instead."
        ) from error
    return user


@transaction.atomic
def organisation_create(*, name: str, slug: str, owner: User, org_id: str = "") -> Organisation:
    """Make an organisation with `owner` as its first owner.

    Raises ValidationError (by field) when the name, slug or org-id is not acceptable.
    """
    slug = (slug or "").strip().lower()
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"“{slug}” is used by the site. Choose another short name."})
    organisation = Organisation(name=(name or "").strip(), slug=slug, org_id=(org_id or "").strip())
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(user=owner, organisation=organisation, role=Role.OWNER)
    return organisation


def organisation_delete(*, organisation: Organisation) -> None:
    """Delete an organisation with its memberships, invitations and (later) all its data."""
    organisation.delete()


def _other_owners(membership: Membership):
    return (
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
    )


def _refuse_if_last_owner(membership: Membership, doing: str) -> None:
    if membership.role == Role.OWNER and not _other_owners(membership).exists():
        raise LastOwnerError(
            f"{membership.user.email} is the only owner of {membership.organisation.name}, "
            f"so you cannot {doing}. Make someone else an owner first."
        )


@transaction.atomic
def membership_add(*, organisation: Organisation, user: User, role: str) -> Membership:
    """Add `user` to `organisation` with `role`, or change their role if already a member."""
    role = Role(role)
    membership = (
        Membership.objects.select_for_update().filter(organisation=organisation, user=user).first()
    )
    if membership is not None:
        return membership_set_role(membership=membership, role=role)
    return Membership.objects.create(organisation=organisation, user=user, role=role)


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role. An organisation always keeps at least one owner."""
    role = Role(role)
    if role != Role.OWNER:
        _refuse_if_last_owner(membership, doing="change their role")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a member. An organisation always keeps at least one owner."""
    _refuse_if_last_owner(membership, doing="remove them")
    membership.delete()


def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: User | None
) -> tuple[Invitation, str]:
    """Make an invitation and return it with its plain link token, which is not kept."""
    email = (email or "").strip().lower()
    role = Role(role)
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise AccountError(f"{email} is already a member of {organisation.name}.")
    plain = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_secret(plain),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, plain


def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraw an invitation so its link no longer works."""
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def invitation_check(*, invitation: Invitation | None) -> Invitation:
    """Return the invitation if its link can still be used; otherwise say why not."""
    if invitation is None:
        raise InvitationError(
            "This invitation link is not valid. Check you copied the whole link, or ask "
            "for a new invitation."
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            "This invitation has already been used. Sign in to see your organisations, "
            "or ask for a new invitation."
        )
    if invitation.revoked_at is not None:
        raise InvitationError(
            "This invitation was withdrawn. Ask the organisation's owner for a new one."
        )
    if invitation.is_expired:
        raise InvitationError(
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
            "Ask the organisation's owner for a new one."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Use an invitation link: `user` joins the organisation with the invitation's role."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token_hash=hash_secret(token or ""))
        .first()
    )
    invitation_check(invitation=invitation)
    if user.email != invitation.email:
        raise InvitationError(
            f"This invitation is for {invitation.email}, but you are signed in as "
            f"{user.email}. Sign out, then open the link again."
        )
    if Membership.objects.filter(organisation=invitation.organisation, user=user).exists():
        raise InvitationError(f"You are already a member of {invitation.organisation.name}.")
    membership = Membership.objects.create(
        organisation=invitation.organisation, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make an API token and return it with its plain key, which is not kept."""
    name = (name or "").strip() or "API token"
    secret = secrets.token_urlsafe(32)  # 43 characters, 256 bits
    plain = f"{API_KEY_PREFIX}{secret}"
    token = ApiToken(
        user=user,
        name=name,
        key_prefix=plain[: len(API_KEY_PREFIX) + API_KEY_SHOWN_CHARS],
        key_hash=hash_secret(plain),
    )
    token.full_clean()
    token.save()
    return token, plain


def api_token_revoke(*, token: ApiToken) -> None:
    """Stop a token working. It stays listed, marked as revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_touch(*, token: ApiToken) -> None:
    """Record that a token was used, at most once a minute to spare the database."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
