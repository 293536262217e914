"""Account services: creating staff, roles, login success and failure (with lock-out)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import ADMIN_ROLES, Role
from gongkai.accounts.models import Department, RoleAssignment, User
from gongkai.core import clock, ratelimit
from gongkai.core.audit import current_ip, log_event


class RoleConflictError(ValueError):
    pass


class RoleRefusedError(PermissionError):
    """A person tried work that belongs to another administrator, or to grant themselves a role."""


class PasswordRefusedError(ValueError):
    """The password breaks the rules (AUTH_PASSWORD_VALIDATORS); `messages` says which, in words."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def _refuse_unless(actor: User | None, role: str, message: str) -> None:
    """`actor=None` is the system itself (setup, `gongkai demo`); a person needs an active account
    holding `role` (a signed-in page has one; `gongkai staff --as` may name any account)."""
    if actor is None:
        return
    if not actor.is_active:
        raise RoleRefusedError(
            _("%(username)s 的账户已停用，不能以其名义办理。") % {"username": actor.username}
        )
    if not actor.has_role(role):
        raise RoleRefusedError(message)


CREATE_REFUSED = gettext_lazy("只有系统管理员可以创建人员账户。")
GRANT_REFUSED = gettext_lazy("只有安全管理员可以授予角色。")
REVOKE_REFUSED = gettext_lazy("只有安全管理员可以撤销角色。")


def check_may_create_staff(actor: User | None) -> None:
    """Refuse (RoleRefusedError) unless `actor` may create accounts: what do_create_staff checks,
    asked first by `gongkai staff create` before it asks for the new password."""
    _refuse_unless(actor, Role.SYSTEM_ADMIN, str(CREATE_REFUSED))


def check_may_manage_roles(actor: User | None, *, revoke: bool = False) -> None:
    """Refuse (RoleRefusedError) unless `actor` may grant (or revoke) roles, as do_grant_role and
    do_revoke_role check."""
    _refuse_unless(actor, Role.SECURITY_ADMIN, str(REVOKE_REFUSED if revoke else GRANT_REFUSED))


@transaction.atomic
def do_create_staff(
    *,
    username: str,
    password: str,
    full_name: str,
    department: Department | None,
    roles: Iterable[str],
    email: str = "",
    actor: User | None,
    password_rules: bool | None = None,
) -> User:
    """A staff account. A password a person chooses (`actor` given, or `password_rules=True` as
    `gongkai staff create` passes) is held to AUTH_PASSWORD_VALIDATORS; the system's own accounts
    (`gongkai demo`, test personas: actor=None) keep their published passwords."""
    role_list = sorted(set(roles))
    # 三员分立: accounts are the system administrator's work, roles the security administrator's
    # (do_grant_role), so a person creating an account gives it no role.
    check_may_create_staff(actor)
    if actor is not None and role_list:
        raise RoleRefusedError(_("角色由安全管理员另行授予，创建账户时不能指定角色。"))
    admin_roles = [r for r in role_list if r in ADMIN_ROLES]
    # 三员分立: the system, security and audit administrators are three different people.
    if len(admin_roles) > 1:
        raise RoleConflictError(
            "系统、安全、审计管理员须由不同人员担任 (the three administrator roles must be separate)."
        )
    user = User(
        username=username,
        email=email,
        department=department,
        last_name=full_name[:1],
        first_name=full_name[1:],
    )
    if password_rules or (password_rules is None and actor is not None):
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise PasswordRefusedError(list(exc.messages)) from None
    user.set_password(password)
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=Role(r)) for r in role_list])
    log_event("accounts.staff.created", actor=actor, obj=user, after={"roles": role_list})
    return user


def do_record_login(
    user: User, *, request: HttpRequest | None = None, now: dt.datetime | None = None
) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    if request is not None:
        ratelimit.clear(request, "login", user.username)
    from gongkai.accounts import security

    with transaction.atomic():
        security.note_sign_in_address(user, current_ip())
        log_event("accounts.login.succeeded", actor=user, obj=user)


def take_login_attempt(request: HttpRequest, username: str) -> bool:
    """Count one sign-in attempt for this account and address before the password is checked
    (parallel guesses cannot all pass a check made before any failed); False when that pair is
    locked out. A right password ends the count (do_record_login) or gives the attempt back."""
    return ratelimit.take(request, "login", username)


