from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from vcsehub.organisations import services
from vcsehub.organisations.models import Invitation, Membership, Organisation, User


@pytest.fixture
def priya(db):
    return services.user_create(email="Priya@Example.ORG", password=None)


def test_email_is_stored_in_lower_case_and_found_in_any_case(priya):
    assert priya.email == "priya@example.org"
    assert User.objects.get_by_natural_key(" PRIYA@example.org ") == priya


def test_each_organisation_gets_its_own_secret(priya):
    first = services.organisation_create(name="One", slug="one", owner=priya)
    second = services.organisation_create(name="Two", slug="two", owner=priya)
    assert len(first.pseudonym_secret) == 64
    int(first.pseudonym_secret, 16)  # hex
    assert first.pseudonym_secret != second.pseudonym_secret
    first.refresh_from_db()
    assert len(first.pseudonym_secret) == 64


@pytest.mark.parametrize(
    "org_id", ["GB-CHC-1234567", "GB-SC-SC012345", "GB-COH-01234567", "GB-NIC-100001", "XI-ABC-x-1"]
)
def test_good_org_ids_are_accepted(priya, org_id):
    organisation = services.organisation_create(name="A", slug="a", owner=priya, org_id=org_id)
    assert organisation.org_id == org_id


@pytest.mark.parametrize(
    "org_id", ["1234567", "gb-chc-1234567", "GB-CHC", "GB CHC 1234567", "GBR-CHC-1", "GB-chc-1"]
)
def test_bad_org_ids_are_refused(priya, org_id):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(name="A", slug="a", owner=priya, org_id=org_id)
    assert "org_id" in error.value.message_dict
    assert not Organisation.objects.exists()


def test_deleting_an_organisation_deletes_memberships_and_invitations(priya):
    organisation = services.organisation_create(name="One", slug="one", owner=priya)
    services.invitation_create(
        organisation=organisation, email="ian@example.org", role="viewer", invited_by=priya
    )
    services.organisation_delete(organisation=organisation)
    assert not Membership.objects.exists()
    assert not Invitation.objects.exists()
    assert User.objects.filter(pk=priya.pk).exists()


def test_one_membership_per_person_and_organisation(priya):
    organisation = services.organisation_create(name="One", slug="one", owner=priya)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=priya, organisation=organisation, role="viewer")
