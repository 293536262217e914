"""Validation of a draft before approval: the checker (the same one run on anyone's published
report) on the draft's plain text, and the rules only the records can answer — the text still states
the drafted figures, carried over equals last year's carried forward, the period is the calendar
year, the publication deadline of the rule set.

Each finding has a stable `id` (its kind and place), so the office can accept it with a reason and
the acceptance holds while the finding stays the same."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongkai.annualreport.assemble import APPLICANTS, publication_limit
from gongkai.annualreport.document import Number, ReportDocument
from gongkai.annualreport.editing import relocate
from gongkai.core.figures import Period

# Findings of these severities stop approval unless accepted with a reason; notices never do.
BLOCKING = frozenset({"error", "warning"})
REMIND_DAYS_BEFORE = (15, 5, 1)


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    message: str
    place: str = ""
    source: str = "records"  # "records" (this module) or "checker"

    @property
    def id(self) -> str:
        return hashlib.sha256(f"{self.source}|{self.kind}|{self.place}".encode()).hexdigest()[:16]

    @property
    def blocking(self) -> bool:
        return self.severity in BLOCKING

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "place": self.place,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            data["kind"], data["severity"], data["message"], data.get("place", ""), data.get("source", "")
        )


# -- the checker, behind one adapter -----------------------------------------------------------------


def run_checker(text: str, *, source: str) -> list[Finding]:
    """The checker's findings on the report's text (`annualreport.checker.check_text`); none, with
    a notice, while the checker is not installed."""
    try:
        check_text = importlib.import_module("gongkai.annualreport.checker").check_text
    except (ImportError, AttributeError):
        return [
            Finding(
                "checker.unavailable",
                "notice",
                _("报告校验程序尚未安装，本次只校验了与业务记录相关的规则。"),
                source="checker",
            )
        ]
    result = check_text(text, source=source)
    findings = []
    for item in result.findings:
        place = item.place.describe() if hasattr(item.place, "describe") else str(item.place or "")
        findings.append(Finding(item.kind, item.severity, item.message, place, source="checker"))
    return findings


# -- the rules of the records -------------------------------------------------------------------


def stated_figures(draft: ReportDocument, current: ReportDocument) -> list[Finding]:
    """A drafted number the edited text no longer states: the text disagrees with the records."""
    findings = []
    drafted = {p.key: p for p in draft.passages()}
    for passage in current.passages():
        original = drafted.get(passage.key)
        if original is None or passage.text == original.drafted:
            continue
        _found, lost = relocate(original, passage.text)
        for mention in lost:
            quote = original.drafted[max(0, mention.start - 12) : mention.end + 4]
            findings.append(
                Finding(
                    "text.figure_not_stated",
                    "error",
                    _(
                        "修改后的文字不再写明业务记录中的数字 %(value)s（统计项 %(code)s）：原稿为“%(quote)s”。"
                    )
                    % {"value": mention.value, "code": mention.code, "quote": quote},
                    place=_("“%(heading)s”一段（%(key)s）")
                    % {"heading": passage.heading or "", "key": passage.key}
                    + f" #{mention.code}",
                )
            )
    return findings


def carried_over(doc: ReportDocument, last_year: dict[str, Number | None] | None) -> list[Finding]:
    """Table 三: this year's 上年结转 equals last year's 结转下年度继续办理, column by column (T3-XYEAR)."""
    if last_year is None:
        return []
    findings = []
    for column in (*APPLICANTS, "total"):
        code = f"inforequests.table3.carried_over.{column}"
        before = last_year.get(f"inforequests.table3.carried_forward.{column}")
        now = doc.figures.get(code)
        if now is None:
            try:
                now = doc.table("三").cell("carried_over", column).value
            except StopIteration:
                return []
        if before is not None and now is not None and before != now:
            findings.append(
                Finding(
                    "records.carried_over",
                    "error",
                    _("上年结转数 %(now)s 与上一年度结转下年度继续办理数 %(before)s 不一致。")
                    % {"now": now, "before": before},
                    place=_("表三“二、上年结转政府信息公开申请数量”行 %(column)s 列") % {"column": column},
                )
            )
    return findings


PERIOD_TEXT = re.compile(
    r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[起]?至\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)


def period(doc: ReportDocument) -> list[Finding]:
    """The statistics period is the calendar year of the report, in its dates and in its text."""
    expected = Period.year(doc.year)
    findings = []
    if (doc.period_start, doc.period_end) != (expected.start, expected.end):
        findings.append(
            Finding(
                "records.period",
                "error",
                _("统计期间 %(start)s 至 %(end)s 不是报告年度 %(year)s 年的公历年度。")
                % {"start": doc.period_start, "end": doc.period_end, "year": doc.year},
                place=_("统计期间"),
            )
        )
    texts = [("preface", doc.preface)] + [(p.key, p.text) for p in doc.passages()]
    for key, text in texts:
        for match in PERIOD_TEXT.finditer(text):
            numbers = [int(n) for n in match.groups()]
            try:
                start, end = dt.date(*numbers[:3]), dt.date(*numbers[3:])
            except ValueError:
                start, end = dt.date.min, dt.date.min
            if (start, end) != (expected.start, expected.end):
                findings.append(
                    Finding(
                        "records.period_text",
                        "error",
                        _("文中所述统计期限“%(quote)s”与报告年度 %(year)s 年不符。")
                        % {"quote": match.group(0), "year": doc.year},
                        place=_("“%(key)s”一段") % {"key": key},
                    )
                )
    return findings


def deadline(year: int, rule_set: str, today: dt.date, *, published: bool) -> list[Finding]:
    """The publication limit of the rule set: 31 January (2019 Art. 49) or 31 March (2007 Art. 31)."""
    due = publication_limit(year, rule_set)
    if published:
        return []
    article = _("2019年条例第四十九条") if rule_set == "2019" else _("2007年条例第三十一条")
    if today > due:
        return [
            Finding(
                "records.deadline_passed",
                "warning",
                _("已超过%(article)s规定的发布期限（%(due)s），请说明逾期原因。")
                % {"article": article, "due": due.isoformat()},
                place=_("发布期限"),
            )
        ]
    if (due - today).days <= max(REMIND_DAYS_BEFORE):
        return [
            Finding(
                "records.deadline_near",
                "notice",
                _("距%(article)s规定的发布期限（%(due)s）还有%(days)d天。")
                % {"article": article, "due": due.isoformat(), "days": (due - today).days},
                place=_("发布期限"),
            )
        ]
    return []


def validate(
    draft: ReportDocument,
    current: ReportDocument,
    *,
    rule_set: str,
    today: dt.date,
    last_year: dict[str, Number | None] | None,
    published: bool = False,
    checker: Callable[..., list[Finding]] = run_checker,
) -> list[Finding]:
    """Every finding on the current draft, the checker's first."""
    return [
        *checker(current.plain_text(), source=current.title),
        *stated_figures(draft, current),
        *carried_over(current, last_year),
        *period(current),
        *deadline(current.year, rule_set, today, published=published),
    ]


def blocking(findings: list[dict[str, Any]], accepted: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings that stop approval: errors and warnings not accepted with a reason."""
    return [f for f in findings if f["severity"] in BLOCKING and f["id"] not in accepted]
