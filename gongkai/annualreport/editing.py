"""The office's edits on top of the assembled draft: passage texts by key and the table cells it
enters (those no app provides, table 二's), and where the drafted figures stand in an edited text."""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from gongkai.annualreport.assemble import chinese_numeral, format_number
from gongkai.annualreport.document import Cell, Mention, Number, Passage, ReportDocument

OFFICE_CELL_PREFIX = "annualreport."
MAX_PASSAGE = 20_000


class EditError(ValueError):
    """An edit that cannot be kept (a number that is not one, a cell the records provide)."""


def cell_key(table: str, row: str, column: str) -> str:
    return f"{table}|{row}|{column}"


def spellings(mention: Mention) -> list[str]:
    """How a drafted number may be written in the text: digits, or 没有 / a Chinese numeral."""
    value = mention.value
    if value is None:
        return []
    result = [format_number(value)]
    if isinstance(value, int):
        result.append(chinese_numeral(value))
        if value == 0:
            result.append("没有")
    return result


def _find(text: str, spelling: str, at: int) -> re.Match[str] | None:
    if spelling.isdigit() or re.fullmatch(r"\d+(\.\d+)?", spelling):
        return re.compile(rf"(?<![\d.]){re.escape(spelling)}(?![\d.]*\d)").search(text, at)
    return re.compile(re.escape(spelling)).search(text, at)


def relocate(drafted: Passage, text: str) -> tuple[list[Mention], list[Mention]]:
    """The drafted mentions found again, in order, in an edited `text` (with their new places), and
    those the text no longer states."""
    found: list[Mention] = []
    lost: list[Mention] = []
    at = 0
    for mention in drafted.mentions:
        stated = drafted.drafted[mention.start : mention.end] if drafted.drafted else ""
        candidates = [stated, *spellings(mention)] if stated else spellings(mention)
        match = None
        for spelling in dict.fromkeys(candidates):
            match = _find(text, spelling, at)
            if match is not None:
                break
        if match is None:
            lost.append(mention)
            continue
        found.append(Mention(mention.code, mention.value, match.start(), match.end()))
        at = match.end()
    return found, lost


def apply_edits(doc: ReportDocument, edits: dict[str, Any]) -> ReportDocument:
    """A copy of `doc` with the office's passage texts and entered cells."""
    result = copy.deepcopy(doc)
    texts: dict[str, str] = edits.get("passages", {})
    cells: dict[str, str] = edits.get("cells", {})
    for passage in result.passages():
        if passage.key in texts and texts[passage.key] != passage.drafted:
            passage.mentions, _lost = relocate(passage, texts[passage.key])
            passage.text = texts[passage.key]
    for table in result.tables():
        for row in table.rows:
            for column, cell in zip(table.column_keys, row.cells, strict=True):
                entered = cells.get(cell_key(table.key, row.key, column))
                if entered is not None and cell.value is None:
                    row.cells[table.column_keys.index(column)] = Cell(parse_cell(entered), cell.code)
    for code, value in _entered_codes(result).items():
        result.figures[code] = value
    return result


def _entered_codes(doc: ReportDocument) -> dict[str, Number | None]:
    return {
        cell.code: cell.value
        for table in doc.tables()
        for row in table.rows
        for cell in row.cells
        if cell.code.startswith(OFFICE_CELL_PREFIX) and cell.value is not None
    }


def parse_cell(text: str) -> Number:
    """A number the office entered: a count (digits) or an amount (万元, two decimals at most)."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise EditError(_("“%(text)s”不是数字。") % {"text": text[:30]}) from None
    if value < 0 or value != value.quantize(Decimal("0.01")) or abs(value) > Decimal("1e12"):
        raise EditError(_("“%(text)s”不是有效的数量或金额（不小于零，最多两位小数）。") % {"text": text[:30]})
    return int(value) if value == value.to_integral_value() and "." not in cleaned else value


def merge_edits(
    doc: ReportDocument, current: dict[str, Any], passages: dict[str, str], cells: dict[str, str]
) -> dict[str, Any]:
    """The edits after the office saved these passage texts and cells (checked against the draft:
    unknown passages and cells the records fill are refused). A text equal to the drafted one is
    no edit; an emptied cell is no entry."""
    drafted = {p.key: p for p in doc.passages()}
    texts = dict(current.get("passages", {}))
    for key, text in passages.items():
        if key not in drafted:
            raise EditError(_("报告中没有这一段：%(key)s") % {"key": key})
        text = text.replace("\r\n", "\n").strip()
        if len(text) > MAX_PASSAGE:
            raise EditError(_("一段文字不能超过%(n)d个字。") % {"n": MAX_PASSAGE})
        if not text:
            raise EditError(_("“%(heading)s”一段不能为空。") % {"heading": drafted[key].heading or key})
        if text == drafted[key].drafted:
            texts.pop(key, None)
        else:
            texts[key] = text
    open_cells = {
        cell_key(t.key, r.key, c): cell
        for t in doc.tables()
        for r in t.rows
        for c, cell in zip(t.column_keys, r.cells, strict=True)
    }
    entered = dict(current.get("cells", {}))
    for key, text in cells.items():
        cell = open_cells.get(key)
        if cell is None or not cell.code.startswith(OFFICE_CELL_PREFIX) or cell.value is not None:
            raise EditError(_("这一格的数字来自业务记录，不能手工填写：%(key)s") % {"key": key})
        if not text.strip():
            entered.pop(key, None)
            continue
        parse_cell(text)
        entered[key] = text.strip()
    return {"passages": texts, "cells": entered}


def office_cells(doc: ReportDocument) -> list[str]:
    """The keys of the cells the office enters (no app provides their figure)."""
    return [
        cell_key(t.key, r.key, c)
        for t in doc.tables()
        for r in t.rows
        for c, cell in zip(t.column_keys, r.cells, strict=True)
        if cell.code.startswith(OFFICE_CELL_PREFIX) and cell.value is None
    ]
