"""Account services: creating staff, roles, login success and failure (with lock-out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from gongkai.accounts.choices import ADMIN_ROLES, Role
from gongkai.accounts.models import Department, RoleAssignment, User
from gongkai.core import clock
from gongkai.core.audit import log_event


class RoleConflictError(ValueError):
    pass


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
) -> User:
    role_list = sorted(set(roles))
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
    user.set_password(password)
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=Role(r)) for r in role_list])
    log_event("accounts.staff.created", actor=actor, obj=user, after={"roles": role_list})
    return user


def do_record_login(user: User, *, now: dt.datetime | None = None) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    log_event("accounts.login.succeeded", actor=user, obj=user)


@transaction.atomic
def do_record_failed_login(username: str, *, now: dt.datetime | None = None) -> User | None:
    """Count a failure; lock the account for a while after too many in a row."""
    now = now or clock.now()
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        log_event("accounts.login.failed", actor=None, note=f"unknown user {username[:50]}")
        return None
    user.failed_logins += 1
    if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
        user.locked_until = now + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        user.failed_logins = 0
        user.save(update_fields=["failed_logins", "locked_until"])
        log_event(
            "accounts.login.locked",
            actor=None,
            obj=user,
            after={"locked_until": user.locked_until.isoformat()},
        )
    else:
        user.save(update_fields=["failed_logins"])
        log_event("accounts.login.failed", actor=None, obj=user)
    return user
