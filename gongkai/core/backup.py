"""Backup and restore: one archive holding the database, the attachments and a manifest.

The archive (`gongkai-backup-<UTC time>.tar`, mode 0600: it holds personal data) has three parts:
`database.sqlite3` (SQLite's online backup API: a consistent copy while the site runs) or
`database.pgdump` (`pg_dump -Fc`), `media.tar` (every file under MEDIA_ROOT: attachments, issued
letters), and `manifest.json`: the SHA-256 and size of each part, the row count of every table, and
the audit chain's head (seq and hash: a copy of the chain's end kept outside the database; the
head is noted in the audit anchor file too, core/anchors.py). `restore` refuses an archive whose
parts do not match their manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

from gongkai.core import anchors, audit, clock

logger = logging.getLogger(__name__)
MANIFEST = "manifest.json"
MEDIA = "media.tar"
SQLITE_PART = "database.sqlite3"
PG_PART = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on (the message says why)."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def table_counts(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from introspection
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def backup(to_dir: Path | None = None) -> Path:
    """Write one archive into `to_dir` (GONGKAI_BACKUP_DIR by default) and return its path."""
    target = Path(to_dir or settings.BACKUP_DIR)
    target.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    archive = target / f"gongkai-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=target) as scratch:
        work = Path(scratch)
        connection.ensure_connection()
        with connection.cursor() as cursor:
            counts = table_counts(
                cursor, connection.introspection.table_names(cursor), connection.ops.quote_name
            )
        head = audit.head()
        if connection.vendor == "sqlite":
            part = work / SQLITE_PART
            destination = sqlite3.connect(part)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        elif connection.vendor == "postgresql":
            part = work / PG_PART
            db = connection.settings_dict
            _run(["pg_dump", "-Fc", "--no-owner", "--no-acl", "-f", str(part), str(db["NAME"])], _pg_env(db))
        else:
            raise BackupError(f"no backup for the {connection.vendor} database")
        media = work / MEDIA
        with tarfile.open(media, "w") as tar:
            root = Path(settings.MEDIA_ROOT)
            if root.exists():
                tar.add(root, arcname=".")
        manifest = {
            "format": 1,
            "created_at": clock.now().isoformat(),
            "vendor": connection.vendor,
            "parts": {p.name: {"sha256": sha256_file(p), "size": p.stat().st_size} for p in (part, media)},
            "tables": counts,
            "audit_head": {"seq": head.seq, "hash": head.hash} if head else None,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial = archive.with_suffix(".tar.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
            for name in (MANIFEST, part.name, MEDIA):
                tar.add(work / name, arcname=name)
        partial.replace(archive)  # a half-written archive never carries the final name
    if head is not None:
        try:
            anchors.note(head.seq, head.hash, by=f"backup {archive.name}")
        except OSError as exc:  # the archive is made and carries the head: the backup stands
            logger.error("backup: could not note the audit head in the anchor file (%s)", exc)
    return archive


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest of `archive`, nothing else unpacked (`gongkai audit verify --manifest`)."""
    try:
        with tarfile.open(archive) as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
        raise BackupError(f"{archive} is not a readable backup: {exc}") from exc
    return manifest


def read_archive(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack `archive` into `into` and check every part against the manifest; return the manifest."""
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")
        manifest: dict[str, Any] = json.loads((into / MANIFEST).read_text())
    except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
        raise BackupError(f"{archive} is not a readable backup: {exc}") from exc
    for name, expected in manifest["parts"].items():
        path = into / name
        if not path.exists() or sha256_file(path) != expected["sha256"]:
            raise BackupError(f"{archive}: part {name} does not match its manifest (damaged or altered)")
    return manifest


def restore(
    archive: Path, *, database: dict[str, Any] | None = None, media_root: Path | None = None
) -> dict[str, Any]:
    """Replace the database (the default one, or the one `database` describes: a scratch database)
    and the media folder with the archive's; return the manifest. Both must be of the archive's kind."""
    db = database or connection.settings_dict
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        manifest = read_archive(Path(archive), work)
        vendor = (
            "sqlite"
            if "sqlite" in db["ENGINE"]
            else "postgresql"
            if "postg" in db["ENGINE"]
            else db["ENGINE"]
        )
        if vendor != manifest["vendor"]:
            raise BackupError(f"the archive holds a {manifest['vendor']} database; the target is {vendor}")
        if vendor == "sqlite":
            if database is None:
                connections.close_all()
            source = sqlite3.connect(work / SQLITE_PART)
            destination = sqlite3.connect(str(db["NAME"]), uri=str(db["NAME"]).startswith("file:"))
            try:
                source.backup(destination)  # page by page into the live file, under its own locks
            finally:
                source.close()
                destination.close()
        else:
            if database is None:
                connections.close_all()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-acl",
                    "-d",
                    str(db["NAME"]),
                    str(work / PG_PART),
                ],
                _pg_env(db),
            )
        root = Path(media_root or settings.MEDIA_ROOT)
        unpacked = work / "media"
        with tarfile.open(work / MEDIA) as tar:
            tar.extractall(unpacked, filter="data")
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(unpacked, root)
    return manifest


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the `keep` newest archives in `directory`; return what was removed."""
    archives = sorted(directory.glob("gongkai-backup-*.tar"))
    gone = archives[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone
