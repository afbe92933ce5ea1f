"""Grants pages: funders loaded, a funder, a recipient, a network of funders, cold spots,
and the funder finder. Each table downloads as CSV with exactly the figures shown.

Figures come from vcsehub.analytics.grant_figures; this module turns them into pages,
SVG charts (server-rendered, no scripts) and CSV files.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from vcsehub.analytics import grant_figures as gf
from vcsehub.analytics import grants as calc
from vcsehub.analytics.impact_charts import Bar, hbar_chart_svg
from vcsehub.common.formatting import format_money
from vcsehub.common.safe_csv import csv_response
from vcsehub.grants import selectors as sel
from vcsehub.grants.purposes import RULES
from vcsehub.sources.registry import get_source

MAX_NETWORK = 12
SOURCE = "360giving-file"


def _sources() -> list:
    return [get_source(SOURCE)]


def _chart(table: calc.MoneyTable, *, title: str, prefix: str, limit: int = 25) -> str:
    rows = table.rows[:limit]
    if not rows:
        return ""
    bars = [
        Bar(
            r.label,
            float(r.total),
            f"{format_money(r.total, 0)} ({r.grants:,})",
            "hatch" if i % 2 else "solid",
        )
        for i, r in enumerate(rows)
    ]
    return hbar_chart_svg(
        bars=bars,
        title=title,
        description=calc.table_summary(table, what="grants", by=gf.TABLE_BY.get(prefix, prefix)),
        id_prefix=f"chart-{prefix}",
        width=640,
        label_width=230,
        note="Bar length: total awarded in pounds; the number of grants is in brackets.",
    )


def _table_context(name: str, table: calc.MoneyTable, *, csv_url: str = "") -> dict:
    return {
        "name": name,
        "title": gf.TABLE_TITLES.get(name, name),
        "by": gf.TABLE_BY.get(name, name),
        "table": table,
        "summary": calc.table_summary(table, what="grants", by=gf.TABLE_BY.get(name, name)),
        "chart": _chart(table, title=gf.TABLE_TITLES.get(name, name), prefix=name),
        "csv_url": csv_url,
    }


def _table_csv(filename: str, table: calc.MoneyTable, *, by: str):
    header = (by, "grants (GBP)", "total awarded (GBP)", "% of total")
    rows = [(r.label, r.grants, r.total, r.share) for r in table.rows]
    if table.missing_grants:
        rows.append((f"{by} not known", table.missing_grants, table.missing_total, None))
    rows += [(f"in {o.label} (not added in)", o.grants, None, None) for o in table.others]
    return csv_response(filename, header, rows)


# -- index ---------------------------------------------------------------------------------


@require_GET
def index(request):
    query = " ".join(request.GET.get("q", "").split())[:100]
    context = {
        "query": query,
        "funders": sel.funders_loaded(),
        "datasets": [(d, gf.licence_line(d)) for d in sel.datasets_loaded()],
        "rules": RULES,
        "sources": _sources(),
    }
    if query:
        context["found_funders"] = sel.funders_loaded(query=query)
        context["found_recipients"] = sel.recipients_search(query=query)
    return render(request, "grants/index.html", context)


# -- a funder ------------------------------------------------------------------------------


def _register_url(org_id: str) -> str:
    """The charity register page of a linked org-id ("" when none, or no charity pages)."""
    if not org_id:
        return ""
    try:
        return reverse("charities:organisation", args=[org_id])
    except NoReverseMatch:
        return ""


def _funder_or_404(org_id: str) -> gf.FunderFigures:
    found = gf.funder_figures(org_id=org_id)
    if found is None:
        raise Http404("No grants from this funder are loaded.")
    return found


@require_GET
def funder(request, org_id: str):
    found = _funder_or_404(org_id)
    tables = [
        _table_context(
            name,
            found.figures.tables[name],
            csv_url=f"{request.path}{name}.csv",
        )
        for name in gf.FUNDER_TABLES
    ]
    return render(
        request,
        "grants/funder.html",
        {
            "funder": found.funder,
            "register_url": _register_url(found.funder.register_org_id),
            "figures": found.figures,
            "tables": tables,
            "sources": _sources(),
        },
    )


@require_GET
def funder_csv(request, org_id: str, table: str):
    if table not in gf.FUNDER_TABLES:
        raise Http404("No such table.")
    found = gf.funder_figures(org_id=org_id, tables=(table,))
    if found is None:
        raise Http404("No grants from this funder are loaded.")
    return _table_csv(
        f"{found.funder.org_id}-{table}.csv", found.figures.tables[table], by=gf.TABLE_BY[table]
    )


# -- a recipient ---------------------------------------------------------------------------


@require_GET
def recipient(request, org_id: str):
    grants = sel.grants_for_recipient(org_id=org_id)
    first = grants.first()
    if first is None:
        raise Http404("No grants to this organisation are loaded.")
    return render(
        request,
        "grants/recipient.html",
        {
            "org_id": org_id,
            "name": first.recipient_name,
            "register_org_id": first.recipient_register_org_id,
            "register_url": _register_url(first.recipient_register_org_id),
            "sources": _sources(),
        },
    )


# -- a network of funders --------------------------------------------------------------------


def _network_ids(request) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in request.GET.getlist("funder") if v.strip()))[
        :MAX_NETWORK
    ]


@require_GET
def network(request):
    chosen = _network_ids(request)
    context = {"all_funders": sel.funders_loaded(), "chosen": chosen, "sources": _sources()}
    if chosen:
        figures = gf.network_figures(org_ids=chosen)
        context["network"] = figures
        context["query"] = request.GET.urlencode()
        context["decile_tables"] = [
            {
                "edition": edition,
                "label": gf.EDITIONS[edition],
                "combined": _table_context(edition, figures.combined.tables[edition]),
                "rows": _decile_rows(figures, edition),
                "missing": [figures.by_decile[edition][f.funder.org_id] for f in figures.funders],
            }
            for edition in gf.EDITIONS
        ]
        context["combined_funders"] = _table_context("funder", figures.combined.tables["funder"])
    return render(request, "grants/network.html", context)


def _decile_rows(figures: gf.NetworkFigures, edition: str) -> list[dict]:
    """One row per decile: each funder's GBP total and share, then the combined total."""
    combined = {r.key: r for r in figures.combined.tables[edition].rows}
    rows = []
    for decile in gf.DECILES:
        cells = []
        for f in figures.funders:
            row = next(
                (r for r in figures.by_decile[edition][f.funder.org_id].rows if r.key == decile),
                None,
            )
            cells.append(row)
        rows.append(
            {
                "decile": decile,
                "label": calc.decile_label(decile),
                "cells": cells,
                "combined": combined.get(decile),
            }
        )
    return rows


