"""`vcsehub token`: create, list and revoke API tokens. A thin front to services."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vcsehub.organisations import selectors, services

EPILOG = """\
examples:
  TOKEN=$(vcsehub token create --user dan@example.org --name "Dan's laptop")
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/me
  vcsehub token list --user dan@example.org
  vcsehub token revoke --prefix vh_AbCd1234

`token create` prints only the token on standard output, so scripts can capture it;
everything else goes to standard error. The token is shown once and cannot be seen again.
"""


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "never"


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("epilog", EPILOG)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        create = actions.add_parser(
            "create",
            help="make a token for a user and print it",
            description="Make an API token. Prints only the token on standard output.",
            epilog='example:\n  TOKEN=$(vcsehub token create --user dan@example.org --name "laptop")',
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        create.add_argument("--user", required=True, metavar="EMAIL", help="whose token it is")
        create.add_argument("--name", default="Command line", help="what the token is for")

        listing = actions.add_parser(
            "list",
            help="list a user's tokens",
            description="List a user's tokens: prefix, name, created, last used, status.",
        )
        listing.add_argument("--user", required=True, metavar="EMAIL")

        revoke = actions.add_parser(
            "revoke",
            help="stop a token working",
            description="Revoke a token, found by the start of its key (see `vcsehub token list`).",
            epilog="example:\n  vcsehub token revoke --prefix vh_AbCd1234",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        revoke.add_argument(
            "--prefix", required=True, help="the start of the key, e.g. vh_AbCd1234"
        )

    def handle(self, *args, action: str, **options):
        if action == "create":
            self._create(email=options["user"], name=options["name"])
        elif action == "list":
            self._list(email=options["user"])
        else:
            self._revoke(prefix=options["prefix"])

    def _user(self, email: str):
        user = selectors.user_get_by_email(email=email)
        if user is None:
            raise CommandError(f"There is no account for {email}. Check the address.")
        return user

    def _create(self, *, email: str, name: str):
        user = self._user(email)
        token, key = services.api_token_create(user=user, name=name)
        self.stdout.write(key)
        self.stderr.write(
            f"Made API token {token.key_prefix}… ({token.name}) for {user.email}. "
            "It is shown once: store it safely. Use it as `Authorization: Bearer <token>`."
        )

    def _list(self, *, email: str):
        user = self._user(email)
        tokens = list(selectors.api_tokens_for_user(user=user))
        if not tokens:
            self.stdout.write(f"{user.email} has no API tokens.")
            return
        self.stdout.write(
            f"{'PREFIX':<12}  {'CREATED':<16}  {'LAST USED':<16}  {'STATUS':<8}  NAME"
        )
        for t in tokens:
            status = "revoked" if t.revoked_at else "active"
            self.stdout.write(
                f"{t.key_prefix:<12}  {_when(t.created_at):<16}  {_when(t.last_used_at):<16}  "
                f"{status:<8}  {t.name}"
            )

    def _revoke(self, *, prefix: str):
        prefix = prefix.strip().rstrip("…")
        if len(prefix) < 4:
            raise CommandError(
                "Give at least the first 4 characters of the token, e.g. vh_AbCd1234."
            )
        tokens = list(selectors.api_tokens_by_prefix(prefix=prefix))
        if not tokens:
            raise CommandError(
                f"No token starts with {prefix!r}. See `vcsehub token list --user EMAIL`."
            )
        if len(tokens) > 1:
            found = ", ".join(f"{t.key_prefix} ({t.user.email})" for t in tokens)
            raise CommandError(
                f"{len(tokens)} tokens start with {prefix!r}: {found}. Give more characters."
            )
        token = tokens[0]
        if token.revoked_at is not None:
            self.stdout.write(
                f"Token {token.key_prefix}… was already revoked on {_when(token.revoked_at)}."
            )
            return
        services.api_token_revoke(token=token)
        self.stdout.write(
            f"Revoked token {token.key_prefix}… ({token.name}) of {token.user.email}."
        )
