"""Exports of an annual report (a `ReportDocument`): HTML, DOCX, PDF, XLSX, JSON and charts.

Each takes the document and returns the file's text or bytes; nothing here reads the database, so a
published report (frozen as `as_dict()`) is exported exactly as it was published.
"""

from .charts import HISTORY_YEARS, Chart, figures_of, year_charts
from .docx import to_docx
from .html import html_context, to_html
from .jsondoc import json_data, to_json
from .pdf import to_pdf
from .xlsx import to_xlsx

__all__ = [
    "HISTORY_YEARS",
    "Chart",
    "figures_of",
    "html_context",
    "json_data",
    "to_docx",
    "to_html",
    "to_json",
    "to_pdf",
    "to_xlsx",
    "year_charts",
]
