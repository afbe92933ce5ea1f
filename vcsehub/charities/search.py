"""Find charities by name, number or org-id, with filters and counts per filter value.

One function, `organisation_search`, for every caller (pages, API, reconciliation). The
full-text engine depends on the database, chosen by connection.vendor:

- SQLite: the FTS5 table `charities_charity_fts` (see migration 0002), ranked by bm25;
- PostgreSQL: the tsvector table `charities_charity_tsv` (migration 0005) and to_tsquery
  over its GIN index, ranked by ts_rank + pg_trgm word similarity; when the words find
  no name at all, pg_trgm word similarity finds names with misspelt words.

Every word of the query must match the start of a word of a name (current or other
names), so "canc life" finds "Cancer Lifeline". An exact charity number, company number
or org-id comes first. The query is reduced to letters and digits before it reaches the
engine, so quotes, `*`, `-`, `NEAR` and the like are just words, never syntax.

Speed on a full register (400,000 charities): the engine finds the matching ids; when
there are more than SQL_FACETS_MAX of them, or no words at all (browsing), the total,
the filters and the counts per value come from the in-memory facet index
(search_facets.py), so a search that matches tens of thousands of charities costs a few
bitset operations instead of a database row per charity and category. Fewer matches are
counted by the database. Matches are ranked by the engine's score up to RANK_EXACT_MAX
matches; above it, see RANK_EXACT_MAX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from vcsehub.charities.classification import (
    INCOME_BAND_LABELS,
    INCOME_BAND_NONE,
    company_number_normalise,
    search_words,
)
from vcsehub.charities.models import AreaOfOperation, Charity, Classification, Register, Status
from vcsehub.charities.search_facets import FacetIndex, facet_index

MAX_PAGE_SIZE = 100
MAX_QUERY_CHARS = 200
MAX_WORDS = 12
FACET_LIMIT = 25
# Up to this many full-text matches, the database filters, counts and ranks them. Above
# it, the counts come from the in-memory facet index (search_facets.py), which costs the
# same for any number of matches.
SQL_FACETS_MAX = 300
# Up to this many full-text matches, they are ranked by the engine's relevance score
# (bm25 / ts_rank), which costs a few microseconds per match. A broader search (a short
# word found in tens of thousands of names) lists the names with fewest words first, then
# by name: the order the score gives when each name holds the word once.
RANK_EXACT_MAX = 5_000
REGISTER_ALIASES = {
    "ccew": Register.CCEW, "ew": Register.CCEW, "e&w": Register.CCEW, "gb-chc": Register.CCEW,
    "england and wales": Register.CCEW,
    "oscr": Register.OSCR, "sc": Register.OSCR, "gb-sc": Register.OSCR, "scotland": Register.OSCR,
    "ccni": Register.CCNI, "ni": Register.CCNI, "nic": Register.CCNI, "gb-nic": Register.CCNI,
    "northern ireland": Register.CCNI,
}  # fmt: skip
LAD_MODES = {"based", "works"}
_ORG_ID = re.compile(r"^GB-(CHC|SC|NIC|COH)-([A-Z0-9]+)$")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    items: list[Charity]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 20


def organisation_search(
    *,
    q: str = "",
    register: str | None = None,
    status: str | None = None,
    income_band: str | None = None,
    classification: str | None = None,
    lad_code: str | None = None,
    lad_mode: str = "based",
    page: int = 1,
    page_size: int = 20,
) -> SearchResult:
    """Charities matching `q` and the filters: a page of them, how many in all, and facets.

    Filters: register ("ccew"/"oscr"/"ccni", or "EW"/"SC"/"NI"), status ("registered" /
    "removed"), income_band (a code from classification.INCOME_BANDS, or "none" for no
    income data), classification (a code such as "105" or a label), lad_code (a local
    authority GSS code) with lad_mode "based" (postcode in it) or "works" (area of
    operation). Raises ValueError for a filter value that does not exist.
    """
    page = max(1, int(page))
    page_size = min(MAX_PAGE_SIZE, max(1, int(page_size)))
    filters = {
        "register": register,
        "status": status,
        "income_band": income_band,
        "classification": classification,
        "lad_code": lad_code,
        "lad_mode": lad_mode,
    }
    base = _filtered(**filters)
    text = (q or "").strip()[:MAX_QUERY_CHARS]
    words = search_words(text)[:MAX_WORDS]
    exact = _exact_condition(text)
    engine = _POSTGRES if connection.vendor == "postgresql" else _SQLITE
    if not text:
        index = facet_index()
        matched_bits = _filter_bits(index, **filters)
        total = matched_bits.bit_count()
        if connection.vendor == "sqlite":
            # The index's name order is SQLite's; another engine sorts by its own collation.
            ids = index.ids(
                matched_bits, limit=page_size, offset=(page - 1) * page_size, by_name=True
            )
            rows = Charity.objects.in_bulk(ids)
            items = [rows[i] for i in ids if i in rows]
        else:
            start = (page - 1) * page_size
            items = list(base.order_by("name", "org_id")[start : start + page_size])
        facets = _index_facets(index, matched_bits) if total else {}
        return SearchResult(items, total, facets, page, page_size)
    found = engine.matching_id_list(words) if words else []
    if len(found) <= SQL_FACETS_MAX:
        return _small_search(engine, base, words, exact, found, page=page, page_size=page_size)
    # Many matches: counts from the facet index, filters as bitsets.
    index = facet_index()
    candidates = index.bits(found)
    exact_all = (
        list(Charity.objects.filter(exact).values_list("id", flat=True)[:1000]) if exact else []
    )
    if exact_all:
        candidates |= index.bits(exact_all)
    matched_bits = candidates & _filter_bits(index, **filters)
    total = matched_bits.bit_count()
    exact_ids = (
        list(base.filter(exact).order_by("org_id").values_list("id", flat=True)[:50])
        if exact
        else []
    )
    start = (page - 1) * page_size
    ids = exact_ids[start : start + page_size]
    wanted = page_size - len(ids)
    if wanted:
        offset = max(0, start - len(exact_ids))
        ranked_bits = matched_bits & ~index.bits(exact_ids) if exact_ids else matched_bits
        if len(found) <= min(RANK_EXACT_MAX, engine.rank_max or RANK_EXACT_MAX):
            ranked = engine.ranked_in(index, ranked_bits, words, found)
            ids += ranked[offset : offset + wanted]
        else:
            ids += index.ids(ranked_bits, limit=wanted, offset=offset)
    rows = Charity.objects.in_bulk(ids)
    items = [rows[i] for i in ids if i in rows]
    facets = _index_facets(index, matched_bits) if total else {}
    return SearchResult(items, total, facets, page, page_size)


def _small_search(engine, base, words, exact, found, *, page, page_size) -> SearchResult:
    """Few matches: the database filters, counts and ranks them (always current)."""
    condition = exact if exact is not None else Q(pk__in=[])
    if found:
        condition = condition | Q(pk__in=found)
    # The few matching ids first, so that the counts below never make the database
    # weigh the filters (a category filter above all) against every charity.
    matched_ids = list(base.filter(condition).values_list("id", flat=True))
    matched = Charity.objects.filter(pk__in=matched_ids)
    exact_ids = (
        list(base.filter(exact).order_by("org_id").values_list("id", flat=True)[:50])
        if exact
        else []
    )
    items = _ranked_page(engine, base, words, found, exact_ids, page=page, page_size=page_size)
    total = len(matched_ids)
    return SearchResult(
        items=items,
        total=total,
        facets=_facets(matched) if total else {},
        page=page,
        page_size=page_size,
    )


# -- filters ---------------------------------------------------------------------------------


def register_code(value: str) -> str:
    code = REGISTER_ALIASES.get(value.strip().lower())
    if code is None:
        raise ValueError(f"There is no register called {value!r}. Use ccew, oscr or ccni.")
    return code


def _filtered(*, register, status, income_band, classification, lad_code, lad_mode) -> QuerySet:
    charities = Charity.objects.all()
    if register:
        charities = charities.filter(register=register_code(register))
    if status:
        if status.lower() not in Status.values:
            raise ValueError(f"There is no status called {status!r}. Use registered or removed.")
        charities = charities.filter(status=status.lower())
    if income_band:
        band = INCOME_BAND_NONE if income_band.lower() == "none" else income_band.lower()
        if band not in INCOME_BAND_LABELS:
            raise ValueError(f"There is no income band called {income_band!r}.")
        charities = charities.filter(income_band=band)
    if classification:
        wanted = Classification.objects.filter(charity_id=OuterRef("pk")).filter(
            _classification_condition(classification)
        )
        charities = charities.filter(Exists(wanted))
    if lad_code:
        if lad_mode not in LAD_MODES:
            raise ValueError(f"lad_mode must be 'based' or 'works', not {lad_mode!r}.")
        code = lad_code.strip().upper()
        if lad_mode == "based":
            charities = charities.filter(lad_code=code)
        else:
            charities = charities.filter(
                id__in=AreaOfOperation.objects.filter(gss_code=code).values("charity_id")
            )
    return charities


def _exact_condition(text: str) -> Q | None:
    """Numbers and org-ids: the charity with exactly this number comes first."""
    value = re.sub(r"\s+", "", text).upper()
    if not value or len(value) > 40:
        return None
    conditions = Q(org_id=value)
    org = _ORG_ID.match(value)
    if org:
        if org.group(1) == "COH":
            company = company_number_normalise(org.group(2))
            return Q(company_number=company) if company else conditions
        return conditions
    if re.fullmatch(r"(SC)?\d{1,8}", value):
        number = value if value.startswith("SC") else str(int(value))
        conditions |= Q(registered_number=number)
        if value.startswith("SC"):
            conditions |= Q(registered_number=f"SC{value[2:].zfill(6)}")
    company = company_number_normalise(value) if re.fullmatch(r"([A-Z]{2})?\d{6,8}", value) else ""
    if company:
        conditions |= Q(company_number=company)
    if conditions == Q(org_id=value) and not value.startswith("GB-"):
        return None
    return conditions


# -- ranking -----------------------------------------------------------------------------------


def _ranked_page(
    engine,
    base: QuerySet,
    words: list[str],
    found: list[int],
    exact_ids: list[int],
    *,
    page: int,
    page_size: int,
):
    start = (page - 1) * page_size
    ids = exact_ids[start : start + page_size]
    wanted = page_size - len(ids)
    if wanted and words:
        offset = max(0, start - len(exact_ids))
        ids += engine.ranked_ids(
            base, words, found=found, exclude=exact_ids, limit=wanted, offset=offset
        )
    found = Charity.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _where_sql(base: QuerySet) -> tuple[str, tuple]:
    """The filters of a Charity queryset as SQL over the charities_charity table."""
    if not base.query.where:
        return "", ()
    compiler = base.query.get_compiler(connection=connection)
    sql, params = compiler.compile(base.query.where)
    return sql, tuple(params)


class _Sqlite:
    rank_max = None  # RANK_EXACT_MAX: bm25 comes with the match, at no extra cost

    @staticmethod
    def match_expression(words: list[str]) -> str:
        return " ".join(f'"{word}"*' for word in words)

    def matching_id_list(self, words: list[str]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM charities_charity_fts WHERE charities_charity_fts MATCH %s",
                [self.match_expression(words)],
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked_in(
        self, index: FacetIndex, bits: int, words: list[str], found: list[int]
    ) -> list[int]:
        """The matches in `bits`, best first: bm25, then name (from the index)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, rank FROM charities_charity_fts WHERE charities_charity_fts MATCH %s",
                [self.match_expression(words)],
            )
            scored = cursor.fetchall()
        data = bits.to_bytes((index.size >> 3) + 1, "little")
        size, name_rank = index.size, index.name_rank
        kept = [
            (rank, name_rank[i], i)
            for i, rank in scored
            if i < size and data[i >> 3] >> (i & 7) & 1
        ]
        kept.sort()
        return [i for _, _, i in kept]

    def ranked_ids(self, base: QuerySet, words, *, found, exclude, limit, offset) -> list[int]:
        # The FTS query runs first, once (MATERIALIZED); the filters then apply to its rows.
        sql = (
            "WITH m AS MATERIALIZED (SELECT rowid AS id, rank FROM charities_charity_fts "
            "WHERE charities_charity_fts MATCH %s) "
            "SELECT m.id FROM m JOIN charities_charity ON charities_charity.id = m.id"
        )
        params: list = [self.match_expression(words)]
        where_sql, where_params = _where_sql(base)
        conditions = [where_sql] if where_sql else []
        params += list(where_params)
        if exclude:
            conditions.append(f"m.id NOT IN ({', '.join(['%s'] * len(exclude))})")
            params += list(exclude)
        if conditions:
            sql += " WHERE " + " AND ".join(f"({c})" for c in conditions)
        sql += " ORDER BY m.rank, charities_charity.name LIMIT %s OFFSET %s"
        params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


