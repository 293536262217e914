"""PostgreSQL search index, very common terms (docs/search.md, "Ranking and the total").

* ``catalog_search_name(record_id, tokens)``: the tokens of the record names alone, under their own
  GIN index (SQLite has had ``catalog_search_name`` since 0003), to find the newest name matches
  of a common term without reading every record that has it.
* Every row of ``catalog_search`` and ``catalog_search_name`` also holds two *recency bucket*
  lexemes, ``#<record_id >> 12>`` and ``##<record_id >> 16>``. ``#`` is ASCII punctuation, so no
  text token can ever equal them. A query for the newest matches of a common term ANDs a few
  bucket lexemes into its tsquery, and GIN then reads only those buckets' part of the term's long
  posting list.

The existing index is converted in place (names tokenised here, buckets added by one UPDATE, GIN
indexes rebuilt after the load). SQLite: nothing to do.
"""

from django.db import migrations

# gongkai.catalog.search.BUCKET_SHIFT and COARSE_SHIFT when this migration was written
BUCKET_SHIFT = 12
COARSE_SHIFT = 16
BATCH = 5000


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        return
    if schema_editor.connection.vendor != "postgresql":
        raise RuntimeError(f"catalog search: unsupported database {schema_editor.connection.vendor!r}")
    from gongkai.catalog.search import pg_tsvector_literal

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("DROP INDEX IF EXISTS catalog_search_tokens")
        cursor.execute(
            "UPDATE catalog_search SET tokens = tokens || array_to_tsvector("
            "ARRAY['#' || (record_id >> %s)::text, '##' || (record_id >> %s)::text])",
            [BUCKET_SHIFT, COARSE_SHIFT],
        )
        cursor.execute(
            "CREATE TABLE catalog_search_name (record_id bigint PRIMARY KEY, tokens tsvector NOT NULL)"
        )
        last = 0
        while True:
            cursor.execute(
                "SELECT s.record_id, r.name FROM catalog_search s JOIN catalog_record r ON r.id = s.record_id "
                "WHERE s.record_id > %s ORDER BY s.record_id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            cursor.executemany(
                "INSERT INTO catalog_search_name (record_id, tokens) VALUES (%s, %s::tsvector)",
                [
                    (pk, f"{pg_tsvector_literal(name)} '#{pk >> BUCKET_SHIFT}' '##{pk >> COARSE_SHIFT}'")
                    for pk, name in rows
                ],
            )
            last = rows[-1][0]
        cursor.execute(
            "CREATE INDEX catalog_search_tokens ON catalog_search USING gin (tokens) WITH (fastupdate = off)"
        )
        cursor.execute(
            "CREATE INDEX catalog_search_name_tokens ON catalog_search_name USING gin (tokens) "
            "WITH (fastupdate = off)"
        )
        cursor.execute("ANALYZE catalog_search")
        cursor.execute("ANALYZE catalog_search_name")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS catalog_search_name")
        cursor.execute(
            "UPDATE catalog_search SET tokens = ts_delete(tokens, "
            "ARRAY['#' || (record_id >> %s)::text, '##' || (record_id >> %s)::text])",
            [BUCKET_SHIFT, COARSE_SHIFT],
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
