"""Places: find an area by name or postcode, and each area's page, map and CSV.

The figures come from `area_selectors.area_figures` (one call per request); this module
only turns them into pages, SVG charts and maps, and the CSV of the small-area table.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET

from vcsehub.analytics.charts import decile_bar_chart_svg
from vcsehub.analytics.figures import format_count, possessive
from vcsehub.analytics.maps import MapArea, choropleth_svg
from vcsehub.common.safe_csv import csv_response
from vcsehub.geography import area_selectors as sel
from vcsehub.geography.models import Area, AreaType
from vcsehub.sources.registry import Source, get_source
from vcsehub.sources.selectors import import_run_latest_success

TYPE_LABELS = dict(AreaType.choices)
BOUNDARY_SOURCE = "boundaries-wmca"
MAP_CACHE_SECONDS = 24 * 60 * 60


@require_GET
def index(request):
    query = " ".join(request.GET.get("q", "").split())[:100]
    context = {"query": query, "regions": sel.lads_by_region(), "type_labels": TYPE_LABELS}
    if query:
        search = sel.place_search(query=query)
        context["search"] = search
        if search.postcode is not None and search.postcode.found:
            ids = [s.id for s in search.postcode.sources]
            if search.postcode.imd2019_decile:
                ids.append("iod2019")
            if search.postcode.imd2025_decile:
                ids.append("iod2025")
            context["sources"] = _sources(ids)
    return render(request, "geography/index.html", context)


def _sources(ids: list[str]) -> list[Source]:
    found: list[Source] = []
    for source_id in ids:
        try:
            source = get_source(source_id)
        except LookupError:
            continue
        if source not in found:
            found.append(source)
    return found


def _area_or_404(gss_code: str) -> Area:
    area = sel.area_get(code=gss_code)
    if area is None:
        raise Http404("No area with this code is loaded.")
    return area


@require_GET
def area(request, gss_code: str):
    place = _area_or_404(gss_code)
    figures = sel.area_figures(area=place)
    the_map = _map(figures)
    sources: list[Source] = []
    for edition in figures.editions:
        sources += [s for s in edition.sources if s not in sources]
    if the_map and the_map.source and the_map.source not in sources:
        sources.append(the_map.source)
    sources += [s for s in _sources(["ons-area-codes"]) if s not in sources]
    rows = sel.lsoa_table(figures)
    editions = [
        {
            "figures": e,
            "chart": _chart(e, place),
            "run": import_run_latest_success(source_id=e.spec.source_id),
        }
        for e in figures.editions
    ]
    context = {
        "area": place,
        "type_label": TYPE_LABELS.get(place.type, place.type),
        "figures": figures,
        "editions": editions,
        "mid2015": next((e for e in figures.editions if e.spec.edition.key == "imd2019"), None),
        "map": the_map,
        "rows": rows,
        "table_body": _table_body(rows),
        "header": sel.HEADER,
        "wards": sel.area_wards(lad_code=place.code) if place.type == AreaType.LAD else [],
        "lads": sel.area_lads_within(area=place),
        "successor": sel.lad_successor(area=place),
        "sources": sources,
    }
    return render(request, "geography/area.html", context)


@require_GET
def area_csv(request, gss_code: str):
    place = _area_or_404(gss_code)
    figures = sel.area_figures(area=place)
    rows = [row.cells() for row in sel.lsoa_table(figures)]
    return csv_response(f"{place.code}-small-areas.csv", sel.HEADER, rows)


@require_GET
def area_map_svg(request, gss_code: str):
    place = _area_or_404(gss_code)
    the_map = _map(sel.area_figures(area=place), standalone=True)
    if the_map is None:
        raise Http404("No boundaries are loaded for this area's small areas.")
    response = HttpResponse(the_map.svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{place.code}-map.svg"'
    return response


# -- charts, maps and the small-area table ------------------------------------------------


def _table_body(rows: list[sel.LsoaRow]) -> str:
    """The small-area table's rows (hundreds for a city: built here, escaped, not in a template loop)."""
    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td>{}</td>{}</tr>',
        (
            (
                row.code,
                row.name,
                format_html_join("", '<td class="num">{}</td>', ((c,) for c in row.display())),
            )
            for row in rows
        ),
    )


