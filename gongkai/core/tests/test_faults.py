"""The fault suite (issue 12): a database error, a full disk during an upload and a mail server
down each give a clear message, and nothing is half-saved."""

from __future__ import annotations

import errno
import html
import importlib
import os
import sqlite3
import subprocess

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import OperationalError, connection, connections
from django.utils import translation

from gongkai.catalog.models import Attachment, Record
from gongkai.catalog.tests.test_attachments import PDF
from gongkai.catalog.tests.test_staff_editing import form_data
from gongkai.core.faults import SafeFileSystemStorage
from gongkai.core.models import AuditEvent
from gongkai.inforequests.models import Application
from gongkai.inforequests.tests.test_api_applications import _today, payload, post, token
from gongkai.inforequests.tests.test_public_apply import _fresh_rate_limits
from gongkai.inforequests.tests.test_public_apply import form_data as apply_data

__all__ = ["_fresh_rate_limits", "_today", "apply_data", "form_data", "payload", "token"]


def _busy_on(table: str):
    """A database that refuses every write to `table` as SQLite does when another writer holds it."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and table in sql:
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_database_error_on_a_staff_form_says_nothing_was_saved_and_shows_what_was_typed(
    client, editor, form_data, language
):
    client.force_login(editor)
    client.cookies["gk_lang"] = language
    events = AuditEvent.objects.count()
    client.raise_request_exception = False

    with connection.execute_wrapper(_busy_on("catalog_record")):
        response = client.post("/workbench/records/new/", {**form_data, "summary": "我花了一小时写的概述"})

    assert response.status_code == 503 and response["Retry-After"] == "30"
    body = response.content.decode()
    with translation.override(language):
        message = translation.gettext(
            "数据库暂时无法完成操作（可能正忙），您这次的操作没有保存。请稍后重新提交。"
        )
    assert message in body
    assert "我花了一小时写的概述" in body  # nothing typed is lost
    assert "csrfmiddlewaretoken" not in body
    assert not Record.objects.exists() and AuditEvent.objects.count() == events


def test_a_database_error_in_the_api_answers_503_in_its_shape(client, token, payload):
    client.raise_request_exception = False
    with connection.execute_wrapper(_busy_on("inforequests_application")):
        response = post(client, payload, token)

    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "database_unavailable" and body["message_en"].startswith("The database")
    assert not Application.objects.exists()


def test_a_password_is_never_shown_back(client, editor):
    client.raise_request_exception = False
    with connection.execute_wrapper(_busy_on("core_audit")):  # the failed sign-in is audited
        response = client.post("/accounts/login/", {"username": "editor", "password": "my-secret-pw-1"})
    body = response.content.decode()
    assert response.status_code == 503
    assert "my-secret-pw-1" not in body


class _FillsUp(ContentFile):  # type: ignore[type-arg]
    """A file whose writing fills the disk after the first chunk."""

    def chunks(self, chunk_size=None):
        yield self.read(64)
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_leaves_no_partial_file(tmp_path):
    storage = SafeFileSystemStorage(location=tmp_path)
    with pytest.raises(OSError):
        storage.save("attachments/x.pdf", _FillsUp(PDF * 10))
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_full_disk_during_an_upload_says_so_and_keeps_nothing(
    client, editor, make_record, settings, tmp_path, monkeypatch, language
):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_SCAN_COMMAND = "off"
    record = make_record()
    client.force_login(editor)
    client.cookies["gk_lang"] = language
    client.raise_request_exception = False
    events, version = AuditEvent.objects.count(), record.version
    monkeypatch.setattr(ContentFile, "chunks", _FillsUp.chunks)

    response = client.post(
        f"/workbench/records/{record.pk}/attachments/",
        {"file": ContentFile(PDF * 100, name="通告.pdf"), "version": record.version},
    )

    assert response.status_code == 503
    with translation.override(language):
        message = translation.gettext(
            "服务器存储空间已满，文件和本次操作都没有保存。请通知系统管理员清理空间后重新提交。"
        )
    assert html.escape(message) in response.content.decode()  # the page escapes the apostrophe
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    record.refresh_from_db()
    assert record.version == version


class DownBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_mail_server_down_leaves_the_application_standing(
    client, apply_data, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "gongkai.core.tests.test_faults.DownBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/apply/", {**apply_data, "email": "zhangsan@example.com"})

    assert response.status_code == 302
    assert Application.objects.count() == 1
    assert mail.outbox == []


@pytest.fixture
def small_disk(tmp_path):
    """A real, nearly full filesystem: a 512 KiB tmpfs with 64 KiB left. Skips where mounting is not
    allowed (not root, or a container without CAP_SYS_ADMIN)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.decode().strip()}")
    try:
        (mount / "filler").write_bytes(b"\0" * (512 - 64) * 1024)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_during_an_upload_says_so_and_loses_nothing(
    client, editor, make_record, settings, small_disk
):
    """Not a simulated error: the upload meets a filesystem with 64 KiB left."""
    settings.MEDIA_ROOT = small_disk / "media"
    settings.UPLOAD_SCAN_COMMAND = "off"
    record = make_record()
    client.force_login(editor)
    client.raise_request_exception = False
    small = client.post(
        f"/workbench/records/{record.pk}/attachments/",
        {"file": ContentFile(PDF, name="小文件.pdf"), "version": record.version},
    )
    assert small.status_code in (200, 302), small.status_code  # what fits is saved
    record.refresh_from_db()
    saved, events, version = Attachment.objects.count(), AuditEvent.objects.count(), record.version
    assert saved == 1
    files_before = {p.name for p in small_disk.rglob("*") if p.is_file()}

    big = PDF + b"%" + b"x" * (256 * 1024)  # larger than what is left
    response = client.post(
        f"/workbench/records/{record.pk}/attachments/",
        {"file": ContentFile(big, name="大文件.pdf"), "version": record.version},
    )

    assert response.status_code == 503
    assert "服务器存储空间已满" in response.content.decode()
    assert Attachment.objects.count() == saved  # the first file is still there, the second not half-saved
    assert AuditEvent.objects.count() == events
    assert {p.name for p in small_disk.rglob("*") if p.is_file()} == files_before
    record.refresh_from_db()
    assert record.version == version
    assert Attachment.objects.get().file.read() == PDF


