"""Choropleth maps as accessible inline SVG, from GeoJSON geometries. No JavaScript.

Projection: equirectangular, with longitude scaled by cos(mean latitude) so shapes in
England are not stretched sideways; then fitted to the SVG viewBox. Good for a city or a
county, not for a continent.

Each area is one <path> with a <title> (name, code, decile) so pointing at it names it.
Fill comes from the colour-blind-safe palette in `palette.py`; deciles 1 and 2 and "no
data" also carry a pattern, the decile number is printed inside areas big enough to hold
it, and the legend names every class in text — the map does not rely on colour alone.
The page must still show the same figures as a table (a map is not an accessible table).

Pure code: no Django models, no database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from vcsehub.analytics.palette import (
    DECILE_COLOURS,
    decile_fill,
    decile_text_colour,
    pattern_defs,
)

Point = tuple[float, float]
Ring = list[Point]

LEGEND_WIDTH = 200
PADDING = 8
MIN_LABEL_WIDTH = 14.0  # px of horizontal room inside an area before its decile number is printed
MIN_LABEL_HEIGHT = 11.0


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    geometry: dict  # GeoJSON Polygon or MultiPolygon, WGS84 lon/lat
    decile: int | None


def polygons_of(geometry: dict) -> list[list[Ring]]:
    """A GeoJSON Polygon or MultiPolygon as a list of polygons, each a list of rings."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        polys = [coords]
    elif kind == "MultiPolygon":
        polys = coords
    else:
        raise ValueError(f"Cannot draw a {kind!r} geometry; only Polygon and MultiPolygon.")
    return [[[(p[0], p[1]) for p in ring] for ring in poly] for poly in polys]


@dataclass(frozen=True)
class Projection:
    """lon/lat → SVG x/y: equirectangular scaled by cos(mean latitude), fitted to a box."""

    min_lon: float
    max_lat: float
    kx: float  # cos(mean latitude)
    scale: float
    offset_x: float
    offset_y: float

    def __call__(self, lon: float, lat: float) -> Point:
        x = (lon - self.min_lon) * self.kx * self.scale + self.offset_x
        y = (self.max_lat - lat) * self.scale + self.offset_y
        return x, y

    def ring(self, ring: Ring) -> Ring:
        """Project a whole ring (the hot loop of a map: locals only)."""
        sx, sy = self.kx * self.scale, self.scale
        x0 = self.offset_x - self.min_lon * sx
        y0 = self.offset_y + self.max_lat * sy
        return [(x0 + lon * sx, y0 - lat * sy) for lon, lat in ring]


