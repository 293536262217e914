"""The report's tables as a workbook (openpyxl): one sheet per table, drawn as the report draws it
(title row, then the header with its merged cells, then the rows), numbers stored as numbers;
a sheet of every number in the text, a sheet of every figure the report read, and the charts' data."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.annualreport.document import ReportDocument, Table

from .layout import TableLayout, layout_table, table_label, text_figures

if TYPE_CHECKING:
    from .charts import Chart

FONT_NAME: Final = "宋体"
THIN: Final = Side(style="thin", color="000000")
RULED: Final = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL: Final = PatternFill("solid", fgColor="EEEEEE")
FIRST_ROW: Final = 3  # row 1 the table's name, row 2 empty
INVALID_IN_SHEET_NAME: Final = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _width(text: str) -> float:
    """Display width in Excel's character units: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_name(table: Table, taken: set[str]) -> str:
    key = table.key.split(".", 1)[0]
    base = f"表{key}" if key in "一二三四五六七八九十" and key else table.title
    if table.caption:
        base = f"{base} {table.caption}"
    name = base.translate(INVALID_IN_SHEET_NAME)[:31]
    n = 2
    while name in taken:
        suffix = f"（{n}）"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def _table_sheet(sheet: Worksheet, layout: TableLayout, title: str) -> None:
    sheet.cell(row=1, column=1, value=title).font = Font(name=FONT_NAME, size=14, bold=True)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    if layout.width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=layout.width)
    sheet.row_dimensions[1].height = 24
    widths = [8.0] * layout.width
    for cell in layout.cells():
        row, col = FIRST_ROW + cell.row, 1 + cell.col
        target = sheet.cell(row=row, column=col)
        if cell.kind == "value":
            target.value = cell.value  # int or Decimal: a number cell, never text
            target.number_format = "0.00" if isinstance(cell.value, Decimal) else "0"
            target.alignment = Alignment(horizontal="center", vertical="center")
        else:
            target.value = cell.text or None
            target.alignment = Alignment(
                horizontal="left" if cell.kind == "label" else "center", vertical="center", wrap_text=True
            )
        header = cell.row < layout.header_rows
        target.font = Font(name=FONT_NAME, size=10, bold=cell.kind in ("group", "column", "parent"))
        if header:
            target.fill = HEADER_FILL
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=col,
                end_row=row + cell.rowspan - 1,
                end_column=col + cell.colspan - 1,
            )
        if cell.colspan == 1:
            limit = 14.0 if cell.kind == "parent" else 18.0 if header else 46.0
            widths[cell.col] = max(widths[cell.col], min(_width(cell.text) + 2, limit))
    # Borders on every position, the merged ones included (Excel draws a merged cell's edges from them).
    for r in range(FIRST_ROW, FIRST_ROW + layout.height):
        for c in range(1, layout.width + 1):
            sheet.cell(row=r, column=c).border = RULED
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW + layout.header_rows, column=layout.label_columns + 1)
    sheet.print_title_rows = f"{FIRST_ROW}:{FIRST_ROW + layout.header_rows - 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if layout.width > 10 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _list_sheet(sheet: Worksheet, headers: list[str], rows: list[list[Any]], widths: list[float]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = HEADER_FILL
        cell.border = RULED
    for row in rows:
        sheet.append(row)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def to_xlsx(
    doc: ReportDocument, *, charts: Sequence[Chart] = (), created: dt.datetime | None = None
) -> bytes:
    """The workbook as .xlsx bytes."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = doc.title
    book.properties.creator = doc.agency
    book.properties.subject = f"{doc.year}年政府信息公开工作年度报告"
    when = created or dt.datetime.combine(doc.issued_on or doc.period_end, dt.time(9, 0))
    book.properties.created = book.properties.modified = when.replace(tzinfo=None)
    taken: set[str] = set()
    for number, table in enumerate(doc.tables(), start=1):
        sheet = book.create_sheet(_sheet_name(table, taken))
        _table_sheet(sheet, layout_table(table, number), table_label(table))
    figures = text_figures(doc)
    _list_sheet(
        book.create_sheet("正文数字"),
        ["部分", "段落", "小标题", "原文", "数值", "单位", "指标代码", "起草时数值"],
        [
            [
                f"{f.section}、" if f.section else "前言",
                f.passage,
                f.heading,
                f.text,
                f.value,
                f.unit,
                f.code,
                f.drafted_value,
            ]
            for f in figures
        ],
        [8, 22, 30, 10, 10, 6, 46, 10],
    )
    _list_sheet(
        book.create_sheet("指标"),
        ["指标代码", "数值"],
        [[code, value] for code, value in sorted(doc.figures.items())],
        [56, 12],
    )
    if charts:
        rows = [
            [chart.title, chart.unit, series.label, year, series.values[i]]
            for chart in charts
            for series in chart.series
            for i, year in enumerate(chart.years)
        ]
        _list_sheet(
            book.create_sheet("历年对比"), ["图表", "单位", "系列", "年度", "数值"], rows, [22, 6, 16, 8, 10]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
