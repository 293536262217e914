"""A report as the checker reads it: a sequence of lines, each a paragraph of text or a table row of
cells, with the page it was on. Every extraction path (text, HTML, DOCX, PDF) ends here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .normalize import fold

# A cell that holds a number: "12", "1,200", "0.35", "-3"; a dash or "/" is an empty cell.
NUMBER_CELL = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?$")
EMPTY_CELL = frozenset({"", "-", "--", "/", "\\", "无", "空"})
_SPACES = re.compile(r"\s{2,}")
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.,]")


@dataclass
class Line:
    """A paragraph (one cell) or a table row (`is_row`). `cells` are as printed; `folded` as read."""

    cells: list[str]
    page: int | None = None
    is_row: bool = False
    paragraph: int = 0  # numbered over the paragraphs of the report (rows are not numbered)
    folded: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cells = [cell.strip() for cell in self.cells]
        self.folded = [fold(cell) for cell in self.cells]

    @property
    def text(self) -> str:
        return "\t".join(self.cells)

    @property
    def folded_text(self) -> str:
        return "\t".join(self.folded)

    def split(self) -> tuple[list[str], list[Decimal | None], list[int]]:
        """The label cells (before the first number), the values after them (None for an empty
        cell) and the index of each value's cell."""
        labels: list[str] = []
        values: list[Decimal | None] = []
        where: list[int] = []
        pending: list[int] = []  # empty cells after the label: empty value cells if numbers follow
        for index, cell in enumerate(self.folded):
            compact = cell.replace(" ", "")
            if NUMBER_CELL.match(compact):
                if not values and labels:
                    values.extend(None for _ in pending)
                    where.extend(pending)
                try:
                    values.append(Decimal(compact.replace(",", "")))
                except InvalidOperation:
                    values.append(None)
                where.append(index)
            elif values and compact in EMPTY_CELL:
                values.append(None)
                where.append(index)
            elif not values:
                if compact in EMPTY_CELL:
                    pending.append(index)
                else:
                    labels.append(cell)
                    pending = []
            else:
                # Text after the numbers (a note): the row's values end here.
                break
        return labels, values, where

    def label(self) -> str:
        """The row's label as printed: its text cells before the first number."""
        _labels, _values, where = self.split()
        end = where[0] if where else len(self.cells)
        cells = [cell for cell in self.cells[:end] if cell]
        # Merged label cells repeat their parents ("三、本年度办理结果", "（三）不予公开"): keep the
        # row's own label, with its group when it is a numbered item ("（三）不予公开 1.属于国家秘密").
        unique = [cell for index, cell in enumerate(cells) if cell not in cells[:index]]
        if len(unique) >= 2 and unique[-1][:1].isdigit():
            return f"{unique[-2]} {unique[-1]}"
        return unique[-1] if unique else ""


def _row_cells(line: str) -> list[str] | None:
    """The cells of a line of text that is a table row, or None for a paragraph."""
    if "\t" in line:
        return line.split("\t")
    folded = fold(line).strip()
    if not folded or len(folded) > 200:
        return None
    if _SPACES.search(folded):
        cells = _SPACES.split(folded)
        if len(cells) >= 2 and any(NUMBER_CELL.match(cell) for cell in cells):
            return [cell for cell in _spaced(line, cells)]
    tokens = folded.split(" ")
    trailing = 0
    for token in reversed(tokens):
        if NUMBER_CELL.match(token) or (trailing and token in EMPTY_CELL):
            trailing += 1
        else:
            break
    label = " ".join(tokens[: len(tokens) - trailing])
    if trailing >= 2 and len(label) <= 80 and not label.endswith(("。", ",", ";")):
        return ([label] if label else []) + tokens[len(tokens) - trailing :]
    return None


def _spaced(original: str, folded_cells: list[str]) -> list[str]:
    """The cells as printed (the folded split has the same offsets: fold keeps the length)."""
    cells, position, text = [], 0, original.strip()
    folded = fold(text)
    for cell in folded_cells:
        start = folded.find(cell, position)
        cells.append(text[start : start + len(cell)])
        position = start + len(cell)
    return cells


def text_lines(text: str, page: int | None = None) -> list[Line]:
    """Lines of plain text: tab- or space-separated number rows are table rows."""
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            continue
        cells = _row_cells(raw)
        if cells is None:
            lines.append(Line([raw], page=page))
        else:
            lines.append(Line(cells, page=page, is_row=True))
    return lines


def is_heading(text: str) -> bool:
    return bool(_HEADING.match(text)) and len(text) <= 60


def merge_wrapped(lines: list[Line]) -> list[Line]:
    """A row of numbers alone, after the short lines its label was wrapped into (PDF text, OCR):
    the label lines become its first cell ("（二）部分公开（区分处理的，只计这一情形，" + "不计其他情形）")."""
    merged: list[Line] = []
    for line in lines:
        if line.is_row and line.split()[0] == [] and line.cells and line.cells[0]:
            fragments: list[Line] = []
            while merged and len(fragments) < 6:
                last = merged[-1]
                text = last.folded[0] if not last.is_row else ""
                if last.is_row or len(text) > 40 or text.endswith(("。", ":")) or last.page != line.page:
                    break
                fragments.insert(0, merged.pop())
            if fragments:
                label = "".join(fragment.cells[0] for fragment in fragments)
                merged.append(Line([label, *line.cells], page=line.page, is_row=True))
                continue
        merged.append(line)
    return merged


def number(lines: list[Line]) -> list[Line]:
    """Number the paragraphs (not the rows) from 1."""
    count = 0
    for line in lines:
        if not line.is_row:
            count += 1
            line.paragraph = count
    return lines
