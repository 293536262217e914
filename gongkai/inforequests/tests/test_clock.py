"""The reply clock: Spring Festival, National Day, make-up days, a year boundary, the 2019 change of
law, a request to complete, a consultation, an extension — each due date explained."""

import datetime as dt

import pytest

from gongkai.inforequests.deadlines import ClockInput, ExtensionTooLongError, PauseSpan, compute

D = dt.date


def clock(received, **kw):
    return compute(ClockInput(received_on=received, as_of=kw.pop("as_of", received), **kw))


def test_2015_application_across_spring_festival(db):
    result = clock(D(2015, 2, 10))
    assert result.rule_set.code == "2007"
    assert result.due == D(2015, 3, 6)  # 15 working days, 18–24 Feb off, 15 and 28 Feb worked
    assert result.extended_due == D(2015, 3, 27)
    kinds = {k for _, k, _ in result.crossed}
    assert kinds == {"holiday", "makeup"}
    assert "第二十四条" in result.explain()


def test_2019_rules_from_15_may_2019(db):
    assert clock(D(2019, 5, 14)).rule_set.code == "2007"
    after = clock(D(2019, 5, 15))
    assert after.rule_set.code == "2019"
    assert after.due == D(2019, 6, 13)  # 20 working days, Dragon Boat (7 June) skipped
    assert after.extended_due == D(2019, 7, 11)


def test_national_day_with_makeup_days(db):
    # 2019: 29 Sep (Sun) and 12 Oct (Sat) worked, 1–7 Oct off.
    assert clock(D(2019, 9, 27)).due == D(2019, 10, 30)


def test_year_boundary(db):
    # 2020-12-25 Fri + 20 working days: 1 Jan off → 2021-01-25
    assert clock(D(2020, 12, 25)).due == D(2021, 1, 25)


def test_a_completed_application_restarts_the_clock(db):
    result = clock(D(2020, 3, 2), supplement_completed_on=D(2020, 3, 20))
    assert result.start == D(2020, 3, 20)
    assert result.due == D(2020, 4, 20)  # 4 Apr (Qingming, Sat) no effect; 6 Apr (Mon) off
    assert "重新起算" in result.explain()


def test_2007_rules_have_no_restart(db):
    result = clock(D(2015, 3, 2), supplement_completed_on=D(2015, 3, 20))
    assert result.start == D(2015, 3, 2)


def test_third_party_consultation_time_is_not_counted(db):
    plain = clock(D(2021, 6, 1))
    paused = clock(D(2021, 6, 1), consultations=(PauseSpan("third_party", D(2021, 6, 7), D(2021, 6, 18)),))
    # 8–11 and 15–18 June are working days (14 June Dragon Boat off): 8 days not counted.
    assert paused.paused_workdays == 8
    assert paused.due > plain.due
    assert "不计入" in paused.explain()


def test_other_agency_consultation_counts_only_under_2019_rules(db):
    span = (PauseSpan("other_agency", D(2015, 6, 8), D(2015, 6, 12)),)
    assert clock(D(2015, 6, 1), consultations=span).paused_workdays == 0
    span = (PauseSpan("other_agency", D(2021, 6, 7), D(2021, 6, 11)),)
    assert clock(D(2021, 6, 1), consultations=span).paused_workdays == 4


def test_an_open_consultation_pauses_until_today(db):
    span = (PauseSpan("third_party", D(2021, 6, 7), None),)
    result = clock(D(2021, 6, 1), consultations=span, as_of=D(2021, 6, 10))
    assert result.paused_now
    assert result.paused_workdays == 3


def test_extension_within_the_limit(db):
    result = clock(D(2021, 6, 1), extension_workdays=10)
    assert result.extended
    assert result.effective_due == result.extended_due
    with pytest.raises(ExtensionTooLongError):
        clock(D(2021, 6, 1), extension_workdays=21)
    with pytest.raises(ExtensionTooLongError):
        clock(D(2015, 6, 1), extension_workdays=16)


def test_an_agency_set_later_deadline_binds(db):
    result = clock(D(2021, 6, 1), later_due_on=D(2021, 9, 30))
    assert result.effective_due == D(2021, 9, 30)
    assert "第三十五条" in result.explain()


def test_a_due_date_in_a_year_without_schedule_is_left_open_not_guessed(db):
    # Received 2026-12-01: the reply date is in 2026, the longest extension runs into 2027.
    result = clock(D(2026, 12, 1))
    assert result.due == D(2026, 12, 29)
    assert result.extended_due is None
    assert "2027 年的节假日安排尚未录入" in result.explain()
    late = clock(D(2026, 12, 20))
    assert late.due is None
    assert late.effective_due is None


def test_an_application_is_received_even_when_next_year_is_not_entered(application_data):
    from gongkai.inforequests import services
    from gongkai.inforequests.tests.acting import at

    application, code = services.do_submit_application(
        application_data, channel="online", received_on=D(2026, 12, 28), now=at(D(2026, 12, 28))
    )
    assert code
    assert application.due_on is None


def test_the_explanation_names_the_regulations_in_the_page_language(db):
    import re

    from django.utils import translation

    inp = ClockInput(received_on=dt.date(2021, 6, 1), as_of=dt.date(2021, 6, 1), extension_workdays=20)
    with translation.override("en"):
        english = compute(inp).explain()
    with translation.override("zh-hans"):
        chinese = compute(inp).explain()

    assert "Regulations of the People's Republic of China on Government Information Disclosure" in english
    assert "(Article 33)" in english
    assert not re.search(r"第[一二三四五六七八九十]+条|条例", english)
    assert "适用中华人民共和国政府信息公开条例（国务院令第711号）" in chinese
    assert "（第三十三条）" in chinese
