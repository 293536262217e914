"""Staff session security: idle expiry, and the e-mail to a person signing in from a new address.

Idle expiry: a signed-in session remembers the time of its last request; after
`STAFF_IDLE_MINUTES` (GONGKAI_STAFF_IDLE_MINUTES, 30 by default) without one it is ended and the
person is sent to the login page, which says why. Public visitors have no session to expire.

New address: a successful sign-in from an address this account never signed in from before (the
audit trail's `accounts.login.succeeded` events are the memory) emits
`accounts.login.new_address` in the sign-in's transaction; the outbox delivers it to
`mail_new_address`, which writes to the person — not on their very first sign-in.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import clock, events
from gongkai.core.models import AuditEvent, OutboxEvent

logger = logging.getLogger(__name__)
LAST_SEEN_KEY = "gk_last_seen"
NEW_ADDRESS_EVENT = "accounts.login.new_address"
IDLE_MESSAGE = gettext_lazy("您已超过 %(minutes)d 分钟未操作，为安全起见已退出登录，请重新登录。")


def idle_seconds() -> int:
    return int(settings.STAFF_IDLE_MINUTES) * 60


class IdleTimeoutMiddleware:
    """After AuthenticationMiddleware: end a staff session idle for longer than the setting."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock.now().timestamp()
            last = request.session.get(LAST_SEEN_KEY)
            if isinstance(last, int | float) and now - last > idle_seconds():
                logout(request)
                query = {"expired": "idle"}
                if request.method == "GET":
                    query["next"] = request.get_full_path()
                return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode(query)}")
            request.session[LAST_SEEN_KEY] = int(now)
        return self.get_response(request)


def idle_message() -> str:
    return str(IDLE_MESSAGE) % {"minutes": int(settings.STAFF_IDLE_MINUTES)}


def note_sign_in_address(user: Any, ip: str | None) -> None:
    """Called by accounts.services.do_record_login before it writes this sign-in's audit event."""
    if not ip:
        return
    earlier = AuditEvent.objects.filter(action="accounts.login.succeeded", actor=user)
    if not earlier.exists() or earlier.filter(ip_address=ip).exists():
        return  # a first sign-in, or a known address
    events.emit(NEW_ADDRESS_EVENT, user, payload={"ip": ip, "at": clock.now().isoformat()}, actor=user)


def password_change_url() -> str:
    """The change page, absolute when GONGKAI_PORTAL_URL names the site (a mail has no host)."""
    return f"{settings.PORTAL_URL.rstrip('/')}{reverse('accounts:password_change')}"


class AlertFailed(Exception):
    """The sign-in alert could not be mailed (retried by the outbox)."""


@events.subscribe(NEW_ADDRESS_EVENT)
def mail_new_address(event: OutboxEvent) -> None:
    from gongkai.accounts.models import User

    user = User.objects.filter(pk=event.object_id).first()
    if user is None or not user.email:
        return
    at = timezone.localtime(dt.datetime.fromisoformat(event.payload["at"]))
    subject = _("【公开】您的账户从新的地址登录")
    body = _(
        "%(name)s：\n\n您的工作人员账户 %(username)s 于 %(at)s 从地址 %(ip)s 登录，"
        "此前未曾从该地址登录。\n\n如果不是您本人操作，请立即修改密码并告知安全管理员。"
        "\n修改密码：%(password_url)s"
    ) % {
        "name": user,
        "username": user.username,
        "at": f"{at:%Y-%m-%d %H:%M}",
        "ip": event.payload["ip"],
        "password_url": password_change_url(),
    }
    try:
        send_mail(subject, body, None, [user.email])
    except Exception as exc:
        logger.error("accounts: sign-in alert for user %s failed (%s)", user.pk, type(exc).__name__)
        raise AlertFailed(type(exc).__name__) from None
