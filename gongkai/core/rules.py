"""Statutory rule sets as data, each with its validity period and the articles that define it.

A case or record is governed by the rule set in force on its receipt or formation date (LEGAL.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class RuleSetUnknownError(LookupError):
    """No rule set covers the date (before the 2007 Regulations took effect)."""


@dataclass(frozen=True)
class RuleSet:
    code: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    publication_workdays: int
    publication_article: str
    reply_workdays: int
    reply_article: str
    extension_workdays: int
    extension_article: str
    supplement_workdays: int | None
    supplement_article: str
    consultation_workdays: int | None
    consultation_article: str
    consultation_excluded: tuple[str, ...]
    annual_report_due: str

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


RULES_2007 = RuleSet(
    code="2007",
    title="中华人民共和国政府信息公开条例（国务院令第492号）",
    valid_from=dt.date(2008, 5, 1),
    valid_to=dt.date(2019, 5, 14),
    publication_workdays=20,
    publication_article="第十八条",
    reply_workdays=15,
    reply_article="第二十四条",
    extension_workdays=15,
    extension_article="第二十四条",
    supplement_workdays=None,
    supplement_article="",
    consultation_workdays=None,
    consultation_article="第二十四条",
    consultation_excluded=("third_party",),
    annual_report_due="03-31",
)

RULES_2019 = RuleSet(
    code="2019",
    title="中华人民共和国政府信息公开条例（国务院令第711号）",
    valid_from=dt.date(2019, 5, 15),
    valid_to=None,
    publication_workdays=20,
    publication_article="第二十六条",
    reply_workdays=20,
    reply_article="第三十三条",
    extension_workdays=20,
    extension_article="第三十三条",
    supplement_workdays=7,
    supplement_article="第三十条",
    consultation_workdays=15,
    consultation_article="第三十二条",
    # Time not counted in the reply period: consultations (Arts. 32–34) and, from 2021, the time
    # between a fee notice and payment (国办函〔2020〕109号).
    consultation_excluded=("third_party", "other_agency", "fee"),
    annual_report_due="01-31",
)

RULE_SETS: tuple[RuleSet, ...] = (RULES_2007, RULES_2019)


def rules_for(day: dt.date) -> RuleSet:
    for rule_set in RULE_SETS:
        if rule_set.covers(day):
            return rule_set
    raise RuleSetUnknownError(
        f"No disclosure rule set covers {day.isoformat()} (the Regulations began 2008-05-01)."
    )
