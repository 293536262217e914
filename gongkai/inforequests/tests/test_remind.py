"""The daily reminder: one e-mail per person with their overdue and due-soon work, no applicant data."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.inforequests import services
from gongkai.inforequests.tests.acting import seen

D = dt.date


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def work(make_application, reviewer, dept_staff, departments, time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 2, 9, tzinfo=dt.UTC))
    reviewer.email = "reviewer@example.com"
    reviewer.save()
    dept_staff.email = "exit@example.com"
    dept_staff.save()
    late = make_application(received_on=D(2021, 5, 6))
    late = services.do_accept_application(late, actor=reviewer, expected_version=seen(late))
    near = make_application(received_on=D(2021, 6, 1))
    near = services.do_accept_application(near, actor=reviewer, expected_version=seen(near))
    other = make_application(received_on=D(2021, 6, 2))
    other = services.do_accept_application(other, actor=reviewer, expected_version=seen(other))
    services.do_assign_application(near, departments=[departments["exit_entry"]], due_on=D(2021, 6, 25),
                                   instructions="", actor=reviewer, expected_version=seen(near))  # fmt: skip
    return late, near


def run(*args):
    out = StringIO()
    call_command("remind_handlers", *args, stdout=out)
    return out.getvalue()


def test_it_sends_one_email_per_person(work):
    late, near = work
    out = run("--as-of", "2021-06-24")
    assert len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    handler_mail = by_to["reviewer@example.com"]
    assert late.tracking_number in handler_mail.body and near.tracking_number in handler_mail.body
    assert "1 件已超期" in handler_mail.subject
    dept_mail = by_to["exit@example.com"]
    assert near.tracking_number in dept_mail.body and late.tracking_number not in dept_mail.body
    assert "部门意见期限" in dept_mail.body
    for m in mail.outbox:
        assert "220102198001011234" not in m.body and "张三" not in m.body and "13900000000" not in m.body
    assert "sent 2 e-mail(s)" in out


def test_an_answered_assignment_is_not_reminded(work, dept_staff):
    _late, near = work
    services.do_give_opinion(
        near.assignments.get(),
        opinion="同意",
        suggested_outcome="",
        actor=dept_staff,
        expected_version=seen(near),
    )
    run("--as-of", "2021-06-24")
    assert [m.to[0] for m in mail.outbox] == ["reviewer@example.com"]


def test_dry_run_sends_nothing(work):
    out = run("--as-of", "2021-06-24", "--dry-run")
    assert mail.outbox == []
    assert "would send 2 e-mail(s)" in out


def test_nothing_due_sends_nothing(work):
    out = run("--as-of", "2021-05-07")
    assert mail.outbox == []
    assert "0 e-mail(s)" in out
