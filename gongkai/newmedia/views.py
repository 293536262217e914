"""Workbench pages of the new-media channels: the channels and their settings, the posts with
their state and attempts, the failures with a retry button, counts per channel and period, and
the one-step publication of a record to the portal and channels (from the record's page)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.catalog import queries as catalog_queries
from gongkai.core import acts, charts, clock
from gongkai.core.figures import Period, PeriodError
from gongkai.core.params import id_param, version_param
from gongkai.newmedia import queries, services, stats
from gongkai.newmedia.choices import PostState
from gongkai.newmedia.forms import ChannelForm
from gongkai.newmedia.models import Channel, Post
from gongkai.newmedia.workflows import POST

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _period(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for (start, end or year), else this year; with the reason a bad one was
    ignored."""
    get = request.GET
    year = id_param(get.get("year"))
    if year is not None and 1949 <= year <= 2100:
        return Period.year(year), ""
    start, end = (get.get("start") or "").strip(), (get.get("end") or "").strip()
    if start or end:
        try:
            return Period.parse(start, end), ""
        except PeriodError as exc:
            return Period.year(clock.today().year), str(exc)
    return Period.year(clock.today().year), ""


def portal_url(request: HttpRequest) -> str:
    """Where the links back to the portal record point: the configured portal address, else this site."""
    return settings.PORTAL_URL or request.build_absolute_uri("/")


@login_required
def channels(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    period, problem = _period(request)
    counts = queries.channel_counts()
    in_period = stats.per_channel(period)
    rows = [
        {
            "channel": channel,
            "delivered": in_period.get(channel.pk, 0),
            "states": counts.get(channel.pk, {}),
            "failures": sum(
                counts.get(channel.pk, {}).get(s, 0)
                for s in (PostState.FAILED, PostState.RETRYING, PostState.TAKEDOWN_FAILED)
            ),
            "waiting": sum(
                counts.get(channel.pk, {}).get(s, 0) for s in (PostState.QUEUED, PostState.TAKEDOWN_PENDING)
            ),
        }
        for channel in Channel.objects.all()
    ]
    return render(
        request,
        "newmedia/staff/channels.html",
        {
            "nav": "newmedia",
            "rows": rows,
            "period": period,
            "problem": problem,
            "may_manage": queries.may_manage_channels(user),
            "failures": queries.failures().count(),
        },
    )


def _require_manager(user: User) -> None:
    if not queries.may_manage_channels(user):
        raise PermissionDenied(_("只有公开办审核员可以配置新媒体渠道。"))


@login_required
def channel_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.do_create_channel(form.data_for_service(), actor=user)
        except services.NewmediaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("渠道已创建。"))
            return redirect(channel.get_absolute_url())
    return render(
        request, "newmedia/staff/channel_form.html", {"nav": "newmedia", "form": form, "channel": None}
    )


@login_required
def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    channel = get_object_or_404(Channel, slug=slug)
    recent = queries.posts(channel=channel)[:20]
    return render(
        request,
        "newmedia/staff/channel_detail.html",
        {
            "nav": "newmedia",
            "channel": channel,
            "recent": recent,
            "states": [
                (PostState(state).label, state, n)
                for state, n in sorted(queries.channel_counts().get(channel.pk, {}).items())
            ],
            "may_manage": queries.may_manage_channels(user),
        },
    )


