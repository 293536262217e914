"""Text against tables: the counts section 一 quotes ("收到政府信息公开申请12件", "上年结转2件",
"办结11件", "结转下年度3件", "被申请行政复议1件") against the cells of tables 三 and 四 (the
format file's TEXT-TABLE rule)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from .context import CLAUSE_END, Context
from .lines import Line
from .normalize import format_number
from .tables import Tables

CASE_UNITS = frozenset({"件", "起", "宗", "个", "次", "件次"})
Getter = Callable[[Tables], Decimal | None]


def _t3(key: str) -> Getter:
    return lambda tables: tables.table3.value(key) if tables.table3 else None


def _t3_sum(prefix: str) -> Getter:
    return lambda tables: tables.table3.sum_of(prefix) if tables.table3 else None


def _t4(*groups: int) -> Getter:
    def get(tables: Tables) -> Decimal | None:
        if tables.table4 is None:
            return None
        return sum((tables.table4[g * 5 + 4] or Decimal(0) for g in groups), Decimal(0))

    return get


# (words before the number, what the table says, how the cell is named in a message)
FACTS: tuple[tuple[re.Pattern[str], Getter, str], ...] = (
    (
        re.compile(
            r"(?:新收|收到|受理|接收|接到)(?:到)?(?:各类|群众|公民|公众)?(?:的)?(?:政府信息公开|信息公开)?申请(?:共|总计)?"
        ),
        _t3("new_received"),
        "表三“本年新收”总计",
    ),
    (
        re.compile(r"上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?"),
        _t3("carried_over"),
        "表三“上年结转”总计",
    ),
    (
        re.compile(r"(?:已)?(?:办结|办理完毕|答复完毕)(?:申请)?(?:共)?"),
        _t3("total_processed"),
        "表三“（七）总计”",
    ),
    (
        re.compile(r"结转(?:至)?下(?:一)?年度?(?:继续办理)?(?:的)?(?:申请)?"),
        _t3("carried_forward"),
        "表三“结转下年度继续办理”总计",
    ),
    (re.compile(r"予以公开"), _t3("granted"), "表三“（一）予以公开”总计"),
    (re.compile(r"部分公开"), _t3("partial"), "表三“（二）部分公开”总计"),
    (re.compile(r"不予公开"), _t3_sum("denied"), "表三“（三）不予公开”各行之和"),
    (re.compile(r"无法提供"), _t3_sum("unable"), "表三“（四）无法提供”各行之和"),
    (re.compile(r"不予处理"), _t3_sum("not_processed"), "表三“（五）不予处理”各行之和"),
    (re.compile(r"行政复议(?:案件|申请)?"), _t4(0), "表四“行政复议”总计"),
    (re.compile(r"行政诉讼(?:案件)?"), _t4(1, 2), "表四两类“行政诉讼”总计之和"),
)
NONE_WORDS = re.compile(r"没有|未发生|未收到|未出现|无|未")
GAP = 8  # characters allowed between the words and the number ("上年结转的2件")


def check_text_against_tables(ctx: Context, tables: Tables) -> None:
    if tables.table3 is None and tables.table4 is None:
        return
    facts = [
        (pattern, expected, name)
        for pattern, getter, name in FACTS
        if (expected := getter(tables)) is not None
    ]
    for sentence in ctx.sentences():
        text = sentence.line.folded[0]
        tokens = [t for t in ctx.tokens(sentence) if t.unit in CASE_UNITS]
        taken: set[int] = set()
        for pattern, expected, name in facts:
            for match in pattern.finditer(text, sentence.start, sentence.end):
                token = next((t for t in tokens if t.start >= match.end()), None)
                if token is None or token.start in taken or token.start - match.end() > GAP:
                    _none_stated(ctx, sentence.line, text, match, expected, name)
                    continue
                if CLAUSE_END.search(text, match.end(), token.start) or token.approx:
                    continue
                if any(p.search(text, match.end(), token.start) for p, _g, _n in FACTS if p is not pattern):
                    continue
                taken.add(token.start)
                stated = text[match.start() : token.end]
                place = ctx.text_place(sentence.line, match.start(), token.end)
                words = {"stated": stated, "name": _(name), "value": format_number(expected)}
                if token.value == expected:
                    ctx.confirm("text_table", _("正文“%(stated)s” = %(name)s %(value)s") % words, place)
                else:
                    ctx.find(
                        "text_table",
                        "error",
                        _("正文与表格不符：正文写“%(stated)s”，%(name)s为%(value)s。") % words,
                        place,
                    )


def _none_stated(
    ctx: Context, line: Line, text: str, match: re.Match[str], expected: Decimal, name: str
) -> None:
    """A clause saying there was none ("未发生行政复议、行政诉讼") while table 四 counts cases."""
    if "行政" not in match.group(0) or not expected:
        return
    clause_start = max((m.end() for m in CLAUSE_END.finditer(text, 0, match.start())), default=0)
    before = text[clause_start : match.start()]
    if not NONE_WORDS.search(before[-8:]):
        return
    ctx.find(
        "text_table",
        "error",
        _("正文与表格不符：正文写“%(stated)s”，%(name)s为%(value)s。")
        % {"stated": text[clause_start : match.end()], "name": _(name), "value": format_number(expected)},
        ctx.text_place(line, clause_start, match.end()),
    )
