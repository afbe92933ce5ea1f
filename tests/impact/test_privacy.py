"""The personal data guard: what is flagged, and how references are pseudonymised."""

from __future__ import annotations

from datetime import date

import pytest

from vcsehub.impact import privacy
from vcsehub.impact.privacy import column_personal_kind, pseudonymise

TODAY = date(2026, 1, 31)


@pytest.mark.parametrize(
    ("title", "values", "kind"),
    [
        ("Full name", ["x", "y"], "name"),
        ("Surname", [], "name"),
        ("Client", ["Amina Khan", "Peter Walsh", "Grace Okafor", "Tom Reilly"], "name"),
        ("Who", ["Khan, Amina", "Walsh, Peter", "Okafor, Grace"], "name"),
        ("E-mail", [], "email"),
        ("Contact", ["a@example.com", "b@example.org", "", "c@example.net"], "email"),
        ("Mobile", [], "phone"),
        ("Contact", ["07700 900123", "+44 7700 900124", "0121 496 0000"], "phone"),
        ("Contact", [7700900123, 1214960000], "phone"),
        ("NI", ["JG 12 34 56 C", "AB123456D"], "nino"),
        ("National insurance number", [], "nino"),
        ("Home address", [], "address"),
        ("Where", ["12 High Street", "3a Stratford Road", "7 Ladypool Road"], "address"),
        ("Case notes", [], "notes"),
        (
            "Other",
            [
                "Came with the children after school, needed nappies and baby food.",
                "Universal Credit payment delayed again; talked through the options.",
                "Gas meter on emergency credit, gave a fuel voucher and a leaflet.",
            ],
            "notes",
        ),
        ("DOB", [], "date_of_birth"),
        ("Born on", ["02/11/1958", "14/02/1986", "30/07/1992"], "date_of_birth"),
    ],
)
def test_personal_columns_are_found_by_title_or_values(title, values, kind):
    assert column_personal_kind(title, values, today=TODAY) == kind


@pytest.mark.parametrize(
    ("title", "values"),
    [
        ("Client ID", ["C001", "C002"]),
        ("Service name", ["Food parcel", "Advice"]),
        ("Referred by", ["GP", "Citizens Advice", "Health visitor", "Self"]),
        ("Visit date", ["01/04/2025", "02/04/2025", "03/04/2025"]),
        ("Post code", ["B11 1AA", "B12 0AE"]),
        ("Adults", ["1", "2", "3"]),
        ("Case no", [10001, 10002, 10003]),
        ("Gender", ["Female", "Male", "Prefer not to say"]),
    ],
)
def test_ordinary_columns_are_not_personal(title, values):
    assert column_personal_kind(title, values, today=TODAY) is None


def test_personal_columns_may_only_be_not_stored_except_dates_of_birth():
    assert privacy.fields_allowed_for("name") == {""}
    assert privacy.fields_allowed_for("notes") == {""}
    assert privacy.fields_allowed_for("email") == {""}
    assert privacy.fields_allowed_for("date_of_birth") == {"", "date_of_birth"}
    assert "postcode" in privacy.fields_allowed_for(None)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("me@example.com", "email"),
        ("call 07700 900123", "phone"),
        ("AB 12 34 56 C", "nino"),
        ("Food parcel", None),
        ("10001", None),
        ("B11 1AA", None),
    ],
)
def test_personal_values(value, kind):
    assert privacy.value_personal_kind(value) == kind


def test_references_are_keyed_hashes_that_link_repeat_visits():
    secret, other = "a" * 64, "b" * 64
    key = pseudonymise(secret, "C001")
    assert len(key) == 64 and "C001" not in key
    assert pseudonymise(secret, " c001 ") == key  # case and spaces do not matter
    assert pseudonymise(secret, 1001.0) == pseudonymise(secret, "1001")
    assert pseudonymise(other, "C001") != key  # another organisation cannot match it
    assert pseudonymise(secret, "") == "" and pseudonymise(secret, None) == ""


def test_the_fast_row_hasher_gives_the_same_fingerprints():
    hasher = privacy.keyed_hasher("s3cret")
    for parts in (["a", "b", ""], ["2025-01-01", "x" * 64], []):
        assert hasher(parts) == privacy.keyed_hash("s3cret", parts)
    assert privacy.keyed_hasher("other")(["a"]) != hasher(["a"])


def test_the_fast_pseudonymiser_gives_the_same_keys():
    pseudonym = privacy.pseudonymiser("s3cret")
    for value in ("C001", " c001 ", 1001.0, 1001, "", None, "Ünïcode ref"):
        assert pseudonym(value) == pseudonymise("s3cret", value)
    assert privacy.pseudonymiser("other")("C001") != pseudonym("C001")
