"""The dashboard figures of one dataset: disclosure-controlled, JSON-ready, one call.

`dashboard_figures(dataset, period=..., edition=...)` reads the dataset's records once,
computes every figure with `analytics.impact`, protects small counts with
`analytics.disclosure`, and returns plain dicts, lists, strings, numbers and None. The
dashboard page, its CSV, the report (HTML and PDF) and the API all show this dict, so
they show the same figures. A hidden count is never in it: only its marker.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max

from vcsehub.analytics import impact as fig
from vcsehub.analytics.disclosure import (
    SafeCount,
    fewer_than,
    min_display_count,
    safe_count,
    safe_mean,
    safe_share,
    suppress,
)
from vcsehub.geography import area_selectors as geo
from vcsehub.geography.models import Area, AreaType
from vcsehub.impact.models import Dataset, Record, Upload
from vcsehub.sources.models import ImportRun
from vcsehub.sources.registry import Source, get_source
from vcsehub.sources.selectors import import_runs_latest_success

CACHE_SECONDS = 24 * 60 * 60

EDITION_SPECS = {spec.edition.key: spec for spec in geo.EDITIONS}
DEFAULT_EDITION = "imd2025"
POSTCODE_SOURCES = ("nspl", "onspd", "postcodes-derived-lsoa-wmca")
ROW_FIELDS = (
    "contact_date",
    "person_key",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
    "outcome_before",
    "outcome_after",
    "postcode_status",
    "lsoa11",
    "lsoa21",
    "ward_code",
    "lad_code",
    "imd2019_decile",
    "imd2025_decile",
    "id",
)
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Period:
    """Dates to count from and to (either may be open)."""

    start: date | None = None
    end: date | None = None

    @property
    def chosen(self) -> bool:
        return self.start is not None or self.end is not None


def long_date(value: date) -> str:
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def month_label(value: date, *, short: bool = False) -> str:
    name = MONTH_NAMES[value.month - 1]
    return f"{name[:3]} {value.year}" if short else f"{name} {value.year}"


def period_text(first: date | None, last: date | None, period: Period) -> tuple[str, str]:
    """('April 2025 to March 2026', 'Between April 2025 and March 2026')."""
    if period.chosen:
        start = long_date(period.start) if period.start else None
        end = long_date(period.end) if period.end else None
        if start and end:
            return f"{start} to {end}", f"Between {start} and {end}"
        if start:
            return f"from {start}", f"Since {start}"
        return f"up to {end}", f"Up to {end}"
    if first is None or last is None:
        return "no dated contacts", "Over all the records"
    if (first.year, first.month) == (last.year, last.month):
        return month_label(first), f"In {month_label(first)}"
    return (
        f"{month_label(first)} to {month_label(last)}",
        f"Between {month_label(first)} and {month_label(last)}",
    )


# -- reading ------------------------------------------------------------------------------


def dataset_rows(dataset: Dataset, period: Period) -> tuple[list[fig.VisitRow], int]:
    """The dataset's records in the period as plain rows, and how many undated records the
    period left out (a record with no date cannot be placed in a chosen period)."""
    records = Record.objects.filter(dataset=dataset)
    undated_left_out = 0
    if period.chosen:
        undated_left_out = records.filter(contact_date__isnull=True).count()
        records = records.exclude(contact_date__isnull=True)
        if period.start:
            records = records.filter(contact_date__gte=period.start)
        if period.end:
            records = records.filter(contact_date__lte=period.end)
    rows = [fig.VisitRow(*values) for values in records.values_list(*ROW_FIELDS).iterator(2000)]
    return rows, undated_left_out


def _uploads(dataset: Dataset) -> list[Upload]:
    return list(
        Upload.objects.filter(dataset=dataset, status=Upload.Status.CONFIRMED).order_by("id")
    )


def _names(codes: set[str], area_type: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in (
        Area.objects.filter(type=area_type, code__in=list(codes))
        .order_by("year")
        .values_list("code", "name")
    ):
        names[code] = name
    return names


def _source(source_id: str) -> Source | None:
    try:
        return get_source(source_id)
    except LookupError:
        return None


# -- building blocks ------------------------------------------------------------------------


def _cell(count: SafeCount) -> dict:
    return count.as_dict()


def _share(count: SafeCount, total: SafeCount) -> dict:
    return safe_share(count, total).as_dict()


def _reasons(items: list[tuple[str, int]], threshold: int) -> list[dict]:
    """Missing or excluded counts, each with its reason (zeros left out)."""
    return [
        {"reason": reason, "count": _cell(safe_count(count, threshold=threshold))}
        for reason, count in items
        if count
    ]


def _table(
    *,
    keys_labels: list[tuple[str, str]],
    values: dict[str, int],
    total_key: str,
    total_label: str,
    threshold: int,
    relations: list | None = None,
    extra_keys: tuple[str, ...] = (),
) -> tuple[list[dict], dict, dict[str, SafeCount]]:
    """Rows (label, count, share of the total) and the total row, suppressed together."""
    ordered = {key: values[key] for key, _ in keys_labels}
    for key in extra_keys:
        ordered[key] = values[key]
    ordered[total_key] = values[total_key]
    rel = relations if relations is not None else [(total_key, [k for k, _ in keys_labels])]
    safe = suppress(ordered, rel, threshold=threshold)
    total = safe[total_key]
    rows = [
        {"key": key, "label": label, "count": _cell(safe[key]), "share": _share(safe[key], total)}
        for key, label in keys_labels
    ]
    return rows, {"label": total_label, "count": _cell(total)}, safe


def _counts_text(n: int, unit: str) -> str:
    word = unit if n != 1 else unit[:-1] if unit == "contacts" else "person"
    return f"{n:,} {word}"


class _Builder:
    def __init__(self, dataset: Dataset, period: Period, edition: str) -> None:
        if edition not in EDITION_SPECS:
            raise ValueError(f"Unknown deprivation edition {edition!r}.")
        self.dataset = dataset
        self.period = period
        self.spec = EDITION_SPECS[edition]
        self.t = min_display_count()
        self.rows, self.undated_left_out = dataset_rows(dataset, period)
        self.people = fig.people_from_rows(self.rows)
        self.unit = self.people.unit
        self.uploads = _uploads(dataset)
        latest = max((u.confirmed_at for u in self.uploads if u.confirmed_at), default=None)
        self.data_date = long_date(latest.date()) if latest else ""
        self.sources: list[str] = []
        self.people_total = safe_count(self.people.count, threshold=self.t)

    # what each figure counts, in words
    @property
    def who_word(self) -> str:
        return "people" if self.unit == "people" else "contacts"

    def _base(self, **extra) -> dict:
        return {"data_date": self.data_date, "source": "Your records", "edition": "", **extra}

    def _excluded_no_person(self) -> list[dict]:
        if self.unit != "people":
            return []
        return _reasons(
            [
                (
                    "rows with no person reference: counted as contacts only",
                    self.people.contacts_without_person,
                )
            ],
            self.t,
        )

    # -- figures ----------------------------------------------------------------------

    def reach(self, first: date | None, last: date | None) -> dict:
        contacts = safe_count(self.people.contacts, threshold=self.t)
        _, lead = period_text(first, last, self.period)
        if self.unit == "people":
            summary = (
                f"{lead} you supported {self.people_total.display} people over "
                f"{contacts.display} contacts."
            )
            summary_report = (
                f"{lead} we supported {self.people_total.display} people over "
                f"{contacts.display} contacts."
            )
        else:
            summary = (
                f"{lead} you recorded {contacts.display} contacts. The records have no person "
                "reference, so we cannot tell how many different people these were."
            )
            summary_report = f"{lead} we recorded {contacts.display} contacts."
        excluded = self._excluded_no_person()
        if self.undated_left_out:
            excluded += _reasons(
                [
                    (
                        "records with no date: they cannot be placed in the period chosen",
                        self.undated_left_out,
                    )
                ],
                self.t,
            )
        return self._base(
            id="reach",
            title="People reached and contacts",
            counts=(
                "People: different person references. Contacts: rows in your records (one "
                "visit, session or call each)."
            ),
            value=_cell(self.people_total) if self.unit == "people" else None,
            people=_cell(self.people_total) if self.unit == "people" else None,
            contacts=_cell(contacts),
            n=_cell(contacts),
            summary=summary,
            summary_report=summary_report,
            missing=[],
            excluded=excluded,
        )

    def by_month(self, first: date | None, last: date | None) -> dict:
        months, undated = fig.by_month(
            self.rows,
            unit=self.unit,
            first=self.period.start or first,
            last=self.period.end or last,
        )
        values: dict[str, int] = {m.month.isoformat(): m.contacts for m in months}
        values["dated"] = sum(values.values())
        safe_contacts = suppress(
            values, [("dated", [m.month.isoformat() for m in months])], threshold=self.t
        )
        rows = []
        for m in months:
            key = m.month.isoformat()
            rows.append(
                {
                    "key": key,
                    "label": month_label(m.month),
                    "short_label": month_label(m.month, short=True),
                    "people": _cell(safe_count(m.people, threshold=self.t)),
                    "contacts": _cell(safe_contacts[key]),
                }
            )
        busiest = max(
            (m for m in months if safe_contacts[m.month.isoformat()].shown),
            key=lambda m: m.contacts,
            default=None,
        )
        if not months:
            summary = "No record has a date, so contacts cannot be shown by month."
        else:
            summary = (
                f"Contacts are shown for {len(months)} month{'s' if len(months) != 1 else ''}."
            )
            if busiest is not None:
                summary += (
                    f" The busiest month was {month_label(busiest.month)}, with "
                    f"{safe_contacts[busiest.month.isoformat()].display} contacts."
                )
        return self._base(
            id="by_month",
            title=f"{self.who_word.capitalize()} and contacts by month",
            counts=(
                "People: different person references seen in the month (someone who came in "
                "two months counts in both). Contacts: rows dated in the month."
            ),
            value=None,
            rows=rows,
            total={"label": "All dated contacts", "contacts": _cell(safe_contacts["dated"])},
            n=_cell(safe_contacts["dated"]),
            missing=_reasons([("contacts with no date", undated)], self.t),
            excluded=[],
            summary=summary,
        )

    def repeat_use(self) -> dict:
        counts = fig.repeat_use(self.people)
        values = {band: counts[band] for band in fig.REPEAT_BANDS}
        values["all"] = self.people.count
        rows, total, safe = _table(
            keys_labels=[(band, band) for band in fig.REPEAT_BANDS],
            values=values,
            total_key="all",
            total_label="All people",
            threshold=self.t,
        )
        once, more = safe[fig.REPEAT_BANDS[0]], safe[fig.REPEAT_BANDS[2]]
        if self.unit != "people":
            summary = "The records have no person reference, so repeat use cannot be counted."
        else:
            summary = (
                f"{safe_share(once, safe['all']).display} of people came once; "
                f"{safe_share(more, safe['all']).display} came 6 times or more."
            )
            summary = summary[0].upper() + summary[1:]
        return self._base(
            id="repeat_use",
            title="How often people came",
            counts="People by their number of contacts in the period.",
            value=None,
            rows=rows if self.unit == "people" else [],
            total=total,
            n=_cell(self.people_total),
            missing=[],
            excluded=self._excluded_no_person(),
            summary=summary,
            available=self.unit == "people",
        )

    def deprivation(self) -> dict:
        spec = self.spec
        edition = spec.edition
        reach = fig.deprivation_reach(self.people, edition_key=edition.key)
        values: dict[str, int] = {str(d): reach.counts[d] for d in range(1, 11)}
        values["1-2"] = reach.decile_1_2
        values["n"] = reach.n
        safe = suppress(
            values,
            [("n", [str(d) for d in range(1, 11)]), ("1-2", ["1", "2"])],
            threshold=self.t,
        )
        n = safe["n"]
        share_1 = safe_share(safe["1"], n)
        share_12 = safe_share(safe["1-2"], n)
        baseline, baseline_meta = self._baseline(reach)
        rows = [
            {
                "key": str(d),
                "label": "1 (most deprived 10%)"
                if d == 1
                else "10 (least deprived 10%)"
                if d == 10
                else str(d),
                "count": _cell(safe[str(d)]),
                "share": _share(safe[str(d)], n),
            }
            for d in range(1, 11)
        ]
        who = self.who_word
        if not reach.n:
            summary = f"None of the {who} counted has a postcode we could place in {edition.nation}'s small areas."
        else:
            summary = (
                f"{share_1.display} of the {who} you supported live in {edition.nation}'s most "
                f"deprived 10% of areas, and {share_12.display} in the most deprived 20%."
            )
            if baseline.share_1 is not None:
                summary += (
                    f" Among all residents of the same local authorities, the shares are "
                    f"{baseline.share_1}% and {baseline.share_1_2}%."
                )
        self.sources += [spec.source_id, spec.population_source_id]
        return self._base(
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
                    "count": _cell(safe["1"]),
                },
                {
                    "label": f"Most deprived 20% of areas in {edition.nation}",
                    "people": share_12.as_dict(),
                    "baseline": {"value": baseline.share_1_2, "display": _pct(baseline.share_1_2)},
                    "count": _cell(safe["1-2"]),
                },
            ],
            baseline=baseline_meta,
            rows=rows,
            total={"label": f"All {who} with a decile", "count": _cell(n)},
            n=_cell(n),
            missing=_reasons(
                [
                    ("no usable postcode", reach.no_postcode),
                    (
                        f"postcode outside {edition.nation} or its area has no {edition.label} decile",
                        reach.no_decile,
                    ),
                ],
                self.t,
            ),
            excluded=self._excluded_no_person(),
            summary=summary,
            source=edition.title,
            edition=edition.label,
            edition_key=edition.key,
            edition_date=edition.data_date,
        )

    def _baseline(self, reach: fig.DeprivationReach) -> tuple[fig.Baseline, dict]:
        spec = self.spec
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
        names = _names(set(baseline.lads_used), AreaType.LAD)
        # Name only the local authorities where enough people live (small counts are not named).
        named = [
            names.get(code, code)
            for code in baseline.lads_used
            if reach.by_lad.get(code, 0) >= self.t
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

    def where(self) -> dict:
        where = fig.where_people_live(self.people)
        lad_names = _names(set(where.by_lad), AreaType.LAD)
        ward_names = _names(set(where.by_ward), AreaType.WARD)
        lads = sorted(where.by_lad, key=lambda c: (lad_names.get(c, c), c))
        values: dict[str, int] = {}
        relations = []
        for lad in lads:
            wards = sorted(
                (w for w, parent in where.ward_lad.items() if parent == lad),
                key=lambda w: (ward_names.get(w, w), w),
            )
            for ward in wards:
                values[f"ward:{ward}"] = where.by_ward[ward]
            cells = [f"ward:{w}" for w in wards]
            if where.no_ward.get(lad):
                values[f"noward:{lad}"] = where.no_ward[lad]
                cells.append(f"noward:{lad}")
            relations.append((f"lad:{lad}", cells))
        for lad in lads:
            values[f"lad:{lad}"] = where.by_lad[lad]
        values["n"] = where.n
        relations.append(("n", [f"lad:{lad}" for lad in lads]))
        safe = suppress(values, relations, threshold=self.t)
        n = safe["n"]
        lad_rows = [
            {
                "code": lad,
                "label": lad_names.get(lad, lad),
                "count": _cell(safe[f"lad:{lad}"]),
                "share": _share(safe[f"lad:{lad}"], n),
            }
            for lad in lads
        ]
        ward_rows = []
        for lad in lads:
            for ward in sorted(
                (w for w, parent in where.ward_lad.items() if parent == lad),
                key=lambda w: (ward_names.get(w, w), w),
            ):
                ward_rows.append(
                    {
                        "code": ward,
                        "label": ward_names.get(ward, ward),
                        "local_authority": lad_names.get(lad, lad),
                        "local_authority_code": lad,
                        "count": _cell(safe[f"ward:{ward}"]),
                        "share": _share(safe[f"ward:{ward}"], n),
                    }
                )
            if f"noward:{lad}" in safe:
                ward_rows.append(
                    {
                        "code": "",
                        "label": "Ward not known",
                        "local_authority": lad_names.get(lad, lad),
                        "local_authority_code": lad,
                        "count": _cell(safe[f"noward:{lad}"]),
                        "share": _share(safe[f"noward:{lad}"], n),
                    }
                )
        shown_lads = [r for r in lad_rows if r["count"]["value"] is not None]
        top = max(shown_lads, key=lambda r: r["count"]["value"], default=None)
        who = self.who_word
        if not where.n:
            summary = f"None of the {who} has a postcode we could place."
        else:
            summary = f"The {who} you supported live in {len(lads)} local authorit{'y' if len(lads) == 1 else 'ies'}."
            if top is not None:
                summary += (
                    f" Most live in {top['label']} ({top['count']['display']}, "
                    f"{top['share']['display']})."
                )
            shown_wards = [r for r in ward_rows if r["code"] and r["count"]["value"]]
            if shown_wards:
                best = max(shown_wards, key=lambda r: r["count"]["value"])
                summary += f" The ward with most is {best['label']} ({best['count']['display']})."
        self.sources += ["ons-area-codes"]
        return self._base(
            id="where",
            title=f"Where the {who} live",
            counts=(
                f"{who.capitalize()}, each counted once at the ward and local authority of their "
                "most recent usable postcode."
            ),
            value=None,
            local_authorities=lad_rows,
            wards=ward_rows,
            total={"label": f"All {who} with a usable postcode", "count": _cell(n)},
            n=_cell(n),
            missing=_reasons([("no usable postcode", where.no_postcode)], self.t),
            excluded=self._excluded_no_person(),
            summary=summary,
            source="Your records; ward and local authority from the postcode directory",
        )

    def who(self) -> dict:
        mapped = set((self.dataset.mapping or {}).values())
        tables = []
        for field_name, label in fig.WHO_FIELDS.items():
            counts, not_recorded = fig.who(self.people, field_name=field_name)
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
            rows, total, safe = _table(
                keys_labels=[(f"v:{k}", k) for k in keys],
                values=values,
                total_key="n",
                total_label=f"All {self.who_word} with a {label.lower()} recorded",
                threshold=self.t,
            )
            shown = [r for r in rows if r["count"]["value"] is not None]
            top = max(shown, key=lambda r: r["count"]["value"], default=None)
            if top is not None:
                summary = f"{label}: the largest group is {top['label']} ({top['share']['display']} of those recorded)."
            elif values["n"]:
                summary = f"{label}: every group is too small to show."
            else:
                summary = f"{label}: not recorded for anyone in this period."
            tables.append(
                self._base(
                    id=f"who_{field_name}",
                    field=field_name,
                    title=label,
                    counts=f"{self.who_word.capitalize()} by their most recently recorded {label.lower()}.",
                    value=None,
                    rows=rows,
                    total=total,
                    n=_cell(safe["n"]),
                    missing=_reasons([(f"{label.lower()} not recorded", not_recorded)], self.t),
                    excluded=self._excluded_no_person(),
                    summary=summary,
                )
            )
        return {
            "id": "who",
            "title": f"Who the {self.who_word} are",
            "tables": tables,
            "summary": (
                "No age, gender, ethnicity or disability column was mapped."
                if not tables
                else f"Each of the {self.who_word} is counted once, by what was recorded most recently."
            ),
        }

    def outcomes(self) -> dict:
        result = fig.outcomes(self.people)
        dataset = self.dataset
        values = dict(
            zip(fig.OUTCOME_BANDS, (result.improved, result.same, result.worse), strict=True)
        )
        values["n"] = result.n
        rows, total, safe = _table(
            keys_labels=[(b, b) for b in fig.OUTCOME_BANDS],
            values=values,
            total_key="n",
            total_label=f"All {self.who_word} with both scores",
            threshold=self.t,
        )
        mean = safe_mean(result.changes, threshold=self.t)
        available = result.n > 0 or result.one_score_only > 0
        label = f"“{dataset.outcome_label}”" if dataset.outcome_label else "the outcome score"
        scale = ""
        if dataset.outcome_scale_min is not None and dataset.outcome_scale_max is not None:
            scale = f" on a scale of {_num(dataset.outcome_scale_min)} to {_num(dataset.outcome_scale_max)}"
        if not available:
            summary = "No before and after scores were recorded."
        elif not safe["n"].shown:
            summary = (
                f"{safe['n'].display} {self.who_word} have both a before and an after score, "
                "so no outcome figures are shown."
            )
        else:
            summary = (
                f"{safe['n'].display} {self.who_word} have both a before and an after score on "
                f"{label}{scale}. {safe_share(safe['Improved'], safe['n']).display} improved; "
                f"the average change was {mean.display} points."
            )
        return self._base(
            id="outcomes",
            title="Outcomes: before and after",
            counts=(
                f"{self.who_word.capitalize()} with both a before and an after score: their first "
                "before score and their last after score. Improved means a higher score after "
                "than before."
            ),
            value=mean.as_dict(),
            average_change=mean.as_dict(),
            label=label,
            scale=scale.strip(),
            rows=rows,
            total=total,
            n=_cell(safe["n"]),
            missing=_reasons(
                [("only one of the two scores recorded", result.one_score_only)], self.t
            ),
            excluded=self._excluded_no_person(),
            summary=summary,
            available=available,
        )

    def data_quality(self) -> dict:
        summaries = [
            fig.UploadSummary(
                name=u.original_name,
                rows_read=u.rows_read,
                rows_stored=u.rows_stored,
                rows_excluded=u.rows_excluded,
                rows_duplicate=u.rows_duplicate,
                excluded_reasons=u.excluded_reasons or {},
            )
            for u in self.uploads
        ]
        dq = fig.data_quality(summaries, self.rows)
        t = self.t
        file_rows = [
            ("Rows read from your files", dq.rows_read),
            ("Rows stored", dq.rows_stored),
            ("Rows left out (see why below)", dq.rows_excluded),
            ("Rows already stored from an earlier file (not stored twice)", dq.rows_duplicate),
        ]
        other_counts = [
            ("Contacts with no date", dq.undated),
            ("Contacts with no person reference", dq.without_person),
        ]
        rows = [
            {"label": label, "count": _cell(safe_count(n, threshold=t))} for label, n in file_rows
        ]
        status_values = dict(sorted(dq.postcode_status.items()))
        status_values["all"] = self.people.contacts
        safe_status = suppress(status_values, [("all", list(dq.postcode_status))], threshold=t)
        counted_rows = [
            {"label": "Contacts counted in these figures", "count": _cell(safe_status["all"])}
        ]
        counted_rows += [
            {"label": f"Contacts: {reason}", "count": _cell(safe_status[reason])}
            for reason in sorted(dq.postcode_status)
        ]
        counted_rows += [
            {"label": label, "count": _cell(safe_count(n, threshold=t))}
            for label, n in other_counts
        ]
        read = safe_count(dq.rows_read, threshold=t)
        stored = safe_count(dq.rows_stored, threshold=t)
        files = f"{dq.uploads} file{'s' if dq.uploads != 1 else ''}"
        used = safe_share(stored, read)
        if not dq.rows_read:
            summary = f"No row counts were recorded for the {files} of this dataset."
        elif used.value is None:
            summary = f"{read.display} rows were read from {files}; {stored.display} were stored."
        else:
            summary = (
                f"{read.display} rows were read from {files}; {stored.display} were stored "
                f"({used.display})."
            )
        return self._base(
            id="data_quality",
            title="Data quality",
            counts="Rows of your files, as read when you uploaded them, and the contacts counted here.",
            value=_cell(stored),
            rows=rows,
            contacts=counted_rows,
            n=_cell(read),
            missing=[],
            excluded=_reasons(sorted(dq.excluded_reasons.items()), t),
            summary=summary,
            uploads=dq.uploads,
        )


def _pct(value: Decimal | None) -> str:
    return "no data" if value is None else f"{value}%"


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _sources(ids: list[str]) -> list[dict]:
    seen: list[Source] = []
    for source_id in ids:
        source = _source(source_id)
        if source is not None and source not in seen:
            seen.append(source)
    return [
        {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "licence": s.licence,
            "licence_url": s.licence_url,
            "attribution": list(s.attribution),
        }
        for s in seen
    ]


def dataset_editions() -> list[dict]:
    return [{"key": key, "label": spec.edition.label} for key, spec in EDITION_SPECS.items()]


def _cache_key(dataset: Dataset, period: Period, edition: str) -> str:
    """Changes whenever anything the figures depend on changes: the records, the uploads,
    the dataset's settings, the minimum count, or any import of open data."""
    records = Record.objects.filter(dataset=dataset).aggregate(n=Count("id"), last=Max("id"))
    uploads = Upload.objects.filter(dataset=dataset).aggregate(
        n=Count("id"), last=Max("confirmed_at")
    )
    last_import = ImportRun.objects.aggregate(last=Max("id"))["last"]
    parts = [
        dataset.pk,
        dataset.created_at,
        dataset.name,
        dataset.organisation.name,
        dataset.mapping,
        dataset.outcome_label,
        str(dataset.outcome_scale_min),
        str(dataset.outcome_scale_max),
        records,
        uploads,
        last_import,
        min_display_count(),
        period.start,
        period.end,
        edition,
    ]
    digest = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()
    return f"impact-dashboard:{dataset.pk}:{digest}"


