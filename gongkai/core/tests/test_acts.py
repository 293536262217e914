"""The act kernel itself: versions always required, administrators make no official act, acts dated
as they happened (never in the future, never before the act they follow), one audit event and one
domain event per act, nothing changed by a refused act."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog import services
from gongkai.catalog.workflows import RECORD
from gongkai.core import acts
from gongkai.core.models import AuditEvent, OutboxEvent
from gongkai.inforequests import services as requests
from gongkai.inforequests.workflows import APPLICATION

pytestmark = pytest.mark.django_db


def _events(obj, code):
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=code)


def test_it_refuses_a_move_without_the_version_the_actor_saw(make_record, editor):
    record = make_record("draft")
    for version in (None, 0, record.version + 1):
        with pytest.raises(acts.ConflictError):
            services.do_submit_record(record, actor=editor, expected_version=version)
    record.refresh_from_db()
    assert record.status == "draft"
    assert not _events(record, "catalog.record.submitted").exists()


def test_it_checks_who_before_the_version(make_record, other_editor):
    """Someone without the right learns nothing by racing a version: they are refused as such."""
    record = make_record("draft")
    with pytest.raises(acts.PermissionDeniedError):
        services.do_submit_record(record, actor=other_editor, expected_version=record.version + 1)


def test_it_refuses_an_administrator_even_with_a_business_role(make_record, departments):
    from gongkai.accounts.services import do_create_staff

    both = do_create_staff(
        username="sys_editor",
        password="x-demo-pass-2015",
        full_name="兼职系统管理员",
        department=departments["exit_entry"],
        roles=["system_admin", "editor"],
        actor=None,
    )
    record = make_record("draft")
    assert RECORD.refusal(both, record, "submit") == "系统、安全、审计管理员不能办理业务事项。"
    with pytest.raises(acts.PermissionDeniedError):
        services.do_submit_record(record, actor=both, expected_version=record.version)
    assert RECORD.allowed_moves(both, record) == []


def test_it_writes_one_audit_event_and_one_domain_event_per_act(make_record, editor):
    record = make_record("draft")
    before = OutboxEvent.objects.count()
    services.do_submit_record(record, actor=editor, expected_version=record.version)
    assert _events(record, "catalog.record.submitted").count() == 1
    assert OutboxEvent.objects.count() == before + 1
    event = OutboxEvent.objects.latest("id")
    assert event.code == "catalog.record.submitted"
    assert event.object_id == str(record.pk)


def test_a_refused_act_leaves_no_trace(make_record, editor):
    record = make_record("draft")
    before = (AuditEvent.objects.count(), OutboxEvent.objects.count())
    with pytest.raises(acts.ActError):
        services.do_return_record(record, actor=editor, reason="x", expected_version=record.version)
    assert (AuditEvent.objects.count(), OutboxEvent.objects.count()) == before


@pytest.fixture
def case(make_application, reviewer):
    application = make_application(received_on=dt.date(2020, 6, 1))
    return requests.do_accept_application(application, actor=reviewer, expected_version=application.version)


def test_a_dated_act_keeps_its_day_beside_the_moment_it_was_recorded(case, reviewer, time_machine):
    time_machine.move_to(dt.datetime(2020, 6, 10, 9, 0, tzinfo=dt.UTC))
    requests.do_start_consultation(
        case,
        kind="third_party",
        party="某公司",
        request_text="征求意见",
        actor=reviewer,
        expected_version=case.version,
        on=dt.date(2020, 6, 3),
    )
    event = _events(case, "inforequests.application.consultation_started").get()
    assert event.act_on == dt.date(2020, 6, 3)
    assert event.at.date() == dt.date(2020, 6, 10)
    assert case.pauses.get().started_on == dt.date(2020, 6, 3)


def test_a_dated_act_is_never_in_the_future(case, reviewer, time_machine):
    time_machine.move_to(dt.datetime(2020, 6, 10, 9, 0, tzinfo=dt.UTC))
    with pytest.raises(acts.DateError, match="不能晚于今天"):
        requests.do_start_consultation(
            case,
            kind="third_party",
            party="某公司",
            request_text="征求意见",
            actor=reviewer,
            expected_version=case.version,
            on=dt.date(2020, 6, 11),
        )


def test_a_dated_act_is_never_before_the_act_it_follows(case, reviewer, time_machine):
    time_machine.move_to(dt.datetime(2020, 6, 20, 9, 0, tzinfo=dt.UTC))
    with pytest.raises(acts.DateError, match="不能早于"):
        requests.do_start_consultation(
            case,
            kind="third_party",
            party="某公司",
            request_text="征求意见",
            actor=reviewer,
            expected_version=case.version,
            on=dt.date(2020, 5, 29),  # before the application was received
        )
    pause = requests.do_start_consultation(
        case,
        kind="third_party",
        party="某公司",
        request_text="征求意见",
        actor=reviewer,
        expected_version=case.version,
        on=dt.date(2020, 6, 8),
    )
    case.refresh_from_db()
    with pytest.raises(acts.DateError, match="2020-06-08"):
        requests.do_end_consultation(
            case, on=dt.date(2020, 6, 5), response_text="同意", actor=reviewer, expected_version=case.version
        )
    assert pause.application.pauses.get().ended_on is None


def test_every_workflow_declares_known_states_and_codes():
    for workflow in acts.declared_workflows():
        for name, move in workflow.moves.items():
            assert name == move.name
            assert move.code.startswith(workflow.code.split(".")[0] + "."), move.code
            if workflow.transitions is not None:
                for state in move.sources or ():
                    assert state in workflow.transitions, (workflow.code, name, state)
                if move.target is not None:
                    assert move.target in workflow.transitions, (workflow.code, name)
    assert {"catalog.record", "catalog.page", "inforequests.application"} <= {
        w.code for w in acts.declared_workflows()
    }
    assert APPLICATION.move("approve").four_eyes is not None
