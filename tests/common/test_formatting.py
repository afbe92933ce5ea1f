"""Numbers as people read them; missing is "no data", never zero."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from vcsehub.common.formatting import (
    NO_DATA,
    format_count,
    format_money,
    format_number,
    format_pct,
    format_percent,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (12345, "12,345"),
        (-1200, "-1,200"),
        (Decimal("2.5"), "3"),
        ("1,234", "1,234"),
        (None, NO_DATA),
        ("", NO_DATA),
        (float("nan"), NO_DATA),
    ],
)
def test_count(value, expected):
    assert format_count(value) == expected


def test_number_rounds_half_up_with_separators():
    assert format_number(1234.55, 1) == "1,234.6"
    assert format_number(Decimal("0.125"), 2) == "0.13"
    assert format_number(-0.04, 1) == "0.0"
    assert format_number(None) == NO_DATA


def test_percent_takes_a_share_between_0_and_1():
    assert format_percent(0.1234, 1) == "12.3%"
    assert format_percent(Decimal("0.5")) == "50%"
    assert format_percent(0) == "0%"
    assert format_percent(None, 1) == NO_DATA


def test_pct_takes_a_value_already_in_percent():
    assert format_pct(Decimal("12.34")) == "12.3%"
    assert format_pct(100, 0) == "100%"
    assert format_pct(None) == NO_DATA


def test_money_is_pounds_with_pence_only_when_there_are_pence():
    assert format_money(Decimal("1500")) == "£1,500"
    assert format_money(Decimal("1234.5")) == "£1,234.50"
    assert format_money(Decimal("1234.5"), 0) == "£1,235"
    assert format_money(Decimal("-5")) == "-£5"
    assert format_money(None) == NO_DATA


def test_not_a_number_raises():
    with pytest.raises(ValueError):
        format_count("twelve")
    with pytest.raises(ValueError):
        format_count(True)


def render(source: str, **context) -> str:
    return Template("{% load vcsehub %}" + source).render(Context(context))


def test_template_filters():
    assert render("{{ n|count }}", n=12345) == "12,345"
    assert render("{{ n|count }}", n=None) == "no data"
    assert render("{{ s|percent:1 }}", s=0.1234) == "12.3%"
    assert render("{{ s|percent }}", s=None) == "no data"
    assert render("{{ x|number:2 }}", x=3.14159) == "3.14"
    assert render("{{ p|pct }}", p=Decimal("45.25")) == "45.3%"
    assert render("{{ m|money }}", m=Decimal("20000")) == "£20,000"
    assert render("{{ m|money:0 }}", m=Decimal("99.5")) == "£100"
    assert render("{{ v|nodata }}", v=None) == "no data"
    assert render("{{ v|nodata }}", v=0) == "0"


def test_template_filter_shows_a_non_number_unchanged():
    assert render("{{ v|count }}", v="n/a") == "n/a"
