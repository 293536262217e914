"""Disclosure-on-request background jobs (core/jobs.py), loaded by `gongkai run_huey`: the
handlers' morning reminders."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib import djhuey

from gongkai.core import jobs
from gongkai.core.models import JobRun
from gongkai.inforequests.management.commands import remind_handlers

REMIND_AT_HOUR = 8  # local time (settings.TIME_ZONE), at the start of the working day


@jobs.job(
    name="inforequests.reminders",
    label=gettext_lazy("依申请公开期限提醒邮件"),
    retries=2,
    retry_delay=300,
    atomic=False,
)
def reminders(*, as_of: str) -> None:
    """Each person's due-soon and overdue work by e-mail (`gongkai remind_handlers`). A re-run after
    a crash starts after the people the dead run had reached (its progress), so few get two."""
    run = jobs.current_run()
    remind_handlers.send_reminders(
        dt.date.fromisoformat(as_of),
        skip=run.progress_done if run is not None else 0,
        sent_one=lambda done, total: jobs.report_progress(done, total, _("已提醒 %(n)s 人") % {"n": done}),
    )


def daily_reminders() -> JobRun | None:
    """Queue today's reminders once (several workers on one Redis queue each run this hourly)."""
    return jobs.queue_once_a_day(reminders, REMIND_AT_HOUR, key="as_of")


# Huey's crontab reads UTC (HUEY["utc"]); jobs.queue_once_a_day checks the hour in local time.
daily_reminders_task = djhuey.db_periodic_task(crontab(minute="0"), name="inforequests.reminders.daily")(
    daily_reminders
)
