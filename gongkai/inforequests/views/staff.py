"""The case page of disclosure on request: the case, its clock and timeline, and one form per move
the act kernel allows this member of staff (workflows.APPLICATION)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import audit, clock, workdays
from gongkai.core.audit import timeline
from gongkai.core.views.staff import may_view_audit
from gongkai.inforequests import letter_services, queries, services, workflows
from gongkai.inforequests.choices import (
    ReviewResult,
)
from gongkai.inforequests.models import Application, Assignment, Extension
from gongkai.inforequests.views.case_forms import (
    LETTER_LABELS,
    AbandonForm,
    ApproveForm,
    AssignForm,
    AssignmentForm,
    ConsultForm,
    CorrectionForm,
    DatedForm,
    DatedResponseForm,
    DecideReviewForm,
    DeliveryForm,
    DraftReplyForm,
    ExtendForm,
    OpinionForm,
    ReasonForm,
    ReviewForm,
    ShareIdentityForm,
    SupplementForm,
    VersionForm,
    staff_user,
)

# The moves of a case ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """How the case page offers a move of the kernel's APPLICATION workflow: its form, the service
    it calls with the version the user saw, and what it says when done. Who may make it is the
    kernel's to decide (workflows.APPLICATION); `shown` only narrows what the page offers."""

    title: Any
    form: type[VersionForm]
    run: Callable[[Application, User, dict[str, Any]], Any]
    done: Any
    danger: bool = False
    shown: Callable[[User, Application], bool] | None = None


def _own_assignment(user: User, a: Application) -> Assignment | None:
    if user.department_id is None:
        return None
    return a.assignments.filter(department_id=user.department_id).first()


def _give_opinion(a: Application, u: User, d: dict[str, Any]) -> Any:
    assignment = a.assignments.filter(pk=d["assignment"]).first()
    if assignment is None:
        raise services.RequestError(_("该交办事项不存在。"))
    return services.do_give_opinion(
        assignment,
        opinion=d["opinion"],
        suggested_outcome=d["suggested_outcome"],
        on=d["on"],
        actor=u,
        expected_version=d["version"],
    )


def _assignment_of(a: Application, d: dict[str, Any]) -> Assignment:
    assignment = a.assignments.filter(pk=d["assignment"]).first()
    if assignment is None:
        raise services.RequestError(_("该交办事项不存在。"))
    return assignment


def _share_identity(a: Application, u: User, d: dict[str, Any]) -> Any:
    return services.do_share_identity(
        _assignment_of(a, d), reason=d["reason"], actor=u, expected_version=d["version"]
    )


def _unshare_identity(a: Application, u: User, d: dict[str, Any]) -> Any:
    return services.do_unshare_identity(_assignment_of(a, d), actor=u, expected_version=d["version"])


# Offered next to each assigned department (case_context's `identity_moves`), not in the list.
IDENTITY_MOVES = ("share_identity", "unshare_identity")


def _decide_review(a: Application, u: User, d: dict[str, Any]) -> Any:
    review = a.reviews.filter(pk=d["review"]).first()
    if review is None:
        raise services.RequestError(_("该复议/诉讼记录不存在。"))
    return services.do_decide_review(
        review,
        result=d["result"],
        decided_on=d["decided_on"],
        note=d["note"],
        actor=u,
        expected_version=d["version"],
    )


