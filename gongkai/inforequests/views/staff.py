"""Staff pages of disclosure on request: the queue, registration of paper applications, the case page
with one form per allowed move, the statistics and the Art. 44 candidates."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import DepartmentKind, Role
from gongkai.accounts.models import Department, User
from gongkai.core import clock, workdays
from gongkai.core.audit import timeline
from gongkai.inforequests import letter_services, queries, services, stats, workflows
from gongkai.inforequests.choices import (
    CorrectionOutcome,
    Delivery,
    IntakeChannel,
    Outcome,
    PauseKind,
    RequestKind,
    ReviewKind,
    ReviewResult,
    Status,
)
from gongkai.inforequests.models import Application, Assignment, Extension

PAGE_SIZE = 30

RECEIPT_RULE = gettext_lazy(
    "收到申请日期（第三十一条）：当面提交的，为提交之日；以邮政快递等方式提交的（挂号信），为签收之日；"
    "以平常信函等无需签收的方式提交的，为与申请人确认之日；以传真、互联网渠道或电子邮件提交的，为双方确认之日。"
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def outcome_choices(blank: str = "") -> list[Any]:
    """Outcomes grouped by the parent rows of table 三."""
    labels = dict(Outcome.choices)
    grouped: list[Any] = [("", blank or "—")]
    for group, heading in stats.OUTCOME_GROUPS:
        members = [(o, labels[o]) for o in Outcome.values if stats.outcome_group(o) == group]
        grouped.append((heading, members))
    return grouped


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _text(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required)


# Forms ------------------------------------------------------------------------------------------


class RegistrationForm(forms.ModelForm[Application]):
    """An application received by letter, in person, fax or e-mail, typed in by the office."""

    channel = forms.ChoiceField(
        label=gettext_lazy("申请渠道"),
        choices=[
            (c.value, c.label)
            for c in (IntakeChannel.LETTER, IntakeChannel.IN_PERSON, IntakeChannel.FAX, IntakeChannel.EMAIL)
        ],
    )
    received_on = _date_field(
        gettext_lazy("收到申请日期"), help_text=gettext_lazy("按第三十一条确定，见上方说明。")
    )

    class Meta:
        model = Application
        fields = [
            "channel", "received_on", "request_kind", "applicant_kind", "applicant_name", "contact_person",
            "id_type", "id_number", "phone", "email", "address", "postcode", "information_title",
            "information_doc_number", "description", "form_wanted", "delivery", "needs_assistance",
            "assistance_note", "suggests_proactive",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_received_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["received_on"]
        if day > clock.today():
            raise forms.ValidationError(_("收到申请日期不能晚于今天。"))
        return day


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(VersionForm):
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("交办部门"),
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_on = _date_field(gettext_lazy("部门办理期限"))
    instructions = _text(gettext_lazy("办理要求"), rows=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["departments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Department.objects.filter(is_active=True).exclude(kind=DepartmentKind.AGENCY)


class DatedForm(VersionForm):
    """A move that records an act done outside the system: the day it happened (default today)."""

    on = _date_field(gettext_lazy("日期"), help_text=gettext_lazy("该行为实际发生的日期，不能晚于今天。"))


class OpinionForm(DatedForm):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    opinion = _text(gettext_lazy("部门意见"), rows=4)
    suggested_outcome = forms.ChoiceField(label=gettext_lazy("建议办理结果"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_outcome"].choices = outcome_choices()  # type: ignore[attr-defined]


class SupplementForm(DatedForm):
    request_text = _text(gettext_lazy("需要补正的事项（一次性告知）"))
    reply_workdays = forms.IntegerField(
        label=gettext_lazy("补正期限（工作日）"),
        min_value=1,
        max_value=60,
        initial=services.DEFAULT_SUPPLEMENT_REPLY_WORKDAYS,
    )


class DatedResponseForm(DatedForm):
    response_text = _text(gettext_lazy("情况说明"), rows=2, required=False)


class AbandonForm(DatedForm):
    pass


class ConsultForm(DatedForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("征求意见类型"),
        choices=[(k.value, k.label) for k in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY)],
    )
    party = forms.CharField(label=gettext_lazy("第三方/机关"), max_length=150)
    request_text = _text(gettext_lazy("征求意见的内容"), rows=2)


class ExtendForm(DatedForm):
    extra_workdays = forms.IntegerField(label=gettext_lazy("延长工作日"), min_value=1, max_value=20)
    reason = _text(gettext_lazy("延期理由"), rows=2)


class DraftReplyForm(VersionForm):
    outcome = forms.ChoiceField(label=gettext_lazy("办理结果（按年度报告表三）"))
    legal_basis = forms.CharField(label=gettext_lazy("法律依据"), max_length=300)
    reply_text = _text(gettext_lazy("答复内容"), rows=5)
    withheld_note = _text(gettext_lazy("不予公开部分及理由（部分公开时必填）"), rows=2, required=False)
    holder_agency = forms.CharField(
        label=gettext_lazy("掌握该信息的机关（能够确定的）"), max_length=150, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcome_choices(_("请选择"))  # type: ignore[attr-defined]


class CorrectionForm(VersionForm):
    """The decision on an Art. 41 correction request, in place of a drafted reply."""

    correction_outcome = forms.ChoiceField(
        label=gettext_lazy("更正决定（第四十一条）"),
        choices=[("", gettext_lazy("请选择")), *CorrectionOutcome.choices],
    )
    forwarded_to = forms.CharField(
        label=gettext_lazy("转送的有权机关（无权更正时必填）"), max_length=150, required=False
    )
    note = _text(gettext_lazy("告知申请人的内容"), rows=4)
    on = _date_field(gettext_lazy("决定日期"))


class ReasonForm(VersionForm):
    reason = _text(gettext_lazy("退回原因"), rows=2)


class ApproveForm(VersionForm):
    on = _date_field(gettext_lazy("答复日期"))


LETTER_KINDS = [
    ("reply", gettext_lazy("答复书")),
    ("supplement", gettext_lazy("补正告知书")),
    ("extension", gettext_lazy("延期答复告知书")),
    ("consultation", gettext_lazy("征求意见函")),
    ("fee_notice", gettext_lazy("收费通知书")),
    ("correction", gettext_lazy("更正申请答复书")),
    ("other", gettext_lazy("其他")),
]

LETTER_LABELS = dict(LETTER_KINDS)


class DeliveryForm(VersionForm):
    letter_kind = forms.ChoiceField(label=gettext_lazy("文书"), choices=LETTER_KINDS)
    method = forms.ChoiceField(label=gettext_lazy("送达方式"), choices=Delivery.choices)
    delivered_on = _date_field(gettext_lazy("送达日期"))
    reference = forms.CharField(label=gettext_lazy("邮件号/说明"), max_length=100, required=False)


class ReviewForm(VersionForm):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=ReviewKind.choices)
    filed_on = _date_field(gettext_lazy("提起日期"))
    body = forms.CharField(label=gettext_lazy("复议机关/法院"), max_length=150, required=False)
    note = _text(gettext_lazy("说明"), rows=2, required=False)


class DecideReviewForm(VersionForm):
    review = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=gettext_lazy("结果"),
        choices=[(r.value, r.label) for r in ReviewResult if r != ReviewResult.PENDING],
    )
    decided_on = _date_field(gettext_lazy("审结日期"))
    note = _text(gettext_lazy("说明"), rows=2, required=False)


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


def _reviewer(user: User) -> bool:
    return user.has_role(Role.REVIEWER)


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


def _forms(
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


def _case_context(user: User, application: Application) -> dict[str, Any]:
    today = clock.today()
    try:
        result = services.compute_clock(application, today)
        clock_lines = result.explain().splitlines()
        clock_error = ""
    except workdays.CalendarUnknownError as exc:
        result, clock_lines, clock_error = None, [], str(exc)
    events = list(timeline(application).order_by("at", "id")[:300])
    for event in events:
        event.text = event.label  # type: ignore[attr-defined]
    return {
        "nav": "requests",
        "app": application,
        "applicant": queries.applicant_view(user, application),
        "clock": result,
        "clock_lines": clock_lines,
        "clock_error": clock_error,
        "due_state": queries.due_state(application, today, queries.near_limit(today)),
        "on_time": services.is_on_time(application),
        "pauses": application.pauses.all(),
        "letters": letter_services.case_letters(application),
        "extension": Extension.objects.filter(application=application).select_related("approved_by").first(),
        "assignments": application.assignments.select_related("department", "answered_by", "assigned_by"),
        "reviews": application.reviews.all(),
        "deliveries": [
            (d, str(LETTER_LABELS.get(d.letter_kind, d.letter_kind))) for d in application.deliveries.all()
        ],
        "transitions": application.transitions.select_related("actor"),
        "events": events,
        "today": today,
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    application = queries.get_application_for_staff(user, pk)
    context = _case_context(user, application)
    context["moves"] = _forms(user, application, None)
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
    user = _user(request)
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
    application = queries.get_application_for_staff(user, pk)
    context = _case_context(user, application)
    context["moves"] = _forms(user, application, (name, form))
    if not any(m["name"] == name for m in context["moves"]):
        # The move is no longer possible (someone else moved the case): still show what was typed.
        context["moves"].insert(0, {"name": name, "move": move, "form": form, "open": True, "subject": None})
    return render(request, "inforequests/staff/case.html", context, status=status)


# The queue --------------------------------------------------------------------------------------


def _year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 2008 <= year <= 2100 else None


# The year's on-time rate in the queue header is shared by everyone who sees all cases; a few
# minutes' delay is fine for a header figure and saves a year-long scan per page view.
ON_TIME_CACHE_SECONDS = 300


def _on_time_this_year(today: dt.date) -> dict[str, Any]:
    """Replies to disclosure requests only; correction decisions (Art. 41) are counted apart (stats)."""
    replied = Application.objects.filter(
        request_kind=RequestKind.DISCLOSURE,
        replied_on__gte=dt.date(today.year, 1, 1),
        replied_on__lte=today,
    )
    figures = replied.aggregate(
        replied=Count("id"), on_time=Count("id", filter=Q(replied_on__lte=queries.effective_due()))
    )
    figures["rate"] = figures["on_time"] / figures["replied"] if figures["replied"] else None
    return figures


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = clock.today()
    near = queries.near_limit(today)
    base = queries.staff_applications(user)
    state = request.GET.get("state") or "open"
    status = request.GET.get("status") or ""
    department = request.GET.get("department") or ""
    year = _year(request.GET.get("year"))
    qs = base
    if state == "open":
        qs = queries.open_applications(qs)
    elif state == "closed":
        qs = qs.filter(status=Status.CLOSED)
    elif state == "overdue":
        qs = queries.with_effective_due(queries.open_applications(qs)).filter(queries.overdue_q(today))
    elif state == "near":
        qs = queries.with_effective_due(queries.open_applications(qs)).filter(queries.near_q(today, near))
    else:
        state = "all"
    if status in Status.values:
        qs = qs.filter(status=status)
    if department.isdigit():
        qs = qs.filter(
            Exists(Assignment.objects.filter(application=OuterRef("pk"), department_id=int(department)))
        )
    if year:
        qs = qs.filter(received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31))
    qs = queries.with_effective_due(qs)
    qs = qs.order_by("-replied_on", "-id") if state == "closed" else qs.order_by(F("eff_due").asc(), "id")
    page = Paginator(qs.prefetch_related("assignments__department"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(a, queries.due_state(a, today, near)) for a in page.object_list]
    open_qs = queries.with_effective_due(queries.open_applications(base))
    counts = open_qs.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=queries.overdue_q(today)),
        near=Count("id", filter=queries.near_q(today, near)),
    )
    on_time: dict[str, Any] = {}
    if queries.sees_all(user):
        on_time = (
            cache.get_or_set(
                services.on_time_cache_key(today), lambda: _on_time_this_year(today), ON_TIME_CACHE_SECONDS
            )
            or {}
        )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "inforequests/staff/queue.html",
        {
            "nav": "requests",
            "page": page,
            "rows": rows,
            "counts": counts,
            "on_time": on_time,
            "year_now": today.year,
            "state": state,
            "status": status,
            "statuses": Status.choices,
            "department": department,
            "departments": Department.objects.filter(is_active=True).exclude(kind=DepartmentKind.AGENCY),
            "year": year or "",
            "years": range(today.year, 2007, -1),
            "query_base": params.urlencode(),
            "is_reviewer": _reviewer(user),
            "sees_all": queries.sees_all(user),
            "today": today,
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _reviewer(user):
        messages.error(request, _("只有公开办可以登记申请。"))
        return redirect("workbench:inforequests_staff:queue")
    form = RegistrationForm(request.POST or None, initial={"received_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("channel", "received_on")}
        try:
            application, code = services.do_submit_application(
                data,
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                actor=user,
            )
        except services.RequestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("已登记，受理编号 %(n)s，查询码 %(c)s（只显示这一次，请告知申请人）。")
                % {"n": application.tracking_number, "c": code},
            )
            return redirect("workbench:inforequests_staff:case", pk=application.pk)
    return render(
        request,
        "inforequests/staff/register.html",
        {"nav": "requests", "form": form, "receipt_rule": RECEIPT_RULE},
    )


# Statistics and Art. 44 -------------------------------------------------------------------------


def _date_param(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return default


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not queries.sees_all(user):
        messages.error(request, _("只有公开办和领导可以查看统计。"))
        return redirect("workbench:inforequests_staff:queue")
    today = clock.today()
    start = _date_param(request.GET.get("from"), dt.date(today.year, 1, 1))
    end = _date_param(request.GET.get("to"), dt.date(today.year, 12, 31))
    if end < start:
        start, end = end, start
    table3 = stats.table_3(start, end)
    table4 = stats.table_4(start, end)
    results = [*ReviewResult.choices, ("total", _("总计"))]
    return render(
        request,
        "inforequests/staff/stats.html",
        {
            "nav": "requests",
            "start": start,
            "end": end,
            "rows3": [
                {**r, "cells": [r["values"][c] for c in stats.COLUMNS]} for r in stats.table_3_layout(table3)
            ],
            "outcome_rows": len(stats.OUTCOME_ROWS) + 1,
            "broken": stats.check_table_3(table3),
            "table4": [
                (kind, label, [table4[kind][r] for r, _label in results])
                for kind, label in ReviewKind.choices
            ],
            "results": results,
            "times": stats.processing_times(start, end),
            "corrections": _corrections_rows(stats.corrections(start, end)),
            "correction_times": stats.processing_times(start, end, RequestKind.CORRECTION),
            "is_reviewer": _reviewer(user),
        },
    )


def _corrections_rows(figures: dict[str, int]) -> list[tuple[Any, int]]:
    """The Art. 41 figures in words, in the order of the small table under table 三."""
    return [
        (gettext_lazy("收到更正申请"), figures["received"]),
        *((label, figures[value]) for value, label in CorrectionOutcome.choices),
        (gettext_lazy("作出决定合计"), figures["decided"]),
    ]


_PUNCTUATION = re.compile(r"[\s《》〈〉“”\"'‘’、，,。.；;：:（）()【】\[\]—\-_]+")


def normalise_title(title: str) -> str:
    return _PUNCTUATION.sub("", title).lower()


def proactive_candidates(qs: Any) -> list[dict[str, Any]]:
    """Information granted to two or more applicants, by normalised title or document number (Art. 44)."""
    groups: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    rows = qs.filter(outcome__in=[Outcome.GRANTED, Outcome.PARTIAL]).values_list(
        "id", "tracking_number", "information_title", "information_doc_number", "applicant_kind", "id_number",
        "replied_on",
    )  # fmt: skip
    for row in rows:
        groups[("title", normalise_title(row[2]))].append(row)
        if row[3].strip():
            groups[("doc", normalise_title(row[3]))].append(row)
    found = []
    for (by, _key), members in groups.items():
        # Applicants counted by identity, never shown (personal data).
        applicants = {(m[4], m[5].strip().upper()) for m in members}
        if len(applicants) < 2:
            continue
        found.append(
            {
                "by": by,
                "title": members[0][2],
                "doc_number": members[0][3],
                "applicants": len(applicants),
                "applications": [(m[0], m[1]) for m in members],
                "last_reply": max((m[6] for m in members if m[6]), default=None),
            }
        )
    found.sort(key=lambda g: (-g["applicants"], g["title"]))
    return found


@login_required
def proactive(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not queries.sees_all(user):
        messages.error(request, _("只有公开办和领导可以查看。"))
        return redirect("workbench:inforequests_staff:queue")
    year = _year(request.GET.get("year"))
    qs = queries.staff_applications(user)
    if year:
        qs = qs.filter(received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31))
    suggested = qs.filter(suggests_proactive=True).order_by("-received_on")[:200]
    return render(
        request,
        "inforequests/staff/proactive.html",
        {
            "nav": "requests",
            "groups": proactive_candidates(qs),
            "suggested": suggested,
            "year": year or "",
            "years": range(clock.today().year, 2007, -1),
            "is_reviewer": _reviewer(user),
        },
    )
