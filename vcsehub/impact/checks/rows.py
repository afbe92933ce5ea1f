"""Whole rows: empty, repeated within the file, or already stored from an earlier file."""

from __future__ import annotations

from vcsehub.impact.checks.base import ERROR, INFO, WARNING, Check, FlagCheck, plural


class EmptyRows(FlagCheck):
    id = "row_empty"
    title = "nothing in the columns chosen"
    category = "rows"
    severity = ERROR
    flags = ("row_empty",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'row has', 'rows have')} nothing in any of the columns chosen, "
            "so they are not stored."
        )


def _usable(prepared):
    return [row for row in prepared.rows if row.error is None]


def duplicate_rows(prepared) -> tuple[list, list]:
    """(repeats within the file, rows already stored in the dataset), among usable rows."""
    seen: set[str] = set()
    repeats, stored = [], []
    for row in _usable(prepared):
        if row.fingerprint in prepared.existing:
            stored.append(row)
        elif row.fingerprint in seen:
            repeats.append(row)
        else:
            seen.add(row.fingerprint)
    return repeats, stored


class DuplicateRows(Check):
    id = "duplicate_rows"
    title = "repeated row"
    category = "rows"
    severity = WARNING

    def run(self, prepared):
        repeats, _ = duplicate_rows(prepared)
        if not repeats:
            return None
        count = len(repeats)
        return self.result(
            count,
            f"{plural(count, 'row is a copy', 'rows are copies')} of an earlier row in the file "
            "(the same values in every column chosen), so each is stored once. If they are "
            "really separate visits, add a column that tells them apart.",
            [(row.number, "") for row in repeats],
        )


class AlreadyStored(Check):
    id = "already_stored"
    title = "already in the dataset"
    category = "rows"
    severity = INFO

    def run(self, prepared):
        _, stored = duplicate_rows(prepared)
        if not stored:
            return None
        count = len(stored)
        return self.result(
            count,
            f"{plural(count, 'row is', 'rows are')} already in this dataset from an earlier "
            "upload, so they are not stored again.",
            [(row.number, "") for row in stored],
        )
