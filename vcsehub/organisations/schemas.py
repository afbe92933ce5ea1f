"""Shapes of the accounts API's answers."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class MyOrganisationOut(Schema):
    slug: str = Field(description="Short name used in web addresses and API paths.")
    name: str
    org_id: str | None = Field(
        description="Identifier on an official register, e.g. GB-CHC-1234567; null if not given."
    )
    role: str = Field(description="Your role: owner, editor or viewer.")


class MeOut(Schema):
    email: str
    name: str
    organisations: list[MyOrganisationOut]


class OrganisationDetailOut(MyOrganisationOut):
    members_count: int = Field(description="Number of people with a role in the organisation.")


class AccountErrorOut(Schema):
    detail: str
