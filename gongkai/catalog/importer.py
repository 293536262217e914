"""Import of an agency's existing catalog from CSV or XLSX (docs/import.md).

A malformed file imports nothing and says why. Bad rows are reported one by one (spreadsheet row
number, column, reason in Chinese and English); by default one bad row stops the whole import,
`partial=True` imports the good rows and skips the bad ones.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import gc
import hashlib
import html
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import (
    TextChoices,
)
from django.utils import timezone, translation

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Department, User
from gongkai.catalog import bulk, search_bulk
from gongkai.catalog.choices import (
    Channel,
    DisclosureAttribute,
    Genre,
    LegalBasis,
    Secrecy,
    Status,
    Validity,
)
from gongkai.catalog.models import Category, IndexSequence, Publication, Record, RecordTransition
from gongkai.catalog.services import PermissionDeniedError, compute_publish_due
from gongkai.core.audit import current_ip, log_event
from gongkai.core.models import AuditEvent
from gongkai.core.text import html_to_text, sanitize_html

Progress = Callable[[str, int, int], None]

MAX_ROWS = 200_000
BATCH = 2000
INDEX_NUMBER_RE = re.compile(r"^([0-9A-Z]{1,20})/(\d{4})-(\d{5})$")
# 吉公发〔2015〕12号: the year in 〔〕 with Arabic numerals (local catalog rules, LEGAL.md).
DOC_NUMBER_RE = re.compile(r"^[^\s〔〕]+〔\d{4}〕第?\d+号$")
_DATE_RES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"),
)


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
class RowError:
    row: int  # as the user sees it in the spreadsheet (the header is usually row 1)
    column: str  # the column heading as written in the file
    message: str
    message_en: str


@dataclass(frozen=True)
class Table:
    kind: str  # "csv" or "xlsx"
    encoding: str  # for CSV: utf-8, utf-8-sig, gb18030, utf-16
    headers: dict[str, str]  # field → heading as written in the file
    rows: list[tuple[int, dict[str, Any]]]  # (spreadsheet row number, field → raw value)


@dataclass
class ImportRow:
    row: int
    values: dict[str, Any]  # Record fields, ready for the model
    index_number: str = ""
    published_at: dt.datetime | None = None


@dataclass
class CheckedRows:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    partial: bool = False
    file_error: ImportFileError | None = None
    kind: str = ""
    encoding: str = ""
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    bad_rows: int = 0
    valid: int = 0
    imported: int = 0
    published: int = 0
    drafts: int = 0
    first_index_number: str = ""
    last_index_number: str = ""

    @property
    def importable(self) -> int:
        """How many rows an import (or this dry run) takes in under the chosen rule."""
        if self.file_error is not None or (self.errors and not self.partial):
            return 0
        return self.valid

    @property
    def skipped(self) -> int:
        return self.total - self.imported if not self.dry_run else self.total - self.importable


# ---------------------------------------------------------------------------------------------
# Reading the file: by content, never by name.

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF-", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97-2003 (XLS/DOC)"),
    (b"Rar!", "RAR"),
    (b"\x1f\x8b", "GZIP"),
    (b"7z\xbc\xaf", "7Z"),
)


def read_table(content: bytes) -> Table:
    """Recognise CSV or XLSX by content and return the header mapping and raw rows."""
    if not content.strip():
        raise ImportFileError("文件是空的。", "The file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            hint = "请在 Excel 中另存为 .xlsx 或 CSV。" if kind.startswith("Office") else ""
            raise ImportFileError(
                f"文件内容是 {kind}，不是 CSV 或 XLSX 表格。{hint}",
                f"The file contains {kind}, not a CSV or XLSX spreadsheet.",
            )
    return _read_csv(content)


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16"), "utf-16"
    if b"\x00" in content:
        raise ImportFileError(
            "文件不是文本表格（含二进制内容），请上传 CSV 或 XLSX。",
            "The file is binary, not a text spreadsheet: upload CSV or XLSX.",
        )
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Excel on Chinese Windows saves CSV in GBK; GB18030 is its superset.
    try:
        return content.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "无法识别文件的字符编码：请另存为“CSV UTF-8”。",
            "Unrecognised character encoding: save the file as “CSV UTF-8”.",
        ) from exc


def _read_csv(content: bytes) -> Table:
    try:
        text, encoding = _decode(content)
    except UnicodeDecodeError as exc:
        raise ImportFileError("文件编码有误，无法读取。", "The file's encoding is broken.") from exc
    if any(ch in text[:4096] for ch in "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x7f"):
        raise ImportFileError(
            "文件不是文本表格（含控制字符），请上传 CSV 或 XLSX。",
            "The file contains control characters: it is not a CSV file.",
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;，", key=first_line.count)
    if delimiter == "，":  # a full-width comma is not a CSV delimiter
        delimiter = ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = [(n, row) for n, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式有误：{exc}", f"Malformed CSV: {exc}") from exc
    return _build_table("csv", encoding, rows)


def _read_xlsx(content: bytes) -> Table:
    import openpyxl

    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except zipfile.BadZipFile as exc:
        raise ImportFileError("文件已损坏，无法读取。", "The file is damaged and cannot be read.") from exc
    if "xl/workbook.xml" not in names:
        raise ImportFileError(
            "文件是 ZIP 压缩包或 Word 文档，不是 XLSX 表格。",
            "The file is a ZIP archive or Word document, not an XLSX spreadsheet.",
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken workbooks
        raise ImportFileError("XLSX 文件已损坏，无法读取。", "The XLSX file is damaged.") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [
            (n, ["" if v is None else v for v in values])
            for n, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
        ]
    finally:
        workbook.close()
    return _build_table("xlsx", "", rows)


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


# ---------------------------------------------------------------------------------------------
# Checking rows against the catalog rules.


class _RowFault(Exception):
    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


def _choice_map(choices: type[TextChoices]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        mapping[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                mapping[str(label).strip().lower()] = value
    return mapping


def parse_date(value: Any) -> tuple[dt.date, dt.time | None]:
    """YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日 (optionally with a time), or an Excel date cell."""
    if isinstance(value, dt.datetime):
        return value.date(), (value.time() if value.time() != dt.time() else None)
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    for regex in _DATE_RES:
        match = regex.match(text)
        if match:
            y, m, d, hh, mm, ss = match.groups()
            try:
                day = dt.date(int(y), int(m), int(d))
                at = dt.time(int(hh), int(mm), int(ss or 0)) if hh is not None else None
            except ValueError as exc:
                raise _RowFault(f"日期不存在：{text}", f"No such date: {text}") from exc
            return day, at
    raise _RowFault(
        f"日期格式应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日，而不是“{text}”",
        f"Dates are written YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日, not “{text}”",
    )


def body_html_and_text(text: str) -> tuple[str, str]:
    """HTML is sanitised; plain text (the usual spreadsheet cell) becomes escaped paragraphs, which
    are safe as they are, so the sanitiser is skipped for it."""
    if "<" in text and ">" in text:
        body = sanitize_html(text)
        return body, html_to_text(body)
    paragraphs = [html.escape(p.strip(), quote=False) for p in text.splitlines() if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return body, " ".join(" ".join(p.split()) for p in paragraphs)  # == html_to_text(body)


class RowChecker:
    """Checks rows against the catalog rules; loads categories, departments and used numbers once."""

    def __init__(self, *, now: dt.datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        categories = list(Category.objects.all())
        parents = {c.parent_id for c in categories if c.parent_id}
        self.categories_by_code = {c.code.lower(): c for c in categories}
        by_name: dict[str, list[Category]] = defaultdict(list)
        for c in categories:
            by_name[c.name].append(c)
        self.categories_by_name = dict(by_name)
        self.parents = parents
        self.departments: dict[str, Department] = {}
        for d in Department.objects.filter(is_active=True):
            self.departments[d.name] = d
        self.choice_maps = {
            "genre": _choice_map(Genre),
            "validity": _choice_map(Validity),
            "secrecy": _choice_map(Secrecy),
            "attribute": _choice_map(DisclosureAttribute),
            "attribute_basis": _choice_map(LegalBasis),
        }
        self.defaults = {
            "genre": Genre.OTHER,
            "validity": Validity.IN_FORCE,
            "secrecy": Secrecy.NON_SECRET,
            "attribute": DisclosureAttribute.PROACTIVE,
            "attribute_basis": "",
        }

    def check(self, table: Table, progress: Progress | None = None) -> CheckedRows:
        result = CheckedRows(total=len(table.rows))
        seen: dict[str, int] = {}
        for done, (row_number, raw) in enumerate(table.rows, start=1):
            errors, row = self._check_row(row_number, raw, table.headers)
            if row is not None and row.index_number:
                first = seen.setdefault(row.index_number, row_number)
                if first != row_number:
                    errors.append(
                        RowError(
                            row_number,
                            table.headers["index_number"],
                            f"索引号 {row.index_number} 与第 {first} 行重复",
                            f"Index number {row.index_number} repeats row {first}",
                        )
                    )
            if errors:
                result.errors.extend(errors)
            elif row is not None:
                result.rows.append(row)
            if progress is not None and (done % BATCH == 0 or done == len(table.rows)):
                progress("check", done, len(table.rows))
        self._check_used_numbers(result, table.headers.get("index_number", ""))
        result.errors.sort(key=lambda e: e.row)
        return result

    def _check_used_numbers(self, result: CheckedRows, heading: str) -> None:
        given = [r.index_number for r in result.rows if r.index_number]
        used: set[str] = set()
        for start in range(0, len(given), 500):
            used.update(
                Record.objects.filter(index_number__in=given[start : start + 500]).values_list(
                    "index_number", flat=True
                )
            )
        if not used:
            return
        kept = []
        for row in result.rows:
            if row.index_number in used:
                result.errors.append(
                    RowError(
                        row.row,
                        heading,
                        f"索引号 {row.index_number} 已被目录中的其他信息使用",
                        f"Index number {row.index_number} is already used in the catalog",
                    )
                )
            else:
                kept.append(row)
        result.rows = kept

    def _check_row(
        self, row_number: int, raw: dict[str, Any], headers: dict[str, str]
    ) -> tuple[list[RowError], ImportRow | None]:
        errors: list[RowError] = []
        values: dict[str, Any] = {}

        def fault(field_name: str, message: str, message_en: str) -> None:
            heading = headers.get(field_name) or COLUMN_BY_FIELD[field_name].label
            errors.append(RowError(row_number, heading, message, message_en))

        def text(field_name: str) -> str:
            value = raw.get(field_name, "")
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return str(value).strip()

        for field_name in ("name", "issuer", "summary", "doc_number", "keywords"):
            values[field_name] = text(field_name)
            limit = MAX_LENGTHS.get(field_name)
            if limit and len(values[field_name]) > limit:
                fault(
                    field_name,
                    f"不能超过 {limit} 个字（现有 {len(values[field_name])} 个）",
                    f"At most {limit} characters (has {len(values[field_name])})",
                )
        for field_name in ("name", "issuer"):
            if not values[field_name]:
                column = COLUMN_BY_FIELD[field_name]
                fault(field_name, f"{column.label}为必填项", f"{column.label_en.capitalize()} is required")

        if values["doc_number"] and not DOC_NUMBER_RE.match(values["doc_number"]):
            fault(
                "doc_number",
                f"文号“{values['doc_number']}”格式不规范："
                "年份须用六角括号〔〕括起并用阿拉伯数字，如 吉公发〔2015〕12号",
                f"Document number “{values['doc_number']}”: the year goes in 〔〕 with Arabic numerals, "
                "e.g. 吉公发〔2015〕12号",
            )

        formed_on: dt.date | None = None
        if not text("formed_on"):
            fault("formed_on", "成文日期为必填项", "Formation date is required")
        else:
            try:
                formed_on = parse_date(raw["formed_on"])[0]
            except _RowFault as exc:
                fault("formed_on", exc.message, exc.message_en)
            else:
                if formed_on > self.today:
                    fault("formed_on", "成文日期不能晚于今天", "Formation date is in the future")
                    formed_on = None
        values["formed_on"] = formed_on

        values["category"] = self._category(text("category"), fault)
        department_name = text("department")
        department = self.departments.get(department_name)
        if not department_name:
            fault("department", "责任部门为必填项", "Department is required")
        elif department is None:
            fault(
                "department",
                f"找不到责任部门“{department_name}”（须与系统中的部门全称一致）",
                f"Unknown department “{department_name}” (use its full name as entered in the system)",
            )
        values["department"] = department

        for field_name, choice_map in self.choice_maps.items():
            given = text(field_name)
            if not given:
                values[field_name] = self.defaults[field_name]
            elif given.lower() in choice_map:
                values[field_name] = choice_map[given.lower()]
            else:
                column = COLUMN_BY_FIELD[field_name]
                fault(
                    field_name,
                    f"{column.label}“{given}”不在可选值中",
                    f"{column.label_en.capitalize()} “{given}” is not one of the allowed values",
                )
                values[field_name] = None
        if values["attribute"] in (
            DisclosureAttribute.ON_REQUEST,
            DisclosureAttribute.WITHHELD,
        ) and not values.get("attribute_basis"):
            fault(
                "attribute_basis",
                "依申请公开或不予公开的信息须注明法律依据（条款）",
                "Records not disclosed proactively need a legal basis (article)",
            )

        index_number = text("index_number").upper()
        if index_number and not INDEX_NUMBER_RE.match(index_number):
            fault(
                "index_number",
                f"索引号“{index_number}”格式应为 机构代码/年份-5位序号，如 013544308/2015-00001",
                f"Index number “{index_number}” must read <organisation code>/<year>-<5 digits>, "
                "e.g. 013544308/2015-00001",
            )

        published_at: dt.datetime | None = None
        if text("published_at"):
            try:
                day, at = parse_date(raw["published_at"])
            except _RowFault as exc:
                fault("published_at", exc.message, exc.message_en)
            else:
                published_at = timezone.make_aware(dt.datetime.combine(day, at or dt.time()))
                if published_at > self.now:
                    fault("published_at", "发布日期不能晚于现在", "Publication date is in the future")
                if formed_on is not None and day < formed_on:
                    fault(
                        "published_at",
                        "发布日期早于成文日期",
                        "Publication date is before the formation date",
                    )
                if (
                    values["attribute"] != DisclosureAttribute.PROACTIVE
                    or values["secrecy"] != Secrecy.NON_SECRET
                ):
                    fault(
                        "published_at",
                        "只有主动公开且非涉密的信息可以作为已发布信息导入",
                        "Only proactive, non-secret records can be imported as published",
                    )

        if errors:
            return errors, None
        values["body"], values["body_text"] = body_html_and_text(text("body"))
        return [], ImportRow(
            row=row_number, values=values, index_number=index_number, published_at=published_at
        )

    def _category(self, given: str, fault: Callable[[str, str, str], None]) -> Category | None:
        if not given:
            fault("category", "主题分类为必填项", "Category is required")
            return None
        category = self.categories_by_code.get(given.lower())
        if category is None:
            by_name = self.categories_by_name.get(given, [])
            leaves = [c for c in by_name if c.pk not in self.parents]
            if len(by_name) > 1 and len(leaves) != 1:
                fault(
                    "category",
                    f"栏目名称“{given}”不唯一，请填写栏目代码",
                    f"Category name “{given}” is ambiguous: use its code",
                )
                return None
            category = leaves[0] if leaves else (by_name[0] if by_name else None)
        if category is None:
            fault("category", f"找不到栏目“{given}”", f"Unknown category “{given}”")
            return None
        if category.pk in self.parents:
            fault(
                "category",
                f"“{category.name}”下还有子栏目，请选择到最末一级栏目",
                f"“{category.name}” has sub-categories: choose a leaf category",
            )
            return None
        return category


# ---------------------------------------------------------------------------------------------
# The service.


@dataclass
class ImportResult:
    imported: int = 0
    published: int = 0
    drafts: int = 0
    refused: bool = False
    index_numbers: list[str] = field(default_factory=list)


def _reserve_index_numbers(rows: Sequence[ImportRow]) -> None:
    """Give rows without an index number the next free numbers, and move every sequence past the
    numbers imported, so that no number is ever issued twice."""
    org_code = settings.AGENCY_ORG_CODE
    highest: dict[tuple[str, int], int] = {}
    for row in rows:
        match = INDEX_NUMBER_RE.match(row.index_number) if row.index_number else None
        if match:
            key = (match.group(1), int(match.group(2)))
            highest[key] = max(highest.get(key, 0), int(match.group(3)))
    wanted: dict[int, list[ImportRow]] = defaultdict(list)
    for row in rows:
        if not row.index_number:
            wanted[row.values["formed_on"].year].append(row)
    keys = set(highest) | {(org_code, year) for year in wanted}
    for code, year in sorted(keys):
        sequence, _created = IndexSequence.objects.select_for_update().get_or_create(org_code=code, year=year)
        last = max(sequence.last, highest.get((code, year), 0))
        if code == org_code:
            for row in wanted.get(year, []):
                last += 1
                if last > 99999:
                    raise ImportFileError(
                        f"{year} 年的索引号序号已用完（99999）。",
                        f"Index number sequence for {year} is exhausted (99999).",
                    )
                row.index_number = f"{code}/{year}-{last:05d}"
        if last != sequence.last:
            IndexSequence.objects.filter(pk=sequence.pk).update(last=last)


def _record_row(
    row: ImportRow, *, actor: User, now: dt.datetime, publish_due: dt.date | None
) -> dict[str, Any]:
    values = dict(row.values)
    values["category_id"] = values.pop("category").pk
    values["department_id"] = values.pop("department").pk
    values.update(
        index_number=row.index_number,
        publish_due=publish_due,
        status=Status.PUBLISHED if row.published_at is not None else Status.DRAFT,
        published_at=row.published_at,
        created_by_id=actor.pk,
        created_at=now,
        updated_at=now,
    )
    return values


@transaction.atomic
def do_import_records(
    rows: CheckedRows,
    *,
    actor: User,
    now: dt.datetime,
    partial: bool = False,
    source: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Create the checked rows as records in bulk: drafts, or published with a portal publication."""
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDeniedError("只有公开办审核员可以导入目录 (only the disclosure office may import).")
    counts = {"rows": rows.total, "valid": len(rows.rows), "bad_rows": rows.bad_rows, "source": source[:200]}
    if rows.errors and not partial:
        log_event("catalog.import.refused", actor=actor, after=counts)
        return ImportResult(refused=True)
    good = rows.rows
    _reserve_index_numbers(good)
    due: dict[dt.date, dt.date | None] = {}
    for row in good:
        formed_on = row.values["formed_on"]
        if formed_on not in due:
            due[formed_on] = compute_publish_due(formed_on)
    record_rows = [_record_row(r, actor=actor, now=now, publish_due=due[r.values["formed_on"]]) for r in good]
    by_number = {r["index_number"]: r for r in record_rows}
    published = [r for r in record_rows if r["published_at"] is not None]
    total = len(record_rows)
    saved = [0]

    def record_batch_saved(size: int) -> Callable[[], None]:
        def done() -> None:
            saved[0] += size
            if progress is not None:
                progress("save", saved[0], total)

        return done

    # On SQLite the INSERT statements run on a second thread while this one prepares the next
    # batch (bulk.StatementWriter); on PostgreSQL `writer` is None and each batch is COPYed in turn.
    with bulk.statement_writer() as writer:
        if writer is not None:
            # Ids known in advance: everything that refers to a record is queued right behind it.
            first_id = bulk.reserve_ids(Record)
            for offset, r in enumerate(record_rows):
                r["id"] = first_id + offset
        memo: dict[str, dict[Any, Any]] = {}
        for batch in bulk.batches(record_rows):
            ids = bulk.insert_rows(
                Record,
                batch,
                key="" if writer is not None else "index_number",
                memo=memo,
                writer=writer,
                done=record_batch_saved(len(batch)),
                with_ids=writer is not None,
            )
            for index_number, pk in ids.items():
                by_number[index_number]["id"] = pk
        # The search index's tokens need no ids: made while the records are written.
        tokens = search_bulk.prepare_texts(
            [(r["name"], r.get("summary", ""), r.get("body_text", "")) for r in published]
        )
        bulk.insert_rows(
            RecordTransition,
            [
                {
                    "record_id": r["id"],
                    "from_status": Status.DRAFT,
                    "to_status": Status.PUBLISHED,
                    "actor_id": actor.pk,
                    "at": now,
                    "reason": f"从原目录导入，原发布日期 {timezone.localtime(r['published_at']):%Y-%m-%d}",
                }
                for r in published
            ],
            writer=writer,
        )
        bulk.insert_rows(
            Publication,
            [
                {
                    "record_id": r["id"],
                    "channel": Channel.PORTAL,
                    "published_at": r["published_at"],
                    "recorded_by_id": actor.pk,
                }
                for r in published
            ],
            writer=writer,
        )
        _write_record_events(record_rows, actor=actor, now=now, writer=writer)
        # The search index takes the texts as they were inserted (no model instances needed).
        indexed = [0]
        for start in range(0, len(published), bulk.BATCH):
            chunk = published[start : start + bulk.BATCH]

            def batch_indexed(size: int = len(chunk)) -> None:
                indexed[0] += size
                if progress is not None:
                    progress("index", indexed[0], len(published))

            search_bulk.index_prepared(
                [r["id"] for r in chunk],
                tokens[start : start + bulk.BATCH],
                writer=writer,
                done=batch_indexed,
            )
    log_event(
        "catalog.import.completed",
        actor=actor,
        after={**counts, "imported": total, "published": len(published), "skipped": rows.total - total},
    )
    return ImportResult(
        imported=total,
        published=len(published),
        drafts=total - len(published),
        index_numbers=[r["index_number"] for r in record_rows],
    )


