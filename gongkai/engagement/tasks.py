"""Engagement background jobs (core/jobs.py), loaded by `gongkai run_huey`: the morning reminder of
due and overdue inquiries and proposals (reminders.py; by hand: `gongkai remind_engagement`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib import djhuey

from gongkai.core import jobs
from gongkai.core.models import JobRun
from gongkai.engagement import reminders

REMIND_AT_HOUR = 8  # local time (settings.TIME_ZONE), at the start of the working day


@jobs.job(
    name="engagement.reminders",
    label=gettext_lazy("咨询留言与建议提案到期提醒"),
    retries=2,
    retry_delay=300,
)
def remind(*, at: str, day: str = "") -> None:
    """The day's reminders as of `at` (the time the run was queued): a retry the next morning
    still reminds the day it was queued for (`day` names it, for the once-a-day check). One
    transaction; the digests (one e-mail per person) go after commit."""
    reminders.remind_due(dt.datetime.fromisoformat(at), today=dt.date.fromisoformat(day) if day else None)


def daily_reminders() -> JobRun | None:
    """Queue today's reminders once (several workers on one queue each run this hourly)."""
    return jobs.queue_once_a_day(remind, REMIND_AT_HOUR, with_time=True)


# Huey's crontab reads UTC (HUEY["utc"]); jobs.queue_once_a_day checks the hour in local time.
daily_reminders_task = djhuey.db_periodic_task(crontab(minute="0"), name="engagement.reminders.daily")(
    daily_reminders
)
