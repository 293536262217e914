"""Checking a report: its year and form from its text, then every check in turn."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.utils.translation import gettext as _

from . import crosscheck, tables, text_checks
from .context import Context
from .extract import extract
from .lines import Line, merge_wrapped, number, text_lines
from .normalize import year_of
from .result import CheckResult

TITLE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?")
NATIONAL_YEAR = 2019  # the first report year with a national table format (〔2019〕60号)


def report_year(lines: list[Line]) -> int | None:
    """The year in the report's title: the first paragraphs before section 一 naming a year
    together with 报告 (or, failing that, the first of them naming one)."""
    head = []
    for line in lines:
        if line.is_row:
            continue
        text = line.folded[0]
        if text_checks.national_heading(text):
            break
        head.append(text)
        if len(head) >= 4:
            break
    for text in head:
        if "报告" in text and (year := year_of(text)) is not None:
            return year
    for text in head[:2]:
        if len(text) <= 60 and (year := year_of(text)) is not None:
            return year
    return None


def report_form(ctx: Context) -> str:
    if ctx.year is not None and ctx.year >= NATIONAL_YEAR:
        return "national"
    if len(text_checks.national_sections_found(ctx)) >= 4:
        return "national"
    return "narrative"


def check_lines(
    lines: list[Line], *, source: str = "", year: int | None = None, pages: int | None = None
) -> CheckResult:
    """Every check over the lines of one report."""
    lines = number(merge_wrapped(lines))
    result = CheckResult(source=source, pages=pages, paragraphs=sum(1 for line in lines if not line.is_row))
    ctx = Context(lines=lines, result=result)
    ctx.year = year if year is not None else report_year(lines)
    ctx.form = report_form(ctx)
    result.year, result.form = ctx.year, ctx.form
    if not lines:
        ctx.find("empty", "error", _("没有读到任何文字（扫描件需先做文字识别）。"))
        return result
    if ctx.year is None:
        ctx.find("year.missing", "warning", _("标题中没有报告年度，统计期限和格式通知未能核对。"))
    text_checks.check_period(ctx)
    text_checks.check_notice(ctx)
    text_checks.check_sections(ctx)
    read = tables.read_tables(ctx)
    result.tables = read.as_dict()
    tables.check_tables(ctx, read)
    crosscheck.check_text_against_tables(ctx, read)
    text_checks.check_parts(ctx)
    text_checks.check_percentages(ctx)
    return result


def check_bytes(content: bytes, name: str = "", *, year: int | None = None) -> CheckResult:
    """Check a report file's content (text, HTML, DOCX or PDF, told by its content and name);
    a file that cannot be read raises `ExtractError` with the reason."""
    lines, pages = extract(content, name)
    return check_lines(lines, source=name, year=year, pages=pages)


def check_file(path: str | os.PathLike[str], *, year: int | None = None) -> CheckResult:
    """Check a report file on disk."""
    file = Path(path)
    return check_bytes(file.read_bytes(), file.name, year=year)


def check_text(text: str, *, source: str = "", year: int | None = None) -> CheckResult:
    """Check a report given as text (tables as tab- or space-separated rows)."""
    return check_lines(text_lines(text), source=source, year=year)
