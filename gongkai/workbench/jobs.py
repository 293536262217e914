"""Who sees the background jobs and the outbox, and retrying a failed one (the workbench jobs page).

The system administrator runs the worker; the disclosure office answers for the mail it sends.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import DepartmentKind, Role
from gongkai.accounts.models import User
from gongkai.core import clock, jobs
from gongkai.core.audit import log_event, register_action_labels
from gongkai.core.models import DeliveryState, JobRun, JobState, OutboxDelivery

register_action_labels({"core.job.retried": gettext_lazy("重试后台任务")})


def may_see_jobs(user: User) -> bool:
    if user.has_role(Role.SYSTEM_ADMIN, Role.REVIEWER):
        return True
    return (
        user.has_role(Role.HEAD)
        and user.department is not None
        and user.department.kind == DepartmentKind.OFFICE
    )


def _require(user: User) -> None:
    if not may_see_jobs(user):
        raise PermissionDenied(_("只有系统管理员和公开办可以查看后台任务。"))


def runs_for(user: User) -> models.QuerySet[JobRun]:
    """Every job run, newest first, for those who may see them (PermissionDenied for the rest)."""
    _require(user)
    return JobRun.objects.select_related("started_by").order_by("-created_at", "-id")


def undelivered_for(user: User) -> models.QuerySet[OutboxDelivery]:
    """Event deliveries that failed or are still waiting, oldest first."""
    _require(user)
    return (
        OutboxDelivery.objects.exclude(state=DeliveryState.DONE)
        .select_related("event", "event__job")
        .order_by("event__created_at", "id")
    )


def stalled(user: User) -> int:
    """Runs due for longer than the sweep's grace and not picked up: is a worker running?"""
    _require(user)
    return JobRun.objects.filter(
        state=JobState.QUEUED, not_before__lt=clock.now() - jobs.QUEUED_GRACE
    ).count()


@transaction.atomic
def do_retry_job(run: JobRun, *, actor: User) -> bool:
    """Give a failed run one more attempt (and with it every failed delivery of its event)."""
    _require(actor)
    if not jobs.retry(run):
        return False
    log_event("core.job.retried", actor=actor, obj=run, after={"job": run.name, "attempts": run.attempts})
    return True
