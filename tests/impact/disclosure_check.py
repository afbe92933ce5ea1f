"""A check over the dashboard figures JSON: no hidden count can be worked out by subtraction.

Every set of shown counts that describe the same population is written out here as a
relation (a total and the counts that add up to it), read straight from the JSON:

- all people = each figure's N + each of its missing reasons (repeat use, deprivation,
  where people live, each "who" table, outcomes);
- people placed by a postcode = people with a decile + those placed with no decile;
- a figure's N = its rows (deciles, local authorities, wards of each local authority,
  groups, outcome bands); deciles 1–2 = decile 1 + decile 2;
- all contacts = dated + undated; dated contacts = the months;
- rows read = stored + left out + repeats; left out = its reasons; contacts counted =
  contacts by postcode outcome.

In each relation whose total is shown, either no count is hidden, or at least two are
and together they hold at least the minimum: otherwise subtracting the shown counts from
the total gives a hidden count (or a small sum of them). A hidden total needs a hidden
count among its parts. A share of a hidden N must not pin N down.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = {"value": 0, "display": "0", "suppressed": None}


def shown(cell: dict) -> bool:
    return cell["value"] is not None


def _missing(figure: dict) -> list[dict]:
    return [m["count"] for m in figure.get("missing") or []]


def relations(figures: dict) -> list[tuple[str, dict, list[dict]]]:
    """(name, total, cells) for every relation the figures JSON shows."""
    f = figures["figures"]
    everyone = f["repeat_use"]["total"]["count"]
    out: list[tuple[str, dict, list[dict]]] = []
    if f["repeat_use"]["available"]:
        out.append(("repeat use", everyone, [r["count"] for r in f["repeat_use"]["rows"]]))

    contacts = f["reach"]["contacts"]
    month = f["by_month"]
    out.append(("all contacts", contacts, [month["total"]["contacts"], *_missing(month)]))
    out.append(("months", month["total"]["contacts"], [r["contacts"] for r in month["rows"]]))

    dep = f["deprivation"]
    out.append(("deprivation coverage", everyone, [dep["n"], *_missing(dep)]))
    out.append(("deciles", dep["n"], [r["count"] for r in dep["rows"]]))
    d1, d2 = dep["rows"][0]["count"], dep["rows"][1]["count"]
    out.append(("deciles 1-2", dep["comparison"][1]["count"], [d1, d2]))

    where = f["where"]
    out.append(("where coverage", everyone, [where["n"], *_missing(where)]))
    out.append(("local authorities", where["n"], [r["count"] for r in where["local_authorities"]]))
    for lad in where["local_authorities"]:
        wards = [w["count"] for w in where["wards"] if w["local_authority_code"] == lad["code"]]
        out.append((f"wards of {lad['label']}", lad["count"], wards))
    no_decile = [
        m["count"] for m in dep.get("missing") or [] if m["reason"].startswith("postcode outside")
    ]
    out.append(("placed", where["n"], [dep["n"], *(no_decile or [ZERO])]))

    for table in f["who"]["tables"]:
        out.append((f"{table['title']} coverage", everyone, [table["n"], *_missing(table)]))
        out.append((table["title"], table["n"], [r["count"] for r in table["rows"]]))

    outcomes = f["outcomes"]
    if outcomes["available"]:
        out.append(("outcomes coverage", everyone, [outcomes["n"], *_missing(outcomes)]))
        out.append(("outcome bands", outcomes["n"], [r["count"] for r in outcomes["rows"]]))

    dq = f["data_quality"]
    read, stored, excluded, duplicate = (r["count"] for r in dq["rows"])
    out.append(("rows read", read, [stored, excluded, duplicate]))
    out.append(("rows left out", excluded, [e["count"] for e in dq["excluded"]]))
    counted, *statuses = (r["count"] for r in dq["contacts"][: len(dq["contacts"]) - 2])
    out.append(("contacts counted", counted, statuses))
    return out


FIGURES_CHECKED = {
    "reach",
    "by_month",
    "repeat_use",
    "deprivation",
    "where",
    "who",
    "outcomes",
    "data_quality",
}


def _pct(numerator: int, denominator: int) -> Decimal:
    return (Decimal(numerator) * 100 / denominator).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def problems(figures: dict) -> list[str]:
    """What could be worked out from the figures (empty when nothing can)."""
    t = figures["min_display_count"]
    assert set(figures["figures"]) == FIGURES_CHECKED, "a new figure needs its relations here"
    found = []
    for name, total, cells in relations(figures):
        hidden = [c for c in cells if not shown(c)]
        if shown(total):
            rest = total["value"] - sum(c["value"] for c in cells if shown(c))
            if len(hidden) == 1:
                found.append(f"{name}: the one hidden count is {total['value']} minus the rest")
            elif hidden and rest < t:
                found.append(f"{name}: the hidden counts add up to {rest}")
            elif not hidden and rest != 0:
                found.append(f"{name}: the counts do not add up ({rest} over)")
        elif cells and not hidden and total["suppressed"]:
            found.append(f"{name}: the hidden total is the sum of its shown counts")
    found += _share_problems(figures, t)
    return found


def _share_problems(figures: dict, t: int) -> list[str]:
    """A share of a hidden N must read the same for every N near the true one."""
    f = figures["figures"]
    everyone = f["repeat_use"]["total"]["count"]
    if not shown(everyone):
        return []
    tables = [("deprivation", f["deprivation"]["n"], f["deprivation"]["rows"])]
    tables.append(("where", f["where"]["n"], f["where"]["local_authorities"]))
    tables += [(t_["title"], t_["n"], t_["rows"]) for t_ in f["who"]["tables"]]
    tables.append(("outcomes", f["outcomes"]["n"], f["outcomes"]["rows"]))
    found = []
    for name, n, rows in tables:
        if shown(n):
            continue
        for row in rows:
            if not shown(row["count"]) or row["share"]["value"] is None:
                continue
            share = Decimal(str(row["share"]["value"]))
            c = row["count"]["value"]
            candidates = [
                d
                for d in range(max(c, everyone["value"] - t + 1, 1), everyone["value"])
                if _pct(c, d) == share
            ]
            if len(candidates) < 2:
                found.append(f"{name}: the share of {row['label']} gives N away")
    return found
