"""Charts for the impact dashboard and report, as accessible inline SVG. No JavaScript.

Every chart has a <title> and <desc>, prints its figures as text beside the bars, and
tells series apart by pattern and by text as well as by colour. Counts arrive already
disclosure-controlled (`disclosure.SafeCount`): a hidden count has no bar, only its
marker ("<5" for fewer than the minimum, "*" for a count hidden to protect one).

Pure code: no Django models, no database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from vcsehub.analytics.disclosure import SafeCount, Status
from vcsehub.analytics.maps import fit_projection, polygons_of, simplify

FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'
INK = "#0b0c0c"
DARK = "#31688e"
LIGHT = "#b4de2c"
GREY = "#d9d9d9"


def _prefix(text: str, default: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text) or default


def _defs(prefix: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{LIGHT}"/>'
        f'<path d="M0,6 L6,0" stroke="{INK}" stroke-width="0.8"/></pattern>'
        f'<pattern id="{prefix}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="{GREY}"/>'
        '<circle cx="2.5" cy="2.5" r="0.9" fill="#555555"/></pattern>'
        "</defs>"
    )


def _open(prefix: str, width: float, height: float, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" class="chart" {FONT}>'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>{_defs(prefix)}'
    )


def _legend_note(counts: Sequence[SafeCount], threshold: int) -> str:
    notes = []
    if any(c.status is Status.SMALL for c in counts):
        notes.append(f"<{threshold}: fewer than {threshold}, not shown")
    if any(c.status is Status.HIDDEN for c in counts):
        notes.append("*: not shown, so a small number cannot be worked out")
    return "; ".join(notes)


# -- people and contacts by month ------------------------------------------------------------


@dataclass(frozen=True)
class MonthBar:
    label: str  # e.g. "Apr 2025"
    people: SafeCount
    contacts: SafeCount


def month_chart_svg(
    *,
    months: Sequence[MonthBar],
    title: str,
    description: str,
    people_label: str = "People",
    id_prefix: str = "months",
    width: int = 680,
    height: int = 300,
    threshold: int = 5,
) -> str:
    """Two bars a month: people (solid) and contacts (hatched), each with its number above."""
    prefix = _prefix(id_prefix, "months")
    left, right, top, bottom = 12, 12, 34, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [c.value or 0 for m in months for c in (m.people, m.contacts)]
    biggest = max([*values, 1])
    slot = plot_w / max(len(months), 1)
    bar_w = slot * 0.38
    label_every = max(1, math.ceil(len(months) / 12))
    font = 13 if len(months) <= 12 else 10
    parts = []
    for i, month in enumerate(months):
        x0 = left + slot * i + slot * 0.1
        for j, (count, fill, name) in enumerate(
            (
                (month.people, DARK, people_label),
                (month.contacts, f"url(#{prefix}-hatch)", "Contacts"),
            )
        ):
            x = x0 + j * bar_w
            value = count.value or 0
            bar_h = plot_h * value / biggest
            y = top + plot_h - bar_h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" '
                f'fill="{fill}" stroke="{INK}" stroke-width="0.5">'
                f"<title>{escape(month.label)}: {escape(name.lower())} {escape(count.display)}</title></rect>"
            )
            if len(months) <= 24:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                    f'font-size="{font - 1}">{escape(count.short)}</text>'
                )
        if i % label_every == 0:
            # "May 2025" on two lines, the year only at the start and in January, so that
            # twelve labels fit side by side without running into each other.
            name, _, year = month.label.partition(" ")
            new_year = i == 0 or name.startswith("Jan") or not year
            label_x = x0 + bar_w
            parts.append(
                f'<text x="{label_x:.1f}" y="{top + plot_h + 15:.1f}" text-anchor="middle" '
                f'font-size="{font}">{escape(name[:3] if year else name)}</text>'
            )
            if new_year and year:
                parts.append(
                    f'<text x="{label_x:.1f}" y="{top + plot_h + 15 + font + 2:.1f}" '
                    f'text-anchor="middle" font-size="{font}">{escape(year)}</text>'
                )
    axis_y = top + plot_h
    note = _legend_note([c for m in months for c in (m.people, m.contacts)], threshold)
    legend = (
        f'<rect x="{left}" y="6" width="14" height="14" fill="{DARK}" stroke="{INK}" stroke-width="0.5"/>'
        f'<text x="{left + 20}" y="17" font-size="12">{escape(people_label)} (left bar)</text>'
        f'<rect x="{left + 190}" y="6" width="14" height="14" fill="url(#{prefix}-hatch)" '
        f'stroke="{INK}" stroke-width="0.5"/>'
        f'<text x="{left + 210}" y="17" font-size="12">Contacts (right bar, striped)</text>'
    )
    return (
        _open(prefix, width, height, title, description)
        + legend
        + f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="{INK}"/>'
        + "".join(parts)
        + (
            f'<text x="{left}" y="{axis_y + 2 * font + 24}" font-size="11">{escape(note)}</text>'
            if note
            else ""
        )
        + "</svg>"
    )


# -- horizontal bars ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # bar length; None draws no bar
    text: str  # printed after the bar
    style: str = "solid"  # "solid", "hatch" or "dots"


def hbar_chart_svg(
    *,
    bars: Sequence[Bar],
    title: str,
    description: str,
    id_prefix: str = "hbars",
    width: int = 520,
    label_width: int = 180,
    maximum: float | None = None,
    note: str = "",
) -> str:
    """One labelled bar per row, its figure printed after it."""
    prefix = _prefix(id_prefix, "hbars")
    row_h, top = 28, 8
    text_room = 110
    plot_w = width - label_width - text_room
    biggest = maximum or max([b.value or 0 for b in bars] + [1])
    height = top + row_h * len(bars) + (24 if note else 8)
    fills = {"solid": DARK, "hatch": f"url(#{prefix}-hatch)", "dots": f"url(#{prefix}-dots)"}
    parts = []
    for i, bar in enumerate(bars):
        y = top + row_h * i
        label = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
        )
        length = plot_w * (bar.value or 0) / biggest if biggest else 0
        if bar.value is not None:
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
                f'fill="{fills.get(bar.style, DARK)}" stroke="{INK}" stroke-width="0.5">'
                f"<title>{escape(bar.label)}: {escape(bar.text)}</title></rect>"
            )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 18}" font-size="13">'
            f"{escape(bar.text)}</text>"
        )
    axis = (
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" '
        f'y2="{top + row_h * len(bars)}" stroke="{INK}"/>'
    )
    tail = (
        f'<text x="0" y="{top + row_h * len(bars) + 18}" font-size="11">{escape(note)}</text>'
        if note
        else ""
    )
    return (
        _open(prefix, width, height, title, description) + axis + "".join(parts) + tail + "</svg>"
    )


def count_bars(rows: Sequence[tuple[str, SafeCount]], *, threshold: int) -> tuple[list[Bar], str]:
    """Bars for counts that may be hidden, and the note explaining the markers."""
    bars = [
        Bar(
            label,
            count.value if count.shown else None,
            count.display if count.shown else count.short,
        )
        for label, count in rows
    ]
    return bars, _legend_note([c for _, c in rows], threshold)


# -- where people live: a ward map ------------------------------------------------------------

COUNT_BANDS = ((5, 9), (10, 24), (25, 49), (50, 99), (100, 249), (250, None))
BAND_COLOURS = ("#fde725", "#b4de2c", "#35b779", "#26828e", "#3e4a89", "#440154")
BAND_TEXT = ("#111111", "#111111", "#111111", "#ffffff", "#ffffff", "#ffffff")


@dataclass(frozen=True)
class WardShape:
    code: str
    name: str
    geometry: dict
    count: SafeCount


def band_of(count: SafeCount, threshold: int) -> int | str:
    """The band index of a shown count, or 'none', 'small' or 'hidden'."""
    if count.status is Status.SMALL:
        return "small"
    if count.status is Status.HIDDEN:
        return "hidden"
    value = count.value or 0
    if value == 0:
        return "none"
    for i, (low, high) in enumerate(COUNT_BANDS):
        if value >= max(low, threshold) and (high is None or value <= high):
            return i
    return 0


def _band_label(i: int, threshold: int) -> str:
    low, high = COUNT_BANDS[i]
    low = max(low, threshold)
    return f"{low:,} or more" if high is None else f"{low:,} to {high:,}"


def ward_map_svg(
    *,
    wards: Sequence[WardShape],
    title: str,
    description: str,
    threshold: int,
    id_prefix: str = "wardmap",
    width: int = 680,
    max_height: int = 520,
) -> str:
    """Wards shaded by how many people live there; hidden counts dotted, with a legend in text."""
    if not wards:
        raise ValueError("There is nothing to draw: no wards were given.")
    prefix = _prefix(id_prefix, "wardmap")
    legend_w, pad = 190, 8
    polygon_sets = [polygons_of(w.geometry) for w in wards]
    map_w = width - legend_w - 2 * pad
    projection, map_h = fit_projection(
        polygon_sets, width=map_w, max_height=max_height, origin=(pad, pad)
    )
    fills = {
        "none": "#ffffff",
        "small": f"url(#{prefix}-dots)",
        "hidden": f"url(#{prefix}-hatch-grey)",
    }
    paths = []
    used: set = set()
    for ward, polys in zip(wards, polygon_sets, strict=True):
        band = band_of(ward.count, threshold)
        used.add(band)
        fill = BAND_COLOURS[band] if isinstance(band, int) else fills[band]
        rings = [simplify(projection.ring(ring), 0.6) for poly in polys for ring in poly]
        d = "".join("M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z" for ring in rings)
        paths.append(
            f'<path d="{d}" fill="{fill}"><title>{escape(ward.name)} ({escape(ward.code)}): '
            f"{escape(ward.count.display)} people</title></path>"
        )
    legend = [f'<g transform="translate({map_w + 2 * pad + 4:.0f},{pad})">']
    legend.append('<text x="0" y="12" font-size="12" font-weight="bold">People in the ward</text>')
    y = 24
    entries: list[tuple[int | str, str]] = [
        (i, _band_label(i, threshold)) for i in range(len(COUNT_BANDS)) if i in used
    ]
    if "small" in used:
        entries.append(("small", f"fewer than {threshold}"))
    if "hidden" in used:
        entries.append(("hidden", "not shown (protects a small number)"))
    if "none" in used:
        entries.append(("none", "none"))
    for band, label in entries:
        fill = BAND_COLOURS[band] if isinstance(band, int) else fills[band]
        legend.append(
            f'<rect x="0" y="{y}" width="22" height="14" fill="{fill}" stroke="{INK}" stroke-width="0.5"/>'
            f'<text x="30" y="{y + 11}" font-size="11">{escape(label)}</text>'
        )
        y += 19
    legend.append("</g>")
    height = max(map_h + 2 * pad, y + pad)
    extra_defs = (
        f'<defs><pattern id="{prefix}-hatch-grey" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{GREY}"/>'
        f'<path d="M0,0 L6,6" stroke="{INK}" stroke-width="0.8"/></pattern></defs>'
    )
    return (
        _open(prefix, width, height, title, description)
        + extra_defs
        + f'<g stroke="{INK}" stroke-width="0.4" stroke-linejoin="round" fill-rule="evenodd">'
        + "".join(paths)
        + "</g>"
        + "".join(legend)
        + "</svg>"
    )
