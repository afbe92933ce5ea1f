from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vcsehub.organisations import selectors, services
from vcsehub.organisations.errors import (
    AccountError,
    InvitationError,
    LastOwnerError,
    UserExistsError,
)
from vcsehub.organisations.models import ApiToken, Invitation, Membership, Role, hash_secret


def test_user_create_refuses_a_second_account_for_an_address(cast):
    with pytest.raises(UserExistsError, match="already an account for owner@example.org"):
        services.user_create(email="OWNER@example.org", password=None)


def test_user_without_password_cannot_sign_in(cast):
    assert not cast.editor.has_usable_password()


def test_organisation_create_makes_the_owner(cast):
    assert (
        Membership.objects.get(organisation=cast.organisation, user=cast.owner).role == Role.OWNER
    )


@pytest.mark.parametrize(
    ("slug", "field"), [("sparkbrook-food-bank", "slug"), ("new", "slug"), ("Not a slug!", "slug")]
)
def test_organisation_create_refuses_bad_slugs(cast, slug, field):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(name="X", slug=slug, owner=cast.owner)
    assert field in error.value.message_dict


def test_last_owner_cannot_be_removed_or_demoted(cast):
    membership = Membership.objects.get(organisation=cast.other_organisation, user=cast.outsider)
    with pytest.raises(LastOwnerError, match="only owner of Other Trust"):
        services.membership_remove(membership=membership)
    with pytest.raises(LastOwnerError, match="Make someone else an owner first"):
        services.membership_set_role(membership=membership, role=Role.EDITOR)
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_an_owner_can_step_down_when_another_owner_remains(cast):
    # The food bank has two owners (one of them switched off): either may step down.
    membership = Membership.objects.get(organisation=cast.organisation, user=cast.owner)
    services.membership_set_role(membership=membership, role=Role.VIEWER)
    assert Membership.objects.get(pk=membership.pk).role == Role.VIEWER
    last = Membership.objects.get(organisation=cast.organisation, user=cast.inactive_owner)
    with pytest.raises(LastOwnerError):
        services.membership_remove(membership=last)


def test_membership_add_changes_the_role_of_a_member(cast):
    services.membership_add(organisation=cast.organisation, user=cast.viewer, role="editor")
    assert Membership.objects.get(organisation=cast.organisation, user=cast.viewer).role == "editor"
    assert Membership.objects.filter(organisation=cast.organisation).count() == 4


def test_invitation_token_is_stored_hashed(cast):
    invitation, token = services.invitation_create(
        organisation=cast.organisation,
        email="New@Example.org",
        role="editor",
        invited_by=cast.owner,
    )
    assert len(token) >= 40
    assert invitation.token_hash == hash_secret(token)
    assert token not in invitation.token_hash
    assert invitation.email == "new@example.org"
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert selectors.invitation_get_by_token(token=token) == invitation


def test_invitation_accept_makes_a_membership_once(cast):
    _invitation, token = services.invitation_create(
        organisation=cast.organisation,
        email="new@example.org",
        role="editor",
        invited_by=cast.owner,
    )
    new = services.user_create(email="new@example.org", password=None)
    membership = services.invitation_accept(token=token, user=new)
    assert membership.role == Role.EDITOR
    with pytest.raises(InvitationError, match="already been used"):
        services.invitation_accept(token=token, user=new)


def test_expired_invitation_is_refused(cast):
    invitation, token = services.invitation_create(
        organisation=cast.organisation,
        email="new@example.org",
        role="viewer",
        invited_by=cast.owner,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    new = services.user_create(email="new@example.org", password=None)
    with pytest.raises(InvitationError, match="expired"):
        services.invitation_accept(token=token, user=new)
    assert not Membership.objects.filter(user=new).exists()


def test_withdrawn_unknown_and_wrong_person_invitations_are_refused(cast):
    invitation, token = services.invitation_create(
        organisation=cast.organisation,
        email="new@example.org",
        role="viewer",
        invited_by=cast.owner,
    )
    with pytest.raises(InvitationError, match="is for new@example.org"):
        services.invitation_accept(token=token, user=cast.outsider)
    with pytest.raises(InvitationError, match="not valid"):
        services.invitation_accept(token=token + "x", user=cast.outsider)
    services.invitation_revoke(invitation=invitation)
    new = services.user_create(email="new@example.org", password=None)
    with pytest.raises(InvitationError, match="withdrawn"):
        services.invitation_accept(token=token, user=new)
    assert list(selectors.invitations_pending(organisation=cast.organisation)) == []


def test_members_cannot_be_invited_again(cast):
    with pytest.raises(AccountError, match="already a member"):
        services.invitation_create(
            organisation=cast.organisation,
            email="viewer@example.org",
            role="editor",
            invited_by=cast.owner,
        )


def test_api_token_key_is_stored_hashed_and_shown_once(cast):
    token, key = services.api_token_create(user=cast.editor, name="laptop")
    assert key.startswith("vh_") and len(key) >= 43
    assert token.key_hash == hash_secret(key)
    assert key.startswith(token.key_prefix) and len(token.key_prefix) == 11
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in {stored.key_hash, stored.key_prefix, stored.name}
    assert selectors.api_token_get_active_by_key(key=key) == token
    services.api_token_revoke(token=token)
    assert selectors.api_token_get_active_by_key(key=key) is None


def test_token_of_a_switched_off_account_does_not_work(cast):
    _token, key = services.api_token_create(user=cast.inactive_owner, name="old")
    assert selectors.api_token_get_active_by_key(key=key) is None


def test_last_used_is_recorded_at_most_once_a_minute(cast):
    token, _key = services.api_token_create(user=cast.editor, name="laptop")
    services.api_token_touch(token=token)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    services.api_token_touch(token=token)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    token.refresh_from_db()
    services.api_token_touch(token=token)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