class _Postgres:
    """Words and prefixes through the narrow tsvector table `charities_charity_tsv` (GIN
    index, migration 0005); misspelt words through pg_trgm word similarity (GIN trigram
    index on the charity table, migration 0002).

    Each query is written so that the planner can use those indexes: the columns and the
    operators exactly as indexed. The misspelling part only runs when the words themselves
    find no name (so PostgreSQL finds what SQLite finds whenever SQLite finds anything):
    on a full register it costs a few hundred milliseconds.
    """

    # Scoring reads each match's name from the wide charity table: up to this many matches
    # (about 100 ms on a full register), above it the index order, as for RANK_EXACT_MAX.
    rank_max = 1_000
    SCORE = (
        "COALESCE(ts_rank(t.search_vector, to_tsquery('simple', %s)), 0) "
        "+ word_similarity(%s, c.search_text)"
    )

    @staticmethod
    def tsquery(words: list[str]) -> str:
        return " & ".join(f"'{word}':*" for word in words)

    @staticmethod
    def phrase(words: list[str]) -> str:
        return " ".join(words)

    def matching_id_list(self, words: list[str]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM charities_charity_tsv "
                "WHERE search_vector @@ to_tsquery('simple', %s)",
                [self.tsquery(words)],
            )
            found = [row[0] for row in cursor.fetchall()]
            if found:
                return found
            cursor.execute(
                "SELECT id FROM charities_charity WHERE %s <%% charities_charity.search_text",
                [self.phrase(words)],
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked_in(
        self, index: FacetIndex, bits: int, words: list[str], found: list[int]
    ) -> list[int]:
        """The matches in `bits`, best first (score, then name in the database's collation).

        Only the matches already found are scored; the full-text match is not run again.
        """
        data = bits.to_bytes((index.size >> 3) + 1, "little")
        wanted = [i for i in found if i < index.size and data[i >> 3] >> (i & 7) & 1]
        return self._ranked(wanted, words)

    def ranked_ids(self, base: QuerySet, words, *, found, exclude, limit, offset) -> list[int]:
        allowed = set(base.filter(pk__in=found).values_list("id", flat=True)) - set(exclude)
        ranked = self._ranked([i for i in found if i in allowed], words)
        return ranked[offset : offset + limit]

    def _ranked(self, ids: list[int], words: list[str]) -> list[int]:
        if not ids:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id FROM charities_charity c "  # noqa: S608 - words are parameters
                "LEFT JOIN charities_charity_tsv t ON t.id = c.id WHERE c.id = ANY(%s) "
                f"ORDER BY {self.SCORE} DESC, c.name, c.id",
                [ids, self.tsquery(words), self.phrase(words)],
            )
            return [row[0] for row in cursor.fetchall()]


