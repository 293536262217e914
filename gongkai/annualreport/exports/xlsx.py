"""The report's tables as a workbook (openpyxl): one sheet per table, drawn as the report draws it
(title row, then the header with its merged cells, then the rows), numbers stored as numbers;
a sheet of every number in the text, a sheet of every figure the report read, the charts' data, and
a sheet of the charts themselves (native Excel bar charts over their data cells)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.annualreport.document import ReportDocument, Table

from .charts import COLOURS
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


CHART_ROWS: Final = 17  # rows a chart covers (7.5 cm at the default row height), its data block beside it


def _chart_sheet(sheet: Worksheet, charts: Sequence[Chart]) -> None:
    """Per chart, its data (years down, series across, under the caption) and beside it a native
    clustered bar chart fed from those cells, so Excel or WPS draws it and redraws it when edited."""
    top = 1
    widths = [8.0] * (1 + max(len(chart.series) for chart in charts))
    anchor = get_column_letter(len(widths) + 2)  # every chart one column clear of the widest block
    for chart in charts:
        sheet.cell(row=top, column=1, value=chart.caption).font = Font(name=FONT_NAME, size=12, bold=True)
        header = top + 1
        for col, label in enumerate(["年度", *(s.label for s in chart.series)], start=1):
            cell = sheet.cell(row=header, column=col, value=label)
            cell.font = Font(name=FONT_NAME, bold=True)
            cell.fill = HEADER_FILL
            cell.border = RULED
            cell.alignment = Alignment(horizontal="center")
            widths[col - 1] = max(widths[col - 1], _width(label) + 2)
        for i, year in enumerate(chart.years):
            row = header + 1 + i
            sheet.cell(row=row, column=1, value=year).border = RULED
            for col, series in enumerate(chart.series, start=2):
                cell = sheet.cell(row=row, column=col, value=series.values[i])  # None: a gap
                cell.number_format = "0.00" if isinstance(series.values[i], Decimal) else "0"
                cell.border = RULED
        last = header + len(chart.years)
        bars = BarChart()
        bars.type = "col"
        bars.grouping = "clustered"
        bars.title = chart.caption
        bars.y_axis.title = chart.unit
        bars.x_axis.title = "年度"
        # openpyxl leaves the axes' delete flag unset, which some versions of Excel read as hidden.
        bars.x_axis.delete = False
        bars.y_axis.delete = False
        data = Reference(sheet, min_col=2, max_col=1 + len(chart.series), min_row=header, max_row=last)
        bars.add_data(data, titles_from_data=True)
        bars.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
        for i, series in enumerate(bars.series):
            series.graphicalProperties.solidFill = COLOURS[i % len(COLOURS)].lstrip("#")
            series.graphicalProperties.line.noFill = True
        # The value only: a reader left to its defaults may add the series and category names.
        bars.dataLabels = DataLabelList(
            showVal=True,
            showLegendKey=False,
            showCatName=False,
            showSerName=False,
            showPercent=False,
            showBubbleSize=False,
        )
        bars.x_axis.axPos = "b"
        bars.legend.position = "b"
        bars.width, bars.height = 16.0, 7.5
        sheet.add_chart(bars, f"{anchor}{top}")
        top += max(CHART_ROWS, len(chart.years) + 3)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"


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
        _chart_sheet(book.create_sheet("图表"), charts)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
