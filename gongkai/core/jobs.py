"""Background jobs: Huey carries them, `JobRun` records them.

A job is a function decorated with `@job(name=...)`; `enqueue(...)` writes a `JobRun` (in the
caller's transaction) and hands its id to Huey after commit. The worker claims the run (state
queued -> running, one attempt more, a lease) with one conditional UPDATE, so a duplicate message
runs nothing. Huey forgets the task a killed worker was running; the run does not: `sweep()` (every
minute, and when a worker starts) puts back in the queue every run whose worker died or whose lease
ran out, and every queued run that never reached the queue (a crash between commit and enqueue).

A job's work must survive being run again: `atomic=True` (the default) runs it and marks the run
done in one transaction, so a kill leaves nothing; a long job (`atomic=False`) commits in steps
and skips the steps already done, reporting how far it got with `report_progress`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from huey import crontab
from huey.api import TaskWrapper
from huey.contrib import djhuey

from gongkai.core import clock
from gongkai.core.models import JobRun, JobState

if TYPE_CHECKING:
    from gongkai.accounts.models import User

logger = logging.getLogger(__name__)

# A queued run not picked up this long after it was due is sent to the queue again (its message was
# lost, or never sent); a duplicate message is harmless, the claim lets one through.
QUEUED_GRACE = dt.timedelta(minutes=2)
# A run whose worker keeps dying (out of memory, killed) is given up after this many extra attempts.
CRASH_ALLOWANCE = 3

_current = threading.local()


class JobRefused(Exception):
    """The run was taken over by another worker (our lease ran out): roll back what we did."""


@dataclass(frozen=True)
class Job:
    """A registered job: its function, how often and how late it is retried, how long its lease is."""

    name: str
    label: str | Promise
    func: Callable[..., None]
    retries: int
    retry_delay: float
    lease: dt.timedelta
    atomic: bool
    task: TaskWrapper = field(repr=False)

    def enqueue(self, *, started_by: User | None = None, **arguments: Any) -> JobRun:
        """Record a run and queue it when the caller's transaction commits (at once outside one)."""
        now = clock.now()
        run = JobRun.objects.create(
            name=self.name,
            arguments=arguments,
            max_attempts=self.retries + 1,
            created_at=now,
            not_before=now,
            started_by=started_by,
        )
        run_pk = run.pk
        # robust: if the queue is unreachable the run stays queued and the sweep sends it later.
        transaction.on_commit(lambda: send(run_pk, self.name), robust=True)
        return run

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1, 2, ...): doubled each time."""
        return float(self.retry_delay * 2 ** max(attempt - 1, 0))


REGISTRY: dict[str, Job] = {}


def queue_once_a_day(job: Job, hour: int, *, key: str = "day", with_time: bool = False) -> JobRun | None:
    """Queue today's run of `job` once, in the local `hour` (settings.TIME_ZONE): the hourly
    periodic task of every worker on the queue calls this, and only the first of the day queues.
    The run's argument `key` names the local day (the once-a-day check reads it); `with_time` also
    passes `at`, the moment it was queued."""
    now = clock.now()
    local = timezone.localtime(now)
    if local.hour != hour:
        return None
    day = local.date().isoformat()
    if JobRun.objects.filter(name=job.name, **{f"arguments__{key}": day}).exists():
        return None
    arguments: dict[str, Any] = {key: day}
    if with_time:
        arguments["at"] = now.isoformat()
    return job.enqueue(**arguments)


def label(name: str) -> str:
    """The words for job `name` (the name itself for a job this process does not know)."""
    registered = REGISTRY.get(name)
    return str(registered.label) if registered is not None else name


def job(
    *,
    name: str,
    label: str | Promise = "",
    retries: int = 0,
    retry_delay: float = 30,
    lease: dt.timedelta = dt.timedelta(minutes=10),
    atomic: bool = True,
) -> Callable[[Callable[..., None]], Job]:
    """Make `func(**arguments)` a background job called `name` (a dotted code, unique); `label`
    names it on the workbench jobs page."""

    def decorate(func: Callable[..., None]) -> Job:
        if name in REGISTRY:
            raise ValueError(f"job {name!r} is registered twice")

        def run_job(run_pk: int) -> None:
            execute(run_pk)

        run_job.__name__ = name.replace(".", "_")
        task = djhuey.db_task(name=name)(run_job)
        registered = Job(name, label or name, func, retries, retry_delay, lease, atomic, task)
        REGISTRY[name] = registered
        return registered

    return decorate


def send(run_pk: int, name: str, *, delay: float = 0) -> None:
    """Hand a run to Huey (now, or after `delay` seconds)."""
    task = REGISTRY[name].task
    if delay > 0:
        task.schedule(args=(run_pk,), delay=delay)
    else:
        task(run_pk)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(run_pk: int) -> None:
    """Claim run `run_pk` and run it; a run already claimed, done or failed is left alone."""
    run = JobRun.objects.filter(pk=run_pk).first()
    if run is None or run.name not in REGISTRY:
        logger.error("jobs: run %s unknown or its job %s not registered", run_pk, run and run.name)
        return
    registered = REGISTRY[run.name]
    now = clock.now()
    claimed = JobRun.objects.filter(pk=run_pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        finished_at=None,
        lease_expires_at=now + registered.lease,
        worker=worker_id(),
    )
    if not claimed:
        return
    run.refresh_from_db()
    _current.run = run
    _current.lease = registered.lease
    try:
        if registered.atomic:
            with transaction.atomic():
                registered.func(**run.arguments)
                _finish(run)
        else:
            registered.func(**run.arguments)
            with transaction.atomic():
                _finish(run)
    except JobRefused:
        logger.warning("jobs: %s #%s taken over by another worker, rolled back", run.name, run.pk)
    except Exception as exc:
        _record_failure(run, registered, exc)
    finally:
        _current.run = None


def _finish(run: JobRun) -> None:
    # Fenced by the attempt: if the sweep gave the run to another worker meanwhile, ours is void.
    done = JobRun.objects.filter(pk=run.pk, state=JobState.RUNNING, attempts=run.attempts).update(
        state=JobState.DONE, finished_at=clock.now(), lease_expires_at=None, error=""
    )
    if not done:
        raise JobRefused(run.pk)


def _record_failure(run: JobRun, registered: Job, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:4000]
    now = clock.now()
    mine = JobRun.objects.filter(pk=run.pk, state=JobState.RUNNING, attempts=run.attempts)
    if run.attempts < run.max_attempts:
        delay = registered.backoff(run.attempts)
        mine.update(
            state=JobState.QUEUED,
            not_before=now + dt.timedelta(seconds=delay),
            lease_expires_at=None,
            error=error,
        )
        logger.warning(
            "jobs: %s #%s attempt %s failed (%s), retry in %ss",
            run.name,
            run.pk,
            run.attempts,
            type(exc).__name__,
            delay,
        )
        try:
            send(run.pk, run.name, delay=delay)
        except Exception:
            logger.exception("jobs: could not schedule the retry of #%s (the sweep will)", run.pk)
    else:
        mine.update(state=JobState.FAILED, finished_at=now, lease_expires_at=None, error=error)
        logger.error(
            "jobs: %s #%s failed after %s attempts (%s)", run.name, run.pk, run.attempts, type(exc).__name__
        )


def current_run() -> JobRun | None:
    """The run this thread is executing (None outside a job)."""
    return getattr(_current, "run", None)


def report_progress(done: int, total: int | None = None, message: str = "") -> None:
    """Say how far the current run is, and renew its lease (a no-op outside a job).

    Call it between the steps of a long job: inside a transaction the figure is seen (and the lease
    renewed) only when that transaction commits.
    """
    run = current_run()
    if run is None:
        return
    lease: dt.timedelta = _current.lease
    JobRun.objects.filter(pk=run.pk, state=JobState.RUNNING, attempts=run.attempts).update(
        progress_done=done,
        progress_total=total,
        progress_message=message[:200],
        lease_expires_at=clock.now() + lease,
    )


def _worker_is_dead(worker: str) -> bool:
    """A worker on this host whose process is gone (another host's is judged by its lease alone)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def sweep(*, now: dt.datetime | None = None) -> int:
    """Re-queue runs whose worker died and runs that never reached the queue; return how many."""
    now = now or clock.now()
    sent = 0
    running = JobRun.objects.filter(state=JobState.RUNNING).filter(
        Q(lease_expires_at__lt=now) | Q(worker__startswith=f"{socket.gethostname()}:")
    )
    for run in running:
        expired = run.lease_expires_at is not None and run.lease_expires_at < now
        if not expired and not _worker_is_dead(run.worker):
            continue
        mine = JobRun.objects.filter(pk=run.pk, state=JobState.RUNNING, attempts=run.attempts)
        if run.attempts >= run.max_attempts + CRASH_ALLOWANCE:
            mine.update(state=JobState.FAILED, finished_at=now, error=_("执行进程多次中断，任务已放弃。"))
            continue
        if mine.update(
            state=JobState.QUEUED,
            not_before=now,
            lease_expires_at=None,
            error=_("执行进程中断（%(worker)s），任务重新排队。") % {"worker": run.worker},
        ):
            logger.warning("jobs: %s #%s lost its worker %s, re-queued", run.name, run.pk, run.worker)
            sent += _send_quietly(run)
    overdue = JobRun.objects.filter(state=JobState.QUEUED, not_before__lte=now - QUEUED_GRACE)
    for run in overdue:
        sent += _send_quietly(run)
    return sent


def _send_quietly(run: JobRun) -> int:
    if run.name not in REGISTRY:
        logger.error("jobs: run #%s of unknown job %s left queued", run.pk, run.name)
        return 0
    try:
        send(run.pk, run.name)
    except Exception:
        logger.exception("jobs: could not queue run #%s", run.pk)
        return 0
    return 1


def retry(run: JobRun) -> bool:
    """Queue a failed run once more (the jobs page's retry button); False if it is not failed."""
    again = JobRun.objects.filter(pk=run.pk, state=JobState.FAILED).update(
        state=JobState.QUEUED,
        not_before=clock.now(),
        max_attempts=F("attempts") + 1,
        finished_at=None,
    )
    if again:
        run_pk, name = run.pk, run.name
        transaction.on_commit(lambda: send(run_pk, name), robust=True)
    return bool(again)


def periodic_sweep() -> None:
    sweep()


def sweep_on_start() -> None:
    # A worker started after a crash picks up the dead one's runs at once, not a minute later.
    try:
        sweep()
    except Exception:
        logger.exception("jobs: sweep at start failed")


# Registered by call, not as decorators: Huey's are untyped.
periodic_sweep_task = djhuey.db_periodic_task(crontab(minute="*"), name="core.jobs.sweep")(periodic_sweep)
djhuey.on_startup()(sweep_on_start)
