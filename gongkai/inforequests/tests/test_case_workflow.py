"""A case from receipt to reply: the clock follows every move, every act is audited."""

import datetime as dt

import pytest

from gongkai.core.models import AuditEvent
from gongkai.inforequests import services
from gongkai.inforequests.choices import Outcome, Status
from gongkai.inforequests.tests.acting import at, seen

D = dt.date


def test_a_double_submit_makes_one_application(application_data):
    first, code = services.do_submit_application(
        application_data, channel="online", received_on=D(2021, 6, 1), idempotency_key="k1"
    )
    second, again = services.do_submit_application(
        application_data, channel="online", received_on=D(2021, 6, 1), idempotency_key="k1"
    )
    assert first.pk == second.pk
    assert code and again is None
    assert services.check_query_code(first, code)
    assert not services.check_query_code(first, "WRONG123")


def test_tracking_numbers_are_sequential(make_application):
    a, b = make_application(), make_application()
    assert a.tracking_number == "GK2021-00001"
    assert b.tracking_number == "GK2021-00002"
    assert a.due_on == D(2021, 6, 30)  # 14 June (Dragon Boat) off


def test_the_whole_journey(make_application, reviewer, office_head, dept_staff, departments):
    application = make_application()
    application = services.do_accept_application(
        application, actor=reviewer, expected_version=seen(application), now=at(D(2021, 6, 2))
    )
    services.do_assign_application(
        application,
        departments=[departments["exit_entry"]],
        due_on=D(2021, 6, 15),
        instructions="请提供",
        actor=reviewer,
        expected_version=seen(application),
        now=at(D(2021, 6, 2)),
    )
    assignment = application.assignments.get()
    services.do_give_opinion(
        assignment,
        opinion="可以公开",
        suggested_outcome=Outcome.GRANTED,
        actor=dept_staff,
        expected_version=seen(application),
        on=D(2021, 6, 9),
    )
    application = services.do_draft_reply(
        application,
        outcome=Outcome.GRANTED,
        legal_basis="第三十六条第（二）项",
        reply_text="见附件",
        actor=reviewer,
        expected_version=seen(application),
    )
    # The reviewer drafted; the office head, a second person, approves.
    application = services.do_approve_reply(
        application, actor=office_head, expected_version=seen(application), on=D(2021, 6, 20)
    )
    assert application.status == Status.CLOSED
    assert application.replied_on == D(2021, 6, 20)
    assert services.is_on_time(application)
    actions = set(AuditEvent.objects.filter(object_id=str(application.pk)).values_list("action", flat=True))
    assert {
        "inforequests.application.received",
        "inforequests.reply.approved",
        "inforequests.assignment.answered",
    } <= actions
    approved = AuditEvent.objects.get(object_id=str(application.pk), action="inforequests.reply.approved")
    assert approved.act_on == D(2021, 6, 20)


def test_supplement_once_within_7_working_days_and_the_clock_restarts(make_application, reviewer):
    application = make_application(received_on=D(2021, 6, 1))
    with pytest.raises(services.RequestError, match="7 个工作日"):
        services.do_request_supplement(
            application,
            request_text="请写明文号",
            actor=reviewer,
            on=D(2021, 6, 15),
            expected_version=seen(application),
        )
    services.do_request_supplement(
        application,
        request_text="请写明文号",
        actor=reviewer,
        on=D(2021, 6, 3),
        expected_version=seen(application),
    )
    with pytest.raises(services.RequestError, match="一次"):
        services.do_request_supplement(
            application,
            request_text="再补",
            actor=reviewer,
            on=D(2021, 6, 4),
            expected_version=seen(application),
        )
    application = services.do_receive_supplement(
        application,
        on=D(2021, 6, 21),
        response_text="文号为…",
        actor=reviewer,
        expected_version=seen(application),
    )
    assert application.clock_start == D(2021, 6, 21)
    assert application.due_on == D(2021, 7, 19)


def test_a_lapsed_supplement_closes_the_case(make_application, reviewer):
    application = make_application(received_on=D(2021, 6, 1))
    services.do_request_supplement(
        application,
        request_text="请写明文号",
        actor=reviewer,
        on=D(2021, 6, 2),
        expected_version=seen(application),
    )
    with pytest.raises(services.RequestError, match="尚未届满"):
        services.do_close_abandoned(
            application, actor=reviewer, on=D(2021, 6, 10), expected_version=seen(application)
        )
    application = services.do_close_abandoned(
        application, actor=reviewer, on=D(2021, 7, 30), expected_version=seen(application)
    )
    assert application.outcome == Outcome.OTHER_NO_CORRECTION


def test_consultation_moves_the_due_date(make_application, reviewer):
    application = make_application(received_on=D(2021, 6, 1))
    before = application.due_on
    services.do_start_consultation(
        application,
        kind="third_party",
        party="某公司",
        request_text="是否同意公开",
        actor=reviewer,
        on=D(2021, 6, 7),
        expected_version=seen(application),
    )
    application = services.do_end_consultation(
        application,
        on=D(2021, 6, 18),
        response_text="同意",
        actor=reviewer,
        expected_version=seen(application),
    )
    assert application.due_on > before
    with pytest.raises(services.RequestError):
        services.do_end_consultation(
            application,
            on=D(2021, 6, 19),
            response_text="x",
            actor=reviewer,
            expected_version=seen(application),
        )


def test_extension_needs_the_office_head_and_stays_within_the_limit(make_application, reviewer, office_head):
    application = make_application()
    with pytest.raises(services.PermissionDeniedError):
        services.do_extend_application(
            application,
            extra_workdays=10,
            reason="量大",
            actor=reviewer,
            on=D(2021, 6, 10),
            expected_version=seen(application),
        )
    with pytest.raises(services.RequestError, match="1 至 20"):
        services.do_extend_application(
            application,
            extra_workdays=25,
            reason="量大",
            actor=office_head,
            on=D(2021, 6, 10),
            expected_version=seen(application),
        )
    services.do_extend_application(
        application,
        extra_workdays=10,
        reason="量大",
        actor=office_head,
        on=D(2021, 6, 10),
        expected_version=seen(application),
    )
    application.refresh_from_db()
    assert application.extended
    assert application.effective_due_on == application.extended_due_on


def test_partial_disclosure_records_what_was_withheld(make_application, reviewer):
    application = make_application()
    with pytest.raises(services.RequestError, match="第三十七条"):
        services.do_draft_reply(
            application,
            outcome=Outcome.PARTIAL,
            legal_basis="第三十七条",
            reply_text="x",
            actor=reviewer,
            expected_version=seen(application),
        )


def test_two_staff_acting_at_once_get_a_conflict(make_application, reviewer):
    application = make_application()
    opened = application.version
    services.do_accept_application(application, actor=reviewer, expected_version=opened)
    with pytest.raises(services.ConflictError):
        services.do_draft_reply(
            application,
            outcome=Outcome.GRANTED,
            legal_basis="x",
            reply_text="y",
            actor=reviewer,
            expected_version=opened,
        )
