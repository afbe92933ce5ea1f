"""Postcodes: not valid, withdrawn, not found in the directories loaded, or blank."""

from __future__ import annotations

from vcsehub.impact.checks.base import INFO, WARNING, FlagCheck, plural


class PostcodeInvalid(FlagCheck):
    id = "postcode_invalid"
    title = "postcode not valid"
    category = "postcodes"
    severity = WARNING
    flags = ("postcode_invalid",)

    def message(self, count, prepared):
        reasons = prepared.tally.invalid_reasons
        if len(reasons) == 1:
            why = f"Why: {next(iter(reasons))}"
        else:
            why = " ".join(
                f"{plural(n, 'postcode', 'postcodes')}: {reason}"
                for reason, n in reasons.most_common()
            )
        return (
            f"{plural(count, 'postcode is', 'postcodes are')} not valid UK postcodes, so "
            f"{'that row has' if count == 1 else 'those rows have'} no area. {why}"
        )


class PostcodeTerminated(FlagCheck):
    id = "postcode_terminated"
    title = "postcode withdrawn"
    category = "postcodes"
    severity = WARNING
    flags = ("postcode_terminated",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'postcode has', 'postcodes have')} been withdrawn by Royal Mail and "
            f"{'is' if count == 1 else 'are'} no longer used, so {'that row has' if count == 1 else 'those rows have'} "
            "no area. Ask for the person's current postcode if you can."
        )


class PostcodeNotFound(FlagCheck):
    id = "postcode_not_found"
    title = "postcode not found"
    category = "postcodes"
    severity = WARNING
    flags = ("postcode_not_found",)

    def message(self, count, prepared):
        return (
            f"{plural(count, 'postcode is', 'postcodes are')} valid but not in the postcode "
            f"directories loaded here, so {'that row has' if count == 1 else 'those rows have'} no area. "
            "They may be very new, or outside the areas loaded."
        )


class PostcodeMissing(FlagCheck):
    id = "postcode_missing"
    title = "no postcode"
    category = "postcodes"
    severity = INFO
    flags = ("postcode_missing",)

    def message(self, count, prepared):
        return f"{plural(count, 'row has', 'rows have')} no postcode, so no area."
