"""The report as an HTML page: one template, standalone (a whole printable document) or included in
the portal's report page (the same article, headings one level down)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from gongkai.annualreport.document import ReportDocument

from .layout import layout_table, section_heading, table_label

if TYPE_CHECKING:
    from .charts import Chart

TEMPLATE = "annualreport/export/report.html"


def html_context(
    doc: ReportDocument, *, charts: Sequence[Chart] = (), standalone: bool = True, nested: bool = False
) -> dict[str, Any]:
    """What the template needs; a page that includes the template puts this in its context as
    `report` (`{% include "annualreport/export/report.html" with report=report %}`)."""
    sections = []
    number = 0
    for section in doc.sections:
        tables = []
        for table in section.tables:
            number += 1
            layout = layout_table(table, number)
            share = 0.42 if layout.label_columns > 1 else 0.34
            tables.append(
                {
                    "layout": layout,
                    "label": table_label(table),
                    "id": f"table-{number}",
                    "widths": [f"{w * 100:.2f}" for w in layout.widths(share)],
                    # Many columns: kept readable on a phone by scrolling sideways, not squeezing.
                    "wide": layout.width > 5,
                }
            )
        passages = [
            {"heading": p.heading, "paragraphs": [line for line in p.text.splitlines() if line.strip()]}
            for p in section.passages
        ]
        sections.append({"heading": section_heading(section), "passages": passages, "tables": tables})
    level = 2 if nested else 1
    return {
        "doc": doc,
        "preface": [line for line in doc.preface.splitlines() if line.strip()],
        "sections": sections,
        "charts": list(charts),
        "standalone": standalone,
        "h_title": f"h{level}",
        "h_section": f"h{level + 1}",
        "h_passage": f"h{level + 2}",
    }


def to_html(
    doc: ReportDocument, *, charts: Sequence[Chart] = (), standalone: bool = True, nested: bool = False
) -> str:
    """The whole report as one HTML document (UTF-8, styles inline, A4 print rules, no script);
    `standalone=False` the article alone, for a page of the site (`nested`: its headings one level
    down, under the page's own h1)."""
    return render_to_string(
        TEMPLATE, {"report": html_context(doc, charts=charts, standalone=standalone, nested=nested)}
    )
