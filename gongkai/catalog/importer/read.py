"""Reading an import file: CSV or XLSX recognised by content, never by name (docs/import.md).

CSV text is decoded from UTF-8 (with or without a BOM), UTF-16 with a BOM, or GB18030 (Excel on
Chinese Windows); the header row is found by its column names, in Chinese or English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.core import spreadsheet

MAX_ROWS = 200_000


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    label_en: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("index_number", "索引号", "index number", ("索引号", "index_number", "index number")),
    Column("name", "名称", "name", ("名称", "标题", "名称/标题", "name", "title"), required=True),
    Column("summary", "内容概述", "summary", ("内容概述", "摘要", "summary")),
    Column("body", "正文", "body", ("正文", "body")),
    Column(
        "formed_on", "成文日期", "formation date", ("成文日期", "formed_on", "formation date"), required=True
    ),
    Column("issuer", "发布机构", "issuing organ", ("发布机构", "发文机关", "issuer"), required=True),
    Column("doc_number", "文号", "document number", ("文号", "发文字号", "doc_number", "document number")),
    Column("category", "主题分类", "category", ("主题分类", "栏目", "category"), required=True),
    Column("genre", "体裁", "genre", ("体裁", "体裁分类", "genre")),
    Column("keywords", "关键词", "keywords", ("关键词", "主题词", "keywords")),
    Column("validity", "有效性", "validity", ("有效性", "validity")),
    Column("secrecy", "涉密状态", "secrecy", ("涉密状态", "secrecy")),
    Column("attribute", "公开属性", "disclosure attribute", ("公开属性", "公开方式", "attribute")),
    Column("attribute_basis", "不公开依据", "legal basis", ("不公开依据", "attribute_basis")),
    Column("department", "责任部门", "department", ("责任部门", "department"), required=True),
    Column("published_at", "发布日期", "publication date", ("发布日期", "published_at", "publication date")),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
MAX_LENGTHS = {"name": 300, "issuer": 150, "doc_number": 100, "keywords": 200}


def _normalise_header(text: str) -> str:
    text = text.replace("\ufeff", "").replace("（", "(").replace("）", ")").strip().strip("*＊").strip()
    text = re.sub(r"\(.*\)$", "", text).strip()  # "成文日期(YYYY-MM-DD)" → "成文日期"
    return text.lower().replace("_", " ").replace(" ", "")


_ALIASES = {_normalise_header(alias): c.field for c in COLUMNS for alias in c.aliases}


class ImportFileError(Exception):
    """The file as a whole cannot be imported: nothing was imported."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(f"{message} ({message_en})")
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class Table:
    kind: str  # "csv" or "xlsx"
    encoding: str  # for CSV: utf-8, utf-8-sig, gb18030, utf-16
    headers: dict[str, str]  # field → heading as written in the file
    rows: list[tuple[int, dict[str, Any]]]  # (spreadsheet row number, field → raw value)


def read_table(content: bytes) -> Table:
    """Recognise CSV or XLSX by content and return the header mapping and raw rows, read within
    core.spreadsheet's bounds (rows, columns, cells, cell size, decompressed size, time)."""
    try:
        sheet = spreadsheet.read_upload(content)
    except spreadsheet.SpreadsheetError as exc:
        raise ImportFileError(exc.message, exc.message_en) from exc
    rows = [(n, ["" if v is None else v for v in values]) for n, values in enumerate(sheet.rows, start=1)]
    return _build_table(sheet.kind, sheet.encoding, rows)


def _is_blank(values: Sequence[Any]) -> bool:
    return all(str(v).strip() == "" for v in values)


def _build_table(kind: str, encoding: str, raw: list[tuple[int, list[Any]]]) -> Table:
    # The header is the first row naming at least two known columns (a title row may sit above it).
    header_at = None
    for i, (_n, values) in enumerate(raw[:10]):
        if sum(1 for v in values if _normalise_header(str(v)) in _ALIASES) >= 2:
            header_at = i
            break
    if header_at is None:
        if all(_is_blank(values) for _n, values in raw):
            raise ImportFileError("文件是空的。", "The file is empty.")
        hint, hint_en = "", ""
        if encoding == "gb18030":
            hint, hint_en = "（文件按 GB18030 读取；若为其他编码，请另存为“CSV UTF-8”）", " (read as GB18030)"
        raise ImportFileError(
            f"找不到表头：第一行应为列名，如 名称、成文日期、发布机构、主题分类、责任部门。{hint}",
            f"No header row found: the first row must name the columns (名称, 成文日期, …).{hint_en}",
        )
    header_values = raw[header_at][1]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    duplicates: list[str] = []
    for position, value in enumerate(header_values):
        name = _ALIASES.get(_normalise_header(str(value)))
        if name is None:
            continue
        if name in positions:
            duplicates.append(str(value).strip())
            continue
        positions[name] = position
        headers[name] = str(value).strip()
    if duplicates:
        raise ImportFileError(
            f"表头中有重复的列：{'、'.join(duplicates)}。",
            f"Duplicate columns in the header: {', '.join(duplicates)}.",
        )
    missing = [c for c in COLUMNS if c.required and c.field not in positions]
    if missing:
        raise ImportFileError(
            f"缺少必填列：{'、'.join(c.label for c in missing)}。",
            f"Missing required columns: {', '.join(c.label_en for c in missing)}.",
        )
    body = [(n, values) for n, values in raw[header_at + 1 :] if not _is_blank(values)]
    if not body:
        raise ImportFileError("文件只有表头，没有数据行。", "The file has a header but no data rows.")
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            f"一次最多导入 {MAX_ROWS} 行，请拆分文件。",
            f"At most {MAX_ROWS} rows per import: split the file.",
        )
    rows = [
        (n, {name: (values[pos] if pos < len(values) else "") for name, pos in positions.items()})
        for n, values in body
    ]
    return Table(kind=kind, encoding=encoding, headers=headers, rows=rows)
