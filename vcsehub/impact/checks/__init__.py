"""The checks run on every upload before anything is stored, and what they decide.

`checks_run(prepared)` runs every check in CHECKS on the tally of the prepared rows and
says what storing would do: rows with an error are left out (each counted under its
first error), repeats of an earlier row and rows already in the dataset are stored once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from vcsehub.impact.checks.base import ERROR, INFO, WARNING, Check, CheckResult
from vcsehub.impact.checks.columns import EmptyMappedColumn, PersonalColumns, UnmappedColumns
from vcsehub.impact.checks.dates import (
    DateFuture,
    DateMissing,
    DateOfBirthUnreadable,
    DateOrderDecided,
    DateUnreadable,
    NoContactDateColumn,
)
from vcsehub.impact.checks.postcodes import (
    PostcodeInvalid,
    PostcodeMissing,
    PostcodeNotFound,
    PostcodeTerminated,
)
from vcsehub.impact.checks.rows import AlreadyStored, DuplicateRows, EmptyRows
from vcsehub.impact.checks.values import (
    AgeUnreadable,
    OutcomeNotNumber,
    OutcomeOutOfScale,
    PeopleCountUnreadable,
    PersonalValues,
    PersonRefMissing,
    TextTooLong,
)
from vcsehub.impact.prepare import Prepared, PreparedRow, Tally

__all__ = ["CHECKS", "ERROR", "INFO", "WARNING", "Check", "CheckResult", "Outcome", "checks_run"]

CHECKS: tuple[type[Check], ...] = (
    EmptyRows,
    DateMissing,
    DateUnreadable,
    DateFuture,
    NoContactDateColumn,
    DateOrderDecided,
    DateOfBirthUnreadable,
    PostcodeInvalid,
    PostcodeTerminated,
    PostcodeNotFound,
    PostcodeMissing,
    DuplicateRows,
    AlreadyStored,
    OutcomeOutOfScale,
    OutcomeNotNumber,
    AgeUnreadable,
    PeopleCountUnreadable,
    PersonRefMissing,
    PersonalValues,
    TextTooLong,
    EmptyMappedColumn,
    PersonalColumns,
    UnmappedColumns,
)
_ERROR_TITLES = {
    check.flags[0]: check.title
    for check in CHECKS
    if check.severity == ERROR and hasattr(check, "flags")
}


@dataclass(slots=True)
class Outcome:
    """The report, and what storing would do."""

    results: list[CheckResult]
    rows_read: int
    excluded_reasons: dict[str, int] = field(default_factory=dict)
    rows_duplicate: int = 0
    rows_to_store: int = 0
    # The rows that would be stored, when the rows were kept (`rows_prepare`).
    to_store: list[PreparedRow] = field(default_factory=list)

    @property
    def rows_excluded(self) -> int:
        return sum(self.excluded_reasons.values())

    @property
    def errors(self) -> int:
        return sum(r.count for r in self.results if r.severity == ERROR)

    def report(self) -> list[dict]:
        return [r.as_dict() for r in self.results]


def checks_run(prepared: Prepared) -> Outcome:
    results = [r for check in CHECKS if (r := check().run(prepared)) is not None]
    tally: Tally = prepared.tally
    excluded: Counter[str] = Counter()
    for flag, count in tally.errors.items():
        excluded[_ERROR_TITLES[flag]] += count
    return Outcome(
        results=results,
        rows_read=tally.rows,
        excluded_reasons=dict(excluded),
        rows_duplicate=tally.repeats + tally.already,
        rows_to_store=tally.stored,
        to_store=prepared.to_store,
    )