def _write_record_events(
    record_rows: Sequence[dict[str, Any]],
    *,
    actor: User,
    now: dt.datetime,
    writer: bulk.StatementWriter | None,
) -> None:
    """One `catalog.record.imported` event per record, written in bulk (AuditEvent is insert-only)."""
    label = actor.get_full_name() or actor.username
    ip = current_ip()
    events = [
        {
            "at": now,
            "actor_id": actor.pk,
            "actor_label": label,
            "action": "catalog.record.imported",
            "object_type": "catalog.record",
            "object_id": str(r["id"]),
            "object_repr": f"{r['index_number']} {r['name']}"[:300],
            "after": {
                "index_number": r["index_number"],
                "name": r["name"],
                "formed_on": r["formed_on"].isoformat(),
                "issuer": r["issuer"],
                "doc_number": r["doc_number"],
                "category": r["category_id"],
                "department": r["department_id"],
                "attribute": r["attribute"],
                "secrecy": r["secrecy"],
                "status": r["status"],
                "published_at": r["published_at"].isoformat() if r["published_at"] else None,
            },
            "ip_address": ip,
        }
        for r in record_rows
    ]
    bulk.insert_rows(AuditEvent, events, writer=writer)


# ---------------------------------------------------------------------------------------------
# The whole act, for the command and the staff page.


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import builds its rows.

    An import allocates millions of small objects that live until it ends, so the collector kept
    traversing them all, over and over, for nothing: ~15 % of the import's CPU time (bench.import_speed).
    Reference counting still frees everything; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _earlier_import(fingerprint: str) -> AuditEvent | None:
    """The latest import of a file with this content that created records, if any."""
    events = AuditEvent.objects.filter(
        action="catalog.import.completed", after__source__endswith=fingerprint
    ).order_by("-at", "-id")
    for event in events[:20]:
        if int((event.after or {}).get("imported", 0)) > 0:
            return event
    return None


