"""PostgreSQL: the folded names as a stored tsvector in a narrow table of their own, with a
GIN index (SQLite has its FTS5 table from 0002, the same idea; nothing to do there).

Measured on a full register (400,000 charities): the expression index of 0002 found a
broad word's matches quickly, but fetching them meant reading a row of the wide charity
table for each (a third of the table for a common word, 0.4-0.6 s), and ranking
recomputed to_tsvector for every row. The narrow table (id, vector) is a tenth of the
size and stays in memory. Like the FTS5 table, it is filled by the importers
(services.charity_search_index_refresh) and emptied with the register
(services.register_rows_delete). The trigram index of 0002 stays: it serves the
misspelt-word part of the search.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE TABLE IF NOT EXISTS charities_charity_tsv "
    "(id bigint PRIMARY KEY, search_vector tsvector NOT NULL)",
    "INSERT INTO charities_charity_tsv (id, search_vector) "
    "SELECT id, to_tsvector('simple'::regconfig, search_text) FROM charities_charity "
    "ON CONFLICT (id) DO NOTHING",
    "CREATE INDEX IF NOT EXISTS charities_charity_tsv_vector ON charities_charity_tsv "
    "USING GIN (search_vector)",
    "DROP INDEX IF EXISTS charities_charity_search_fts",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS charities_charity_search_fts ON charities_charity "
    "USING GIN (to_tsvector('simple'::regconfig, search_text))",
    "DROP TABLE IF EXISTS charities_charity_tsv",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("charities", "0004_saved_questions")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