def give_back_login_attempt(request: HttpRequest, username: str) -> None:
    """The attempt was not a failure (a right password, the second factor still to come)."""
    ratelimit.give_back(request, "login", username)


def dummy_password_check(password: str) -> None:
    """Run the password hasher once, as a real check would (a refused sign-in takes as long)."""
    check_password(password, _dummy_hash(tuple(settings.PASSWORD_HASHERS)))


@functools.cache
def _dummy_hash(hashers: tuple[str, ...]) -> str:
    return make_password("gongkai-dummy-password")  # with the first of `hashers`, as users' are


def masked_username(username: str) -> str:
    """A mistyped username for the audit log: often a password typed in the wrong field, so never
    stored as typed — a keyed digest lets the auditor see repeats without reading it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), username.encode(), hashlib.sha256).hexdigest()[:12]
    return f"{len(username)} chars, hmac {digest}"


def do_record_failed_login(username: str, *, request: HttpRequest, now: dt.datetime | None = None) -> bool:
    """Record a failure for this account and address, already counted by take_login_attempt; True
    when that pair is now locked out."""
    now = now or clock.now()
    user = User.objects.filter(username=username).first()
    locked = ratelimit.count(request, "login", username) >= ratelimit.limit("login")
    if user is None:
        log_event("accounts.login.failed", actor=None, note=f"unknown user ({masked_username(username)})")
    elif locked:
        log_event(
            "accounts.login.locked",
            actor=None,
            obj=user,
            after={"minutes": ratelimit.window_minutes("login")},
        )
    else:
        log_event("accounts.login.failed", actor=None, obj=user)
    return locked


@transaction.atomic
def do_grant_role(user: User, role: str, *, actor: User | None) -> RoleAssignment:
    """Give `user` a role: the security administrator's work, never on themselves; an administrator
    role never joins another one on the same person. Atomic: the row lock on the person holds until
    the grant is written (and PostgreSQL refuses select_for_update outside a transaction)."""
    check_may_manage_roles(actor)
    if actor is not None and actor.pk == user.pk:
        raise RoleRefusedError(_("不能给自己授予角色。"))
    locked = User.objects.select_for_update().get(pk=user.pk)
    held = set(locked.roles.values_list("role", flat=True))
    if role in ADMIN_ROLES and held & (ADMIN_ROLES - {role}):
        raise RoleConflictError(
            "系统、安全、审计管理员须由不同人员担任 (the three administrator roles must be separate)."
        )
    assignment, _created = RoleAssignment.objects.get_or_create(user=locked, role=Role(role))
    user.__dict__.pop("_role_cache", None)
    log_event(
        "accounts.role.granted", actor=actor, obj=user, before={"roles": sorted(held)}, after={"role": role}
    )
    return assignment


@transaction.atomic
def do_revoke_role(user: User, role: str, *, actor: User | None) -> None:
    """Take a role away: the security administrator's work, never on themselves."""
    check_may_manage_roles(actor, revoke=True)
    if actor is not None and actor.pk == user.pk:
        raise RoleRefusedError(_("不能撤销自己的角色。"))
    deleted, _detail = RoleAssignment.objects.filter(user=user, role=role).delete()
    user.__dict__.pop("_role_cache", None)
    if deleted:
        log_event("accounts.role.revoked", actor=actor, obj=user, before={"role": role})


RESET_REFUSED = gettext_lazy("只有安全管理员可以重置他人的两步验证。")


@transaction.atomic
def do_reset_two_factor(user: User, *, actor: User | None) -> None:
    """Forget a person's second factor (a lost phone and no recovery code left): the security
    administrator's work, never on themselves. The person enrols again at the next sign-in."""
    _refuse_unless(actor, Role.SECURITY_ADMIN, str(RESET_REFUSED))
    if actor is not None and actor.pk == user.pk:
        raise RoleRefusedError(_("不能重置自己的两步验证。"))
    User.objects.filter(pk=user.pk).update(
        totp_secret="", totp_confirmed_at=None, totp_last_step=0, recovery_codes=[]
    )
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step, user.recovery_codes = "", None, 0, []
    log_event("accounts.two_factor.reset", actor=actor, obj=user)


@transaction.atomic
def do_change_password(user: User, new_password: str) -> None:
    """A person's own change, once the form has checked the current password and the rules; the
    hash joins the history (passwords.HistoryValidator), the audit event names no password."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    log_event("accounts.password.changed", actor=user, obj=user)
