"""The workbench page of the report checker (annualreport.checker): a report file uploaded or its
text pasted, checked in the request (the checker reads a 50-page report in well under 2 s), the
problems shown first with their places, then the checks that passed. Nothing is stored."""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongkai.annualreport import queries
from gongkai.annualreport.checker import CheckResult, ExtractError, check_bytes, check_text
from gongkai.annualreport.checker.result import SEVERITIES
from gongkai.annualreport.views.staff import NAV
from gongkai.core.params import year_param
from gongkai.core.text import clean_inputs

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_CHARS = 500_000  # pasted text; a 50-page report is about 60,000 characters
# A DOCX is a zip: its parts may expand to at most this much (a zip bomb is refused unread).
ZIP_MAX_BYTES = 100 * 1024 * 1024
SUFFIXES = (".txt", ".text", ".htm", ".html", ".xhtml", ".docx", ".pdf")
ACCEPT = ",".join(SUFFIXES)


class UploadError(ValueError):
    """The upload cannot be checked; the message says why."""


def _read_upload(request: HttpRequest) -> tuple[bytes, str] | None:
    upload = request.FILES.get("file")
    if upload is None:
        return None
    name = upload.name or ""
    if not name.lower().endswith(SUFFIXES):
        raise UploadError(_("只能检查文本（TXT）、网页（HTML）、Word（DOCX）或 PDF 文件。"))
    if upload.size is not None and upload.size > MAX_BYTES:
        raise UploadError(_("文件超过 %(n)d MB，无法检查。") % {"n": MAX_BYTES // (1024 * 1024)})
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise UploadError(_("文件超过 %(n)d MB，无法检查。") % {"n": MAX_BYTES // (1024 * 1024)})
    if content.startswith(b"PK") and _expands_too_much(content):
        raise UploadError(_("DOCX 文件解压后过大，无法检查。"))
    return content, name


def _expands_too_much(content: bytes) -> bool:
    # zipfile stops each member at its declared size, so the declared sizes bound what is read.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(info.file_size for info in archive.infolist()) > ZIP_MAX_BYTES
    except (zipfile.BadZipFile, ValueError):
        return False  # the checker says it is broken


def _check_file(content: bytes, name: str, year: int | None) -> CheckResult:
    try:
        return check_bytes(content, name, year=year)
    except ExtractError:
        raise
    except Exception as exc:
        # A damaged file can fail inside the readers (lxml, PDFium) in ways they do not name.
        logger.warning("annual report checker could not read %r", name, exc_info=True)
        raise ExtractError(_("文件无法读取（可能已损坏）。请另存为 DOCX、PDF 或文本后重试。")) from exc


@login_required
def check_report(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: the result (or why the file could not be read, with the text kept)."""
    user: Any = request.user
    queries.require_reader(user)
    result: CheckResult | None = None
    error = ""
    posted = clean_inputs(request.POST.dict()) if request.method == "POST" else {}
    text = posted.get("text", "")
    year_typed = posted.get("year", "")
    if request.method == "POST":
        year = year_param(year_typed)
        try:
            if year_typed.strip() and year is None:
                raise UploadError(_("报告年度请填写四位数字，或留空由标题读出。"))
            upload = _read_upload(request)
            if upload is not None:
                result = _check_file(*upload, year)
            elif not text.strip():
                raise UploadError(_("请选择报告文件，或粘贴报告全文。"))
            elif len(text) > MAX_CHARS:
                raise UploadError(_("粘贴的文字超过 %(n)d 字，请改为上传文件。") % {"n": MAX_CHARS})
            else:
                result = check_text(text, source=_("粘贴的文字"), year=year)
        except (UploadError, ExtractError) as exc:
            error = str(exc)
    upload_name = getattr(request.FILES.get("file"), "name", "") if error else ""
    findings = sorted(result.findings, key=lambda f: SEVERITIES.index(f.severity)) if result else []
    return render(
        request,
        "annualreport/staff/checker.html",
        {
            "nav": NAV,
            "result": result,
            "findings": findings,
            "counts": {s: result.count(s) for s in SEVERITIES} if result else {},
            "error": error,
            "upload_name": upload_name,
            "text": text,
            "year": year_typed,
            "accept": ACCEPT,
            "max_mb": MAX_BYTES // (1024 * 1024),
        },
        status=400 if error else 200,
    )
