"""Public pages of 互动交流: ask a question, follow and rate it with the query code, the answered
list, online events (with questions held until approved) and disclosed proposal summaries. No login:
the number and query code are the key; the code is never put in an address."""

from __future__ import annotations

import logging
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gongkai.core import acts, clock, ratelimit
from gongkai.core.pagecache import public_page
from gongkai.engagement import queries, services
from gongkai.engagement.choices import (
    REPLIED_STATUSES,
    EventKind,
    EventStatus,
    InquiryStatus,
    ProposalKind,
    Topic,
)
from gongkai.engagement.forms import EventQuestionForm, FollowForm, InquiryForm, RatingForm
from gongkai.engagement.models import Inquiry

logger = logging.getLogger(__name__)

RECEIPT_SESSION_KEY = "engagement_receipt"
PER_PAGE = 20

# Where an inquiry is, in words for the asker.
STAGE_TEXT: dict[str, Any] = {
    InquiryStatus.HELD: gettext_lazy("已收到，正在核查"),
    InquiryStatus.SUBMITTED: gettext_lazy("已收到，正在分办"),
    InquiryStatus.ROUTED: gettext_lazy("承办部门正在办理"),
    InquiryStatus.ANSWERED: gettext_lazy("答复正在审核"),
    InquiryStatus.PUBLISHED: gettext_lazy("已答复，并在网站公开"),
    InquiryStatus.REPLIED: gettext_lazy("已答复"),
    InquiryStatus.REJECTED: gettext_lazy("不予受理"),
}


def _query(**params: str) -> str:
    """The filters of a list page for its pager links (each value encoded), ending in "&"."""
    kept = {k: v for k, v in params.items() if v}
    return f"{urlencode(kept)}&" if kept else ""


def _stage(inquiry: Inquiry) -> str:
    return str(STAGE_TEXT.get(inquiry.status) or inquiry.get_status_display())


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "engagement/public/index.html",
        {
            "nav": "interact",
            "answers": queries.public_inquiries()[:8],
            "events": queries.public_events().order_by("-starts_at")[:5],
            "proposals": queries.public_proposals()[:5],
            "workdays": services.answer_workdays(),
        },
    )


# -- ask -------------------------------------------------------------------------------------------


