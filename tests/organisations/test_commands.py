"""`vcsehub org` and `vcsehub token`, tested by what they print."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vcsehub.organisations.models import ApiToken, Membership, Organisation, User


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_org_create_makes_the_owner_account(db):
    out, _err = run(
        "org",
        "create",
        "--name",
        "Sparkbrook Food Bank",
        "--slug",
        "sparkbrook-food-bank",
        "--owner",
        "Priya@Example.org",
        "--org-id",
        "GB-CHC-1234567",
    )
    organisation = Organisation.objects.get(slug="sparkbrook-food-bank")
    assert "Made a new account for priya@example.org without a password" in out
    assert "vcsehub changepassword priya@example.org" in out
    assert f"Created Sparkbrook Food Bank (slug sparkbrook-food-bank, id {organisation.pk})" in out
    assert organisation.org_id == "GB-CHC-1234567"
    user = User.objects.get(email="priya@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "owner"


def test_org_create_with_an_existing_owner_says_nothing_about_accounts(cast):
    out, _err = run(
        "org", "create", "--name", "Second", "--slug", "second", "--owner", "owner@example.org"
    )
    assert "Made a new account" not in out
    assert "Created Second (slug second" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--slug", "sparkbrook-food-bank"],
            "slug: Another organisation already uses this short name",
        ),
        (
            ["--slug", "fine", "--org-id", "charity 123"],
            "org_id: Enter an org-id such as GB-CHC-1234567",
        ),
    ],
)
def test_org_create_refusals_make_no_account(cast, args, message):
    with pytest.raises(CommandError, match=message):
        run("org", "create", "--name", "X", "--owner", "someone.new@example.org", *args)
    assert not User.objects.filter(email="someone.new@example.org").exists()


def test_org_create_refuses_a_bad_email(db):
    with pytest.raises(CommandError, match="Cannot make an account for 'not-an-email'"):
        run("org", "create", "--name", "X", "--slug", "x", "--owner", "not-an-email")


def test_org_list(cast):
    out, _err = run("org", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["SLUG", "MEMBERS", "ORG-ID", "NAME"]
    assert lines[1].split() == ["other-trust", "1", "-", "Other", "Trust"]
    assert lines[2].split() == [
        "sparkbrook-food-bank",
        "4",
        "GB-CHC-1234567",
        "Sparkbrook",
        "Food",
        "Bank",
    ]
    assert lines[3] == "2 organisations."


def test_org_list_counts_one_organisation(cast):
    cast.other_organisation.delete()
    assert run("org", "list")[0].splitlines()[-1] == "1 organisation."


def test_org_list_when_empty(db):
    assert "There are no organisations yet" in run("org", "list")[0]


def test_org_add_member(cast):
    out, _err = run(
        "org",
        "add-member",
        "--slug",
        "sparkbrook-food-bank",
        "--email",
        "ian@example.org",
        "--role",
        "editor",
    )
    assert "Made a new account for ian@example.org" in out
    assert "ian@example.org is now editor of Sparkbrook Food Bank." in out
    out, _err = run(
        "org",
        "add-member",
        "--slug",
        "sparkbrook-food-bank",
        "--email",
        "ian@example.org",
        "--role",
        "viewer",
    )
    assert out.strip() == "ian@example.org is now viewer of Sparkbrook Food Bank."


def test_org_add_member_refusals(cast):
    with pytest.raises(CommandError, match="no organisation with slug 'nope'"):
        run("org", "add-member", "--slug", "nope", "--email", "ian@example.org", "--role", "editor")
    with pytest.raises(CommandError, match="only owner of Other Trust"):
        run(
            "org",
            "add-member",
            "--slug",
            "other-trust",
            "--email",
            "outsider@example.org",
            "--role",
            "viewer",
        )
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        run(
            "org",
            "add-member",
            "--slug",
            "other-trust",
            "--email",
            "x@example.org",
            "--role",
            "boss",
        )


def test_token_create_prints_only_a_working_token(cast, client):
    out, err = run("token", "create", "--user", "editor@example.org", "--name", "nightly export")
    key = out.strip()
    assert out == key + "\n"
    assert key.startswith("vh_") and " " not in key
    assert "shown once" in err and "nightly export" in err
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["email"] == "editor@example.org"


def test_token_list_and_revoke(cast, client):
    key = run("token", "create", "--user", "editor@example.org")[0].strip()
    prefix = ApiToken.objects.get().key_prefix
    out, _err = run("token", "list", "--user", "editor@example.org")
    header, row = out.splitlines()
    assert header.split() == ["PREFIX", "CREATED", "LAST", "USED", "STATUS", "NAME"]
    assert row.startswith(prefix) and "never" in row and "active" in row and "Command line" in row
    assert key not in out
    out, _err = run("token", "revoke", "--prefix", prefix)
    assert out.strip() == f"Revoked token {prefix}… (Command line) of editor@example.org."
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert "already revoked" in run("token", "revoke", "--prefix", prefix)[0]
    assert "revoked" in run("token", "list", "--user", "editor@example.org")[0]


def test_token_refusals(cast):
    with pytest.raises(CommandError, match="no account for nobody@example.org"):
        run("token", "create", "--user", "nobody@example.org")
    with pytest.raises(CommandError, match="No token starts with 'vh_zzzzzzzz'"):
        run("token", "revoke", "--prefix", "vh_zzzzzzzz")
    run("token", "create", "--user", "editor@example.org")
    run("token", "create", "--user", "viewer@example.org")
    for number, token in enumerate(ApiToken.objects.all()):
        ApiToken.objects.filter(pk=token.pk).update(key_prefix=f"vh_same000{number}")
    with pytest.raises(CommandError, match="2 tokens start with 'vh_same'"):
        run("token", "revoke", "--prefix", "vh_same")
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    with pytest.raises(CommandError, match="at least the first 4 characters"):
        run("token", "revoke", "--prefix", "vh")
    assert (
        "viewer@example.org has no API tokens"
        not in run("token", "list", "--user", "viewer@example.org")[0]
    )
    assert (
        "owner@example.org has no API tokens."
        in run("token", "list", "--user", "owner@example.org")[0]
    )


@pytest.mark.parametrize("command", ["org", "token"])
def test_help_has_examples(command, capsys):
    with pytest.raises(SystemExit):
        call_command(command, "--help")
    text = capsys.readouterr().out
    assert "examples:" in text
    assert f"vcsehub {command} " in text
