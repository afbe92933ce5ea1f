"""Suggesting which field each column of an upload is, and remembering people's choices.

A suggestion comes, in this order, from:
1. the organisation's own earlier choice for a column with the same title (ColumnChoice);
2. the column's title (synonyms such as "Visit date", "Client ID", "Post code", "DOB",
   "Adults", "Score at start"), when its values fit the field;
3. the column's values alone (a column of dates, a column of postcodes).
Personal columns (see privacy.py) are never suggested, except a date of birth, which is
suggested as "Date of birth" (kept only as an age band).

Each field takes one column, except "Number of people", whose columns are added up
(e.g. Adults + Children).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from vcsehub.geography.postcodes import postcode_check
from vcsehub.impact import privacy
from vcsehub.impact.models import ColumnChoice, Field
from vcsehub.impact.values import is_blank, looks_like_date, parse_count, parse_number
from vcsehub.organisations.models import Organisation

MULTI_COLUMN_FIELDS = {Field.PEOPLE_COUNT.value}

SYNONYMS: dict[str, set[str]] = {
    Field.CONTACT_DATE: {
        "date",
        "visit date",
        "date of visit",
        "contact date",
        "date of contact",
        "session date",
        "attendance date",
        "date attended",
        "appointment date",
        "date seen",
        "visit",
        "visited",
        "when",
        "date of session",
        "date of appointment",
        "day",
    },
    Field.PERSON_REF: {
        "client id",
        "client ref",
        "client reference",
        "client no",
        "client number",
        "case no",
        "case number",
        "case ref",
        "case reference",
        "case id",
        "person id",
        "person ref",
        "member id",
        "member no",
        "member number",
        "customer id",
        "customer ref",
        "id",
        "ref",
        "reference",
        "household id",
        "household ref",
        "service user id",
        "su id",
        "beneficiary id",
        "participant id",
        "user id",
        "unique id",
        "record id",
        "client",
    },
    Field.POSTCODE: {"postcode", "post code", "postal code", "pcode", "p code", "home postcode"},
    Field.AGE: {
        "age",
        "age years",
        "age at visit",
        "age in years",
        "age at contact",
        "age last birthday",
    },
    Field.DATE_OF_BIRTH: {"dob", "d o b", "date of birth", "birth date", "birthdate", "birthday"},
    Field.GENDER: {"gender", "sex", "gender identity"},
    Field.ETHNICITY: {
        "ethnicity",
        "ethnic group",
        "ethnic origin",
        "ethnic background",
        "ethnicity group",
    },
    Field.DISABILITY: {
        "disability",
        "disabled",
        "has disability",
        "has a disability",
        "disability status",
        "long term health condition",
        "health condition",
    },
    Field.SERVICE: {
        "service",
        "activity",
        "session",
        "service type",
        "type of support",
        "support",
        "project",
        "programme",
        "service used",
        "support type",
        "type of service",
        "support given",
        "session type",
        "activity type",
    },
    Field.REFERRAL_SOURCE: {
        "referred by",
        "referral source",
        "referral",
        "referrer",
        "referral agency",
        "source of referral",
        "referral from",
        "referring agency",
        "referral route",
        "how heard",
    },
    Field.PEOPLE_COUNT: {
        "adults",
        "children",
        "number of people",
        "household size",
        "people",
        "no of adults",
        "no of children",
        "number of adults",
        "number of children",
        "number in household",
        "dependants",
        "attendees",
        "household",
        "people in household",
        "kids",
        "under 18s",
    },
    Field.OUTCOME_BEFORE: {
        "score at start",
        "start score",
        "before",
        "score before",
        "baseline",
        "baseline score",
        "initial score",
        "pre score",
        "first score",
        "score start",
        "entry score",
        "score in",
    },
    Field.OUTCOME_AFTER: {
        "score at end",
        "end score",
        "after",
        "score after",
        "final score",
        "post score",
        "exit score",
        "last score",
        "score end",
        "follow up score",
        "score out",
    },
}
_BEFORE_WORDS = {"start", "before", "baseline", "initial", "pre", "entry", "first"}
_AFTER_WORDS = {"end", "after", "final", "post", "exit", "last", "follow"}
_SCORE_WORDS = {"score", "rating", "wellbeing", "outcome", "scale", "measure", "confidence"}
_REF_WORDS = {"id", "ref", "reference", "no", "number", "code"}
_REF_OWNERS = {
    "client",
    "case",
    "person",
    "member",
    "customer",
    "household",
    "user",
    "participant",
    "beneficiary",
}
COMMON_SCALES = ((1, 5), (0, 5), (1, 7), (1, 10), (0, 10), (0, 100))
_SCALE_IN_TITLE = re.compile(r"(\d+)\s*(?:-|to|–)\s*(\d+)")
_OUT_OF = re.compile(r"out of (\d+)|/\s*(\d+)")


def column_key(title: str) -> str:
    """How titles are compared: lower case, words only ("Visit Date " → "visit date")."""
    return privacy.normalise_title(title)[:200]


@dataclass(slots=True)
class ColumnSuggestion:
    index: int
    title: str
    field: str  # a Field value, or "" for not stored
    why: str  # "remembered", "title", "values" or ""
    personal: str | None  # a privacy kind when the column is personal
    samples: list[str]
    allowed: set[str]


def _share(values: Sequence[Any], test) -> float:
    filled = [v for v in values if not is_blank(v)]
    if not filled:
        return 0.0
    return sum(1 for v in filled if test(v)) / len(filled)


def _is_postcode(value: Any) -> bool:
    return isinstance(value, str) and postcode_check(value).valid


def _fits(field: str, values: Sequence[Any]) -> bool:
    """Whether a column's values could be this field (blank columns fit anything)."""
    if not any(not is_blank(v) for v in values):
        return True
    if field in (Field.CONTACT_DATE, Field.DATE_OF_BIRTH):
        return _share(values, looks_like_date) >= 0.5
    if field == Field.POSTCODE:
        return _share(values, lambda v: isinstance(v, str) and len(v.strip()) <= 10) >= 0.8
    if field in (Field.AGE, Field.OUTCOME_BEFORE, Field.OUTCOME_AFTER):
        return _share(values, lambda v: parse_number(v) is not None) >= 0.8
    if field == Field.PEOPLE_COUNT:
        return _share(values, lambda v: parse_count(v) is not None) >= 0.8
    return True


