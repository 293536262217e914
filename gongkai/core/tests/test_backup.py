"""Backups are proven by restoring them: into a scratch database, then comparing every table's row
count, the audit chain and the attachments with what was backed up."""

from __future__ import annotations

import json
import sqlite3
import tarfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.core import audit, backup, tasks
from gongkai.core.models import AuditEvent, JobRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path, settings):
    root = tmp_path / "media"
    (root / "attachments" / "2026").mkdir(parents=True)
    (root / "attachments" / "2026" / "通知.pdf").write_bytes(b"%PDF-1.4 attachment")
    settings.MEDIA_ROOT = root
    return root


def _events(n: int) -> None:
    for i in range(n):
        audit.log_event("core.test.done", actor=None, note=f"event {i}")


def _scratch_database(tmp_path: Path) -> dict[str, Any]:
    """A database of the same kind as the test database, empty, to restore into."""
    if connection.vendor == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "scratch.sqlite3")}
    import psycopg

    name = f"gongkai_scratch_{uuid.uuid4().hex[:8]}"
    db = dict(connection.settings_dict)
    with psycopg.connect(
        dbname="postgres",
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
    ) as pg:
        pg.execute(f'CREATE DATABASE "{name}"')
    db["NAME"] = name
    return db


def _counts(db: dict[str, Any]) -> dict[str, int]:
    if connection.vendor == "sqlite":
        raw = sqlite3.connect(str(db["NAME"]))
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        counts = backup.table_counts(raw.cursor(), tables, connection.ops.quote_name)
        raw.close()
        return counts
    import psycopg

    with psycopg.connect(
        dbname=str(db["NAME"]),
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
    ) as pg:
        tables = [r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
        return backup.table_counts(pg.cursor(), tables, connection.ops.quote_name)


def test_it_restores_a_backup_into_a_scratch_database_with_every_row_and_attachment(tmp_path, media):
    _events(7)
    archive = backup.backup(tmp_path / "backups")
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["tables"]["core_auditevent"] == AuditEvent.objects.count()
    assert manifest["audit_head"]["seq"] == audit.head().seq  # type: ignore[union-attr]

    scratch = _scratch_database(tmp_path)
    restored_media = tmp_path / "restored-media"
    backup.restore(archive, database=scratch, media_root=restored_media)

    counts = _counts(scratch)
    for table, count in manifest["tables"].items():
        assert counts[table] == count, table
    assert (restored_media / "attachments" / "2026" / "通知.pdf").read_bytes() == b"%PDF-1.4 attachment"


def test_it_refuses_an_archive_whose_part_was_altered(tmp_path, media):
    archive = backup.backup(tmp_path)
    unpacked = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    (unpacked / "media.tar").write_bytes(b"not the attachments")
    forged = tmp_path / "forged.tar"
    with tarfile.open(forged, "w") as tar:
        for name in (
            "manifest.json",
            backup.SQLITE_PART if connection.vendor == "sqlite" else backup.PG_PART,
            "media.tar",
        ):
            tar.add(unpacked / name, arcname=name)
    with pytest.raises(backup.BackupError, match=r"media\.tar"):
        backup.restore(forged, database=_scratch_database(tmp_path), media_root=tmp_path / "m")


def test_the_commands_write_prune_and_ask_before_replacing(tmp_path, media, capsys):
    for _ in range(3):
        call_command("backup", "--to", str(tmp_path), "--keep", "2")
    archives = sorted(tmp_path.glob("gongkai-backup-*.tar"))
    assert len(archives) == 2
    assert str(archives[-1]) in capsys.readouterr().out
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archives[-1]))


def test_the_daily_backup_is_queued_once_at_its_hour_and_writes_an_archive(
    tmp_path, media, settings, time_machine
):
    settings.BACKUP_DIR = tmp_path / "daily"
    settings.BACKUP_AT_HOUR = 2
    time_machine.move_to("2026-12-03 01:30:00+08:00")
    assert tasks.queue_daily_backup() is None
    time_machine.move_to("2026-12-03 02:05:00+08:00")
    run = tasks.queue_daily_backup()
    assert run is not None
    assert tasks.queue_daily_backup() is None  # the second worker's hourly check
    assert JobRun.objects.get(pk=run.pk).state == "done"
    assert len(list((tmp_path / "daily").glob("gongkai-backup-*.tar"))) == 1
