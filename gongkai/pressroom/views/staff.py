"""Workbench pages: conferences (list, edit, transcript import, moves), interpretations, the
office's list of published major policies that have no interpretation, and the press room's
statistics for a period (the figures of stats.py, as the annual report reads them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Department
from gongkai.core import acts, charts, clock, drafts, params
from gongkai.core.drafts import editor_login_required
from gongkai.core.figures import Period, PeriodError
from gongkai.pressroom import policies, queries, services, stats, transcript
from gongkai.pressroom.choices import Form, Host, Status
from gongkai.pressroom.models import Conference, Interpretation
from gongkai.pressroom.workflows import (
    CONFERENCE,
    INTERPRETATION,
    conference_problems,
    interpretation_problems,
)

NAV = "press"
UPLOAD_LIMIT = transcript.MAX_BYTES


def _period(request: HttpRequest) -> tuple[Period | None, str]:
    start, end = request.GET.get("from") or "", request.GET.get("to") or ""
    if not start and not end:
        return None, ""
    try:
        return Period.parse(start or "1990-01-01", end or "2100-12-31"), ""
    except PeriodError as exc:
        return None, str(exc)


def _query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _version(request: HttpRequest) -> int | None:
    return params.version_param(request.POST.get("version") or "")


def _own_draft(workflow: acts.Workflow[Any], user: Any, obj: Conference | Interpretation) -> bool:
    """A reviewer looking at a draft they drafted or last changed: the publish button is not
    offered (four eyes), and the page says another reviewer publishes it."""
    four_eyes = workflow.move("publish").four_eyes
    return (
        obj.status == Status.DRAFT
        and user.has_role(Role.REVIEWER)
        and four_eyes is not None
        and user.pk in four_eyes(obj)
    )


# -- conferences -----------------------------------------------------------------------------------


@login_required
def conference_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    conferences = queries.conferences_for_staff(user)
    period, error = _period(request)
    if period is not None:
        conferences = conferences.filter(held_on__gte=period.start, held_on__lte=period.end)
    status = request.GET.get("status") or ""
    if status in Status.values:
        conferences = conferences.filter(status=status)
    host = request.GET.get("host") or ""
    if host in Host.values:
        conferences = conferences.filter(host=host)
    page = Paginator(conferences.order_by("-held_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "pressroom/staff/conference_list.html",
        {
            "nav": NAV,
            "page": page,
            "status": status,
            "host": host,
            "statuses": Status.choices,
            "hosts": Host.choices,
            "period": period,
            "error": error,
            "may_create": CONFERENCE.may(user, Conference(department_id=user.department_id), "create"),
            "query": _query(request),
        },
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _conference_data(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    try:
        held_on: dt.date | None = dt.date.fromisoformat(post.get("held_on", "").strip())
    except ValueError:
        held_on = None
    speakers = []
    for line in _lines(post.get("speakers", "")):
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) != 3:
            raise services.PressroomError(
                _("发布人每行应为“姓名|职务|所在部门”：%(line)s") % {"line": line[:60]}
            )
        speakers.append({"name": parts[0], "post": parts[1], "organisation": parts[2]})
    return {
        "title": post.get("title", ""),
        "held_on": held_on,
        "host": post.get("host", ""),
        "venue": post.get("venue", ""),
        "topics": post.get("topics", ""),
        "summary": post.get("summary", ""),
        "department": Department.from_param(post.get("department")),
        "release": post.get("release", ""),
        "related_records": _lines(post.get("related", ""))[: services.MAX_RELATED + 1],
        "speakers": speakers,
    }


def _conference_values(conference: Conference) -> dict[str, Any]:
    return {
        "title": conference.title,
        "held_on": conference.held_on.isoformat(),
        "host": conference.host,
        "venue": conference.venue,
        "topics": conference.topics,
        "summary": conference.summary,
        "department": str(conference.department_id),
        "release": conference.release.index_number if conference.release else "",
        "related": "\n".join(conference.related_records.values_list("index_number", flat=True)),
        "speakers": "\n".join(f"{s.name}|{s.post}|{s.organisation}" for s in conference.speakers.all()),
        "version": conference.version,
    }


def _conference_form(
    request: HttpRequest,
    conference: Conference | None,
    values: dict[str, Any],
    error: str = "",
    restored: dict[str, Any] | None = None,
) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "pressroom/staff/conference_form.html",
        {
            "nav": NAV,
            "c": conference,
            "v": values,
            "error": error,
            "hosts": Host.choices,
            "departments": Department.objects.filter(is_active=True),
            **drafts.context(user, restored),
        },
        status=400 if error else 200,
    )


@editor_login_required
def conference_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method != "POST":
        restored = drafts.take_on_get(request)
        values = restored or {"department": str(user.department_id or ""), "host": Host.AGENCY}
        return _conference_form(request, None, values, restored=restored)
    try:
        conference = services.do_create_conference(_conference_data(request), actor=user)
    except acts.ActError as exc:
        return _conference_form(request, None, request.POST.dict(), str(exc))
    messages.success(request, _("发布会已保存为草稿。"))
    return redirect("workbench:pressroom_staff:detail", conference.pk)


@login_required
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    conference = queries.get_conference_for_staff(user, pk)
    return render(
        request,
        "pressroom/staff/conference_detail.html",
        {
            "nav": NAV,
            "c": conference,
            "moves": CONFERENCE.allowed_moves(user, conference),
            "own_draft": _own_draft(CONFERENCE, user, conference),
            "problems": conference_problems(conference) if conference.status == Status.DRAFT else [],
            "answers": conference.answers.select_related("speaker"),
            "speakers": conference.speakers.all(),
            "related": conference.related_records.all(),
            "interpretations": conference.interpretations.all(),
            "transitions": conference.transitions.select_related("actor"),
            "upload_limit": UPLOAD_LIMIT // (1024 * 1024),
            "max_rows": transcript.MAX_ROWS,
        },
    )


@editor_login_required
def conference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    conference = queries.get_conference_for_staff(user, pk)
    if not CONFERENCE.may(user, conference, "update"):
        raise PermissionDenied(_("您无权修改。"))
    if request.method != "POST":
        # What was typed when the session ended comes back with the version it was typed against.
        restored = drafts.take_on_get(request)
        values = restored or _conference_values(conference)
        return _conference_form(request, conference, values, restored=restored)
    try:
        services.do_update_conference(
            conference, _conference_data(request), actor=user, expected_version=_version(request)
        )
    except acts.ActError as exc:
        # What the user typed is shown again; nothing was saved.
        return _conference_form(request, conference, request.POST.dict(), str(exc))
    messages.success(request, _("已保存。"))
    return redirect("workbench:pressroom_staff:detail", conference.pk)


@login_required
def transcript_import(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    conference = queries.get_conference_for_staff(user, pk)
    if not CONFERENCE.may(user, conference, "import_transcript"):
        raise PermissionDenied(_("您无权修改。"))
    errors: list[Any] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("请选择要导入的文件。")]
        elif upload.size is not None and upload.size > UPLOAD_LIMIT:
            errors = [_("文件超过 %(n)d MB，请拆分后分别整理。") % {"n": UPLOAD_LIMIT // (1024 * 1024)}]
        else:
            try:
                n = services.do_import_transcript(
                    conference,
                    upload.read(UPLOAD_LIMIT + 1),
                    upload.name or "",
                    actor=user,
                    expected_version=_version(request),
                )
            except transcript.TranscriptError as exc:
                errors = list(exc.errors)
            except acts.ActError as exc:
                errors = [str(exc)]
            else:
                messages.success(request, _("已导入 %(n)d 条问答。") % {"n": n})
                return redirect("workbench:pressroom_staff:detail", conference.pk)
    return render(
        request,
        "pressroom/staff/transcript_import.html",
        {
            "nav": NAV,
            "c": conference,
            "errors": errors,
            "speakers": conference.speakers.all(),
            "upload_limit": UPLOAD_LIMIT // (1024 * 1024),
            "max_rows": transcript.MAX_ROWS,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def conference_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    user: Any = request.user
    conference = queries.get_conference_for_staff(user, pk)
    version = _version(request)
    try:
        if move == "publish":
            services.do_publish_conference(conference, actor=user, expected_version=version)
        elif move == "withdraw":
            services.do_withdraw_conference(
                conference, actor=user, reason=request.POST.get("reason", ""), expected_version=version
            )
        elif move == "redraft":
            services.do_redraft_conference(conference, actor=user, expected_version=version)
        else:
            raise services.PressroomError(_("未知的操作。"))
    except acts.ActError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("workbench:pressroom_staff:detail", conference.pk)


# -- interpretations -------------------------------------------------------------------------------


@login_required
def interpretation_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    interpretations = queries.interpretations_for_staff(user)
    period, error = _period(request)
    if period is not None:
        first, after = period.bounds()
        interpretations = interpretations.filter(published_at__gte=first, published_at__lt=after)
    status = request.GET.get("status") or ""
    if status in Status.values:
        interpretations = interpretations.filter(status=status)
    form = request.GET.get("form") or ""
    if form in Form.values:
        interpretations = interpretations.filter(form=form)
    page = Paginator(interpretations.order_by("-updated_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "pressroom/staff/interpretation_list.html",
        {
            "nav": NAV,
            "page": page,
            "status": status,
            "form": form,
            "statuses": Status.choices,
            "forms": Form.choices,
            "period": period,
            "error": error,
            "may_create": INTERPRETATION.may(
                user, Interpretation(department_id=user.department_id), "create"
            ),
            "query": _query(request),
        },
    )


def _interpretation_data(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    return {
        "title": post.get("title", ""),
        "form": post.get("form", ""),
        "policy": post.get("policy", ""),
        "conference": post.get("conference", ""),
        "body": post.get("body", ""),
        "media_url": post.get("media_url", ""),
        "media_text": post.get("media_text", ""),
        "department": Department.from_param(post.get("department")),
    }


def _interpretation_form(
    request: HttpRequest,
    interpretation: Interpretation | None,
    values: dict[str, Any],
    error: str = "",
    restored: dict[str, Any] | None = None,
) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "pressroom/staff/interpretation_form.html",
        {
            "nav": NAV,
            "i": interpretation,
            "v": values,
            "error": error,
            "forms": Form.choices,
            "departments": Department.objects.filter(is_active=True),
            "conferences": queries.conferences_for_staff(user).exclude(status=Status.WITHDRAWN)[:200],
            "columns": "、".join(policies.category_codes()),
            **drafts.context(user, restored),
        },
        status=400 if error else 200,
    )


@editor_login_required
def interpretation_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method != "POST":
        restored = drafts.take_on_get(request)
        values = restored or {
            "department": str(user.department_id or ""),
            "policy": request.GET.get("policy", "")[:40],
            "form": Form.TEXT,
        }
        return _interpretation_form(request, None, values, restored=restored)
    try:
        interpretation = services.do_create_interpretation(_interpretation_data(request), actor=user)
    except acts.ActError as exc:
        return _interpretation_form(request, None, request.POST.dict(), str(exc))
    messages.success(request, _("解读已保存为草稿。"))
    return redirect("workbench:pressroom_staff:interpretation", interpretation.pk)


@login_required
def interpretation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    interpretation = queries.get_interpretation_for_staff(user, pk)
    return render(
        request,
        "pressroom/staff/interpretation_detail.html",
        {
            "nav": NAV,
            "i": interpretation,
            "moves": INTERPRETATION.allowed_moves(user, interpretation),
            "own_draft": _own_draft(INTERPRETATION, user, interpretation),
            "problems": interpretation_problems(interpretation)
            if interpretation.status == Status.DRAFT
            else [],
            "transitions": interpretation.transitions.select_related("actor"),
        },
    )


@editor_login_required
def interpretation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    interpretation = queries.get_interpretation_for_staff(user, pk)
    if not INTERPRETATION.may(user, interpretation, "update"):
        raise PermissionDenied(_("您无权修改。"))
    if request.method != "POST":
        restored = drafts.take_on_get(request)
        if restored:
            return _interpretation_form(request, interpretation, restored, restored=restored)
        values = {
            "title": interpretation.title,
            "form": interpretation.form,
            "policy": interpretation.policy.index_number,
            "conference": str(interpretation.conference_id or ""),
            "body": interpretation.body,
            "media_url": interpretation.media_url,
            "media_text": interpretation.media_text,
            "department": str(interpretation.department_id),
            "version": interpretation.version,
        }
        return _interpretation_form(request, interpretation, values)
    try:
        services.do_update_interpretation(
            interpretation, _interpretation_data(request), actor=user, expected_version=_version(request)
        )
    except acts.ActError as exc:
        return _interpretation_form(request, interpretation, request.POST.dict(), str(exc))
    messages.success(request, _("已保存。"))
    return redirect("workbench:pressroom_staff:interpretation", interpretation.pk)


@login_required
@require_POST
def interpretation_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    user: Any = request.user
    interpretation = queries.get_interpretation_for_staff(user, pk)
    version = _version(request)
    try:
        if move == "publish":
            services.do_publish_interpretation(interpretation, actor=user, expected_version=version)
        elif move == "withdraw":
            services.do_withdraw_interpretation(
                interpretation, actor=user, reason=request.POST.get("reason", ""), expected_version=version
            )
        elif move == "redraft":
            services.do_redraft_interpretation(interpretation, actor=user, expected_version=version)
        else:
            raise services.PressroomError(_("未知的操作。"))
    except acts.ActError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("workbench:pressroom_staff:interpretation", interpretation.pk)


# -- the office's flag ---------------------------------------------------------------------------


@login_required
def uninterpreted(request: HttpRequest) -> HttpResponse:
    """Published major policies without a published interpretation: now, or for a period (the
    figure `pressroom.policies.uninterpreted`: published in it, none live at its end)."""
    user: Any = request.user
    period, error = _period(request)
    if period is not None:
        first, after = period.bounds()
        records = policies.uninterpreted_in(first, after)
    else:
        records = policies.uninterpreted()
    if not user.has_role(Role.REVIEWER, Role.LEADER, Role.AUDIT_ADMIN):
        records = records.filter(department_id=user.department_id or 0)
    records = records.select_related("department", "category").order_by("-published_at", "-id")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "pressroom/staff/uninterpreted.html",
        {
            "nav": NAV,
            "page": page,
            "period": period,
            "error": error,
            "columns": "、".join(policies.category_codes()),
            "may_create": INTERPRETATION.may(
                user, Interpretation(department_id=user.department_id), "create"
            ),
        },
    )


# -- statistics ------------------------------------------------------------------------------------


def _stats_period(request: HttpRequest) -> tuple[Period, str]:
    """?year=, or ?from=&to= (both), else this year; a bad one is replaced by this year, with the
    reason."""
    this_year = Period.year(clock.today().year)
    raw_year = request.GET.get("year") or ""
    if raw_year:
        year = params.year_param(raw_year)
        if year is None:
            return this_year, _("年份应为 %(low)d 至 %(high)d 之间的数字：%(value)s") % {
                "low": params.YEAR_MIN,
                "high": params.YEAR_MAX,
                "value": raw_year[:20],
            }
        return Period.year(year), ""
    start, end = request.GET.get("from") or "", request.GET.get("to") or ""
    if not start and not end:
        return this_year, ""
    try:
        return Period.parse(start[:20], end[:20]), ""
    except PeriodError as exc:
        return this_year, str(exc)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Conferences by host and by month, interpretations by form, and the published major policies
    without an interpretation, for a period: every number from stats.py."""
    period, error = _stats_period(request)
    by_code = {f.code: f for f in stats.figures(period)}

    def value(code: str) -> int:
        v = by_code[code].value
        return int(v) if v is not None else 0

    host_codes = [f"pressroom.conferences.host.{h.value}" for h in Host]
    form_codes = [f"pressroom.interpretations.form.{f.value}" for f in Form]
    months = stats.by_month(period)
    chart_list = [
        charts.chart_block(
            "bar",
            _("新闻发布会（按召开名义）"),
            [by_code[c].label for c in host_codes],
            {_("场次"): [value(c) for c in host_codes]},
        ),
        charts.chart_block(
            "bar" if len(months) <= 12 else "line",
            _("新闻发布会（按月）"),
            [m for m, _n in months],
            {_("场次"): [n for _m, n in months]},
        ),
        charts.chart_block(
            "bar",
            _("政策解读（按形式）"),
            [by_code[c].label for c in form_codes],
            {_("件数"): [value(c) for c in form_codes]},
        ),
    ]
    years = sorted(set(stats.years()) | {clock.today().year}, reverse=True)
    uninterpreted_figure = by_code["pressroom.policies.uninterpreted"]
    return render(
        request,
        "pressroom/staff/stats.html",
        {
            "nav": NAV,
            "period": period,
            "error": error,
            "years": years,
            "charts": chart_list,
            "conferences": by_code["pressroom.conferences.total"],
            "interpretations": by_code["pressroom.interpretations.total"],
            "uninterpreted": uninterpreted_figure,
        },
        status=400 if error else 200,
    )
