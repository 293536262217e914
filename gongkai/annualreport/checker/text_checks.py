"""Checks of the report's text: parts against the totals they are stated with, percentages against
the numbers they are computed from, the statistical period against the report year, the format
notice cited, and the sections the form requires."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .context import CLAUSE_END, Context, Sentence
from .lines import is_heading
from .normalize import Number, date_ranges, format_number

PARTS_MARKER = re.compile(r"其中|分别为|分别是|包括")
SUM_MARKER = re.compile(r"(?P<word>合计|共计|总计|共)")
PERCENT = "%"
HUNDRED = Decimal(100)


def _n(value: Decimal) -> str:
    return format_number(value)


def _pct(value: Decimal, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-max(decimals, 1))
    return format_number(value.quantize(quantum, rounding=ROUND_HALF_UP))


def percent_agrees(computed: Decimal, stated: Number, *, at_least: bool = False) -> bool:
    """Whether a stated percentage is the computed one, rounded or cut to the decimals printed;
    an approximate one ("约", "近", "以上") may be one point off (or above, for "超过…", "…以上")."""
    if stated.approx:
        if at_least and computed >= stated.value:
            return True
        return abs(computed - stated.value) <= 1
    quantum = Decimal(1).scaleb(-stated.decimals)
    return stated.value in (
        computed.quantize(quantum, rounding=ROUND_HALF_UP),
        computed.quantize(quantum, rounding=ROUND_DOWN),
    )


def _clause_start(text: str, position: int) -> int:
    """Offset where the clause holding `position` begins."""
    start = 0
    for match in CLAUSE_END.finditer(text, 0, position):
        start = match.end()
    return start


def _in_parentheses(text: str, position: int, start: int) -> bool:
    depth = 0
    for char in text[start:position]:
        if char in "(（[【":
            depth += 1
        elif char in ")）]】" and depth:
            depth -= 1
    return depth > 0


def check_parts(ctx: Context) -> None:
    """ "共…20场，其中…3场、…17场": the parts add up to the total (or, with one part, stay below it);
    a part's "占…%" is its share of that total."""
    for sentence in ctx.sentences():
        text = sentence.line.folded[0]
        tokens = ctx.tokens(sentence)
        for marker in PARTS_MARKER.finditer(text, sentence.start, sentence.end):
            _check_marker(ctx, sentence, text, tokens, marker.start(), marker.end())
        _check_parenthesised(ctx, sentence, text, tokens)
        _check_sum_after(ctx, sentence, text, tokens)


def _check_marker(
    ctx: Context, sentence: Sentence, text: str, tokens: list[Number], at: int, after: int
) -> None:
    following = [t for t in tokens if t.start >= after]
    next_marker = PARTS_MARKER.search(text, after, sentence.end)
    if next_marker:
        following = [t for t in following if t.start < next_marker.start()]
    counts = [t for t in following if t.unit != PERCENT and not _in_parentheses(text, t.start, after)]
    if not counts:
        return
    unit = counts[0].unit
    parts = [t for t in counts if t.unit == unit]
    # The total is in the clause of the marker or the one just before it.
    clause = _clause_start(text, at)
    earlier = _clause_start(text, max(sentence.start, clause - 1)) if clause > sentence.start else clause
    before = [t for t in tokens if max(earlier, sentence.start) <= t.start < at and t.unit == unit]
    if not before:
        return
    total = before[-1]
    place = ctx.text_place(sentence.line, total.start, parts[-1].end)
    _judge_parts(ctx, total, parts, text, place, exhaustive_hint=False)
    _check_shares(ctx, sentence, text, total, parts, following)


