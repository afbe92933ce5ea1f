"""Whole columns: chosen but empty, not chosen (not stored), or personal (never stored)."""

from __future__ import annotations

from vcsehub.impact.checks.base import INFO, WARNING, Check, plural
from vcsehub.impact.models import Field
from vcsehub.impact.privacy import KIND_LABELS


def _names(titles) -> str:
    quoted = [f"'{t}'" for t in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


class EmptyMappedColumn(Check):
    id = "empty_mapped_column"
    title = "chosen column is empty"
    category = "columns"
    severity = WARNING

    def run(self, prepared):
        empty = [title for title in prepared.mapping if not prepared.column_values.get(title)]
        if not empty:
            return None
        labels = ", ".join(f"'{t}' ({Field(prepared.mapping[t]).label})" for t in empty)
        return self.result(
            len(empty),
            f"{plural(len(empty), 'column was', 'columns were')} chosen but "
            f"{'has' if len(empty) == 1 else 'have'} no values: {labels}. Check the right "
            "column was chosen.",
            [(0, title) for title in empty],
        )


class UnmappedColumns(Check):
    id = "unmapped_columns"
    title = "columns not stored"
    category = "columns"
    severity = INFO

    def run(self, prepared):
        titles = [
            t for t in prepared.headers if t not in prepared.mapping and t not in prepared.personal
        ]
        if not titles:
            return None
        return self.result(
            len(titles),
            f"{plural(len(titles), 'column is', 'columns are')} not chosen for anything, so "
            f"{'it is' if len(titles) == 1 else 'they are'} not stored: {_names(titles)}.",
            [(0, title) for title in titles],
        )


class PersonalColumns(Check):
    id = "personal_columns"
    title = "personal data not stored"
    category = "privacy"
    severity = INFO

    def run(self, prepared):
        found = [
            (title, kind)
            for title, kind in prepared.personal.items()
            if prepared.mapping.get(title) != Field.DATE_OF_BIRTH
        ]
        kept_as_band = [t for t, f in prepared.mapping.items() if f == Field.DATE_OF_BIRTH]
        if not found and not kept_as_band:
            return None
        parts = [f"'{title}' looks like {KIND_LABELS[kind]}" for title, kind in found]
        message = ""
        if parts:
            message = (
                f"{plural(len(parts), 'column holds', 'columns hold')} personal data and "
                f"{'is' if len(parts) == 1 else 'are'} never stored: " + "; ".join(parts) + "."
            )
        if kept_as_band:
            message += (
                f" Dates of birth in {_names(kept_as_band)} are used only to work out an age "
                "band at the date of contact; the dates themselves are not stored."
            )
        return self.result(
            len(found) + len(kept_as_band),
            message.strip(),
            [(0, t) for t, _ in found] + [(0, t) for t in kept_as_band],
        )