def import_file(
    name: str,
    content: bytes,
    *,
    actor: User,
    now: dt.datetime,
    partial: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    allow_repeat: bool = False,
) -> ImportReport:
    """Read, check and (unless dry_run) import one file; never raises for bad input.

    A file with the same content as one already imported (records created) is refused unless
    `allow_repeat`: its rows without an index number would be created a second time."""
    with _collector_paused():
        return _import_file(
            name,
            content,
            actor=actor,
            now=now,
            partial=partial,
            dry_run=dry_run,
            progress=progress,
            allow_repeat=allow_repeat,
        )


def _import_file(
    name: str,
    content: bytes,
    *,
    actor: User,
    now: dt.datetime,
    partial: bool,
    dry_run: bool,
    progress: Progress | None,
    allow_repeat: bool,
) -> ImportReport:
    fingerprint = f"sha256:{hashlib.sha256(content).hexdigest()[:16]}"
    source = f"{name} {fingerprint}"
    report = ImportReport(source=source, dry_run=dry_run, partial=partial)
    earlier = None if allow_repeat else _earlier_import(fingerprint)
    if earlier is not None:
        at = timezone.localtime(earlier.at)
        who = earlier.actor_label or "-"
        count = int((earlier.after or {}).get("imported", 0))
        report.file_error = ImportFileError(
            f"此文件已于 {at:%Y-%m-%d %H:%M} 由 {who} 导入（{count} 条信息），本次未导入。"
            "如确需再次导入同一文件，请使用命令 gongkai import_catalog --allow-repeat。",
            f"This file was already imported on {at:%Y-%m-%d %H:%M} by {who} ({count} records); "
            "nothing was imported now. To import the same file again, use "
            "`gongkai import_catalog --allow-repeat`.",
        )
        return report
    try:
        table = read_table(content)
    except ImportFileError as exc:
        report.file_error = exc
        return report
    report.kind, report.encoding = table.kind, table.encoding
    checked = RowChecker(now=now).check(table, progress=progress)
    report.total = checked.total
    report.errors = checked.errors
    report.bad_rows = checked.bad_rows
    report.valid = len(checked.rows)
    if dry_run:
        return report
    try:
        result = do_import_records(
            checked, actor=actor, now=now, partial=partial, source=source, progress=progress
        )
    except IntegrityError as exc:
        report.file_error = ImportFileError(
            "导入时索引号与他人同时录入的信息冲突，未导入任何信息，请重试。",
            "An index number was taken by someone else during the import; nothing was imported, try again.",
        )
        report.file_error.__cause__ = exc
        return report
    except ImportFileError as exc:
        report.file_error = exc
        return report
    report.imported, report.published, report.drafts = result.imported, result.published, result.drafts
    if result.index_numbers:
        report.first_index_number = result.index_numbers[0]
        report.last_index_number = result.index_numbers[-1]
    return report