@require_GET
def network_csv(request):
    chosen = _network_ids(request)
    if not chosen:
        raise Http404("Choose at least one funder.")
    figures = gf.network_figures(org_ids=chosen)
    header = ["edition", "decile"]
    for f in figures.funders:
        header += [f"{f.funder.name}: grants (GBP)", f"{f.funder.name}: total (GBP)"]
    header += ["combined: grants (GBP)", "combined: total (GBP)"]
    rows = []
    for edition in gf.EDITIONS:
        for row in _decile_rows(figures, edition):
            line = [edition, row["decile"]]
            for cell in row["cells"]:
                line += [cell.grants if cell else 0, cell.total if cell else 0]
            c = row["combined"]
            line += [c.grants if c else 0, c.total if c else 0]
            rows.append(line)
    return csv_response("funders-network-deciles.csv", header, rows)


@require_GET
def network_overlaps_csv(request):
    chosen = _network_ids(request)
    if not chosen:
        raise Http404("Choose at least one funder.")
    figures = gf.network_figures(org_ids=chosen)
    names = {f.funder.org_id: f.funder.name for f in figures.funders}
    rows = [
        (o.recipient_org_id, o.recipient_name, names.get(funder, funder), n, total)
        for o in figures.overlaps
        for funder, n, total in o.funders
    ]
    return csv_response(
        "funders-network-overlaps.csv",
        ("recipient org-id", "recipient", "funder", "grants (GBP)", "total (GBP)"),
        rows,
    )


