"""The disclosure-on-request case, declared once for the act kernel (`gongkai.core.acts`): every move
of a case, who may make it (role and relation to the case), from which states, which moves need a
second person and which record an act done outside the system on its own date."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import DepartmentKind, Role
from gongkai.accounts.models import User
from gongkai.core import acts
from gongkai.inforequests.choices import (
    OPEN_STATUSES,
    TRANSITIONS,
    PauseKind,
    RequestKind,
    ReviewResult,
    Status,
)
from gongkai.inforequests.models import Application, ApplicationTransition, Extension

# The office (公开办) runs every case; departments only give the opinion asked of them.
OFFICE = (acts.permit(Role.REVIEWER),)

IN_OFFICE = acts.Relation(
    "in_office",
    lambda actor, a: actor.department is not None and actor.department.kind == DepartmentKind.OFFICE,
)
# Replies, extensions and correction decisions are approved by the head of the office or a leader
# (2019 Art. 33: an extension needs the approval of the office's head) — never by a department head.
APPROVERS = (acts.permit(Role.LEADER), acts.permit(Role.HEAD, relation=IN_OFFICE))


def _assigned(actor: User, application: Application) -> bool:
    return actor.department_id is not None and any(
        a.department_id == actor.department_id for a in application.assignments.all()
    )


ASSIGNED_DEPARTMENT = acts.Relation("assigned_department", _assigned)
# A department asked for its opinion answers through its editors or its head; the office may enter
# an opinion that reached it on paper.
OPINION_GIVERS = (acts.permit(Role.EDITOR, Role.HEAD, relation=ASSIGNED_DEPARTMENT), *OFFICE)

HANDLING = frozenset({Status.RECEIVED, Status.IN_PROGRESS})
OPEN = frozenset(OPEN_STATUSES)


def drafted_by(application: Application) -> set[int]:
    """Who may not approve a reply: whoever drafted the reply now awaiting approval (four eyes)."""
    last = (
        ApplicationTransition.objects.filter(application=application, to_status=Status.REPLY_DRAFTED)
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    return {last} if last else set()


def _is_disclosure(actor: User | None, a: Application) -> str | None:
    if a.request_kind == RequestKind.CORRECTION:
        return _(
            "这是更正政府信息申请（第四十一条），不按公开申请答复：请作出更正决定（已更正、转送有权机关或不予更正）。"
        )
    return None


def _is_correction(actor: User | None, a: Application) -> str | None:
    if a.request_kind != RequestKind.CORRECTION:
        return _("只有更正政府信息申请（第四十一条）才能作出更正决定。")
    return None


def _supplement_possible(actor: User | None, a: Application) -> str | None:
    if a.rule_set != "2019":
        return _("2007年条例未规定补正程序：请直接与申请人沟通后答复。")
    if any(p.kind == PauseKind.SUPPLEMENT for p in a.pauses.all()):
        return _("补正只能要求一次（第三十条）。")
    return None


def _not_extended(actor: User | None, a: Application) -> str | None:
    if Extension.objects.filter(application=a).exists():
        return _("该申请已经延期过一次。")
    return None


def _review_pending(actor: User | None, a: Application) -> str | None:
    if not any(r.result == ReviewResult.PENDING for r in a.reviews.all()):
        return _("没有待审结的行政复议或诉讼。")
    return None


def _identity_shareable(actor: User | None, a: Application) -> str | None:
    if not any(s.identity_shared_at is None for s in a.assignments.all()):
        return _("没有可以提供申请人身份信息的交办部门。")
    return None


def _identity_shared(actor: User | None, a: Application) -> str | None:
    if not any(s.identity_shared_at is not None for s in a.assignments.all()):
        return _("尚未向任何交办部门提供申请人身份信息。")
    return None


def fee_unpaid(a: Application) -> bool:
    """A fee notice awaits payment: its pause is open (fees.py opens and closes it with the notice).
    Read through `pauses.all()`, so a case page that prefetched the pauses asks nothing more."""
    return any(p.kind == PauseKind.FEE and p.ended_on is None for p in a.pauses.all())


def _fee_possible(actor: User | None, a: Application) -> str | None:
    # Art. 42 and 国办函〔2020〕109号: under the 2019 rules only, for cases received from 2021 on, one
    # unpaid notice at a time. (fees.py imports this module through services: imported here.)
    from gongkai.inforequests.fees import fee_allowed

    if refused := fee_allowed(a):
        return refused
    if fee_unpaid(a):
        return _("该申请已有尚未缴费的收费通知，一次只能有一份。")
    return None


def _fee_pending(actor: User | None, a: Application) -> str | None:
    if not fee_unpaid(a):
        return _("该申请没有待缴费的收费通知。")
    return None


def _received_on(a: Application) -> dt.date | None:
    return a.received_on


def _replied_on(a: Application) -> dt.date | None:
    return a.replied_on or a.received_on


def _write_transition(
    a: Application, from_status: str, to_status: str, actor: User | None, at: dt.datetime, reason: str
) -> None:
    ApplicationTransition.objects.create(
        application=a, from_status=from_status, to_status=to_status, actor=actor, at=at, reason=reason
    )


def _status_label(status: str) -> str:
    return str(Status(status).label)


def _moves(*moves: acts.Move) -> dict[str, acts.Move]:
    return {m.name: m for m in moves}


NO_RIGHT = gettext_lazy("您无权进行此项操作。")
APPROVERS_ONLY = gettext_lazy("只有公开办负责人或领导可以审批。")

APPLICATION: acts.Workflow[Application] = acts.register(
    acts.Workflow(
        code="inforequests.application",
        model=Application,
        status_label=_status_label,
        transitions=TRANSITIONS,
        write_transition=_write_transition,
        starts_on=_received_on,
        moves=_moves(
            acts.Move("register", "inforequests.application.received", gettext_lazy("登记申请"), OFFICE),
            acts.Move(
                "accept",
                "inforequests.application.accepted",
                gettext_lazy("受理"),
                OFFICE,
                sources=frozenset({Status.RECEIVED}),
                target=Status.IN_PROGRESS,
            ),
            acts.Move(
                "assign",
                "inforequests.application.assigned",
                gettext_lazy("交办部门"),
                OFFICE,
                sources=OPEN,
                refusal=NO_RIGHT,
            ),
            acts.Move(
                "opinion",
                "inforequests.assignment.answered",
                gettext_lazy("填写部门意见"),
                OPINION_GIVERS,
                sources=OPEN,
                dated=True,
                follows=_received_on,
                refusal=gettext_lazy("只有被交办部门的人员可以填写意见。"),
            ),
            # The office shares the applicant's identity with one assigned department for this
            # case, with a reason, and may withdraw it (sees_applicant).
            acts.Move(
                "share_identity",
                "inforequests.assignment.identity_shared",
                gettext_lazy("向该部门提供申请人身份信息"),
                OFFICE,
                sources=OPEN,
                check=_identity_shareable,
                refusal=NO_RIGHT,
            ),
            acts.Move(
                "unshare_identity",
                "inforequests.assignment.identity_unshared",
                gettext_lazy("撤回向该部门提供的申请人身份信息"),
                OFFICE,
                check=_identity_shared,
                refusal=NO_RIGHT,
            ),
            acts.Move(
                "supplement",
                "inforequests.application.supplement_requested",
                gettext_lazy("告知补正（第三十条，一次性）"),
                OFFICE,
                sources=HANDLING,
                target=Status.AWAITING_SUPPLEMENT,
                dated=True,
                check=_supplement_possible,
            ),
            acts.Move(
                "receive_supplement",
                "inforequests.application.supplemented",
                gettext_lazy("收到补正"),
                OFFICE,
                sources=frozenset({Status.AWAITING_SUPPLEMENT}),
                target=Status.IN_PROGRESS,
                dated=True,
            ),
            acts.Move(
                "abandon",
                "inforequests.application.abandoned",
                gettext_lazy("逾期未补正，视为放弃申请"),
                OFFICE,
                sources=frozenset({Status.AWAITING_SUPPLEMENT}),
                target=Status.CLOSED,
                dated=True,
            ),
            acts.Move(
                "consult",
                "inforequests.application.consultation_started",
                gettext_lazy("征求意见（期间不计入答复期限）"),
                OFFICE,
                sources=HANDLING,
                target=Status.IN_CONSULTATION,
                dated=True,
            ),
            acts.Move(
                "end_consult",
                "inforequests.application.consultation_ended",
                gettext_lazy("征求意见结束"),
                OFFICE,
                sources=frozenset({Status.IN_CONSULTATION}),
                target=Status.IN_PROGRESS,
                dated=True,
            ),
            acts.Move(
                "extend",
                "inforequests.application.extended",
                gettext_lazy("批准延期答复"),
                APPROVERS,
                sources=OPEN,
                dated=True,
                check=_not_extended,
                refusal=APPROVERS_ONLY,
            ),
            acts.Move(
                "draft",
                "inforequests.reply.drafted",
                gettext_lazy("起草答复"),
                OFFICE,
                sources=HANDLING,
                target=Status.REPLY_DRAFTED,
                check=_is_disclosure,
            ),
            acts.Move(
                "correct",
                "inforequests.correction.decided",
                gettext_lazy("更正决定"),
                APPROVERS,
                sources=HANDLING,
                target=Status.CLOSED,
                via=Status.REPLY_DRAFTED,
                dated=True,
                check=_is_correction,
                refusal=APPROVERS_ONLY,
            ),
            acts.Move(
                "approve",
                "inforequests.reply.approved",
                gettext_lazy("审批通过并答复"),
                APPROVERS,
                sources=frozenset({Status.REPLY_DRAFTED}),
                target=Status.CLOSED,
                four_eyes=drafted_by,
                dated=True,
                refusal=APPROVERS_ONLY,
            ),
            acts.Move(
                "return",
                "inforequests.reply.returned",
                gettext_lazy("退回答复"),
                APPROVERS,
                sources=frozenset({Status.REPLY_DRAFTED}),
                target=Status.IN_PROGRESS,
                refusal=APPROVERS_ONLY,
            ),
            acts.Move(
                "delivery",
                "inforequests.letter.delivered",
                gettext_lazy("登记送达"),
                OFFICE,
                dated=True,
                follows=_received_on,
            ),
            acts.Move(
                "review",
                "inforequests.review.filed",
                gettext_lazy("登记行政复议/行政诉讼"),
                OFFICE,
                sources=frozenset({Status.CLOSED}),
                dated=True,
                follows=_replied_on,
            ),
            acts.Move(
                "decide_review",
                "inforequests.review.decided",
                gettext_lazy("登记审结结果"),
                OFFICE,
                dated=True,
                follows=_replied_on,
                check=_review_pending,
            ),
            acts.Move(
                "fee_notice",
                "inforequests.fee.notice_issued",
                gettext_lazy("发出收费通知"),
                OFFICE,
                sources=HANDLING,
                dated=True,
                check=_fee_possible,
            ),
            acts.Move(
                "fee_paid",
                "inforequests.fee.paid",
                gettext_lazy("登记已缴费"),
                OFFICE,
                sources=OPEN,
                dated=True,
                check=_fee_pending,
            ),
            acts.Move(
                "fee_waive",
                "inforequests.fee.waived",
                gettext_lazy("免收"),
                OFFICE,
                sources=OPEN,
                dated=True,
                check=_fee_pending,
            ),
            acts.Move(
                "fee_lapse",
                "inforequests.fee.lapsed",
                gettext_lazy("逾期未缴费，不再处理"),
                OFFICE,
                sources=HANDLING,
                target=Status.CLOSED,
                via=Status.REPLY_DRAFTED,
                dated=True,
                check=_fee_pending,
            ),
        ),
    )
)


def is_handler(user: User, application: Application) -> bool:
    """Who handles the case (opens it): the office, the case's handler, and the editors and head of
    a department asked for its opinion — never an administrator (三员). Who of them sees the
    applicant unmasked, and so may open the letters, which name the applicant, is
    `sees_applicant`'s."""
    if sees_applicant(user, application):
        return True
    return user.has_role(Role.EDITOR, Role.HEAD) and _assigned(user, application)


def sees_applicant(user: User, application: Application) -> bool:
    """Who sees the applicant unmasked: the office and the case's own handler. A department asked
    for its opinion needs the request, not the identity: its editors and head see it masked —
    unless the office shared the identity with that department for this case (share_identity),
    while the share stands."""
    if user.has_role(Role.REVIEWER) or application.handler_id == user.pk:
        return True
    return identity_shared_with(user, application)


def identity_shared_with(user: User, application: Application) -> bool:
    """The office shares the applicant's identity with this user's department for this case, and
    the user is one of its editors or its head."""
    return (
        user.department_id is not None
        and user.has_role(Role.EDITOR, Role.HEAD)
        and any(
            s.department_id == user.department_id and s.identity_shared_at is not None
            for s in application.assignments.all()
        )
    )


def moves_for(user: User, application: Application) -> list[str]:
    return APPLICATION.allowed_moves(user, application)