@pytest.fixture
def database_on_small_disk(transactional_db, tmp_path):
    """The test database as a file on a 64 MiB tmpfs (SQLite; the in-memory test database copied
    there for this test). Yields the mount point; the test fills it."""
    if connection.vendor != "sqlite":
        pytest.skip("the database's own disk is SQLite's case (PostgreSQL's is the server's)")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.decode().strip()}")
    memory_settings, memory_connection = connections.settings["default"], connections["default"]
    try:
        path = mount / "gongkai.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        connections.settings["default"] = {**memory_settings, "NAME": str(path)}
        del connections["default"]
        _seeded()
        yield mount
    finally:
        connections["default"].close()
        connections.settings["default"] = memory_settings
        connections["default"] = memory_connection
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _seeded() -> None:
    """The categories and pages the migrations seed: a transactional test run before this one on
    the same worker empties every table, and this test's copy starts from what is left."""
    from django.apps import apps

    from gongkai.catalog.models import Category

    if not Category.objects.exists():
        importlib.import_module("gongkai.catalog.migrations.0002_seed_categories_and_pages").seed(apps, None)


def _fill(mount, leave: int) -> None:
    free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
    (mount / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_the_database_disk_full_on_a_staff_form_says_nothing_was_saved_and_keeps_the_text(
    database_on_small_disk, client, editor, form_data
):
    """SQLite meets a really full disk (SQLITE_FULL) while a record is saved: 503, what was typed
    shown back, the records already saved intact; with space again the same form saves."""
    client.force_login(editor)
    client.raise_request_exception = False
    assert client.post("/workbench/records/new/", form_data).status_code == 302
    saved, events = Record.objects.count(), AuditEvent.objects.count()
    _fill(database_on_small_disk, leave=64 * 1024)
    long_body = "<p>" + "全省公安机关依法公开政府信息。" * 40_000 + "</p>"  # ≈ 1.7 MB, more than is left

    response = client.post(
        "/workbench/records/new/", {**form_data, "summary": "磁盘满时写的概述", "body": long_body}
    )

    assert response.status_code == 503
    body = response.content.decode()
    assert "服务器存储空间已满，您这次的操作没有保存" in body and "磁盘满时写的概述" in body
    (database_on_small_disk / "filler").unlink()
    assert Record.objects.count() == saved and AuditEvent.objects.count() == events
    assert client.post("/workbench/records/new/", {**form_data, "body": long_body}).status_code == 302
    assert Record.objects.count() == saved + 1
