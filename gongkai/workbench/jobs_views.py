"""The workbench jobs page: recent background jobs, their progress and failures, and the event
deliveries still outstanding, with a retry for a failed one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.core import jobs as core_jobs
from gongkai.workbench import jobs


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # behind login_required
    return user


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not jobs.may_see_jobs(user):
        messages.error(request, _("只有系统管理员和公开办可以查看后台任务。"))
        return redirect("workbench:dashboard")
    page = Paginator(jobs.runs_for(user), 30).get_page(request.GET.get("page"))
    for run in page.object_list:
        run.label = core_jobs.label(run.name)  # type: ignore[attr-defined]
    deliveries = list(jobs.undelivered_for(user)[:100])
    for delivery in deliveries:
        # The handler's module and name; the full dotted path is its title.
        delivery.short_subscriber = ".".join(delivery.subscriber.rsplit(".", 2)[-2:])  # type: ignore[attr-defined]
    return render(
        request,
        "workbench/jobs.html",
        {
            "nav": "jobs",
            "page": page,
            "query_base": "",
            "deliveries": deliveries,
            "stalled": jobs.stalled(user),
            "queue": "Redis" if settings.REDIS_URL else "SQLite",
        },
    )


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    run = get_object_or_404(jobs.runs_for(user), pk=pk)
    if jobs.do_retry_job(run, actor=user):
        messages.success(request, _("任务 #%(n)s 已重新排队。") % {"n": run.pk})
    else:
        messages.error(request, _("任务 #%(n)s 不是失败状态，无需重试。") % {"n": run.pk})
    return redirect("workbench:jobs")
