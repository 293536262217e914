"""A chain rewritten from an edited event on, every later hash recomputed (raw SQL, as someone with
the database would), passes the hash check alone; the heads noted outside the database (the anchor
file, a head written down, a backup's manifest) catch it, and the daily job tells the security and
audit administrators."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.accounts.services import do_create_staff
from gongkai.core import anchors, audit, backup, crypto, events, tasks
from gongkai.core.models import AuditChainHead, AuditEvent, JobRun, OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchor_file(tmp_path: Path, settings: Any) -> Path:
    path = tmp_path / "audit-anchors.log"
    settings.AUDIT_ANCHOR_FILE = str(path)
    return path


def _events(n: int, start: int = 0) -> list[AuditEvent]:
    return [audit.log_event("core.test.done", actor=None, note=f"event {i}") for i in range(start, start + n)]


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _edit_and_recompute(seq: int) -> None:
    """Edit event `seq`, then recompute its hash and every later one with the chain's own function
    and move the head: the chain is whole again, only differently."""
    _raw("UPDATE core_auditevent SET note = %s WHERE chain_seq = %s", ["nothing happened", seq])
    previous = AuditEvent.objects.get(chain_seq=seq - 1).chain_hash if seq > 1 else ""
    rows = (
        AuditEvent.objects.filter(chain_seq__gte=seq)
        .order_by("chain_seq")
        .values("id", *audit.CHAINED_FIELDS)
    )
    last = seq
    for row in rows:
        last, previous = audit.chain_link(previous, row["chain_seq"], row, crypto.preferred_hash())
        _raw("UPDATE core_auditevent SET chain_hash = %s WHERE id = %s", [previous, row["id"]])
    _raw("UPDATE core_auditchainhead SET seq = %s, hash = %s WHERE id = 1", [last, previous])


def _cut_tail(from_seq: int) -> None:
    """Delete the events from `from_seq` on and move the head back to the one before."""
    _raw("DELETE FROM core_auditevent WHERE chain_seq >= %s", [from_seq])
    before = AuditEvent.objects.get(chain_seq=from_seq - 1)
    _raw(
        "UPDATE core_auditchainhead SET seq = %s, hash = %s WHERE id = 1",
        [before.chain_seq, before.chain_hash],
    )


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _verify_fails(*args: str) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_it_notes_the_head_after_a_clean_verify_in_a_private_chained_file(anchor_file):
    _events(3)
    assert "audit chain intact: 3 events, head 3" in _verify()
    _events(2, start=3)
    assert "audit chain intact: 5 events, head 5" in _verify()
    first, second = (json.loads(line) for line in anchor_file.read_text().splitlines())
    assert (first["seq"], first["hash"]) == (3, AuditEvent.objects.get(chain_seq=3).chain_hash)
    assert (second["seq"], second["by"], second["prev"]) == (5, "verify", first["line"])
    assert anchor_file.stat().st_mode & 0o777 == 0o600


def test_a_whole_chain_recomputed_after_an_edit_is_caught_by_the_anchor(anchor_file):
    _events(5)
    _verify()  # anchor at seq 5
    _events(2, start=5)
    _edit_and_recompute(2)
    assert list(audit.verify()) == []  # the hash chain alone cannot tell
    out = _verify_fails()
    assert "rewritten: seq 5 has hash" in out
    assert AuditEvent.objects.get(chain_seq=5).chain_hash in out
    assert len(anchor_file.read_text().splitlines()) == 1  # a broken chain's head is not noted


def test_the_anchored_tail_removed_is_caught(anchor_file):
    _events(5)
    _verify()
    _cut_tail(4)
    assert list(audit.verify()) == []
    assert "removed: seq 5 (noted" in _verify_fails()


def test_an_edited_anchor_file_is_caught(anchor_file):
    _events(3)
    _verify()
    _events(1, start=3)
    _verify()
    _edit_and_recompute(4)
    # Whoever recomputed the chain writes the new hash into the anchor file as well.
    lines = anchor_file.read_text().splitlines()
    last = json.loads(lines[1])
    last["hash"] = AuditEvent.objects.get(chain_seq=4).chain_hash
    anchor_file.write_text(lines[0] + "\n" + json.dumps(last) + "\n")
    out = _verify_fails()
    assert "anchor-edited:" in out
    assert "line 2 (seq 4) does not match its hash" in out
    # A line removed is named too (the next line's link to it is broken).
    anchor_file.write_text(lines[1] + "\n")
    assert "line 1 (seq 4) does not match its hash or the line before it" in _verify_fails()
    anchor_file.write_text("not an anchor\n")
    assert "line 1 is not an anchor" in _verify_fails()


def test_a_head_written_down_elsewhere_is_checked_with_expect_head(settings):
    assert settings.AUDIT_ANCHOR_FILE == ""  # off under pytest unless set: nothing noted here
    _events(4)
    head = audit.head()
    assert head is not None
    written_down = f"{head.seq}:{head.hash}"
    assert "audit chain intact" in _verify("--expect-head", written_down)
    _edit_and_recompute(1)
    assert f"rewritten: seq 4 has hash {audit.head().hash}, not {head.hash}" in _verify_fails(  # type: ignore[union-attr]
        "--expect-head", written_down
    )
    assert "removed: seq 9 (expected" in _verify_fails("--expect-head", f"9:{head.hash}")
    with pytest.raises(CommandError, match="SEQ:HASH"):
        call_command("audit", "verify", "--expect-head", "four")


def _archive(tmp_path: Path, manifest: dict[str, Any]) -> Path:
    archive = tmp_path / "gongkai-backup-20261203T020500000000Z.tar"
    data = json.dumps(manifest).encode()
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo(backup.MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return archive


def test_a_backups_manifest_head_is_checked_with_manifest(tmp_path):
    _events(3)
    head = audit.head()
    assert head is not None
    archive = _archive(
        tmp_path, {"created_at": "2026-12-03T02:05:00+08:00", "audit_head": {"seq": 3, "hash": head.hash}}
    )
    assert "audit chain intact" in _verify("--manifest", str(archive))
    _edit_and_recompute(3)
    out = _verify_fails("--manifest", str(archive))
    assert f"rewritten: seq 3 has hash {audit.head().hash}" in out  # type: ignore[union-attr]
    assert "noted 2026-12-03T02:05:00+08:00 by backup, --manifest" in out
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("audit", "verify", "--manifest", str(tmp_path / "missing.tar"))


@pytest.mark.django_db(transaction=True)
def test_a_backup_notes_the_head_its_manifest_carries(tmp_path, settings, anchor_file):
    settings.MEDIA_ROOT = tmp_path / "media"
    _events(2)
    archive = backup.backup(tmp_path / "backups")
    noted = json.loads(anchor_file.read_text())
    assert backup.read_manifest(archive)["audit_head"] == {"seq": noted["seq"], "hash": noted["hash"]}
    assert noted["by"] == f"backup {archive.name}"


def _admins(departments: dict[str, Any]) -> dict[str, Any]:
    def staff(username: str, name: str, role: str) -> Any:
        return do_create_staff(
            username=username,
            password="correct-horse-battery",
            full_name=name,
            department=departments["office"],
            roles=[role],
            email=f"{username}@example.gov.cn",
            actor=None,
        )

    return {
        "security": staff("security", "周安全", "security_admin"),
        "auditor": staff("auditor", "陈审计", "audit_admin"),
        "editor": staff("editor", "王编辑", "editor"),
    }


def _run_daily_job(time_machine: Any, capture: Any) -> JobRun | None:
    time_machine.move_to("2026-12-04 03:10:00+08:00")
    with capture(execute=True):
        run = tasks.queue_daily_audit_verify()
    return run


def test_the_daily_job_mails_the_security_and_audit_administrators_once_and_records_the_result(
    anchor_file, departments, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.AUDIT_VERIFY_AT_HOUR = 3
    people = _admins(departments)
    _events(4)
    _verify()
    _edit_and_recompute(2)
    time_machine.move_to("2026-12-04 02:10:00+08:00")
    assert tasks.queue_daily_audit_verify() is None  # not its hour
    run = _run_daily_job(time_machine, django_capture_on_commit_callbacks)
    assert run is not None and JobRun.objects.get(pk=run.pk).state == "done"
    assert sorted(m.to[0] for m in mail.outbox) == [people["auditor"].email, people["security"].email]
    assert "审计链" in mail.outbox[0].subject
    assert "rewritten: 1" in mail.outbox[0].body
    result = AuditEvent.objects.get(action=anchors.VERIFIED)
    after = result.after or {}
    assert after["findings"] == 1 and after["kinds"] == {"rewritten": 1}
    assert after["day"] == "2026-12-04" and not after["anchored"]
    assert "rewritten: seq" in result.note
    assert AuditEvent.objects.filter(action=anchors.ALERT_MAILED).count() == 2
    # The delivery run again (a crash after the mails went out) tells nobody a second time, and the
    # hourly check queues nothing more today.
    anchors.mail_broken_chain(OutboxEvent.objects.get(code=anchors.BROKEN))
    assert len(mail.outbox) == 2
    assert _run_daily_job(time_machine, django_capture_on_commit_callbacks) is None


def test_the_daily_job_on_a_clean_chain_notes_the_head_and_mails_nobody(
    anchor_file, departments, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.AUDIT_VERIFY_AT_HOUR = 3
    _admins(departments)
    _events(3)
    run = _run_daily_job(time_machine, django_capture_on_commit_callbacks)
    assert run is not None and JobRun.objects.get(pk=run.pk).state == "done"
    assert mail.outbox == []
    assert not OutboxEvent.objects.filter(code=anchors.BROKEN).exists()
    result = AuditEvent.objects.get(action=anchors.VERIFIED)
    after = result.after or {}
    assert after["findings"] == 0 and after["anchored"]
    noted = json.loads(anchor_file.read_text())
    assert (noted["seq"], noted["by"]) == (after["head_seq"], "core.audit.verify")
    # The result event itself is chained: the next check is clean too.
    assert "audit chain intact" in _verify()
    assert AuditChainHead.objects.get().seq == result.chain_seq
    assert events.subscribers_for(anchors.BROKEN)


def test_an_anchor_file_that_cannot_be_written_leaves_the_check_standing(tmp_path, settings):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchors.log" / "in-a-file")
    (tmp_path / "audit-anchors.log").write_text("")
    _events(2)
    err = io.StringIO()
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    assert "audit chain intact" in out.getvalue()
    assert "the head could not be noted" in err.getvalue()
