"""An in-memory facet index, so counts per filter value stay fast on a full register.

Counting categories for tens of thousands of matching charities takes the database a
few hundred milliseconds (one row per charity and category). Here each filter value
(register, status, income band, category) is a bitset over charity ids, held as a Python
int: counting the matches that have a value is one AND and one bit count, whatever the
number of matches. The search still finds the matching charities in the database every
time; only the value each charity has is kept here.

The index is built on first use (a few seconds for 400,000 charities) and built again
when the charity data changes: its key is the highest charity id, category id and
import run id, which change with every import (imports replace rows with new ids), and
on SQLite the rows the connection itself has written.
Code that edits these columns in place, outside the importers, should call
`facet_index_reset()`.
"""

from __future__ import annotations

import threading
from array import array
from collections import deque
from dataclasses import dataclass, field
from itertools import repeat

from django.db import connection

from vcsehub.charities.models import Charity, Classification
from vcsehub.sources.models import ImportRun

FACETS = ("register", "status", "income_band")
ONE = ord("1")


@dataclass
class FacetIndex:
    key: tuple
    size: int
    everything: int = 0
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    categories: dict[tuple[str, str], int] = field(default_factory=dict)
    # Charity ids in a fixed order of name relevance for broad searches: fewest words in
    # the names first (as full-text ranking prefers), then by name.
    order: list[int] = field(default_factory=list)
    # Charity ids by name, then org-id (SQLite's own text order: by code point).
    by_name: list[int] = field(default_factory=list)
    # Each charity's place in `by_name` (0 for ids that are not charities).
    name_rank: array = field(default_factory=lambda: array("l"))

    def bits(self, ids) -> int:
        """The bitset of some charity ids (positive; ids the index does not know are left out)."""
        # One "0"/"1" character per id, read as a binary number (bit i = id i): setting a
        # character is the only per-id step, and it runs in C (deque(map(...))).
        digits = bytearray(b"0" * self.size)
        size = self.size
        wanted = ids if isinstance(ids, list) else list(ids)
        try:
            deque(map(digits.__setitem__, wanted, repeat(ONE)), maxlen=0)
        except IndexError:
            deque(
                map(digits.__setitem__, [i for i in wanted if i < size], repeat(ONE)),
                maxlen=0,
            )
        digits.reverse()
        return int(digits, 2) & self.everything

    def ids(self, bits: int, *, limit: int, offset: int = 0, by_name: bool = False) -> list[int]:
        """The first `limit` ids (after `offset`) of a bitset, in the index's order."""
        found: list[int] = []
        if not bits:
            return found
        data = bits.to_bytes((self.size >> 3) + 1, "little")
        skip = offset
        for charity_id in self.by_name if by_name else self.order:
            if data[charity_id >> 3] >> (charity_id & 7) & 1:
                if skip:
                    skip -= 1
                    continue
                found.append(charity_id)
                if len(found) >= limit:
                    break
        return found


_lock = threading.Lock()
_current: FacetIndex | None = None


def facet_index_reset() -> None:
    global _current
    with _lock:
        _current = None


def facet_index() -> FacetIndex:
    """The index for the data as it is now (built again if the data changed)."""
    global _current
    key = _key()
    current = _current
    if current is not None and current.key == key:
        return current
    with _lock:
        if _current is None or _current.key != key:
            _current = _build(key)
        return _current


def data_version() -> tuple | None:
    """A key that changes whenever the charity data is imported or written (see `_key`), for
    caches of figures worked out from it; None when nothing should be cached: inside a
    PostgreSQL transaction that has written rows, whose changes may yet be rolled back.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT txid_current_if_assigned()")
            if cursor.fetchone()[0] is not None:
                return None
    return _key()


def _key() -> tuple:
    charities = Charity._meta.db_table
    categories = Classification._meta.db_table
    runs = ImportRun._meta.db_table
    # SQLite's total_changes(): rows this connection has written, so that changes made
    # (and perhaps rolled back) on the same connection are noticed too.
    changes = ", total_changes()" if connection.vendor == "sqlite" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {charities}), (SELECT MAX(id) FROM {categories}), "  # noqa: S608 - our tables
            f"(SELECT MIN(id) FROM {charities}), (SELECT MAX(id) FROM {runs}){changes}"
        )
        return (connection.alias, *cursor.fetchone())


def _build(key: tuple) -> FacetIndex:
    size = (key[1] or 0) + 1
    width = (size >> 3) + 1
    index = FacetIndex(key=key, size=size)
    values: dict[str, dict[str, bytearray]] = {name: {} for name in FACETS}
    everything = bytearray(width)
    ranked: list[tuple[int, str, int]] = []
    named: list[tuple[str, str, int]] = []
    charities, categories_table = Charity._meta.db_table, Classification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, register, status, income_band, name, search_text, org_id FROM {charities}"  # noqa: S608
        )
        while rows := cursor.fetchmany(20000):
            for charity_id, register, status, band, name, search_text, org_id in rows:
                byte, bit = charity_id >> 3, 1 << (charity_id & 7)
                everything[byte] |= bit
                for found, value in (
                    (values["register"], register),
                    (values["status"], status),
                    (values["income_band"], band),
                ):
                    data = found.get(value)
                    if data is None:
                        data = found[value] = bytearray(width)
                    data[byte] |= bit
                ranked.append((search_text.count(" "), name, charity_id))
                named.append((name, org_id, charity_id))
        ranked.sort()
        index.order = [charity_id for _, _, charity_id in ranked]
        del ranked
        named.sort()
        index.by_name = [charity_id for _, _, charity_id in named]
        del named
        index.name_rank = array("l", bytes(8 * size)) if size else array("l")
        for place, charity_id in enumerate(index.by_name):
            index.name_rank[charity_id] = place
        categories: dict[tuple[str, str], bytearray] = {}
        cursor.execute(f"SELECT charity_id, code, label FROM {categories_table}")  # noqa: S608
        last, data = None, None
        while rows := cursor.fetchmany(50000):
            for charity_id, code, label in rows:
                if (code, label) != last:
                    last = (code, label)
                    data = categories.get(last)
                    if data is None:
                        data = categories[last] = bytearray(width)
                if charity_id < size:
                    data[charity_id >> 3] |= 1 << (charity_id & 7)
    index.everything = int.from_bytes(everything, "little")
    index.values = {
        facet: {value: int.from_bytes(data, "little") for value, data in found.items()}
        for facet, found in values.items()
    }
    index.categories = {pair: int.from_bytes(data, "little") for pair, data in categories.items()}
    return index