@login_required
def channel_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    channel = get_object_or_404(Channel, slug=slug)
    form = ChannelForm(request.POST or None, instance=Channel.objects.get(pk=channel.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_channel(
                channel,
                form.data_for_service(),
                actor=user,
                expected_version=version_param(request.POST.get("version")),
            )
        except services.NewmediaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("渠道设置已保存。"))
            return redirect(channel.get_absolute_url())
    return render(
        request, "newmedia/staff/channel_form.html", {"nav": "newmedia", "form": form, "channel": channel}
    )


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    period, problem = _period(request)
    has_period = bool(request.GET.get("start") or request.GET.get("end") or request.GET.get("year"))
    state = request.GET.get("state") or ""
    state = state if state in PostState.values else ""
    slug = request.GET.get("channel") or ""
    channel = Channel.objects.filter(slug=slug[:40]).first() if slug else None
    q = (request.GET.get("q") or "").strip()[:100]
    found = queries.posts(state=state, channel=channel, period=period if has_period else None, q=q)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {"state": state, "channel": channel.slug if channel else "", "q": q}
    if has_period:
        filters.update(start=period.start.isoformat(), end=period.end.isoformat())
    return render(
        request,
        "newmedia/staff/posts.html",
        {
            "nav": "newmedia",
            "page": page,
            "count": page.paginator.count,
            "state": state,
            "states": PostState.choices,
            "channel": channel,
            "channels": Channel.objects.all(),
            "q": q,
            "period": period if has_period else None,
            "problem": problem,
            "query_base": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    post = get_object_or_404(Post.objects.select_related("record", "channel", "requested_by", "job"), pk=pk)
    return render(
        request,
        "newmedia/staff/post_detail.html",
        {
            "nav": "newmedia",
            "post": post,
            "attempts": post.attempt_rows.all(),
            "moves": POST.allowed_moves(user, post),
            "text": str(post.payload.get("text", "")),
        },
    )


@login_required
@require_POST
def post_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    post = get_object_or_404(Post, pk=pk)
    try:
        services.do_retry_post(post, actor=user, expected_version=version_param(request.POST.get("version")))
    except acts.ActError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已重新提交推送；结果见下方。"))
    back = request.POST.get("next") or ""
    if back == "failures":
        return redirect("workbench:newmedia_staff:failures")
    return redirect(post.get_absolute_url())


@login_required
def failure_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    found = queries.failures()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"post": p, "moves": POST.allowed_moves(user, p)} for p in page.object_list]
    return render(request, "newmedia/staff/failures.html", {"nav": "newmedia", "page": page, "rows": rows})


@login_required
def stats_view(request: HttpRequest) -> HttpResponse:
    period, problem = _period(request)
    figures = stats.figures(period)
    months, by_channel = queries.monthly(period)
    all_channels = list(Channel.objects.all())
    labels = [f"{m.year}-{m.month:02d}" for m in months]
    series: dict[str, list[int | None]] = {
        c.name: list(by_channel.get(c.pk, [0] * len(months))) for c in all_channels
    }
    chart = (
        charts.chart_block("bar", _("各渠道每月发布信息（条）"), labels, series) if series and months else ""
    )
    years = sorted(set(queries.years_with_posts()) | {clock.today().year}, reverse=True)
    return render(
        request,
        "newmedia/staff/stats.html",
        {
            "nav": "newmedia",
            "period": period,
            "problem": problem,
            "figures": figures,
            "chart": chart,
            "years": years,
        },
    )


@login_required
@require_POST
def record_send(request: HttpRequest, pk: int) -> HttpResponse:
    """From the record's page: publish an approved record and send it to the channels ticked, in
    one step; or send a published one."""
    user = _user(request)
    record = catalog_queries.get_record_for_staff(user, pk)
    slugs = [s[:40] for s in request.POST.getlist("channels")][:50]
    chosen = list(Channel.objects.filter(slug__in=slugs))
    was = record.status
    try:
        services.do_publish_and_send(
            record,
            chosen,
            actor=user,
            expected_version=version_param(request.POST.get("version")),
            portal_url=portal_url(request),
        )
    except acts.ActError as exc:
        messages.error(request, str(exc))
    else:
        names = "、".join(c.name for c in chosen)
        if was == "approved":
            messages.success(request, _("已发布到门户网站，并提交推送到：%(names)s。") % {"names": names})
        else:
            messages.success(request, _("已提交推送到：%(names)s。") % {"names": names})
    return redirect("workbench:record", pk=record.pk)


def record_panel_context(user: User, record: Any, csrf_token: Any) -> dict[str, Any]:
    """What the record page's new-media panel shows (templatetags/newmedia.py)."""
    posts = list(record.newmedia_posts.select_related("channel").order_by("channel__position", "id"))
    sent = {p.channel_id for p in posts if p.origin == "sent"}
    offer = [c for c in Channel.objects.filter(active=True) if c.pk not in sent]
    return {
        "record": record,
        "posts": posts,
        "offer": offer,
        "may_send": services.may_send(user, record) and bool(offer),
        "csrf_token": csrf_token,
    }
