"""CCEW: the tables that hang off a main charity (classifications, areas, financial years).

Rows are read and built by `_messages` (in a second process when the importer says so),
and written here as they arrive.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

from vcsehub.charities.importers import values as v
from vcsehub.charities.importers.ccew_read import Tally, ccew_built
from vcsehub.charities.importers.ccew_years import (
    ccew_years_makes,
    ccew_years_merge,
    ccew_years_stage,
)
from vcsehub.charities.importers.parallel import forked
from vcsehub.charities.models import AreaLookup, AreaOfOperation, Classification
from vcsehub.charities.services import bulk_layout, table_rows_insert

KINDS = {"what": "what", "who": "who", "how": "how"}
CLASSIFICATION_FIELDS = ("charity_id", "kind", "code", "label")
AREA_FIELDS = (
    "charity_id", "area_type", "description", "parent_type", "parent_description", "gss_code",
    "iso_code",
)  # fmt: skip


def ccew_children_load(*, importer, tables: dict, ids: dict[int, int]) -> None:
    lookup = {
        (area_type.lower(), description.lower()): (gss, iso)
        for area_type, description, gss, iso in AreaLookup.objects.values_list(
            "area_type", "description", "gss_code", "iso_code"
        )
    }
    by_text = {str(number): charity_id for number, charity_id in ids.items()}
    years = ccew_years_makes(ids=ids, by_text=by_text, vendor=connection.vendor)
    # name: (table written, its columns, what each batch of built rows needs first)
    layouts = {}
    for name, model, fields in (
        ("classification", Classification, CLASSIFICATION_FIELDS),
        ("area", AreaOfOperation, AREA_FIELDS),
    ):
        columns, prepare = bulk_layout(model=model, fields=fields)
        layouts[name] = (model._meta.db_table, columns, prepare)
    for table, _, stage, columns in years:
        layouts[table] = (stage, columns, None)  # staged rows are stored as built
    ccew_years_stage()

    def writer(name: str):
        table, columns, _ = layouts[name]
        return lambda rows: table_rows_insert(table=table, columns=columns, rows=rows)

    def messages() -> Iterator[tuple]:
        def send(name: str, table, make, post=None):
            tally = Tally(table.table, table.name)
            prepare = layouts[name][2]
            for rows in ccew_built(table, make, tally=tally):
                if post is not None:
                    rows = post(rows)
                if rows:
                    yield ("rows", name, rows if prepare is None else list(prepare(rows)))
            yield ("tally", tally)

        yield from send(
            "classification",
            tables["charity_classification"],
            _classification_make(ids, by_text),
            _once_per_charity(),
        )
        yield from send(
            "area", tables["charity_area_of_operation"], _area_make(ids, by_text, lookup)
        )
        for table, make, _, _ in years:
            yield from send(table, tables[table], make)

    importer.consume(
        forked(messages, fork=importer.parallel), {name: writer(name) for name in layouts}
    )
    ccew_years_merge()


def _classification_make(ids, by_text):
    def make(text, column):
        org, kind_at, code_at, label_at = (
            column["organisation_number"],
            column["classification_type"],
            column["classification_code"],
            column["classification_description"],
        )

        def build(values):
            charity_id = by_text.get(values[org])  # the usual plain number, quickly
            if charity_id is None:
                charity_id = ids.get(v.integer_fast(values[org]))
                if charity_id is None:
                    return None  # a linked charity's: kept with the main charity's
            kind_text = text(values[kind_at])
            kind = KINDS.get(kind_text.lower())
            code = v.integer_fast(values[code_at])
            if kind is None or code is None:
                raise ValueError(f"{kind_text[:20]!r} {code} is not a classification")
            return (charity_id, kind, str(code), text(values[label_at])[:300])

        return build

    return make


def _once_per_charity():
    """Each category once per charity (the file repeats some within a charity's rows)."""
    state: dict = {"last": None, "seen": set()}

    def post(rows: list[tuple]) -> list[tuple]:
        kept = []
        for row in rows:
            charity_id, kind, code, _ = row
            if state["last"] != charity_id:
                state["last"], state["seen"] = charity_id, set()
            if (kind, code) in state["seen"]:
                continue
            state["seen"].add((kind, code))
            kept.append(row)
        return kept

    return post


def _area_make(ids, by_text, lookup):
    def make(text, column):
        org, area_type_at, description_at, parent_type_at, parent_at = (
            column["organisation_number"],
            column["geographic_area_type"],
            column["geographic_area_description"],
            column["parent_geographic_area_type"],
            column["parent_geographic_area_description"],
        )

        def build(values):
            charity_id = by_text.get(values[org])
            if charity_id is None:
                charity_id = ids.get(v.integer_fast(values[org]))
                if charity_id is None:
                    return None
            area_type = text(values[area_type_at])[:40]
            description = text(values[description_at])[:200]
            gss, iso = lookup.get((area_type.lower(), description.lower()), ("", ""))
            return (
                charity_id,
                area_type,
                description,
                text(values[parent_type_at])[:40],
                text(values[parent_at])[:200],
                gss,
                iso,
            )

        return build

    return make
