"""The admin works for the email-based user model and never shows secrets."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from vcsehub.organisations import services
from vcsehub.organisations.models import Invitation, User


@pytest.fixture
def admin_client_for(cast):
    client = Client()
    client.force_login(cast.superuser)
    return client


def test_createsuperuser_by_email(db):
    call_command("createsuperuser", email="Boss@Example.org", interactive=False, verbosity=0)
    user = User.objects.get(email="boss@example.org")
    assert user.is_superuser and user.is_staff


@pytest.mark.parametrize("model", ["user", "organisation", "membership", "invitation", "apitoken"])
def test_changelists_open(admin_client_for, model):
    response = admin_client_for.get(reverse(f"admin:organisations_{model}_changelist"))
    assert response.status_code == 200


def test_organisation_page_hides_the_pseudonym_secret(admin_client_for, cast):
    response = admin_client_for.get(
        reverse("admin:organisations_organisation_change", args=[cast.organisation.pk])
    )
    assert response.status_code == 200
    assert cast.organisation.pseudonym_secret not in response.content.decode()


def test_token_and_invitation_pages_hide_hashes(admin_client_for, cast):
    token, _key = services.api_token_create(user=cast.editor, name="laptop")
    services.invitation_create(
        organisation=cast.organisation,
        email="new@example.org",
        role="viewer",
        invited_by=cast.owner,
    )
    invitation = Invitation.objects.get()
    token_page = admin_client_for.get(
        reverse("admin:organisations_apitoken_change", args=[token.pk])
    )
    invitation_page = admin_client_for.get(
        reverse("admin:organisations_invitation_change", args=[invitation.pk])
    )
    assert token_page.status_code == invitation_page.status_code == 200
    assert token.key_hash not in token_page.content.decode()
    assert invitation.token_hash not in invitation_page.content.decode()
    assert admin_client_for.get(reverse("admin:organisations_apitoken_add")).status_code == 403


def test_admin_adds_a_user_by_email(admin_client_for):
    response = admin_client_for.post(
        reverse("admin:organisations_user_add"),
        {"email": "Ian@Example.org", "usable_password": "false", "password1": "", "password2": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="ian@example.org")
    assert not user.has_usable_password()
    change = admin_client_for.get(reverse("admin:organisations_user_change", args=[user.pk]))
    assert change.status_code == 200
