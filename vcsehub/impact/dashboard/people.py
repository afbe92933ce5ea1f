"""Who the people are (age band, gender, ethnicity, disability) and their outcomes.

Each table is protected with its coverage: all people = recorded + not recorded.
"""

from __future__ import annotations

from decimal import Decimal

from vcsehub.analytics import impact as fig
from vcsehub.analytics.disclosure import Status, safe_mean
from vcsehub.impact.dashboard.common import Context, counts_table, coverage


def who(ctx: Context) -> dict:
    mapped = set((ctx.dataset.mapping or {}).values())
    tables = []
    for field_name, label in fig.WHO_FIELDS.items():
        counts, not_recorded = fig.who(ctx.people, field_name=field_name)
        is_mapped = (
            field_name in mapped
            or bool(counts)
            or (field_name == "age_band" and {"age", "date_of_birth"} & mapped)
        )
        if not is_mapped:
            continue
        keys = list(counts)
        values = {f"v:{k}": counts[k] for k in keys}
        values["n"] = sum(counts.values())
        everyone = coverage(
            values, counted="n", missing=[("missing", not_recorded)], everyone=ctx.everyone
        )
        rows, total, table = counts_table(
            keys_labels=[(f"v:{k}", k) for k in keys],
            values=values,
            total_key="n",
            total_label=f"All {ctx.who_word} with their {label.lower()} recorded",
            threshold=ctx.threshold,
            relations=[("n", [f"v:{k}" for k in keys]), everyone],
        )
        ctx.check_everyone(table)
        shown = [r for r in rows if r["count"]["value"] is not None]
        top = max(shown, key=lambda r: r["count"]["value"], default=None)
        if top is not None and top["share"]["value"] is not None:
            summary = (
                f"{label}: the largest group is {top['label']} "
                f"({top['share']['display']} of those recorded)."
            )
        elif top is not None:
            summary = f"{label}: the largest group is {top['label']} ({top['count']['display']})."
        elif values["n"]:
            summary = f"{label}: every group is too small to show."
        else:
            summary = f"{label}: not recorded for anyone in this period."
        tables.append(
            ctx.base(
                id=f"who_{field_name}",
                field=field_name,
                title=label,
                counts=(
                    f"{ctx.who_word.capitalize()} by their most recently recorded {label.lower()}."
                ),
                value=None,
                rows=rows,
                total=total,
                n=table.cell("n"),
                missing=table.reasons([(f"{label.lower()} not recorded", "missing")]),
                excluded=ctx.excluded_no_person(),
                summary=summary,
            )
        )
    return {
        "id": "who",
        "title": f"Who the {ctx.who_word} are",
        "tables": tables,
        "summary": (
            "No age, gender, ethnicity or disability column was mapped."
            if not tables
            else f"Each of the {ctx.who_word} is counted once, by what was recorded most recently."
        ),
    }


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def outcomes(ctx: Context) -> dict:
    result = fig.outcomes(ctx.people)
    dataset = ctx.dataset
    who_word = ctx.who_word
    values = dict(zip(fig.OUTCOME_BANDS, (result.improved, result.same, result.worse), strict=True))
    values["n"] = result.n
    everyone = coverage(
        values,
        counted="n",
        missing=[("one_only", result.one_score_only), ("none", result.no_scores)],
        everyone=ctx.everyone,
    )
    rows, total, table = counts_table(
        keys_labels=[(b, b) for b in fig.OUTCOME_BANDS],
        values=values,
        total_key="n",
        total_label=f"All {who_word} with both scores",
        threshold=ctx.threshold,
        relations=[("n", list(fig.OUTCOME_BANDS)), everyone],
    )
    ctx.check_everyone(table)
    n = table["n"]
    mean = safe_mean(result.changes, threshold=ctx.threshold)
    available = result.n > 0 or result.one_score_only > 0
    label = f" on “{dataset.outcome_label}”" if dataset.outcome_label else ""
    scale = ""
    if dataset.outcome_scale_min is not None and dataset.outcome_scale_max is not None:
        scale = (
            f" on a scale of {_num(dataset.outcome_scale_min)} to {_num(dataset.outcome_scale_max)}"
        )
    improved = table.share("Improved", "n")
    changed = (
        f"{improved.display} improved; the average change was {mean.display} points."
        if improved.value is not None
        else f"The average change was {mean.display} points. How many improved, stayed the "
        "same or got worse is not shown, to protect small numbers."
    )
    # The average's own N is the table's (protected) N, never a second copy of it.
    mean_cell = {**mean.as_dict(), "n": table.cell("n")}
    if not available:
        summary = "No before and after scores were recorded."
    elif result.n == 0:
        summary = (
            f"None of the {who_word} has both a before and an after score{label}{scale}, "
            "so no change can be measured."
        )
    elif n.status is Status.HIDDEN:
        summary = (
            f"Most {who_word} have both a before and an after score{label}{scale}; the "
            f"exact number is not shown because few have no score. {changed}"
        )
    elif not n.shown:
        summary = (
            f"{n.display} {who_word} have both a before and an after score, "
            "so no outcome figures are shown."
        )
    else:
        summary = (
            f"{n.display} {who_word} have both a before and an after score{label}{scale}. {changed}"
        )
    return ctx.base(
        id="outcomes",
        title="Outcomes: before and after",
        counts=(
            f"{who_word.capitalize()} with both a before and an after score: their first "
            "before score and their last after score. Improved means a higher score after "
            "than before."
        ),
        value=mean_cell,
        average_change=mean_cell,
        label=f"“{dataset.outcome_label}”" if dataset.outcome_label else "the outcome score",
        scale=scale.strip(),
        rows=rows,
        total=total,
        n=table.cell("n"),
        missing=table.reasons(
            [
                ("only one of the two scores recorded", "one_only"),
                ("no scores recorded", "none"),
            ]
        )
        if available
        else [],
        excluded=ctx.excluded_no_person(),
        summary=summary,
        available=available,
    )
