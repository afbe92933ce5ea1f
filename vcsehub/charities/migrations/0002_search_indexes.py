"""Full-text search indexes, one kind per database engine.

SQLite: an FTS5 table of folded names (rowid = charity id), filled by the importers.
PostgreSQL: a GIN index on to_tsvector('simple', search_text) for words and prefixes,
and a GIN trigram index (pg_trgm) on search_text for partial words and misspellings.
`CREATE EXTENSION pg_trgm` needs a database user allowed to create extensions.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS charities_charity_fts USING fts5("
    "search_text, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO charities_charity_fts (rowid, search_text) "
    "SELECT id, search_text FROM charities_charity",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS charities_charity_fts"]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS charities_charity_search_fts ON charities_charity "
    "USING GIN (to_tsvector('simple'::regconfig, search_text))",
    "CREATE INDEX IF NOT EXISTS charities_charity_search_trgm ON charities_charity "
    "USING GIN (search_text gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS charities_charity_search_trgm",
    "DROP INDEX IF EXISTS charities_charity_search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("charities", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