def _title_field(title: str) -> str:
    key = column_key(title)
    for field, names in SYNONYMS.items():
        if key in names:
            return field
    words = set(key.split())
    if "postcode" in words or ("post" in words and "code" in words):
        return Field.POSTCODE
    if words & _SCORE_WORDS or key.startswith(("score", "wellbeing")):
        if words & _BEFORE_WORDS:
            return Field.OUTCOME_BEFORE
        if words & _AFTER_WORDS:
            return Field.OUTCOME_AFTER
    if "date" in words and not words & {"birth", "referral", "closed", "end", "left"}:
        return Field.CONTACT_DATE
    if words & _REF_WORDS and words & _REF_OWNERS:
        return Field.PERSON_REF
    if words & {"adults", "children", "dependants", "kids"}:
        return Field.PEOPLE_COUNT
    if "ethnic" in words or "ethnicity" in words:
        return Field.ETHNICITY
    if "referred" in words or "referral" in words:
        return Field.REFERRAL_SOURCE
    return ""


def _values_field(values: Sequence[Any]) -> str:
    if not any(not is_blank(v) for v in values):
        return ""
    if _share(values, _is_postcode) >= 0.6:
        return Field.POSTCODE
    if _share(values, looks_like_date) >= 0.8:
        return Field.CONTACT_DATE
    return ""


def remembered_choices(*, organisation: Organisation) -> dict[str, str]:
    return dict(
        ColumnChoice.objects.filter(organisation=organisation).values_list("column_key", "field")
    )


def mapping_suggest(
    *,
    headers: Sequence[str],
    columns: Sequence[Sequence[Any]],
    organisation: Organisation | None,
    today: date | None = None,
) -> list[ColumnSuggestion]:
    """A suggestion for each column; `columns[i]` are the values of column i (a sample)."""
    today = today or timezone.localdate()
    remembered = remembered_choices(organisation=organisation) if organisation else {}
    taken: set[str] = set()
    suggestions = []
    for index, title in enumerate(headers):
        values = columns[index] if index < len(columns) else []
        personal = privacy.column_personal_kind(title, values, today=today)
        allowed = privacy.fields_allowed_for(personal)
        suggestions.append(
            ColumnSuggestion(
                index=index,
                title=title,
                field="",
                why="",
                personal=personal,
                samples=_samples(values),
                allowed=allowed,
            )
        )
    # Remembered first, then titles, then values: each field goes to the first column
    # (in that order of strength) that claims it.
    for source in ("remembered", "title", "values"):
        for suggestion in suggestions:
            if suggestion.field or suggestion.why == "refused":
                continue
            values = columns[suggestion.index] if suggestion.index < len(columns) else []
            if source == "remembered":
                key = column_key(suggestion.title)
                if key not in remembered:
                    continue
                field = remembered[key]
                if field == "":
                    suggestion.why = "refused"  # the organisation chose not to store it
                    continue
            elif source == "title":
                field = _title_field(suggestion.title)
                if field and not _fits(field, values):
                    field = ""
            else:
                field = _values_field(values)
            if suggestion.personal == privacy.DATE_OF_BIRTH and field in ("", Field.CONTACT_DATE):
                field = Field.DATE_OF_BIRTH if Field.DATE_OF_BIRTH not in taken else ""
            if not field or field not in suggestion.allowed:
                continue
            if field in taken and field not in MULTI_COLUMN_FIELDS:
                continue
            suggestion.field, suggestion.why = field, source
            taken.add(field)
    for suggestion in suggestions:
        if suggestion.why == "refused":
            suggestion.why = "remembered"
    return suggestions


