"""NPC / CPPCC proposals through the services and the pages: registered by the office with a lead
and co-departments and a due day, replied by the lead department, sent to the provincial
government office, disclosed only with the department's consent and a public summary; the public
sees only what was disclosed. (Due-day reminders: test_reminders.)"""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD
from gongkai.core import acts
from gongkai.core.models import AuditEvent
from gongkai.engagement import services
from gongkai.engagement.choices import ProposalStatus
from gongkai.engagement.models import Proposal
from gongkai.engagement.tests.conftest import at

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2015, 3, 20)
SUMMARY = "已在全省出入境接待大厅增设自助签注设备，办理时间缩短至10分钟。"


@pytest.fixture(autouse=True)
def _fresh_pages(settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # each page as it is now, not as an earlier test saw it


@pytest.fixture
def register(reviewer, departments):
    def make(**overrides):
        data = {
            "kind": "npc",
            "number": "第0123号",
            "title": "关于优化出入境证件办理流程的建议",
            "proposer": "王代表",
            "lead_department": departments["exit_entry"],
            "co_departments": [departments["traffic"]],
            "received_on": RECEIVED,
            "due_on": dt.date(2015, 6, 20),
        }
        data.update(overrides)
        return services.do_register_proposal(data, actor=reviewer, now=at(dt.date(2015, 3, 21)))

    return make


@pytest.fixture
def sent(register, editor, reviewer):
    """A proposal replied by the lead department and sent to the provincial government office."""

    def make(**overrides):
        proposal = register(**overrides)
        proposal = services.do_reply_proposal(
            proposal,
            "经研究，已增设自助签注设备。",
            on=dt.date(2015, 5, 10),
            actor=editor,
            version=proposal.version,
            now=at(dt.date(2015, 5, 11)),
        )
        return services.do_send_proposal(
            proposal,
            on=dt.date(2015, 5, 15),
            actor=reviewer,
            version=proposal.version,
            now=at(dt.date(2015, 5, 16)),
        )

    return make


def test_register_with_number_kind_proposer_departments_and_due_day(register, departments):
    proposal = register()
    assert proposal.status == ProposalStatus.REGISTERED
    assert (proposal.kind, proposal.year, proposal.number, proposal.proposer) == (
        "npc",
        2015,
        "第0123号",
        "王代表",
    )
    assert proposal.lead_department == departments["exit_entry"]
    assert list(proposal.co_departments.all()) == [departments["traffic"]]
    assert proposal.received_on == RECEIVED and proposal.due_on == dt.date(2015, 6, 20)
    assert AuditEvent.objects.get(action="engagement.proposal.registered").object_id == str(proposal.pk)
    cppcc = register(kind="cppcc", proposer="李委员")  # the same number in the other kind
    assert cppcc.kind == "cppcc" and Proposal.objects.count() == 2
    with pytest.raises(acts.ActError, match="已有编号"):
        register()
    with pytest.raises(acts.ActError, match="人大代表建议或政协委员提案"):
        register(kind="other", number="第1号")
    with pytest.raises(acts.ActError, match="不能早于交办日期"):
        register(number="第2号", due_on=dt.date(2015, 3, 1))
    with pytest.raises(acts.ActError, match="不能同时是协办部门"):
        register(number="第3号", co_departments=[departments["exit_entry"]])


def test_only_the_office_registers(departments, editor):
    with pytest.raises(acts.PermissionDeniedError):
        services.do_register_proposal(
            {
                "kind": "npc",
                "number": "第9号",
                "title": "建议",
                "proposer": "王代表",
                "lead_department": departments["exit_entry"],
                "received_on": RECEIVED,
                "due_on": dt.date(2015, 6, 20),
            },
            actor=editor,
            now=at(dt.date(2015, 3, 21)),
        )
    assert Proposal.objects.count() == 0


def test_reply_by_the_lead_department_with_its_date(register, editor, other_editor):
    proposal = register()
    with pytest.raises(acts.PermissionDeniedError):  # a co-department does not reply
        services.do_reply_proposal(
            proposal, "答复", on=dt.date(2015, 5, 10), actor=other_editor, version=proposal.version
        )
    with pytest.raises(acts.ActError, match="答复内容"):
        services.do_reply_proposal(
            proposal, " ", on=dt.date(2015, 5, 10), actor=editor, version=proposal.version
        )
    proposal = services.do_reply_proposal(
        proposal,
        "经研究，已增设自助签注设备。",
        on=dt.date(2015, 5, 10),
        actor=editor,
        version=proposal.version,
        now=at(dt.date(2015, 5, 11)),
    )
    assert proposal.status == ProposalStatus.REPLIED
    assert (
        proposal.replied_on == dt.date(2015, 5, 10) and proposal.reply_text == "经研究，已增设自助签注设备。"
    )


def test_send_to_the_provincial_office_records_the_day(sent, editor):
    proposal = sent()
    assert proposal.status == ProposalStatus.SENT and proposal.sent_on == dt.date(2015, 5, 15)
    assert AuditEvent.objects.filter(action="engagement.proposal.sent").count() == 1


def test_only_the_office_sends(register, editor):
    proposal = register()
    proposal = services.do_reply_proposal(
        proposal,
        "答复",
        on=dt.date(2015, 5, 10),
        actor=editor,
        version=proposal.version,
        now=at(dt.date(2015, 5, 11)),
    )
    with pytest.raises(acts.PermissionDeniedError):
        services.do_send_proposal(proposal, on=dt.date(2015, 5, 15), actor=editor, version=proposal.version)
    assert Proposal.objects.get(pk=proposal.pk).sent_on is None


def test_disclose_refused_without_consent(sent, reviewer, editor):
    proposal = sent()
    with pytest.raises(acts.ActError, match="尚未同意公开"):
        services.do_disclose_proposal(
            proposal, on=dt.date(2015, 6, 1), actor=reviewer, version=proposal.version
        )
    # The department declines (a summary alone does not make it public).
    proposal = services.do_record_consent(
        proposal, consent=False, public_summary=SUMMARY, actor=editor, version=proposal.version
    )
    with pytest.raises(acts.ActError, match="尚未同意公开"):
        services.do_disclose_proposal(
            proposal, on=dt.date(2015, 6, 1), actor=reviewer, version=proposal.version
        )
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SENT


def test_consent_needs_a_clean_public_summary(sent, editor):
    proposal = sent()
    with pytest.raises(acts.ActError, match="公开摘要"):
        services.do_record_consent(
            proposal, consent=True, public_summary=" ", actor=editor, version=proposal.version
        )
    # The summary is checked as a public answer: an identity number is refused with its place
    # (a phone number may be an office's, public information).
    with pytest.raises(acts.ActError, match=r"第 8 至 25 字.*110101199003074514"):
        services.do_record_consent(
            proposal,
            consent=True,
            public_summary="王代表身份证号110101199003074514",
            actor=editor,
            version=proposal.version,
        )
    assert not Proposal.objects.get(pk=proposal.pk).consent_to_disclose


def test_disclose_refused_without_a_public_summary(sent, reviewer):
    proposal = sent()
    # Consent on record without a summary (the services never write this; the disclosure checks anyway).
    Proposal.objects.filter(pk=proposal.pk).update(consent_to_disclose=True, public_summary="")
    proposal.refresh_from_db()
    with pytest.raises(acts.ActError, match="没有公开摘要"):
        services.do_disclose_proposal(
            proposal, on=dt.date(2015, 6, 1), actor=reviewer, version=proposal.version
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT and proposal.disclosed_on is None


def test_disclose_with_consent_and_summary(sent, reviewer, editor):
    proposal = sent()
    proposal = services.do_record_consent(
        proposal, consent=True, public_summary=SUMMARY, actor=editor, version=proposal.version
    )
    with pytest.raises(acts.PermissionDeniedError):  # the department consents, the office discloses
        services.do_disclose_proposal(
            proposal, on=dt.date(2015, 6, 1), actor=editor, version=proposal.version
        )
    proposal = services.do_disclose_proposal(
        proposal,
        on=dt.date(2015, 6, 1),
        actor=reviewer,
        version=proposal.version,
        now=at(dt.date(2015, 6, 2)),
    )
    assert proposal.status == ProposalStatus.DISCLOSED and proposal.disclosed_on == dt.date(2015, 6, 1)
    steps = list(proposal.transitions.values_list("to_status", flat=True))
    assert steps == ["replied", "sent", "disclosed"]


def test_disclose_before_sending_is_refused(register, editor, reviewer):
    proposal = register()
    proposal = services.do_reply_proposal(
        proposal,
        "答复",
        on=dt.date(2015, 5, 10),
        actor=editor,
        version=proposal.version,
        now=at(dt.date(2015, 5, 11)),
    )
    proposal = services.do_record_consent(
        proposal, consent=True, public_summary=SUMMARY, actor=editor, version=proposal.version
    )
    with pytest.raises(acts.TransitionError):
        services.do_disclose_proposal(
            proposal, on=dt.date(2015, 6, 1), actor=reviewer, version=proposal.version
        )


def test_public_pages_list_only_disclosed_proposals_with_their_summary(
    client, sent, register, reviewer, editor
):
    shown = sent()
    shown = services.do_record_consent(
        shown, consent=True, public_summary=SUMMARY, actor=editor, version=shown.version
    )
    shown = services.do_disclose_proposal(
        shown, on=dt.date(2015, 6, 1), actor=reviewer, version=shown.version
    )
    waiting = sent(number="第0456号", title="关于增设交通信号灯的建议")
    services.do_record_consent(
        waiting, consent=True, public_summary="尚未公开的摘要", actor=editor, version=waiting.version
    )
    register(number="第0789号", title="仍在办理的提案", kind="cppcc")
    listing = client.get(reverse("engagement:proposals")).content.decode()
    assert "关于优化出入境证件办理流程的建议" in listing and "第0123号" in listing
    assert "关于增设交通信号灯的建议" not in listing and "仍在办理的提案" not in listing
    page = client.get(reverse("engagement:proposal", args=[shown.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and SUMMARY in body and "王代表" in body and "交通管理局" in body
    assert "经研究，已增设自助签注设备。" not in body  # the reply itself stays internal
    assert client.get(reverse("engagement:proposal", args=[waiting.pk])).status_code == 404
    assert "尚未公开的摘要" not in listing
    cppcc = client.get(reverse("engagement:proposals"), {"kind": "cppcc"}).content.decode()
    assert "关于优化出入境证件办理流程的建议" not in cppcc


def test_stale_versions_are_refused(client, sent, register, editor, reviewer):
    proposal = register()
    stale = proposal.version
    services.do_reply_proposal(
        proposal, "答复", on=dt.date(2015, 5, 10), actor=editor, version=stale, now=at(dt.date(2015, 5, 11))
    )
    with pytest.raises(acts.ConflictError):
        services.do_reply_proposal(
            proposal, "另一个答复", on=dt.date(2015, 5, 12), actor=editor, version=stale
        )
    assert Proposal.objects.get(pk=proposal.pk).reply_text == "答复"
    client.login(username="reviewer", password=PASSWORD)
    response = client.post(
        reverse("workbench:engagement_staff:proposal_move", args=[proposal.pk, "send"]),
        {"version": stale, "on": "2015-05-15"},
    )
    assert response.status_code == 409
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REPLIED


def test_workbench_registers_and_discloses(client, departments, reviewer, editor):
    client.login(username="reviewer", password=PASSWORD)
    response = client.post(
        reverse("workbench:engagement_staff:proposal_new"),
        {
            "kind": "cppcc",
            "number": "第0007号",
            "title": "关于简化户籍迁移手续的提案",
            "proposer": "赵委员",
            "lead_department": departments["exit_entry"].pk,
            "co_departments": [departments["traffic"].pk],
            "received_on": "2015-03-20",
            "due_on": "2015-06-20",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.kind == "cppcc" and list(proposal.co_departments.all()) == [departments["traffic"]]
    refused = client.post(
        reverse("workbench:engagement_staff:proposal_move", args=[proposal.pk, "reply"]),
        {"version": proposal.version, "on": "", "reply_text": "我们的答复草稿"},
    )
    assert refused.status_code == 400 and "请填写日期" in refused.content.decode()
    assert "我们的答复草稿" in refused.content.decode()
