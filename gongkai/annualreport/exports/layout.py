"""How a report's tables are laid out on a page, computed once for every export.

A table is a grid: header rows on top (the corner cell over the row labels, then the column groups
of `Table.column_groups` merged across the columns they cover, then the column labels, each leaf
spanning down to the last header row), and one body row per `Row`, its label columns holding the
row's parents merged down the rows they cover (table 三's "三、本年度办理结果" over 22 rows) and its
own label spanning the label columns left. Every cell knows its grid position and spans, so HTML
(rowspan/colspan, th ids and td headers), DOCX and XLSX (merges) and PDF (SPAN) draw the same table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from gongkai.annualreport.document import Mention, Number, ReportDocument, Row, Section, Table

from .national import shaped

Kind = Literal["corner", "group", "column", "parent", "label", "value"]


@dataclass
class GridCell:
    """One drawn cell: where it starts in the grid, how far it spans, what it says."""

    kind: Kind
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    value: Number | None = None
    code: str = ""
    id: str = ""
    headers: list[str] = field(default_factory=list)

    @property
    def is_header(self) -> bool:
        return self.kind != "value"

    @property
    def scope(self) -> str:
        return {"group": "colgroup", "column": "col", "parent": "rowgroup", "label": "row"}.get(self.kind, "")


@dataclass
class TableLayout:
    table: Table
    label_columns: int
    header_rows: int
    rows: list[list[GridCell]]  # per grid row, the cells that start in it, left to right
    number: int = 0  # the table's position in the report, 1-based (for ids)

    @property
    def width(self) -> int:
        return self.label_columns + len(self.table.columns)

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def head(self) -> list[list[GridCell]]:
        return self.rows[: self.header_rows]

    @property
    def body(self) -> list[list[GridCell]]:
        return self.rows[self.header_rows :]

    def cells(self) -> list[GridCell]:
        return [cell for row in self.rows for cell in row]

    def widths(self, label_share: float = 0.34) -> list[float]:
        """Relative column widths (sum 1): the label columns share `label_share`, the last label
        column (the leaf labels) widest; number columns split the rest evenly."""
        if not self.table.columns:
            return [1.0] * self.label_columns
        if not self.label_columns:
            return [1.0 / self.width] * self.width
        if self.label_columns == 1:
            labels = [label_share]
        else:
            outer = label_share * 0.22
            labels = [outer] * (self.label_columns - 1) + [label_share - outer * (self.label_columns - 1)]
        rest = (1.0 - label_share) / len(self.table.columns)
        return labels + [rest] * len(self.table.columns)


def format_number(value: Number | None) -> str:
    """A cell as printed: integers plain, amounts as stored (万元 with their decimals), empty blank."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _paths(table: Table) -> list[list[str]]:
    groups = table.column_groups or [""] * len(table.columns)
    return [[part for part in (group or "").split("/") if part] for group in groups]


def layout_table(table: Table, number: int = 0) -> TableLayout:
    table = shaped(table)
    paths = _paths(table)
    depth = max((len(p) for p in paths), default=0) + 1
    has_labels = bool(table.corner) or any(row.label or row.parents for row in table.rows)
    label_columns = (max((len(row.parents) for row in table.rows), default=0) + 1) if has_labels else 0
    prefix = f"t{number}"
    grid: list[list[GridCell]] = [[] for _ in range(depth + len(table.rows))]
    # Column header ids covering each number column, outermost first.
    column_headers: list[list[str]] = [[] for _ in table.columns]

    if label_columns:
        grid[0].append(
            GridCell(
                "corner", table.corner, 0, 0, rowspan=depth, colspan=label_columns, id=f"{prefix}-corner"
            )
        )
    for level in range(depth):
        i = 0
        while i < len(table.columns):
            path = paths[i]
            col = label_columns + i
            if len(path) > level:
                j = i + 1
                while j < len(table.columns) and paths[j][: level + 1] == path[: level + 1]:
                    j += 1
                cell_id = f"{prefix}-h{level}-{i}"
                grid[level].append(GridCell("group", path[level], level, col, colspan=j - i, id=cell_id))
                for k in range(i, j):
                    column_headers[k].append(cell_id)
                i = j
                continue
            if len(path) == level:
                cell_id = f"{prefix}-h{level}-{i}"
                grid[level].append(
                    GridCell("column", table.columns[i], level, col, rowspan=depth - level, id=cell_id)
                )
                column_headers[i].append(cell_id)
            i += 1

    for index, row in enumerate(table.rows):
        r = depth + index
        row_headers: list[str] = []
        for level, parent in enumerate(row.parents):
            cell_id = f"{prefix}-p{level}-{_first_row_of(table.rows, index, level)}"
            row_headers.append(cell_id)
            if _starts_group(table.rows, index, level):
                span = _group_length(table.rows, index, level)
                grid[r].append(GridCell("parent", parent, r, level, rowspan=span, id=cell_id))
        if label_columns:
            cell_id = f"{prefix}-r{index}"
            row_headers.append(cell_id)
            width = label_columns - len(row.parents)
            grid[r].append(GridCell("label", row.label, r, len(row.parents), colspan=width, id=cell_id))
        for i, cell in enumerate(row.cells):
            grid[r].append(
                GridCell(
                    "value",
                    format_number(cell.value),
                    r,
                    label_columns + i,
                    value=cell.value,
                    code=cell.code,
                    headers=[*column_headers[i], *row_headers],
                )
            )
    return TableLayout(table, label_columns, depth, grid, number)