def _judge_parts(
    ctx: Context, total: Number, parts: list[Number], text: str, place: object, *, exhaustive_hint: bool
) -> None:
    from .result import Place

    assert isinstance(place, Place)
    if total.approx or any(part.approx for part in parts):
        return
    unit = total.unit
    addition = " + ".join(part.text for part in parts)
    whole = sum((part.value for part in parts), Decimal(0))
    if len(parts) == 1:
        if parts[0].value > total.value:
            ctx.find(
                "sum.part_exceeds",
                "error",
                _("部分大于总数：其中%(part)s%(unit)s，超过总数%(total)s%(unit)s。")
                % {"part": _n(parts[0].value), "total": _n(total.value), "unit": unit},
                place,
            )
        return
    if whole == total.value:
        ctx.confirm("sum.parts", f"{addition} = {total.text}", place)
        return
    listed_only = text[parts[-1].end : parts[-1].end + 2].startswith("等") and not exhaustive_hint
    if whole < total.value and listed_only:
        return
    if whole > total.value or exhaustive_hint:
        ctx.find(
            "sum.parts",
            "error",
            _("各部分之和与总数不符：%(addition)s = %(sum)s，而总数为%(total)s%(unit)s。")
            % {"addition": addition, "sum": _n(whole), "total": _n(total.value), "unit": unit},
            place,
        )
    else:
        ctx.find(
            "sum.parts_short",
            "warning",
            _(
                "列出的部分之和小于总数：%(addition)s = %(sum)s，总数为%(total)s%(unit)s（如未列全，宜写明“等”）。"
            )
            % {"addition": addition, "sum": _n(whole), "total": _n(total.value), "unit": unit},
            place,
        )


SHARE = re.compile(r"占(?:比|总数的|全部的|[^\d,;。%]{0,8}?的)?\s*(?:为|约|达)?$")


def _check_shares(
    ctx: Context, sentence: Sentence, text: str, total: Number, parts: list[Number], following: list[Number]
) -> None:
    """ "其中…80件，占80%": each share against part ÷ total."""
    if total.approx or not total.value:
        return
    for pct in (t for t in following if t.unit == PERCENT):
        lead = text[max(sentence.start, pct.start - 12) : pct.start]
        if not SHARE.search(lead):
            continue
        part = next((p for p in reversed(parts) if p.end <= pct.start), None)
        if part is None or part.approx:
            continue
        computed = part.value / total.value * HUNDRED
        _judge_percent(ctx, sentence, pct, computed, f"{part.text} ÷ {total.text}", part.start)


def _check_parenthesised(ctx: Context, sentence: Sentence, text: str, tokens: list[Number]) -> None:
    """ "收到申请20件（当面申请5件、网上申请15件）"."""
    for token in tokens:
        if token.unit == PERCENT or text[token.end : token.end + 1] not in ("(", "（"):
            continue
        close = text.find(")", token.end, sentence.end)
        if close < 0:
            continue
        inside = [t for t in tokens if token.end < t.start < close and t.unit == token.unit]
        if len(inside) >= 2:
            place = ctx.text_place(sentence.line, token.start, close + 1)
            _judge_parts(ctx, token, inside, text, place, exhaustive_hint=False)


def _check_sum_after(ctx: Context, sentence: Sentence, text: str, tokens: list[Number]) -> None:
    """ "当面申请5件、网上申请15件，合计20件": the parts before a 合计 / 共计 / 总计."""
    for marker in SUM_MARKER.finditer(text, sentence.start, sentence.end):
        total = next((t for t in tokens if t.start >= marker.end()), None)
        if total is None or total.unit == PERCENT or total.start - marker.end() > 4:
            continue
        if PARTS_MARKER.search(text, sentence.start, marker.start()):
            continue
        between = text[marker.end() : total.start]
        if CLAUSE_END.search(between):
            continue
        colon = max(text.rfind(":", sentence.start, marker.start()), sentence.start - 1)
        parts = [t for t in tokens if colon < t.start and t.end <= marker.start() and t.unit == total.unit]
        if len(parts) < 2:
            continue
        place = ctx.text_place(sentence.line, parts[0].start, total.end)
        _judge_parts(ctx, total, parts, text, place, exhaustive_hint=marker.group("word") != "共")


# --- percentages --------------------------------------------------------------------------------

