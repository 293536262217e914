"""The search index (gongkai/catalog/search.py, docs/search.md): no Django model, SQL per database.

SQLite: a contentless FTS5 table of bigram tokens keyed by record id, and the list of indexed ids.
PostgreSQL: a tsvector of the same tokens per record under a GIN index.
No foreign key (records are never deleted, searches join catalog_record, and a key would stop
Django's test flush from truncating catalog_record). The index starts empty; `gongkai reindex` fills it from the published records.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE catalog_search USING fts5("
    "name, summary, body, content='', tokenize='ascii', detail=full)",
    # names alone: a small index to find name matches of very common terms quickly
    "CREATE VIRTUAL TABLE catalog_search_name USING fts5(name, content='', tokenize='ascii', detail=full)",
    "CREATE TABLE catalog_search_doc (record_id INTEGER PRIMARY KEY, digest INTEGER NOT NULL)",
]
SQLITE_DOWN = [
    "DROP TABLE IF EXISTS catalog_search",
    "DROP TABLE IF EXISTS catalog_search_name",
    "DROP TABLE IF EXISTS catalog_search_doc",
]

POSTGRES_UP = [
    "CREATE TABLE catalog_search (record_id bigint PRIMARY KEY, tokens tsvector NOT NULL)",
    "CREATE INDEX catalog_search_tokens ON catalog_search USING gin (tokens) WITH (fastupdate = off)",
]
POSTGRES_DOWN = ["DROP TABLE IF EXISTS catalog_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"catalog search: unsupported database {schema_editor.connection.vendor!r}")
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_seed_categories_and_pages")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