MOVES: dict[str, Move] = {
    "accept": Move(
        gettext_lazy("受理"),
        VersionForm,
        lambda a, u, d: services.do_accept_application(a, actor=u, expected_version=d["version"]),
        gettext_lazy("已受理，您是本案承办人。"),
    ),
    "assign": Move(
        gettext_lazy("交办部门"),
        AssignForm,
        lambda a, u, d: services.do_assign_application(
            a,
            departments=d["departments"],
            due_on=d["due_on"],
            instructions=d["instructions"],
            actor=u,
            expected_version=d["version"],
        ),
        gettext_lazy("已交办。"),
    ),
    "opinion": Move(
        gettext_lazy("填写部门意见"),
        OpinionForm,
        _give_opinion,
        gettext_lazy("部门意见已提交公开办。"),
        # Offered to the staff of an assigned department; the office enters a paper opinion there.
        shown=lambda u, a: _own_assignment(u, a) is not None,
    ),
    "share_identity": Move(
        gettext_lazy("向该部门提供申请人身份信息"),
        ShareIdentityForm,
        _share_identity,
        gettext_lazy("已向该部门提供申请人身份信息。"),
        shown=lambda u, a: False,
    ),
    "unshare_identity": Move(
        gettext_lazy("撤回向该部门提供的申请人身份信息"),
        AssignmentForm,
        _unshare_identity,
        gettext_lazy("已撤回，该部门看到的申请人身份信息重新隐去。"),
        danger=True,
        shown=lambda u, a: False,
    ),
    "supplement": Move(
        gettext_lazy("告知补正（第三十条，一次性）"),
        SupplementForm,
        lambda a, u, d: services.do_request_supplement(
            a,
            request_text=d["request_text"],
            reply_workdays=d["reply_workdays"],
            on=d["on"],
            actor=u,
            expected_version=d["version"],
        ),
        gettext_lazy("已告知补正，答复期限自收到补正之日重新起算。"),
    ),
    "receive_supplement": Move(
        gettext_lazy("收到补正"),
        DatedResponseForm,
        lambda a, u, d: services.do_receive_supplement(
            a, on=d["on"], response_text=d["response_text"], actor=u, expected_version=d["version"]
        ),
        gettext_lazy("已登记补正，答复期限已重新计算。"),
    ),
    "abandon": Move(
        gettext_lazy("逾期未补正，视为放弃申请"),
        AbandonForm,
        lambda a, u, d: services.do_close_abandoned(a, on=d["on"], actor=u, expected_version=d["version"]),
        gettext_lazy("已按逾期未补正办结。"),
        danger=True,
    ),
    "consult": Move(
        gettext_lazy("征求意见（期间不计入答复期限）"),
        ConsultForm,
        lambda a, u, d: services.do_start_consultation(
            a,
            kind=d["kind"],
            party=d["party"],
            request_text=d["request_text"],
            on=d["on"],
            actor=u,
            expected_version=d["version"],
        ),
        gettext_lazy("已开始征求意见，期间不计入答复期限。"),
    ),
    "end_consult": Move(
        gettext_lazy("征求意见结束"),
        DatedResponseForm,
        lambda a, u, d: services.do_end_consultation(
            a, on=d["on"], response_text=d["response_text"], actor=u, expected_version=d["version"]
        ),
        gettext_lazy("征求意见已结束，答复期限已顺延。"),
    ),
    "extend": Move(
        gettext_lazy("批准延期答复"),
        ExtendForm,
        lambda a, u, d: services.do_extend_application(
            a,
            extra_workdays=d["extra_workdays"],
            reason=d["reason"],
            on=d["on"],
            actor=u,
            expected_version=d["version"],
        ),
        gettext_lazy("已批准延期，请告知申请人。"),
    ),
    "draft": Move(
        gettext_lazy("起草答复"),
        DraftReplyForm,
        lambda a, u, d: services.do_draft_reply(
            a,
            outcome=d["outcome"],
            legal_basis=d["legal_basis"],
            reply_text=d["reply_text"],
            withheld_note=d["withheld_note"],
            holder_agency=d["holder_agency"],
            actor=u,
            expected_version=d["version"],
        ),
        gettext_lazy("答复已起草，等待审批。"),
    ),
    "correct": Move(
        gettext_lazy("更正决定"),
        CorrectionForm,
        lambda a, u, d: services.do_decide_correction(
            a,
            outcome=d["correction_outcome"],
            forwarded_to=d["forwarded_to"],
            note=d["note"],
            on=d["on"],
            actor=u,
            expected_version=d["version"],
        ),
        gettext_lazy("已作出更正决定，申请已办结。"),
    ),
    "approve": Move(
        gettext_lazy("审批通过并答复"),
        ApproveForm,
        lambda a, u, d: services.do_approve_reply(a, on=d["on"], actor=u, expected_version=d["version"]),
        gettext_lazy("答复已审批，申请已办结。"),
    ),
    "return": Move(
        gettext_lazy("退回答复"),
        ReasonForm,
        lambda a, u, d: services.do_return_reply(
            a, reason=d["reason"], actor=u, expected_version=d["version"]
        ),
        gettext_lazy("答复已退回承办人。"),
        danger=True,
    ),
    "delivery": Move(
        gettext_lazy("登记送达"),
        DeliveryForm,
        lambda a, u, d: services.do_record_delivery(
            a,
            letter_kind=d["letter_kind"],
            method=d["method"],
            delivered_on=d["delivered_on"],
            reference=d["reference"],
            actor=u,
            expected_version=d["version"],
        ),
        gettext_lazy("已登记送达。"),
    ),
    "review": Move(
        gettext_lazy("登记行政复议/行政诉讼"),
        ReviewForm,
        lambda a, u, d: services.do_record_review(
            a,
            kind=d["kind"],
            filed_on=d["filed_on"],
            body=d["body"],
            note=d["note"],
            actor=u,
            expected_version=d["version"],
        ),
        gettext_lazy("已登记。"),
    ),
    "decide_review": Move(
        gettext_lazy("登记审结结果"),
        DecideReviewForm,
        _decide_review,
        gettext_lazy("已登记审结结果。"),
    ),
}


