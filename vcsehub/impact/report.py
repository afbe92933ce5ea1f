"""Charts, ward map, CSV rows, method notes and the PDF, all drawn from `dashboard_figures`.

Everything here reads the disclosure-controlled figures dict, never the records, so the
page, the CSV, the report and the PDF cannot show more than the dashboard does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify

from vcsehub.analytics.disclosure import SafeCount
from vcsehub.analytics.impact_charts import (
    Bar,
    MonthBar,
    WardShape,
    count_bars,
    hbar_chart_svg,
    month_chart_svg,
    ward_map_svg,
)
from vcsehub.geography.models import AreaType, Boundary
from vcsehub.impact.dashboard.voice import WE, YOU
from vcsehub.sources.registry import get_source

MAP_SOURCE = "boundaries-wmca"
CSV_HEADER = (
    "Section",
    "Figure",
    "Category",
    "Count",
    "Share",
    "Based on (N)",
    "Missing or left out",
    "Source",
    "Edition",
    "Data date",
)


def _safe(cell: dict | None, t: int) -> SafeCount:
    return SafeCount.from_dict(cell or {}, threshold=t)


def file_stem(figures: dict) -> str:
    ds = figures["dataset"]
    return slugify(f"{ds['organisation_slug']}-{ds['name']}")[:80] or "dataset"


# -- charts ---------------------------------------------------------------------------------


def _count_chart(rows: list[dict], *, title: str, summary: str, prefix: str, t: int, **kw) -> str:
    bars, note = count_bars([(r["label"], _safe(r["count"], t)) for r in rows], threshold=t)
    return hbar_chart_svg(
        bars=bars, title=title, description=summary, id_prefix=prefix, note=note, **kw
    )


def _said(figure: dict, voice: str) -> str:
    """The figure's sentence in the voice asked for (see dashboard/voice.py)."""
    if voice == WE:
        return figure.get("summary_report") or figure["summary"]
    return figure["summary"]


def charts(figures: dict, *, compact: bool = False, voice: str = YOU) -> dict[str, str]:
    """SVG markup of every chart, by figure id. voice="we" for the report, whose charts
    describe "the people we supported" rather than "your people"."""
    t = figures["min_display_count"]
    f = figures["figures"]
    ours = "our" if voice == WE else "your"
    out: dict[str, str] = {}
    width = 520 if compact else 640
    months = f["by_month"]["rows"]
    if months:
        out["by_month"] = month_chart_svg(
            months=[
                MonthBar(m["short_label"], _safe(m["people"], t), _safe(m["contacts"], t))
                for m in months
            ],
            title=f["by_month"]["title"],
            description=f["by_month"]["summary"],
            people_label=figures["unit"].capitalize(),
            threshold=t,
            width=680 if not compact else 640,
            height=260 if compact else 300,
            id_prefix="c-months",
        )
    if f["repeat_use"]["rows"]:
        out["repeat_use"] = _count_chart(
            f["repeat_use"]["rows"],
            title=f["repeat_use"]["title"],
            summary=f["repeat_use"]["summary"],
            prefix="c-repeat",
            t=t,
            width=width,
        )
    dep = f["deprivation"]
    compare = []
    for item in dep["comparison"]:
        short = item["label"].split(" of areas")[0]
        compare.append(
            Bar(
                f"{ours.capitalize()} {figures['unit']}: {short.lower()}",
                item["people"]["value"],
                item["people"]["display"],
            )
        )
        compare.append(
            Bar(
                f"Residents: {short.lower()}",
                item["baseline"]["value"],
                item["baseline"]["display"],
                "hatch",
            )
        )
    out["deprivation"] = hbar_chart_svg(
        bars=compare,
        title=f"Reach into the most deprived areas compared with residents ({dep['edition']})",
        description=_said(dep, voice),
        id_prefix="c-dep",
        maximum=100,
        width=width,
        label_width=260,
        note=f"Solid bars: {ours} {figures['unit']}. Striped bars: residents of the same "
        "local authorities.",
    )
    if not compact:
        out["deciles"] = _count_chart(
            dep["rows"],
            title=f"{figures['unit'].capitalize()} by deprivation decile ({dep['edition']})",
            summary=_said(dep, voice),
            prefix="c-deciles",
            t=t,
            width=width,
        )
    where = f["where"]
    if where["local_authorities"]:
        out["where"] = _count_chart(
            where["local_authorities"][:15],
            title=where["title"] + " (local authorities)",
            summary=_said(where, voice),
            prefix="c-where",
            t=t,
            width=width,
        )
    for table in f["who"]["tables"]:
        if table["rows"]:
            out[table["id"]] = _count_chart(
                table["rows"][:15],
                title=table["title"],
                summary=table["summary"],
                prefix=f"c-{table['id']}",
                t=t,
                width=width,
            )
    if f["outcomes"]["available"]:
        out["outcomes"] = _count_chart(
            f["outcomes"]["rows"],
            title=f["outcomes"]["title"],
            summary=f["outcomes"]["summary"],
            prefix="c-outcomes",
            t=t,
            width=width,
        )
    dq = f["data_quality"]
    out["data_quality"] = _count_chart(
        dq["rows"],
        title=f"Rows of {ours} files",
        summary=dq["summary"],
        prefix="c-dq",
        t=t,
        width=width,
        label_width=300,
    )
    return out


