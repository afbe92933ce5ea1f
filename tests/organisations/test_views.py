"""Account pages through real HTTP requests: who sees what, and who may change what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from vcsehub.organisations.models import Invitation, Membership, Organisation, Role

DETAIL = reverse("organisations:detail", args=["sparkbrook-food-bank"])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        reverse("organisations:home"),
        reverse("organisations:create"),
        reverse("organisations:tokens"),
        DETAIL,
        reverse("organisations:delete", args=["sparkbrook-food-bank"]),
    ],
)
def test_anonymous_people_are_sent_to_sign_in(cast, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("organisations:login"))


def test_home_lists_my_organisations_with_my_role(cast):
    response = client_for(cast.editor).get(reverse("organisations:home"))
    text = response.content.decode()
    assert "Sparkbrook Food Bank" in text
    assert "Editor" in text
    assert "Other Trust" not in text
    assert f'href="{reverse("charities:saved_list")}"' in text


def test_home_says_when_i_have_no_organisation(cast):
    Membership.objects.filter(user=cast.viewer).delete()
    response = client_for(cast.viewer).get(reverse("organisations:home"))
    assert "You do not belong to any organisation yet" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "status"),
    [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404), ("superuser", 404)],
)
def test_organisation_page(cast, name, status):
    response = client_for(cast.by_name(name)).get(DETAIL)
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "GB-CHC-1234567" in text
        assert "editor@example.org" in text


def test_unknown_organisation_is_404(cast):
    assert (
        client_for(cast.owner).get(reverse("organisations:detail", args=["nope"])).status_code
        == 404
    )


def test_only_owners_see_invitations_and_member_controls(cast):
    owner_page = client_for(cast.owner).get(DETAIL).content.decode()
    viewer_page = client_for(cast.viewer).get(DETAIL).content.decode()
    assert "Invite someone" in owner_page and "Change role" in owner_page
    assert "Invite someone" not in viewer_page and "Change role" not in viewer_page


def test_create_an_organisation(cast):
    client = client_for(cast.viewer)
    response = client.post(
        reverse("organisations:create"), {"name": "Ladywood Youth Club", "slug": "", "org_id": ""}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="ladywood-youth-club")
    assert response["Location"] == reverse("organisations:detail", args=[organisation.slug])
    assert Membership.objects.get(organisation=organisation).user == cast.viewer
    assert Membership.objects.get(organisation=organisation).role == Role.OWNER


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "X", "slug": "sparkbrook-food-bank"},
            "Another organisation already uses this short name",
        ),
        ({"name": "X", "slug": "x", "org_id": "1234567"}, "Enter an org-id such as GB-CHC-1234567"),
        ({"name": "", "slug": "x"}, "This field is required"),
    ],
)
def test_create_shows_what_is_wrong(cast, data, message):
    response = client_for(cast.viewer).post(reverse("organisations:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()


def invite(client, email="new@example.org", role="editor"):
    return client.post(
        reverse("organisations:invite", args=["sparkbrook-food-bank"]),
        {"email": email, "role": role},
    )


def test_owner_invites_and_sees_the_link_once(cast):
    client = client_for(cast.owner)
    response = invite(client)
    assert response.status_code == 200
    link = response.context["link"]
    assert link.startswith("http://testserver/account/invitations/")
    assert link in response.content.decode()
    assert Invitation.objects.get(email="new@example.org").role == Role.EDITOR
    page = client.get(DETAIL).content.decode()
    assert "new@example.org" in page
    assert link not in page


@pytest.mark.parametrize("name", ["editor", "viewer", "outsider", "superuser"])
def test_only_owners_can_invite(cast, name):
    response = invite(client_for(cast.by_name(name)))
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_is_explained(cast):
    response = invite(client_for(cast.owner), email="viewer@example.org")
    assert response.status_code == 400
    assert "viewer@example.org is already a member" in response.content.decode()


def test_owner_withdraws_an_invitation(cast):
    client = client_for(cast.owner)
    invite(client)
    invitation = Invitation.objects.get()
    url = reverse("organisations:invitation_revoke", args=["sparkbrook-food-bank", invitation.pk])
    assert client_for(cast.editor).post(url).status_code == 404
    response = client.post(url, follow=True)
    assert "The invitation for new@example.org was withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def role_url(cast, user):
    membership = Membership.objects.get(organisation=cast.organisation, user=user)
    return reverse("organisations:member_role", args=["sparkbrook-food-bank", membership.pk])


@pytest.mark.parametrize("name", ["editor", "viewer", "outsider", "superuser"])
def test_only_owners_can_change_roles(cast, name):
    response = client_for(cast.by_name(name)).post(role_url(cast, cast.viewer), {"role": "owner"})
    assert response.status_code == 404
    assert Membership.objects.get(organisation=cast.organisation, user=cast.viewer).role == "viewer"


def test_owner_changes_a_role(cast):
    response = client_for(cast.owner).post(
        role_url(cast, cast.viewer), {"role": "editor"}, follow=True
    )
    assert "viewer@example.org is now editor" in response.content.decode()
    assert Membership.objects.get(organisation=cast.organisation, user=cast.viewer).role == "editor"


def test_last_owner_is_told_why_they_cannot_step_down(cast):
    client = client_for(cast.outsider)
    membership = Membership.objects.get(user=cast.outsider)
    url = reverse("organisations:member_role", args=["other-trust", membership.pk])
    response = client.post(url, {"role": "viewer"}, follow=True)
    assert "only owner of Other Trust" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == "owner"


def test_membership_of_another_organisation_cannot_be_reached(cast):
    other = Membership.objects.get(user=cast.outsider)
    url = reverse("organisations:member_role", args=["sparkbrook-food-bank", other.pk])
    assert client_for(cast.owner).post(url, {"role": "viewer"}).status_code == 404


def test_owner_removes_a_member_and_others_cannot(cast):
    membership = Membership.objects.get(organisation=cast.organisation, user=cast.viewer)
    url = reverse("organisations:member_remove", args=["sparkbrook-food-bank", membership.pk])
    assert client_for(cast.editor).post(url).status_code == 404
    response = client_for(cast.owner).post(url, follow=True)
    assert "viewer@example.org was removed" in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert client_for(cast.viewer).get(DETAIL).status_code == 404


@pytest.mark.parametrize("name", ["editor", "viewer", "outsider"])
def test_only_owners_can_delete(cast, name):
    url = reverse("organisations:delete", args=["sparkbrook-food-bank"])
    client = client_for(cast.by_name(name))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Organisation.objects.filter(slug="sparkbrook-food-bank").exists()


def test_owner_deletes_after_confirming(cast):
    url = reverse("organisations:delete", args=["sparkbrook-food-bank"])
    client = client_for(cast.owner)
    assert "It cannot be undone" in client.get(url).content.decode()
    assert Organisation.objects.filter(slug="sparkbrook-food-bank").exists()
    response = client.post(url, follow=True)
    assert "Sparkbrook Food Bank and all its data were deleted" in response.content.decode()
    assert not Organisation.objects.filter(slug="sparkbrook-food-bank").exists()


def test_forms_need_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    response = client.post(reverse("organisations:create"), {"name": "X", "slug": "x"})
    assert response.status_code == 403
    page = client.get(DETAIL).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 4


def test_sign_out_is_a_post(cast):
    client = client_for(cast.owner)
    assert client.get(reverse("organisations:logout")).status_code == 405
    response = client.post(reverse("organisations:logout"))
    assert response.status_code == 302
    assert client.get(reverse("organisations:home")).status_code == 302
