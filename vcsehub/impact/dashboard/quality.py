"""Data quality: rows read, stored, left out (and why) and repeats; contacts counted.

Relations: rows read = stored + left out + repeats; left out = its reasons; contacts
counted = contacts by postcode outcome.
"""

from __future__ import annotations

from vcsehub.analytics import impact as fig
from vcsehub.analytics.disclosure import safe_count, safe_share
from vcsehub.impact.dashboard.common import ALL, Context, Protected

FILE_ROWS = (
    ("read", "Rows read from your files"),
    ("stored", "Rows stored"),
    ("excluded", "Rows left out (see why below)"),
    ("duplicate", "Rows already stored from an earlier file (not stored twice)"),
)


def data_quality(ctx: Context) -> dict:
    summaries = [
        fig.UploadSummary(
            name=u.original_name,
            rows_read=u.rows_read,
            rows_stored=u.rows_stored,
            rows_excluded=u.rows_excluded,
            rows_duplicate=u.rows_duplicate,
            excluded_reasons=u.excluded_reasons or {},
        )
        for u in ctx.uploads
    ]
    dq = fig.data_quality(summaries, ctx.rows)
    t = ctx.threshold
    reasons = sorted(dq.excluded_reasons.items())
    values = {
        "read": dq.rows_read,
        "stored": dq.rows_stored,
        "excluded": dq.rows_excluded,
        "duplicate": dq.rows_duplicate,
    }
    values |= {f"why:{reason}": count for reason, count in reasons}
    relations = []
    if dq.rows_read == dq.rows_stored + dq.rows_excluded + dq.rows_duplicate:
        relations.append(("read", ["stored", "excluded", "duplicate"]))
    if dq.rows_excluded == sum(count for _, count in reasons):
        relations.append(("excluded", [f"why:{reason}" for reason, _ in reasons]))
    files = Protected(values, relations, threshold=t)
    rows = [{"label": label, "count": files.cell(key)} for key, label in FILE_ROWS]

    status_values = dict(sorted(dq.postcode_status.items()))
    status_values[ALL] = ctx.people.contacts
    statuses = Protected(status_values, [(ALL, list(dq.postcode_status))], threshold=t)
    counted_rows = [{"label": "Contacts counted in these figures", "count": statuses.cell(ALL)}]
    counted_rows += [
        {"label": f"Contacts: {reason}", "count": statuses.cell(reason)}
        for reason in sorted(dq.postcode_status)
    ]
    counted_rows += [
        {"label": label, "count": safe_count(n, threshold=t).as_dict()}
        for label, n in (
            ("Contacts with no date", dq.undated),
            ("Contacts with no person reference", dq.without_person),
        )
    ]
    read, stored = files["read"], files["stored"]
    file_word = f"{dq.uploads} file{'s' if dq.uploads != 1 else ''}"
    used = safe_share(stored, read)
    if not dq.rows_read:
        summary = f"No row counts were recorded for the {file_word} of this dataset."
    elif used.value is None:
        summary = f"{read.display} rows were read from {file_word}; {stored.display} were stored."
    else:
        summary = (
            f"{read.display} rows were read from {file_word}; {stored.display} were stored "
            f"({used.display})."
        )
    return ctx.base(
        id="data_quality",
        title="Data quality",
        counts="Rows of your files, as read when you uploaded them, and the contacts counted here.",
        value=files.cell("stored"),
        rows=rows,
        contacts=counted_rows,
        n=files.cell("read"),
        missing=[],
        excluded=files.reasons([(reason, f"why:{reason}") for reason, _ in reasons]),
        summary=summary,
        uploads=dq.uploads,
    )
