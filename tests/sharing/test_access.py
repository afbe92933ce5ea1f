"""The access gate: every role against every permission, plus the people with no role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from vcsehub.organisations import services
from vcsehub.organisations.models import Role
from vcsehub.sharing import access
from vcsehub.sharing.access import Need

CHECKS = {
    Need.VIEW: access.can_view_organisation_data,
    Need.EDIT: access.can_edit_organisation_data,
    Need.MANAGE_MEMBERS: access.can_manage_members,
    Need.DELETE: access.can_delete_organisation,
}

# Who may do what to the Sparkbrook Food Bank. Superusers get no access from being
# superusers; the inactive person is an owner whose account was switched off.
EXPECTED = {
    "owner": {Need.VIEW, Need.EDIT, Need.MANAGE_MEMBERS, Need.DELETE},
    "editor": {Need.VIEW, Need.EDIT},
    "viewer": {Need.VIEW},
    "outsider": set(),
    "superuser": set(),
    "inactive_owner": set(),
    "anonymous": set(),
    "nobody": set(),
}

ROLES = {
    "owner": Role.OWNER,
    "editor": Role.EDITOR,
    "viewer": Role.VIEWER,
    "outsider": None,
    "superuser": None,
    "inactive_owner": None,
    "anonymous": None,
    "nobody": None,
}


def person(cast, name):
    if name == "anonymous":
        return AnonymousUser()
    if name == "nobody":
        return None
    return cast.by_name(name)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_can_functions_match_the_table(cast, name):
    user = person(cast, name)
    for need, check in CHECKS.items():
        allowed = need in EXPECTED[name]
        assert check(user, cast.organisation) is allowed, (name, need)
        assert access.has_need(user, cast.organisation, need) is allowed, (name, need)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_organisation_for_user_or_404_matches_the_table(cast, name):
    user = person(cast, name)
    for need in Need:
        if need in EXPECTED[name]:
            found = access.organisation_for_user_or_404(user, cast.organisation.slug, need=need)
            assert found == cast.organisation, (name, need)
        else:
            with pytest.raises(Http404):
                access.organisation_for_user_or_404(user, cast.organisation.slug, need=need)


@pytest.mark.parametrize("name", list(ROLES))
def test_role_of(cast, name):
    assert access.role_of(person(cast, name), cast.organisation) == ROLES[name]


def test_role_of_is_a_role(cast):
    assert isinstance(access.role_of(cast.editor, cast.organisation), Role)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_unknown_organisation_is_404_for_everyone(cast, name):
    with pytest.raises(Http404):
        access.organisation_for_user_or_404(
            person(cast, name), "no-such-organisation", need=Need.VIEW
        )


def test_membership_of_one_organisation_gives_nothing_in_another(cast):
    assert access.role_of(cast.owner, cast.other_organisation) is None
    assert not access.can_view_organisation_data(cast.owner, cast.other_organisation)
    with pytest.raises(Http404):
        access.organisation_for_user_or_404(cast.owner, "other-trust", need=Need.VIEW)


@pytest.mark.parametrize(
    ("name", "slugs"),
    [
        ("owner", ["sparkbrook-food-bank"]),
        ("editor", ["sparkbrook-food-bank"]),
        ("viewer", ["sparkbrook-food-bank"]),
        ("outsider", ["other-trust"]),
        ("superuser", []),
        ("inactive_owner", []),
        ("anonymous", []),
        ("nobody", []),
    ],
)
def test_organisations_visible_to(cast, name, slugs):
    visible = access.organisations_visible_to(person(cast, name))
    assert [o.slug for o in visible] == slugs


def test_superuser_who_is_a_member_gets_that_role_only(cast):
    services.membership_add(organisation=cast.organisation, user=cast.superuser, role=Role.VIEWER)
    assert access.role_of(cast.superuser, cast.organisation) == Role.VIEWER
    assert access.can_view_organisation_data(cast.superuser, cast.organisation)
    assert not access.can_edit_organisation_data(cast.superuser, cast.organisation)
    assert not access.can_manage_members(cast.superuser, cast.organisation)


def test_role_change_takes_effect_at_once(cast):
    membership = cast.viewer.memberships.get(organisation=cast.organisation)
    services.membership_set_role(membership=membership, role=Role.EDITOR)
    assert access.can_edit_organisation_data(cast.viewer, cast.organisation)
    services.membership_remove(membership=membership)
    assert not access.can_view_organisation_data(cast.viewer, cast.organisation)


def test_every_need_has_a_rule():
    assert set(access.ROLES_ALLOWED) == set(Need)
