"""Public pages of disclosure on request: apply online, the receipt, the status look-up and the
reply letter (docs/inforequests-public.md). No login: the tracking number and query code are the key."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from gongkai.core import clock, ratelimit, workdays
from gongkai.core.masking import mask_id
from gongkai.inforequests import duplicates, letter_services, services
from gongkai.inforequests.choices import ADVERSE_CORRECTIONS, ADVERSE_OUTCOMES, IntakeChannel, Status
from gongkai.inforequests.deadlines import ClockResult
from gongkai.inforequests.forms_public import TRACKING_RE, ApplicationForm, StatusForm
from gongkai.inforequests.models import Application

logger = logging.getLogger(__name__)

RECEIPT_SESSION_KEY = "inforequests_receipt"
# The status answer is shown by POST-redirect-GET. The GET knows the applicant proved the code from a
# signed cookie (not the session, not the address): it names only the tracking numbers proved on
# this browser in the last half hour, is sent only to /apply/status/, cannot be read by scripts, and
# carries no query code, so the code is never in an address, the history or a server log, and Back
# and reload show the answer again without re-sending anything.
VERIFIED_COOKIE = "gk_status"
VERIFIED_SALT = "inforequests.status.verified"
VERIFIED_MAX_AGE = 30 * 60
VERIFIED_PATH = "/apply/status/"

# The stage of a case in plain words, for the applicant.
STAGE_TEXT = {
    Status.RECEIVED: (gettext_lazy("已收到申请"), gettext_lazy("我们已收到您的申请，正在登记和审查。")),
    Status.IN_PROGRESS: (
        gettext_lazy("正在办理"),
        gettext_lazy("您的申请正在办理中，我们会在答复期限内答复您。"),
    ),
    Status.AWAITING_SUPPLEMENT: (
        gettext_lazy("等待您补正"),
        gettext_lazy("您的申请需要补充或说明一些内容，我们已经告知您。收到补正后，答复期限重新计算。"),
    ),
    Status.IN_CONSULTATION: (
        gettext_lazy("正在征求意见"),
        gettext_lazy("您申请的信息涉及第三方或其他机关，我们正在征求他们的意见；这段时间不计入答复期限。"),
    ),
    Status.REPLY_DRAFTED: (
        gettext_lazy("答复正在审批"),
        gettext_lazy("答复已经拟好，正在审批，审批后即发给您。"),
    ),
    Status.CLOSED: (gettext_lazy("已办结"), gettext_lazy("我们已经答复了您的申请。")),
}


# ---------------------------------------------------------------------------------------------
# Apply online.


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _apply_page(request, ApplicationForm())
    form = ApplicationForm(request.POST)
    # One attempt is taken before the work (parallel posts cannot all pass a check made before any
    # counted) and given back unless an application was accepted: an applicant correcting mistakes
    # is never blocked.
    if not ratelimit.take(request, "apply"):
        form.is_valid()  # keep what was typed, with its own errors
        message = _("提交过于频繁，请 %(n)d 分钟后再提交。您填写的内容都还在下面，不会丢失。") % {
            "n": ratelimit.window_minutes("apply")
        }
        return _apply_page(request, form, blocked=message, status=429)
    if not form.is_valid():
        ratelimit.give_back(request, "apply")
        return _apply_page(request, form)
    token = form.cleaned_data["token"]
    try:
        with transaction.atomic():
            application, code = services.do_submit_application(
                form.application_data(),
                channel=IntakeChannel.ONLINE,
                # Online: received on the day it is submitted and confirmed on screen (Art. 31).
                received_on=clock.today(),
                idempotency_key=f"web:{token}",
            )
            if code is not None:
                duplicates.flag_likely_duplicate(application)
            if code is not None and application.email:
                status_url = request.build_absolute_uri(reverse("inforequests:status"))
                transaction.on_commit(
                    lambda: send_acknowledgement(application, code, status_url), robust=True
                )
    except services.RequestError as exc:
        cause = exc.__cause__
        if isinstance(cause, workdays.CalendarUnknownError):
            # The office must enter that year's schedule (LEGAL.md: never guess a working day).
            logger.warning("inforequests: online application refused: calendar %d not entered", cause.year)
            form.add_error(
                None,
                _(
                    "系统暂时无法计算答复期限（%(year)d 年的节假日安排尚未录入），申请未能提交。"
                    "请稍后再试，或通过“咨询方式”中的电话、信函提交；您填写的内容都还在。"
                )
                % {"year": cause.year},
            )
        else:
            form.add_error(None, str(exc))
        ratelimit.give_back(request, "apply")
        return _apply_page(request, form)
    if code is None:  # a second click finds the first application and counts nothing
        ratelimit.give_back(request, "apply")
    receipt = request.session.get(RECEIPT_SESSION_KEY) or {}
    if code is not None or receipt.get("tracking_number") != application.tracking_number:
        # A second click finds the first application; its code was shown once and is not kept.
        request.session[RECEIPT_SESSION_KEY] = {"tracking_number": application.tracking_number, "code": code}
    logger.info("inforequests: online application %s received", application.tracking_number)
    return redirect("inforequests:done")


def _apply_page(
    request: HttpRequest, form: ApplicationForm, *, blocked: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "inforequests/public/apply.html",
        {"nav": "apply", "form": form, "blocked": blocked},
        status=status,
    )


@never_cache
@require_safe
def done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt:
        return redirect("inforequests:apply")
    application = Application.objects.filter(tracking_number=receipt["tracking_number"]).first()
    if application is None:
        return redirect("inforequests:apply")
    return render(
        request,
        "inforequests/public/done.html",
        {
            "nav": "apply",
            "application": application,
            "query_code": receipt.get("code"),
            "id_number_masked": mask_id(application.id_number),
            "earlier_received_on": earlier_copy_received_on(application),
        },
    )


def earlier_copy_received_on(application: Application) -> dt.date | None:
    """The day the earlier application this one likely repeats was received (inforequests.duplicates).

    Only for the browser that just sent it, and only the date: the sender typed the same identity
    number and the same request, but the earlier case's number, code and content stay unseen (anyone
    who knows an identity number could otherwise learn about that person's applications)."""
    if application.likely_duplicate_of_id is None:
        return None
    earlier = Application.objects.filter(pk=application.likely_duplicate_of_id)
    received_on: dt.date | None = earlier.values_list("received_on", flat=True).first()
    return received_on


