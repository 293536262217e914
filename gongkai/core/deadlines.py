"""Deadlines as pure functions of (start, rule set, calendar) that explain themselves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gongkai.core import rules, workdays


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    workdays: int
    due: dt.date
    rule_code: str
    article: str
    crossed: tuple[tuple[dt.date, str, str], ...] = field(default_factory=tuple)

    def explain(self) -> str:
        lines = [
            f"起算日 {self.start.isoformat()}（当日不计），依{self.article}计 {self.workdays} 个工作日，"
            f"截止 {self.due.isoformat()}。"
        ]
        for day, kind, name in self.crossed:
            label = "调休上班" if kind == "makeup" else "节假日"
            lines.append(f"  {day.isoformat()} {label}{(' ' + name) if name else ''}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "workdays": self.workdays,
            "due": self.due.isoformat(),
            "rule_set": self.rule_code,
            "article": self.article,
            "crossed": [{"date": d.isoformat(), "kind": k, "name": n} for d, k, n in self.crossed],
        }


def workday_deadline(start: dt.date, n: int, *, rule_code: str, article: str) -> Deadline:
    due = workdays.add_workdays(start, n)
    crossed = tuple(
        (info.date, "makeup" if info.is_makeup_day else "holiday", info.name)
        for info in workdays.special_days(start, due)
    )
    return Deadline(start=start, workdays=n, due=due, rule_code=rule_code, article=article, crossed=crossed)


@dataclass(frozen=True)
class ReplyDeadline:
    received: dt.date
    rule_set: rules.RuleSet
    reply: Deadline
    extended: Deadline

    def as_dict(self) -> dict[str, Any]:
        return {
            "received": self.received.isoformat(),
            "due": self.reply.due.isoformat(),
            "extended_due": self.extended.due.isoformat(),
            "rule_set": {
                "code": self.rule_set.code,
                "title": self.rule_set.title,
                "title_en": self.rule_set.title_en,
                "reply_workdays": self.rule_set.reply_workdays,
                "extension_workdays": self.rule_set.extension_workdays,
                "article": self.rule_set.reply_article,
            },
            "explanation": {"reply": self.reply.as_dict(), "extension": self.extended.as_dict()},
        }

    def explain(self) -> str:
        return "\n".join(
            [
                f"收到申请 {self.received.isoformat()}；适用{self.rule_set.title}。",
                "答复期限：" + self.reply.explain(),
                "延长期限：" + self.extended.explain(),
            ]
        )


def reply_deadline(received: dt.date) -> ReplyDeadline:
    """Reply due date and the extended due date for an application received on `received`."""
    rule_set = rules.rules_for(received)
    reply = workday_deadline(
        received, rule_set.reply_workdays, rule_code=rule_set.code, article=rule_set.reply_article
    )
    extended = workday_deadline(
        reply.due, rule_set.extension_workdays, rule_code=rule_set.code, article=rule_set.extension_article
    )
    return ReplyDeadline(received=received, rule_set=rule_set, reply=reply, extended=extended)


def publication_deadline(formed_on: dt.date) -> Deadline:
    """Proactive records are published within 20 working days of formation (2007 Art. 18; 2019 Art. 26)."""
    rule_set = rules.rules_for(formed_on)
    return workday_deadline(
        formed_on,
        rule_set.publication_workdays,
        rule_code=rule_set.code,
        article=rule_set.publication_article,
    )
