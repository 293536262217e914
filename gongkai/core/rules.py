"""Statutory rule sets as data, each with its validity period and the articles that define it.

A case or record is governed by the rule set in force on its receipt or formation date (LEGAL.md).
The title and articles are the official Chinese text (letters and records cite them as such); each
has its English text beside it as data — a law's name is not a UI phrase to look up in the
catalogue — and ``local(...)`` picks the one for the active language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import get_language

# The fields that have an English text beside them (``<field>_en``).
LocalField = Literal[
    "title",
    "publication_article",
    "reply_article",
    "extension_article",
    "supplement_article",
    "consultation_article",
]


class RuleSetUnknownError(LookupError):
    """No rule set covers the date (before the 2007 Regulations took effect)."""


@dataclass(frozen=True)
class RuleSet:
    code: str
    title: str
    title_en: str
    valid_from: dt.date
    valid_to: dt.date | None
    publication_workdays: int
    publication_article: str
    publication_article_en: str
    reply_workdays: int
    reply_article: str
    reply_article_en: str
    extension_workdays: int
    extension_article: str
    extension_article_en: str
    supplement_workdays: int | None
    supplement_article: str
    supplement_article_en: str
    consultation_workdays: int | None
    consultation_article: str
    consultation_article_en: str
    consultation_excluded: tuple[str, ...]
    annual_report_due: str

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def local(self, field: LocalField) -> str:
        """The title or an article as the page shows it: the English text when English is active."""
        chinese = str(getattr(self, field))
        if (get_language() or "").startswith("en"):
            return str(getattr(self, f"{field}_en")) or chinese
        return chinese

    @property
    def local_title(self) -> str:
        return self.local("title")


RULES_2007 = RuleSet(
    code="2007",
    title="中华人民共和国政府信息公开条例（国务院令第492号）",
    title_en="Regulations of the People's Republic of China on Government Information Disclosure"
    " (State Council Decree No. 492)",
    valid_from=dt.date(2008, 5, 1),
    valid_to=dt.date(2019, 5, 14),
    publication_workdays=20,
    publication_article="第十八条",
    publication_article_en="Article 18",
    reply_workdays=15,
    reply_article="第二十四条",
    reply_article_en="Article 24",
    extension_workdays=15,
    extension_article="第二十四条",
    extension_article_en="Article 24",
    supplement_workdays=None,
    supplement_article="",
    supplement_article_en="",
    consultation_workdays=None,
    consultation_article="第二十四条",
    consultation_article_en="Article 24",
    consultation_excluded=("third_party",),
    annual_report_due="03-31",
)

RULES_2019 = RuleSet(
    code="2019",
    title="中华人民共和国政府信息公开条例（国务院令第711号）",
    title_en="Regulations of the People's Republic of China on Government Information Disclosure"
    " (State Council Decree No. 711)",
    valid_from=dt.date(2019, 5, 15),
    valid_to=None,
    publication_workdays=20,
    publication_article="第二十六条",
    publication_article_en="Article 26",
    reply_workdays=20,
    reply_article="第三十三条",
    reply_article_en="Article 33",
    extension_workdays=20,
    extension_article="第三十三条",
    extension_article_en="Article 33",
    supplement_workdays=7,
    supplement_article="第三十条",
    supplement_article_en="Article 30",
    consultation_workdays=15,
    consultation_article="第三十二条",
    consultation_article_en="Article 32",
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