_SQLITE = _Sqlite()
_POSTGRES = _Postgres()


# -- facets ------------------------------------------------------------------------------------


def _facets(matched: QuerySet) -> dict[str, list[FacetValue]]:
    """Counts per value of each filter among the matches. Missing income shows as "none"."""

    groups = (
        matched.order_by()
        .values("register", "status", "income_band")
        .annotate(n=Count("id"))
        .values_list("register", "status", "income_band", "n")
    )
    tallies: dict[str, dict[str, int]] = {"register": {}, "status": {}, "income_band": {}}
    for register, status, band, n in groups:
        for name, value in (("register", register), ("status", status), ("income_band", band)):
            tallies[name][value] = tallies[name].get(value, 0) + n
    # Charities, not category rows: a register can give a charity the same category twice.
    classifications = (
        Classification.objects.filter(charity_id__in=matched.order_by().values("id"))
        .values("code", "label")
        .annotate(n=Count("charity_id", distinct=True))
        .values_list("code", "label", "n")
    )
    return _facet_values(tallies, {(code, label): n for code, label, n in classifications})


def _facet_values(
    tallies: dict[str, dict[str, int]], categories: dict[tuple[str, str], int]
) -> dict[str, list[FacetValue]]:
    labels = {
        "register": dict(Register.choices),
        "status": dict(Status.choices),
        "income_band": INCOME_BAND_LABELS,
    }
    facets = {
        name: [
            FacetValue(value=value or "none", label=str(labels[name].get(value, value)), count=n)
            for value, n in sorted(values.items(), key=lambda item: (-item[1], item[0]))
            if n
        ]
        for name, values in tallies.items()
    }
    top = sorted(categories.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))
    top = top[:FACET_LIMIT]
    facets["classification"] = [
        FacetValue(value=code, label=label, count=n) for (code, label), n in top if n
    ]
    return facets