CHANGE = re.compile(r"(?:由|从)\s*(?:(?:19|20)\d{2}\s*年(?:底|末|初)?(?:的)?)?\s*$")
CHANGE_TO = re.compile(
    r"(?:精简|减少|压减|削减|下降|降低|缩减|减|降|增加|增长|提高|上升|增|调整|扩大|升)?(?:为|到|至)\s*$"
)
RATIO_WORDS = ("保留", "占", "比例", "比重")
YOY = re.compile(
    r"(?:比|较|同比)(?:上年|去年|上一年度?|上年度|(?:19|20)\d{2}\s*年)(?:同期)?(?:的)?\s*$",
)
GROWTH_WORD = re.compile(
    r"(?:增长|增加|上升|提高|下降|减少|降低|下降了|增长了|减少了|增加了)\s*(?:了)?\s*(?:约|近)?\s*$"
)
RATE = re.compile(r"率\s*(?:达到|达|为|是|约|近)?\s*(?:了)?\s*$")


def check_percentages(ctx: Context) -> None:
    for sentence in ctx.sentences():
        text = sentence.line.folded[0]
        tokens = ctx.tokens(sentence)
        counts = [t for t in tokens if t.unit != PERCENT]
        for pct in (t for t in tokens if t.unit == PERCENT):
            earlier = [t for t in counts if t.end <= pct.start]
            if _change(ctx, sentence, text, pct, earlier):
                continue
            if _year_on_year(ctx, sentence, text, pct, earlier):
                continue
            _rate(ctx, sentence, text, pct, earlier)


def _change(ctx: Context, sentence: Sentence, text: str, pct: Number, earlier: list[Number]) -> bool:
    """ "由35项精简为7项，取消率达80%": (35 − 7) ÷ 35."""
    for index in range(len(earlier) - 1, 0, -1):
        new, old = earlier[index], earlier[index - 1]
        if new.unit != old.unit:
            continue
        if not CHANGE.search(text[max(sentence.start, old.start - 10) : old.start]):
            continue
        if not CHANGE_TO.search(text[old.end : new.start]) or len(text[old.end : new.start]) > 12:
            continue
        if any(t.start > new.end for t in earlier[index + 1 :]):
            return False  # another number sits between: not this percentage's
        if not old.value or old.approx or new.approx:
            return True
        lead = text[max(new.end, pct.start - 10) : pct.start]
        if any(word in lead for word in RATIO_WORDS):
            computed = new.value / old.value * HUNDRED
        else:
            computed = abs(old.value - new.value) / old.value * HUNDRED
        statement = f"{old.text} → {new.text}"
        _judge_percent(ctx, sentence, pct, computed, statement, old.start, arrow=True)
        return True
    return False


def _year_on_year(ctx: Context, sentence: Sentence, text: str, pct: Number, earlier: list[Number]) -> bool:
    """ "受理申请120件，比上年的100件增长20%": (120 − 100) ÷ 100."""
    if len(earlier) < 2:
        return False
    previous, current = earlier[-1], None
    if not GROWTH_WORD.search(text[previous.end : pct.start]) or len(text[previous.end : pct.start]) > 10:
        return False
    if not YOY.search(text[max(sentence.start, previous.start - 14) : previous.start]):
        return False
    current = next((t for t in reversed(earlier[:-1]) if t.unit == previous.unit), None)
    if current is None or not previous.value or current.approx or previous.approx:
        return True
    computed = abs(current.value - previous.value) / previous.value * HUNDRED
    statement = f"{previous.text} → {current.text}"
    _judge_percent(ctx, sentence, pct, computed, statement, current.start, arrow=True)
    return True


def _rate(ctx: Context, sentence: Sentence, text: str, pct: Number, earlier: list[Number]) -> None:
    """ "受理申请20件，已办结18件，办结率90%": 18 ÷ 20, when the clause names a rate and exactly two
    numbers of one unit come before it in the sentence."""
    if not RATE.search(text[max(sentence.start, pct.start - 8) : pct.start]):
        return
    same = [t for t in earlier if earlier and t.unit == earlier[-1].unit]
    if len(same) != 2 or len(earlier) != 2:
        return
    whole, part = same
    if not whole.value or whole.approx or part.approx or part.value > whole.value:
        return
    computed = part.value / whole.value * HUNDRED
    _judge_percent(ctx, sentence, pct, computed, f"{part.text} ÷ {whole.text}", whole.start)


