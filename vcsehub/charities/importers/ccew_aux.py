"""CCEW: the small facts kept per organisation number, read before the charity table.

Removal reasons (event history), other names, policies, other regulators, published
reports and the number of trustees go into each charity's row. The governing document
table is read only to check and count its rows. Trustees' names are never read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from vcsehub.charities.importers import values as v


@dataclass
class Aux:
    removal_reason: dict[int, tuple[date | None, str]] = field(default_factory=dict)
    other_names: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    policies: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    regulators: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    reports: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    trustees: Counter = field(default_factory=Counter)


def _org(values: list[str], position: int) -> int:
    number = v.integer_fast(values[position])
    if number is None:
        raise ValueError("organisation_number is empty")
    return number


def ccew_aux_read(*, importer, tables: dict) -> Aux:
    aux = Aux()
    interned: dict[str, str] = {}

    def event(text, column):
        org, when_at, type_at, reason_at = (
            column["organisation_number"],
            column["date_of_event"],
            column["event_type"],
            column["reason"],
        )

        def build(values):
            number = _org(values, org)
            when = v.iso_date_fast(values[when_at])
            if text(values[type_at]).lower() == "removed":
                return number, when, text(values[reason_at])
            return None

        return build

    for number, when, reason in importer.rows(tables["charity_event_history"], event):
        previous = aux.removal_reason.get(number)
        if previous is None or (when and previous[0] and when >= previous[0]):
            aux.removal_reason[number] = (when, reason)

    def other_name(text, column):
        org, name_at, kind_at = (
            column["organisation_number"],
            column["charity_name"],
            column["charity_name_type"],
        )

        def build(values):
            name, kind = text(values[name_at]), text(values[kind_at])
            return _org(values, org), name, interned.setdefault(kind, kind)

        return build

    for number, name, kind in importer.rows(tables["charity_other_names"], other_name):
        aux.other_names[number].append((name, kind))

    for table, column_name, kept in (
        ("charity_policy", "policy_name", aux.policies),
        ("charity_other_regulators", "regulator_name", aux.regulators),
    ):

        def named(text, column, column_name=column_name):
            org, name_at = column["organisation_number"], column[column_name]

            def build(values):
                name = text(values[name_at])
                return _org(values, org), interned.setdefault(name, name)

            return build

        for number, name in importer.rows(tables[table], named):
            kept[number].append(name)

    def report(text, column):
        org, date_at, name_at, url_at = (
            column["organisation_number"],
            column["date_published"],
            column["report_name"],
            column["report_location"],
        )

        def build(values):
            published = v.iso_date(values[date_at])
            number = _org(values, org)
            return number, {
                "name": text(values[name_at]),
                "url": text(values[url_at]),
                "date": published.isoformat() if published else None,
            }

        return build

    for number, item in importer.rows(tables["charity_published_report"], report):
        aux.reports[number].append(item)

    def org_only(text, column):
        org = column["organisation_number"]
        return lambda values: _org(values, org)

    # Trustees are only counted: the trustee's name is never read into memory or stored.
    aux.trustees.update(importer.rows(tables["charity_trustee"], org_only, fields_used=2))
    for _ in importer.rows(tables["charity_governing_document"], org_only, fields_used=2):
        pass
    return aux
