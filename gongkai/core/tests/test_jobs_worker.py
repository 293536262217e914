"""A real worker (`gongkai run_huey`) killed with SIGKILL in the middle of a job: the next worker
runs the job again to completion and nothing is done twice. Against a throwaway SQLite data folder,
and the Redis queue when GONGKAI_REDIS_URL is set (.ci/with-redis). About five seconds each."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("real-worker")]

GONGKAI = str(Path(sys.executable).parent / "gongkai")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated database for the module; each test works on a copy."""
    folder: Path = tmp_path_factory.mktemp("jobs-template")
    subprocess.run([GONGKAI, "migrate", "-v", "0"], env=worker_env(folder, "unused"), check=True, timeout=120)
    return folder


def worker_env(folder: Path, queue: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_XDIST_WORKER")}
    env.update(
        GONGKAI_DATA_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="gongkai.core.tests.worker_settings",
        GONGKAI_JOBS_IMMEDIATE="0",
        GONGKAI_HUEY_NAME=queue,
        GONGKAI_LOG_LEVEL="INFO",
        # The site runs outside pytest, where every member of staff needs a second factor; its
        # pages are fetched with a signed-in client, as in the suite.
        GONGKAI_TOTP_REQUIRED_ROLES="none",
    )
    return env


class Site:
    """A data folder with its own queue, a worker that can be started and killed, and a look at the rows."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = worker_env(folder, f"kill-test-{uuid.uuid4().hex[:8]}")
        self.log = (folder / "worker.log").open("ab")
        self.worker: subprocess.Popen[bytes] | None = None

    def enqueue(self, job: str, **arguments: Any) -> int:
        code = (
            f"from gongkai.core.tests.worker_app import tasks; "
            f"print('run', tasks.{job}.enqueue(**{arguments!r}).pk)"
        )
        out = subprocess.run(
            [GONGKAI, "shell", "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return int(next(line for line in out.stdout.splitlines() if line.startswith("run ")).split()[1])

    def start_worker(self) -> None:
        self.worker = subprocess.Popen([GONGKAI, "run_huey"], env=self.env, stdout=self.log, stderr=self.log)

    def kill_worker(self) -> None:
        assert self.worker is not None
        os.kill(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=10)  # reaped: its pid is gone, as after a crash
        self.worker = None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait()
        self.log.close()

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.folder / "gongkai.sqlite3", timeout=20) as db:
            return db.execute(sql, params).fetchall()

    def run(self, pk: int) -> dict[str, Any]:
        [row] = self.rows(
            "SELECT state, attempts, progress_done, progress_total, error FROM core_jobrun WHERE id = ?", pk
        )
        return dict(zip(("state", "attempts", "done", "total", "error"), row, strict=True))

    def steps(self, pk: int) -> list[tuple[str, str]]:
        return self.rows(
            "SELECT note, after FROM core_auditevent WHERE action = 'tests.worker.step' AND note LIKE ? ORDER BY id",
            f"{pk}:%",
        )

    def wait_for(self, what: str, condition: Callable[[], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                self.log.flush()
                tail = (self.folder / "worker.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"timed out waiting for {what}; worker log:\n{tail}")
            time.sleep(0.05)


@pytest.fixture
def site(migrated, tmp_path) -> Iterator[Site]:
    for name in ("gongkai.sqlite3", "secret_key"):
        shutil.copy(migrated / name, tmp_path / name)
    running = Site(tmp_path)
    yield running
    running.stop()
    # The queue was where the settings say: Redis under .ci/with-redis, else a SQLite file here.
    assert (tmp_path / "huey.sqlite3").exists() == (not os.environ.get("GONGKAI_REDIS_URL"))


def test_a_job_committed_step_by_step_resumes_after_a_kill_and_does_no_step_twice(site):
    site.start_worker()  # booting beside the enqueueing process
    run = site.enqueue("steps", count=6, pause=0.3)
    site.wait_for("two steps", lambda: site.run(run)["done"] >= 2)
    site.kill_worker()

    killed = site.run(run)
    assert killed["state"] == "running"  # Huey dropped the task with its worker; the run remembers
    assert 2 <= len(site.steps(run)) < 6

    site.start_worker()
    site.wait_for("the run to finish", lambda: site.run(run)["state"] == "done")
    done = site.run(run)
    assert (done["attempts"], done["done"], done["total"]) == (2, 6, 6)
    notes = [note for note, _ in site.steps(run)]
    assert notes == [f"{run}:{step}" for step in range(6)]  # every step once, in order


def test_a_job_in_one_transaction_killed_midway_leaves_nothing_and_runs_again(site):
    site.start_worker()
    run = site.enqueue("atomic", count=8, pause=0.25)
    site.wait_for("the run to start", lambda: site.run(run)["state"] == "running")
    time.sleep(0.8)  # a few steps written, none committed
    site.kill_worker()

    assert site.run(run)["state"] == "running"
    assert site.steps(run) == []  # nothing half-done

    site.start_worker()
    site.wait_for("the run to finish", lambda: site.run(run)["state"] == "done")
    assert site.run(run)["attempts"] == 2
    steps = site.steps(run)
    assert [note for note, _ in steps] == [f"{run}:{step}" for step in range(8)]
    assert {after for _, after in steps} == {'{"attempt": 2}'}
