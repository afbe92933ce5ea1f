"""Postcode → small areas, ward, local authority and deprivation, for a whole column at once.

Only the areas are stored, never the postcode. A postcode that is blank, not a valid
postcode, withdrawn (terminated) or not in the directories loaded gets no areas, and
its status says why. A postcode found outside England keeps its areas; it has no
English IMD decile (the Welsh and Scottish indices are never mixed with England's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vcsehub.geography.lookup import postcodes_lookup
from vcsehub.impact.values import is_blank, text_of

FOUND, INVALID, TERMINATED, NOT_FOUND, MISSING = (
    "found",
    "invalid",
    "terminated",
    "not_found",
    "missing",
)
AREA_FIELDS = ("lsoa11", "lsoa21", "ward_code", "lad_code", "imd2019_decile", "imd2025_decile")


@dataclass(frozen=True, slots=True)
class PostcodeOutcome:
    status: str
    reason: str = ""
    normalised: str = ""
    lsoa11: str = ""
    lsoa21: str = ""
    ward_code: str = ""
    lad_code: str = ""
    imd2019_decile: int | None = None
    imd2025_decile: int | None = None

    def areas(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in AREA_FIELDS}


MISSING_OUTCOME = PostcodeOutcome(MISSING, "No postcode was given.")


def postcodes_enrich(values: Sequence[Any]) -> list[PostcodeOutcome]:
    """One outcome per value, in order, from one batch lookup."""
    texts = [text_of(v) for v in values]
    wanted = [t for t in dict.fromkeys(texts) if t]
    results = dict(zip(wanted, postcodes_lookup(wanted), strict=True)) if wanted else {}
    outcomes: dict[str, PostcodeOutcome] = {}
    answer = []
    for value, text in zip(values, texts, strict=True):
        if is_blank(value) or not text:
            answer.append(MISSING_OUTCOME)
            continue
        outcome = outcomes.get(text)
        if outcome is None:
            outcome = outcomes[text] = _outcome(results[text])
        answer.append(outcome)
    return answer


def _outcome(result) -> PostcodeOutcome:
    if not result.valid:
        return PostcodeOutcome(INVALID, result.reason, result.postcode)
    if not result.found:
        return PostcodeOutcome(NOT_FOUND, result.reason, result.postcode)
    if result.terminated:
        return PostcodeOutcome(
            TERMINATED,
            "This postcode has been withdrawn and is no longer used, so it cannot place "
            "the person in today's areas.",
            result.postcode,
        )
    return PostcodeOutcome(
        FOUND,
        "",
        result.postcode,
        lsoa11=result.lsoa11,
        lsoa21=result.lsoa21,
        ward_code=result.ward_code,
        lad_code=result.lad_code,
        imd2019_decile=result.imd2019_decile,
        imd2025_decile=result.imd2025_decile,
    )
