"""A committed act's event goes to the outbox in the act's transaction and reaches each subscriber
once, through the job runner; a rolled-back act's event reaches nobody; a failing subscriber is
retried with back-off and holds up none of the others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from gongkai.core import events, jobs
from gongkai.core.models import CalendarYear, JobRun, OutboxDelivery, OutboxEvent

RECEIVED: list[tuple[str, str, int]] = []
BROKEN: dict[str, int] = {}


@events.subscribe("tests.thing.approved")
def on_approved(event: OutboxEvent) -> None:
    RECEIVED.append(("approved", event.code, event.pk))


@events.subscribe("tests.thing.*")
def on_any_thing(event: OutboxEvent) -> None:
    if BROKEN.get("any", 0) > 0:
        BROKEN["any"] -= 1
        raise ConnectionError("mail server away")
    RECEIVED.append(("any", event.code, event.pk))


@pytest.fixture(autouse=True)
def _clean():
    RECEIVED.clear()
    BROKEN.clear()


@pytest.fixture
def year(db):
    return CalendarYear.objects.create(year=2031, source="test")


def subscribers(event: OutboxEvent) -> dict[str, tuple[str, int]]:
    return {
        d.subscriber.rsplit(".", 1)[1]: (d.state, d.attempts)
        for d in OutboxDelivery.objects.filter(event=event)
    }


def test_it_writes_the_event_with_its_object_and_actor(year, editor, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
    event = events.emit("tests.thing.approved", year, payload={"on": dt.date(2025, 3, 1)}, actor=editor)
    event.refresh_from_db()
    assert (event.code, event.object_type, event.object_id) == (
        "tests.thing.approved",
        "core.calendaryear",
        "2031",
    )
    assert event.payload == {"on": "2025-03-01"}
    assert event.actor == editor
    assert event.created_at == dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)
    assert event.job is not None and event.job.name == "core.events.deliver"


def test_a_committed_event_reaches_each_subscriber_once(year, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = events.emit("tests.thing.approved", year)
        assert RECEIVED == []  # nothing is delivered before the act commits

    assert sorted(RECEIVED) == [
        ("any", "tests.thing.approved", event.pk),
        ("approved", "tests.thing.approved", event.pk),
    ]
    assert subscribers(event) == {"on_approved": ("done", 1), "on_any_thing": ("done", 1)}

    # Delivered again (a second delivery job, a retry, a racing worker): nobody hears it twice.
    with django_capture_on_commit_callbacks(execute=True):
        second = events.deliver_event.enqueue(event=event.pk)
    second.refresh_from_db()
    assert second.state == "done"
    assert len(RECEIVED) == 2
    assert OutboxDelivery.objects.filter(event=event).count() == 2


def test_a_prefix_subscriber_hears_only_its_codes(year, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("tests.thing.withdrawn", year)
        events.emit("tests.other.approved", year)
        events.emit("tests.thingy.approved", year)
    assert [(who, code) for who, code, _ in RECEIVED] == [("any", "tests.thing.withdrawn")]


def test_an_event_no_one_hears_starts_no_job(year):
    event = events.emit("tests.nobody.cares", year)
    assert event.job is None and not JobRun.objects.exists()


def test_an_event_of_a_rolled_back_act_is_never_delivered(year, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                events.emit("tests.thing.approved", year)
                raise ValueError("the guard refused the move")
        except ValueError:
            pass
    assert callbacks == [] and RECEIVED == []
    assert not OutboxEvent.objects.exists() and not JobRun.objects.exists()
    jobs.sweep(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    assert RECEIVED == []


def test_a_failing_subscriber_is_retried_and_holds_up_no_other(
    year, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
    BROKEN["any"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        event = events.emit("tests.thing.approved", year)

    assert [who for who, _, _ in RECEIVED] == ["approved"]
    assert subscribers(event) == {"on_approved": ("done", 1), "on_any_thing": ("failed", 1)}
    failed = OutboxDelivery.objects.get(event=event, state="failed")
    assert failed.last_error == "ConnectionError: mail server away"
    assert event.job_id is not None
    run = JobRun.objects.get(pk=event.job_id)
    assert (run.state, run.attempts) == ("queued", 1)
    assert run.not_before == dt.datetime(2025, 3, 3, 9, 1, tzinfo=dt.UTC)  # 60 s, then 120 s, ...

    for _ in range(2):
        time_machine.shift(dt.timedelta(minutes=10))
        with django_capture_on_commit_callbacks(execute=True):
            jobs.sweep()

    assert sorted(who for who, _, _ in RECEIVED) == ["any", "approved"]  # the other was not sent again
    assert subscribers(event) == {"on_approved": ("done", 1), "on_any_thing": ("done", 3)}
    run.refresh_from_db()
    assert (run.state, run.attempts) == ("done", 3)


def test_an_event_whose_delivery_never_reached_the_queue_is_delivered_by_the_sweep(year, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), tick=False)
    # The act committed and the process died before its on-commit hook queued the delivery.
    event = events.emit("tests.thing.approved", year)
    assert RECEIVED == []
    time_machine.shift(dt.timedelta(minutes=3))
    jobs.sweep()
    assert len(RECEIVED) == 2
    assert subscribers(event) == {"on_approved": ("done", 1), "on_any_thing": ("done", 1)}


def test_two_workers_racing_share_one_delivery_row(year):
    event = events.emit("tests.thing.approved", year)
    key = "gongkai.core.tests.test_events.on_approved"
    first = events._delivery_row(event, key)
    second = events._delivery_row(event, key)
    assert first.pk == second.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxDelivery.objects.create(event=event, subscriber=key)
