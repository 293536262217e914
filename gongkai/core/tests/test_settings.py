from pathlib import Path

from gongkai.settings import database_from_url


def test_database_url_switches_to_postgresql():
    db = database_from_url("postgres://u:p%40ss@127.0.0.1:5433/gk")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["PASSWORD"] == "p@ss"
    assert db["PORT"] == "5433"


def test_sqlite_url():
    db = database_from_url("sqlite:////srv/gongkai/x.sqlite3")
    assert db["NAME"] == str(Path("/srv/gongkai/x.sqlite3"))