def send_acknowledgement(application: Application, code: str, status_url: str) -> None:
    """Tell the applicant the tracking number, query code and due date (sent after commit)."""
    context = {
        "application": application,
        "query_code": code,
        "status_url": status_url,
        "agency": settings.AGENCY_NAME,
        # Sent at once to the address typed with this application: what the page after sending says.
        "earlier_received_on": earlier_copy_received_on(application),
    }
    subject = _("政府信息公开申请已收到（受理编号 %(n)s）") % {"n": application.tracking_number}
    body = render_to_string("inforequests/public/ack_email.txt", context)
    try:
        send_mail(subject, body, None, [application.email])
    except Exception:
        # The application stands; the office sees the failure in the log (no personal data in it).
        logger.exception("inforequests: acknowledgement e-mail for %s failed", application.tracking_number)


# ---------------------------------------------------------------------------------------------
# Status look-up.


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _status_form_page(request, StatusForm())
    form = StatusForm(request.POST)
    # Only wrong codes count: the attempt taken here is given back for an invalid form or a right
    # code. The limit stops guessing, not an applicant checking often.
    if not ratelimit.take(request, "status"):
        form.is_valid()
        message = _("查询过于频繁，请 %(n)d 分钟后再试。") % {"n": ratelimit.window_minutes("status")}
        return _status_form_page(request, form, blocked=message, status=429)
    if not form.is_valid():
        ratelimit.give_back(request, "status")
        return _status_form_page(request, form)
    application = _find(form.cleaned_data["tracking_number"], form.cleaned_data["query_code"])
    if application is None:
        # One message for an unknown number and a wrong code: the page reveals neither.
        form.add_error(None, _("受理编号或查询码不正确，请核对后重新输入。"))
        return _status_form_page(request, form)
    ratelimit.give_back(request, "status")
    response = redirect("inforequests:status_result", application.tracking_number)
    verified = [n for n in _verified(request) if n != application.tracking_number]
    response.set_signed_cookie(
        VERIFIED_COOKIE,
        ",".join([*verified[-9:], application.tracking_number]),
        salt=VERIFIED_SALT,
        max_age=VERIFIED_MAX_AGE,
        path=VERIFIED_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _verified(request: HttpRequest) -> list[str]:
    """The tracking numbers whose query code was proved on this browser within VERIFIED_MAX_AGE."""
    value = request.get_signed_cookie(
        VERIFIED_COOKIE, default="", salt=VERIFIED_SALT, max_age=VERIFIED_MAX_AGE
    )
    return [n for n in (value or "").split(",") if n]


@never_cache
@require_safe
def status_result(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The answer to a look-up (the GET after the POST); without a recent proof, the form again."""
    application = (
        Application.objects.filter(tracking_number=tracking_number).first()
        if tracking_number in _verified(request)
        else None
    )
    if application is None:
        form = StatusForm(
            initial={"tracking_number": tracking_number if TRACKING_RE.match(tracking_number) else ""}
        )
        expired = _("为保护您的信息，查询结果只保留 %(n)d 分钟。请重新输入查询码查看。") % {
            "n": VERIFIED_MAX_AGE // 60
        }
        return _status_form_page(request, form, blocked=expired)
    context = _status_context(application)
    # The day of the earlier copy only for the browser that sent this one (as on the receipt); a code
    # proved elsewhere is told that there is one, not when.
    sent_here = (request.session.get(RECEIPT_SESSION_KEY) or {}).get("tracking_number") == tracking_number
    context["earlier_received_on"] = earlier_copy_received_on(application) if sent_here else None
    return render(request, "inforequests/public/status.html", context)


@never_cache
@require_safe
def receipt(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """A printable receipt: for the browser that submitted the application or proved its code."""
    session_receipt = request.session.get(RECEIPT_SESSION_KEY) or {}
    sent_here = session_receipt.get("tracking_number") == tracking_number
    allowed = sent_here or tracking_number in _verified(request)
    application = Application.objects.filter(tracking_number=tracking_number).first() if allowed else None
    if application is None:
        return render(
            request,
            "inforequests/public/letter_unavailable.html",
            {"nav": "apply", "message": _("请先输入受理编号和查询码查询，再打印回执。")},
            status=404,
        )
    return render(
        request,
        "inforequests/public/receipt.html",
        {
            "nav": "apply",
            "application": application,
            "id_number_masked": mask_id(application.id_number),
            "printed_on": clock.today(),
            # Only where it was sent from: proving the code later is not having just typed the request.
            "earlier_received_on": earlier_copy_received_on(application) if sent_here else None,
        },
    )


def form_after_csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """The application or look-up form back with what was typed, after a failed CSRF check (the
    settings' CSRF_FAILURE_VIEW asks); None for any other form. The form's own token is kept, so
    sending it again still makes one application."""
    why = _(
        "您的申请还没有提交：浏览器没有带上本网站的安全验证（可能是页面打开太久、浏览器禁用了 Cookie，"
        "或用“后退”回到了旧页面）。您填写的内容都还在下面，请核对后再点一次提交。"
    )
    if request.method == "POST" and request.path == reverse("inforequests:apply"):
        return _apply_page(request, ApplicationForm(request.POST), blocked=why, status=403)
    if request.method == "POST" and request.path == reverse("inforequests:status"):
        form = StatusForm(initial={"tracking_number": request.POST.get("tracking_number", "")[:30]})
        message = _("查询没有完成：浏览器没有带上本网站的安全验证。请再点一次查询。")
        return _status_form_page(request, form, blocked=message, status=403)
    return None


def _find(tracking_number: str, code: str) -> Application | None:
    if not TRACKING_RE.match(tracking_number):
        return None
    application = Application.objects.filter(tracking_number=tracking_number).first()
    if application is None or not services.check_query_code(application, code):
        return None
    return application


def _status_form_page(
    request: HttpRequest, form: StatusForm, *, blocked: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "inforequests/public/status_form.html",
        {"nav": "apply", "form": form, "blocked": blocked},
        status=status,
    )


def _clock(application: Application, today: dt.date) -> ClockResult | None:
    try:
        return services.compute_clock(application, today)
    except workdays.CalendarUnknownError:
        return None


def _status_context(application: Application) -> dict[str, Any]:
    today = clock.today()
    result = _clock(application, today)
    stage, stage_text = STAGE_TEXT[Status(application.status)]
    closed = application.status == Status.CLOSED
    return {
        "nav": "apply",
        "application": application,
        "id_number_masked": mask_id(application.id_number),
        "stage": stage,
        "stage_text": stage_text,
        "closed": closed,
        "clock": result,
        "clock_lines": result.explain().splitlines() if result else [],
        "extended": application.extended,
        "is_adverse": application.outcome in ADVERSE_OUTCOMES
        or application.correction_outcome in ADVERSE_CORRECTIONS,
        "letter_available": closing_letter(application) is not None and letters_available(),
        # Flagged as a likely re-send (inforequests.duplicates) and not yet answered.
        "likely_duplicate": application.likely_duplicate_of_id is not None and not closed,
    }


# ---------------------------------------------------------------------------------------------
# The reply letter, for an applicant who has just proved the code on this browser.


def letters_available() -> bool:
    try:
        from gongkai.inforequests.letters import pdf  # noqa: F401
    except ImportError:
        return False
    return True


@never_cache
@require_safe
def reply_letter(request: HttpRequest, tracking_number: str) -> HttpResponse:
    application = (
        Application.objects.filter(tracking_number=tracking_number).first()
        if tracking_number in _verified(request)
        else None
    )
    kind = closing_letter(application) if application is not None else None
    if application is None or kind is None:
        return render(
            request,
            "inforequests/public/letter_unavailable.html",
            {"nav": "apply", "message": _("请先输入受理编号和查询码查询，办结后才能下载答复书。")},
            status=404,
        )
    try:
        # The letter as issued, byte for byte (letter_services: frozen when the act was committed).
        issued = letter_services.issued_letter_pdf(application, kind)
    except Exception:
        logger.exception("inforequests: reply letter for %s could not be served", tracking_number)
        issued = None
    if issued is None:
        return render(
            request,
            "inforequests/public/letter_unavailable.html",
            {"nav": "apply", "message": _("答复书暂时无法生成，请稍后再试，或联系我们索取纸质答复书。")},
            status=503,
        )
    filename, content = issued
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def closing_letter(application: Application) -> str | None:
    """The letter that closed the case: the reply, or the decision on a correction request."""
    if application.status != Status.CLOSED:
        return None
    if application.correction_outcome:
        return "correction"
    return "reply" if application.outcome else None
