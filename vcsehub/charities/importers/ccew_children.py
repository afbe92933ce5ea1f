"""CCEW: the tables that hang off a main charity (classifications, areas, financial years).

Rows are read and built by `_messages` (in a second process when the importer says so),
and written here as they arrive.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

from vcsehub.charities.importers import values as v
from vcsehub.charities.importers.ccew_read import Tally, ccew_built
from vcsehub.charities.importers.ccew_years import ccew_years_makes, ccew_years_trim
from vcsehub.charities.importers.parallel import forked
from vcsehub.charities.models import AreaLookup, AreaOfOperation, Classification, FinancialYear
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
    years = ccew_years_makes(ids=ids, vendor=connection.vendor)
    layouts = {
        "classification": (Classification, CLASSIFICATION_FIELDS, ""),
        "area": (AreaOfOperation, AREA_FIELDS, ""),
        **{table: (FinancialYear, fields, conflict) for table, _, fields, conflict in years},
    }
    prepared = {name: bulk_layout(model=m, fields=f) for name, (m, f, _) in layouts.items()}

    def writer(name: str):
        model, _, suffix = layouts[name]
        columns = prepared[name][0]
        table = model._meta.db_table
        return lambda rows: table_rows_insert(
            table=table, columns=columns, rows=rows, suffix=suffix
        )

    def messages() -> Iterator[tuple]:
        def send(name: str, table, make, post=None):
            tally = Tally(table.table, table.name)
            prepare = prepared[name][1]
            for rows in ccew_built(table, make, tally=tally):
                if post is not None:
                    rows = post(rows)
                if rows:
                    yield ("rows", name, list(prepare(rows)))
            yield ("tally", tally)

        yield from send(
            "classification",
            tables["charity_classification"],
            _classification_make(ids),
            _once_per_charity(),
        )
        yield from send("area", tables["charity_area_of_operation"], _area_make(ids, lookup))
        for table, make, _, _ in years:
            yield from send(table, tables[table], make)

    importer.consume(
        forked(messages, fork=importer.parallel), {name: writer(name) for name in layouts}
    )
    ccew_years_trim(register=importer.register)


def _classification_make(ids):
    def make(text, column):
        org, kind_at, code_at, label_at = (
            column["organisation_number"],
            column["classification_type"],
            column["classification_code"],
            column["classification_description"],
        )

        def build(values):
            charity_id = ids.get(v.integer_fast(values[org]))
            if charity_id is None:
                return None  # a linked charity's classification: kept with the main charity's
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


def _area_make(ids, lookup):
    def make(text, column):
        org, area_type_at, description_at, parent_type_at, parent_at = (
            column["organisation_number"],
            column["geographic_area_type"],
            column["geographic_area_description"],
            column["parent_geographic_area_type"],
            column["parent_geographic_area_description"],
        )

        def build(values):
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
