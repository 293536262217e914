"""The rule sets are data: each date has one, and each title and article has its English text beside
the official Chinese, picked by the active language."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from django.utils import translation

from gongkai.core import rules

D = dt.date
DIGITS = dict(zip("一二三四五六七八九", range(1, 10), strict=True))
ARTICLE_FIELDS = [f.name for f in dataclasses.fields(rules.RuleSet) if f.name.endswith("_article")]


def cn_number(text: str) -> int:
    """三十三 -> 33, 十八 -> 18, 二十 -> 20 (enough for article numbers below 100)."""
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return DIGITS[text]
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


def test_each_date_has_its_rule_set():
    assert rules.rules_for(D(2019, 5, 14)) is rules.RULES_2007
    assert rules.rules_for(D(2019, 5, 15)) is rules.RULES_2019
    with pytest.raises(rules.RuleSetUnknownError):
        rules.rules_for(D(2008, 4, 30))


@pytest.mark.parametrize("rule_set", rules.RULE_SETS, ids=lambda r: r.code)
@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_every_article_has_the_same_number_in_english(rule_set, field):
    chinese = getattr(rule_set, field)
    english = getattr(rule_set, f"{field}_en")
    if not chinese:
        assert english == ""
        return
    match = re.fullmatch(r"第(.+)条", chinese)
    assert match, chinese
    assert english == f"Article {cn_number(match.group(1))}"


@pytest.mark.parametrize("rule_set", rules.RULE_SETS, ids=lambda r: r.code)
def test_the_english_title_names_the_same_decree(rule_set):
    decree = re.search(r"第(\d+)号", rule_set.title)
    assert decree
    assert rule_set.title_en.endswith(f"(State Council Decree No. {decree.group(1)})")
    assert not re.search(r"[\u4e00-\u9fff]", rule_set.title_en)


def test_the_active_language_picks_the_text():
    r = rules.RULES_2019
    with translation.override("zh-hans"):
        assert r.local_title == "中华人民共和国政府信息公开条例（国务院令第711号）"
        assert r.local("reply_article") == "第三十三条"
    with translation.override("en"):
        assert r.local_title.startswith("Regulations of the People's Republic of China")
        assert r.local("reply_article") == "Article 33"
        # An article the rule set does not have stays empty in both languages.
        assert rules.RULES_2007.local("supplement_article") == ""


def test_the_official_text_is_never_translated():
    with translation.override("en"):
        assert rules.RULES_2019.title == "中华人民共和国政府信息公开条例（国务院令第711号）"
        assert rules.RULES_2019.reply_article == "第三十三条"
