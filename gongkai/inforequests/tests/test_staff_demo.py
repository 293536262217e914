"""The demo applications: every outcome, the procedures of both rule sets, balanced tables."""

import datetime as dt

import pytest

from gongkai.accounts.choices import DepartmentKind
from gongkai.accounts.models import Department
from gongkai.accounts.services import do_create_staff
from gongkai.inforequests import stats
from gongkai.inforequests.choices import Outcome, PauseKind, ReviewKind, ReviewResult
from gongkai.inforequests.demo import load_demo_applications
from gongkai.inforequests.models import Application, Extension, Pause, Review
from gongkai.portal.demo import DEPARTMENTS, STAFF


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC))
    agency = Department.objects.create(name="吉林省公安厅", kind=DepartmentKind.AGENCY)
    departments = {
        name: Department.objects.create(name=name, kind=kind, short_name=short, parent=agency)
        for name, kind, short in DEPARTMENTS
    }
    staff = {
        username: do_create_staff(username=username, password="x-demo-pass", full_name=full_name,
                                  department=departments[dept] if dept else agency, roles=roles,
                                  email=f"{username}@example.com", actor=None)
        for username, full_name, dept, roles in STAFF
    }  # fmt: skip
    return load_demo_applications(staff, departments)


def test_the_demo_covers_every_outcome_and_procedure(demo):
    assert demo["applications"] == Application.objects.count() > 90
    assert set(Outcome.values) <= set(Application.objects.values_list("outcome", flat=True))
    y2015 = Application.objects.filter(received_on__year=2015)
    assert y2015.count() == demo["of 2015"] > 20
    assert set(y2015.values_list("rule_set", flat=True)) == {"2007"}
    assert not Review.objects.filter(application__received_on__year=2015).exists()
    assert not Pause.objects.filter(kind=PauseKind.SUPPLEMENT, application__rule_set="2007").exists()
    assert Pause.objects.filter(kind=PauseKind.SUPPLEMENT).count() >= 2
    assert Pause.objects.exclude(kind=PauseKind.SUPPLEMENT).filter(application__rule_set="2007").exists()
    assert Extension.objects.filter(application__rule_set="2007").exists()
    assert Extension.objects.filter(application__rule_set="2019").exists()
    assert Review.objects.filter(kind=ReviewKind.RECONSIDERATION, result=ReviewResult.UPHELD).exists()
    assert demo["open"] >= 3


def test_the_demo_tables_balance_and_carry_across_year_ends(demo):
    for year in (2015, 2016, 2021, 2022, 2023, 2024, 2025):
        table = stats.table_3(dt.date(year, 1, 1), dt.date(year, 12, 31))
        assert stats.check_table_3(table) == []
    assert stats.table_3(dt.date(2015, 1, 1), dt.date(2015, 12, 31))["carried_forward"]["total"] >= 2
    assert stats.table_3(dt.date(2022, 1, 1), dt.date(2022, 12, 31))["carried_over"]["total"] >= 1
    times = stats.processing_times(dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert times.count > 20 and times.on_time_rate == 1.0


def test_a_reply_refers_the_applicant_to_the_authority_of_its_year(demo):
    """Natural-resources departments were created in 2018: a 2015 reply may not name one."""
    not_held = Application.objects.filter(outcome=Outcome.UNABLE_NOT_HELD)
    old = not_held.filter(received_on__year__lt=2018)
    new = not_held.filter(received_on__year__gt=2019)
    assert old.exists() and new.exists()
    for application in old:
        assert "自然资源" not in application.reply_text + application.holder_agency
        assert application.holder_agency == "吉林省住房和城乡建设厅"
    assert {a.holder_agency for a in new} == {"吉林省自然资源厅"}
