"""The workday calendar: holidays, make-up days (调休), year boundaries, unknown years."""

import datetime as dt

import pytest

from gongkai.core import workdays
from gongkai.core.models import CalendarDay, CalendarYear
from gongkai.core.workdays import CalendarUnknownError, add_workdays, workdays_between

D = dt.date


def test_it_skips_spring_festival_and_counts_the_makeup_sunday(db):
    # 2015-02-15 (Sunday) and 2015-02-28 (Saturday) were make-up working days; 18–24 Feb were holidays.
    assert workdays.is_workday(D(2015, 2, 15))
    assert not workdays.is_workday(D(2015, 2, 18))
    assert add_workdays(D(2015, 2, 10), 15) == D(2015, 3, 6)


def test_it_crosses_national_day(db):
    # 2015: 1–7 Oct off, Saturday 10 Oct a make-up day.
    assert add_workdays(D(2015, 9, 30), 1) == D(2015, 10, 8)
    assert add_workdays(D(2015, 9, 30), 3) == D(2015, 10, 10)


def test_start_day_is_not_counted(db):
    assert add_workdays(D(2015, 6, 1), 0) == D(2015, 6, 1)
    assert add_workdays(D(2015, 6, 1), 1) == D(2015, 6, 2)
    # Friday → next Monday
    assert add_workdays(D(2015, 6, 5), 1) == D(2015, 6, 8)


def test_it_crosses_a_year_boundary(db):
    # 2015-12-31 Thu; 2016-01-01 New Year's Day holiday; 2016-01-04 Monday.
    assert add_workdays(D(2015, 12, 31), 1) == D(2016, 1, 4)


def test_workdays_between_matches_add_workdays(db):
    start = D(2019, 4, 25)
    for n in (1, 5, 20, 40):
        assert workdays_between(start, add_workdays(start, n)) == n


def test_it_refuses_a_year_without_schedule(db):
    with pytest.raises(CalendarUnknownError) as info:
        add_workdays(D(2027, 3, 1), 5)
    assert "2027" in str(info.value)
    with pytest.raises(CalendarUnknownError):
        add_workdays(D(2026, 12, 28), 10)  # runs into 2027


def test_an_administrator_can_enter_a_later_year(db):
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知（测试）")
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦", source="test")
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_calendar_changes_take_effect_at_once(db):
    assert add_workdays(D(2015, 6, 1), 1) == D(2015, 6, 2)
    day = CalendarDay.objects.get(date=D(2015, 6, 2))
    day.is_workday = False
    day.name = "临时调整"
    day.save()
    assert add_workdays(D(2015, 6, 1), 1) == D(2015, 6, 3)
