"""Make boundary polygons light enough for web maps, without breaking them.

Each ring is simplified on its own with Douglas–Peucker (tolerance in degrees), then
coordinates are rounded (5 decimals ≈ 1 m). A ring always stays closed and keeps at
least four points; a ring that would collapse keeps its rounded original points instead.
Holes and every part of a MultiPolygon are kept. No extra libraries.
"""

from __future__ import annotations

from typing import Any

DEFAULT_TOLERANCE = 0.00005  # degrees: about 5 m north–south
DEFAULT_DECIMALS = 5


def _perpendicular_sq(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return (x - x1) ** 2 + (y - y1) ** 2
    t = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    px, py = x1 + t * dx, y1 + t * dy
    return (x - px) ** 2 + (y - py) ** 2


def douglas_peucker(points: list, tolerance: float) -> list:
    """Simplify an open line; first and last points are kept. Iterative (no recursion limit)."""
    if len(points) < 3:
        return list(points)
    tolerance_sq = tolerance * tolerance
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        worst, index = 0.0, -1
        a, b = points[start], points[end]
        for i in range(start + 1, end):
            d = _perpendicular_sq(points[i], a, b)
            if d > worst:
                worst, index = d, i
        if index != -1 and worst > tolerance_sq:
            keep[index] = True
            stack.append((start, index))
            stack.append((index, end))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _round_ring(ring: list, decimals: int) -> list:
    out: list = []
    for point in ring:
        rounded = [round(point[0], decimals), round(point[1], decimals)]
        if not out or out[-1] != rounded:
            out.append(rounded)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def simplify_ring(ring: list, tolerance: float, decimals: int) -> list:
    """A closed ring stays closed with ≥ 4 points (3 corners + the closing point)."""
    if len(ring) < 4:
        return _round_ring(ring, decimals)
    # Split the closed ring at its far point so both halves are open lines.
    first = ring[0]
    far = max(
        range(len(ring)), key=lambda i: (ring[i][0] - first[0]) ** 2 + (ring[i][1] - first[1]) ** 2
    )
    if far in (0, len(ring) - 1):
        simplified = douglas_peucker(ring, tolerance)
    else:
        simplified = douglas_peucker(ring[: far + 1], tolerance)[:-1] + douglas_peucker(
            ring[far:], tolerance
        )
    result = _round_ring(simplified, decimals)
    if len(result) < 4:
        result = _round_ring(ring, decimals)
    return result


def simplify_geometry(
    geometry: dict[str, Any],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    decimals: int = DEFAULT_DECIMALS,
) -> dict[str, Any]:
    """A simplified copy of a GeoJSON Polygon or MultiPolygon geometry."""
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = [simplify_ring(r, tolerance, decimals) for r in geometry["coordinates"]]
        return {"type": "Polygon", "coordinates": [r for r in rings if len(r) >= 4]}
    if kind == "MultiPolygon":
        polygons = []
        for polygon in geometry["coordinates"]:
            rings = [simplify_ring(r, tolerance, decimals) for r in polygon]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                polygons.append(rings)
        return {"type": "MultiPolygon", "coordinates": polygons}
    raise ValueError(f"Only Polygon and MultiPolygon boundaries are supported, not {kind}")


def count_points(geometry: dict[str, Any]) -> int:
    if geometry["type"] == "Polygon":
        return sum(len(r) for r in geometry["coordinates"])
    return sum(len(r) for polygon in geometry["coordinates"] for r in polygon)