def _initial(name: str, application: Application, user: User, today: dt.date) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": application.version}
    if issubclass(MOVES[name].form, DatedForm) or name in ("approve", "correct"):
        initial["on"] = today
    if name == "delivery":
        initial["delivered_on"] = today
        initial["method"] = application.delivery
    if name == "review":
        initial["filed_on"] = today
    if name == "assign":
        try:
            initial["due_on"] = workdays.add_workdays(today, 5)
        except workdays.CalendarUnknownError:
            initial["due_on"] = today + dt.timedelta(days=7)
    if name == "draft" and application.outcome:
        initial.update(
            outcome=application.outcome,
            legal_basis=application.legal_basis,
            reply_text=application.reply_text,
            withheld_note=application.withheld_note,
            holder_agency=application.holder_agency,
        )
    if name == "opinion":
        own = _own_assignment(user, application)
        if own is not None:
            initial.update(assignment=own.pk, opinion=own.opinion, suggested_outcome=own.suggested_outcome)
    return initial


def move_forms(
    user: User, application: Application, bound: tuple[str, VersionForm] | None
) -> list[dict[str, Any]]:
    today = clock.today()
    result = []
    allowed = set(workflows.APPLICATION.allowed_moves(user, application))
    for name, move in MOVES.items():
        if name not in allowed or (move.shown is not None and not move.shown(user, application)):
            continue
        if name == "decide_review":
            for review in application.reviews.filter(result=ReviewResult.PENDING):
                form = (
                    bound[1]
                    if bound and bound[0] == name and bound[1].data.get("review") == str(review.pk)
                    else DecideReviewForm(
                        initial={"version": application.version, "review": review.pk, "decided_on": today}
                    )
                )
                result.append(
                    {"name": name, "move": move, "form": form, "open": form.is_bound, "subject": review}
                )
            continue
        form = (
            bound[1]
            if bound and bound[0] == name
            else move.form(initial=_initial(name, application, user, today))
        )
        result.append({"name": name, "move": move, "form": form, "open": form.is_bound, "subject": None})
    return result


