"""`vcsehub org`: create organisations, list them, add members. A thin front to services."""

from __future__ import annotations

import argparse

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vcsehub.organisations import selectors, services
from vcsehub.organisations.errors import AccountError
from vcsehub.organisations.models import Role

DESCRIPTION = "Create and manage organisations and their members."
EPILOG = """\
examples:
  vcsehub org create --name "Sparkbrook Food Bank" --slug sparkbrook-food-bank \\
      --owner priya@example.org --org-id GB-CHC-1234567
  vcsehub org list
  vcsehub org add-member --slug sparkbrook-food-bank --email ian@example.org --role editor

Roles: owner (everything, including members), editor (view and change data),
viewer (view data). A person who has no account yet gets one without a password:
they set it with `vcsehub changepassword EMAIL`.
"""


def _validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = DESCRIPTION

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("epilog", EPILOG)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

        create = actions.add_parser(
            "create",
            help="create an organisation with its first owner",
            description="Create an organisation. The owner's account is made if it does not exist.",
            epilog=(
                'example:\n  vcsehub org create --name "Sparkbrook Food Bank" '
                "--slug sparkbrook-food-bank --owner priya@example.org --org-id GB-CHC-1234567"
            ),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        create.add_argument("--name", required=True, help="the organisation's name")
        create.add_argument(
            "--slug", required=True, help="short name for web addresses, e.g. sparkbrook-food-bank"
        )
        create.add_argument(
            "--owner", required=True, metavar="EMAIL", help="the first owner's email"
        )
        create.add_argument(
            "--org-id", default="", help="identifier on an official register, e.g. GB-CHC-1234567"
        )

        actions.add_parser(
            "list",
            help="list every organisation",
            description="List every organisation: slug, members, org-id and name.",
        )

        add = actions.add_parser(
            "add-member",
            help="give a person a role in an organisation",
            description=(
                "Give a person a role in an organisation, or change the role they have. "
                "Their account is made if it does not exist."
            ),
            epilog=(
                "example:\n  vcsehub org add-member --slug sparkbrook-food-bank "
                "--email ian@example.org --role editor"
            ),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        add.add_argument("--slug", required=True, help="the organisation's slug")
        add.add_argument("--email", required=True, help="the person's email address")
        add.add_argument("--role", required=True, choices=[role.value for role in Role])

    def handle(self, *args, action: str, **options):
        if action == "create":
            self._create(**options)
        elif action == "list":
            self._list()
        else:
            self._add_member(**options)

    def _user(self, email: str):
        """The account for `email`, made (without a password) if needed; and whether it was made."""
        user = selectors.user_get_by_email(email=email)
        if user is not None:
            return user, False
        try:
            return services.user_create(email=email, password=None), True
        except ValidationError as error:
            raise CommandError(
                f"Cannot make an account for {email!r}: {_validation_message(error)}"
            ) from error

    def _say_new_account(self, user) -> None:
        self.stdout.write(
            f"Made a new account for {user.email} without a password. "
            f"Set one with: vcsehub changepassword {user.email}"
        )

    def _create(self, *, name: str, slug: str, owner: str, org_id: str, **_options):
        try:
            with transaction.atomic():
                owner_user, made = self._user(owner)
                organisation = services.organisation_create(
                    name=name, slug=slug, owner=owner_user, org_id=org_id
                )
        except ValidationError as error:
            raise CommandError(
                f"The organisation was not created. {_validation_message(error)}"
            ) from error
        if made:
            self._say_new_account(owner_user)
        self.stdout.write(
            f"Created {organisation.name} (slug {organisation.slug}, id {organisation.pk}) "
            f"with {owner_user.email} as owner."
        )

    def _list(self):
        organisations = list(selectors.organisation_list())
        if not organisations:
            self.stdout.write("There are no organisations yet. Make one with `vcsehub org create`.")
            return
        width = max(len(o.slug) for o in organisations)
        self.stdout.write(f"{'SLUG':<{width}}  MEMBERS  {'ORG-ID':<16}  NAME")
        for o in organisations:
            self.stdout.write(
                f"{o.slug:<{width}}  {o.member_count:>7}  {o.org_id or '-':<16}  {o.name}"
            )
        count = len(organisations)
        self.stdout.write(f"{count} organisation{'s' if count != 1 else ''}.")

    def _add_member(self, *, slug: str, email: str, role: str, **_options):
        organisation = selectors.organisation_get_by_slug(slug=slug)
        if organisation is None:
            raise CommandError(
                f"There is no organisation with slug {slug!r}. See `vcsehub org list`."
            )
        try:
            with transaction.atomic():
                user, made = self._user(email)
                membership = services.membership_add(
                    organisation=organisation, user=user, role=role
                )
        except AccountError as error:
            raise CommandError(error.message) from error
        if made:
            self._say_new_account(user)
        self.stdout.write(
            f"{user.email} is now {membership.get_role_display().lower()} of {organisation.name}."
        )