# -- cold spots ------------------------------------------------------------------------------


def _level(request) -> str:
    return "ward" if request.GET.get("level") == "ward" else "lad"


@require_GET
def coldspots(request):
    level = _level(request)
    spots = gf.coldspots(level=level)
    ranked = [a for a in spots.areas if a.gap_score is not None]
    return render(
        request,
        "grants/coldspots.html",
        {
            "spots": spots,
            "level": level,
            "ranked": ranked,
            "unranked": [a for a in spots.areas if a.gap_score is None],
            "top": ranked[:50],
            "rule": calc.COLDSPOT_RULE,
            "sources": _sources() + [get_source(s) for s in ("iod2025", "census2021-population")],
        },
    )


COLDSPOT_HEADER = (
    "rank (gap score order)",
    "code",
    "area",
    "Census 2021 residents",
    "% residents in IMD 2025 deciles 1-2",
    "need rank",
    "active charities based here",
    "charities per 1,000 residents",
    "grants placed here (GBP)",
    "grant total (GBP)",
    "grant GBP per resident",
    "funding rank (least funded = 1)",
    "gap score (need rank + funding rank)",
    "small areas",
    "small areas with no population or decile",
)


@require_GET
def coldspots_csv(request):
    level = _level(request)
    spots = gf.coldspots(level=level)
    rows = [
        (
            i if a.gap_score is not None else None,
            a.code,
            a.name,
            a.population,
            a.deprived_share,
            a.need_rank,
            "not loaded" if a.charities is None else a.charities,
            "not loaded" if a.charities is None else a.charities_per_1000,
            a.grants,
            a.gbp_total,
            a.gbp_per_resident,
            a.funding_rank,
            a.gap_score,
            a.small_areas,
            a.small_areas_missing,
        )
        for i, a in enumerate(spots.areas, start=1)
    ]
    return csv_response(f"cold-spots-{level}.csv", COLDSPOT_HEADER, rows)


# -- funder finder ---------------------------------------------------------------------------


def _finder_inputs(request) -> tuple[list[str], str, str]:
    codes = {rule.code for rule in RULES}
    purposes = [p for p in request.GET.getlist("purpose") if p in codes]
    band = request.GET.get("size", "")
    band = band if band in calc.BAND_ORDER else ""
    lad = request.GET.get("area", "").strip().upper()[:9]
    return purposes, band, lad


@require_GET
def finder(request):
    purposes, band, lad = _finder_inputs(request)
    context = {
        "rules": RULES,
        "bands": [(code, calc.band_label(code)) for code in calc.BAND_ORDER],
        "lads": sel.lads_with_grants(),
        "chosen_purposes": purposes,
        "chosen_band": band,
        "chosen_lad": lad,
        "chosen_band_label": calc.band_label(band) if band else "",
        "rule_text": calc.FINDER_RULE,
        "sources": _sources(),
    }
    if purposes:
        result = gf.finder(purposes=purposes, income_band=band, lad_code=lad, today=date.today())
        context["result"] = result
        context["funders"] = result.funders[:25]
        context["query"] = request.GET.urlencode()
        context["purpose_labels"] = [gf.purpose_label(p) for p in purposes]
    return render(request, "grants/finder.html", context)


@require_GET
def finder_csv(request):
    purposes, band, lad = _finder_inputs(request)
    if not purposes:
        raise Http404("Choose at least one purpose.")
    result = gf.finder(purposes=purposes, income_band=band, lad_code=lad, today=date.today())
    rows = [
        (
            i,
            f.org_id,
            f.name,
            f.score,
            f.grants,
            f.gbp_total,
            f.other_currency_grants,
            f.latest,
            " | ".join(g.title for g in f.evidence),
        )
        for i, f in enumerate(result.funders, start=1)
    ]
    return csv_response(
        "funder-finder.csv",
        (
            "rank",
            "funder org-id",
            "funder",
            "score",
            "matching grants",
            "total (GBP)",
            "grants in other currencies",
            "latest award",
            "example grants",
        ),
        rows,
    )
