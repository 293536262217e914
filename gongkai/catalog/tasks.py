"""Catalog background jobs (core/jobs.py), loaded by `gongkai run_huey`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.catalog import search_bulk
from gongkai.catalog.choices import Status
from gongkai.catalog.importer import ImportFileError, ImportReport, import_file, staging
from gongkai.catalog.models import ImportOutcome
from gongkai.core import audit, clock, jobs
from gongkai.core.models import JobRun


@jobs.job(
    name="catalog.search.reindex",
    label=gettext_lazy("重建全文检索索引"),
    retries=2,
    retry_delay=60,
    atomic=False,
    lease=dt.timedelta(minutes=5),
)
def reindex(*, batch: int = 5000) -> None:
    """Rebuild the search index, one transaction a batch. A re-run (after a crash) starts again
    from an empty index, so nothing is indexed twice; each batch renews the lease."""
    jobs.report_progress(0, None, _("清空索引"))
    done = search_bulk.rebuild(
        batch=batch,
        progress=lambda done, total: jobs.report_progress(done, total, _("已索引 %(n)s 条") % {"n": done}),
    )
    jobs.report_progress(done, done, _("已索引 %(n)s 条") % {"n": done})


@jobs.job(
    name=staging.JOB_NAME,
    label=gettext_lazy("导入目录"),
    # One transaction: a kill leaves nothing and the sweep runs it again. An error in the import
    # itself (not a bad file: that is a report) is not retried by itself; the jobs page can.
    retries=0,
    # The lease is renewed only when the import commits (its progress goes to a file, not the
    # database): long enough for the largest import. A killed worker on this host is found at once.
    lease=dt.timedelta(minutes=60),
)
def import_catalog(
    *,
    path: str,
    name: str,
    partial: bool = False,
    actor: int,
    ip: str | None = None,
    allow_repeat: bool = False,
) -> None:
    """Import the held file `path` (in the staging folder) as reviewer `actor`; keep the report
    with the run. The held file goes only once the import has committed."""
    run = jobs.current_run()
    assert run is not None, "catalog.import runs as a job"
    held = staging.staging_dir() / Path(path).name
    progress = staging.ProgressFile(run.pk)
    user = User.objects.get(pk=actor)
    previous_ip = audit.current_ip()
    audit.set_request_ip(ip)  # the address of the reviewer who sent the file, as on the page
    try:
        try:
            content = held.read_bytes()
        except FileNotFoundError:
            report = ImportReport(source=name, partial=partial)
            report.file_error = ImportFileError(
                "待导入的文件已不存在，未导入任何信息，请重新上传。",
                "The file to import is gone; nothing was imported. Upload it again.",
            )
        else:
            report = import_file(
                name,
                content,
                actor=user,
                now=clock.now(),
                partial=partial,
                progress=progress,
                allow_repeat=allow_repeat,
            )
    finally:
        audit.set_request_ip(previous_ip)
    ImportOutcome.objects.create(run=run, report=staging.report_to_json(report))
    jobs.report_progress(report.imported, report.total, _("已导入 %(n)s 条") % {"n": report.imported})

    def clean_up() -> None:
        staging.release(held)
        progress.remove()

    transaction.on_commit(clean_up)


def start_import(
    user: User,
    name: str,
    content: bytes,
    *,
    partial: bool,
    claimed: Path | None = None,
    ip: str | None = None,
    allow_repeat: bool = False,
) -> JobRun | None:
    """Queue the import of `content` as `user`; None when the same file is already queued or running.

    `claimed` is a previewed file taken by `staging.claim_staged`: it becomes the held file."""
    held = staging.hold(user, content, source=claimed)
    if held is None:
        return None
    return import_catalog.enqueue(
        started_by=user,
        path=held.name,
        name=name[:200],
        partial=partial,
        actor=user.pk,
        ip=ip,
        allow_repeat=allow_repeat,
    )


@jobs.job(
    name="catalog.attachment.extract",
    label=gettext_lazy("提取附件文字"),
    retries=1,
    retry_delay=60,
    # the child process is stopped after extract.Limits.seconds (60 s); the lease leaves room for that
    lease=dt.timedelta(minutes=5),
)
def extract_attachment(*, attachment: int) -> None:
    """Extract the text of `attachment` (bounded child process) and index it with its record.

    A published record leaves the index with the text it was indexed with, then comes back with
    the file's text (a contentless FTS5 row is forgotten only by its exact tokens). A re-run
    extracts again and writes the same row."""
    from gongkai.catalog import extract, search
    from gongkai.catalog.models import Attachment, AttachmentText, Record

    found = Attachment.objects.filter(pk=attachment).first()
    if found is None:
        return
    try:
        path = Path(found.file.path)
        result = extract.extract_file(path, found.extension)
    except (OSError, ValueError):
        result = extract.Extraction(AttachmentText.State.FAILED, note=_("附件文件不存在，无法提取文字。"))
    record = Record.objects.select_for_update().get(pk=found.record_id)
    indexed = record.status == Status.PUBLISHED
    if indexed:
        search.unindex_record(record.pk)
    AttachmentText.objects.update_or_create(
        attachment=found,
        defaults={
            "record": record,
            "state": result.state,
            "text": result.text,
            "pages": result.pages,
            "note": result.note[:300],
            "extracted_at": clock.now(),
        },
    )
    if indexed:
        search.index_records([record])
    jobs.report_progress(1, 1, result.note or _("已提取 %(n)s 个字符") % {"n": len(result.text)})


def queue_extraction(attachment_pk: int, record_pk: int) -> None:
    """Inside the act adding a file: its text row (pending) and the job, in the same transaction."""
    from gongkai.catalog.models import AttachmentText

    AttachmentText.objects.get_or_create(attachment_id=attachment_pk, defaults={"record_id": record_pk})
    extract_attachment.enqueue(attachment=attachment_pk)
