"""Reads: the loaded 360Giving schema, grant totals per currency, a run's issues."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from vcsehub.grants.models import Grant, StandardDocument, ValidationIssue
from vcsehub.grants.schema import GrantSchema
from vcsehub.grants.validation import SchemaValidator
from vcsehub.sources.errors import DataError

GRANT_SCHEMA = "360-giving-schema.json"
PACKAGE_SCHEMA = "360-giving-package-schema.json"


@dataclass(frozen=True)
class LoadedStandard:
    schema: GrantSchema
    grant_validator: SchemaValidator
    package_validator: SchemaValidator
    version: str
    run_id: int


_CACHE: dict[tuple, LoadedStandard] = {}


def standard_current() -> LoadedStandard:
    """The imported 360Giving schemas, compiled (cached until the standard is re-imported)."""
    documents = {
        d.name: d for d in StandardDocument.objects.filter(name__in=[GRANT_SCHEMA, PACKAGE_SCHEMA])
    }
    if len(documents) < 2:
        raise DataError(
            "The 360Giving schema is not loaded, so grants files cannot be checked",
            fix="Import it first: vcsehub import 360giving-standard (or run vcsehub up).",
        )
    key = (documents[GRANT_SCHEMA].run_id, documents[PACKAGE_SCHEMA].run_id)
    if key not in _CACHE:
        grant_schema = documents[GRANT_SCHEMA].content
        package_schema = documents[PACKAGE_SCHEMA].content
        package_only = dict(package_schema)
        properties = dict(package_schema.get("properties", {}))
        # Grants are validated one by one with the grant schema; the list itself here.
        properties["grants"] = {
            k: v for k, v in properties.get("grants", {}).items() if k != "items"
        }
        package_only["properties"] = properties
        _CACHE.clear()
        _CACHE[key] = LoadedStandard(
            schema=GrantSchema(
                grant_schema, package_schema, version=documents[GRANT_SCHEMA].version
            ),
            grant_validator=SchemaValidator(grant_schema),
            package_validator=SchemaValidator(package_only),
            version=documents[GRANT_SCHEMA].version,
            run_id=documents[GRANT_SCHEMA].run_id,
        )
    return _CACHE[key]


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str  # "" when the file gave no currency: never added to any other
    grants: int
    total: Decimal


def grant_totals_by_currency(*, grants: QuerySet[Grant] | None = None) -> list[CurrencyTotal]:
    """Number and total amount of grants, one line per currency (GBP is never summed with others)."""
    grants = grants if grants is not None else Grant.objects.all()
    rows = (
        grants.values("currency")
        .annotate(n=Count("id"), total=Sum("amount_awarded"))
        .order_by("currency")
    )
    return [CurrencyTotal(currency=r["currency"], grants=r["n"], total=r["total"]) for r in rows]


def validation_issues_for_run(*, run_id: int) -> list[ValidationIssue]:
    return list(ValidationIssue.objects.filter(run_id=run_id).order_by("id"))


def grants_for_dataset(*, identifier: str) -> QuerySet[Grant]:
    return Grant.objects.filter(dataset__identifier=identifier)
