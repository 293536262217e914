"""The whole import of one file, for the command and the staff page: read, check, write.

A malformed file imports nothing and says why. By default one bad row stops the whole import;
`partial=True` imports the good rows and skips the bad ones.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
from collections.abc import Iterator

from django.db import IntegrityError
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.catalog.importer.check import ImportReport, Progress, RowChecker
from gongkai.catalog.importer.read import ImportFileError, read_table
from gongkai.catalog.importer.write import do_import_records
from gongkai.core.models import AuditEvent


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import builds its rows.

    An import allocates millions of small objects that live until it ends, so the collector kept
    traversing them all, over and over, for nothing: ~15 % of the import's CPU time (bench.import_speed).
    Reference counting still frees everything; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _earlier_import(prefix: str) -> AuditEvent | None:
    """The latest import of a file with this content that created records, if any."""
    events = AuditEvent.objects.filter(
        action="catalog.import.completed", after__source__endswith=prefix
    ).order_by("-at", "-id")
    for event in events[:20]:
        if int((event.after or {}).get("imported", 0)) > 0:
            return event
    return None


def fingerprint(content: bytes) -> str:
    """How a file's content is named in the audit trail (the SHA-256 prefix)."""
    return f"sha256:{hashlib.sha256(content).hexdigest()[:16]}"


def earlier_import(content: bytes) -> AuditEvent | None:
    """The latest import of a file with this content that created records, if any."""
    return _earlier_import(fingerprint(content))


def import_file(
    name: str,
    content: bytes,
    *,
    actor: User,
    now: dt.datetime,
    partial: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    allow_repeat: bool = False,
) -> ImportReport:
    """Read, check and (unless dry_run) import one file; never raises for bad input.

    A file with the same content as one already imported (records created) is refused unless
    `allow_repeat`: its rows without an index number would be created a second time."""
    with _collector_paused():
        return _import_file(
            name,
            content,
            actor=actor,
            now=now,
            partial=partial,
            dry_run=dry_run,
            progress=progress,
            allow_repeat=allow_repeat,
        )


def _import_file(
    name: str,
    content: bytes,
    *,
    actor: User,
    now: dt.datetime,
    partial: bool,
    dry_run: bool,
    progress: Progress | None,
    allow_repeat: bool,
) -> ImportReport:
    source = f"{name} {fingerprint(content)}"
    report = ImportReport(source=source, dry_run=dry_run, partial=partial)
    earlier = None if allow_repeat else earlier_import(content)
    if earlier is not None:
        at = timezone.localtime(earlier.at)
        who = earlier.actor_label or "-"
        count = int((earlier.after or {}).get("imported", 0))
        report.file_error = ImportFileError(
            f"此文件已于 {at:%Y-%m-%d %H:%M} 由 {who} 导入（{count} 条信息），本次未导入。"
            "如确需再次导入同一文件，请使用命令 gongkai import_catalog --allow-repeat。",
            f"This file was already imported on {at:%Y-%m-%d %H:%M} by {who} ({count} records); "
            "nothing was imported now. To import the same file again, use "
            "`gongkai import_catalog --allow-repeat`.",
        )
        return report
    try:
        table = read_table(content)
    except ImportFileError as exc:
        report.file_error = exc
        return report
    report.kind, report.encoding = table.kind, table.encoding
    checked = RowChecker(now=now).check(table, progress=progress)
    report.total = checked.total
    report.errors = checked.errors
    report.bad_rows = checked.bad_rows
    report.valid = len(checked.rows)
    if dry_run:
        return report
    try:
        result = do_import_records(
            checked, actor=actor, now=now, partial=partial, source=source, progress=progress
        )
    except IntegrityError as exc:
        report.file_error = ImportFileError(
            "导入时索引号与他人同时录入的信息冲突，未导入任何信息，请重试。",
            "An index number was taken by someone else during the import; nothing was imported, try again.",
        )
        report.file_error.__cause__ = exc
        return report
    except ImportFileError as exc:
        report.file_error = exc
        return report
    report.imported, report.published, report.drafts = result.imported, result.published, result.drafts
    if result.index_numbers:
        report.first_index_number = result.index_numbers[0]
        report.last_index_number = result.index_numbers[-1]
    return report
