"""A background job is recorded as a JobRun, runs after its transaction commits, retries with
back-off and then records its failure; a run whose worker died goes back in the queue. (Jobs run
in-process here, Huey's immediate mode; test_jobs_worker.py kills a real worker.)"""

from __future__ import annotations

import datetime as dt
import os
import socket

import pytest
from django.conf import settings
from django.db import transaction
from huey.contrib.djhuey import HUEY

from gongkai.core import jobs
from gongkai.core.audit import log_event
from gongkai.core.models import AuditEvent, JobRun, JobState

CALLS: list[dict[str, object]] = []
FAIL_TIMES: dict[str, int] = {}


@jobs.job(name="tests.core.count", retries=2, retry_delay=10)
def count_job(*, key: str, steps: int = 1) -> None:
    """Writes one audit event per call; fails the first FAIL_TIMES[key] times, after writing."""
    CALLS.append({"key": key})
    log_event("tests.job.ran", actor=None, note=key)
    if FAIL_TIMES.get(key, 0) > 0:
        FAIL_TIMES[key] -= 1
        raise RuntimeError(f"{key} broke")


@jobs.job(name="tests.core.progress", atomic=False, lease=dt.timedelta(minutes=5))
def progress_job(*, total: int) -> None:
    for done in range(1, total + 1):
        jobs.report_progress(done, total, f"第 {done} 步")


@pytest.fixture(autouse=True)
def _clean():
    CALLS.clear()
    FAIL_TIMES.clear()
    yield
    HUEY.storage.flush_schedule()  # retries scheduled by one test are not another's


def ran(key: str) -> int:
    return AuditEvent.objects.filter(action="tests.job.ran", note=key).count()


def test_it_runs_the_job_after_commit_and_records_the_run(db, django_capture_on_commit_callbacks, editor):
    with django_capture_on_commit_callbacks(execute=True):
        run = count_job.enqueue(key="a", started_by=editor)
        assert CALLS == []  # nothing runs before the caller's transaction commits

    run.refresh_from_db()
    assert (run.name, run.arguments, run.state, run.attempts) == ("tests.core.count", {"key": "a"}, "done", 1)
    assert run.started_by == editor
    assert run.started_at is not None and run.finished_at is not None
    assert run.worker == f"{socket.gethostname()}:{os.getpid()}"
    assert ran("a") == 1


