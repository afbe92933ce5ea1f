"""Turn register text into typed values. Each parser raises ValueError with a plain reason."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}


def text(value: str | None) -> str:
    return (value or "").replace("\x00", "").strip()


def integer(value: str | None) -> int | None:
    value = text(value)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{value[:40]!r} is not a whole number") from None
        if number != number.to_integral_value():
            raise ValueError(f"{value[:40]!r} is not a whole number") from None
        return int(number)


def money(value: str | None) -> Decimal | None:
    value = text(value).replace(",", "").replace("£", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value[:40]!r} is not an amount of money") from None
    if not number.is_finite():
        raise ValueError(f"{value[:40]!r} is not an amount of money")
    return number


def iso_date(value: str | None) -> date | None:
    """CCEW dates: '2023-09-07 00:00:00.0000000' or '2023-09-07'."""
    value = text(value)
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date like 2023-09-07") from None


def uk_date(value: str | None, *, no_date: str = "") -> date | None:
    """'13/12/2013' (dd/mm/yyyy). `no_date` is a value meaning "no date" (OSCR: 01/01/1970)."""
    value = text(value)
    if not value or value == no_date:
        return None
    try:
        return datetime.strptime(value[:10], "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date like 31/03/2023") from None


def long_date(value: str | None) -> date | None:
    """'31 March 2023' or '01 April 2022'."""
    value = re.sub(r"\s+", " ", text(value))
    if not value:
        return None
    try:
        return datetime.strptime(value, "%d %B %Y").date()
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date like 31 March 2023") from None


def boolean(value: str | None) -> bool | None:
    value = text(value).lower()
    if not value:
        return None
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(f"{value[:40]!r} is not True or False")


def website(value: str | None) -> str:
    """A website as written, without spaces; "" for blanks and placeholders."""
    value = re.sub(r"\s+", "", text(value))
    return "" if value.lower() in {"", "-", "none", "n/a"} else value[:500]
