"""Workbench pages of 互动交流: the inquiry queue with its flags, an inquiry's moves (routing,
answering, publishing), online events with live moderation, proposals, and the statistics page.
Views show only the moves the kernel allows; the services refuse any other."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.models import Department, User
from gongkai.core import acts, audit, charts, clock, drafts, params
from gongkai.core.drafts import editor_login_required, editor_login_required_for
from gongkai.core.figures import Period, PeriodError
from gongkai.engagement import checks, queries, services, stats
from gongkai.engagement.choices import (
    UNANSWERED,
    EventKind,
    FindingKind,
    InquiryStatus,
    ProposalKind,
    ProposalStatus,
    QuestionStatus,
)
from gongkai.engagement.models import EventQuestion, Inquiry, OnlineEvent, Proposal
from gongkai.engagement.workflows import EVENT, INQUIRY, PROPOSAL, QUESTION

PER_PAGE = 50
FLAGS = {
    "held": gettext_lazy("待核查"),
    "unanswered": gettext_lazy("未答复"),
    "overdue": gettext_lazy("已超期"),
    "three_months": gettext_lazy("超过三个月未答复"),
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _version(request: HttpRequest) -> int | None:
    return params.version_param(request.POST.get("version", ""))


def _period(request: HttpRequest, today: dt.date) -> tuple[Period, str]:
    start, end = request.GET.get("start", ""), request.GET.get("end", "")
    if not start and not end:
        return Period.year(today.year), ""
    try:
        return Period.parse(start, end), ""
    except PeriodError as exc:
        return Period.year(today.year), str(exc)


def _status_code(exc: acts.ActError) -> int:
    if isinstance(exc, acts.ConflictError):
        return 409
    if isinstance(exc, acts.PermissionDeniedError):
        return 403
    return 400


# -- inquiries -------------------------------------------------------------------------------------


def flag_filter(inquiries: QuerySet[Inquiry], flag: str, today: dt.date) -> QuerySet[Inquiry]:
    if flag == "held":
        return inquiries.filter(status=InquiryStatus.HELD)
    if flag == "unanswered":
        return inquiries.filter(status__in=UNANSWERED)
    if flag == "overdue":
        return inquiries.filter(status__in=UNANSWERED, due_on__lt=today)
    if flag == "three_months":
        return inquiries.filter(status__in=UNANSWERED, received_on__lte=services.months_before(today, 3))
    return inquiries


@login_required
def inquiries(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = clock.today()
    items = queries.inquiries_for_staff(user)
    counts = {flag: flag_filter(items, flag, today).count() for flag in FLAGS}
    flag = request.GET.get("flag") or ""
    figure = request.GET.get("figure") or ""
    period_error = ""
    title = ""
    if figure in stats.INQUIRY_LISTS:
        period, period_error = _period(request, today)
        items = (
            stats.INQUIRY_LISTS[figure](period).filter(pk__in=items.values("pk")).select_related("department")
        )
        title = f"{figure} · {period}"
    elif flag in FLAGS:
        items = flag_filter(items, flag, today)
    else:
        flag = ""
    status = request.GET.get("status") or ""
    if status in InquiryStatus.values:
        items = items.filter(status=status)
    q = (request.GET.get("q") or "").strip()[:50]
    if q:
        items = items.filter(Q(number__icontains=q) | Q(title__icontains=q))
    order = ("due_on", "id") if flag in ("unanswered", "overdue", "three_months") else ("-received_on", "-id")
    page = Paginator(items.order_by(*order), PER_PAGE).get_page(request.GET.get("page"))
    three_months_before = services.months_before(today, 3)
    rows = [
        {
            "inquiry": i,
            "overdue": i.status in UNANSWERED and i.due_on < today,
            "three_months": i.status in UNANSWERED and i.received_on <= three_months_before,
        }
        for i in page
    ]
    query = urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page"])
    return render(
        request,
        "engagement/staff/inquiries.html",
        {
            "nav": "engagement",
            "page": page,
            "rows": rows,
            "flags": [(k, v, counts[k]) for k, v in FLAGS.items()],
            "flag": flag,
            "status": status,
            "statuses": InquiryStatus.choices,
            "q": q,
            "figure_title": title,
            "period_error": period_error,
            "query": f"{query}&" if query else "",
            "today": today,
        },
    )


def _inquiry_page(
    request: HttpRequest,
    inquiry: Inquiry,
    *,
    error: str = "",
    values: dict[str, Any] | None = None,
    status: int = 200,
    restored: dict[str, Any] | None = None,
) -> HttpResponse:
    user = _user(request)
    today = clock.today()
    findings = inquiry.findings or []
    labels = dict(FindingKind.choices)
    asker = queries.asker_view(user, inquiry, refused=status == 403)
    if not asker["masked"]:
        audit.log_personal_data_view(user, inquiry, view="inquiry")
    return render(
        request,
        "engagement/staff/inquiry.html",
        {
            "nav": "engagement",
            "inquiry": inquiry,
            "moves": INQUIRY.allowed_moves(user, inquiry),
            "asker": asker,
            "title_marked": checks.highlighted(inquiry.title, findings, "title"),
            "question_marked": checks.highlighted(inquiry.question, findings, "question"),
            "findings": [
                {**f, "label": labels.get(f["kind"], f["kind"]), "start1": int(f["start"]) + 1}
                for f in findings
            ],
            "transitions": inquiry.transitions.select_related("actor"),
            "departments": Department.objects.filter(is_active=True).order_by("position", "name"),
            "overdue": inquiry.unanswered and inquiry.due_on < today,
            "three_months": services.unanswered_three_months(inquiry, today),
            "error": error,
            "v": values or {},
            "public_question": (values or {}).get(
                "public_question", inquiry.public_question or inquiry.question
            ),
            "public_answer": (values or {}).get("public_answer", inquiry.public_answer or inquiry.answer),
            "form_version": (restored or {}).get("version", ""),
            **drafts.context(user, restored),
        },
        status=status,
    )


@login_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = queries.get_inquiry_for_staff(_user(request), pk)
    # An answer typed when the session ended, with the version it was typed against.
    restored = drafts.take_on_get(request)
    return _inquiry_page(request, inquiry, values=restored, restored=restored)


def _inquiry_path(request: HttpRequest, pk: int, move: str) -> str:
    return reverse("workbench:engagement_staff:inquiry", args=[pk])


@editor_login_required_for(_inquiry_path)
@require_POST
def inquiry_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    user = _user(request)
    inquiry = queries.get_inquiry_for_staff(user, pk)
    post = request.POST
    version = _version(request)
    now = clock.now()
    reason = post.get("reason", "")
    try:
        if move == "release":
            services.do_release_inquiry(inquiry, actor=user, version=version, reason=reason, now=now)
        elif move == "reject":
            services.do_reject_inquiry(inquiry, actor=user, version=version, reason=reason, now=now)
        elif move == "route":
            department = Department.from_param(post.get("department"))
            services.do_route_inquiry(
                inquiry, department, actor=user, version=version, reason=reason, now=now
            )
        elif move == "send_back":
            services.do_send_back_inquiry(inquiry, actor=user, version=version, reason=reason, now=now)
        elif move == "answer":
            services.do_answer_inquiry(inquiry, post.get("answer", ""), actor=user, version=version, now=now)
        elif move == "return_answer":
            services.do_return_answer(inquiry, actor=user, version=version, reason=reason, now=now)
        elif move == "publish":
            services.do_publish_inquiry(
                inquiry,
                public_question=post.get("public_question", ""),
                public_answer=post.get("public_answer", ""),
                actor=user,
                version=version,
                now=now,
            )
        elif move == "reply":
            services.do_reply_inquiry(inquiry, actor=user, version=version, now=now)
        elif move == "unpublish":
            services.do_unpublish_inquiry(inquiry, actor=user, version=version, reason=reason, now=now)
        else:
            raise Http404
    except acts.ActError as exc:
        inquiry.refresh_from_db()
        return _inquiry_page(request, inquiry, error=str(exc), values=post.dict(), status=_status_code(exc))
    messages.success(request, _("已完成：%(move)s。") % {"move": INQUIRY.move(move).label})
    if not queries.inquiries_for_staff(user).filter(pk=pk).exists():
        return redirect("workbench:engagement_staff:inquiries")
    return redirect("workbench:engagement_staff:inquiry", pk)


# -- statistics ------------------------------------------------------------------------------------


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    period, error = _period(request, today)
    figures = stats.figures(period)
    by_code = {f.code: f for f in figures}

    def value(code: str) -> int:
        v = by_code[code].value
        return int(v) if v is not None else 0

    inquiry_codes = [
        "engagement.inquiries.received",
        "engagement.inquiries.answered",
        "engagement.inquiries.answered_on_time",
        "engagement.inquiries.overdue",
        "engagement.inquiries.public",
    ]
    rating_codes = [f"engagement.inquiries.rating.{r}" for r in ("satisfied", "basically", "unsatisfied")]
    kind_codes = [f"engagement.events.kind.{k.value}" for k in EventKind]
    proposal_codes = [
        "engagement.proposals.npc",
        "engagement.proposals.cppcc",
        "engagement.proposals.replied",
        "engagement.proposals.disclosed",
    ]
    months = monthly(period)
    chart_list = [
        charts.chart_block(
            "bar",
            _("咨询留言办理"),
            [by_code[c].label for c in inquiry_codes],
            {_("件数"): [value(c) for c in inquiry_codes]},
        ),
        charts.chart_block(
            "bar",
            _("满意度评价"),
            [by_code[c].label for c in rating_codes],
            {_("件数"): [value(c) for c in rating_codes]},
        ),
        charts.chart_block(
            "bar",
            _("在线访谈、直播与发布"),
            [by_code[c].label for c in kind_codes],
            {_("场次"): [value(c) for c in kind_codes]},
        ),
        charts.chart_block(
            "bar",
            _("建议提案"),
            [by_code[c].label for c in proposal_codes],
            {_("件数"): [value(c) for c in proposal_codes]},
        ),
    ]
    if months is not None:
        chart_list.insert(1, charts.chart_block("line", _("每月收到与答复"), months[0], months[1]))
    return render(
        request,
        "engagement/staff/stats.html",
        {
            "nav": "engagement",
            "period": period,
            "error": error,
            "figures": figures,
            "charts": chart_list,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
    )


def monthly(period: Period) -> tuple[list[str], dict[str, list[int | None]]] | None:
    """Received and answered per month of the period (None for a period within one month)."""
    months: list[tuple[int, int]] = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if len(months) < 2 or len(months) > 36:
        return None
    received = {m: 0 for m in months}
    for day in stats.received(period).values_list("received_on", flat=True):
        received[(day.year, day.month)] += 1
    answered = {m: 0 for m in months}
    for replied in stats.answered(period).values_list("replied_on", flat=True):
        if replied is not None:
            answered[(replied.year, replied.month)] += 1
    labels = [f"{y}-{m:02d}" for y, m in months]
    return labels, {
        _("收到"): [received[m] for m in months],
        _("答复"): [answered[m] for m in months],
    }


# -- online events ---------------------------------------------------------------------------------


@login_required
def events(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    items = queries.events_for_staff(user)
    figure = request.GET.get("figure") or ""
    if figure in stats.EVENT_LISTS:
        period, _error = _period(request, clock.today())
        items = (
            stats.EVENT_LISTS[figure](period).filter(pk__in=items.values("pk")).select_related("department")
        )
    kind = request.GET.get("kind") or ""
    if kind in EventKind.values:
        items = items.filter(kind=kind)
    page = Paginator(items.order_by("-starts_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    pending = {
        row["event_id"]: row["n"]
        for row in EventQuestion.objects.filter(
            event_id__in=[e.pk for e in page], status__in=[QuestionStatus.PENDING, QuestionStatus.HELD]
        )
        .values("event_id")
        .annotate(n=Count("id"))
    }
    return render(
        request,
        "engagement/staff/events.html",
        {
            "nav": "engagement",
            "page": page,
            "pending": pending,
            "kinds": EventKind.choices,
            "kind": kind,
            "may_create": EVENT.who_refusal(
                user, OnlineEvent(department_id=user.department_id or 0), EVENT.move("create")
            )
            is None,
        },
    )


def _parse_datetime(value: str) -> dt.datetime | None:
    value = (value or "").strip().replace("T", " ")
    try:
        parsed = dt.datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return timezone.make_aware(parsed)


def _event_data(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    department = Department.from_param(post.get("department"))
    return {
        "kind": post.get("kind", ""),
        "title": post.get("title", ""),
        "summary": post.get("summary", ""),
        "starts_at": _parse_datetime(post.get("starts_at", "")),
        "ends_at": _parse_datetime(post.get("ends_at", "")),
        "guests": post.get("guests", ""),
        "department": department,
        "video_url": post.get("video_url", ""),
        "archive_text": post.get("archive_text", ""),
    }


def _event_values(event: OnlineEvent) -> dict[str, Any]:
    local = timezone.localtime
    return {
        "kind": event.kind,
        "title": event.title,
        "summary": event.summary,
        "starts_at": local(event.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": local(event.ends_at).strftime("%Y-%m-%d %H:%M"),
        "guests": event.guests,
        "department": str(event.department_id),
        "video_url": event.video_url,
        "archive_text": event.archive_text,
    }


def _event_form(
    request: HttpRequest,
    event: OnlineEvent | None,
    values: dict[str, Any],
    error: str = "",
    status: int = 200,
    restored: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "engagement/staff/event_form.html",
        {
            "nav": "engagement",
            "event": event,
            "v": values,
            "error": error,
            "kinds": EventKind.choices,
            "departments": Department.objects.filter(is_active=True).order_by("position", "name"),
            **drafts.context(_user(request), restored),
        },
        status=status,
    )


@editor_login_required
def event_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method != "POST":
        restored = drafts.take_on_get(request)
        values = restored or {"department": str(user.department_id or "")}
        return _event_form(request, None, values, restored=restored)
    try:
        event = services.do_create_event(_event_data(request), actor=user, now=clock.now())
    except acts.ActError as exc:
        return _event_form(request, None, request.POST.dict(), str(exc), status=_status_code(exc))
    messages.success(request, _("活动已保存为草稿。"))
    return redirect("workbench:engagement_staff:event", event.pk)


@editor_login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    event = queries.get_event_for_staff(user, pk)
    if request.method != "POST":
        # What was typed when the session ended, with the version it was typed against.
        restored = drafts.take_on_get(request)
        values = restored or {**_event_values(event), "version": event.version}
        return _event_form(request, event, values, restored=restored)
    try:
        services.do_update_event(
            event, _event_data(request), actor=user, version=_version(request), now=clock.now()
        )
    except acts.ActError as exc:
        event.refresh_from_db()
        return _event_form(request, event, request.POST.dict(), str(exc), status=_status_code(exc))
    messages.success(request, _("活动已保存。"))
    return redirect("workbench:engagement_staff:event", pk)


def _event_page(
    request: HttpRequest, event: OnlineEvent, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = _user(request)
    questions = list(event.questions.order_by("status", "asked_at", "id"))
    labels = dict(FindingKind.choices)
    rows = [
        {
            "q": q,
            "moves": QUESTION.allowed_moves(user, q),
            "marked": checks.highlighted(q.text, q.findings or [], "text"),
            "kinds": sorted({str(labels.get(f["kind"], f["kind"])) for f in q.findings or []}),
        }
        for q in questions
    ]
    return render(
        request,
        "engagement/staff/event.html",
        {
            "nav": "engagement",
            "event": event,
            "moves": EVENT.allowed_moves(user, event),
            "rows": rows,
            "error": error,
            "transitions": event.transitions.select_related("actor"),
        },
        status=status,
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, queries.get_event_for_staff(_user(request), pk))


@login_required
@require_POST
def event_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    user = _user(request)
    event = queries.get_event_for_staff(user, pk)
    now = clock.now()
    try:
        if move == "announce":
            services.do_announce_event(event, actor=user, version=_version(request), now=now)
        elif move == "archive":
            services.do_archive_event(
                event,
                archive_text=request.POST.get("archive_text", ""),
                actor=user,
                version=_version(request),
                now=now,
            )
        else:
            raise Http404
    except acts.ActError as exc:
        event.refresh_from_db()
        return _event_page(request, event, error=str(exc), status=_status_code(exc))
    messages.success(request, _("已完成：%(move)s。") % {"move": EVENT.move(move).label})
    return redirect("workbench:engagement_staff:event", pk)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    user = _user(request)
    question = queries.get_question_for_staff(user, pk)
    now = clock.now()
    try:
        if move in ("approve", "reject"):
            services.do_moderate_question(
                question,
                move,
                actor=user,
                version=_version(request),
                reason=request.POST.get("reason", ""),
                now=now,
            )
        elif move == "answer":
            services.do_answer_question(
                question,
                request.POST.get("answer", ""),
                request.POST.get("guest", ""),
                actor=user,
                version=_version(request),
                now=now,
            )
        else:
            raise Http404
    except acts.ActError as exc:
        return _event_page(request, question.event, error=str(exc), status=_status_code(exc))
    messages.success(request, _("已完成：%(move)s。") % {"move": QUESTION.move(move).label})
    return redirect(f"{redirect('workbench:engagement_staff:event', question.event_id).url}#q{question.pk}")


# -- proposals -------------------------------------------------------------------------------------


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    items = queries.proposals_for_staff(user)
    figure = request.GET.get("figure") or ""
    if figure in stats.PROPOSAL_LISTS:
        period, _error = _period(request, clock.today())
        items = (
            stats.PROPOSAL_LISTS[figure](period)
            .filter(pk__in=items.values("pk"))
            .select_related("lead_department")
        )
    kind = request.GET.get("kind") or ""
    if kind in ProposalKind.values:
        items = items.filter(kind=kind)
    status = request.GET.get("status") or ""
    if status in ProposalStatus.values:
        items = items.filter(status=status)
    page = Paginator(items.order_by("-year", "kind", "number"), PER_PAGE).get_page(request.GET.get("page"))
    today = clock.today()
    return render(
        request,
        "engagement/staff/proposals.html",
        {
            "nav": "engagement",
            "page": page,
            "today": today,
            "kinds": ProposalKind.choices,
            "kind": kind,
            "statuses": ProposalStatus.choices,
            "status": status,
            "may_register": PROPOSAL.who_refusal(user, Proposal(), PROPOSAL.move("register")) is None,
        },
    )


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _proposal_form(
    request: HttpRequest, values: dict[str, Any], error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "engagement/staff/proposal_form.html",
        {
            "nav": "engagement",
            "v": values,
            "co_selected": [str(x) for x in values.get("co_departments", [])],
            "error": error,
            "kinds": ProposalKind.choices,
            "departments": Department.objects.filter(is_active=True).order_by("position", "name"),
        },
        status=status,
    )


@login_required
def proposal_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method != "POST":
        return _proposal_form(request, {})
    post = request.POST
    ids = [pk for pk in map(params.id_param, post.getlist("co_departments")) if pk is not None]
    data = {
        "kind": post.get("kind", ""),
        "number": post.get("number", ""),
        "title": post.get("title", ""),
        "proposer": post.get("proposer", ""),
        "lead_department": Department.from_param(post.get("lead_department")),
        "co_departments": list(Department.objects.filter(pk__in=ids)),
        "received_on": _date(post.get("received_on", "")),
        "due_on": _date(post.get("due_on", "")),
    }
    try:
        proposal = services.do_register_proposal(data, actor=user, now=clock.now())
    except acts.ActError as exc:
        values = {**post.dict(), "co_departments": ids}
        return _proposal_form(request, values, str(exc), status=_status_code(exc))
    messages.success(request, _("建议提案已登记。"))
    return redirect("workbench:engagement_staff:proposal", proposal.pk)


def _proposal_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    error: str = "",
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "engagement/staff/proposal.html",
        {
            "nav": "engagement",
            "proposal": proposal,
            "moves": PROPOSAL.allowed_moves(user, proposal),
            "transitions": proposal.transitions.select_related("actor"),
            "error": error,
            "v": values or {},
            "today": clock.today(),
        },
        status=status,
    )


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_page(request, queries.get_proposal_for_staff(_user(request), pk))


@login_required
@require_POST
def proposal_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    user = _user(request)
    proposal = queries.get_proposal_for_staff(user, pk)
    post = request.POST
    version = _version(request)
    now = clock.now()
    on = _date(post.get("on", ""))
    try:
        if move in ("reply", "send", "disclose") and on is None:
            raise services.EngagementError(_("请填写日期（YYYY-MM-DD）。"))
        if move == "reply":
            assert on is not None
            services.do_reply_proposal(
                proposal, post.get("reply_text", ""), on=on, actor=user, version=version, now=now
            )
        elif move == "consent":
            services.do_record_consent(
                proposal,
                consent=post.get("consent") == "yes",
                public_summary=post.get("public_summary", ""),
                actor=user,
                version=version,
                now=now,
            )
        elif move == "send":
            assert on is not None
            services.do_send_proposal(proposal, on=on, actor=user, version=version, now=now)
        elif move == "disclose":
            assert on is not None
            services.do_disclose_proposal(proposal, on=on, actor=user, version=version, now=now)
        else:
            raise Http404
    except acts.ActError as exc:
        proposal.refresh_from_db()
        return _proposal_page(request, proposal, error=str(exc), values=post.dict(), status=_status_code(exc))
    messages.success(request, _("已完成：%(move)s。") % {"move": PROPOSAL.move(move).label})
    return redirect("workbench:engagement_staff:proposal", pk)
