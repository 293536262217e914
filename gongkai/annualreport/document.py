"""The shape of an annual report, shared by what assembles it (assemble.py, from the period figures),
what validates it (validation.py and the checker) and what exports it (exports/: HTML, DOCX, PDF,
XLSX, JSON, charts). Plain data: no database, no request; a published report is frozen as
`ReportDocument.as_dict()` and read back with `ReportDocument.from_dict()`.

A report is a title, a period and numbered sections. A section holds passages (text the office
edits; the system drafts those that state figures) and tables (rows of cells). Every number that
comes from the records carries the figure `code` it was read from, so the workbench can open the
records it counts and a later draft can show what changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Form = Literal["national", "narrative"]
Number = int | Decimal


@dataclass
class Cell:
    """One table cell: a number (or None for an empty cell) and the figure it was read from."""

    value: Number | None
    code: str = ""

    def as_dict(self) -> dict[str, Any]:
        value: Any = str(self.value) if isinstance(self.value, Decimal) else self.value
        return {"value": value, "code": self.code}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cell:
        value = data.get("value")
        if isinstance(value, str):
            value = Decimal(value)
        return cls(value=value, code=data.get("code", ""))


@dataclass
class Row:
    """A table row: its label (e.g. "（一）本年新收政府信息公开申请数量") and one cell per column.
    `parents` are the headings it sits under, outermost first (table 三's "1.属于国家秘密" under
    "三、本年度办理结果" and "（三）不予公开"): the exports merge them into spanning label cells."""

    key: str
    label: str
    cells: list[Cell]
    parents: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "parents": list(self.parents),
            "cells": [cell.as_dict() for cell in self.cells],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Row:
        return cls(
            data["key"],
            data["label"],
            [Cell.from_dict(cell) for cell in data["cells"]],
            list(data.get("parents", [])),
        )


@dataclass
class Table:
    """A table of the report: `key` is "二", "三" or "四" in the national format (a block of table
    二 is its own Table with key "二.1" …), or a name in the narrative form. `columns` are the
    labels of the number columns (the row label column is not one of them); `column_keys` their
    stable keys (the format file's, e.g. "natural_person"). `column_groups` (optional, one per
    column) name the header groups a column sits under, nested with "/" ("申请人情况/法人或其他组织",
    "行政诉讼/复议后起诉", "" for none); `corner` is the header cell over the row labels (table 三's
    note "（本列数据的勾稽关系为：…）", table 二's "信息内容")."""

    key: str
    title: str
    columns: list[str]
    column_keys: list[str]
    rows: list[Row]
    caption: str = ""
    unit: str = ""
    column_groups: list[str] = field(default_factory=list)
    corner: str = ""

    def cell(self, row_key: str, column_key: str) -> Cell:
        row = next(row for row in self.rows if row.key == row_key)
        return row.cells[self.column_keys.index(column_key)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "caption": self.caption,
            "unit": self.unit,
            "columns": list(self.columns),
            "column_keys": list(self.column_keys),
            "column_groups": list(self.column_groups),
            "corner": self.corner,
            "rows": [row.as_dict() for row in self.rows],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        return cls(
            key=data["key"],
            title=data["title"],
            columns=list(data["columns"]),
            column_keys=list(data["column_keys"]),
            rows=[Row.from_dict(row) for row in data["rows"]],
            caption=data.get("caption", ""),
            unit=data.get("unit", ""),
            column_groups=list(data.get("column_groups", [])),
            corner=data.get("corner", ""),
        )


@dataclass
class Mention:
    """A figure stated in a passage's text: where (`start`, `end` character offsets of the number
    in `Passage.text`), which figure, and the value it had when drafted. A number the report
    computes from several figures (a sum) has their codes joined by "+" as its code."""

    code: str
    value: Number | None
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        value: Any = str(self.value) if isinstance(self.value, Decimal) else self.value
        return {"code": self.code, "value": value, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        value = data.get("value")
        if isinstance(value, str):
            value = Decimal(value)
        return cls(data["code"], value, data["start"], data["end"])


@dataclass
class Passage:
    """A paragraph (or a few) under a heading. `drafted` is the text the system wrote from the
    records; `text` is what the office kept or edited (equal to `drafted` until edited)."""

    key: str
    heading: str
    text: str
    drafted: str = ""
    mentions: list[Mention] = field(default_factory=list)

    @property
    def edited(self) -> bool:
        return self.text != self.drafted

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "heading": self.heading,
            "text": self.text,
            "drafted": self.drafted,
            "mentions": [mention.as_dict() for mention in self.mentions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        return cls(
            key=data["key"],
            heading=data["heading"],
            text=data["text"],
            drafted=data.get("drafted", ""),
            mentions=[Mention.from_dict(item) for item in data.get("mentions", [])],
        )


@dataclass
class Section:
    """A numbered section ("一" … "六" in the national format; 一、二、三 in the narrative form)."""

    number: str
    title: str
    passages: list[Passage] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "passages": [passage.as_dict() for passage in self.passages],
            "tables": [table.as_dict() for table in self.tables],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            number=data["number"],
            title=data["title"],
            passages=[Passage.from_dict(item) for item in data.get("passages", [])],
            tables=[Table.from_dict(item) for item in data.get("tables", [])],
        )


@dataclass
class ReportDocument:
    """A whole report. `figures` holds every figure read for it (code → value), so the JSON export
    carries every number of the text and the tables, and two drafts can be compared."""

    year: int
    form: Form
    agency: str
    title: str
    period_start: dt.date
    period_end: dt.date
    sections: list[Section]
    preface: str = ""
    figures: dict[str, Number | None] = field(default_factory=dict)
    issued_on: dt.date | None = None
    # Notes to the office from the assembly (a passage left out because its figures are not
    # registered, a table cell no app provides): shown in the workbench, never published.
    notes: list[str] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables() if table.key == key)

    def passages(self) -> list[Passage]:
        return [passage for section in self.sections for passage in section.passages]

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "form": self.form,
            "agency": self.agency,
            "title": self.title,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "preface": self.preface,
            "sections": [section.as_dict() for section in self.sections],
            "figures": {
                code: (str(value) if isinstance(value, Decimal) else value)
                for code, value in self.figures.items()
            },
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportDocument:
        figures: dict[str, Number | None] = {}
        for code, value in data.get("figures", {}).items():
            figures[code] = Decimal(value) if isinstance(value, str) else value
        issued = data.get("issued_on")
        return cls(
            year=data["year"],
            form=data["form"],
            agency=data["agency"],
            title=data["title"],
            period_start=dt.date.fromisoformat(data["period_start"]),
            period_end=dt.date.fromisoformat(data["period_end"]),
            sections=[Section.from_dict(item) for item in data["sections"]],
            preface=data.get("preface", ""),
            figures=figures,
            issued_on=dt.date.fromisoformat(issued) if issued else None,
            notes=list(data.get("notes", [])),
        )

    def plain_text(self) -> str:
        """The report as text, tables as tab-separated rows: what the checker reads (the validation
        of a draft runs the same checker as on anyone's published report)."""
        lines = [self.title, ""]
        if self.preface:
            lines += [self.preface, ""]
        for section in self.sections:
            lines.append(f"{section.number}、{section.title}")
            for passage in section.passages:
                if passage.heading:
                    lines.append(passage.heading)
                lines += [passage.text, ""]
            for table in section.tables:
                if table.caption:
                    lines.append(table.caption)
                lines.append("\t".join(["", *table.columns]))
                for row in table.rows:
                    values = ["" if cell.value is None else str(cell.value) for cell in row.cells]
                    lines.append("\t".join([row.label, *values]))
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"
