"""Reach into deprivation and where people live.

Both figures count the same people, each once at their most recent usable postcode, so
their counts are protected together, in one set of relations:

    all people      = placed + no usable postcode
    placed          = with a decile + placed but no decile (e.g. outside England)
    all people      = with a decile + placed but no decile + no usable postcode
    with a decile   = decile 1 + … + decile 10;   deciles 1–2 = decile 1 + decile 2
    placed          = local authority A + local authority B + …
    local authority = its wards + "ward not known" (a ward is counted within each local
                      authority it comes with)

"All people" is shown in the reach figure, so when few people have no usable postcode
the number placed (and so one local authority, one ward, one decile) is hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass

from vcsehub.analytics import impact as fig
from vcsehub.geography import area_selectors as geo
from vcsehub.geography.models import Area, AreaType
from vcsehub.impact.dashboard.common import ALL, Context, Protected, area_names
from vcsehub.impact.dashboard.voice import WE, YOU

NO_POSTCODE = "no usable postcode"


@dataclass
class Places:
    reach: fig.DeprivationReach
    where: fig.WherePeopleLive
    table: Protected
    lads: list[str]
    wards_of: dict[str, list[str]]
    lad_names: dict[str, str]
    ward_names: dict[str, str]
    placed_key: str  # the key of "people placed" in the where figure
    decile_placed_key: str  # and in the deprivation relations (the same when consistent)


def places(ctx: Context) -> Places:
    reach = fig.deprivation_reach(ctx.people, edition_key=ctx.spec.edition.key)
    where = fig.where_people_live(ctx.people)
    lad_names = area_names(set(where.by_lad), AreaType.LAD)
    ward_names = area_names(set(where.by_ward), AreaType.WARD)
    lads = sorted(where.by_lad, key=lambda c: (lad_names.get(c, c), c))
    values: dict[str, int] = {}
    relations: list = []
    wards_of: dict[str, list[str]] = {}
    for lad in lads:
        wards = sorted(
            (w for parent, w in where.by_lad_ward if parent == lad),
            key=lambda w: (ward_names.get(w, w), w),
        )
        wards_of[lad] = wards
        for ward in wards:
            values[f"ward:{lad}:{ward}"] = where.by_lad_ward[(lad, ward)]
        cells = [f"ward:{lad}:{w}" for w in wards]
        if where.no_ward.get(lad):
            values[f"noward:{lad}"] = where.no_ward[lad]
            cells.append(f"noward:{lad}")
        relations.append((f"lad:{lad}", cells))
    for lad in lads:
        values[f"lad:{lad}"] = where.by_lad[lad]
    deciles = [f"d{d}" for d in range(1, 11)]
    for d in range(1, 11):
        values[f"d{d}"] = reach.counts[d]
    values["1-2"] = reach.decile_1_2
    values["n"] = reach.n
    values["no_decile"] = reach.no_decile
    values["placed"] = where.n
    values["no_postcode"] = where.no_postcode
    relations += [
        ("n", deciles),
        ("1-2", ["d1", "d2"]),
        ("placed", [f"lad:{lad}" for lad in lads]),
        (ALL, ["placed", "no_postcode"]),
    ]
    consistent = where.n == reach.n + reach.no_decile and where.no_postcode == reach.no_postcode
    if consistent:
        # and so all people = with a decile + no decile + no usable postcode, the relation
        # the deprivation figure shows.
        relations += [("placed", ["n", "no_decile"]), (ALL, ["n", "no_decile", "no_postcode"])]
        decile_placed = "placed"
    else:  # a place with no local authority: the two figures count apart
        values["dep_placed"] = reach.n + reach.no_decile
        values["dep_no_postcode"] = reach.no_postcode
        relations += [
            ("dep_placed", ["n", "no_decile"]),
            (ALL, ["dep_placed", "dep_no_postcode"]),
            (ALL, ["n", "no_decile", "dep_no_postcode"]),
        ]
        decile_placed = "dep_placed"
    values[ALL] = ctx.everyone
    table = Protected(values, relations, threshold=ctx.threshold, last=["n", "placed"])
    ctx.check_everyone(table)
    return Places(
        reach, where, table, lads, wards_of, lad_names, ward_names, "placed", decile_placed
    )


def _decile_label(d: int) -> str:
    if d == 1:
        return "1 (most deprived 10%)"
    if d == 10:
        return "10 (least deprived 10%)"
    return str(d)


def deprivation(ctx: Context, p: Places) -> dict:
    edition = ctx.spec.edition
    table, reach = p.table, p.reach
    share_1 = table.share("d1", "n")
    share_12 = table.share("1-2", "n")
    baseline, baseline_meta = _baseline(ctx, reach)
    rows = [
        {
            "key": str(d),
            "label": _decile_label(d),
            "count": table.cell(f"d{d}"),
            "share": table.share_cell(f"d{d}", "n"),
        }
        for d in range(1, 11)
    ]
    who = ctx.who_word
    summary, summary_report = (
        _deprivation_summary(
            edition.nation, who, share_1, share_12, baseline, placed=bool(reach.n), voice=voice
        )
        for voice in (YOU, WE)
    )
    ctx.sources += [ctx.spec.source_id, ctx.spec.population_source_id]
    no_postcode_key = "no_postcode" if p.decile_placed_key == "placed" else "dep_no_postcode"
    return ctx.base(
        id="deprivation",
        title=f"Reach into deprivation ({edition.label})",
        counts=(
            f"{who.capitalize()}, each counted once at the small area of their most recent "
            f"usable postcode, by the {edition.title} decile of that area."
        ),
        value={"decile_1": share_1.as_dict(), "deciles_1_2": share_12.as_dict()},
        comparison=[
            {
                "label": f"Most deprived 10% of areas in {edition.nation}",
                "people": share_1.as_dict(),
                "baseline": {"value": baseline.share_1, "display": _pct(baseline.share_1)},
                "count": table.cell("d1"),
            },
            {
                "label": f"Most deprived 20% of areas in {edition.nation}",
                "people": share_12.as_dict(),
                "baseline": {"value": baseline.share_1_2, "display": _pct(baseline.share_1_2)},
                "count": table.cell("1-2"),
            },
        ],
        baseline=baseline_meta,
        rows=rows,
        total={"label": f"All {who} with a decile", "count": table.cell("n")},
        n=table.cell("n"),
        missing=table.reasons(
            [
                (NO_POSTCODE, no_postcode_key),
                (
                    f"postcode outside {edition.nation} or its area has no {edition.label} decile",
                    "no_decile",
                ),
            ]
        ),
        excluded=ctx.excluded_no_person(),
        summary=summary,
        summary_report=summary_report,
        source=edition.title,
        edition=edition.label,
        edition_key=edition.key,
        edition_date=edition.data_date,
    )


def _deprivation_summary(
    nation: str,
    who: str,
    share_1,
    share_12,
    baseline,
    *,
    placed: bool = True,
    voice: str = YOU,
) -> str:
    """The deprivation sentence: "38% of the people you supported live in …" on the
    dashboard, "… the people we supported …" in the report (voice="we")."""
    areas = f"{nation}'s most deprived"
    if not placed:
        could = "we could place" if voice == YOU else "that could be placed"
        return f"None of the {who} counted has a postcode {could} in {nation}'s small areas."
    supported = f"the {who} {voice} supported"
    if share_1.value is not None and share_12.value is not None:
        text = (
            f"{share_1.display} of {supported} live in {areas} 10% of areas, "
            f"and {share_12.display} in the most deprived 20%."
        )
    elif share_12.value is not None:
        text = (
            f"{share_12.display} of {supported} live in {areas} 20% of areas. "
            "The share in the most deprived 10% is not shown, to protect a small number."
        )
    elif share_1.value is not None:
        text = (
            f"{share_1.display} of {supported} live in {areas} 10% of areas. "
            "The share in the most deprived 20% is not shown, to protect a small number."
        )
    else:
        return (
            f"The shares of {supported} living in {areas} areas are not shown: they would "
            "give away a small number."
        )
    if baseline.share_1 is not None:
        text += (
            " Among all residents of the same local authorities, "
            f"{baseline.share_1}% live in the most deprived 10% and "
            f"{baseline.share_1_2}% in the most deprived 20%."
        )
    return text


def _pct(value) -> str:
    return "no data" if value is None else f"{value}%"


def _baseline(ctx: Context, reach: fig.DeprivationReach) -> tuple[fig.Baseline, dict]:
    spec = ctx.spec
    populations: dict[str, dict[int, int]] = {}
    for lad in reach.by_lad:
        lsoas = geo.area_lsoas(area=Area(type=AreaType.LAD, code=lad), lsoa_type=spec.lsoa_type)
        deciles = geo.deciles_for(index=spec.index, codes=lsoas.codes)
        people = geo.populations_for(edition=spec.population_edition, codes=lsoas.codes)
        by_decile: dict[int, int] = {}
        for code in lsoas.codes:
            if code in deciles and code in people:
                by_decile[deciles[code]] = by_decile.get(deciles[code], 0) + people[code]
        populations[lad] = by_decile
    baseline = fig.baseline_share(weights=reach.by_lad, populations=populations)
    names = area_names(set(baseline.lads_used), AreaType.LAD)
    # Name only the local authorities where enough people live (small counts are not named).
    named = [
        names.get(code, code)
        for code in baseline.lads_used
        if reach.by_lad.get(code, 0) >= ctx.threshold
    ]
    hidden = len(baseline.lads_used) - len(named)
    meta = {
        "value_1": baseline.share_1,
        "value_1_2": baseline.share_1_2,
        "population_label": spec.edition.population_label,
        "local_authorities": named,
        "other_local_authorities": hidden,
        "local_authorities_missing": len(baseline.lads_missing),
        "residents": baseline.population if baseline.share_1 is not None else None,
        "method": (
            "The share of residents living in these areas, population-weighted over the "
            "small areas of each local authority the people live in, with each local "
            "authority weighted by how many of the people live there."
        ),
    }
    return baseline, meta


def where(ctx: Context, p: Places) -> dict:
    table = p.table
    n_key = p.placed_key
    lad_rows = [
        {
            "code": lad,
            "label": p.lad_names.get(lad, lad),
            "count": table.cell(f"lad:{lad}"),
            "share": table.share_cell(f"lad:{lad}", n_key),
        }
        for lad in p.lads
    ]
    ward_rows = []
    for lad in p.lads:
        for ward in p.wards_of[lad]:
            ward_rows.append(
                {
                    "code": ward,
                    "label": p.ward_names.get(ward, ward),
                    "local_authority": p.lad_names.get(lad, lad),
                    "local_authority_code": lad,
                    "count": table.cell(f"ward:{lad}:{ward}"),
                    "share": table.share_cell(f"ward:{lad}:{ward}", n_key),
                }
            )
        if f"noward:{lad}" in table:
            ward_rows.append(
                {
                    "code": "",
                    "label": "Ward not known",
                    "local_authority": p.lad_names.get(lad, lad),
                    "local_authority_code": lad,
                    "count": table.cell(f"noward:{lad}"),
                    "share": table.share_cell(f"noward:{lad}", n_key),
                }
            )
    shown_lads = [r for r in lad_rows if r["count"]["value"] is not None]
    top = max(shown_lads, key=lambda r: r["count"]["value"], default=None)
    summary, summary_report = (
        where_summary(ctx.who_word, p.where.n, len(p.lads), top, ward_rows, voice=voice)
        for voice in (YOU, WE)
    )
    who = ctx.who_word
    ctx.sources += ["ons-area-codes"]
    return ctx.base(
        id="where",
        title=f"Where the {who} live",
        counts=(
            f"{who.capitalize()}, each counted once at the ward and local authority of their "
            "most recent usable postcode."
        ),
        value=None,
        local_authorities=lad_rows,
        wards=ward_rows,
        total={"label": f"All {who} with a usable postcode", "count": table.cell(n_key)},
        n=table.cell(n_key),
        missing=table.reasons([(NO_POSTCODE, "no_postcode")]),
        excluded=ctx.excluded_no_person(),
        summary=summary,
        summary_report=summary_report,
        source="Your records; ward and local authority from the postcode directory",
    )


def where_summary(
    who: str, placed: int, lads: int, top: dict | None, ward_rows: list[dict], *, voice: str = YOU
) -> str:
    """Where people live, in the voice of the dashboard ("you") or of the report ("we")."""
    if not placed:
        could = "we could place" if voice == YOU else "that could be placed"
        return f"None of the {who} has a postcode {could}."
    summary = (
        f"The {who} {voice} supported live in {lads} local authorit{'y' if lads == 1 else 'ies'}."
    )
    if top is not None:
        share = f", {top['share']['display']}" if top["share"]["value"] is not None else ""
        summary += f" Most live in {top['label']} ({top['count']['display']}{share})."
    shown_wards = [r for r in ward_rows if r["code"] and r["count"]["value"]]
    if shown_wards:
        best = max(shown_wards, key=lambda r: r["count"]["value"])
        summary += f" The ward with most is {best['label']} ({best['count']['display']})."
    return summary
