"""Turn register text into typed values. Each parser raises ValueError with a plain reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

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


# -- fast forms for the big CCEW tables ---------------------------------------------------------
# Each gives exactly what the function above gives for the same text (they call it for any
# text outside the common, plain form), so an importer can use them on every row.

_AMOUNT = r"-?(?:0|[1-9]\d*)(?:\.\d{1,2})?"
_PLAIN_AMOUNT = re.compile(_AMOUNT).fullmatch
_PLAIN_AMOUNTS = re.compile(rf"{_AMOUNT}(?:\t{_AMOUNT})*").fullmatch


def is_plain_amount(value: str) -> bool:
    """Digits, an optional minus and up to 2 decimals: then str(money(value)) == value."""
    return _PLAIN_AMOUNT(value) is not None


def are_plain_amounts(values: str) -> bool:
    """is_plain_amount() of every one of tab-separated values (at least one)."""
    return _PLAIN_AMOUNTS(values) is not None


def integer_fast(value: str) -> int | None:
    return int(value) if value.isdigit() and value.isascii() else integer(value)


def money_fast(value: str) -> Decimal | None:
    return Decimal(value) if _PLAIN_AMOUNT(value) else money(value)


def money_text(value: str) -> str | None:
    """str(money(value)): a plain amount (at most two decimal places) is its own text."""
    if _PLAIN_AMOUNT(value):
        return value
    amount = money(value)
    return None if amount is None else str(amount)


# Register dates repeat a lot (extract date, year ends): parse each text once.
iso_date_fast = lru_cache(maxsize=1 << 16)(iso_date)


def text_clean(value: str) -> str:
    """text() for a value known to hold no NUL character."""
    return value.strip()


def _iso_date_text(value: str) -> str | None:
    found = iso_date(value)
    return None if found is None else found.isoformat()


class DbValues(NamedTuple):
    """Dates and amounts in the form the database driver would make of them itself.

    SQLite: the text Django's sqlite3 adapters write (date.isoformat(), str(Decimal)), made
    directly, so no adapter runs per value; PostgreSQL: date and Decimal objects.
    """

    date: Callable[[str], object]
    money: Callable[[str], object]


def db_values(vendor: str) -> DbValues:
    if vendor == "sqlite":
        return DbValues(date=lru_cache(maxsize=1 << 16)(_iso_date_text), money=money_text)
    return DbValues(date=iso_date_fast, money=money_fast)
