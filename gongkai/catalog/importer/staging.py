"""Files an import is waiting on, and how far a background import has got (docs/import.md).

All of them live in `DATA_DIR/import-staging/`, which the web server and the job worker share:

- `<user>-<token>.upload`: a previewed file, kept so that "import" does not ask for it again;
  claimed once (renamed to `.claimed`) by the post that imports it, so of two posts of the same
  form (a double click, a reload) one wins;
- `<user>-<sha256>.importing`: the bytes a queued or running `catalog.import` job reads. It is
  created exclusively, so the same file sent twice (a re-sent upload) is queued once; the job
  removes it only when its import has committed, so a job killed mid-way finds it again. One left
  by a run that failed for good (no queued or running run names it) is taken over by the next send;
- `run-<id>.progress`: the stages of a running import (JSON, replaced atomically). The import is
  one transaction, so its progress cannot go through the database while it runs: a second
  connection would wait on SQLite's write lock, and the job's own writes are seen only at commit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from gongkai.accounts.models import User
from gongkai.catalog.importer.check import ImportReport, RowError
from gongkai.catalog.importer.read import ImportFileError
from gongkai.core.models import JobRun, JobState

JOB_NAME = "catalog.import"
STAGING_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
# Progress is written at most once per interval and stage, plus at each stage's end.
PROGRESS_INTERVAL = 0.5
# The stages of an import as the page shows them, in order ("read" reports nothing: it is over
# when "check" starts).
STAGES = ("read", "check", "save", "index")
# A stored report keeps this many row errors (the page lists 1,000; the command lists them all).
KEPT_ERRORS = 1000


def staging_dir() -> Path:
    path = Path(settings.DATA_DIR) / "import-staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _active(held: Path) -> bool:
    """Whether a queued or running import job reads this held file."""
    return JobRun.objects.filter(
        name=JOB_NAME, state__in=[JobState.QUEUED, JobState.RUNNING], arguments__path=held.name
    ).exists()


def remove_old_files() -> None:
    """Forget previews nobody imported and leftovers older than a day (never a file a job waits on)."""
    cutoff = time.time() - STAGING_SECONDS
    for old in staging_dir().iterdir():
        with contextlib.suppress(FileNotFoundError):  # taken by another request meanwhile
            if old.stat().st_mtime >= cutoff:
                continue
            if old.suffix in {".upload", ".claimed", ".progress", ".tmp"} or (
                old.suffix == ".importing" and not _active(old)
            ):
                old.unlink()


def stage_upload(user: User, content: bytes) -> str:
    """Keep a previewed file under a new token (nothing entered is lost)."""
    remove_old_files()
    token = secrets.token_hex(16)
    (staging_dir() / f"{user.pk}-{token}.upload").write_bytes(content)
    return token


def staged_path(user: User, token: str) -> Path:
    return staging_dir() / f"{user.pk}-{token}.upload"


def claim_staged(user: User, token: str) -> Path | None:
    """Take a staged file for one import; None when another request took it (or it is gone).

    The rename is atomic, so of two posts of the same form one wins."""
    claimed = staging_dir() / f"{user.pk}-{token}.claimed"
    try:
        os.rename(staged_path(user, token), claimed)
    except FileNotFoundError:
        return None
    return claimed


def hold(user: User, content: bytes, *, source: Path | None = None) -> Path | None:
    """The held copy of `content` for one import job, or None when a job already holds it.

    `source` (a claimed preview) becomes the held file; otherwise the bytes are written out. The
    link is exclusive: of two sends of the same bytes, one gets the file."""
    held = staging_dir() / f"{user.pk}-{hashlib.sha256(content).hexdigest()}.importing"
    if source is None:
        source = staging_dir() / f"{user.pk}-{secrets.token_hex(8)}.tmp"
        source.write_bytes(content)
    try:
        try:
            os.link(source, held)
        except FileExistsError:
            if _active(held):
                return None
            # Left by an import that failed for good (or by a send that died before queueing).
            os.replace(source, held)
            return held
    finally:
        source.unlink(missing_ok=True)
    return held


def release(held: Path) -> None:
    held.unlink(missing_ok=True)


def progress_path(run_pk: int) -> Path:
    return staging_dir() / f"run-{run_pk}.progress"


class ProgressFile:
    """The importer's progress callback for a background run: the stages, written to a small file.

    Called from the job's thread ("check") and from the bulk writer's thread ("save", "index" on
    SQLite), hence the lock; each write replaces the file whole, so a reader never sees half."""

    def __init__(self, run_pk: int) -> None:
        self.path = progress_path(run_pk)
        self.stages: dict[str, list[int]] = {}
        self.lock = threading.Lock()
        self.last: tuple[str, float] = ("", 0.0)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        with self.lock:
            self.stages[stage] = [done, total]
            last_stage, last_at = self.last
            if stage == last_stage and now - last_at < PROGRESS_INTERVAL and done < total:
                return
            self.last = (stage, now)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps({"stages": self.stages}))
            os.replace(temporary, self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def read_progress(run_pk: int) -> dict[str, list[int]]:
    """{stage: [done, total]} of a running import; empty before its first step."""
    try:
        data = json.loads(progress_path(run_pk).read_text())
    except (FileNotFoundError, ValueError):
        return {}
    stages = data.get("stages", {}) if isinstance(data, dict) else {}
    return {str(k): [int(v[0]), int(v[1])] for k, v in stages.items()}


def report_to_json(report: ImportReport) -> dict[str, Any]:
    """The report as stored with its run: language-neutral (each message in Chinese and English)."""
    return {
        "source": report.source,
        "dry_run": report.dry_run,
        "partial": report.partial,
        "file_error": (
            [report.file_error.message, report.file_error.message_en] if report.file_error else None
        ),
        "kind": report.kind,
        "encoding": report.encoding,
        "total": report.total,
        "errors": [[e.row, e.column, e.message, e.message_en] for e in report.errors[:KEPT_ERRORS]],
        "error_count": len(report.errors),
        "bad_rows": report.bad_rows,
        "valid": report.valid,
        "imported": report.imported,
        "published": report.published,
        "drafts": report.drafts,
        "first_index_number": report.first_index_number,
        "last_index_number": report.last_index_number,
    }


def report_from_json(data: dict[str, Any]) -> tuple[ImportReport, int]:
    """The stored report back, and how many row errors it had in all."""
    file_error = data.get("file_error")
    report = ImportReport(
        source=data["source"],
        dry_run=data["dry_run"],
        partial=data["partial"],
        file_error=ImportFileError(*file_error) if file_error else None,
        kind=data["kind"],
        encoding=data["encoding"],
        total=data["total"],
        errors=[RowError(row, column, message, en) for row, column, message, en in data["errors"]],
        bad_rows=data["bad_rows"],
        valid=data["valid"],
        imported=data["imported"],
        published=data["published"],
        drafts=data["drafts"],
        first_index_number=data["first_index_number"],
        last_index_number=data["last_index_number"],
    )
    return report, int(data.get("error_count", len(report.errors)))
