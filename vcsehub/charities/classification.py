"""Income bands, register categories and org-ids: small pure functions the importers share.

Income bands are the size bands of the NCVO UK Civil Society Almanac, used across the
sector: micro (under £10,000), small (£10,000 to under £100,000), medium (£100,000 to
under £1 million), large (£1 million to under £10 million), major (£10 million to under
£100 million), super-major (£100 million or more). A charity with no income figure has
no band ("no income data"): missing is not zero.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class IncomeBand:
    code: str
    label: str
    lower: Decimal  # inclusive
    upper: Decimal | None  # exclusive; None = no upper limit


INCOME_BANDS: tuple[IncomeBand, ...] = (
    IncomeBand("micro", "Under £10,000", Decimal(0), Decimal(10_000)),
    IncomeBand("small", "£10,000 to £99,999", Decimal(10_000), Decimal(100_000)),
    IncomeBand("medium", "£100,000 to £999,999", Decimal(100_000), Decimal(1_000_000)),
    IncomeBand("large", "£1 million to £9.9 million", Decimal(1_000_000), Decimal(10_000_000)),
    IncomeBand("major", "£10 million to £99.9 million", Decimal(10_000_000), Decimal(100_000_000)),
    IncomeBand("supermajor", "£100 million or more", Decimal(100_000_000), None),
)
INCOME_BAND_NONE = ""
INCOME_BAND_NONE_LABEL = "No income data"
INCOME_BAND_LABELS = {band.code: band.label for band in INCOME_BANDS} | {
    INCOME_BAND_NONE: INCOME_BAND_NONE_LABEL
}
INCOME_BANDS_SOURCE = "NCVO UK Civil Society Almanac size bands"


def income_band(income: Decimal | None) -> str:
    """The band code for an income; "" when there is no figure. Negative income counts as micro."""
    if income is None:
        return INCOME_BAND_NONE
    for band in INCOME_BANDS:
        if band.upper is None or income < band.upper:
            return band.code
    return INCOME_BANDS[-1].code


# -- org-ids -----------------------------------------------------------------------------

_DIGITS = re.compile(r"^\d+$")


def org_id_ccew(registered_number: int | str) -> str:
    return f"GB-CHC-{int(registered_number)}"


def org_id_oscr(charity_number: str) -> str:
    """GB-SC-SC003558: OSCR numbers keep their SC letters."""
    return f"GB-SC-{charity_number.strip().upper()}"


def org_id_ccni(registered_number: int | str) -> str:
    return f"GB-NIC-{int(registered_number)}"


def company_number_normalise(text: str | None, *, default_prefix: str = "") -> str:
    """Companies House number: 8 characters, zero-padded ("1234" → "00001234", "SC1234" →
    "SC001234"). "" for blank, "0" and values that are not a company number."""
    value = re.sub(r"\s+", "", text or "").upper()
    if not value or set(value) == {"0"}:
        return ""
    match = re.fullmatch(r"([A-Z]{2})?(\d{1,8})", value)
    if match is None:
        return ""
    prefix = match.group(1) or default_prefix
    digits = match.group(2)
    return f"{prefix}{digits.zfill(8 - len(prefix))}" if len(prefix) + len(digits) <= 8 else ""


# -- search text ---------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_SPACES = re.compile(r"\s+")


def search_fold(text: str) -> str:
    """Lower case, accents removed, apostrophes dropped ("St John’s" → "st johns")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _APOSTROPHES.sub("", plain)).strip().lower()


def search_words(text: str) -> list[str]:
    """The words of a search query, folded: letters and digits only, nothing else survives."""
    return re.findall(r"[^\W_]+", search_fold(text))


# -- CCNI categories -------------------------------------------------------------------------
# The CCNI register's fixed category lists ("What the charity does" are the charitable
# purposes of the Charities Act (Northern Ireland) 2008, s.2). The export joins a charity's
# items with commas, and some items contain commas, so the importer matches these known
# items instead of splitting on commas.

