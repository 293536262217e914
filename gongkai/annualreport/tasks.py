"""Annual report background jobs (core/jobs.py), loaded by `gongkai run_huey`: the morning
reminder of the publication deadline of last year's report (reminders.py)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib import djhuey

from gongkai.annualreport import reminders
from gongkai.core import jobs
from gongkai.core.models import JobRun

REMIND_AT_HOUR = 8  # local time (settings.TIME_ZONE), at the start of the working day


@jobs.job(
    name="annualreport.reminders",
    label=gettext_lazy("年度报告发布期限提醒"),
    retries=2,
    retry_delay=300,
)
def remind(*, at: str, day: str = "") -> None:
    """The day's reminder as of `at` (the time the run was queued): a retry the next morning
    still reminds the day it was queued for (`day` names it). One transaction; the e-mails go
    after commit."""
    moment = dt.datetime.fromisoformat(at)
    reminders.remind_deadline(moment, today=dt.date.fromisoformat(day) if day else None)


def daily_reminders() -> JobRun | None:
    """Queue today's reminder once (several workers on one queue each run this hourly)."""
    return jobs.queue_once_a_day(remind, REMIND_AT_HOUR, with_time=True)


# Huey's crontab reads UTC (HUEY["utc"]); jobs.queue_once_a_day checks the hour in local time.
daily_reminders_task = djhuey.db_periodic_task(crontab(minute="0"), name="annualreport.reminders.daily")(
    daily_reminders
)
