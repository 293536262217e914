"""do_grant_role locks the person's row (select_for_update): it must run in its own transaction, or
PostgreSQL refuses the lock outside an atomic block (TransactionManagementError). These tests run
without the test's wrapping transaction, as a management command or a worker would call it."""

from __future__ import annotations

import pytest
from django.db import connection

from gongkai.accounts import services
from gongkai.accounts.choices import Role
from gongkai.accounts.models import RoleAssignment, User
from gongkai.accounts.services import do_create_staff, do_grant_role

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Correct-horse-battery-9"


def _staff(username: str, *roles: str) -> User:
    return do_create_staff(
        username=username, password=PASSWORD, full_name="张三", department=None, roles=list(roles), actor=None
    )


def test_it_grants_a_role_outside_any_transaction():
    security = _staff("sec", Role.SECURITY_ADMIN)
    editor = _staff("ed")
    assert not connection.in_atomic_block
    do_grant_role(editor, Role.EDITOR, actor=security)
    assert RoleAssignment.objects.filter(user=editor, role=Role.EDITOR).exists()


def test_the_lock_and_the_audit_event_are_inside_one_transaction(monkeypatch):
    """SQLite ignores select_for_update: the transaction is asserted where the event is written."""
    security = _staff("sec", Role.SECURITY_ADMIN)
    editor = _staff("ed")
    seen: list[bool] = []
    real = services.log_event  # type: ignore[attr-defined]

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "log_event", spy)
    do_grant_role(editor, Role.REVIEWER, actor=security)
    assert seen == [True]
