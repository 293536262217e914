"""Staff page: import an existing catalog from CSV or XLSX, with a preview (dry run) and a row report.

A preview or an import of a large file takes up to a minute, so the page is streamed: its top, then
the progress of the check / save / index stages, then the report (docs/import.md, "On the page").
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import queue
import re
import secrets
import threading
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

from django import db, forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.importer import ImportReport, Progress, import_file
from gongkai.core import audit, clock

logger = logging.getLogger(__name__)

MAX_BYTES = 30 * 1024 * 1024
MAX_SHOWN_ERRORS = 1000
STAGING_SECONDS = 24 * 3600
# An import's mark older than this was left by a process that died: the largest import takes minutes.
STALE_MARK_SECONDS = 3600
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
# Progress on the page: at most one step per interval, plus one at each change of stage.
PROGRESS_INTERVAL = 0.5
# Something is sent at least this often, so nginx (proxy_read_timeout 60 s) keeps the connection
# while a stage reports nothing (reading a large XLSX, the final commit).
HEARTBEAT_SECONDS = 10.0
# Where the streamed progress and report go in the rendered page; autoescaped text cannot contain "<".
_SLOT = mark_safe("<!--gongkai:import-run-->")

STAGES = {
    "read": gettext_lazy("读取文件"),
    "check": gettext_lazy("检查数据"),
    "save": gettext_lazy("保存信息"),
    "index": gettext_lazy("建立检索索引"),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("目录文件"),
        required=False,
        help_text=gettext_lazy("CSV（UTF-8 或 GB18030）或 XLSX，第一行为列名。"),
    )
    partial = forms.BooleanField(
        label=gettext_lazy("只导入正确的行，跳过有错误的行"),
        required=False,
        help_text=gettext_lazy("不勾选时，只要有一行有错误，就不导入任何一行。"),
    )
    staged = forms.CharField(required=False, widget=forms.HiddenInput)
    staged_name = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大（上限 %(mb)d MB），请拆分后导入。") % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean_staged(self) -> str:
        token = str(self.cleaned_data.get("staged") or "")
        if token and not _TOKEN_RE.match(token):
            raise forms.ValidationError(_("预览已失效，请重新选择文件。"))
        return token


def _staging_dir() -> Path:
    path = Path(settings.DATA_DIR) / "import-staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stage(user: User, content: bytes) -> str:
    """Keep a previewed file so that "import" does not ask for it again (nothing entered is lost)."""
    directory = _staging_dir()
    cutoff = time.time() - STAGING_SECONDS
    for old in directory.iterdir():
        with contextlib.suppress(FileNotFoundError):  # taken by another request meanwhile
            if (
                old.suffix in {".upload", ".claimed", ".importing", ".imported"}
                and old.stat().st_mtime < cutoff
            ):
                old.unlink()
    token = secrets.token_hex(16)
    (directory / f"{user.pk}-{token}.upload").write_bytes(content)
    return token


def _staged_path(user: User, token: str) -> Path:
    return _staging_dir() / f"{user.pk}-{token}.upload"


def _claim_staged(user: User, token: str) -> Path | None:
    """Take a staged file for one import; None when another request took it (or it is gone).

    The rename is atomic, so of two posts of the same form (a double click, a reload) one wins."""
    claimed = _staging_dir() / f"{user.pk}-{token}.claimed"
    try:
        os.rename(_staged_path(user, token), claimed)
    except FileNotFoundError:
        return None
    return claimed


class _Hold:
    """One import's hold on its file's content, so that the same file is not imported twice.

    A re-sent upload (a double click on 导入, a reload of the answer) carries the same bytes, not
    the same staged token: the mark `<user>-<sha256>.importing` is created exclusively while the
    import runs and kept as `.imported` (for STAGING_SECONDS) when it imported records. A file that
    imported nothing (bad rows, a bad file) may be sent again, e.g. with "只导入正确的行" ticked."""

    def __init__(self, mark: Path, staged: Path | None) -> None:
        self.mark = mark
        self.staged = staged
        self.released = False

    @classmethod
    def take(cls, user: User, content: bytes, staged: Path | None) -> _Hold | None:
        mark = _staging_dir() / f"{user.pk}-{hashlib.sha256(content).hexdigest()}.importing"
        try:
            os.close(os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            try:
                age = time.time() - mark.stat().st_mtime
            except FileNotFoundError:  # its import ended just now
                age = 0.0
            if age < STALE_MARK_SECONDS:
                return None
            # Left by a process that died importing (its transaction was rolled back).
            mark.touch()
        if mark.with_suffix(".imported").exists():  # checked after the mark: see release()
            mark.unlink(missing_ok=True)
            return None
        return cls(mark, staged)

    def release(self, report: ImportReport | None) -> None:
        if self.released:
            return
        self.released = True
        if self.staged is not None:
            self.staged.unlink(missing_ok=True)
        if report is not None and report.imported:
            os.replace(self.mark, self.mark.with_suffix(".imported"))
        else:
            self.mark.unlink(missing_ok=True)


@login_required
def import_records(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    assert isinstance(user, User)
    if not user.has_role(Role.REVIEWER):
        messages.error(request, _("只有公开办审核员可以批量导入目录。"))
        return redirect("workbench:dashboard")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    token = form.cleaned_data["staged"]
    dry_run = request.POST.get("action") == "preview"
    staged: Path | None = None
    if upload is not None:
        name, content = upload.name or "upload", upload.read()
    elif token and dry_run and _staged_path(user, token).exists():
        name, content = form.cleaned_data["staged_name"] or "upload", _staged_path(user, token).read_bytes()
    elif token and not dry_run and (staged := _claim_staged(user, token)) is not None:
        name, content = form.cleaned_data["staged_name"] or "upload", staged.read_bytes()
    elif token and not dry_run:
        return _refuse_repeat(request, form)
    else:
        form.add_error("file", _("请选择要导入的文件。"))
        return _page(request, form)
    hold = None
    if not dry_run and (hold := _Hold.take(user, content, staged)) is None:
        if staged is not None:
            staged.unlink(missing_ok=True)
        return _refuse_repeat(request, form)
    partial = bool(form.cleaned_data["partial"])

    def run(progress: Progress) -> ImportReport:
        return import_file(
            name, content, actor=user, now=clock.now(), partial=partial, dry_run=dry_run, progress=progress
        )

    def release(report: ImportReport | None) -> None:
        if hold is not None:
            hold.release(report)

    def report_context(report: ImportReport) -> dict[str, Any]:
        token = _stage(user, content) if dry_run and report.file_error is None else ""
        return _report_context(report, staged=token, staged_name=name if token else "", partial=partial)

    return _streamed_page(request, form, _ImportJob(run), report_context, release)


def _refuse_repeat(request: HttpRequest, form: ImportForm) -> HttpResponse:
    messages.error(request, _("该文件已在导入或已经导入，请勿重复提交。"))
    return _page(request, form, status=409)


def _page(request: HttpRequest, form: ImportForm, *, status: int = 200) -> HttpResponse:
    return render(request, "catalog/staff/import.html", {"nav": "import", "form": form}, status=status)


def _report_context(report: ImportReport, *, staged: str, staged_name: str, partial: bool) -> dict[str, Any]:
    return {
        "report": report,
        "shown_errors": report.errors[:MAX_SHOWN_ERRORS],
        "hidden_errors": max(0, len(report.errors) - MAX_SHOWN_ERRORS),
        "staged": staged,
        "staged_name": staged_name,
        "partial": partial,
    }


class _ImportJob:
    """Runs the import on a second thread, on the request's own database connection.

    The page must be sent while the import runs, and the import is one call: so the request's thread
    streams and this thread imports. It uses the request's connection, not one of its own, so the
    transaction is exactly what it was when the request's thread imported (all or nothing, and
    nested in a test's transaction); the request's thread does not touch the database until this
    thread has ended (bulk.StatementWriter shares a connection the same way). The callbacks come
    from this thread ("check") and from the bulk writer's thread ("save", "index" on SQLite): they
    only put small tuples on a queue, at most one per PROGRESS_INTERVAL and stage."""

    def __init__(self, run: Callable[[Progress], ImportReport]) -> None:
        self.run = run
        self.events: queue.SimpleQueue[tuple[str, int, int] | None] = queue.SimpleQueue()
        self.report: ImportReport | None = None
        self.error: BaseException | None = None
        self.lock = threading.Lock()
        self.last: tuple[str, float] = ("", 0.0)
        self.language = translation.get_language()
        self.ip = audit.current_ip()
        self.connection = db.connections[db.DEFAULT_DB_ALIAS]  # the request thread's connection
        self.thread = threading.Thread(target=self._main, name="gongkai-import")

    def progress(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        with self.lock:
            last_stage, last_at = self.last
            if stage == last_stage and now - last_at < PROGRESS_INTERVAL and done < total:
                return
            self.last = (stage, now)
        self.events.put((stage, done, total))

    def _main(self) -> None:
        # What the request's middleware set on its own thread: the language and the client address.
        translation.activate(self.language)
        audit.set_request_ip(self.ip)
        db.connections[db.DEFAULT_DB_ALIAS] = self.connection
        self.connection.inc_thread_sharing()
        try:
            self.report = self.run(self.progress)
        except BaseException as exc:  # reported on the page and logged by the streaming thread
            self.error = exc
        finally:
            self.connection.dec_thread_sharing()
            del db.connections[db.DEFAULT_DB_ALIAS]
            self.events.put(None)


def _streamed_page(
    request: HttpRequest,
    form: ImportForm,
    job: _ImportJob,
    report_context: Callable[[ImportReport], dict[str, Any]],
    release: Callable[[ImportReport | None], None],
) -> StreamingHttpResponse:
    """The page's top at once, then a progress step now and then, then the report and the bottom."""
    get_token(request)  # the CSRF cookie must be settled before the headers go out
    language = translation.get_language()
    page = render_to_string(
        "catalog/staff/import.html", {"nav": "import", "form": form, "stream_slot": _SLOT}, request
    )
    top, bottom = page.split(_SLOT, 1)

    def chunks() -> Generator[str]:
        yield top
        step = 1
        yield _progress_step(step, "read", 0, 0)
        job.thread.start()
        try:
            while (event := _next_event(job)) is not None:
                if isinstance(event, str):  # nothing new for a while
                    yield "\n"
                    continue
                step += 1
                yield _progress_step(step, *event)
        finally:
            # Also when the browser went away: the import finishes (or rolls back) before the
            # request ends and Django closes the request's connection.
            job.thread.join()
            release(job.report)
        yield f"<style>#import-progress-{step},#import-running{{display:none}}</style>"
        with translation.override(language):
            if job.report is not None:
                yield render_to_string(
                    "catalog/staff/_import_report.html", report_context(job.report), request
                )
            else:
                logger.error("Import failed", exc_info=job.error)
                yield render_to_string("catalog/staff/_import_failed.html", {}, request)
        yield bottom

    def _progress_step(step: int, stage: str, done: int, total: int) -> str:
        with translation.override(language):
            return render_to_string(
                "catalog/staff/_import_progress.html",
                {
                    "step": step,
                    "stage": STAGES.get(stage, stage),
                    "done": done,
                    "total": total,
                    "percent": done * 100 // total if total else 0,
                },
            )

    # A response closed before its import started (the browser went away at once) releases too.
    response = StreamingHttpResponse(
        _Closing(chunks(), lambda: release(None)), content_type="text/html; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx passes each part on at once
    return response


def _next_event(job: _ImportJob) -> tuple[str, int, int] | str | None:
    """The next progress step, "heartbeat" after a quiet while, None when the import has ended."""
    try:
        return job.events.get(timeout=HEARTBEAT_SECONDS)
    except queue.Empty:
        return "heartbeat"


class _Closing:
    """The streamed parts, with something to do when the response is closed, even unstarted."""

    def __init__(self, parts: Generator[str], on_close: Callable[[], None]) -> None:
        self.parts = parts
        self.on_close = on_close

    def __iter__(self) -> Iterator[str]:
        return self.parts

    def close(self) -> None:
        try:
            self.parts.close()
        finally:
            self.on_close()
