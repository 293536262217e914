"""The audit trail: every service writes one event per official act."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongkai.core import clock
from gongkai.core.models import AuditEvent

if TYPE_CHECKING:
    from gongkai.accounts.models import User

_request_context = threading.local()

# The event vocabulary: dotted codes and how the timeline says them.
ACTION_LABELS: dict[str, Promise] = {
    "catalog.record.created": _("创建草稿"),
    "catalog.record.updated": _("修改"),
    "catalog.record.submitted": _("提交审核"),
    "catalog.record.approved": _("公开属性审核通过"),
    "catalog.record.returned": _("退回"),
    "catalog.record.published": _("发布"),
    "catalog.record.withdrawn": _("撤回"),
    "catalog.record.imported": _("导入"),
    "catalog.publication.recorded": _("登记发布渠道"),
    "catalog.attachment.added": _("上传附件"),
    "catalog.page.updated": _("修改页面"),
    "catalog.import.completed": _("批量导入"),
    "catalog.import.refused": _("导入被拒"),
    "accounts.staff.created": _("创建人员"),
    "accounts.login.succeeded": _("登录"),
    "accounts.login.failed": _("登录失败"),
    "accounts.login.locked": _("账户锁定"),
    "core.calendar.year_entered": _("录入节假日安排"),
    "core.demo.loaded": _("载入演示数据"),
}


def register_action_labels(labels: dict[str, Promise]) -> None:
    """Each app adds the words for its own dotted codes (called when its events module loads)."""
    ACTION_LABELS.update(labels)


def set_request_ip(ip: str | None) -> None:
    """Called by middleware so services need not pass the address around."""
    _request_context.ip = ip


def current_ip() -> str | None:
    return getattr(_request_context, "ip", None)


def log_event(
    action: str,
    *,
    actor: User | None,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    act_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Write one audit event. `action` is a dotted code such as `catalog.record.published`."""
    return AuditEvent.objects.create(
        at=at or clock.now(),
        act_on=act_on,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.get_full_name() or actor.username) if actor is not None else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=before,
        after=after,
        note=note,
        ip_address=current_ip(),
    )


def timeline(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )


# Bulk events: for acts on thousands of objects at once (an import), where one INSERT per event
# would cost more than the act itself. The rows are the same as log_event's.
BulkInsert = Callable[[type[models.Model], Sequence[dict[str, Any]]], object]
BulkObject = tuple[object, str, dict[str, Any] | None]  # object id, object repr, after


def bulk_events(
    action: str,
    objects: Iterable[BulkObject],
    *,
    object_type: str,
    actor: User | None,
    at: dt.datetime | None = None,
    act_on: dt.date | None = None,
) -> list[dict[str, Any]]:
    """One audit event row (plain column values) per (object id, repr, after), for log_events_bulk."""
    at = clock.now() if at is None else at
    actor_id = actor.pk if actor is not None and actor.pk else None
    label = (actor.get_full_name() or actor.username) if actor is not None else "system"
    ip = current_ip()
    return [
        {
            "at": at,
            "act_on": act_on,
            "actor_id": actor_id,
            "actor_label": label,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "object_repr": object_repr[:300],
            "after": after,
            "ip_address": ip,
        }
        for object_id, object_repr, after in objects
    ]


def log_events_bulk(rows: Sequence[dict[str, Any]], *, insert: BulkInsert | None = None) -> None:
    """Write events made by bulk_events: through the caller's bulk writer `insert(model, rows)`
    (the import's multi-row INSERT or COPY, in its transaction), else with bulk_create."""
    if insert is not None:
        insert(AuditEvent, rows)
    else:
        AuditEvent.objects.bulk_create(AuditEvent(**row) for row in rows)