def _judge_percent(
    ctx: Context,
    sentence: Sentence,
    pct: Number,
    computed: Decimal,
    statement: str,
    start: int,
    *,
    arrow: bool = False,
) -> None:
    text = sentence.line.folded[0]
    at_least = text.startswith("以上", pct.end) or text[max(0, pct.start - 3) : pct.start].endswith(
        ("超过", "逾")
    )
    place = ctx.text_place(sentence.line, start, pct.end)
    stated = _n(pct.value) + "%"
    if percent_agrees(computed, pct, at_least=at_least):
        ctx.confirm("percent", f"{statement} = {stated}", place)
        return
    ctx.find(
        "percent",
        "error",
        _("百分比与其数字不符：%(statement)s 应为 %(computed)s%%，报告写的是 %(stated)s。")
        % {"statement": statement, "computed": _pct(computed, pct.decimals), "stated": stated},
        place,
    )


# --- the period --------------------------------------------------------------------------------

PERIOD_WORDS = ("统计", "期限", "时限", "期间", "区间", "数据")


def check_period(ctx: Context) -> None:
    """The stated statistical period is the calendar year of the report (1 January to 31 December)."""
    stated = False
    for sentence in ctx.sentences():
        text = sentence.text
        if not any(word in text for word in PERIOD_WORDS):
            continue
        for found in date_ranges(text):
            stated = True
            offset = sentence.start
            place = ctx.text_place(sentence.line, offset + found.start, offset + found.end)
            start, end = found.dates(ctx.year)
            if start is None or end is None:
                if ctx.year is None and found.start_year is None:
                    continue
                ctx.find("period.invalid", "error", _("统计期限中的日期不存在。"), place)
                continue
            if ctx.year is None:
                continue
            expected = (dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31))
            words = {
                "year": ctx.year,
                "start": _date(start),
                "end": _date(end),
                "expected_start": _date(expected[0]),
                "expected_end": _date(expected[1]),
            }
            if (start, end) == expected:
                ctx.confirm("period", _("统计期限 %(start)s 至 %(end)s = %(year)d年度") % words, place)
            else:
                ctx.find(
                    "period.year",
                    "error",
                    _(
                        "统计期限与报告年度不符：这是%(year)d年度的报告，统计期限应为%(expected_start)s至"
                        "%(expected_end)s，报告写的是%(start)s至%(end)s。"
                    )
                    % words,
                    place,
                )
    if not stated and ctx.form == "national":
        ctx.find("period.missing", "notice", _("报告未写明统计期限（应为报告年度1月1日至12月31日）。"))


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


# --- the format notice --------------------------------------------------------------------------

NOTICE = re.compile(r"国办公开办函\s*[〔\[(【]\s*(?P<y>\d{4})\s*[〕\])】]\s*(?P<n>\d+)\s*号")
# The national formats and the report years each applies to
# (../shared/reference/annual_report_format_2021.json, "applies_to").
FORMAT_NOTICES = {
    (2019, 60): (2019, 2020, "国办公开办函〔2019〕60号"),
    (2021, 30): (2021, None, "国办公开办函〔2021〕30号"),
}


def expected_notice(year: int) -> str | None:
    for first, last, name in FORMAT_NOTICES.values():
        if first <= year and (last is None or year <= last):
            return name
    return None


