"""How numbers are written for people: counts, numbers, percentages and money.

The same functions serve templates (through the `vcsehub` template library), text
summaries and reports, so a figure reads the same everywhere. Missing is never zero:
None (or NaN, or an empty string) is written as "no data".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

NO_DATA = "no data"


def _as_decimal(value: Any) -> Decimal | None:
    """The value as a Decimal, or None when it is missing. Raises ValueError if not a number."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return Decimal(repr(value))
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as error:
        raise ValueError(f"{value!r} is not a number") from error
    if number.is_nan():
        return None
    return number


def _rounded(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _grouped(number: Decimal, places: int) -> str:
    text = f"{abs(_rounded(number, places)):,.{places}f}"
    return f"-{text}" if number < 0 and _rounded(number, places) != 0 else text


def format_count(value: Any) -> str:
    """A count of things, with thousands separators: 12345 -> "12,345"; None -> "no data"."""
    number = _as_decimal(value)
    if number is None:
        return NO_DATA
    return _grouped(number, 0)


def format_number(value: Any, places: int = 1) -> str:
    """A number with `places` decimals and thousands separators: 1234.56 -> "1,234.6"."""
    number = _as_decimal(value)
    if number is None:
        return NO_DATA
    return _grouped(number, places)


def format_percent(share: Any, places: int = 0) -> str:
    """A share between 0 and 1 written as a percentage: 0.1234 -> "12%" (places=1: "12.3%")."""
    number = _as_decimal(share)
    if number is None:
        return NO_DATA
    return f"{_grouped(number * 100, places)}%"


def format_pct(value: Any, places: int = 1) -> str:
    """A value that is already a percentage: 12.34 -> "12.3%" (for shares, use format_percent)."""
    number = _as_decimal(value)
    if number is None:
        return NO_DATA
    return f"{_grouped(number, places)}%"


def format_money(value: Any, places: int | None = None) -> str:
    """Pounds sterling: Decimal("1234.5") -> "£1,234.50", Decimal("1500") -> "£1,500".

    With places=0 the amount is rounded to whole pounds. Negative amounts read "-£5.00".
    """
    number = _as_decimal(value)
    if number is None:
        return NO_DATA
    if places is None:
        places = 0 if number == number.to_integral_value() else 2
    text = _grouped(number, places)
    return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
