"""What `gongkai run_huey` loads from core (Huey imports each app's tasks module): the sweep, the
event delivery job, the daily backup, the daily audit chain check and the hourly purge of ended
rate-limit windows."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib import djhuey

from gongkai.core import anchors, backup, clock, events, jobs, ratelimit  # noqa: F401 - events registers its job
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


@jobs.job(
    name="core.audit.verify",
    label=gettext_lazy("每日审计链校验"),
    retries=2,
    retry_delay=600,
    lease=dt.timedelta(hours=2),  # one walk over every event, in one transaction with its result
)
def daily_audit_verify(*, day: str) -> None:
    """Walk the chain, check the anchors, note the head, record the result; mail on any finding."""
    anchors.do_verify_audit_chain(day=day)


def queue_daily_backup() -> JobRun | None:
    """Queue today's backup once, at GONGKAI_BACKUP_AT_HOUR local time (checked hourly)."""
    return jobs.queue_once_a_day(daily_backup, settings.BACKUP_AT_HOUR)


def queue_daily_audit_verify() -> JobRun | None:
    """Queue today's audit chain check once, at GONGKAI_AUDIT_VERIFY_AT_HOUR local time (hourly)."""
    return jobs.queue_once_a_day(daily_audit_verify, settings.AUDIT_VERIFY_AT_HOUR)


# Huey's crontab reads UTC (HUEY["utc"]); jobs.queue_once_a_day checks the hour in local time.
queue_daily_backup_task = djhuey.db_periodic_task(crontab(minute="5"), name="core.backup.daily")(
    queue_daily_backup
)
queue_daily_audit_verify_task = djhuey.db_periodic_task(crontab(minute="10"), name="core.audit.verify.daily")(
    queue_daily_audit_verify
)


def purge_rate_counters() -> int:
    """Delete the database's ended rate-limit windows (each request counts in one row per address
    and bucket; a window that has ended is never read again). Redis expires its own keys."""
    return ratelimit.purge_expired(clock.now())


purge_rate_counters_task = djhuey.db_periodic_task(crontab(minute="15"), name="core.ratelimit.purge")(
    purge_rate_counters
)
