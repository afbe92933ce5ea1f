"""Dates of contact and dates of birth."""

from __future__ import annotations

from vcsehub.impact.checks.base import ERROR, INFO, WARNING, Check, FlagCheck, plural
from vcsehub.impact.models import Field


class DateMissing(FlagCheck):
    id = "date_missing"
    title = "no date of contact"
    category = "dates"
    severity = ERROR
    flags = ("date_missing",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'row has', 'rows have')} no date of contact, so "
            f"{'it is' if count == 1 else 'they are'} not stored. Add the dates and upload again "
            "to include them."
        )


class DateUnreadable(FlagCheck):
    id = "date_unreadable"
    title = "date of contact could not be read"
    category = "dates"
    severity = ERROR
    flags = ("date_unreadable",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'date of contact', 'dates of contact')} could not be read as a date, "
            f"so {'that row is' if count == 1 else 'those rows are'} not stored. Write dates like "
            "31/03/2025 or 2025-03-31."
        )


class DateFuture(FlagCheck):
    id = "date_future"
    title = "date of contact in the future"
    category = "dates"
    severity = ERROR
    flags = ("date_future",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'date of contact is', 'dates of contact are')} after today "
            f"({prepared.today:%d/%m/%Y}), so {'that row is' if count == 1 else 'those rows are'} "
            "not stored. Check for typing mistakes in the year."
        )


class DateOrderDecided(Check):
    """Says how each date column's day/month order was decided (UK day/month by default)."""

    id = "date_order"
    title = "how dates were read"
    category = "dates"
    severity = INFO

    def run(self, prepared):
        parts = [
            f"{title}: {order.reason}"
            for title, order in prepared.date_orders.items()
            if order.reason
        ]
        if not parts:
            return None
        return self.result(len(parts), " ".join(parts))


class DateOfBirthUnreadable(FlagCheck):
    id = "date_of_birth_unreadable"
    title = "date of birth could not be used"
    category = "dates"
    severity = WARNING
    flags = ("dob_unreadable", "dob_impossible")

    def message(self, count, prepared):
        return (
            f"{plural(count, 'date of birth')} could not be read, or {'is' if count == 1 else 'are'} "
            "after the date of contact or more than 120 years before it. The rows are stored "
            "without an age band."
        )


class NoContactDateColumn(Check):
    id = "no_contact_date_column"
    title = "no column for the date of contact"
    category = "dates"
    severity = WARNING

    def run(self, prepared):
        if Field.CONTACT_DATE in prepared.columns_of:
            return None
        return self.result(
            1,
            "No column is set as the date of contact, so figures by month and by period "
            "cannot be made. Choose the column that holds the date of each visit or contact.",
        )