def _samples(values: Sequence[Any], limit: int = 3) -> list[str]:
    from vcsehub.impact.values import text_of

    seen: list[str] = []
    for value in values:
        text = text_of(value)
        if text and text not in seen:
            seen.append(text[:40])
        if len(seen) >= limit:
            break
    return seen


def mapping_from(suggestions: Sequence[ColumnSuggestion]) -> dict[str, str]:
    """{column title: field} of the mapped columns."""
    return {s.title: s.field for s in suggestions if s.field}


class MappingError(ValueError):
    """A mapping that cannot be used; the message says why in plain words."""


def mapping_validate(
    mapping: dict[str, str], suggestions: Sequence[ColumnSuggestion]
) -> dict[str, str]:
    """The mapping cleaned of blanks, or MappingError (personal column, unknown column, a field twice)."""
    by_title = {s.title: s for s in suggestions}
    clean: dict[str, str] = {}
    used: dict[str, str] = {}
    problems = []
    for title, field in mapping.items():
        if not field:
            continue
        if title not in by_title:
            problems.append(f"There is no column called {title!r} in the file.")
            continue
        if field not in Field.values:
            problems.append(f"{field!r} is not a field records can have.")
            continue
        suggestion = by_title[title]
        if field not in suggestion.allowed:
            kind = privacy.KIND_LABELS.get(suggestion.personal or "", "personal data")
            problems.append(
                f"The column {title!r} looks like it holds {kind}, so it cannot be stored."
            )
            continue
        if field in used and field not in MULTI_COLUMN_FIELDS:
            problems.append(
                f"Both {used[field]!r} and {title!r} are set to {Field(field).label!r}. "
                "Choose one of them."
            )
            continue
        used.setdefault(field, title)
        clean[title] = field
    if problems:
        raise MappingError(" ".join(problems))
    return clean


@transaction.atomic
def mapping_remember(
    *,
    organisation: Organisation,
    headers: Sequence[str],
    mapping: dict[str, str],
    personal: set[str],
) -> None:
    """Remember, for each column title, what the organisation chose (personal columns are not remembered)."""
    now = timezone.now()
    for title in headers:
        if title in personal:
            continue
        ColumnChoice.objects.update_or_create(
            organisation=organisation,
            column_key=column_key(title),
            defaults={"field": mapping.get(title, ""), "updated_at": now},
        )


def scale_suggest(
    *, titles: Sequence[str], columns: Sequence[Sequence[Any]]
) -> tuple[Decimal, Decimal] | None:
    """The outcome scale: from a title like 'Score (1-10)' or 'out of 10', else the
    smallest common scale holding at least 95% of the scores."""
    for title in titles:
        if match := _SCALE_IN_TITLE.search(title):
            low, high = int(match.group(1)), int(match.group(2))
            if low < high:
                return Decimal(low), Decimal(high)
        if match := _OUT_OF.search(title.lower()):
            return Decimal(1), Decimal(match.group(1) or match.group(2))
    # Each distinct value once, with how often it comes (a column repeats its scores).
    seen: Counter = Counter()
    for column in columns:
        seen.update(Counter((v.__class__, v) for v in column))
    numbers: Counter = Counter()
    for (_, value), times in seen.items():
        if (number := parse_number(value)) is not None:
            numbers[number] += times
    if not numbers:
        return None
    total = sum(numbers.values())
    for low, high in COMMON_SCALES:
        inside = sum(times for n, times in numbers.items() if low <= n <= high)
        if inside >= 0.95 * total:
            return Decimal(low), Decimal(high)
    return Decimal(min(numbers)), Decimal(max(numbers))
