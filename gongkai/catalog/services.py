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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.catalog import search
from gongkai.catalog.choices import (
    Channel,
    DisclosureAttribute,
    Secrecy,
    Status,
    Validity,
)
from gongkai.catalog.files import FileRejectedError, sniff_attachment
from gongkai.catalog.models import (
    Attachment,
    Category,
    IndexSequence,
    Page,
    Publication,
    Record,
)
from gongkai.catalog.workflows import PAGE, RECORD
from gongkai.core import acts, clock, scan
from gongkai.core.audit import register_action_labels
from gongkai.core.deadlines import publication_deadline
from gongkai.core.params import YEAR_MIN
from gongkai.core.rules import RuleSetUnknownError
from gongkai.core.text import html_to_text, sanitize_html
from gongkai.core.workdays import CalendarUnknownError

register_action_labels({"catalog.record.validity_changed": gettext_lazy("变更有效性")})

# The kernel's refusals, under the names the catalog's callers know.
CatalogError = acts.ActError
TransitionError = acts.TransitionError
ConflictError = acts.ConflictError
PermissionDeniedError = acts.PermissionDeniedError


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
    "repealed_on",
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
    repealed_on, formed_on = data.get("repealed_on"), data.get("formed_on")
    if isinstance(formed_on, dt.date) and formed_on.year < YEAR_MIN:
        # The index number carries the year in four digits (`…/2015-00001`).
        raise CatalogError(_("成文日期不能早于%(year)s年，请核对。") % {"year": YEAR_MIN})
    if (
        data.get("validity") == Validity.REPEALED
        and isinstance(repealed_on, dt.date)
        and isinstance(formed_on, dt.date)
        and repealed_on < formed_on
    ):
        raise CatalogError(_("废止日期不能早于成文日期。"))


def repeal_date(record: Record, today: dt.date) -> dt.date | None:
    """The day the record was repealed: the one given, else `today` when it is marked 已废止 now;
    none unless its validity is 已废止 (annual report table 二 counts repeals by this date)."""
    if record.validity != Validity.REPEALED:
        return None
    return record.repealed_on or today


def can_edit(user: User, record: Record) -> bool:
    return RECORD.may(user, record, "update")


def do_create_record(data: dict[str, Any], *, actor: User, now: dt.datetime | None = None) -> Record:
    now = now or clock.now()
    with transaction.atomic():
        department = data.get("department")
        acts.guard(RECORD, actor, Record(department=department) if department else Record(), "create")
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
        record.repealed_on = repeal_date(record, timezone.localdate(now))
        record.save()
        acts.record_act("catalog.record.created", record, actor=actor, after=snapshot(record))
    return record