# -- the ward map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WardMap:
    svg: str | None
    drawn: int
    wards_without_boundary: int
    message: str
    source: dict | None


def ward_map(figures: dict) -> WardMap:
    """Wards of the local authorities where at least the minimum number of people live."""
    t = figures["min_display_count"]
    where = figures["figures"]["where"]
    lads = [
        row["code"]
        for row in where["local_authorities"]
        if row["count"]["value"] is not None and row["count"]["value"] >= t
    ]
    if not lads:
        return WardMap(
            None, 0, 0, "There are too few people with a usable postcode to draw a map.", None
        )
    # A ward code can come with more than one local authority: a shape shows the count of
    # its own local authority's row (or of the ward's only row).
    counts = {
        (row["local_authority_code"], row["code"]): row["count"]
        for row in where["wards"]
        if row["code"]
    }
    by_code = {code: count for (_, code), count in counts.items()}
    shapes = list(
        Boundary.objects.filter(area_type=AreaType.WARD, lad_code__in=lads)
        .order_by("area_code", "-year")
        .values_list("area_code", "name", "geometry", "lad_code")
    )
    seen: set[str] = set()
    wards = []
    for code, name, geometry, lad in shapes:
        if code in seen:
            continue
        seen.add(code)
        count = counts.get((lad, code)) or by_code.get(code) or {"value": 0}
        wards.append(WardShape(code, name or code, geometry, _safe(count, t)))
    without = sum(
        1
        for row in where["wards"]
        if row["code"] and row["local_authority_code"] in lads and row["code"] not in seen
    )
    if not wards:
        return WardMap(
            None,
            0,
            without,
            "No ward boundaries are loaded for these local authorities, so there is no map. "
            "The table lists every ward.",
            None,
        )
    svg = ward_map_svg(
        wards=wards,
        title=f"Map: where the {figures['unit']} live, by ward",
        description=where["summary"],
        threshold=t,
        id_prefix="c-wardmap",
    )
    try:
        source = get_source(MAP_SOURCE)
        source_dict = {
            "id": source.id,
            "title": source.title,
            "publisher": source.publisher,
            "licence": source.licence,
            "licence_url": source.licence_url,
            "attribution": list(source.attribution),
        }
    except LookupError:
        source_dict = None
    return WardMap(svg, len(wards), without, "", source_dict)


def sources_used(figures: dict, *, extra: list[dict | None] = ()) -> list[dict]:
    out = list(figures["sources"])
    for source in extra:
        if source and source["id"] not in {s["id"] for s in out}:
            out.append(source)
    return out


# -- CSV ------------------------------------------------------------------------------------


def _count_value(cell: dict | None):
    if not cell:
        return ""
    return cell["value"] if cell["value"] is not None else cell["display"]


def _notes(figure: dict) -> str:
    parts = [f"{m['reason']}: {m['count']['display']}" for m in figure.get("missing", [])]
    parts += [f"{m['reason']}: {m['count']['display']}" for m in figure.get("excluded", [])]
    return "; ".join(parts)


def csv_rows(figures: dict, *, figure: str | None = None) -> list[tuple]:
    """One row per figure shown on the dashboard, as shown (hidden counts as their marker).

    With `figure` (a figure id such as "deprivation"), only that figure's rows.
    """
    rows = []
    for section, part in _csv_sections(figures):
        if figure is None or figure == section:
            rows.extend(part)
    return rows


