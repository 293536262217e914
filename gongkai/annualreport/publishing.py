"""What a published report is made of: its HTML page and its PDF, from the exports
(`annualreport.exports`), each behind one function here."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from django.template.loader import render_to_string

from gongkai.annualreport.document import ReportDocument
from gongkai.core.acts import ActError


class PublishingError(ActError):
    """The report cannot be made into its published files."""


def render_html(
    doc: ReportDocument, *, charts: Sequence[Any] = (), standalone: bool = True, nested: bool = False
) -> str:
    """The report's page (the exports' HTML when installed, else the site's own template): a whole
    document for a download; `standalone=False` the report alone, to be shown inside a page of the
    portal (no second <html>, <title> or <main>), `nested` under that page's own h1."""
    to_html = export("to_html")
    if to_html is None:
        return render_to_string("annualreport/document.html", {"doc": doc})
    return str(to_html(doc, charts=charts, standalone=standalone, nested=nested))


def render_pdf(doc: ReportDocument, *, charts: Sequence[Any] = ()) -> bytes:
    to_pdf = export("to_pdf")
    if to_pdf is None:
        raise PublishingError("PDF")
    return bytes(to_pdf(doc, charts=charts))


def export(name: str) -> Callable[..., Any] | None:
    """One of the exports' functions (to_html, to_docx, to_pdf, to_xlsx, to_json), None while it
    is not installed."""
    try:
        module = importlib.import_module("gongkai.annualreport.exports")
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None
