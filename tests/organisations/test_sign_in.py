"""Signing in: email and password, Argon2 hashes, and lock-out after repeated failures."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from vcsehub.organisations import services

SIGN_IN = reverse("organisations:login")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def priya(db):
    return services.user_create(email="priya@example.org", password=PASSWORD)


def sign_in(client, email, password):
    return client.post(SIGN_IN, {"username": email, "password": password})


def test_passwords_are_hashed_with_argon2(priya):
    assert priya.password.startswith("argon2")
    assert PASSWORD not in priya.password


def test_sign_in_page_labels_the_email_field(client, db):
    text = client.get(SIGN_IN).content.decode()
    assert '<label for="id_username">Email address' in text
    assert 'name="username"' in text and 'type="email"' in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_sign_in_with_email_in_any_case(client, priya):
    response = sign_in(client, "Priya@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:home")
    assert client.get(reverse("organisations:home")).status_code == 200


def test_wrong_password_is_explained(client, priya):
    response = sign_in(client, "priya@example.org", "not the password")
    assert response.status_code == 200
    assert "The email address or password is not right" in response.content.decode()


def test_sixth_attempt_is_locked_out_even_with_the_right_password(client, priya):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _attempt in range(limit - 1):
        assert sign_in(client, "priya@example.org", "wrong password").status_code == 200
    locked = sign_in(client, "priya@example.org", "wrong password")
    assert locked.status_code == 429
    response = sign_in(client, "priya@example.org", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed sign-in attempts. Wait 15 minutes and try again" in text
    assert "_auth_user_id" not in client.session
