from __future__ import annotations

from django.test import Client
from django.urls import reverse

from vcsehub.organisations import services
from vcsehub.organisations.models import ApiToken, hash_secret

TOKENS = reverse("organisations:tokens")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_make_a_token_shows_the_key_once(cast):
    client = signed_in(cast.editor)
    response = client.post(TOKENS, {"name": "Dan's laptop"})
    key = response.context["new_key"]
    text = response.content.decode()
    assert key in text and "this is the only time it is shown" in text
    token = ApiToken.objects.get(user=cast.editor)
    assert token.key_hash == hash_secret(key)
    listing = client.get(TOKENS).content.decode()
    assert token.key_prefix in listing and "Dan&#x27;s laptop" in listing
    assert key not in listing
    assert "Never" in listing


def test_token_name_is_required(cast):
    response = signed_in(cast.editor).post(TOKENS, {"name": ""})
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_my_token_but_not_someone_elses(cast):
    token, _key = services.api_token_create(user=cast.editor, name="laptop")
    url = reverse("organisations:token_revoke", args=[token.pk])
    assert signed_in(cast.viewer).post(url).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    response = signed_in(cast.editor).post(url, follow=True)
    assert f"The token {token.key_prefix}… (laptop) was revoked" in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_tokens_page_lists_only_my_tokens(cast):
    services.api_token_create(user=cast.viewer, name="viewer's script")
    text = signed_in(cast.editor).get(TOKENS).content.decode()
    assert "You have no API tokens" in text
