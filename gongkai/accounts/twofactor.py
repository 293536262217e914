"""Two-factor sign-in for staff: TOTP (RFC 6238, pyotp) with recovery codes.

- Enrolment (`/accounts/two-factor/`): a new secret is shown as text (base32) and as an otpauth://
  URI to paste into an authenticator app (no QR image); it is saved only when a code from the app
  confirms it. Ten recovery codes are shown once and stored as salted SHA-256 digests.
- Sign-in: after the password, a person enrolled is asked for a code (`/accounts/login/code/`);
  the password step leaves only "who, since when" in the session, never a signed-in user. A code
  works once (the time step is remembered), ±1 step of clock drift; a recovery code works once.
  Wrong codes count towards the same per-account-and-address lock-out as wrong passwords.
- Required: every member of staff by default (`TOTP_REQUIRED_ROLES` = ["*"], or "all";
  GONGKAI_TOTP_REQUIRED_ROLES); a list of roles narrows it to the people holding one of them. A
  person required and not enrolled is sent to enrolment at sign-in and from every workbench page.
- The demo (`gongkai demo`) enrols the accounts it creates with one published secret, DEMO_SECRET
  (they have a published password anyway); the code page of such an account shows its current
  code, so the demo can be tried without an authenticator app. No other account can have that
  secret: enrolment always draws a new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable

import pyotp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.core import clock
from gongkai.core.audit import log_event, register_action_labels

register_action_labels(
    {
        "accounts.two_factor.enrolled": gettext_lazy("启用两步验证"),
        "accounts.two_factor.recovery_used": gettext_lazy("使用恢复码登录"),
        "accounts.two_factor.reset": gettext_lazy("重置两步验证"),
    }
)
ISSUER = "Gongkai"
RECOVERY_CODES = 10
PENDING_KEY = "gk_2fa_pending"  # {"user": pk, "at": timestamp, "next": url} between the two steps
PENDING_SECONDS = 300
EVERYONE = frozenset({"*", "all"})  # TOTP_REQUIRED_ROLES entries that mean every member of staff
# The demo accounts' published secret (README, `gongkai demo`): never drawn by new_secret().
DEMO_SECRET = "GONGKAIDEMOJILINPROVINCEPOLICE23"  # noqa: S105 - published, for the demo only


def enrolled(user: User) -> bool:
    return user.totp_confirmed_at is not None and bool(user.totp_secret)


def required(user: User) -> bool:
    """Whether `user` must sign in with a second factor (every account is a member of staff)."""
    wanted = {str(role).strip().lower() for role in settings.TOTP_REQUIRED_ROLES}
    return bool(wanted & EVERYONE) or bool(user.role_set() & wanted)


def new_secret() -> str:
    return pyotp.random_base32()


def groups(secret: str, size: int = 4) -> list[str]:
    """A secret in groups of four, easier to read and type (authenticator apps ignore the spaces)."""
    return [secret[i : i + size] for i in range(0, len(secret), size)]


def otpauth_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def _step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step `code` belongs to (now ±1), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    for offset in (0, -1, 1):
        at = now + dt.timedelta(seconds=offset * totp.interval)
        if hmac.compare_digest(totp.at(at), code):
            return int(at.timestamp()) // totp.interval
    return None


def _digest(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code.strip().upper().replace('-', '')}".encode()).hexdigest()


def _new_recovery_codes() -> tuple[list[str], list[str]]:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    plain = []
    stored = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _j in range(10))
        plain.append(f"{raw[:5]}-{raw[5:]}")
        salt = secrets.token_hex(8)
        stored.append(f"{salt}${_digest(raw, salt)}")
    return plain, stored


@transaction.atomic
def do_enrol(user: User, secret: str, code: str, *, now: dt.datetime | None = None) -> list[str] | None:
    """Confirm `secret` with a code from the app: save it and return the recovery codes (shown
    once); None when the code does not match."""
    now = now or clock.now()
    step = _step(secret, code, now)
    if step is None:
        return None
    plain, stored = _new_recovery_codes()
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.totp_secret, locked.totp_confirmed_at = secret, now
    locked.totp_last_step, locked.recovery_codes = step, stored
    locked.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step", "recovery_codes"])
    user.totp_secret, user.totp_confirmed_at = secret, now
    log_event("accounts.two_factor.enrolled", actor=user, obj=user, after={"recovery_codes": RECOVERY_CODES})
    return plain


@transaction.atomic
def do_enrol_demo(user: User, *, now: dt.datetime | None = None) -> None:
    """Enrol a demo account with DEMO_SECRET (no recovery codes): for `gongkai demo` only."""
    now = now or clock.now()
    User.objects.filter(pk=user.pk).update(
        totp_secret=DEMO_SECRET, totp_confirmed_at=now, totp_last_step=0, recovery_codes=[]
    )
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = DEMO_SECRET, now, 0
    log_event("accounts.two_factor.enrolled", actor=None, obj=user, after={"demo": True})


def demo_code(user: User, *, now: dt.datetime | None = None) -> str | None:
    """The code a demo account can use now (the next unused time step, ±1), or None for any other
    account: shown on its code page, as its secret is published."""
    if not (enrolled(user) and hmac.compare_digest(user.totp_secret, DEMO_SECRET)):
        return None
    totp = pyotp.TOTP(DEMO_SECRET)
    now = now or clock.now()
    current = int(now.timestamp()) // totp.interval
    step = max(current, user.totp_last_step + 1)
    if step > current + 1:
        return None  # both this step's and the next one's are used: wait for the next
    return totp.at(step * totp.interval)


@transaction.atomic
def do_verify(user: User, code: str, *, now: dt.datetime | None = None) -> bool:
    """A code from the app (each time step once) or a recovery code (once)."""
    now = now or clock.now()
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not enrolled(locked):
        return False
    step = _step(locked.totp_secret, code, now)
    if step is not None:
        if step <= locked.totp_last_step:
            return False  # replayed
        locked.totp_last_step = step
        locked.save(update_fields=["totp_last_step"])
        return True
    for entry in list(locked.recovery_codes):
        salt, _sep, digest = str(entry).partition("$")
        if hmac.compare_digest(_digest(code, salt), digest):
            locked.recovery_codes = [e for e in locked.recovery_codes if e != entry]
            locked.save(update_fields=["recovery_codes"])
            log_event(
                "accounts.two_factor.recovery_used",
                actor=locked,
                obj=locked,
                after={"left": len(locked.recovery_codes)},
            )
            return True
    return False


class RequireTwoFactorMiddleware:
    """After AuthenticationMiddleware: a person who must use two factors and has not enrolled is
    sent from every workbench page to enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            isinstance(user, User)
            and user.is_authenticated
            and request.path.startswith("/workbench/")
            and required(user)
            and not enrolled(user)
        ):
            return HttpResponseRedirect(reverse("accounts:two_factor"))
        return self.get_response(request)
