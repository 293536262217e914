"""Catalog services: the only code that changes records. Each is one transaction and one audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog import search
from gongkai.catalog.choices import (
    EDITABLE_STATUSES,
    TRANSITIONS,
    Channel,
    DisclosureAttribute,
    Secrecy,
    Status,
)
from gongkai.catalog.files import FileRejectedError, sniff_attachment
from gongkai.catalog.models import (
    Attachment,
    Category,
    IndexSequence,
    Page,
    Publication,
    Record,
    RecordTransition,
)
from gongkai.core import clock
from gongkai.core.audit import log_event
from gongkai.core.deadlines import publication_deadline
from gongkai.core.rules import RuleSetUnknownError
from gongkai.core.text import html_to_text, sanitize_html
from gongkai.core.workdays import CalendarUnknownError


class CatalogError(Exception):
    """A refused act, with a message fit to show the user."""


class TransitionError(CatalogError):
    pass


class ConflictError(CatalogError):
    """Someone else changed the object since it was opened: nothing was overwritten."""


class PermissionDeniedError(CatalogError):
    pass


RECORD_FIELDS = (
    "name",
    "summary",
    "body",
    "formed_on",
    "issuer",
    "doc_number",
    "category",
    "genre",
    "keywords",
    "validity",
    "secrecy",
    "attribute",
    "attribute_basis",
    "attribute_reason",
    "department",
)


def snapshot(record: Record) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(record, name)
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = value
    data["status"] = record.status
    return data


def next_index_number(org_code: str, year: int) -> str:
    """`<organisation code>/<year>-<5 digits>`, unique and never reused (LEGAL.md)."""
    sequence, _created = IndexSequence.objects.select_for_update().get_or_create(org_code=org_code, year=year)
    IndexSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db(fields=["last"])
    return f"{org_code}/{year}-{sequence.last:05d}"


def compute_publish_due(formed_on: dt.date) -> dt.date | None:
    try:
        return publication_deadline(formed_on).due
    except (CalendarUnknownError, RuleSetUnknownError):
        return None


def validate_record(data: dict[str, Any]) -> None:
    """Rules of the record itself, enforced whoever calls (forms, import, API)."""
    attribute = data.get("attribute")
    if attribute in (DisclosureAttribute.ON_REQUEST, DisclosureAttribute.WITHHELD) and not data.get(
        "attribute_basis"
    ):
        raise CatalogError(_("依申请公开或不予公开的信息须注明法律依据（条款）。"))
    category = data.get("category")
    if isinstance(category, Category) and category.children.exists():
        raise CatalogError(_("请选择到最末一级栏目。"))


def can_edit(user: User, record: Record) -> bool:
    if user.has_role(Role.REVIEWER):
        return True
    return user.has_role(Role.EDITOR, Role.HEAD) and user.department_id == record.department_id


def _move(record: Record, to_status: str, *, actor: User, reason: str = "", now: dt.datetime) -> str:
    from_status = record.status
    if to_status not in TRANSITIONS[from_status]:
        raise TransitionError(
            _("不能从“%(from)s”变为“%(to)s”。")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    record.status = to_status
    RecordTransition.objects.create(
        record=record, from_status=from_status, to_status=to_status, actor=actor, at=now, reason=reason
    )
    return from_status


def _lock(record: Record, expected_version: int | None) -> Record:
    locked = Record.objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _(
                "该信息已被他人修改（当前版本 %(v)d），请刷新后再操作；您填写的内容未被保存，也未覆盖他人的修改。"
            )
            % {"v": locked.version}
        )
    return locked


@transaction.atomic
def do_create_record(data: dict[str, Any], *, actor: User, now: dt.datetime | None = None) -> Record:
    now = now or clock.now()
    validate_record(data)
    body = sanitize_html(data.get("body", "") or "")
    record = Record(
        **{k: v for k, v in data.items() if k in RECORD_FIELDS and k != "body"},
        body=body,
        body_text=html_to_text(body),
        created_by=actor,
        created_at=now,
        updated_at=now,
        status=Status.DRAFT,
    )
    record.index_number = data.get("index_number") or next_index_number(
        settings.AGENCY_ORG_CODE, record.formed_on.year
    )
    record.publish_due = compute_publish_due(record.formed_on)
    record.save()
    log_event("catalog.record.created", actor=actor, obj=record, after=snapshot(record))
    return record


@transaction.atomic
def do_update_record(
    record: Record,
    data: dict[str, Any],
    *,
    actor: User,
    expected_version: int,
    now: dt.datetime | None = None,
) -> Record:
    now = now or clock.now()
    record = _lock(record, expected_version)
    if record.status not in EDITABLE_STATUSES:
        raise TransitionError(_("只有草稿或已退回的信息可以修改。"))
    if not can_edit(actor, record):
        raise PermissionDeniedError(_("您无权修改该信息。"))
    merged = {**snapshot(record), **data}
    for key in ("category", "department"):
        if not hasattr(merged[key], "pk"):
            merged[key] = getattr(record, key)
    validate_record(merged)
    before = snapshot(record)
    for name in RECORD_FIELDS:
        if name in data:
            setattr(record, name, data[name])
    record.body = sanitize_html(record.body or "")
    record.body_text = html_to_text(record.body)
    record.publish_due = compute_publish_due(record.formed_on)
    record.updated_at = now
    record.version += 1
    record.save()
    log_event("catalog.record.updated", actor=actor, obj=record, before=before, after=snapshot(record))
    return record


@transaction.atomic
def do_submit_record(record: Record, *, actor: User, expected_version: int | None = None) -> Record:
    now = clock.now()
    record = _lock(record, expected_version)
    if not can_edit(actor, record):
        raise PermissionDeniedError(_("您无权提交该信息。"))
    _move(record, Status.SUBMITTED, actor=actor, now=now)
    record.version += 1
    record.updated_at = now
    record.save(update_fields=["status", "version", "updated_at"])
    log_event("catalog.record.submitted", actor=actor, obj=record)
    return record


def _require_reviewer(actor: User) -> None:
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDeniedError(_("只有公开办审核员可以审核、发布或撤回信息。"))


@transaction.atomic
def do_approve_record(
    record: Record, *, actor: User, expected_version: int | None = None, note: str = ""
) -> Record:
    """Attribute review passed (公开属性审核)."""
    _require_reviewer(actor)
    now = clock.now()
    record = _lock(record, expected_version)
    _move(record, Status.APPROVED, actor=actor, now=now, reason=note)
    record.return_reason = ""
    record.version += 1
    record.updated_at = now
    record.save(update_fields=["status", "return_reason", "version", "updated_at"])
    log_event("catalog.record.approved", actor=actor, obj=record, note=note)
    return record


@transaction.atomic
def do_return_record(
    record: Record, *, actor: User, reason: str, expected_version: int | None = None
) -> Record:
    _require_reviewer(actor)
    if not reason.strip():
        raise CatalogError(_("退回时须说明原因。"))
    now = clock.now()
    record = _lock(record, expected_version)
    _move(record, Status.RETURNED, actor=actor, now=now, reason=reason)
    record.return_reason = reason
    record.version += 1
    record.updated_at = now
    record.save(update_fields=["status", "return_reason", "version", "updated_at"])
    log_event("catalog.record.returned", actor=actor, obj=record, note=reason)
    return record


@transaction.atomic
def do_publish_record(
    record: Record,
    *,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    channels: tuple[str, ...] = (Channel.PORTAL,),
) -> Record:
    _require_reviewer(actor)
    now = now or clock.now()
    record = _lock(record, expected_version)
    if record.attribute != DisclosureAttribute.PROACTIVE:
        raise CatalogError(_("只有主动公开的信息可以发布。"))
    if record.secrecy != Secrecy.NON_SECRET:
        raise CatalogError(_("涉密信息不得公开发布。"))
    _move(record, Status.PUBLISHED, actor=actor, now=now)
    record.published_at = now
    record.version += 1
    record.updated_at = now
    record.save(update_fields=["status", "published_at", "version", "updated_at"])
    for channel in channels:
        Publication.objects.create(record=record, channel=channel, published_at=now, recorded_by=actor)
    search.index_records([record])
    log_event(
        "catalog.record.published",
        actor=actor,
        obj=record,
        after={"published_at": now.isoformat(), "channels": list(channels)},
    )
    return record


@transaction.atomic
def do_withdraw_record(
    record: Record, *, actor: User, reason: str, expected_version: int | None = None
) -> Record:
    _require_reviewer(actor)
    if not reason.strip():
        raise CatalogError(_("撤回时须说明原因。"))
    now = clock.now()
    record = _lock(record, expected_version)
    _move(record, Status.WITHDRAWN, actor=actor, now=now, reason=reason)
    record.withdrawn_at = now
    record.withdrawal_reason = reason
    record.version += 1
    record.updated_at = now
    record.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "version", "updated_at"])
    search.unindex_record(record.pk)
    log_event("catalog.record.withdrawn", actor=actor, obj=record, note=reason)
    return record


@transaction.atomic
def do_record_publication(
    record: Record, *, channel: str, published_at: dt.datetime, link: str = "", actor: User
) -> Publication:
    """Record that a published record also went out on another channel (press conference, Weibo …)."""
    if record.status != Status.PUBLISHED:
        raise CatalogError(_("只有已发布的信息可以登记发布渠道。"))
    if channel not in Channel.values:
        raise CatalogError(_("未知的发布渠道。"))
    publication = Publication.objects.create(
        record=record, channel=channel, published_at=published_at, link=link, recorded_by=actor
    )
    log_event(
        "catalog.publication.recorded",
        actor=actor,
        obj=record,
        after={"channel": channel, "published_at": published_at.isoformat(), "link": link},
    )
    return publication


@dataclass(frozen=True)
class UploadedFile:
    name: str
    content: bytes


@transaction.atomic
def do_add_attachment(record: Record, upload: UploadedFile, *, actor: User) -> Attachment:
    if record.status not in EDITABLE_STATUSES and not actor.has_role(Role.REVIEWER):
        raise TransitionError(_("只有草稿或已退回的信息可以添加附件。"))
    if len(upload.content) > settings.ATTACHMENT_MAX_BYTES:
        raise FileRejectedError(
            _("附件过大（上限 %(mb)d MB）。") % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    kind = sniff_attachment(upload.name, upload.content)
    digest = hashlib.sha256(upload.content).hexdigest()
    attachment = Attachment(
        record=record,
        original_name=upload.name[-200:],
        extension=kind.extension,
        content_type=kind.mime,
        size=len(upload.content),
        sha256=digest,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    attachment.file.save(f"{digest[:16]}{kind.extension}", ContentFile(upload.content), save=False)
    attachment.save()
    log_event(
        "catalog.attachment.added",
        actor=actor,
        obj=record,
        after={"file": attachment.original_name, "sha256": digest},
    )
    return attachment


@transaction.atomic
def do_update_page(page: Page, *, title: str, body: str, actor: User, expected_version: int) -> Page:
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDeniedError(_("只有公开办可以修改指南和栏目页面。"))
    locked = Page.objects.select_for_update().get(pk=page.pk)
    if locked.version != expected_version:
        raise ConflictError(_("该页面已被他人修改，请刷新后再编辑；您填写的内容未被保存。"))
    before = {"title": locked.title, "body": locked.body}
    locked.title = title
    locked.body = sanitize_html(body)
    locked.updated_at = clock.now()
    locked.updated_by = actor
    locked.version += 1
    locked.save()
    log_event("catalog.page.updated", actor=actor, obj=locked, before=before, after={"title": title})
    return locked