def dashboard_figures(
    dataset: Dataset, *, period: Period | None = None, edition: str = DEFAULT_EDITION
) -> dict:
    """Every dashboard figure of the dataset, disclosure-controlled and JSON-ready.

    Kept in the cache until the records, uploads, dataset settings, minimum count or open
    data change (the figures are aggregates only: no record is cached).
    """
    period = period or Period()
    if edition not in EDITION_SPECS:
        raise ValueError(f"Unknown deprivation edition {edition!r}.")
    key = _cache_key(dataset, period, edition)
    figures = cache.get(key)
    if figures is None:
        figures = dashboard_figures_uncached(dataset, period=period, edition=edition)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def dashboard_figures_uncached(
    dataset: Dataset, *, period: Period | None = None, edition: str = DEFAULT_EDITION
) -> dict:
    """The figures computed from the records (what `dashboard_figures` caches)."""
    period = period or Period()
    b = _Builder(dataset, period, edition)
    dates = [r.contact_date for r in b.rows if r.contact_date is not None]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    label, _ = period_text(first, last, period)
    figures = {
        "reach": b.reach(first, last),
        "by_month": b.by_month(first, last),
        "repeat_use": b.repeat_use(),
        "deprivation": b.deprivation(),
        "where": b.where(),
        "who": b.who(),
        "outcomes": b.outcomes(),
        "data_quality": b.data_quality(),
    }
    postcode_runs = import_runs_latest_success(source_ids=POSTCODE_SOURCES)
    spec = b.spec
    result = {
        "dataset": {
            "id": dataset.pk,
            "name": dataset.name,
            "organisation": dataset.organisation.name,
            "organisation_slug": dataset.organisation.slug,
        },
        "period": {
            "start": period.start,
            "end": period.end,
            "chosen": period.chosen,
            "first_contact": first,
            "last_contact": last,
            "label": label,
        },
        "summary": figures["reach"]["summary"],
        "unit": b.unit,
        "min_display_count": b.t,
        "suppression": (
            f"Any number of {b.who_word} below {b.t} is shown as “{fewer_than(b.t)}”. Where a "
            "table has a total, one more number is hidden (“not shown”) so the small one "
            "cannot be worked out by subtraction. Shares and averages are shown only when "
            f"every number they are built from is shown, and averages only for {b.t} or more {b.who_word}."
        ),
        "edition": {
            "key": spec.edition.key,
            "label": spec.edition.label,
            "title": spec.edition.title,
            "data_date": spec.edition.data_date,
            "population_label": spec.edition.population_label,
        },
        "editions": dataset_editions(),
        "data_date": b.data_date,
        "figures": figures,
        "sources": _sources([*sorted(postcode_runs), *b.sources, "ons-area-codes"]),
    }
    return _jsonable(result)