def _chart(edition: sel.EditionFigures, place: Area) -> str:
    profile = edition.profile
    return decile_bar_chart_svg(
        counts=profile.counts,
        title=f"Small areas in {place.name} by IMD decile ({edition.spec.edition.label})",
        description=profile.summary,
        id_prefix=f"bars-{edition.spec.edition.key}",
        width=460,
        height=300,
    )


@dataclass(frozen=True)
class AreaMap:
    svg: str
    edition: sel.EditionFigures | None
    drawn: int
    not_drawn: int
    summary: str
    source: Source | None


def _map(figures: sel.AreaFigures, *, standalone: bool = False) -> AreaMap | None:
    """The LSOA map: IoD2025 on 2021 boundaries where loaded, else IoD2019 on 2011 ones.

    None when no boundary is loaded for any of the place's small areas.
    """
    by_key = {e.spec.edition.key: e for e in figures.editions}
    for key in ("imd2025", "imd2019"):
        edition = by_key.get(key)
        if edition is None:
            continue
        with_shape = sel.boundary_codes(
            area_type=edition.lsoas.lsoa_type, codes=edition.lsoas.codes
        )
        drawn = [code for code in edition.lsoas.codes if code in with_shape]
        if not drawn:
            continue
        label = edition.spec.edition.label
        title = f"Map of {figures.area.name}: small areas shaded by IMD decile ({label})"
        summary = _map_summary(figures.area, edition, len(drawn))

        def render(edition=edition, drawn=drawn, title=title, summary=summary, key=key) -> str:
            shapes = sel.boundaries_for(area_type=edition.lsoas.lsoa_type, codes=drawn)
            areas = [
                MapArea(
                    code,
                    edition.lsoas.names.get(code, code),
                    shapes[code],
                    edition.deciles.get(code),
                )
                for code in drawn
            ]
            return choropleth_svg(
                areas=areas,
                title=title,
                description=summary,
                id_prefix=f"map-{key}",
                standalone=standalone,
            )

        svg = _cached_svg(figures, edition, standalone, render)
        try:
            source = get_source(BOUNDARY_SOURCE)
        except LookupError:
            source = None
        return AreaMap(
            svg=svg,
            edition=edition,
            drawn=len(drawn),
            not_drawn=len(edition.lsoas.codes) - len(drawn),
            summary=summary,
            source=source,
        )
    return None


def _cached_svg(
    figures: sel.AreaFigures, edition: sel.EditionFigures, standalone: bool, render
) -> str:
    """Drawing a city's map takes a few hundred milliseconds: keep it until any of the
    imports it is drawn from (boundaries, deprivation, area codes, postcodes) runs again."""
    runs = []
    for source_id in (BOUNDARY_SOURCE, edition.spec.source_id, *sel.AREA_SOURCES):
        run = import_run_latest_success(source_id=source_id)
        runs.append(str(run.pk) if run else "-")
    area = figures.area
    content = hashlib.sha256(
        repr(
            (
                area.name,
                [
                    (c, edition.lsoas.names.get(c), edition.deciles.get(c))
                    for c in edition.lsoas.codes
                ],
            )
        ).encode()
    ).hexdigest()[:24]
    key = (
        f"geography:map:v1:{area.type}:{area.code}:{area.year}:{edition.spec.edition.key}:"
        f"{int(standalone)}:{'.'.join(runs)}:{content}"
    )
    svg = cache.get(key)
    if svg is None:
        svg = render()
        cache.set(key, svg, timeout=MAP_CACHE_SECONDS)
    return svg


def _map_summary(place: Area, edition: sel.EditionFigures, drawn: int) -> str:
    profile = edition.profile
    spec = edition.spec.edition
    text = (
        f"The map shows {possessive(place.name)} {format_count(drawn)} small areas ({spec.label}), "
        f"shaded from dark purple (decile 1, the most deprived 10% in {spec.nation}) to yellow "
        "(decile 10, the least deprived). Decile 1 areas are cross-hatched and decile 2 areas "
        "have diagonal lines; each area big enough shows its decile number."
    )
    if profile.with_decile:
        text += f" {profile.summary}"
    return text
