"""A report in each of its formats, from the exports (one function per format), for the
workbench's downloads and `gongkai report annual`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from gongkai.annualreport.document import ReportDocument
from gongkai.annualreport.publishing import export, render_html

FORMATS: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


class ExportUnavailable(LookupError):
    """The exports do not provide this format (yet)."""


def render(doc: ReportDocument, fmt: str, *, charts: Sequence[Any] | None = None) -> bytes:
    """The report as the bytes of a file in `fmt` (html, docx, pdf, xlsx, json); the HTML, DOCX,
    PDF and XLSX with the charts of its year against the published years before (`charts`, else
    drawn now from `history.charts_for`)."""
    if fmt not in FORMATS:
        raise ExportUnavailable(_("不支持的格式：%(fmt)s") % {"fmt": fmt})
    if fmt != "json" and charts is None:
        from gongkai.annualreport.history import charts_for

        charts = charts_for(doc)
    if fmt == "html":
        return render_html(doc, charts=charts or ()).encode()
    function = export(f"to_{fmt}")
    if function is None:
        if fmt == "json":
            return json.dumps(doc.as_dict(), ensure_ascii=False, indent=1).encode()
        raise ExportUnavailable(_("尚不能导出%(fmt)s格式。") % {"fmt": fmt.upper()})
    result = function(doc) if fmt == "json" else function(doc, charts=charts or ())
    if isinstance(result, str):
        return result.encode()
    if isinstance(result, dict | list):
        return json.dumps(result, ensure_ascii=False, indent=1).encode()
    return bytes(result)


def download(doc: ReportDocument, fmt: str) -> HttpResponse:
    try:
        content = render(doc, fmt)
    except ExportUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = f"{doc.title}.{fmt}"
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"report-{doc.year}.{fmt}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