def _ask_page(
    request: HttpRequest, form: InquiryForm, *, blocked: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "engagement/public/ask.html",
        {"nav": "interact", "form": form, "blocked": blocked, "workdays": services.answer_workdays()},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _ask_page(request, InquiryForm())
    form = InquiryForm(request.POST)
    # Taken before the work (parallel posts cannot overshoot), given back unless one was accepted.
    if not ratelimit.take(request, "inquiry"):
        form.is_valid()
        message = _("提交过于频繁，请 %(n)d 分钟后再提交。您填写的内容都还在下面，不会丢失。") % {
            "n": ratelimit.window_minutes("inquiry")
        }
        return _ask_page(request, form, blocked=message, status=429)
    if not form.is_valid():
        ratelimit.give_back(request, "inquiry")
        return _ask_page(request, form, status=400)
    try:
        inquiry, code = services.do_submit_inquiry(
            form.cleaned_data, now=clock.now(), idempotency_key=f"web:{form.cleaned_data['token']}"
        )
    except acts.ActError as exc:
        ratelimit.give_back(request, "inquiry")
        form.add_error(None, str(exc))
        return _ask_page(request, form, status=400)
    if code is None:  # a second click finds the first inquiry and counts nothing
        ratelimit.give_back(request, "inquiry")
    receipt = request.session.get(RECEIPT_SESSION_KEY) or {}
    if code is not None or receipt.get("number") != inquiry.number:
        request.session[RECEIPT_SESSION_KEY] = {"number": inquiry.number, "code": code}
    logger.info("engagement: inquiry %s received (%s)", inquiry.number, inquiry.status)
    return redirect("engagement:done")


def form_after_csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """The ask form or an event's question form back with what was typed, after a failed CSRF check
    (portal/errors.csrf_failure asks); None for any other form. The ask form's own token is kept, so
    sending it again still makes one inquiry."""
    if request.method != "POST":
        return None
    if request.path == reverse("engagement:ask"):
        why = _(
            "您的留言还没有提交：浏览器没有带上本网站的安全验证（可能是页面打开太久、浏览器禁用了 Cookie，"
            "或用“后退”回到了旧页面）。您填写的内容都还在下面，请核对后再点一次提交。"
        )
        return _ask_page(request, InquiryForm(request.POST), blocked=why, status=403)
    try:
        match = resolve(request.path)
    except Resolver404:
        return None
    if match.view_name == "engagement:event_ask":
        pk = match.kwargs["pk"]
        if not services.event_accepts_questions(queries.get_public_event(pk), clock.now()):
            return None
        why = _(
            "您的问题还没有提交：浏览器没有带上本网站的安全验证（可能是页面打开太久或浏览器禁用了 Cookie）。"
            "您填写的内容都还在下面，请再点一次提交。"
        )
        return _event_page(request, pk, EventQuestionForm(request.POST), blocked=why, status=403)
    return None


@never_cache
@require_safe
def done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt:
        return redirect("engagement:ask")
    inquiry = Inquiry.objects.filter(number=receipt.get("number")).first()
    if inquiry is None:
        return redirect("engagement:ask")
    return render(
        request,
        "engagement/public/done.html",
        {"nav": "interact", "inquiry": inquiry, "code": receipt.get("code"), "stage": _stage(inquiry)},
    )


# -- follow and rate -------------------------------------------------------------------------------


def _follow_page(
    request: HttpRequest,
    form: FollowForm,
    *,
    inquiry: Inquiry | None = None,
    rating_form: RatingForm | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"nav": "interact", "form": form, "inquiry": inquiry, "message": message}
    if inquiry is not None:
        context["stage"] = _stage(inquiry)
        context["replied"] = inquiry.status in REPLIED_STATUSES
        context["may_rate"] = context["replied"] and not inquiry.rating
        if context["may_rate"] and rating_form is None:
            rating_form = RatingForm(
                initial={"number": inquiry.number, "code": form.cleaned_data.get("code", "")}
                if form.is_bound and form.is_valid()
                else {"number": inquiry.number}
            )
        context["rating_form"] = rating_form
    return render(request, "engagement/public/follow.html", context, status=status)


def _find(request: HttpRequest, number: str, code: str) -> Inquiry | None:
    """The inquiry, after `_take_code_attempt`: a wrong number or code keeps the attempt counted,
    a right one gives it back."""
    inquiry = Inquiry.objects.select_related("department").filter(number=number).first()
    if inquiry is None or not services.check_query_code(inquiry, code):
        return None
    ratelimit.give_back(request, "inquiry_code")
    return inquiry


def _take_code_attempt(request: HttpRequest, form: FollowForm) -> bool:
    """Take one query-code attempt before checking (parallel guesses cannot overshoot); an invalid
    form gives it back at once. False when the limit is used up."""
    if not ratelimit.take(request, "inquiry_code"):
        return False
    if not form.is_valid():
        ratelimit.give_back(request, "inquiry_code")
    return True


def _too_many(request: HttpRequest) -> str:
    return _("查询过于频繁，请 %(n)d 分钟后再试。") % {"n": ratelimit.window_minutes("inquiry_code")}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _follow_page(request, FollowForm(initial={"number": request.GET.get("number", "")[:20]}))
    form = FollowForm(request.POST)
    if not _take_code_attempt(request, form):
        form.is_valid()
        return _follow_page(request, form, message=_too_many(request), status=429)
    if not form.is_valid():
        return _follow_page(request, form, status=400)
    inquiry = _find(request, form.cleaned_data["number"], form.cleaned_data["code"])
    if inquiry is None:
        form.add_error(None, _("编号或查询码不正确，请核对后再试。"))
        return _follow_page(request, form, status=400)
    return _follow_page(request, form, inquiry=inquiry)


@never_cache
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    rating_form = RatingForm(request.POST)
    follow_form = FollowForm(request.POST)
    if not _take_code_attempt(request, follow_form):
        follow_form.is_valid()
        return _follow_page(request, follow_form, message=_too_many(request), status=429)
    if not follow_form.is_valid():
        return _follow_page(request, follow_form, status=400)
    inquiry = _find(request, follow_form.cleaned_data["number"], follow_form.cleaned_data["code"])
    if inquiry is None:
        follow_form.add_error(None, _("编号或查询码不正确，请核对后再试。"))
        return _follow_page(request, follow_form, status=400)
    if not rating_form.is_valid():
        return _follow_page(request, follow_form, inquiry=inquiry, rating_form=rating_form, status=400)
    try:
        inquiry = services.do_rate_inquiry(
            inquiry,
            follow_form.cleaned_data["code"],
            rating_form.cleaned_data["rating"],
            rating_form.cleaned_data.get("comment", ""),
            now=clock.now(),
        )
    except acts.ActError as exc:
        rating_form.add_error(None, str(exc))
        return _follow_page(request, follow_form, inquiry=inquiry, rating_form=rating_form, status=400)
    return _follow_page(request, follow_form, inquiry=inquiry, message=_("感谢您的评价。"))


# -- the answered list -----------------------------------------------------------------------------


@require_safe
@public_page
def answers(request: HttpRequest) -> HttpResponse:
    inquiries = queries.public_inquiries()
    topic = request.GET.get("topic") or ""
    q = (request.GET.get("q") or "").strip()[:50]
    if topic in Topic.values:
        inquiries = inquiries.filter(topic=topic)
    else:
        topic = ""
    if q:
        inquiries = inquiries.filter(
            Q(title__icontains=q) | Q(public_question__icontains=q) | Q(public_answer__icontains=q)
        )
    page = Paginator(inquiries, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/public/answers.html",
        {
            "nav": "interact",
            "page": page,
            "topics": Topic.choices,
            "topic": topic,
            "q": q,
            "query": _query(q=q, topic=topic),
        },
    )


@require_safe
@public_page
def answer(request: HttpRequest, number: str) -> HttpResponse:
    inquiry = queries.get_public_inquiry(number)
    return render(request, "engagement/public/answer.html", {"nav": "interact", "inquiry": inquiry})


# -- online events ---------------------------------------------------------------------------------


@require_safe
@public_page
def events(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    items = queries.public_events()
    kind = request.GET.get("kind") or ""
    if kind in EventKind.values:
        items = items.filter(kind=kind)
    else:
        kind = ""
    upcoming = items.filter(status=EventStatus.ANNOUNCED).order_by("starts_at")
    archive = Paginator(items.filter(status=EventStatus.ARCHIVED).order_by("-starts_at"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "engagement/public/events.html",
        {
            "nav": "interact",
            "upcoming": upcoming,
            "archive": archive,
            "kinds": EventKind.choices,
            "kind": kind,
            "now": now,
            "query": _query(kind=kind),
        },
    )


def _event_page(
    request: HttpRequest,
    pk: int,
    form: EventQuestionForm | None = None,
    *,
    notice: str = "",
    blocked: str = "",
    status: int = 200,
) -> HttpResponse:
    event = queries.get_public_event(pk)
    now = clock.now()
    open_ = services.event_accepts_questions(event, now)
    return render(
        request,
        "engagement/public/event.html",
        {
            "nav": "interact",
            "event": event,
            "questions": queries.public_questions(event),
            "open": open_,
            "live": open_ and event.starts_at <= now,
            "form": form or (EventQuestionForm() if open_ else None),
            "notice": notice,
            "blocked": blocked,
        },
        status=status,
    )


@require_safe
@public_page
def event(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, pk)


@never_cache
@require_POST
def event_ask(request: HttpRequest, pk: int) -> HttpResponse:
    event = queries.get_public_event(pk)
    form = EventQuestionForm(request.POST)
    # Taken before the work (parallel posts cannot overshoot), given back unless one was accepted.
    if not ratelimit.take(request, "event_question"):
        form.is_valid()
        message = _("提问过于频繁，请 %(n)d 分钟后再试。您填写的内容还在。") % {
            "n": ratelimit.window_minutes("event_question")
        }
        return _event_page(request, pk, form, notice=message, status=429)
    if not form.is_valid():
        ratelimit.give_back(request, "event_question")
        return _event_page(request, pk, form, status=400)
    try:
        services.do_ask_question(
            event, form.cleaned_data["nickname"], form.cleaned_data["text"], now=clock.now()
        )
    except acts.ActError as exc:
        ratelimit.give_back(request, "event_question")
        form.add_error(None, str(exc))
        return _event_page(request, pk, form, status=400)
    return _event_page(
        request,
        pk,
        EventQuestionForm(initial={"nickname": form.cleaned_data["nickname"]}),
        notice=_("提问已收到，经审核后显示。"),
    )


# -- proposals -------------------------------------------------------------------------------------


@require_safe
@public_page
def proposals(request: HttpRequest) -> HttpResponse:
    items = queries.public_proposals()
    kind = request.GET.get("kind") or ""
    if kind in ProposalKind.values:
        items = items.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/public/proposals.html",
        {
            "nav": "interact",
            "page": page,
            "kinds": ProposalKind.choices,
            "kind": kind,
            "query": _query(kind=kind),
        },
    )


@require_safe
@public_page
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_public_proposal(pk)
    return render(request, "engagement/public/proposal.html", {"nav": "interact", "proposal": item})