def check_notice(ctx: Context) -> None:
    for sentence in ctx.sentences():
        for match in NOTICE.finditer(sentence.text):
            key = (int(match.group("y")), int(match.group("n")))
            place = ctx.text_place(
                sentence.line, sentence.start + match.start(), sentence.start + match.end()
            )
            cited = f"国办公开办函〔{key[0]}〕{key[1]}号"
            if key not in FORMAT_NOTICES:
                if "格式" in sentence.text:
                    ctx.find(
                        "notice.unknown",
                        "warning",
                        _(
                            "引用的%(cited)s不是年度报告格式的通知（2019年度、2020年度为国办公开办函〔2019〕60号，2021年度起为国办公开办函〔2021〕30号）。"
                        )
                        % {"cited": cited},
                        place,
                    )
                continue
            if ctx.year is None:
                continue
            first, last, _name = FORMAT_NOTICES[key]
            if first <= ctx.year and (last is None or ctx.year <= last):
                ctx.confirm(
                    "notice", _("%(cited)s 适用于%(year)d年度") % {"cited": cited, "year": ctx.year}, place
                )
                continue
            expected = expected_notice(ctx.year)
            ctx.find(
                "notice.wrong",
                "error",
                (
                    _(
                        "引用的格式通知与报告年度不符：%(year)d年度的报告应依%(expected)s，报告引用的是%(cited)s。"
                    )
                    if expected
                    else _(
                        "引用的格式通知与报告年度不符：%(year)d年度尚无全国统一的年度报告格式，报告引用的是%(cited)s。"
                    )
                )
                % {"year": ctx.year, "expected": expected, "cited": cited},
                place,
            )


# --- sections ----------------------------------------------------------------------------------

# The six sections of the national format, each known by words of its title (the 2019 trial
# format's title of 五 is "政府信息公开工作存在的主要问题及改进情况").
NATIONAL_SECTIONS = (
    ("一", "总体情况", ("总体情况",)),
    ("二", "主动公开政府信息情况", ("主动公开",)),
    ("三", "收到和处理政府信息公开申请情况", ("收到和处理", "处理政府信息公开申请", "依申请公开")),
    ("四", "政府信息公开行政复议、行政诉讼情况", ("行政复议", "行政诉讼")),
    ("五", "存在的主要问题及改进情况", ("存在的主要问题", "存在问题", "主要问题")),
    ("六", "其他需要报告的事项", ("其他需要报告", "其他事项")),
)
# What the 2007 Regulations (Art. 32) require a report to state: checked in a narrative report by
# whether its text mentions it at all.
NARRATIVE_CONTENT = (
    ("主动公开", ("主动公开",), "第三十二条第（一）项"),
    ("依申请公开", ("依申请", "申请公开"), "第三十二条第（二）项"),
    ("收费及减免", ("收费", "费用", "减免"), "第三十二条第（三）项"),
    ("行政复议、行政诉讼", ("行政复议", "行政诉讼", "起诉", "复议"), "第三十二条第（四）项"),
    ("存在的主要问题及改进", ("问题", "不足"), "第三十二条第（五）项"),
)


def national_heading(text: str) -> bool:
    """Whether a paragraph is the heading of section 一 of either form (the title ends before it)."""
    head = text[:40]
    return is_heading(head) and head.lstrip().startswith("一") and ("总体情况" in head or "工作" in head)


def national_sections_found(ctx: Context) -> dict[str, int]:
    """Which national sections have a heading (section number → paragraph number)."""
    found: dict[str, int] = {}
    for line in ctx.paragraphs():
        head = line.folded[0][:40]
        if not (is_heading(line.folded[0]) or is_heading(head)):
            continue
        for number, _title, words in NATIONAL_SECTIONS:
            if number not in found and any(word in head for word in words):
                found[number] = line.paragraph
                break
    return found


def check_sections(ctx: Context) -> None:
    if ctx.form == "national":
        found = national_sections_found(ctx)
        for number, title, _words in NATIONAL_SECTIONS:
            if number not in found:
                ctx.find(
                    "section.missing",
                    "error",
                    _("缺少第%(number)s部分“%(number)s、%(title)s”（全国统一格式的六个部分）。")
                    % {"number": number, "title": _(title)},
                )
        order = [found[number] for number, _t, _w in NATIONAL_SECTIONS if number in found]
        if order != sorted(order):
            ctx.find("section.order", "warning", _("各部分的顺序与全国统一格式不同。"))
        return
    text = "".join(line.folded[0] for line in ctx.paragraphs())
    for name, words, article in NARRATIVE_CONTENT:
        if not any(word in text for word in words):
            ctx.find(
                "section.content",
                "notice",
                _("报告未说明%(name)s情况（2007年《条例》%(article)s要求报告）。")
                % {"name": _(name), "article": _(article)},
            )
