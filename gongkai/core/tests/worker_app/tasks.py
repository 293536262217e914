"""Slow jobs for test_jobs_worker.py: each step leaves one audit event, and a step done before a
crash is not done again."""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction

from gongkai.core import jobs
from gongkai.core.audit import log_event
from gongkai.core.models import AuditEvent


@jobs.job(name="tests.worker.steps", atomic=False, lease=dt.timedelta(minutes=5))
def steps(*, count: int, pause: float) -> None:
    """Commits step by step (idempotent by design): a re-run skips the steps already committed."""
    run = jobs.current_run()
    assert run is not None
    for step in range(count):
        mark = f"{run.pk}:{step}"
        if AuditEvent.objects.filter(action="tests.worker.step", note=mark).exists():
            continue
        time.sleep(pause)
        with transaction.atomic():
            log_event("tests.worker.step", actor=None, note=mark, after={"attempt": run.attempts})
            jobs.report_progress(step + 1, count, f"step {step + 1}")


@jobs.job(name="tests.worker.atomic", lease=dt.timedelta(minutes=5))
def atomic(*, count: int, pause: float) -> None:
    """All in one transaction: a kill in the middle leaves no step behind."""
    run = jobs.current_run()
    assert run is not None
    for step in range(count):
        log_event("tests.worker.step", actor=None, note=f"{run.pk}:{step}", after={"attempt": run.attempts})
        time.sleep(pause)
