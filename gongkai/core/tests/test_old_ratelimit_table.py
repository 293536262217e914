"""The DatabaseCache table the rate limits used before core.RateCounter is gone: `migrate` no
longer creates it (no createcachetable after migrate), and core 0007 drops one left over."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

OLD = "gongkai_ratelimit"


def test_migrate_leaves_no_rate_limit_cache_table():
    assert OLD not in connection.introspection.table_names()
    assert not any(str(c.get("BACKEND", "")).endswith("DatabaseCache") for c in settings.CACHES.values())


def test_the_migration_drops_a_table_left_by_an_older_version():
    migration = importlib.import_module("gongkai.core.migrations.0007_drop_old_ratelimit_cache_table")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {OLD} (cache_key varchar(255) PRIMARY KEY, value text)")
        assert OLD in connection.introspection.table_names(cursor)
        for operation in migration.Migration.operations:
            cursor.execute(operation.sql)
        assert OLD not in connection.introspection.table_names(cursor)
        cursor.execute(migration.Migration.operations[0].sql)  # and nothing when there is none
