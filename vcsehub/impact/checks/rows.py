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


class DuplicateRows(Check):
    id = "duplicate_rows"
    title = "repeated row"
    category = "rows"
    severity = WARNING

    def run(self, prepared):
        count = prepared.tally.repeats
        if not count:
            return None
        return self.result(
            count,
            f"{plural(count, 'row is a copy', 'rows are copies')} of an earlier row in the file "
            "(the same values in every column chosen), so each is stored once. If they are "
            "really separate visits, add a column that tells them apart.",
            [(number, "") for number in prepared.tally.repeat_rows],
        )


class AlreadyStored(Check):
    id = "already_stored"
    title = "already in the dataset"
    category = "rows"
    severity = INFO

    def run(self, prepared):
        count = prepared.tally.already
        if not count:
            return None
        return self.result(
            count,
            f"{plural(count, 'row is', 'rows are')} already in this dataset from an earlier "
            "upload, so they are not stored again.",
            [(number, "") for number in prepared.tally.already_rows],
        )
