"""What a person is told when the machine fails under them (issue 12's fault suite):

- a database error (busy, gone, a constraint no form foresaw): the act's transaction rolled back,
  so nothing of it was saved; the answer is 503 with Retry-After, saying so, and a POSTed form's
  fields are shown back (passwords, codes and tokens excepted) so nothing typed is lost;
- a full disk (ENOSPC, EDQUOT) while a file is written: the partial file is removed
  (SafeFileSystemStorage), the transaction rolled back; 503 saying storage is full; the same when
  the database's own disk fills (SQLITE_FULL, PostgreSQL's disk_full);
- the API answers the same in its JSON error shape.

Mail servers down are each sender's business (they log and leave the act standing, or the
outbox retries); see docs/security.md.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
_FULL = {errno.ENOSPC, errno.EDQUOT}
_NOT_ECHOED = ("password", "code", "token", "secret", "csrfmiddlewaretoken", "version")


def disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in _FULL


def database_disk_full(exc: BaseException) -> bool:
    """The database's own disk is full: SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100)."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == "53100" or getattr(cause, "pgcode", None) == "53100":
        return True
    text = str(exc).lower()
    return "database or disk is full" in text or "no space left on device" in text


class SafeFileSystemStorage(FileSystemStorage):
    """Django's file storage, but a write that fails half-way (a full disk) leaves no partial file."""

    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        existed = os.path.exists(path)
        try:
            return str(super()._save(name, content))  # type: ignore[misc]
        except OSError:
            try:
                if not existed and os.path.exists(path):
                    os.remove(path)  # the part written before the disk filled
            except OSError:
                logger.exception("core: could not remove the partial file %s", name)
            raise


def _echo(request: HttpRequest) -> list[tuple[str, str]]:
    if request.method != "POST":
        return []
    try:
        return [
            (key, value)
            for key, values in request.POST.lists()
            if not any(word in key.lower() for word in _NOT_ECHOED)
            for value in values
            if value.strip()
        ]
    except Exception:  # the body itself could not be read
        return []


class FaultMiddleware:
    """Turns a database error or a full disk in any view into a clear 503 (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if disk_full(exception):
            code = "storage_full"
            heading = _("服务器存储空间不足")
            message = _("服务器存储空间已满，文件和本次操作都没有保存。请通知系统管理员清理空间后重新提交。")
            message_en = "The server's storage is full: neither the file nor this action was saved."
        elif database_disk_full(exception):
            code = "storage_full"
            heading = _("服务器存储空间不足")
            message = _("服务器存储空间已满，您这次的操作没有保存。请通知系统管理员清理空间后重新提交。")
            message_en = "The server's storage is full: this action was not saved."
        elif isinstance(exception, DatabaseError):
            code = "database_unavailable"
            heading = _("暂时无法保存")
            message = _("数据库暂时无法完成操作（可能正忙），您这次的操作没有保存。请稍后重新提交。")
            message_en = "The database could not complete the action (it may be busy): nothing was saved."
        else:
            return None
        logger.error("core: %s on %s %s (%s)", code, request.method, request.path, type(exception).__name__)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"code": code, "message": message, "message_en": message_en}, status=503
            )
        else:
            context = {"status": 503, "heading": heading, "message": message, "echo": _echo(request)}
            body: str
            try:
                body = render_to_string("core/fault.html", context, request=request)
            except Exception:  # the page needs the database too: a page that needs nothing
                body = f"<!DOCTYPE html><meta charset='utf-8'><h1>{heading}</h1><p>{message}</p>"
            response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
