"""A small cast for access and page tests: one organisation, one person per role.

Accounts have no usable password (hashing with Argon2 is slow on purpose); tests that
sign in with a password make their own account.
"""

from __future__ import annotations

from dataclasses import dataclass

from vcsehub.organisations import services
from vcsehub.organisations.models import Organisation, Role, User


@dataclass
class Cast:
    organisation: Organisation
    other_organisation: Organisation
    owner: User
    editor: User
    viewer: User
    outsider: User
    superuser: User
    inactive_owner: User

    def by_name(self, name: str):
        return getattr(self, name)


def make_cast() -> Cast:
    owner = services.user_create(email="owner@example.org", password=None, name="Olu Owner")
    editor = services.user_create(email="editor@example.org", password=None)
    viewer = services.user_create(email="viewer@example.org", password=None)
    outsider = services.user_create(email="outsider@example.org", password=None)
    superuser = User.objects.create_superuser("admin@example.org", None)
    inactive_owner = services.user_create(email="gone@example.org", password=None)
    organisation = services.organisation_create(
        name="Sparkbrook Food Bank",
        slug="sparkbrook-food-bank",
        owner=owner,
        org_id="GB-CHC-1234567",
    )
    services.membership_add(organisation=organisation, user=editor, role=Role.EDITOR)
    services.membership_add(organisation=organisation, user=viewer, role=Role.VIEWER)
    services.membership_add(organisation=organisation, user=inactive_owner, role=Role.OWNER)
    inactive_owner.is_active = False
    inactive_owner.save()
    other = services.organisation_create(name="Other Trust", slug="other-trust", owner=outsider)
    return Cast(
        organisation=organisation,
        other_organisation=other,
        owner=owner,
        editor=editor,
        viewer=viewer,
        outsider=outsider,
        superuser=superuser,
        inactive_owner=inactive_owner,
    )
