"""What `gongkai run_huey` loads from core (Huey imports each app's tasks module): the sweep, the
event delivery job and the daily backup."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib import djhuey

from gongkai.core import backup, clock, events, jobs  # noqa: F401 - events registers its job
from gongkai.core.models import JobRun


@jobs.job(
    name="core.backup",
    label=gettext_lazy("每日备份"),
    retries=2,
    retry_delay=600,
    lease=dt.timedelta(hours=2),
    atomic=False,  # the archive is written outside any transaction (a consistent online copy)
)
def daily_backup(*, day: str) -> None:
    """One archive in GONGKAI_BACKUP_DIR, then only the GONGKAI_BACKUP_KEEP newest kept."""
    archive = backup.backup()
    backup.prune(archive.parent, settings.BACKUP_KEEP)


def queue_daily_backup() -> JobRun | None:
    """Queue today's backup once, at GONGKAI_BACKUP_AT_HOUR local time (checked hourly)."""
    now = clock.now()
    if timezone.localtime(now).hour != settings.BACKUP_AT_HOUR:
        return None
    day = timezone.localdate(now).isoformat()
    if JobRun.objects.filter(name=daily_backup.name, arguments__day=day).exists():
        return None
    return daily_backup.enqueue(day=day)


# Huey's crontab reads UTC (HUEY["utc"]); the hour is checked in local time above.
queue_daily_backup_task = djhuey.db_periodic_task(crontab(minute="5"), name="core.backup.daily")(
    queue_daily_backup
)
