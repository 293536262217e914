"""Anchors: the audit chain's head noted outside the database.

The hash chain (core/audit.py) names an event edited, inserted or removed, unless whoever did it
recomputed every hash after it: with the database alone nothing tells the new chain from the old.
So after every clean verify and every backup the head (seq, hash, time) is appended to
GONGKAI_AUDIT_ANCHOR_FILE (mode 0600), one JSON line each, every line hashed together with the
previous line's hash, so an edited, inserted or removed line is named too. `check` asks the chain
whether every noted head is still in it with the same hash: a recomputed chain is `rewritten` from
the first anchor after the edit, a cut tail `removed`. Heads kept elsewhere (a copy of the file, a
backup's manifest, one written down) are checked the same way (`gongkai audit verify
--expect-head SEQ:HASH`, `--manifest BACKUP.tar`).

The daily `core.audit.verify` job (core/tasks.py) runs `do_verify_audit_chain`: the check, the
anchor, the result as an audit event and, on any finding, an e-mail to the security and audit
administrators through the outbox (core/events.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, clock, events, roles
from gongkai.core.audit import Finding, register_action_labels
from gongkai.core.models import AuditChainHead, AuditEvent, OutboxEvent

logger = logging.getLogger(__name__)

# The daily check's result (one event a day) and each e-mail sent about a broken chain.
VERIFIED = "core.audit.verified"
BROKEN = "core.audit.chain_broken"
ALERT_MAILED = "core.audit.alert_mailed"

register_action_labels(
    {
        VERIFIED: gettext_lazy("校验审计链"),
        BROKEN: gettext_lazy("审计链校验发现问题"),
        ALERT_MAILED: gettext_lazy("发送审计链告警"),
    }
)

ANCHOR_EDITED = "anchor-edited"
_LINE_FIELDS = ("seq", "hash", "at", "by", "prev")


@dataclass(frozen=True)
class Anchor:
    """A head noted at some time: `where` says where it was read (file line, option, manifest)."""

    seq: int
    hash: str
    at: str = ""
    by: str = ""
    where: str = ""


def anchor_file() -> Path | None:
    """GONGKAI_AUDIT_ANCHOR_FILE, or None where anchoring is off (an empty setting: the tests)."""
    name = settings.AUDIT_ANCHOR_FILE
    return Path(name) if name else None


def _line_hash(fields: dict[str, Any]) -> str:
    values = [fields[name] for name in _LINE_FIELDS]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _parse_line(line: str) -> dict[str, Any] | None:
    try:
        fields = json.loads(line)
        if not isinstance(fields, dict) or not all(name in fields for name in (*_LINE_FIELDS, "line")):
            return None
        fields["seq"] = int(fields["seq"])
    except (ValueError, TypeError):
        return None
    return fields


def note(seq: int, digest: str, *, by: str) -> Anchor | None:
    """Append the head (`seq`, `digest`) to the anchor file; None if anchoring is off or the chain
    is empty. The file is locked while the previous line is read and the new one written."""
    path = anchor_file()
    if path is None or not seq:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # the job, a backup and an operator's verify may meet
        os.fchmod(f.fileno(), 0o600)
        f.seek(0)
        text = f.read().decode("utf-8", errors="replace")
        lines = text.splitlines()
        last = _parse_line(lines[-1]) if lines else None
        fields: dict[str, Any] = {
            "seq": seq,
            "hash": digest,
            "at": clock.now().isoformat(),
            "by": by,
            "prev": last["line"] if last is not None else "",
        }
        fields["line"] = _line_hash(fields)
        start = "\n" if text and not text.endswith("\n") else ""  # after a line cut short by a crash
        f.write((start + json.dumps(fields, ensure_ascii=False, separators=(",", ":")) + "\n").encode())
        f.flush()
        os.fsync(f.fileno())
    return Anchor(seq, digest, fields["at"], by, str(path))


def read(path: Path) -> tuple[list[Anchor], list[Finding]]:
    """The anchors in the file, and a finding for each line edited, inserted or out of place."""
    if not path.exists():
        return [], []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return [], [Finding("anchor-unreadable", f"{path} cannot be read ({exc}): no anchor checked")]
    anchors: list[Anchor] = []
    findings: list[Finding] = []
    previous = ""
    for number, line in enumerate(text.splitlines(), 1):
        fields = _parse_line(line)
        if fields is None:
            findings.append(
                Finding(ANCHOR_EDITED, f"{path} line {number} is not an anchor (anchor file edited)")
            )
            previous = ""
            continue
        if fields["prev"] != previous or _line_hash(fields) != fields["line"]:
            findings.append(
                Finding(
                    ANCHOR_EDITED,
                    f"{path} line {number} (seq {fields['seq']}) does not match its hash or the line "
                    "before it (anchor file edited, lines inserted or removed)",
                )
            )
        previous = str(fields["line"])
        anchors.append(
            Anchor(
                fields["seq"],
                str(fields["hash"]),
                str(fields["at"]),
                str(fields["by"]),
                f"{path} line {number}",
            )
        )
    return anchors, findings


def parse_head(text: str, *, where: str = "--expect-head") -> Anchor:
    """`SEQ:HASH` (the hash names its algorithm: `12:sm3:ab…`), as `gongkai audit head` prints it
    with a colon for the space."""
    seq, sep, digest = text.strip().replace(" ", ":", 1).partition(":")
    if not sep or not seq.isdigit() or ":" not in digest:
        raise ValueError(f"{where}: expected SEQ:HASH (e.g. 12:sm3:…), not {text!r}")
    return Anchor(int(seq), digest, where=f"{where} {seq}")


def from_manifest(manifest: dict[str, Any], *, where: str) -> Anchor | None:
    """The head a backup's manifest carries (None for a backup of an empty chain)."""
    head = manifest.get("audit_head")
    if not head or not head.get("seq"):
        return None
    return Anchor(int(head["seq"]), str(head["hash"]), str(manifest.get("created_at", "")), "backup", where)


