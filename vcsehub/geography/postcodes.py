"""UK postcodes: normalise what people type, and check it has the shape of a postcode.

`postcode_normalise("b11aa")` → `"B1 1AA"`: upper case, spaces removed, then one space
before the last three characters (the inward code). `postcode_check()` says whether the
result has the format of a UK postcode and, if not, why in plain words.

What counts as valid: the Royal Mail format rules (outward code A9, A99, AA9, AA99,
A9A or AA9A; inward code 9AA; the letters Royal Mail never uses in each position are
refused), plus the special postcode GIR 0AA. BFPO numbers (British Forces Post Office,
"BFPO 123") are not places, so they are refused with their own reason; overseas
territory codes such as ASCN 1ZZ are not in the ONS directory and are refused as not
UK postcodes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Letters allowed in each position (Royal Mail's rules):
# 1st: not Q V X; 2nd: not I J Z; 3rd (A9A): A-H J K P S-U W; 4th (AA9A): A B E H M N P R V-Y;
# inward letters: not C I K M O V.
_FORMAT = (
    r"(?:GIR 0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" [0-9][ABD-HJLNP-UW-Z]{2})"
)
_POSTCODE = re.compile(f"^{_FORMAT}$")
# Well-formed postcodes, one a line, and nothing else: checks a whole batch in one call.
_POSTCODE_LINES = re.compile(f"{_FORMAT}(?:\n{_FORMAT})*")
_BFPO = re.compile(r"^BFPO ?[0-9]{1,4}$")
_SPACES = re.compile(r"\s+")


def postcode_normalise(text: str | None) -> str:
    """Upper case, no extra spaces, one space before the inward code. "" for blank input.

    Works on anything typed: "b11aa", " B1  1AA ", "B1\t1AA" all give "B1 1AA". Text too
    short to hold an inward code is returned upper-cased and squeezed, unchanged otherwise,
    so that `postcode_check` can say what is wrong with it.
    """
    if not text:
        return ""
    squeezed = _SPACES.sub("", text).upper()
    if squeezed.startswith("BFPO"):
        return f"BFPO {squeezed[4:]}" if len(squeezed) > 4 else squeezed
    if len(squeezed) < 5:
        return squeezed
    return f"{squeezed[:-3]} {squeezed[-3:]}"


def postcode_well_formed(text: str) -> str | None:
    """`text` upper-cased if it already is a valid postcode written with its one space.

    The usual case in files and forms ("B1 1AA", "tf1 1aa"), answered without the regex
    substitution of `postcode_normalise`: batch lookups check this first and fall back
    to `postcode_check` when it gives None. Never a different answer from postcode_check.
    """
    if text.isascii():
        upper = text.upper()
        if _POSTCODE.fullmatch(upper):
            return upper
    return None


def postcodes_well_formed(texts: Sequence[str]) -> list[str] | None:
    """Every text upper-cased, when every one is a str that `postcode_well_formed` accepts;
    otherwise None (then check them one by one). One regex call for the whole batch."""
    try:
        joined = "\n".join(texts)
    except TypeError:  # something that is not text
        return None
    if not joined.isascii():
        return None
    upper = joined.upper()
    if _POSTCODE_LINES.fullmatch(upper) is None:
        return None
    lines = upper.split("\n")
    return lines if len(lines) == len(texts) else None  # a text with a line break in it


def postcode_is_valid(normalised: str) -> bool:
    """True when an already-normalised postcode has the format of a UK postcode."""
    return _POSTCODE.match(normalised) is not None


@dataclass(slots=True)
class PostcodeCheck:
    input: str
    postcode: str  # normalised form ("" when the input was blank)
    valid: bool
    reason: str  # plain words; "" when valid


def postcode_check(text: str | None) -> PostcodeCheck:
    """Normalise `text` and say whether it is a valid UK postcode, and if not, why."""
    raw = text if text is not None else ""
    if raw.__class__ is str and (quick := postcode_well_formed(raw)) is not None:
        return PostcodeCheck(raw, quick, True, "")
    normalised = postcode_normalise(raw)
    if not normalised:
        return PostcodeCheck(raw, "", False, "No postcode was given.")
    if _POSTCODE.match(normalised):
        return PostcodeCheck(raw, normalised, True, "")
    if _BFPO.match(normalised):
        return PostcodeCheck(
            raw,
            normalised,
            False,
            "This is a British Forces Post Office number, not a place, so it has no area.",
        )
    if len(normalised.replace(" ", "")) < 5:
        why = "It is too short to be a full postcode, for example B1 1AA."
    elif len(normalised.replace(" ", "")) > 7:
        why = "It is too long to be a postcode, for example B1 1AA."
    else:
        why = "It does not have the format of a UK postcode, for example B1 1AA."
    return PostcodeCheck(raw, normalised, False, f"Not a valid postcode. {why}")