def do_update_record(
    record: Record,
    data: dict[str, Any],
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Record:
    before: dict[str, Any] = {}

    def change(locked: Record) -> None:
        merged = {**snapshot(locked), **data}
        for key in ("category", "department"):
            if not hasattr(merged[key], "pk"):
                merged[key] = getattr(locked, key)
        validate_record(merged)
        if "department" in data and not RECORD.may(actor, Record(department=merged["department"]), "create"):
            raise PermissionDeniedError(_("只能把信息归入本部门。"))
        before.update(snapshot(locked))
        for name in RECORD_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.body = sanitize_html(locked.body or "")
        locked.body_text = html_to_text(locked.body)
        locked.publish_due = compute_publish_due(locked.formed_on)
        locked.repealed_on = repeal_date(locked, timezone.localdate(now or clock.now()))

    return acts.perform(
        RECORD,
        record,
        "update",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        before=before,
        after=lambda r, _v: snapshot(r),
        what=_("该信息"),
    ).obj


def do_submit_record(record: Record, *, actor: User, expected_version: int | None) -> Record:
    return acts.perform(RECORD, record, "submit", actor=actor, version=expected_version, what=_("该信息")).obj


def do_approve_record(record: Record, *, actor: User, expected_version: int | None, note: str = "") -> Record:
    """Attribute review passed (公开属性审核), by someone other than who drafted or submitted it."""

    def change(locked: Record) -> None:
        locked.return_reason = ""

    return acts.perform(
        RECORD,
        record,
        "approve",
        actor=actor,
        version=expected_version,
        apply=change,
        reason=note,
        what=_("该信息"),
    ).obj


def do_return_record(record: Record, *, actor: User, reason: str, expected_version: int | None) -> Record:
    if not reason.strip():
        raise CatalogError(_("退回时须说明原因。"))

    def change(locked: Record) -> None:
        locked.return_reason = reason

    return acts.perform(
        RECORD,
        record,
        "return",
        actor=actor,
        version=expected_version,
        apply=change,
        reason=reason,
        what=_("该信息"),
    ).obj


def do_publish_record(
    record: Record,
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
    channels: tuple[str, ...] = (Channel.PORTAL,),
) -> Record:
    now = now or clock.now()

    def change(locked: Record) -> None:
        if locked.attribute != DisclosureAttribute.PROACTIVE:
            raise CatalogError(_("只有主动公开的信息可以发布。"))
        if locked.secrecy != Secrecy.NON_SECRET:
            raise CatalogError(_("涉密信息不得公开发布。"))
        locked.published_at = now
        for channel in channels:
            Publication.objects.create(record=locked, channel=channel, published_at=now, recorded_by=actor)

    # The index entry in the act's transaction: a crash between the two would leave the record
    # published but not found by search (issue 12, catalog/tests/test_worker_kill.py).
    with transaction.atomic():
        done = acts.perform(
            RECORD,
            record,
            "publish",
            actor=actor,
            version=expected_version,
            apply=change,
            now=now,
            after={"published_at": now.isoformat(), "channels": list(channels)},
            what=_("该信息"),
        )
        search.index_records([done.obj])
    return done.obj


def do_withdraw_record(record: Record, *, actor: User, reason: str, expected_version: int | None) -> Record:
    if not reason.strip():
        raise CatalogError(_("撤回时须说明原因。"))

    def change(locked: Record) -> None:
        locked.withdrawn_at = clock.now()
        locked.withdrawal_reason = reason
        search.unindex_record(locked.pk)

    return acts.perform(
        RECORD,
        record,
        "withdraw",
        actor=actor,
        version=expected_version,
        apply=change,
        reason=reason,
        what=_("该信息"),
    ).obj


def do_change_validity(
    record: Record,
    *,
    validity: str,
    document: str,
    reason: str,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Record:
    """A published record repealed or amended by a later `document` on the day `on` (default
    today), or put back in force when it was marked so by mistake. It stays published, marked so;
    for 已废止 the day is `repealed_on`, which annual report table 二 counts."""
    now = now or clock.now()
    today = timezone.localdate(now)
    on = on or today
    document, reason = document.strip(), reason.strip()
    # Who may, and from which state, before what was typed: the kernel checks both again, locked.
    acts.guard(RECORD, actor, record, "change_validity")
    if validity not in Validity.values:
        raise CatalogError(_("请选择有效性。"))
    if validity != Validity.IN_FORCE and not document:
        raise CatalogError(_("请填写废止或修改该信息的文件（文号或标题）。"))
    if len(document) > 300:
        raise CatalogError(_("文件的文号或标题不能超过300字。"))
    if not reason:
        raise CatalogError(_("变更有效性时须说明原因。"))
    if on > today:
        raise acts.DateError(_("生效日期不能晚于今天（%(d)s）。") % {"d": today.isoformat()})
    if on < record.formed_on:
        raise acts.DateError(
            _("生效日期不能早于该信息的成文日期（%(d)s）。") % {"d": record.formed_on.isoformat()}
        )
    if validity == Validity.IN_FORCE:
        document = ""  # a mistaken marking undone: no repealing document, no day
    before: dict[str, Any] = {}

    def values(r: Record) -> dict[str, Any]:
        return {
            "validity": r.validity,
            "repealed_on": r.repealed_on.isoformat() if r.repealed_on else None,
            "amended_on": r.amended_on.isoformat() if r.amended_on else None,
            "validity_document": r.validity_document,
        }

    def change(locked: Record) -> None:
        before.update(values(locked))
        locked.validity = validity
        locked.repealed_on = on if validity == Validity.REPEALED else None
        locked.amended_on = on if validity == Validity.AMENDED else None
        locked.validity_document = document
        if values(locked) == before:
            raise CatalogError(_("有效性、生效日期和文件都与现在相同，无需变更。"))

    # The entry follows the record in the act's transaction, as publishing does.
    with transaction.atomic():
        done = acts.perform(
            RECORD,
            record,
            "change_validity",
            actor=actor,
            version=expected_version,
            apply=change,
            on=on,
            now=now,
            reason=reason,
            before=before,
            after=lambda r, _v: values(r),
            what=_("该信息"),
        )
        search.index_records([done.obj])
    return done.obj


def do_record_publication(
    record: Record,
    *,
    channel: str,
    published_at: dt.datetime,
    link: str = "",
    actor: User,
    expected_version: int | None,
) -> Publication:
    """Record that a published record also went out on another channel (press conference, Weibo …)."""
    if channel not in Channel.values:
        raise CatalogError(_("未知的发布渠道。"))
    if published_at > clock.now():
        raise acts.DateError(_("发布时间不能晚于现在。"))

    def change(locked: Record) -> Publication:
        return Publication.objects.create(
            record=locked, channel=channel, published_at=published_at, link=link, recorded_by=actor
        )

    done = acts.perform(
        RECORD,
        record,
        "record_publication",
        actor=actor,
        version=expected_version,
        apply=change,
        after={"channel": channel, "published_at": published_at.isoformat(), "link": link},
        what=_("该信息"),
    )
    assert done.value is not None
    return done.value


@dataclass(frozen=True)
class UploadedFile:
    name: str
    content: bytes


def do_add_attachment(
    record: Record, upload: UploadedFile, *, actor: User, expected_version: int | None
) -> Attachment:
    if len(upload.content) > settings.ATTACHMENT_MAX_BYTES:
        raise FileRejectedError(
            _("附件过大（上限 %(mb)d MB）。") % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    kind = sniff_attachment(upload.name, upload.content)
    try:
        scan.check(upload.content)  # ClamAV when configured (core/scan.py)
    except scan.ScanRefused as exc:
        raise FileRejectedError(str(exc)) from exc
    digest = hashlib.sha256(upload.content).hexdigest()

    def change(locked: Record) -> Attachment:
        attachment = Attachment(
            record=locked,
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
        from gongkai.catalog.tasks import queue_extraction  # tasks imports services' neighbours

        queue_extraction(attachment.pk, locked.pk)  # text extracted in the background, then searched
        return attachment

    done = acts.perform(
        RECORD,
        record,
        "add_attachment",
        actor=actor,
        version=expected_version,
        apply=change,
        after={"file": upload.name[-200:], "sha256": digest},
        what=_("该信息"),
    )
    assert done.value is not None
    return done.value


def do_update_page(page: Page, *, title: str, body: str, actor: User, expected_version: int | None) -> Page:
    before: dict[str, Any] = {}

    def change(locked: Page) -> None:
        before.update(title=locked.title, body=locked.body)
        locked.title = title
        locked.body = sanitize_html(body)
        locked.updated_by = actor

    return acts.perform(
        PAGE,
        page,
        "update",
        actor=actor,
        version=expected_version,
        apply=change,
        before=before,
        after={"title": title},
        what=_("该页面"),
    ).obj