def case_context(user: User, application: Application) -> dict[str, Any]:
    today = clock.today()
    try:
        result = services.compute_clock(application, today)
        clock_lines = result.explain().splitlines()
        clock_error = ""
    except workdays.CalendarUnknownError as exc:
        result, clock_lines, clock_error = None, [], str(exc)
    applicant = queries.applicant_view(user, application)
    if not applicant["masked"]:
        audit.log_personal_data_view(user, application, view="case")
    # The case's acts; views of its personal data are on the audit page, not on the timeline.
    # Each in words (AuditEvent.label, as on the record's timeline); an act of no one (an online
    # application received, a job) names the system in the page's language, not as "system".
    events = list(timeline(application).exclude(action=audit.PERSONAL_DATA_VIEWED).order_by("at", "id")[:300])
    for event in events:
        system = event.actor_id is None and event.actor_label == "system"
        event.who = _("系统") if system else event.actor_label  # type: ignore[attr-defined]
    return {
        "nav": "requests",
        "app": application,
        "applicant": applicant,
        "clock": result,
        "clock_lines": clock_lines,
        "clock_error": clock_error,
        "due_state": queries.due_state(application, today, queries.near_limit(today)),
        "on_time": services.is_on_time(application),
        "pauses": application.pauses.all(),
        "letters": letter_services.case_letters(application),
        "extension": Extension.objects.filter(application=application).select_related("approved_by").first(),
        "assignments": application.assignments.select_related("department", "answered_by", "assigned_by"),
        "identity_moves": [n for n in IDENTITY_MOVES if workflows.APPLICATION.may(user, application, n)],
        "is_office": user.has_role(Role.REVIEWER),
        "own_assignment": None if user.has_role(Role.REVIEWER) else _own_assignment(user, application),
        "reviews": application.reviews.all(),
        "deliveries": [
            (d, str(LETTER_LABELS.get(d.letter_kind, d.letter_kind))) for d in application.deliveries.all()
        ],
        "transitions": application.transitions.select_related("actor"),
        "events": events,
        # The dotted codes only for those who may read the audit log (as on the record's timeline).
        "show_event_codes": may_view_audit(user),
        "today": today,
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    application = queries.get_application_for_staff(user, pk, page=True)
    context = case_context(user, application)
    context["moves"] = move_forms(user, application, None)
    return render(request, "inforequests/staff/case.html", context)


def form_after_conflict(
    request: HttpRequest, form_class: Any, application: Application, exc: Exception
) -> Any:
    """Nothing typed is lost: the form comes back with the input, the current version and why."""
    data = request.POST.copy()
    data["version"] = str(Application.objects.values_list("version", flat=True).get(pk=application.pk))
    form = form_class(data)
    form.is_valid()
    form.add_error(None, str(exc))
    messages.error(request, str(exc))
    return form


def run_move(request: HttpRequest, form: Any, act: Callable[[], Any]) -> tuple[int, Any]:
    """Run a move through its service (the kernel guards it) and say what happened: (status, result).
    A refusal is put on the form; 409 means the case changed since the user opened it."""
    try:
        return 200, act()
    except services.ConflictError:
        raise
    except services.PermissionDeniedError as exc:
        form.add_error(None, str(exc))
        messages.error(request, str(exc))
        return 403, None
    except (services.RequestError, workdays.CalendarUnknownError) as exc:
        form.add_error(None, str(exc))
        messages.error(request, str(exc))
        return 400, None


@login_required
def case_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user = staff_user(request)
    application = queries.get_application_for_staff(user, pk)
    move = MOVES.get(name)
    if move is None:
        raise Http404("no such move")
    if request.method != "POST":
        return redirect("workbench:inforequests_staff:case", pk=pk)
    form = move.form(request.POST)
    status = 200
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
    else:
        try:
            status, _result = run_move(request, form, lambda: move.run(application, user, form.cleaned_data))
        except services.ConflictError as exc:
            form = form_after_conflict(request, move.form, application, exc)
            status = 409
        else:
            if status == 200:
                messages.success(request, str(move.done))
                return redirect("workbench:inforequests_staff:case", pk=pk)
            status = 403 if status == 403 else 200
    application = queries.get_application_for_staff(user, pk, page=True)
    context = case_context(user, application)
    context["moves"] = move_forms(user, application, (name, form))
    if not any(m["name"] == name for m in context["moves"]):
        # The move is no longer possible (someone else moved the case): still show what was typed.
        context["moves"].insert(0, {"name": name, "move": move, "form": form, "open": True, "subject": None})
    return render(request, "inforequests/staff/case.html", context, status=status)
