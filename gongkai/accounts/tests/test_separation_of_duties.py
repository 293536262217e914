"""三员分立: the system administrator creates accounts, the security administrator grants roles,
the audit administrator reads the trail — none does another's work, nobody grants themselves a role."""

from __future__ import annotations

import pytest

from gongkai.accounts.choices import Role
from gongkai.accounts.models import RoleAssignment, User
from gongkai.accounts.services import (
    RoleConflictError,
    RoleRefusedError,
    do_create_staff,
    do_grant_role,
    do_revoke_role,
)
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-battery-9"


def _staff(username: str, *roles: str) -> User:
    return do_create_staff(
        username=username, password=PASSWORD, full_name="张三", department=None, roles=list(roles), actor=None
    )


@pytest.fixture
def admins() -> dict[str, User]:
    return {
        "system": _staff("sys", Role.SYSTEM_ADMIN),
        "security": _staff("sec", Role.SECURITY_ADMIN),
        "audit": _staff("aud", Role.AUDIT_ADMIN),
    }


def test_only_the_system_administrator_creates_accounts_and_gives_them_no_role(admins):
    for who in ("security", "audit"):
        with pytest.raises(RoleRefusedError):
            do_create_staff(
                username=f"x-{who}",
                password=PASSWORD,
                full_name="李四",
                department=None,
                roles=[],
                actor=admins[who],
            )
    with pytest.raises(RoleRefusedError):
        do_create_staff(
            username="x",
            password=PASSWORD,
            full_name="李四",
            department=None,
            roles=["editor"],
            actor=admins["system"],
        )
    created = do_create_staff(
        username="li", password=PASSWORD, full_name="李四", department=None, roles=[], actor=admins["system"]
    )
    assert not created.role_set()
    assert not User.objects.filter(username__startswith="x").exists()


def test_only_the_security_administrator_grants_and_revokes_roles_and_it_is_audited(admins):
    editor = _staff("ed")
    for who in ("system", "audit"):
        with pytest.raises(RoleRefusedError):
            do_grant_role(editor, Role.EDITOR, actor=admins[who])
    do_grant_role(editor, Role.EDITOR, actor=admins["security"])
    assert RoleAssignment.objects.filter(user=editor, role=Role.EDITOR).exists()
    with pytest.raises(RoleRefusedError):
        do_revoke_role(editor, Role.EDITOR, actor=admins["system"])
    do_revoke_role(editor, Role.EDITOR, actor=admins["security"])
    assert not RoleAssignment.objects.filter(user=editor).exists()
    actions = list(AuditEvent.objects.filter(object_id=str(editor.pk)).values_list("action", flat=True))
    assert "accounts.role.granted" in actions and "accounts.role.revoked" in actions


def test_nobody_grants_themselves_a_role(admins):
    with pytest.raises(RoleRefusedError):
        do_grant_role(admins["security"], Role.AUDIT_ADMIN, actor=admins["security"])
    with pytest.raises(RoleRefusedError):
        do_grant_role(admins["security"], Role.EDITOR, actor=admins["security"])
    with pytest.raises(RoleRefusedError):
        do_revoke_role(admins["security"], Role.SECURITY_ADMIN, actor=admins["security"])
    assert admins["security"].roles.count() == 1


def test_an_administrator_role_never_joins_another_on_one_person(admins):
    with pytest.raises(RoleConflictError):
        do_grant_role(admins["system"], Role.AUDIT_ADMIN, actor=admins["security"])
    assert set(admins["system"].roles.values_list("role", flat=True)) == {Role.SYSTEM_ADMIN}
