"""The apps' work as jobs: `gongkai reindex --background` queues a reindex that reports progress,
and the handlers' reminders go out every morning as a job (once, whatever the number of workers)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.core.models import JobRun
from gongkai.inforequests import tasks as inforequests_tasks
from gongkai.inforequests.management.commands import remind_handlers
from gongkai.inforequests.tests.test_remind import _locmem, work  # noqa: F401 - fixtures

BEIJING = dt.timezone(dt.timedelta(hours=8))


def test_reindex_in_the_background_reports_its_progress(make_record, django_capture_on_commit_callbacks):
    from gongkai.catalog import search

    make_record(status="published", name="关于道路交通安全的通告")
    guide = make_record(status="published", name="出入境证件办理指南")
    search.clear_index()
    assert search.matching_ids("出入境") == []
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reindex", "--background", "--batch", "1", stdout=out)
    run = JobRun.objects.get(name="catalog.search.reindex")
    assert f"#{run.pk}" in out.getvalue()
    assert (run.state, run.progress_done, run.progress_total, run.arguments) == ("done", 2, 2, {"batch": 1})
    assert run.progress_message == "已索引 2 条"
    assert search.matching_ids("出入境") == [guide.pk]


@pytest.mark.usefixtures("work")
def test_the_reminders_are_queued_once_at_eight_in_the_morning(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 24, 7, 0, tzinfo=BEIJING), tick=False)
    assert inforequests_tasks.daily_reminders() is None  # not yet the hour

    time_machine.move_to(dt.datetime(2021, 6, 24, 8, 0, tzinfo=BEIJING), tick=False)
    run = inforequests_tasks.daily_reminders()
    assert run is not None and run.arguments == {"as_of": "2021-06-24"}
    assert inforequests_tasks.daily_reminders() is None  # a second worker's scheduler: nothing more
    assert JobRun.objects.filter(name="inforequests.reminders").count() == 1


@pytest.mark.usefixtures("work")
def test_the_reminder_job_mails_each_person_and_counts_them(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = inforequests_tasks.reminders.enqueue(as_of="2021-06-24")
    run.refresh_from_db()
    assert (run.state, run.progress_done, run.progress_total) == ("done", 2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["exit@example.com", "reviewer@example.com"]


@pytest.mark.usefixtures("work")
def test_a_rerun_leaves_out_the_people_already_reminded():
    sent, skipped, _ = remind_handlers.send_reminders(dt.date(2021, 6, 24), skip=1)
    assert (sent, skipped) == (1, 0)
    assert [m.to[0] for m in mail.outbox] == ["reviewer@example.com"]  # "dept…" came first
