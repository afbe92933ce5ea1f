"""Write grants and their locations straight into their tables, a batch at a time.

A million grants through `bulk_create` spend most of their time building model objects
and preparing each value field by field. This writer turns normalise.grant's fields into
plain rows once, with each column's value prepared the way Django prepares it for this
database, and sends a batch with COPY (PostgreSQL) or `executemany` (SQLite and others).
It runs inside the importer's transaction, so a failed import still leaves nothing behind.

Grant ids are reserved from the table's own sequence before a batch is written, so the
locations of the batch can point at their grants without reading them back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from django.db import connection, models

from vcsehub.grants.models import Grant, GrantLocation, GrantPurpose
from vcsehub.grants.placing import FROM_RECIPIENT, PLACE_FIELDS, BatchPlacer
from vcsehub.grants.purposes import grant_purposes

Prepare = Callable[[Any], Any]
LOCATION_COLUMNS = ("grant_id", "geo_code", "geo_code_type", "name")
PURPOSE_COLUMNS = ("grant_id", "purpose", "words")
PLACING_INPUT = (
    "recipient_type",
    "recipient_org_id",
    "recipient_other_org_ids",
    "recipient_postcode",
    "beneficiary_locations",
)


def _json(value: Any) -> str:
    if not value and type(value) in (list, dict):
        return "[]" if type(value) is list else "{}"
    return json.dumps(value)


def _preparer(field: models.Field) -> Prepare | None:
    """How to turn a Python value into what this database takes (None: as it is)."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return _json  # what Django stores for a JSONField, on every engine
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


class _Table:
    """The columns of a model's table, in order, with a default and a preparer for each."""

    def __init__(self, model: type[models.Model], *, with_id: bool) -> None:
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.name = model._meta.db_table
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields if not f.primary_key}
        self.prepare = [(i, p) for i, f in enumerate(fields) if (p := _preparer(f)) is not None]
        self._in_order = itemgetter(*self.attnames)

    def row(self, values: dict) -> tuple:
        row = list(self._in_order({**self.defaults, **values}))
        for index, prepare in self.prepare:
            if row[index] is not None:
                row[index] = prepare(row[index])
        return tuple(row)


class GrantRowWriter:
    """Collects prepared grant and location rows and writes them in batches.

    Each batch is placed (placing.py) and classified by purpose (purposes.py) before it
    is written, so the grants go in with their place and purposes: nothing is read back.
    Flush batches of placing.BATCH grants to place them exactly as grants_place would.
    """

    def __init__(self, *, dataset_id: int, run_id: int) -> None:
        self.placer = BatchPlacer()
        self.grants = _Table(Grant, with_id=True)
        self.common = {"dataset_id": dataset_id, "run_id": run_id}
        self._grant_values: list[dict] = []
        self._locations: list[list[dict]] = []
        self._next_id: int | None = None  # SQLite only: the next free id

    @property
    def pending(self) -> int:
        return len(self._grant_values)

    def add(self, fields: dict, funder_id: int | None, locations: list[dict]) -> None:
        """Queue a grant: `fields` (normalise.grant's, not used after) is completed in place."""
        fields.update(self.common)
        fields["funder_id"] = funder_id
        self._grant_values.append(fields)
        self._locations.append(locations)

    def flush(self) -> int:
        count = len(self._grant_values)
        if not count:
            return 0
        ids = self._reserve_ids(count)
        defaults = self.grants.defaults
        placing_rows = []
        for grant_id, values in zip(ids, self._grant_values, strict=True):
            values["id"] = grant_id
            self.placer.funder_org_ids.add(values.get("funder_org_id", defaults["funder_org_id"]))
            placing_rows.append(
                (grant_id, *(values[k] if k in values else defaults[k] for k in PLACING_INPUT))
            )
        places = self.placer.place(placing_rows)
        grant_rows = []
        location_rows = []
        purpose_rows = []
        for values, locations, place in zip(
            self._grant_values, self._locations, places, strict=True
        ):
            grant_id = values["id"]
            values.update(zip(PLACE_FIELDS, place.values(), strict=True))
            if values["place_postcode"] == FROM_RECIPIENT:
                values["place_postcode"] = values.get("recipient_postcode", "")
            grant_rows.append(self.grants.row(values))
            location_rows.extend(
                (grant_id, p["geo_code"], p["geo_code_type"], p["name"]) for p in locations
            )
            found = grant_purposes(
                values.get("title", defaults["title"]),
                values.get("description", defaults["description"]),
            )
            purpose_rows.extend((grant_id, code, _json(words)) for code, words in found.items())
        _write(self.grants.name, self.grants.columns, grant_rows)
        if location_rows:
            _write(GrantLocation._meta.db_table, LOCATION_COLUMNS, location_rows)
        if purpose_rows:
            _write(GrantPurpose._meta.db_table, PURPOSE_COLUMNS, purpose_rows)
        self._grant_values.clear()
        self._locations.clear()
        return count

    def _reserve_ids(self, count: int) -> list[int]:
        table = self.grants.name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if self._next_id is None:
                # Inside the import's transaction this connection is the only writer, so
                # ids above both the highest id and the AUTOINCREMENT counter are free.
                cursor.execute(f'SELECT max(id) FROM "{table}"')  # noqa: S608 - our table name
                highest = cursor.fetchone()[0] or 0
                if connection.vendor == "sqlite":
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                    found = cursor.fetchone()
                    highest = max(highest, found[0] if found else 0)
                self._next_id = highest + 1
            first = self._next_id
            self._next_id += count
            return list(range(first, first + count))


def _write(table: str, columns: list[str] | tuple[str, ...], rows: list[tuple]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # noqa: S608
            rows,
        )
