"""The jobs page: the system administrator and the disclosure office see the background jobs, their
progress and failures, and the event deliveries outstanding, and can retry a failed one; nobody
else sees them, whatever they post."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from conftest import PASSWORD, _staff
from gongkai.core import events, jobs
from gongkai.core.models import AuditEvent, CalendarYear, JobRun, JobState, OutboxEvent
from gongkai.workbench import jobs as workbench_jobs

BROKEN = {"times": 0}


@events.subscribe("tests.page.happened")
def flaky_subscriber(event: OutboxEvent) -> None:
    if BROKEN["times"] > 0:
        BROKEN["times"] -= 1
        raise TimeoutError("smtp timed out")


@pytest.fixture
def sysadmin(departments):
    return _staff("sysadmin", "孙系统", departments["office"], ["system_admin"])


@pytest.fixture
def failed_delivery(db, django_capture_on_commit_callbacks):
    """An event whose subscriber failed on every attempt (the retries spent)."""
    BROKEN["times"] = 99
    year = CalendarYear.objects.create(year=2031, source="test")
    with django_capture_on_commit_callbacks(execute=True):
        event = events.emit("tests.page.happened", year)
    later = dt.datetime.now(dt.UTC)
    for _ in range(6):
        later += dt.timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            jobs.sweep(now=later)
    event.refresh_from_db()
    assert event.job is not None and event.job.state == JobState.FAILED
    yield event
    BROKEN["times"] = 0


def test_the_office_sees_progress_failures_and_undelivered_events(client, reviewer, failed_delivery):
    now = dt.datetime.now(dt.UTC)
    JobRun.objects.create(
        name="catalog.search.reindex",
        state=JobState.RUNNING,
        progress_done=3000,
        progress_total=12000,
        progress_message="已索引 3000 条",
        attempts=1,
        max_attempts=3,
        created_at=now,
        not_before=now,
    )
    client.login(username="reviewer", password=PASSWORD)
    page = client.get("/workbench/jobs/").content.decode()
    assert '<progress value="3000" max="12000">' in page
    assert "重建全文检索索引" in page and "已索引 3000 条" in page
    assert "tests.page.happened" in page and "TimeoutError: smtp timed out" in page
    assert f'action="/workbench/jobs/{failed_delivery.job_id}/retry/"' in page
    assert 'href="/workbench/jobs/" aria-current="page"' in page  # in the workbench navigation


def test_a_retry_from_the_page_runs_the_failed_delivery_again(
    client, sysadmin, failed_delivery, django_capture_on_commit_callbacks
):
    BROKEN["times"] = 0
    client.login(username="sysadmin", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/workbench/jobs/{failed_delivery.job_id}/retry/")
    assert response.status_code == 302
    run = JobRun.objects.get(pk=failed_delivery.job_id)
    assert (run.state, run.attempts) == ("done", 7)
    assert failed_delivery.deliveries.get().state == "done"
    assert AuditEvent.objects.filter(action="core.job.retried", object_id=str(run.pk)).exists()
    page = client.get("/workbench/jobs/").content.decode()
    assert "所有事件均已投递" in page and "任务 #" in page


def test_retrying_a_run_that_has_not_failed_does_nothing(client, reviewer, failed_delivery):
    JobRun.objects.filter(pk=failed_delivery.job_id).update(state=JobState.DONE)
    client.login(username="reviewer", password=PASSWORD)
    response = client.post(f"/workbench/jobs/{failed_delivery.job_id}/retry/", follow=True)
    assert "不是失败状态" in response.content.decode()
    assert JobRun.objects.get(pk=failed_delivery.job_id).state == "done"


@pytest.mark.parametrize("persona", ["editor", "leader", "auditor"])
def test_others_see_no_jobs_and_retry_nothing(client, request, persona, failed_delivery):
    user = request.getfixturevalue(persona)
    client.login(username=user.username, password=PASSWORD)
    assert client.get("/workbench/jobs/").status_code == 302
    assert client.post(f"/workbench/jobs/{failed_delivery.job_id}/retry/").status_code == 403
    assert JobRun.objects.get(pk=failed_delivery.job_id).state == "failed"
    with pytest.raises(PermissionDenied):
        workbench_jobs.runs_for(user)
    with pytest.raises(PermissionDenied):
        workbench_jobs.do_retry_job(JobRun.objects.get(pk=failed_delivery.job_id), actor=user)


def test_the_retry_button_needs_a_post_with_the_csrf_token(reviewer, failed_delivery):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.login(username="reviewer", password=PASSWORD)
    assert client.get(f"/workbench/jobs/{failed_delivery.job_id}/retry/").status_code == 405
    assert client.post(f"/workbench/jobs/{failed_delivery.job_id}/retry/").status_code == 403
    assert JobRun.objects.get(pk=failed_delivery.job_id).state == "failed"


def test_a_queue_no_worker_reads_is_pointed_out(client, reviewer, db):
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    JobRun.objects.create(name="catalog.search.reindex", created_at=long_ago, not_before=long_ago)
    client.login(username="reviewer", password=PASSWORD)
    assert "请检查后台执行进程是否在运行" in client.get("/workbench/jobs/").content.decode()


def test_the_page_speaks_english_when_chosen(client, reviewer, failed_delivery):
    client.login(username="reviewer", password=PASSWORD)
    client.post("/preferences/", {"language": "en", "next": "/"})
    page = client.get("/workbench/jobs/").content.decode()
    for words in ["Background jobs", "Undelivered events", "Recent jobs", "Deliver a domain event", "Retry"]:
        assert words in page, words
    for words in ["后台任务", "未投递的事件", "最近的任务", "投递领域事件"]:
        assert words not in page, words
