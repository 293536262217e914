"""Checking an import's rows against the catalog rules, and the report the user reads.

Bad rows are reported one by one (spreadsheet row number, column, reason in Chinese and English).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone, translation

from gongkai.accounts.models import Department
from gongkai.catalog.choices import DisclosureAttribute, Genre, LegalBasis, Secrecy, Validity
from gongkai.catalog.importer.read import COLUMN_BY_FIELD, MAX_LENGTHS, ImportFileError, Table
from gongkai.catalog.models import Category, Record
from gongkai.core.params import YEAR_MIN
from gongkai.core.text import html_to_text, sanitize_html

Progress = Callable[[str, int, int], None]

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
class RowError:
    row: int  # as the user sees it in the spreadsheet (the header is usually row 1)
    column: str  # the column heading as written in the file
    message: str
    message_en: str


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
                elif formed_on.year < YEAR_MIN:
                    fault(
                        "formed_on",
                        f"成文日期不能早于{YEAR_MIN}年，请核对",
                        f"Formation date is before {YEAR_MIN}; please check it",
                    )
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
