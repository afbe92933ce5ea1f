"""Small charts as accessible inline SVG with text on every bar. No JavaScript.

Pure code: no Django models, no database.
"""

from __future__ import annotations

from html import escape

from vcsehub.analytics.palette import decile_fill, pattern_defs

DECILES = range(1, 11)


def decile_bar_chart_svg(
    *,
    counts: dict[int, int],
    title: str,
    description: str,
    id_prefix: str = "bars",
    what: str = "small areas",
    width: int = 640,
    height: int = 300,
) -> str:
    """Vertical bars, one per decile 1–10, each with its count printed above it.

    Bars use the decile palette (with patterns for deciles 1 and 2); the axis names each
    decile, so the chart reads without colour. The page shows the same counts as a table.
    """
    prefix = "".join(c if c.isalnum() or c in "-_" else "-" for c in id_prefix) or "bars"
    left, right, top, bottom = 40, 12, 24, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max([counts.get(d, 0) for d in DECILES] + [1])
    slot = plot_w / 10
    bar_w = slot * 0.72
    parts = []
    for d in DECILES:
        value = counts.get(d, 0)
        bar_h = plot_h * value / biggest
        x = left + slot * (d - 1) + (slot - bar_w) / 2
        y = top + plot_h - bar_h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" '
            f'fill="{decile_fill(prefix, d)}" stroke="#333333" stroke-width="0.5">'
            f"<title>Decile {d}: {value:,} {escape(what)}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="12">{value:,}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16:.1f}" text-anchor="middle" '
            f'font-size="12">{d}</text>'
        )
    axis_y = top + plot_h
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="chart" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
        f"{pattern_defs(prefix)}"
        f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#333333"/>'
        f"{''.join(parts)}"
        f'<text x="{left}" y="{axis_y + 34}" font-size="12">Decile: 1 = most deprived 10%, '
        "10 = least deprived 10%</text>"
        f'<text x="{left}" y="{axis_y + 50}" font-size="12">Bar height: number of {escape(what)}</text>'
        "</svg>"
    )
