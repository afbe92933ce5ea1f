"""Reading values the way people write them, and org-ids in their standard form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from vcsehub.grants import normalise


@pytest.mark.parametrize(
    ("published", "standard"),
    [
        ("GB-CHC-0123", "GB-CHC-123"),
        ("gb-chc-1090095", "GB-CHC-1090095"),
        (" GB-CHC-1090095 ", "GB-CHC-1090095"),
        ("GB-COH-1234567", "GB-COH-01234567"),
        ("GB-COH-SC123456", "GB-COH-SC123456"),
        ("GB-COH-sc12345", "GB-COH-SC012345"),
        ("GB-SC-003558", "GB-SC-SC003558"),
        ("GB-SC-SC003558", "GB-SC-SC003558"),
        ("GB-NIC-100012", "GB-NIC-100012"),
        ("GB-NIC-NIC100012", "GB-NIC-100012"),
        ("360G-LBFEW-114001", "360G-LBFEW-114001"),
        ("NominetTrust", "NominetTrust"),
        ("", ""),
        (None, ""),
    ],
)
def test_org_ids_are_written_the_standard_way(published, standard):
    assert normalise.org_id(published) == standard


def test_charity_and_company_numbers_give_org_ids():
    assert normalise.charity_org_id("1090095") == "GB-CHC-1090095"
    assert normalise.charity_org_id("SC012345") == "GB-SC-SC012345"
    assert normalise.charity_org_id("NIC100012") == "GB-NIC-100012"
    assert normalise.charity_org_id("exempt") == ""
    assert normalise.company_org_id("4325234") == "GB-COH-04325234"


@pytest.mark.parametrize(
    ("value", "amount", "changed"),
    [
        (15000, Decimal("15000.00"), False),
        (Decimal("3239.34"), Decimal("3239.34"), False),
        ("£1,250.50", Decimal("1250.50"), True),
        (" 2,000 ", Decimal("2000.00"), True),
        ("lots", None, False),
        (None, None, False),
        (True, None, False),
        ("NaN", None, False),
    ],
)
def test_money(value, amount, changed):
    assert normalise.money(value) == (amount, changed)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-06-10", (dt.date(2015, 6, 10), "")),
        ("2015-06-10T00:00:00+00:00", (dt.date(2015, 6, 10), "")),
        ("31/03/2016", (dt.date(2016, 3, 31), "dd/mm/yyyy")),
        ("31/03/2016 10:30", (dt.date(2016, 3, 31), "dd/mm/yyyy")),
        ("03/2014", (dt.date(2014, 3, 1), "mm/yyyy")),
        ("31/02/2016", (None, "unreadable")),
        ("soon", (None, "unreadable")),
        (None, (None, "")),
    ],
)
def test_dates(value, expected):
    assert normalise.date(value) == expected


def test_yes_no_and_postcodes():
    assert normalise.yes_no("Yes") == (True, False)
    assert normalise.yes_no("N") == (False, True)
    assert normalise.yes_no(None) == (None, False)
    assert normalise.postcode("b11 1aa") == "B11 1AA"
    assert normalise.postcode("B12 OPH") == "B12 0PH"
    assert normalise.postcode("XX") == ""


def test_a_grant_with_no_identifier_or_amount_is_refused():
    assert normalise.grant({"amountAwarded": 5}).rejected == "no-identifier"
    assert normalise.grant({"id": "x", "amountAwarded": "lots"}).rejected == "no-amount"
    assert normalise.grant(["not", "a", "grant"]).rejected == "not-a-grant"