def fit_projection(
    polygon_sets: Sequence[list[list[Ring]]],
    *,
    width: float,
    max_height: float,
    origin: Point = (0.0, 0.0),
) -> tuple[Projection, float]:
    """The projection fitting every point into `width` × at most `max_height`, and the height used."""
    lons = [p[0] for polys in polygon_sets for poly in polys for ring in poly for p in ring]
    lats = [p[1] for polys in polygon_sets for poly in polys for ring in poly for p in ring]
    if not lons:
        raise ValueError("There is nothing to draw: no area has any coordinates.")
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * kx, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = min(width / span_x, max_height / span_y)
    used_w, used_h = span_x * scale, span_y * scale
    projection = Projection(
        min_lon=min_lon,
        max_lat=max_lat,
        kx=kx,
        scale=scale,
        offset_x=origin[0] + (width - used_w) / 2,
        offset_y=origin[1],
    )
    return projection, used_h


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Drop points closer than `tolerance` (px) to the last kept point; keep the first and last."""
    if len(ring) <= 4:
        return ring
    kept = [ring[0]]
    tol2 = tolerance * tolerance
    for point in ring[1:-1]:
        last = kept[-1]
        if (point[0] - last[0]) ** 2 + (point[1] - last[1]) ** 2 >= tol2:
            kept.append(point)
    kept.append(ring[-1])
    return kept if len(kept) >= 4 else ring


def ring_area(ring: Ring) -> float:
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def label_point(poly: list[Ring]) -> tuple[Point, float, float] | None:
    """A point inside the polygon's outer ring for its label, with the room around it.

    Takes the horizontal line through the ring's centroid height and returns the middle of
    the widest stretch of that line lying inside the ring (odd-even rule), so the point is
    inside even for C-shaped areas. Returns (point, width of the stretch, ring height).
    """
    outer = poly[0]
    ys = [p[1] for p in outer]
    height = max(ys) - min(ys)
    area = ring_area(outer)
    if abs(area) < 1e-9:
        return None
    cy = sum(
        (y1 + y2) * (x1 * y2 - x2 * y1)
        for (x1, y1), (x2, y2) in zip(outer, outer[1:] + outer[:1], strict=True)
    ) / (6 * area)
    crossings = []
    for (x1, y1), (x2, y2) in zip(outer, outer[1:] + outer[:1], strict=True):
        if (y1 <= cy < y2) or (y2 <= cy < y1):
            crossings.append(x1 + (cy - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    best = None
    for left, right in zip(crossings[::2], crossings[1::2], strict=False):
        if best is None or right - left > best[1] - best[0]:
            best = (left, right)
    if best is None:
        return None
    return ((best[0] + best[1]) / 2, cy), best[1] - best[0], height


def _path_data(rings: list[Ring]) -> str:
    parts = []
    for ring in rings:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
        parts.append(f"M{coords}Z")
    return "".join(parts)


def _legend(
    prefix: str, counts: dict[int | None, int] | None, x: float, title: str
) -> tuple[str, float]:
    lines = [f'<g class="legend" transform="translate({x:.0f},{PADDING})">']
    y = 12
    for i, part in enumerate(title.split("\n")):
        weight = ' font-weight="bold"' if i == 0 else ""
        lines.append(f'<text x="0" y="{y}" font-size="12"{weight}>{escape(part)}</text>')
        y += 15
    y += 4
    entries: list[tuple[int | None, str]] = [(d, str(d)) for d in range(1, 11)] + [
        (None, "No data")
    ]
    entries[0] = (1, "1 most deprived 10%")
    entries[9] = (10, "10 least deprived 10%")
    for decile, label in entries:
        count = counts.get(decile, 0) if counts is not None else None
        if decile is None and not count:
            continue
        text = label if count is None else f"{label} ({count:,})"
        lines.append(
            f'<rect x="0" y="{y}" width="22" height="14" fill="{decile_fill(prefix, decile)}" '
            'stroke="#333333" stroke-width="0.5"/>'
        )
        if decile is not None:
            lines.append(
                f'<text x="11" y="{y + 11}" font-size="9" text-anchor="middle" '
                f'fill="{decile_text_colour(decile)}" stroke="{DECILE_COLOURS[decile]}" '
                f'stroke-width="2" paint-order="stroke">{decile}</text>'
            )
        lines.append(f'<text x="30" y="{y + 11}" font-size="12">{escape(text)}</text>')
        y += 19
    lines.append("</g>")
    return "".join(lines), y + PADDING


def _label_size(count: int) -> int:
    """Decile numbers: small on a city of hundreds of areas, larger on a ward of a dozen."""
    if count > 200:
        return 8
    if count > 50:
        return 10
    return 12


def choropleth_svg(
    *,
    areas: Sequence[MapArea],
    title: str,
    description: str,
    id_prefix: str = "map",
    width: int = 820,
    max_height: int = 620,
    legend_title: str = "IMD decile\n(number of areas)",
    show_counts: bool = True,
    labels: bool = True,
    standalone: bool = False,
) -> str:
    """Render the areas as an SVG choropleth of deciles; returns the SVG markup as a string.

    Every piece of text (names, codes, titles) is escaped. `id_prefix` keeps pattern and
    title ids unique when several maps sit on one page.
    """
    if not areas:
        raise ValueError("There is nothing to draw: no areas were given.")
    prefix = "".join(c if c.isalnum() or c in "-_" else "-" for c in id_prefix) or "map"
    polygon_sets = [polygons_of(a.geometry) for a in areas]
    map_width = width - LEGEND_WIDTH - 2 * PADDING
    projection, map_height = fit_projection(
        polygon_sets, width=map_width, max_height=max_height, origin=(PADDING, PADDING)
    )
    tolerance = 0.6

    paths: list[str] = []
    texts: list[str] = []
    counts: dict[int | None, int] = {}
    for area, polys in zip(areas, polygon_sets, strict=True):
        counts[area.decile] = counts.get(area.decile, 0) + 1
        projected: list[list[Ring]] = []
        for poly in polys:
            projected.append([simplify(projection.ring(ring), tolerance) for ring in poly])
        rings_flat = [ring for poly in projected for ring in poly]
        decile_text = f"decile {area.decile}" if area.decile is not None else "no data"
        tooltip = f"{area.name} ({area.code}): {decile_text}"
        paths.append(
            f'<path d="{_path_data(rings_flat)}" fill="{decile_fill(prefix, area.decile)}">'
            f"<title>{escape(tooltip)}</title></path>"
        )
        if labels and area.decile is not None:
            biggest = max(projected, key=lambda poly: abs(ring_area(poly[0])))
            spot = label_point(biggest)
            if spot and spot[1] >= MIN_LABEL_WIDTH and spot[2] >= MIN_LABEL_HEIGHT:
                (lx, ly), _, _ = spot
                texts.append(
                    f'<text x="{lx:.1f}" y="{ly + 3:.1f}" fill="{decile_text_colour(area.decile)}" '
                    f'stroke="{DECILE_COLOURS[area.decile]}">{area.decile}</text>'
                )

    legend_x = map_width + 2 * PADDING + 6
    legend, legend_height = _legend(prefix, counts if show_counts else None, legend_x, legend_title)
    height = max(map_height + 2 * PADDING, legend_height)
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    size = f' width="{width}" height="{height:.0f}"' if standalone else ""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return (
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}"{size} '
        f'role="img" aria-labelledby="{title_id} {desc_id}" class="map" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(description)}</desc>'
        f"{pattern_defs(prefix)}"
        '<g class="areas" stroke="#333333" stroke-width="0.35" stroke-linejoin="round" fill-rule="evenodd">'
        f"{''.join(paths)}</g>"
        f'<g class="labels" font-size="{_label_size(len(areas))}" text-anchor="middle" pointer-events="none" '
        'stroke-width="2.4" paint-order="stroke" stroke-linejoin="round">'
        f"{''.join(texts)}</g>"
        f"{legend}</svg>"
    )
