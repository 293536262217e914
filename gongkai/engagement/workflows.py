"""The engagement app's workflows, declared once for the act kernel (`gongkai.core.acts`).

- An inquiry: held by the checks or submitted; the office (公开办审核员) releases or rejects a held
  one, routes it to a department; the department's editor or head answers (or sends it back); the
  office publishes the answer with an edited public text, or gives it privately; the asker rates it
  with the query code (an act of the public: `system=True`, no staff member).
- An online event: its department (or the office) drafts, announces and archives it; the public's
  questions are held until a moderator of that department (or the office) approves them, then a
  guest's answer is recorded.
- A proposal: the office registers it and records when it was sent to the provincial government
  office and disclosed; the lead department replies and gives its consent to disclosure.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import acts
from gongkai.engagement.choices import (
    EVENT_TRANSITIONS,
    INQUIRY_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    QUESTION_TRANSITIONS,
    REPLIED_STATUSES,
    EventStatus,
    InquiryStatus,
    ProposalStatus,
    QuestionStatus,
)
from gongkai.engagement.models import (
    EventQuestion,
    EventTransition,
    Inquiry,
    InquiryTransition,
    OnlineEvent,
    Proposal,
    ProposalTransition,
    QuestionTransition,
)

DEPARTMENT_ROLES = (Role.EDITOR, Role.HEAD)
OFFICE = (acts.permit(Role.REVIEWER),)
OFFICE_ONLY = _("只有公开办审核员可以核查、分办、公开或退回咨询留言。")
HANDLER = (acts.permit(*DEPARTMENT_ROLES, relation=acts.same_department()),)
HANDLER_ONLY = _("只有承办部门的编辑或负责人可以办理本咨询留言。")


def _label(choices: Any) -> Any:
    return lambda status: str(choices(status).label)


def _not_rated(actor: User | None, inquiry: Inquiry) -> str | None:
    if inquiry.rating:
        return str(_("您已评价过该答复，每条答复只能评价一次。"))
    return None


def _wants_public(actor: User | None, inquiry: Inquiry) -> str | None:
    if not inquiry.wants_public:
        return str(_("提问人选择了不公开，只能答复提问人本人，不能公开。"))
    return None


INQUIRY: acts.Workflow[Inquiry] = acts.register(
    acts.Workflow(
        code="engagement.inquiry",
        model=Inquiry,
        status_label=_label(InquiryStatus),
        transitions=INQUIRY_TRANSITIONS,
        write_transition=acts.transition_writer(InquiryTransition, "inquiry"),
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "release",
                    "engagement.inquiry.released",
                    _("核查通过"),
                    OFFICE,
                    sources=frozenset({InquiryStatus.HELD}),
                    target=InquiryStatus.SUBMITTED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "reject",
                    "engagement.inquiry.rejected",
                    _("不予受理"),
                    OFFICE,
                    sources=frozenset({InquiryStatus.HELD, InquiryStatus.SUBMITTED}),
                    target=InquiryStatus.REJECTED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "route",
                    "engagement.inquiry.routed",
                    _("分办"),
                    OFFICE,
                    sources=frozenset({InquiryStatus.SUBMITTED, InquiryStatus.ROUTED}),
                    target=InquiryStatus.ROUTED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "send_back",
                    "engagement.inquiry.sent_back",
                    _("退回公开办"),
                    HANDLER,
                    sources=frozenset({InquiryStatus.ROUTED}),
                    target=InquiryStatus.SUBMITTED,
                    refusal=HANDLER_ONLY,
                ),
                acts.Move(
                    "answer",
                    "engagement.inquiry.answered",
                    _("答复"),
                    HANDLER,
                    sources=frozenset({InquiryStatus.ROUTED}),
                    target=InquiryStatus.ANSWERED,
                    refusal=HANDLER_ONLY,
                ),
                acts.Move(
                    "return_answer",
                    "engagement.inquiry.answer_returned",
                    _("退回修改答复"),
                    OFFICE,
                    sources=frozenset({InquiryStatus.ANSWERED}),
                    target=InquiryStatus.ROUTED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "publish",
                    "engagement.inquiry.published",
                    _("公开答复"),
                    OFFICE,
                    sources=frozenset({InquiryStatus.ANSWERED, InquiryStatus.REPLIED}),
                    target=InquiryStatus.PUBLISHED,
                    check=_wants_public,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "reply",
                    "engagement.inquiry.replied",
                    _("答复提问人（不公开）"),
                    OFFICE,
                    sources=frozenset({InquiryStatus.ANSWERED}),
                    target=InquiryStatus.REPLIED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "unpublish",
                    "engagement.inquiry.unpublished",
                    _("撤下公开"),
                    OFFICE,
                    sources=frozenset({InquiryStatus.PUBLISHED}),
                    target=InquiryStatus.REPLIED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "rate",
                    "engagement.inquiry.rated",
                    _("评价"),
                    (),
                    sources=REPLIED_STATUSES,
                    check=_not_rated,
                ),
            )
        },
    )
)

# -- online events ---------------------------------------------------------------------------------

ORGANISERS = (acts.permit(*DEPARTMENT_ROLES, relation=acts.same_department()), acts.permit(Role.REVIEWER))
ORGANISERS_ONLY = _("只有主办部门的编辑、负责人或公开办审核员可以管理该活动。")


def _event_department(actor: User, question: EventQuestion) -> bool:
    return actor.department_id is not None and actor.department_id == question.event.department_id


MODERATORS = (
    acts.permit(*DEPARTMENT_ROLES, relation=acts.Relation("same_department", _event_department)),
    acts.permit(Role.REVIEWER),
)


def _event_open(actor: User | None, question: EventQuestion) -> str | None:
    if question.event.status != EventStatus.ANNOUNCED:
        return str(_("活动已归档，不能再审核或回答提问。"))
    return None


EVENT: acts.Workflow[OnlineEvent] = acts.register(
    acts.Workflow(
        code="engagement.event",
        model=OnlineEvent,
        status_label=_label(EventStatus),
        transitions=EVENT_TRANSITIONS,
        write_transition=acts.transition_writer(EventTransition, "event"),
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "create", "engagement.event.created", _("新建活动"), ORGANISERS, refusal=ORGANISERS_ONLY
                ),
                acts.Move(
                    "update",
                    "engagement.event.updated",
                    _("修改"),
                    ORGANISERS,
                    sources=frozenset({EventStatus.DRAFT, EventStatus.ANNOUNCED, EventStatus.ARCHIVED}),
                    refusal=ORGANISERS_ONLY,
                ),
                acts.Move(
                    "announce",
                    "engagement.event.announced",
                    _("发布预告"),
                    ORGANISERS,
                    sources=frozenset({EventStatus.DRAFT}),
                    target=EventStatus.ANNOUNCED,
                    refusal=ORGANISERS_ONLY,
                ),
                acts.Move(
                    "archive",
                    "engagement.event.archived",
                    _("结束并归档"),
                    ORGANISERS,
                    sources=frozenset({EventStatus.ANNOUNCED}),
                    target=EventStatus.ARCHIVED,
                    refusal=ORGANISERS_ONLY,
                ),
            )
        },
    )
)

QUESTION: acts.Workflow[EventQuestion] = acts.register(
    acts.Workflow(
        code="engagement.question",
        model=EventQuestion,
        status_label=_label(QuestionStatus),
        transitions=QUESTION_TRANSITIONS,
        write_transition=acts.transition_writer(QuestionTransition, "question"),
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "approve",
                    "engagement.question.approved",
                    _("采纳并显示"),
                    MODERATORS,
                    sources=frozenset({QuestionStatus.PENDING, QuestionStatus.HELD}),
                    target=QuestionStatus.APPROVED,
                    check=_event_open,
                    refusal=ORGANISERS_ONLY,
                ),
                acts.Move(
                    "reject",
                    "engagement.question.rejected",
                    _("不采纳"),
                    MODERATORS,
                    sources=frozenset({QuestionStatus.PENDING, QuestionStatus.HELD, QuestionStatus.APPROVED}),
                    target=QuestionStatus.REJECTED,
                    refusal=ORGANISERS_ONLY,
                ),
                acts.Move(
                    "answer",
                    "engagement.question.answered",
                    _("录入嘉宾回答"),
                    MODERATORS,
                    sources=frozenset({QuestionStatus.APPROVED}),
                    target=QuestionStatus.ANSWERED,
                    check=_event_open,
                    refusal=ORGANISERS_ONLY,
                ),
            )
        },
    )
)

# -- proposals -------------------------------------------------------------------------------------

LEAD = (acts.permit(*DEPARTMENT_ROLES, relation=acts.same_department("lead_department_id")),)
LEAD_OR_OFFICE = (*LEAD, acts.permit(Role.REVIEWER))
PROPOSAL_OFFICE_ONLY = _("只有公开办审核员可以登记、报送和公开建议提案。")
LEAD_ONLY = _("只有主办部门的编辑、负责人（或公开办审核员）可以录入答复和公开意见。")


def _consented(actor: User | None, proposal: Proposal) -> str | None:
    if not proposal.consent_to_disclose:
        return str(_("主办部门尚未同意公开该答复，不能公开。"))
    return None


PROPOSAL: acts.Workflow[Proposal] = acts.register(
    acts.Workflow(
        code="engagement.proposal",
        model=Proposal,
        status_label=_label(ProposalStatus),
        transitions=PROPOSAL_TRANSITIONS,
        write_transition=acts.transition_writer(ProposalTransition, "proposal"),
        starts_on=lambda proposal: proposal.received_on,
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "register",
                    "engagement.proposal.registered",
                    _("登记"),
                    OFFICE,
                    refusal=PROPOSAL_OFFICE_ONLY,
                ),
                acts.Move(
                    "reply",
                    "engagement.proposal.replied",
                    _("录入答复"),
                    LEAD_OR_OFFICE,
                    sources=frozenset({ProposalStatus.REGISTERED, ProposalStatus.REPLIED}),
                    target=ProposalStatus.REPLIED,
                    dated=True,
                    refusal=LEAD_ONLY,
                ),
                acts.Move(
                    "consent",
                    "engagement.proposal.consent_recorded",
                    _("登记公开意见"),
                    LEAD_OR_OFFICE,
                    sources=frozenset({ProposalStatus.REPLIED, ProposalStatus.SENT}),
                    refusal=LEAD_ONLY,
                ),
                acts.Move(
                    "send",
                    "engagement.proposal.sent",
                    _("登记报送省政府办公厅"),
                    OFFICE,
                    sources=frozenset({ProposalStatus.REPLIED}),
                    target=ProposalStatus.SENT,
                    dated=True,
                    refusal=PROPOSAL_OFFICE_ONLY,
                ),
                acts.Move(
                    "disclose",
                    "engagement.proposal.disclosed",
                    _("登记公开"),
                    OFFICE,
                    sources=frozenset({ProposalStatus.SENT}),
                    target=ProposalStatus.DISCLOSED,
                    dated=True,
                    check=_consented,
                    refusal=PROPOSAL_OFFICE_ONLY,
                ),
            )
        },
    )
)
