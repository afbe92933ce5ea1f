"""Invitations end to end: owner makes a link, the person opens it and joins."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vcsehub.organisations import services
from vcsehub.organisations.models import Invitation, Membership, Role, User

GOOD_PASSWORD = "plum orchard lantern 42"


def make_link(cast, email="new@example.org", role="editor") -> str:
    owner = Client()
    owner.force_login(cast.owner)
    response = owner.post(
        reverse("organisations:invite", args=["sparkbrook-food-bank"]),
        {"email": email, "role": role},
    )
    assert response.status_code == 200
    return urlsplit(response.context["link"]).path


def test_new_person_signs_up_through_the_link(cast, client):
    path = make_link(cast)
    page = client.get(path)
    text = page.content.decode()
    assert page.status_code == 200
    assert "owner@example.org invited you to join Sparkbrook Food Bank as editor" in text
    assert 'value="new@example.org" readonly' in text
    response = client.post(
        path, {"name": "Nadia", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, follow=True
    )
    assert "You joined Sparkbrook Food Bank as editor" in response.content.decode()
    user = User.objects.get(email="new@example.org")
    assert user.name == "Nadia"
    assert user.password.startswith("argon2")
    assert Membership.objects.get(user=user, organisation=cast.organisation).role == Role.EDITOR
    assert int(client.session["_auth_user_id"]) == user.pk
    # The same link cannot be used twice.
    again = Client().get(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("short", "short", "This password is too short"),
        ("1234567890123", "1234567890123", "entirely numeric"),
        (GOOD_PASSWORD, GOOD_PASSWORD + "x", "The two passwords are different"),
        ("password123", "password123", "too common"),
    ],
)
def test_sign_up_applies_the_password_rules(cast, client, password1, password2, message):
    path = make_link(cast)
    response = client.post(path, {"password1": password1, "password2": password2})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_existing_account_signs_in_then_joins(cast, client):
    services.user_create(email="new@example.org", password=GOOD_PASSWORD)
    path = make_link(cast, role="viewer")
    page = client.get(path).content.decode()
    assert "There is already an account for new@example.org" in page
    sign_in = client.post(
        f"{reverse('organisations:login')}?next={path}",
        {"username": "new@example.org", "password": GOOD_PASSWORD, "next": path},
    )
    assert sign_in["Location"] == path
    confirm = client.get(path).content.decode()
    assert "Join Sparkbrook Food Bank" in confirm
    response = client.post(path, follow=True)
    assert "You joined Sparkbrook Food Bank as viewer" in response.content.decode()


def test_signed_in_person_with_another_address_cannot_use_it(cast):
    path = make_link(cast)
    client = Client()
    client.force_login(cast.outsider)
    assert "Sign out, then open the link again" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 400
    assert not Membership.objects.filter(
        user=cast.outsider, organisation=cast.organisation
    ).exists()


def test_expired_link_is_refused(cast, client):
    path = make_link(cast)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(path)
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    response = client.post(path, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="new@example.org").exists()


def test_withdrawn_and_made_up_links_are_refused(cast, client):
    path = make_link(cast)
    services.invitation_revoke(invitation=Invitation.objects.get())
    assert "was withdrawn" in client.get(path).content.decode()
    made_up = client.get(reverse("organisations:invitation", args=["made-up-token"]))
    assert made_up.status_code == 404
    assert "This invitation link is not valid" in made_up.content.decode()
