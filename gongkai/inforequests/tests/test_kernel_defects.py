"""The disclosure-on-request defects of issue 7, found by attacking a running instance as staff
would: each went through before the act kernel and is refused now, through the service and through
the case page alike."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from conftest import PASSWORD
from gongkai.accounts.services import do_create_staff
from gongkai.core.models import AuditEvent
from gongkai.inforequests import fees, queries, services
from gongkai.inforequests.choices import FeeMethod, Outcome, PauseKind, Status
from gongkai.inforequests.models import Application, Extension, Pause
from gongkai.inforequests.tests.acting import seen

D = dt.date
TODAY = D(2021, 6, 10)  # received 1 June, due 30 June


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 10, 9, tzinfo=dt.UTC))
    return time_machine


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def case_url(app):
    return reverse("workbench:inforequests_staff:case", args=[app.pk])


def action_url(app, name):
    return reverse("workbench:inforequests_staff:action", args=[app.pk, name])


def letter_url(app, letter, fmt="pdf"):
    return reverse("workbench:inforequests_staff:letter", args=[app.pk, letter, fmt])


@pytest.fixture
def dept_head(departments):
    """The head of 出入境管理局: a head, but neither a leader nor of the disclosure office."""
    return do_create_staff(username="exit_head", password=PASSWORD, full_name="吴处长",
                           department=departments["exit_entry"], roles=["head"], actor=None)  # fmt: skip


@pytest.fixture
def admins(departments):
    """The three administrators (三员), who sit in the command centre (the office's department)."""
    return [
        do_create_staff(username=role, password=PASSWORD, full_name=name, department=departments["office"],
                        roles=[role], actor=None)
        for role, name in (("system_admin", "钱系统"), ("security_admin", "孙安全"), ("audit_admin", "李审计"))
    ]  # fmt: skip


@pytest.fixture
def drafted(make_application, reviewer, departments):
    """A case assigned to 出入境管理局 whose reply the reviewer has drafted: awaiting approval."""
    app = make_application()
    services.do_assign_application(app, departments=[departments["exit_entry"]], due_on=D(2021, 6, 17),
                                   instructions="请提供", actor=reviewer, expected_version=seen(app))  # fmt: skip
    return services.do_draft_reply(app, outcome=Outcome.GRANTED, legal_basis="第三十六条第（二）项",
                                   reply_text="见附件", actor=reviewer, expected_version=seen(app))  # fmt: skip


# A department head approved a reply and granted an extension -----------------------------------


def test_it_refuses_a_department_head_the_approval_and_the_extension(drafted, dept_head):
    with pytest.raises(services.PermissionDeniedError, match="公开办负责人或领导"):
        services.do_approve_reply(drafted, actor=dept_head, expected_version=seen(drafted))
    with pytest.raises(services.PermissionDeniedError, match="公开办负责人或领导"):
        services.do_extend_application(drafted, extra_workdays=10, reason="数据量大", actor=dept_head,
                                       expected_version=seen(drafted))  # fmt: skip
    drafted.refresh_from_db()
    assert drafted.status == Status.REPLY_DRAFTED and not Extension.objects.exists()


MOVES: dict[str, dict[str, str | int]] = {
    "approve": {"on": "2021-06-10"},
    "extend": {"on": "2021-06-10", "extra_workdays": 10, "reason": "数据量大"},
}


@pytest.mark.parametrize("name", sorted(MOVES))
@pytest.mark.parametrize("posted", ["current", "next"])
def test_a_department_head_racing_the_office_is_refused(
    client, drafted, dept_head, reviewer, departments, monkeypatch, name, posted
):
    """The attack: post `version+1` while the office's own move lands between the page reading the
    case and the act (the old page checked who may act only when the versions matched)."""
    version = seen(drafted)
    read = queries.get_application_for_staff
    raced: list[bool] = []

    def read_then_the_office_moves(user, pk, **kwargs):
        application = read(user, pk, **kwargs)
        if user == dept_head and not raced:
            raced.append(True)
            services.do_assign_application(application, departments=[departments["traffic"]],
                                           due_on=D(2021, 6, 17), instructions="", actor=reviewer,
                                           expected_version=version)  # fmt: skip
        return application

    login(client, dept_head)
    assert f'id="move-{name}"' not in client.get(case_url(drafted)).content.decode()  # never offered
    if posted == "next":
        monkeypatch.setattr(queries, "get_application_for_staff", read_then_the_office_moves)
        data = {"version": version + 1, **MOVES[name]}
    else:
        data = {"version": version, **MOVES[name]}

    response = client.post(action_url(drafted, name), data)

    assert response.status_code == 403
    assert "只有公开办负责人或领导可以审批。" in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.status == Status.REPLY_DRAFTED and drafted.replied_on is None
    assert drafted.version == version + (1 if posted == "next" else 0)  # the office's move only
    assert not Extension.objects.exists()
    assert not AuditEvent.objects.filter(action="inforequests.reply.approved").exists()
    assert not AuditEvent.objects.filter(action="inforequests.application.extended").exists()


def test_the_office_head_and_a_leader_still_approve(client, drafted, office_head, leader):
    login(client, office_head)
    r = client.post(action_url(drafted, "extend"), {"version": seen(drafted), **MOVES["extend"]})
    assert r.status_code == 302
    login(client, leader)
    r = client.post(action_url(drafted, "approve"), {"version": seen(drafted), **MOVES["approve"]})
    assert r.status_code == 302
    drafted.refresh_from_db()
    assert drafted.status == Status.CLOSED and Extension.objects.get().approved_by == office_head


def test_whoever_drafted_a_reply_cannot_approve_it(client, make_application, office_head, leader):
    app = make_application()
    app = services.do_draft_reply(app, outcome=Outcome.GRANTED, legal_basis="第三十六条", reply_text="见附件",
                                  actor=office_head, expected_version=seen(app))  # fmt: skip
    login(client, office_head)
    assert 'id="move-approve"' not in client.get(case_url(app)).content.decode()
    r = client.post(action_url(app, "approve"), {"version": seen(app), "on": "2021-06-10"})
    assert r.status_code == 403
    assert "双人审核" in r.content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.REPLY_DRAFTED
    services.do_approve_reply(app, actor=leader, expected_version=seen(app))
    assert Application.objects.get(pk=app.pk).status == Status.CLOSED


# The three administrators counted as handlers of a case assigned to their department ----------


@pytest.fixture
def at_the_command_centre(make_application, reviewer, departments):
    app = make_application()
    services.do_assign_application(app, departments=[departments["office"]], due_on=D(2021, 6, 17),
                                   instructions="请核实", actor=reviewer, expected_version=seen(app))  # fmt: skip
    app.refresh_from_db()
    return app


@pytest.mark.parametrize("which", [0, 1, 2], ids=["system_admin", "security_admin", "audit_admin"])
def test_the_administrators_do_not_handle_a_case_of_their_department(
    client, at_the_command_centre, admins, which
):
    app, admin = at_the_command_centre, admins[which]
    assert not services.is_handler(admin, app)
    login(client, admin)

    page = client.get(case_url(app))
    assert page.status_code == 200  # the case is assigned to their department: they may look
    text = page.content.decode()
    for personal in ("220102198001011234", "13900000000", "zhangsan@example.com"):
        assert personal not in text
    assert "2201**********1234" in text
    assert 'id="move-opinion"' not in text

    assert client.get(letter_url(app, "acknowledgement")).status_code == 403
    assert client.get(letter_url(app, "acknowledgement", "docx")).status_code == 403
    assert not AuditEvent.objects.filter(action="inforequests.letter.generated").exists()

    assignment = app.assignments.get()
    r = client.post(action_url(app, "opinion"), {"version": app.version, "assignment": assignment.pk,
                                                 "on": "2021-06-10", "opinion": "同意公开",
                                                 "suggested_outcome": "granted"})  # fmt: skip
    assert r.status_code == 403
    assignment.refresh_from_db()
    assert assignment.opinion == "" and assignment.answered_by is None
    assert Application.objects.get(pk=app.pk).version == app.version


def test_an_editor_of_the_command_centre_still_handles_it(at_the_command_centre, departments):
    editor = do_create_staff(username="centre_editor", password=PASSWORD, full_name="郑编辑",
                             department=departments["office"], roles=["editor"], actor=None)  # fmt: skip
    assert services.is_handler(editor, at_the_command_centre)
    assignment = at_the_command_centre.assignments.get()
    services.do_give_opinion(assignment, opinion="同意公开", suggested_outcome="", actor=editor,
                             expected_version=seen(at_the_command_centre))  # fmt: skip
    assignment.refresh_from_db()
    assert assignment.answered_by == editor


# The fee pause named the applicant, printed unmasked on the case page ---------------------------


def test_a_fee_pause_names_no_one_and_the_page_does_not_print_the_applicant(
    client, make_application, reviewer, leader
):
    app = make_application()
    fees.do_issue_fee_notice(app, method=FeeMethod.PER_VOLUME, units=120, note="", actor=reviewer,
                             expected_version=seen(app))  # fmt: skip
    pause = app.pauses.get(kind=PauseKind.FEE)
    assert pause.party == ""
    login(client, leader)  # sees every case, the applicant masked
    text = client.get(case_url(app)).content.decode()
    assert "待缴纳信息处理费" in text  # the pause is listed
    assert "张三" not in text and "张*" in text


def test_the_migration_blanks_the_name_on_fee_pauses_stored_before(make_application):
    app = make_application()
    fee = Pause.objects.create(application=app, kind=PauseKind.FEE, started_on=D(2021, 6, 7), party="张三")
    third = Pause.objects.create(
        application=app, kind=PauseKind.THIRD_PARTY, started_on=D(2021, 6, 7), party="某某有限公司"
    )
    migration = importlib.import_module("gongkai.inforequests.migrations.0005_fee_pause_no_applicant_name")

    migration.blank_fee_pause_party(django_apps, None)

    fee.refresh_from_db()
    third.refresh_from_db()
    assert fee.party == "" and third.party == "某某有限公司"  # a consulted party stays named


# Acts dated as they happened, entered through the case page --------------------------------------


def _act(client, app, name, data):
    return client.post(action_url(app, name), {"version": seen(app), **data})


def test_a_supplement_request_sent_days_ago_is_entered_on_its_day(client, make_application, reviewer):
    app = make_application()
    login(client, reviewer)
    r = _act(
        client, app, "supplement", {"on": "2021-06-03", "request_text": "请写明文号", "reply_workdays": 15}
    )
    assert r.status_code == 302
    pause = app.pauses.get(kind=PauseKind.SUPPLEMENT)
    assert pause.started_on == D(2021, 6, 3)
    assert pause.limit_on == D(2021, 6, 25)  # 15 working days from 3 June, 14 June off
    event = AuditEvent.objects.get(action="inforequests.application.supplement_requested")
    assert event.act_on == D(2021, 6, 3) and event.at.date() == TODAY and event.actor == reviewer
    text = client.get(case_url(app)).content.decode()
    assert "2021-06-03" in text and "2021-06-25" in text


def test_a_consultation_sent_last_week_stops_the_clock_from_its_day(client, make_application, reviewer):
    app = make_application()
    login(client, reviewer)
    r = _act(client, app, "consult", {"on": "2021-06-04", "kind": "third_party", "party": "某某有限公司",
                                      "request_text": "是否同意公开"})  # fmt: skip
    assert r.status_code == 302
    assert app.pauses.get().started_on == D(2021, 6, 4)
    event = AuditEvent.objects.get(action="inforequests.application.consultation_started")
    assert event.act_on == D(2021, 6, 4) and event.at.date() == TODAY
    r = _act(client, app, "end_consult", {"on": "2021-06-09", "response_text": "同意"})
    assert r.status_code == 302
    app.refresh_from_db()
    # 4 → 9 June: three working days not counted (7, 8, 9 June), so due 30 June → 5 July.
    assert app.due_on == D(2021, 7, 5)


def test_an_extension_approved_before_the_due_date_is_accepted_after_it(
    client, make_application, reviewer, office_head, _today
):
    app = make_application()
    assert app.due_on == D(2021, 6, 30)
    _today.move_to(dt.datetime(2021, 7, 5, 9, tzinfo=dt.UTC))  # the paper approval reaches the system late
    login(client, office_head)
    r = _act(client, app, "extend", {"on": "2021-06-28", "extra_workdays": 10, "reason": "数据量大"})
    assert r.status_code == 302
    extension = Extension.objects.get()
    assert extension.approved_on == D(2021, 6, 28) and extension.approved_by == office_head
    app.refresh_from_db()
    assert app.extended and app.extended_due_on == D(2021, 7, 14)
    event = AuditEvent.objects.get(action="inforequests.application.extended")
    assert event.act_on == D(2021, 6, 28) and event.at.date() == D(2021, 7, 5)
    # Approved on a day after the due date, it is refused (Art. 33).
    other = make_application()
    r = _act(client, other, "extend", {"on": "2021-07-01", "extra_workdays": 10, "reason": "数据量大"})
    assert r.status_code == 200 and "届满前批准" in r.content.decode()


def test_a_date_in_the_future_is_refused_and_the_input_kept(client, make_application, reviewer):
    app = make_application()
    login(client, reviewer)
    r = _act(client, app, "supplement", {"on": "2021-06-11", "request_text": "请写明所需信息的文号",
                                         "reply_workdays": 15})  # fmt: skip
    assert r.status_code == 200
    text = r.content.decode()
    assert "日期不能晚于今天（2021-06-10）。" in text
    assert "请写明所需信息的文号" in text and 'value="2021-06-11"' in text
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and not app.pauses.exists()


def test_a_date_before_the_previous_act_is_refused_and_the_input_kept(client, make_application, reviewer):
    app = make_application()
    login(client, reviewer)
    _act(client, app, "supplement", {"on": "2021-06-03", "request_text": "请写明文号", "reply_workdays": 15})
    _act(client, app, "receive_supplement", {"on": "2021-06-08", "response_text": "文号为…"})
    version = seen(app)
    r = _act(client, app, "consult", {"on": "2021-06-07", "kind": "other_agency", "party": "吉林省交通运输厅",
                                      "request_text": "数据来源"})  # fmt: skip
    assert r.status_code == 200
    text = r.content.decode()
    assert "日期不能早于此前一项办理行为的日期（2021-06-08）。" in text
    assert "吉林省交通运输厅" in text and 'value="2021-06-07"' in text
    app.refresh_from_db()
    assert app.version == version and app.status == Status.IN_PROGRESS
    assert not app.pauses.filter(kind=PauseKind.OTHER_AGENCY).exists()
