"""The audit trail: every service writes one event per official act."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils.functional import Promise
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext_lazy as _

from gongkai.core import clock, crypto
from gongkai.core.models import AuditChainHead, AuditEvent

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
    "accounts.role.granted": _("授予角色"),
    "accounts.role.revoked": _("撤销角色"),
    "accounts.login.succeeded": _("登录"),
    "accounts.login.failed": _("登录失败"),
    "accounts.login.locked": _("账户锁定"),
    "core.calendar.year_entered": _("录入节假日安排"),
    "core.demo.loaded": _("载入演示数据"),
    "core.personal_data.viewed": _("查看个人信息"),
}

# Who saw whose personal data: one event each time a page or file shows it unmasked.
PERSONAL_DATA_VIEWED = "core.personal_data.viewed"


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
    event = AuditEvent(
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
    with transaction.atomic():
        head = _lock_head()
        row = {name: getattr(event, name) for name in CHAINED_FIELDS if name != "chain_seq"}
        row["actor_id"] = event.actor_id
        seq, digest = chain_link(head.hash, head.seq + 1, row, crypto.preferred_hash())
        event.chain_seq, event.chain_hash = seq, digest
        event.save(force_insert=True)
        _move_head(seq, digest)
    return event


def log_personal_data_view(actor: User, obj: models.Model, *, view: str, **detail: str) -> AuditEvent:
    """Record that `actor` was shown the personal data held on `obj` (a case) unmasked, through
    `view` ("case", "letter", …) — which object and which page or file, never the data itself."""
    return log_event(PERSONAL_DATA_VIEWED, actor=actor, obj=obj, after={"view": view, **detail})


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
    (the import's multi-row INSERT or COPY, in its transaction), else with bulk_create.

    The rows are chained here, in one pass in Python, behind the locked chain head. With the
    import's SQLite StatementWriter the head is read and moved on this thread while the writer's
    thread inserts the records queued before: both use the one connection (sqlite3 serialises
    its calls) inside the import's IMMEDIATE transaction, and nothing queued touches the head."""
    if not rows:
        return
    with transaction.atomic() if not connection.in_atomic_block else _no_block():
        head = _lock_head()
        algorithm = crypto.preferred_hash()
        previous, seq = head.hash, head.seq
        for row in rows:
            seq, previous = chain_link(previous, seq + 1, row, algorithm)
            row["chain_seq"], row["chain_hash"] = seq, previous
        if insert is not None:
            insert(AuditEvent, rows)
        else:
            AuditEvent.objects.bulk_create(AuditEvent(**row) for row in rows)
        _move_head(seq, previous)


class _no_block:
    """A stand-in for transaction.atomic() inside the caller's transaction: a savepoint would be
    placed among the statements the import's writer thread is still running."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


# The hash chain. Each event's hash covers the previous event's hash and these fields of its own,
# serialised canonically (JSON, sorted keys, times in UTC to the microsecond), so editing,
# inserting or removing any event breaks the chain at that event (`verify`).
CHAINED_FIELDS = (
    "chain_seq",
    "at",
    "act_on",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
    "ip_address",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(seq: int, row: dict[str, Any]) -> bytes:
    """The bytes an event's hash covers (the same for a row before insert and as read back)."""
    ip = row.get("ip_address")
    if ip and ":" in ip:
        ip = clean_ipv6_address(ip)  # as GenericIPAddressField stores it
    values = [
        seq,
        _plain(row.get("at")),
        _plain(row.get("act_on")),
        row.get("actor_id"),
        row.get("actor_label") or "",
        row.get("action") or "",
        row.get("object_type") or "",
        row.get("object_id") or "",
        row.get("object_repr") or "",
        row.get("before"),
        row.get("after"),
        row.get("note") or "",
        ip or None,
    ]
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain_link(previous: str, seq: int, row: dict[str, Any], algorithm: str) -> tuple[int, str]:
    """(seq, "<algorithm>:<hex>") for the event at `seq` following the hash `previous`."""
    data = previous.encode() + b"\n" + canonical(seq, row)
    return seq, f"{algorithm}:{crypto.digest(algorithm, data)}"


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a fresh or flushed database: the chain starts again
        # Two first writers may both find no head: one creates it, the other waits on its row.
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1, seq=0, hash="")], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _move_head(seq: int, digest: str) -> None:
    AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=digest)


@dataclass(frozen=True)
class Finding:
    """One break in the chain: `kind` is edited, inserted or removed."""

    kind: str
    message: str
    event_id: int | None = None


def _describe(row: dict[str, Any]) -> str:
    return f"#{row['id']} (seq {row['chain_seq']}, {_plain(row['at'])}, {row['action']}, {row['object_repr'][:60]})"


def verify() -> Iterator[Finding]:
    """Walk the chain in order and name every event edited, inserted or removed."""
    fields = ("id", *CHAINED_FIELDS, "chain_hash")
    for row in AuditEvent.objects.filter(chain_seq__isnull=True).values(*fields).iterator(chunk_size=2000):
        yield Finding("inserted", f"event {_describe(row)} is not in the chain (inserted)", row["id"])
    previous, expected_seq = "", 1
    for row in (
        AuditEvent.objects.filter(chain_seq__isnull=False)
        .order_by("chain_seq")
        .values(*fields)
        .iterator(chunk_size=2000)
    ):
        seq = row["chain_seq"]
        stored = row["chain_hash"] or ""
        algorithm = stored.partition(":")[0]
        if seq != expected_seq:
            yield Finding(
                "removed",
                f"events seq {expected_seq}–{seq - 1} are missing (removed) before event {_describe(row)}",
                row["id"],
            )
        elif (
            algorithm not in (crypto.SM3, crypto.SHA256)
            or chain_link(previous, seq, row, algorithm)[1] != stored
        ):
            yield Finding(
                "edited",
                f"event {_describe(row)} does not match its hash (edited, or inserted in its place)",
                row["id"],
            )
        previous, expected_seq = stored, seq + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last = expected_seq - 1
    if head is not None and head.seq > last:
        yield Finding(
            "removed", f"events seq {last + 1}–{head.seq} at the end of the chain are missing (removed)"
        )
    elif head is not None and (head.seq < last or head.hash != previous):
        yield Finding("inserted", f"events after seq {head.seq} were added outside the audit API (inserted)")
    elif head is None and last:
        yield Finding("removed", "the chain head is missing")


def head() -> AuditChainHead | None:
    """The chain's last (seq, hash): note it outside the system (the backup manifest carries it)."""
    return AuditChainHead.objects.filter(pk=1).first()
