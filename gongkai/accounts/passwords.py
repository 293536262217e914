"""Password rules for staff, configured in AUTH_PASSWORD_VALIDATORS (settings.py): Django's
validators (similar to the username or name, common, all digits), a minimum length whose message
Django's Chinese catalogue lacks (its plural form is untranslated), complexity (three kinds of
character), no reuse of the last `PASSWORD_HISTORY` passwords, and expiry after
`PASSWORD_MAX_AGE_DAYS` (GB/T 22239-2019 8.1.4.1 a: 口令复杂度要求并定期更换).

History: every password set through `User.set_password` and saved is recorded (the validators'
`password_changed` hook, so `createsuperuser` and `changepassword` count too) as its hash in
`PasswordHistory`; the newest row dates the password."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, is_password_usable
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import PasswordHistory, User
from gongkai.core import clock
from gongkai.core.audit import register_action_labels

register_action_labels({"accounts.password.changed": gettext_lazy("修改密码")})


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(n)d 个字符。") % {"n": self.min_length}


def character_kinds(password: str) -> int:
    """How many of lower-case letters, capitals, digits and symbols the password uses (a Chinese
    character is none of them: it adds length, not a kind)."""
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class ComplexityValidator:
    """At least `min_kinds` of the four kinds of character."""

    def __init__(self, min_kinds: int = 3) -> None:
        self.min_kinds = min_kinds

    def validate(self, password: str, user: Any = None) -> None:
        if character_kinds(password) < self.min_kinds:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 种。") % {"n": self.min_kinds}


def history_length() -> int:
    return max(int(settings.PASSWORD_HISTORY), 0)


class HistoryValidator:
    """Refuses any of the person's last `PASSWORD_HISTORY` passwords (0: reuse allowed), and
    records each new one (`password_changed`, called by User.save after set_password)."""

    def validate(self, password: str, user: Any = None) -> None:
        n = history_length()
        if n == 0 or not isinstance(user, User) or user.pk is None:
            return
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password_hash", flat=True)[:n])
        if not hashes and is_password_usable(user.password):
            hashes = [user.password]  # set before history was kept
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        if isinstance(user, User) and user.pk is not None:
            record_password(user)

    def get_help_text(self) -> str:
        return _("不能与最近 %(n)d 次使用过的密码相同。") % {"n": history_length()}


def record_password(user: User, *, now: dt.datetime | None = None) -> None:
    """Keep the hash of the password just set, and only as many older ones as are compared (at
    least the newest: it dates the password)."""
    if not is_password_usable(user.password):
        return
    PasswordHistory.objects.create(user=user, password_hash=user.password, set_at=now or clock.now())
    keep = max(history_length(), 1)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def max_age() -> dt.timedelta | None:
    days = int(settings.PASSWORD_MAX_AGE_DAYS)
    return dt.timedelta(days=days) if days > 0 else None


def password_set_at(user: User) -> dt.datetime:
    newest = PasswordHistory.objects.filter(user=user).values_list("set_at", flat=True).first()
    return newest or user.date_joined


def expired(user: User, *, now: dt.datetime) -> bool:
    age = max_age()
    return age is not None and now - password_set_at(user) > age


class PasswordExpiryMiddleware:
    """After RequireTwoFactorMiddleware: a person whose password is older than
    `PASSWORD_MAX_AGE_DAYS` is sent to the change page, which says why; that page, logging out and
    static files stay reachable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            isinstance(user, User)
            and user.is_authenticated
            and max_age() is not None
            and not self.exempt(request.path)
            and expired(user, now=clock.now())
        ):
            return HttpResponseRedirect(reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def exempt(path: str) -> bool:
        static = str(settings.STATIC_URL or "/static/")
        return path.startswith(static) or path in {
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
        }
