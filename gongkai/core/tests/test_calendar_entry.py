"""A system administrator enters a later year's schedule; deadlines follow at once."""

import datetime as dt

import pytest

from gongkai.accounts.services import do_create_staff
from gongkai.core import services
from gongkai.core.models import AuditEvent
from gongkai.core.workdays import add_workdays

SCHEDULE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（测试数据）
2027-01-01 休 元旦
2027-02-06 班 春节调休上班
2027-02-08 休 春节
2027-02-09 休 春节
"""


@pytest.fixture
def sysadmin(departments):
    return do_create_staff(
        username="sys",
        password="x-very-long-pass",
        full_name="冯系统",
        department=departments["office"],
        roles=["system_admin"],
        actor=None,
    )


def test_it_enters_2027_and_deadlines_use_it(sysadmin):
    special = services.parse_schedule(2027, SCHEDULE_2027)
    services.do_enter_calendar_year(2027, special, source="测试通知", actor=sysadmin)
    # Fri 5 Feb → Sat 6 Feb is a make-up working day.
    assert add_workdays(dt.date(2027, 2, 5), 1) == dt.date(2027, 2, 6)
    # Holidays 8–9 Feb are skipped.
    assert add_workdays(dt.date(2027, 2, 6), 1) == dt.date(2027, 2, 10)
    assert AuditEvent.objects.filter(action="core.calendar.year_entered").count() == 1


def test_it_names_the_bad_line(sysadmin):
    with pytest.raises(services.CalendarInputError, match="第 2 行"):
        services.parse_schedule(2027, "2027-01-01 休 元旦\n2027-13-01 休 错误")
    with pytest.raises(services.CalendarInputError, match="不在 2027 年内"):
        services.parse_schedule(2027, "2026-12-31 休 x")


def test_only_the_system_administrator_enters_a_year(editor):
    with pytest.raises(PermissionError):
        services.do_enter_calendar_year(2027, [], source="x", actor=editor)


def test_publication_limits_are_recomputed_when_a_year_is_entered(
    sysadmin, make_record, django_capture_on_commit_callbacks
):
    record = make_record(formed_on=dt.date(2026, 12, 21))
    assert record.publish_due is None  # runs into 2027, unknown: not guessed
    with django_capture_on_commit_callbacks(execute=True):
        services.do_enter_calendar_year(
            2027, services.parse_schedule(2027, SCHEDULE_2027), source="测试通知", actor=sysadmin
        )
    record.refresh_from_db()
    # 22–31 Dec 2026: 8 working days (1 Jan 2027 off); then 4 Jan… 20th working day = 2027-01-19
    assert record.publish_due == dt.date(2027, 1, 19)


def test_the_calendar_page(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        "/workbench/calendar/", {"year": 2027, "source": "测试通知", "schedule": "2027-02-30 休 x"}
    )
    assert response.status_code == 200
    assert "日期无效" in response.content.decode()
    assert "2027-02-30 休 x" in response.content.decode()
    response = client.post(
        "/workbench/calendar/", {"year": 2027, "source": "测试通知", "schedule": SCHEDULE_2027}
    )
    assert response.status_code == 302
    assert "调休上班" in client.get("/workbench/calendar/?year=2027").content.decode()