def _index_facets(index: FacetIndex, matched: int) -> dict[str, list[FacetValue]]:
    tallies = {
        name: {value: (matched & bits).bit_count() for value, bits in values.items()}
        for name, values in index.values.items()
    }
    for name in ("register", "status", "income_band"):
        tallies.setdefault(name, {})
    categories = {pair: (matched & bits).bit_count() for pair, bits in index.categories.items()}
    return _facet_values(tallies, categories)


def _filter_bits(
    index: FacetIndex, *, register, status, income_band, classification, lad_code, lad_mode
) -> int:
    """The charities the filters allow, as a bitset (filter values already checked)."""
    bits = index.everything
    if register:
        bits &= index.values["register"].get(register_code(register), 0)
    if status:
        bits &= index.values["status"].get(status.lower(), 0)
    if income_band:
        band = INCOME_BAND_NONE if income_band.lower() == "none" else income_band.lower()
        bits &= index.values["income_band"].get(band, 0)
    if classification:
        codes = set(_labels_matching(classification))
        wanted = 0
        for (code, label), pair_bits in index.categories.items():
            if code == classification or label in codes:
                wanted |= pair_bits
        bits &= wanted
    if lad_code:
        code = lad_code.strip().upper()
        if lad_mode == "based":
            found = Charity.objects.filter(lad_code=code).values_list("id", flat=True)
        else:
            found = AreaOfOperation.objects.filter(gss_code=code).values_list(
                "charity_id", flat=True
            )
        bits &= index.bits(found.iterator(chunk_size=20000))
    return bits


def _classification_condition(value: str) -> Q:
    """A category row matching a code (e.g. "105") or a label, whatever its case."""
    labels = _labels_matching(value)
    return Q(code=value) | Q(label__in=labels) if labels else Q(code=value)


def _labels_matching(value: str) -> list[str]:
    """The stored category labels equal to `value` ignoring case (as label__iexact would).

    Read from the label index one distinct label at a time (a few dozen lookups), not by
    scanning millions of category rows.
    """
    table = Classification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE labels(label) AS (SELECT MIN(label) FROM {table} "  # noqa: S608 - our table
            f"UNION ALL SELECT (SELECT MIN(label) FROM {table} WHERE label > labels.label) "
            "FROM labels WHERE labels.label IS NOT NULL) "
            "SELECT label FROM labels WHERE label IS NOT NULL AND UPPER(label) = UPPER(%s)",
            [value],
        )
        return [row[0] for row in cursor.fetchall()]