def test_it_runs_nothing_enqueued_in_a_rolled_back_transaction(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                count_job.enqueue(key="gone")
                raise RuntimeError("the act failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not JobRun.objects.exists()
    assert CALLS == []


def test_a_failed_attempt_writes_nothing_and_is_retried_with_backoff(
    db, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
    FAIL_TIMES["b"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        run = count_job.enqueue(key="b")
    run.refresh_from_db()
    assert (run.state, run.attempts, run.error) == ("queued", 1, "RuntimeError: b broke")
    assert ran("b") == 0  # the attempt's writes were rolled back with it
    assert run.not_before == dt.datetime(2025, 3, 3, 9, 0, 10, tzinfo=dt.UTC)  # retry_delay

    # The second failure waits twice as long.
    time_machine.move_to(run.not_before + jobs.QUEUED_GRACE)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep() == 1
    run.refresh_from_db()
    assert (run.state, run.attempts) == ("queued", 2)
    assert run.not_before == dt.datetime(2025, 3, 3, 9, 2, 30, tzinfo=dt.UTC)  # 20 s after 9:02:10

    time_machine.move_to(run.not_before + jobs.QUEUED_GRACE)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep()
    run.refresh_from_db()
    assert (run.state, run.attempts, run.error) == ("done", 3, "")
    assert ran("b") == 1


def test_it_records_the_failure_once_the_retries_are_spent(
    db, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
    FAIL_TIMES["c"] = 99
    with django_capture_on_commit_callbacks(execute=True):
        run = count_job.enqueue(key="c")
    for _ in range(3):
        time_machine.shift(dt.timedelta(minutes=5))
        with django_capture_on_commit_callbacks(execute=True):
            jobs.sweep()
    run.refresh_from_db()
    assert (run.state, run.attempts, run.error) == ("failed", 3, "RuntimeError: c broke")
    assert run.finished_at is not None
    assert len(CALLS) == 3 and ran("c") == 0

    # The jobs page's retry gives it one more attempt.
    FAIL_TIMES["c"] = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry(run)
    run.refresh_from_db()
    assert (run.state, run.attempts) == ("done", 4)
    assert not jobs.retry(run)  # only a failed run can be retried


def test_a_duplicate_message_runs_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = count_job.enqueue(key="d")
    jobs.execute(run.pk)
    jobs.send(run.pk, run.name)
    assert ran("d") == 1 and len(CALLS) == 1


def test_a_run_given_to_another_worker_meanwhile_is_rolled_back(db, django_capture_on_commit_callbacks):
    @jobs.job(name="tests.core.overtaken")
    def overtaken() -> None:
        log_event("tests.job.ran", actor=None, note="overtaken")
        # The sweep judged this worker dead and another claimed the run: attempt 2 is theirs.
        JobRun.objects.filter(pk=jobs.current_run().pk).update(attempts=2)  # type: ignore[union-attr]

    with django_capture_on_commit_callbacks(execute=True):
        run = overtaken.enqueue()
    run.refresh_from_db()
    assert run.state == "running" and ran("overtaken") == 0
    del jobs.REGISTRY["tests.core.overtaken"]


def test_progress_is_recorded_and_renews_the_lease(db, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        run = progress_job.enqueue(total=3)
    run.refresh_from_db()
    assert (run.state, run.progress_done, run.progress_total, run.progress_message) == (
        "done",
        3,
        3,
        "第 3 步",
    )


def running_run(worker: str, lease_expires_at: dt.datetime, attempts: int = 1) -> JobRun:
    now = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)
    return JobRun.objects.create(
        name="tests.core.count",
        arguments={"key": "swept"},
        state=JobState.RUNNING,
        attempts=attempts,
        max_attempts=3,
        created_at=now,
        not_before=now,
        started_at=now,
        lease_expires_at=lease_expires_at,
        worker=worker,
    )


def test_the_sweep_requeues_a_run_whose_lease_ran_out(db, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC), tick=False)
    run = running_run("elsewhere:4242", lease_expires_at=dt.datetime(2025, 3, 3, 9, 10, tzinfo=dt.UTC))
    alive = running_run("elsewhere:4243", lease_expires_at=dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep() == 1
    run.refresh_from_db()
    alive.refresh_from_db()
    assert (run.state, run.attempts) == ("done", 2)
    assert alive.state == "running"  # another host's worker with time left on its lease is left alone
    assert ran("swept") == 1


def test_the_sweep_requeues_at_once_a_run_whose_worker_on_this_host_is_gone(
    db, django_capture_on_commit_callbacks, time_machine
):
    import subprocess
    import sys

    time_machine.move_to(dt.datetime(2025, 3, 3, 9, 1, tzinfo=dt.UTC), tick=False)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    lease = dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC)
    dead = running_run(f"{socket.gethostname()}:{gone.stdout.strip()}", lease_expires_at=lease)
    me = running_run(jobs.worker_id(), lease_expires_at=lease)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep()
    dead.refresh_from_db()
    me.refresh_from_db()
    assert dead.state == "done" and me.state == "running"


def test_a_run_whose_worker_keeps_dying_is_given_up(db, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC), tick=False)
    run = running_run(
        "elsewhere:1", lease_expires_at=dt.datetime(2025, 3, 3, 9, 10, tzinfo=dt.UTC), attempts=6
    )
    jobs.sweep()
    run.refresh_from_db()
    assert run.state == "failed" and "多次中断" in run.error


def test_the_sweep_sends_a_queued_run_that_never_reached_the_queue(db, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
    # Enqueued in a transaction whose on-commit hook never ran (the process died right after commit).
    run = count_job.enqueue(key="lost")
    time_machine.shift(jobs.QUEUED_GRACE - dt.timedelta(seconds=1))
    assert jobs.sweep() == 0  # still within the grace: it may be waiting behind other jobs
    time_machine.shift(dt.timedelta(seconds=2))
    assert jobs.sweep() == 1
    run.refresh_from_db()
    assert run.state == "done" and ran("lost") == 1


def test_the_queue_is_the_one_configured():
    storage = type(HUEY.storage).__name__
    if settings.REDIS_URL:
        assert storage == "RedisStorage"
    else:
        # Immediate mode keeps the tests off the SQLite queue file in the data folder.
        assert HUEY.immediate and storage == "MemoryStorage"


def test_a_retry_is_scheduled_in_the_queue(db, django_capture_on_commit_callbacks):
    FAIL_TIMES["sched"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        run = count_job.enqueue(key="sched")
    scheduled = [
        task for task in HUEY.scheduled() if task.name == "tests.core.count" and task.args == (run.pk,)
    ]
    assert len(scheduled) == 1
    assert scheduled[0].eta is not None


def test_the_worker_sweeps_every_minute_and_queues_the_reminders_hourly():
    periodic = {task.name: task for task in HUEY._registry.periodic_tasks}
    sweep, reminders = periodic["core.jobs.sweep"], periodic["inforequests.reminders.daily"]
    minute = dt.datetime(2025, 3, 3, 9, 17)
    assert sweep.validate_datetime(minute) and sweep.validate_datetime(minute + dt.timedelta(minutes=1))
    assert not reminders.validate_datetime(minute)
    assert reminders.validate_datetime(minute.replace(minute=0))  # the hour is checked in local time