def check(extra: Sequence[Anchor] = ()) -> list[Finding]:
    """Every anchor in the file and in `extra` compared with the chain: `rewritten` where the event
    at its seq has another hash, `removed` where there is no event at its seq any more."""
    path = anchor_file()
    anchors, findings = read(path) if path is not None else ([], [])
    anchors = [*anchors, *extra]
    seqs = sorted({a.seq for a in anchors})
    stored: dict[int, tuple[int, str]] = {}
    for i in range(0, len(seqs), 500):
        rows = AuditEvent.objects.filter(chain_seq__in=seqs[i : i + 500]).values_list(
            "chain_seq", "id", "chain_hash"
        )
        stored.update({seq: (pk, digest) for seq, pk, digest in rows if seq is not None})
    for anchor in anchors:
        noted = f"noted {anchor.at} by {anchor.by}" if anchor.at else "expected"
        found = stored.get(anchor.seq)
        if found is None:
            findings.append(
                Finding(
                    "removed",
                    f"seq {anchor.seq} ({noted}, {anchor.where}) is no longer in the chain (removed)",
                )
            )
        elif found[1] != anchor.hash:
            findings.append(
                Finding(
                    "rewritten",
                    f"seq {anchor.seq} has hash {found[1]}, not {anchor.hash} ({noted}, {anchor.where}): "
                    "the chain was rewritten at or before this event",
                    found[0],
                )
            )
    return findings


@dataclass(frozen=True)
class Verification:
    findings: list[Finding]
    events: int
    head: AuditChainHead | None
    anchor: Anchor | None
    anchor_error: str = ""  # why the head could not be noted (the check itself stands)


def verify(*, expected: Iterable[Anchor] = (), by: str = "verify") -> Verification:
    """The chain walked (audit.verify), the anchors checked and, if all is well, the head noted.

    The head is read before the walk: events written meanwhile are walked too, so the noted head
    is one the walk found intact."""
    head = audit.head()
    findings = [*audit.verify(), *check(list(expected))]
    anchor, error = None, ""
    if head is not None and not findings:
        try:
            anchor = note(head.seq, head.hash, by=by)
        except OSError as exc:
            error = f"the head could not be noted in {anchor_file()}: {exc}"
            logger.error("audit: %s", error)
    return Verification(findings, AuditEvent.objects.count(), head, anchor, error)


def do_verify_audit_chain(*, day: str) -> Verification:
    """The daily check: verify and anchor, record the result, and on any finding tell the security
    and audit administrators (the outbox mails them after commit)."""
    result = verify(by="core.audit.verify")
    kinds = dict(Counter(f.kind for f in result.findings))
    summary = {
        "day": day,
        "events": result.events,
        "head_seq": result.head.seq if result.head else 0,
        "head_hash": result.head.hash if result.head else "",
        "findings": len(result.findings),
        "kinds": kinds,
        "anchored": result.anchor is not None,
        "anchor_error": result.anchor_error,
    }
    event = audit.log_event(
        VERIFIED,
        actor=None,
        after=summary,
        note="\n".join(f"{f.kind}: {f.message}" for f in result.findings[:50])[:4000],
    )
    if result.findings:
        events.emit(BROKEN, event, payload=summary)
    return result


def alert_recipients() -> list[Any]:
    """The security and audit administrators with an address (core names their role codes,
    `core.roles`, and reaches the user model through Django: it imports no app)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, roles__role__in=[roles.SECURITY_ADMIN, roles.AUDIT_ADMIN])
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


class AlertFailed(Exception):
    """The alert could not be mailed to someone (the outbox retries; those mailed are not again)."""


def alert_message(payload: dict[str, Any]) -> tuple[str, str]:
    """Kinds and counts only: the findings' detail (which may name a case) stays on the server."""
    subject = _("【公开】审计链校验发现 %(count)d 个问题") % {"count": payload["findings"]}
    kinds = "\n".join(f"  {kind}: {count}" for kind, count in sorted(payload["kinds"].items()))
    body = _(
        "%(day)s 的审计链每日校验发现 %(count)d 个问题：\n%(kinds)s\n\n"
        "审计事件共 %(events)d 条，链头 %(seq)d。审计记录可能被修改、删除或整体重算。"
        "请在服务器上运行 gongkai audit verify 查看详情，并与保存在别处的锚点核对。"
    ) % {
        "day": payload["day"],
        "count": payload["findings"],
        "kinds": kinds,
        "events": payload["events"],
        "seq": payload["head_seq"],
    }
    return subject, body


@events.subscribe(BROKEN)
def mail_broken_chain(event: OutboxEvent) -> None:
    """Mail each security and audit administrator once; each message sent is itself an audit
    event, so a delivery run again after a crash or a mail failure tells only those not yet told."""
    told = set(
        AuditEvent.objects.filter(action=ALERT_MAILED, after__event=event.pk).values_list(
            "object_id", flat=True
        )
    )
    subject, body = alert_message(event.payload)
    failed = 0
    for person in alert_recipients():
        if str(person.pk) in told:
            continue
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]).send()
        except Exception as exc:
            logger.error("audit: chain alert to user %s failed (%s)", person.pk, type(exc).__name__)
            failed += 1
            continue
        audit.log_event(
            ALERT_MAILED, actor=None, obj=person, after={"event": event.pk, "day": event.payload["day"]}
        )
    if failed:
        raise AlertFailed(f"{failed} recipient(s)")