def _csv_sections(figures: dict) -> list[tuple[str, list[tuple]]]:
    f = figures["figures"]
    date = figures["data_date"]

    def line(figure, category, count, share=None, *, title=None, source=None, edition=None):
        return (
            figure.get("title", ""),
            title or figure.get("title", ""),
            category,
            _count_value(count),
            share["display"] if share else "",
            _count_value(figure.get("n")),
            _notes(figure),
            source or figure.get("source", ""),
            edition if edition is not None else figure.get("edition", ""),
            date,
        )

    sections: list[tuple[str, list[tuple]]] = []
    rows: list[tuple] = []
    sections.append(("reach", rows))
    reach = f["reach"]
    if reach["people"]:
        rows.append(line(reach, "People reached", reach["people"]))
    rows.append(line(reach, "Contacts", reach["contacts"]))
    rows = []
    sections.append(("by_month", rows))
    months = f["by_month"]
    for m in months["rows"]:
        rows.append(
            line(months, m["label"], m["people"], title=f"{figures['unit'].capitalize()} by month")
        )
        rows.append(line(months, m["label"], m["contacts"], title="Contacts by month"))
    rows.append(
        line(
            months, months["total"]["label"], months["total"]["contacts"], title="Contacts by month"
        )
    )
    rows = []
    sections.append(("repeat_use", rows))
    for r in f["repeat_use"]["rows"]:
        rows.append(line(f["repeat_use"], r["label"], r["count"], r["share"]))
    rows = []
    sections.append(("deprivation", rows))
    dep = f["deprivation"]
    for item in dep["comparison"]:
        rows.append(
            line(
                dep,
                item["label"],
                item["count"],
                item["people"],
                title=f"Share of your {figures['unit']}",
            )
        )
        rows.append(
            (
                dep["title"],
                "Share of residents of the same local authorities (baseline)",
                item["label"],
                "",
                item["baseline"]["display"],
                "",
                "",
                f"{dep['source']}; {dep['baseline']['population_label']}",
                dep["edition"],
                dep["edition_date"],
            )
        )
    for r in dep["rows"]:
        rows.append(line(dep, f"Decile {r['label']}", r["count"], r["share"], title="By decile"))
    rows = []
    sections.append(("where", rows))
    where = f["where"]
    for r in where["local_authorities"]:
        rows.append(line(where, r["label"], r["count"], r["share"], title="By local authority"))
    for r in where["wards"]:
        rows.append(
            line(
                where,
                f"{r['label']} ({r['local_authority']})",
                r["count"],
                r["share"],
                title="By ward",
            )
        )
    rows = []
    sections.append(("who", rows))
    for table in f["who"]["tables"]:
        for r in table["rows"]:
            rows.append(line(table, r["label"], r["count"], r["share"]))
    rows = []
    sections.append(("outcomes", rows))
    out = f["outcomes"]
    if out["available"]:
        for r in out["rows"]:
            rows.append(line(out, r["label"], r["count"], r["share"]))
        average = list(line(out, "Average change in score (points)", None))
        average[3] = out["average_change"]["display"]
        rows.append(tuple(average))
    rows = []
    sections.append(("data_quality", rows))
    dq = f["data_quality"]
    for r in dq["rows"] + dq["contacts"]:
        rows.append(line(dq, r["label"], r["count"]))
    for r in dq["excluded"]:
        rows.append(line(dq, f"Left out: {r['reason']}", r["count"]))
    return sections


# -- report ---------------------------------------------------------------------------------


def method_notes(figures: dict) -> list[str]:
    unit = figures["unit"]
    dep = figures["figures"]["deprivation"]
    edition = figures["edition"]
    notes = []
    if unit == "people":
        notes.append(
            "People are counted by their person reference: each reference counts once however "
            "many times the person came. Rows with no person reference count as contacts only. "
            "References are stored only in a scrambled (keyed hash) form."
        )
    else:
        notes.append(
            "The records have no person reference, so every figure counts contacts (rows), "
            "not different people."
        )
    notes.append(
        f"Deprivation: each person is placed at the small area (LSOA) of their most recent "
        f"usable postcode and given that area's decile in the {edition['title']} "
        f"({edition['label']}, published {edition['data_date']}). Decile 1 is the most deprived "
        "10% of small areas in England. The comparison is the share of residents "
        f"({edition['population_label']}) of the same local authorities living in those areas, "
        "with each local authority weighted by how many of the people live there."
    )
    notes.append(
        "Who: each person counted once, by what was recorded for them most recently. "
        "Outcomes: each person's first before score and last after score; improved means a "
        "higher score after than before."
    )
    if dep["baseline"]["other_local_authorities"]:
        notes.append(
            "Local authorities where fewer than "
            f"{figures['min_display_count']} of the people live are in the comparison but not named."
        )
    notes.append(figures["suppression"])
    return notes


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"The report does not load anything from outside ({url}).")


def report_pdf(context: dict, *, base_url: str) -> bytes:
    """The report as PDF (WeasyPrint). Nothing is fetched: the CSS is read from disk."""
    from weasyprint import CSS, HTML

    html = render_to_string("impact/report_pdf.html", context)
    stylesheets = [CSS(filename=finders.find("impact/report.css"))]
    return HTML(string=html, base_url=base_url, url_fetcher=_no_fetch).write_pdf(
        stylesheets=stylesheets
    )