def _same_group(a: Row, b: Row, level: int) -> bool:
    return (
        len(a.parents) > level and len(b.parents) > level and a.parents[: level + 1] == b.parents[: level + 1]
    )


def _starts_group(rows: list[Row], index: int, level: int) -> bool:
    return index == 0 or not _same_group(rows[index - 1], rows[index], level)


def _first_row_of(rows: list[Row], index: int, level: int) -> int:
    while index > 0 and _same_group(rows[index - 1], rows[index], level):
        index -= 1
    return index


def _group_length(rows: list[Row], index: int, level: int) -> int:
    end = index + 1
    while end < len(rows) and _same_group(rows[index], rows[end], level):
        end += 1
    return end - index


def layouts(doc: ReportDocument) -> dict[int, TableLayout]:
    """id(table) → its layout, numbered in report order."""
    return {id(table): layout_table(table, n) for n, table in enumerate(doc.tables(), start=1)}


def table_label(table: Table) -> str:
    """The table's name as a reader sees it: "表三 收到和处理政府信息公开申请情况（单位：件）"."""
    key = table.key.split(".", 1)[0]
    name = f"表{key} {table.title}" if key in "一二三四五六七八九十" and key else table.title
    if table.caption:
        name = f"{name}：{table.caption}"
    if table.unit and "单位" not in " ".join(table.columns):
        name = f"{name}（单位：{table.unit}）"
    return name


def section_heading(section: Section) -> str:
    return f"{section.number}、{section.title}"


NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class TextFigure:
    """A number as it stands in a passage's text, with the figure it was drafted from, if any."""

    section: str
    passage: str
    heading: str
    text: str
    value: Number
    start: int
    end: int
    unit: str
    code: str = ""
    drafted_value: Number | None = None

    def as_dict(self) -> dict[str, Any]:
        def plain(v: Number | None) -> Any:
            return str(v) if isinstance(v, Decimal) else v

        return {
            "section": self.section,
            "passage": self.passage,
            "heading": self.heading,
            "text": self.text,
            "value": plain(self.value),
            "start": self.start,
            "end": self.end,
            "unit": self.unit,
            "code": self.code,
            "drafted_value": plain(self.drafted_value),
        }


def text_figures(doc: ReportDocument) -> list[TextFigure]:
    """Every number in the preface and the passages (full-width digits read as digits), with the
    figure code where a drafted mention covers it. The unit is what follows the number (条, 场, %, 项 …)."""
    out: list[TextFigure] = []
    sources: list[tuple[str, str, str, str, list[Mention]]] = [("", "preface", "", doc.preface, [])] + [
        (section.number, p.key, p.heading, p.text, p.mentions)
        for section in doc.sections
        for p in section.passages
    ]
    for number, key, heading, text, mentions in sources:
        # NFKC keeps the length of digits (one character each), so offsets stay those of `text`.
        normal = "".join(
            unicodedata.normalize("NFKC", ch) if len(unicodedata.normalize("NFKC", ch)) == 1 else ch
            for ch in text
        )
        for match in NUMBER.finditer(normal):
            digits = match.group()
            value: Number = Decimal(digits) if "." in digits else int(digits)
            mention = next((m for m in mentions if m.start <= match.start() and match.end() <= m.end), None)
            unit = normal[match.end() : match.end() + 1]
            if unit == "余":
                unit = normal[match.end() : match.end() + 2]
            out.append(
                TextFigure(
                    section=number,
                    passage=key,
                    heading=heading,
                    text=text[match.start() : match.end()],
                    value=value,
                    start=match.start(),
                    end=match.end(),
                    unit=unit,
                    code=mention.code if mention else "",
                    drafted_value=mention.value if mention else None,
                )
            )
    return out
