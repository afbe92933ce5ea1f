"""Colours and patterns for deprivation deciles, shared by maps and charts.

Colours: the 10-step viridis scale (dark = decile 1, most deprived; yellow = decile 10),
which stays in order for the common forms of colour blindness and in greyscale.
Colour is never the only cue: deciles 1 and 2 also carry a hatch pattern, charts and
legends label every decile in text, and maps print the decile number where it fits.

Pure code: no Django models, no database.
"""

from __future__ import annotations

from html import escape

DECILE_COLOURS = {
    1: "#440154",
    2: "#482878",
    3: "#3e4a89",
    4: "#31688e",
    5: "#26828e",
    6: "#1f9e89",
    7: "#35b779",
    8: "#6dcd59",
    9: "#b4de2c",
    10: "#fde725",
}
NO_DATA_COLOUR = "#d9d9d9"
# Text drawn on each fill: white on the dark half, near-black on the light half (≥ 4.5:1).
DECILE_TEXT = {d: ("#ffffff" if d <= 5 else "#111111") for d in DECILE_COLOURS}
NO_DATA_TEXT = "#111111"


def pattern_id(prefix: str, decile: int | None) -> str:
    return f"{prefix}-d{decile if decile is not None else 'none'}"


def pattern_defs(prefix: str) -> str:
    """<defs> with one pattern per decile that needs more than colour, plus 'no data' dots."""
    hatch = (
        f'<pattern id="{escape(pattern_id(prefix, 1))}" width="6" height="6" '
        'patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{DECILE_COLOURS[1]}"/>'
        '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#ffffff" stroke-width="0.9" stroke-opacity="0.8"/>'
        "</pattern>"
        f'<pattern id="{escape(pattern_id(prefix, 2))}" width="6" height="6" '
        'patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{DECILE_COLOURS[2]}"/>'
        '<path d="M0,6 L6,0" stroke="#ffffff" stroke-width="0.9" stroke-opacity="0.8"/>'
        "</pattern>"
        f'<pattern id="{escape(pattern_id(prefix, None))}" width="5" height="5" '
        'patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="{NO_DATA_COLOUR}"/>'
        '<circle cx="2.5" cy="2.5" r="0.9" fill="#555555"/>'
        "</pattern>"
    )
    return f"<defs>{hatch}</defs>"


def decile_fill(prefix: str, decile: int | None) -> str:
    """The fill attribute value for a decile: a pattern for 1, 2 and no data, else a colour."""
    if decile is None or decile in (1, 2):
        return f"url(#{pattern_id(prefix, decile)})"
    return DECILE_COLOURS[decile]


def decile_text_colour(decile: int | None) -> str:
    return NO_DATA_TEXT if decile is None else DECILE_TEXT[decile]
