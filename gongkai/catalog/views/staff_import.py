"""Staff page: import an existing catalog from CSV or XLSX, with a preview (dry run) and a row report.

The preview is answered at once (reading and checking 50,000 rows takes ~2 s). The import runs as
a background job (`catalog.import`, catalog/tasks.py): the post queues it and redirects to the
run's progress page, which refreshes itself while the import runs and then shows the report
(docs/import.md, "On the page").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog import tasks
from gongkai.catalog.importer import ImportReport, earlier_import, import_file, staging
from gongkai.catalog.models import ImportOutcome
from gongkai.core import audit, clock
from gongkai.core.models import JobRun, JobState

MAX_BYTES = 30 * 1024 * 1024
MAX_SHOWN_ERRORS = 1000
# How often the progress page reloads itself while the import runs (no script needed).
REFRESH_SECONDS = 2

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
        if token and not staging.TOKEN_RE.match(token):
            raise forms.ValidationError(_("预览已失效，请重新选择文件。"))
        return token


@login_required
def import_records(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    assert isinstance(user, User)
    if not user.has_role(Role.REVIEWER):
        messages.error(request, _("只有公开办审核员可以批量导入目录。"))
        return redirect("workbench:dashboard")
    if request.method != "POST" and request.GET.get("run"):
        return _run_page(request, request.GET["run"])
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    upload = form.cleaned_data["file"]
    token = form.cleaned_data["staged"]
    partial = bool(form.cleaned_data["partial"])
    preview = request.POST.get("action") == "preview"
    claimed = None
    if upload is not None:
        name, content = upload.name or "upload", upload.read()
    elif token and preview and staging.staged_path(user, token).exists():
        name, content = (
            form.cleaned_data["staged_name"] or "upload",
            staging.staged_path(user, token).read_bytes(),
        )
    elif token and not preview and (claimed := staging.claim_staged(user, token)) is not None:
        name, content = form.cleaned_data["staged_name"] or "upload", claimed.read_bytes()
    elif token and not preview:
        return _refuse_repeat(request, form)
    else:
        form.add_error("file", _("请选择要导入的文件。"))
        return _page(request, form)
    if preview:
        report = import_file(name, content, actor=user, now=clock.now(), partial=partial, dry_run=True)
        token = staging.stage_upload(user, content) if report.file_error is None else ""
        context = _report_context(report, len(report.errors), staged=token, staged_name=name if token else "")
        return _page(request, form, **context)
    if earlier_import(content) is not None:
        if claimed is not None:
            claimed.unlink(missing_ok=True)
        return _refuse_repeat(request, form)
    run = tasks.start_import(user, name, content, partial=partial, claimed=claimed, ip=audit.current_ip())
    if run is None:
        return _refuse_repeat(request, form)
    return redirect(f"{reverse('workbench:import')}?run={run.pk}")


def _refuse_repeat(request: HttpRequest, form: ImportForm) -> HttpResponse:
    messages.error(request, _("该文件已在导入或已经导入，请勿重复提交。"))
    return _page(request, form, status=409)


def _page(request: HttpRequest, form: ImportForm, *, status: int = 200, **context: Any) -> HttpResponse:
    return render(
        request, "catalog/staff/import.html", {"nav": "import", "form": form, **context}, status=status
    )


def _report_context(
    report: ImportReport, error_count: int, *, staged: str, staged_name: str
) -> dict[str, Any]:
    return {
        "report": report,
        "shown_errors": report.errors[:MAX_SHOWN_ERRORS],
        "error_count": error_count,
        "hidden_errors": max(0, error_count - MAX_SHOWN_ERRORS),
        "staged": staged,
        "staged_name": staged_name,
        "partial": report.partial,
    }


def _run_page(request: HttpRequest, run_id: str) -> HttpResponse:
    """One background import: its stages while it runs (reloading itself), then its report."""
    run = JobRun.objects.filter(pk=int(run_id) if run_id.isdigit() else 0, name=staging.JOB_NAME).first()
    if run is None:
        raise Http404(_("没有这次导入。"))
    outcome = ImportOutcome.objects.filter(run=run).first()
    context: dict[str, Any] = {"nav": "import", "form": ImportForm(), "run": run}
    if outcome is not None:
        report, error_count = staging.report_from_json(outcome.report)
        context.update(_report_context(report, error_count, staged="", staged_name=""))
        progress = _finished_stages(report)
    else:
        progress = staging.read_progress(run.pk) if run.state == JobState.RUNNING else {}
    finished = outcome is not None
    running = run.state in {JobState.QUEUED, JobState.RUNNING}
    context.update(
        running=running,
        queued=run.state == JobState.QUEUED,
        failed=run.state == JobState.FAILED or (run.state == JobState.DONE and outcome is None),
        refresh=REFRESH_SECONDS if running else None,
        stages=_stages(progress, started=run.state != JobState.QUEUED or bool(progress), finished=finished),
    )
    response = render(request, "catalog/staff/import_run.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _finished_stages(report: ImportReport) -> dict[str, list[int]]:
    if report.file_error is not None and not report.total:
        return {}
    if report.file_error is not None or not report.imported:
        return {"check": [report.total, report.total]}
    return {
        "check": [report.total, report.total],
        "save": [report.imported, report.imported],
        "index": [report.published, report.published],
    }


def _stages(progress: dict[str, list[int]], *, started: bool, finished: bool) -> list[dict[str, Any]]:
    """Each stage with its figures: done, the one under way, still to come, or (in a finished
    import that stopped early: a bad file, bad rows) not reached."""
    reached = [stage for stage in staging.STAGES if stage in progress]
    current = reached[-1] if reached else ("read" if started else "")
    order = list(staging.STAGES)
    rows = []
    for stage in staging.STAGES:
        done, total = progress.get(stage, [0, 0])
        if finished:
            state = "done" if stage in progress or stage == "read" else "skipped"
        elif current and order.index(stage) < order.index(current):
            state = "done"
        elif stage == current:
            state = "done" if total and done >= total else "running"
        else:
            state = "waiting"
        if stage == "read" and state == "done":
            done = total = 1
        rows.append(
            {
                "code": stage,
                "label": STAGES[stage],
                "state": state,
                "done": done,
                "total": total,
                "percent": done * 100 // total if total else 0,
            }
        )
    return rows
