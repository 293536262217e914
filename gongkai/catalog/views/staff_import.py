"""Staff page: import an existing catalog from CSV or XLSX, with a preview (dry run) and a row report."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.importer import ImportReport, import_file
from gongkai.core import clock

MAX_BYTES = 30 * 1024 * 1024
MAX_SHOWN_ERRORS = 1000
STAGING_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


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
    for old in directory.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (directory / f"{user.pk}-{token}.upload").write_bytes(content)
    return token


def _staged_path(user: User, token: str) -> Path:
    return _staging_dir() / f"{user.pk}-{token}.upload"


@login_required
def import_records(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not user.has_role(Role.REVIEWER):
        messages.error(request, _("只有公开办审核员可以批量导入目录。"))
        return redirect("workbench:dashboard")
    form = ImportForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    staged = ""
    staged_name = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = form.cleaned_data["staged"]
        if upload is not None:
            name, content = upload.name or "upload", upload.read()
        elif token and _staged_path(user, token).exists():
            name, content = (
                form.cleaned_data["staged_name"] or "upload",
                _staged_path(user, token).read_bytes(),
            )
        else:
            form.add_error("file", _("请选择要导入的文件。"))
            name, content = "", b""
        if name:
            dry_run = request.POST.get("action") == "preview"
            report = import_file(
                name,
                content,
                actor=user,
                now=clock.now(),
                partial=form.cleaned_data["partial"],
                dry_run=dry_run,
            )
            if dry_run and report.file_error is None:
                staged, staged_name = _stage(user, content), name
            elif token:
                _staged_path(user, token).unlink(missing_ok=True)
    return render(
        request,
        "catalog/staff/import.html",
        {
            "nav": "import",
            "form": form,
            "report": report,
            "shown_errors": report.errors[:MAX_SHOWN_ERRORS] if report else [],
            "hidden_errors": max(0, len(report.errors) - MAX_SHOWN_ERRORS) if report else 0,
            "staged": staged,
            "staged_name": staged_name,
            "partial": bool(form.is_bound and form.is_valid() and form.cleaned_data["partial"]),
        },
    )