CCNI_WHAT = (
    "The prevention or relief of poverty",
    "The advancement of education",
    "The advancement of religion",
    "The advancement of health or the saving of lives",
    "The advancement of citizenship or community development",
    "The advancement of the arts, culture, heritage or science",
    "The advancement of amateur sport",
    "The advancement of human rights, conflict resolution or reconciliation or the promotion of  religious or racial harmony or equality and diversity",
    "The advancement of environmental protection or improvement",
    "The relief of those in need by reason of youth, age, ill-health, disability, financial hardship or other disadvantage",
    "The advancement of animal welfare",
    "Other charitable purposes",
)
CCNI_WHO = (
    "Addictions (drug/solvent/alcohol abuse)",
    "Adult training",
    "Asylum seekers/refugees",
    "Carers",
    "Children (5-13 year olds)",
    "Community safety/crime prevention",
    "Ethnic minorities",
    "Ex-offenders and prisoners",
    "General public",
    "Hiv/aids",
    "Homelessness",
    "Interface communities",
    "Language community",
    "Learning disabilities",
    "Men",
    "Mental health",
    "Older people",
    "Overseas/developing countries",
    "Parents",
    "Physical disabilities",
    "Preschool (0-5 year olds)",
    "Sensory disabilities",
    "Sexual orientation",
    "Specific areas of deprivation",
    "Tenants",
    "Travellers",
    "Unemployed/low income",
    "Victim support",
    "Voluntary and community sector",
    "Volunteers",
    "Women",
    "Youth (14-25 year olds)",
)
CCNI_HOW = (
    "Accommodation/housing",
    "Advice/advocacy/information",
    "Animal welfare",
    "Arts",
    "Community development",
    "Community enterprise",
    "Community transport",
    "Counselling/support",
    "Criminal justice",
    "Cross-border/cross-community",
    "Cultural",
    "Disability",
    "Economic development",
    "Education/training",
    "Environment/sustainable development/conservation",
    "Gender",
    "General charitable purposes",
    "Grant making",
    "Heritage/historical",
    "Human rights/equality",
    "Medical/health/sickness",
    "Overseas aid/famine relief",
    "Playgroup/after schools",
    "Relief of poverty",
    "Religious activities",
    "Research/evaluation",
    "Rural development",
    "Search and rescue",
    "Sport/recreation",
    "Urban development",
    "Volunteer development",
    "Welfare/benevolent",
    "Youth development",
)
CCNI_CATEGORIES = {"what": CCNI_WHAT, "who": CCNI_WHO, "how": CCNI_HOW}


def _squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def ccni_code(kind: str, label: str) -> str:
    """A stable code for a CCNI category: NI-WHAT-01 … (position in the list, 1-based)."""
    wanted = _squeeze(label)
    for position, item in enumerate(CCNI_CATEGORIES[kind], start=1):
        if _squeeze(item) == wanted:
            return f"NI-{kind.upper()}-{position:02d}"
    return ""


def ccni_split(kind: str, text: str) -> tuple[list[str], list[str]]:
    """Split a CCNI comma-joined category list into known items.

    Returns (items, unknown): items are the known labels found, in order; unknown are
    pieces that match no known item (cut where a comma is followed by a capital letter).
    """
    remaining = (text or "").strip()
    items: list[str] = []
    unknown: list[str] = []
    while remaining:
        for item, pattern in _CCNI_PATTERNS[kind]:
            match = pattern.match(remaining)
            if match:
                items.append(item)
                remaining = remaining[match.end() :].strip()
                break
        else:
            match = re.search(r",(?=\s*[A-Z])", remaining)
            piece = remaining if match is None else remaining[: match.start()]
            remaining = "" if match is None else remaining[match.end() :].strip()
            if piece.strip():
                unknown.append(piece.strip())
    return items, unknown


def _item_pattern(item: str) -> re.Pattern:
    words = r"\s+".join(re.escape(word) for word in item.split())
    return re.compile(rf"{words}\s*(?:,|$)", re.IGNORECASE)


# Longest first, so an item that begins another is not taken by mistake.
_CCNI_PATTERNS = {
    kind: [(item, _item_pattern(item)) for item in sorted(items, key=len, reverse=True)]
    for kind, items in CCNI_CATEGORIES.items()
}


# -- OSCR lists ---------------------------------------------------------------------------


def oscr_split(text: str) -> list[str]:
    """OSCR purposes/beneficiaries/activities: comma-separated items, each in single quotes.

    "'The advancement of education','Children/young people'" → two items. Unquoted text is
    split on commas. "-" and "-, -" mean empty.
    """
    value = (text or "").strip()
    if value in {"", "-", "-, -"}:
        return []
    if len(value) > 1 and value[0] == "'" and value[-1] == "'":
        parts = re.split(r"'\s*,\s*'", value[1:-1])
    else:
        parts = value.split(",")
    return [part.strip() for part in parts if part.strip()]


def oscr_code(kind: str, label: str) -> str:
    """OSCR lists have no codes: a stable code made from the label's words."""
    words = re.findall(r"[a-z0-9]+", search_fold(label))
    return (f"SC-{kind.upper()}-" + "-".join(words))[:80]
