"""Single values: outcome scores, ages, numbers of people, references, personal values, long text."""

from __future__ import annotations

from vcsehub.impact.checks.base import WARNING, FlagCheck, plural


class OutcomeOutOfScale(FlagCheck):
    id = "outcome_out_of_scale"
    title = "score outside the scale"
    category = "outcomes"
    severity = WARNING
    flags = ("outcome_out_of_scale",)

    def message(self, count, prepared):
        scale = ""
        if prepared.scale:
            low, high = (f"{n.normalize():f}" for n in prepared.scale)
            scale = f" of {low} to {high}"
        return (
            f"{plural(count, 'outcome score is', 'outcome scores are')} outside the scale{scale}, "
            f"so {'it is' if count == 1 else 'they are'} left out. Check for typing mistakes, "
            "or set the scale on the column choices page."
        )


class OutcomeNotNumber(FlagCheck):
    id = "outcome_not_number"
    title = "score is not a number"
    category = "outcomes"
    severity = WARNING
    flags = ("outcome_not_number",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'outcome score is', 'outcome scores are')} not a number, so "
            f"{'it is' if count == 1 else 'they are'} left out."
        )


class AgeUnreadable(FlagCheck):
    id = "age_unreadable"
    title = "age could not be used"
    category = "people"
    severity = WARNING
    flags = ("age_unreadable",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'age is', 'ages are')} not a number from 0 to 120, so "
            f"{'it is' if count == 1 else 'they are'} left out."
        )


class PeopleCountUnreadable(FlagCheck):
    id = "people_unreadable"
    title = "number of people could not be used"
    category = "people"
    severity = WARNING
    flags = ("people_unreadable",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'number of people is', 'numbers of people are')} not a whole number "
            f"from 0 to 1,000, so {'it is' if count == 1 else 'they are'} left out."
        )


class PersonRefMissing(FlagCheck):
    id = "person_ref_missing"
    title = "no person reference"
    category = "people"
    severity = WARNING
    flags = ("person_ref_missing",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'row has', 'rows have')} no person or case reference. They count "
            "as contacts, but not towards the number of people reached."
        )


class PersonalValues(FlagCheck):
    id = "personal_values"
    title = "personal details removed"
    category = "privacy"
    severity = WARNING
    flags = ("personal_value",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'value looks', 'values look')} like an email address, phone number "
            f"or national insurance number, so {'it is' if count == 1 else 'they are'} not stored."
        )


class TextTooLong(FlagCheck):
    id = "text_too_long"
    title = "text too long"
    category = "privacy"
    severity = WARNING
    flags = ("text_too_long",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'value is', 'values are')} too long for a category and may be free "
            f"text, so {'it is' if count == 1 else 'they are'} not stored."
        )
