"""The report as JSON for machines: the document as stored (`ReportDocument.as_dict()`), and beside
it every table cell at its place (table, row, column, header path) and every number of the text."""

from __future__ import annotations

import json
from typing import Any

from gongkai.annualreport.document import ReportDocument

from .layout import format_number, layout_table, table_label, text_figures

FORMAT_VERSION = 1


def json_data(doc: ReportDocument) -> dict[str, Any]:
    cells: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    for number, table in enumerate(doc.tables(), start=1):
        layout = layout_table(table, number)
        headers = {c.id: c.text for c in layout.cells() if c.is_header}
        tables.append(
            {
                "key": table.key,
                "label": table_label(table),
                "rows": len(table.rows),
                "columns": len(table.columns),
            }
        )
        for row_index, row in enumerate(table.rows):
            for col_index, cell in enumerate(row.cells):
                grid = layout.rows[layout.header_rows + row_index]
                drawn = next(
                    c for c in grid if c.kind == "value" and c.col == layout.label_columns + col_index
                )
                cells.append(
                    {
                        "table": table.key,
                        "row": row.key,
                        "row_label": row.label,
                        "column": table.column_keys[col_index],
                        "column_label": table.columns[col_index],
                        "headers": [headers[h] for h in drawn.headers if headers.get(h)],
                        "value": cell.as_dict()["value"],
                        "text": format_number(cell.value),
                        "code": cell.code,
                    }
                )
    return {
        "format": "gongkai.annualreport",
        "version": FORMAT_VERSION,
        "document": doc.as_dict(),
        "tables": tables,
        "cells": cells,
        "text_figures": [figure.as_dict() for figure in text_figures(doc)],
    }


def to_json(doc: ReportDocument) -> str:
    """UTF-8 JSON (Chinese as written, not escaped), keys in a stable order."""
    return json.dumps(json_data(doc), ensure_ascii=False, indent=1)
