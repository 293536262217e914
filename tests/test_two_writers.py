"""Two writers on one case, and many writers on one database, for real (issue 12): threads with
their own connections, on a file SQLite database or on PostgreSQL (`make test-pg`)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.acts import ConflictError
from gongkai.core.models import AuditEvent
from gongkai.inforequests import services
from gongkai.inforequests.choices import Status
from gongkai.inforequests.models import Application
from gongkai.inforequests.tests.acting import at, seen
from tests.concurrency import at_once, shared_database  # noqa: F401

D = dt.date
STALE = "已被他人处理或修改"

# The shared database first: every row the personas' fixtures make must be in it.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_database")]


def _one_won(outcomes: list[object]) -> ConflictError:
    """Exactly one writer got through; the other was told its version was stale."""
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(outcomes) == 2 and len(errors) == 1, outcomes
    (error,) = errors
    assert isinstance(error, ConflictError), repr(error)
    assert STALE in str(error) and "请刷新后再操作" in str(error)
    return error


def test_it_lets_one_of_two_simultaneous_assignments_through(make_application, reviewer, departments):
    application = make_application()
    version = seen(application)  # both opened the case at this version

    def assign() -> object:
        return services.do_assign_application(
            Application.objects.get(pk=application.pk),
            departments=[departments["exit_entry"]],
            due_on=D(2021, 6, 15),
            instructions="请提供",
            actor=reviewer,
            expected_version=version,
            now=at(D(2021, 6, 2)),
        )

    _one_won(at_once(assign, 2))
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    assert application.version == version + 1
    assert application.assignments.count() == 1
    assigned = AuditEvent.objects.filter(
        object_id=str(application.pk), action="inforequests.application.assigned"
    )
    assert assigned.count() == 1


def test_it_lets_one_of_two_simultaneous_acceptances_through(make_application, reviewer, office_head):
    application = make_application()
    version = seen(application)
    actors = iter([reviewer, office_head])

    def accept() -> object:
        return services.do_accept_application(
            Application.objects.get(pk=application.pk),
            actor=next(actors),
            expected_version=version,
            now=at(D(2021, 6, 2)),
        )

    _one_won(at_once(accept, 2))
    application.refresh_from_db()
    assert application.version == version + 1
    accepted = AuditEvent.objects.filter(
        object_id=str(application.pk), action="inforequests.application.accepted"
    )
    assert accepted.count() == 1
    assert accepted.get().actor_id == application.handler_id  # the act on record is the winner's


def test_four_applicants_submitting_at_once_are_all_received(application_data):
    """SQLite lets one writer in at a time: the others wait (IMMEDIATE transactions, a busy
    timeout) rather than answer "database is locked"."""

    def submit() -> object:
        application, _code = services.do_submit_application(
            application_data, channel="online", received_on=D(2021, 6, 1)
        )
        return application.tracking_number

    outcomes = at_once(submit, 4)
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert sorted(outcomes) == [f"GK2021-0000{n}" for n in range(1, 5)]
    assert Application.objects.count() == 4
    assert AuditEvent.objects.filter(action="inforequests.application.received").count() == 4
