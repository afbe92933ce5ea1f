"""Reading the values people type in spreadsheets: dates, numbers, ages.

Dates come as Excel dates, ISO dates (2025-04-03), numbers with separators (03/04/2025,
3/4/25, 3.4.2025, 3-4-2025) or words (3 April 2025, 3 Apr 25, April 3 2025). Numeric
dates are ambiguous (3/4 is 3 April in the UK, 4 March in the US), so the order is
decided once for a whole column by `date_order_for` and then applied to every value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

DMY, MDY = "dmy", "mdy"
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")
_WORDS_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?,?[\s\-]+(\d{2}|\d{4})$")
_WORDS_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2}|\d{4})$")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
EXCEL_EPOCH = date(1899, 12, 30)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    """A cell as trimmed text ('' for blank); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _year(text: str, today: date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000
        if year > today.year + 1:
            year -= 100
    return year


def numeric_date_parts(value: Any) -> tuple[int, int] | None:
    """(first, second) numbers of a dd/mm/yyyy-like text, for deciding the column's order."""
    if not isinstance(value, str):
        return None
    match = _NUMERIC_DATE.match(_TIME_SUFFIX.sub("", value.strip()))
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True, slots=True)
class DateOrder:
    """How a column's numeric dates are read, and why."""

    order: str  # DMY or MDY
    reason: str
    conflicting: int = 0  # values that only make sense in the other order (left unread)


def date_order_for(values: Iterable[Any]) -> DateOrder:
    """Day/month order for a whole column, UK day/month unless the values prove otherwise.

    A value whose first number is above 12 can only be day/month; one whose second number
    is above 12 can only be month/day. If only the second kind is found, the column is
    month/day. If both are found, the column stays day/month and the month/day ones are
    counted as conflicting (they are not read).
    """
    first_over, second_over = 0, 0
    numeric = 0
    # Each distinct value once, weighted by how often it comes (a column repeats its dates).
    for value, times in Counter(values).items():
        parts = numeric_date_parts(value)
        if parts is None:
            continue
        numeric += times
        if parts[0] > 12:
            first_over += times
        if parts[1] > 12:
            second_over += times
    if second_over and not first_over:
        return DateOrder(
            MDY,
            f"{second_over} date{'s have' if second_over != 1 else ' has'} a number above 12 "
            "in the second place, so this column was read as month/day/year (US style).",
        )
    if first_over and second_over:
        return DateOrder(
            DMY,
            f"This column mixes day/month and month/day dates. It was read as day/month/year "
            f"(UK style); {second_over} date{'s' if second_over != 1 else ''} that only make "
            "sense as month/day could not be read.",
            conflicting=second_over,
        )
    if first_over:
        return DateOrder(
            DMY, "Dates with a day above 12 show this column is day/month/year (UK style)."
        )
    if numeric:
        return DateOrder(
            DMY,
            "Every date in this column could be read either way, so it was read as "
            "day/month/year, the UK style.",
        )
    return DateOrder(DMY, "")


def parse_date(value: Any, *, order: str = DMY, today: date | None = None) -> date | None:
    """A date from a cell, or None when it cannot be read as one."""
    today = today or date.today()
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        # An Excel serial number (days since 1899-12-30) in a plausible range.
        if 20000 <= value <= 80000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    try:
        if match := _ISO_DATE.match(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        bare = _TIME_SUFFIX.sub("", text)
        if match := _NUMERIC_DATE.match(bare):
            first, second = int(match.group(1)), int(match.group(2))
            day, month = (first, second) if order == DMY else (second, first)
            return date(_year(match.group(3), today), month, day)
        if match := _WORDS_DMY.match(bare):
            month = MONTHS.get(match.group(2).lower())
            if month:
                return date(_year(match.group(3), today), month, int(match.group(1)))
        if match := _WORDS_MDY.match(bare):
            month = MONTHS.get(match.group(1).lower())
            if month:
                return date(_year(match.group(3), today), month, int(match.group(2)))
    except ValueError:
        return None
    return None


def looks_like_date(value: Any) -> bool:
    if isinstance(value, datetime | date):
        return True
    if isinstance(value, str):
        return parse_date(value) is not None or numeric_date_parts(value) is not None
    return False


def parse_number(value: Any) -> Decimal | None:
    """A number from a cell ('7', 7.0, ' 7.5 '), or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    text = str(value).strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_count(value: Any) -> int | None:
    """A whole number of people, 0 or more; None when not one."""
    number = parse_number(value)
    if number is None or number < 0 or number != number.to_integral_value():
        return None
    return int(number)


AGE_BANDS = (
    (0, 15, "0-15"),
    (16, 24, "16-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, 74, "65-74"),
    (75, 200, "75+"),
)
MAX_AGE = 120


def age_band(age: int | None) -> str:
    """The band an age falls in ('' when unknown or not a real age)."""
    if age is None or age < 0 or age > MAX_AGE:
        return ""
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return ""


def age_on(born: date, when: date) -> int:
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))
