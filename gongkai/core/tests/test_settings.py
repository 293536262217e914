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


def test_gunicorn_settings_share_connections_and_let_long_requests_finish(monkeypatch):
    import importlib

    import gongkai.gunicorn_conf as conf

    for name in ("GONGKAI_THREADS", "GONGKAI_WORKER_CONNECTIONS", "GONGKAI_GRACEFUL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    conf = importlib.reload(conf)
    assert conf.worker_class == "gthread"
    assert conf.worker_connections == conf.threads + 10  # a burst of keep-alive connections is shared
    assert conf.graceful_timeout >= 120  # a large import is not cut by a restart
    monkeypatch.setenv("GONGKAI_WORKER_CONNECTIONS", "50")
    assert importlib.reload(conf).worker_connections == 50
    monkeypatch.delenv("GONGKAI_WORKER_CONNECTIONS")
    importlib.reload(conf)
