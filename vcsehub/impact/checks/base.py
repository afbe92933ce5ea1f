"""What every check is: a small class with a category, a severity and a plain-English message.

Severity:
- "error": the rows concerned cannot be used and are not stored (the rest are);
- "warning": the rows are stored, but the value concerned is left out (missing);
- "info": something to know; nothing is left out because of it.

A check's result gives how many cells it concerns and the first of them as
[row, column] (row numbers as the spreadsheet shows them). Messages never quote a
cell's value, because the report is kept and values may be personal.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from vcsehub.impact.prepare import MAX_CELLS, Prepared

ERROR, WARNING, INFO = "error", "warning", "info"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


@dataclass(slots=True)
class CheckResult:
    check: str
    category: str
    severity: str
    count: int
    message: str
    cells: list[list] = field(default_factory=list)
    title: str = ""

    def as_dict(self) -> dict:
        return {
            "check": self.check,
            "title": self.title,
            "category": self.category,
            "severity": self.severity,
            "count": self.count,
            "message": self.message,
            "cells": self.cells[:MAX_CELLS],
        }


class Check(ABC):
    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    category: ClassVar[str] = ""
    severity: ClassVar[str] = WARNING

    @abstractmethod
    def run(self, prepared: Prepared) -> CheckResult | None:
        """The check's finding for this upload, or None when there is nothing to say."""

    def result(self, count: int, message: str, cells: list | None = None) -> CheckResult:
        return CheckResult(
            check=self.id,
            title=self.title,
            category=self.category,
            severity=self.severity,
            count=count,
            message=message,
            cells=[list(c) for c in (cells or [])[:MAX_CELLS]],
        )


class FlagCheck(Check):
    """A check that reports the cells prepare.py flagged with `flags` (counted by the tally)."""

    flags: ClassVar[tuple[str, ...]] = ()

    def run(self, prepared: Prepared) -> CheckResult | None:
        count, cells = prepared.tally.cells(self.flags)
        if not count:
            return None
        return self.result(count, self.message(count, prepared), cells)

    @abstractmethod
    def message(self, count: int, prepared: Prepared) -> str:
        """What the flagged cells mean, in a sentence for the user."""
