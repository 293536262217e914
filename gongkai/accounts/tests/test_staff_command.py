"""`gongkai staff`: accounts and roles from the shell, through the services — the first
administrators by --bootstrap only, then each administrator's own work, named with --as; nobody
grants themselves a role, and every change is in the audit trail."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from gongkai.accounts.choices import Role
from gongkai.accounts.models import RoleAssignment, User
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-battery-9"


def staff(*args: str, password: str = PASSWORD) -> str:
    """Run the command with `password` piped in, as a script would."""
    out = io.StringIO()
    stdin, sys.stdin = sys.stdin, io.StringIO(password + "\n")
    try:
        call_command("staff", *args, stdout=out)
    finally:
        sys.stdin = stdin
    return out.getvalue()


@pytest.fixture
def admins(departments) -> dict[str, User]:
    for username, role in (("sys", "system_admin"), ("sec", "security_admin"), ("aud", "audit_admin")):
        staff("create", username, "--name", "张管理", "--role", role, "--bootstrap")
    return {u.username: u for u in User.objects.all()}


def test_bootstrap_creates_the_first_administrators(admins):
    assert admins["sys"].has_role(Role.SYSTEM_ADMIN) and admins["sec"].has_role(Role.SECURITY_ADMIN)
    assert admins["sys"].check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.staff.created").count() == 3


def test_bootstrap_is_refused_once_the_role_is_held(admins):
    with pytest.raises(CommandError, match="held already"):
        staff("create", "sys2", "--name", "李四", "--role", "system_admin", "--bootstrap")
    with pytest.raises(CommandError, match="one administrator"):
        staff("create", "ed", "--name", "李四", "--role", "editor", "--bootstrap")
    assert not User.objects.filter(username__in=["sys2", "ed"]).exists()


def test_the_system_administrator_creates_and_the_security_administrator_grants(admins):
    out = staff("create", "wang", "--name", "王编辑", "--department", "出入境管理局", "--as", "sys")
    assert "created wang" in out
    wang = User.objects.get(username="wang")
    assert wang.department is not None and wang.department.name == "出入境管理局" and not wang.role_set()
    staff("grant", "wang", "editor", "--as", "sec")
    assert RoleAssignment.objects.filter(user=wang, role=Role.EDITOR).exists()
    staff("revoke", "wang", "editor", "--as", "sec")
    assert not RoleAssignment.objects.filter(user=wang).exists()
    granted = AuditEvent.objects.get(action="accounts.role.granted", object_id=str(wang.pk))
    assert granted.actor_id == admins["sec"].pk


def test_nobody_grants_themselves_a_role(admins):
    with pytest.raises(CommandError, match="不能给自己授予角色"):
        staff("grant", "sec", "leader", "--as", "sec")
    assert not admins["sec"].roles.filter(role=Role.LEADER).exists()


def test_administrators_keep_to_their_own_work(admins):
    with pytest.raises(CommandError, match="只有系统管理员"):
        staff("create", "li", "--name", "李四", "--as", "sec")
    staff("create", "li", "--name", "李四", "--as", "sys")
    with pytest.raises(CommandError, match="只有安全管理员"):
        staff("grant", "li", "editor", "--as", "sys")
    with pytest.raises(CommandError, match="须由不同人员担任"):
        staff("grant", "aud", "security_admin", "--as", "sec")
    with pytest.raises(CommandError, match="另行授予"):
        staff("create", "zhao", "--name", "赵六", "--role", "editor", "--as", "sys")


def test_the_acting_administrator_must_be_named(admins):
    with pytest.raises(CommandError, match="--as"):
        staff("grant", "aud", "editor")
    with pytest.raises(CommandError, match="no staff account nobody"):
        staff("grant", "aud", "editor", "--as", "nobody")


def test_a_weak_password_is_refused_with_the_reason(admins):
    with pytest.raises(CommandError, match="至少 3 种"):
        staff("create", "li", "--name", "李四", "--as", "sys", password="quiet-river-stones")
    with pytest.raises(CommandError, match="至少需要 10 个字符"):
        staff("create", "sys9", "--name", "李四", "--as", "sys", password="Ab1-")
    assert not User.objects.filter(username__in=["li", "sys9"]).exists()


def test_the_bootstrap_password_keeps_the_rules_too(departments):
    with pytest.raises(CommandError, match="至少需要 10 个字符"):
        staff("create", "sys", "--name", "张三", "--role", "system_admin", "--bootstrap", password="Ab1-")
    assert not User.objects.exists()


def test_a_deactivated_administrator_named_with_as_is_refused_by_the_service(admins):
    staff("create", "wang", "--name", "王编辑", "--as", "sys")
    User.objects.filter(username="sec").update(is_active=False)
    with pytest.raises(CommandError, match="refused for --as sec: sec 的账户已停用"):
        staff("grant", "wang", "editor", "--as", "sec")
    with pytest.raises(CommandError, match="已停用"):
        staff("revoke", "aud", "audit_admin", "--as", "sec")
    User.objects.filter(username="sys").update(is_active=False)
    with pytest.raises(CommandError, match="refused for --as sys: sys 的账户已停用"):
        staff("create", "li", "--name", "李四", "--as", "sys")
    assert not RoleAssignment.objects.filter(user__username="wang").exists()
    assert admins["aud"].has_role(Role.AUDIT_ADMIN)
    assert not User.objects.filter(username="li").exists()
    assert not AuditEvent.objects.filter(action="accounts.role.granted").exists()


def test_an_account_without_the_role_is_refused_before_the_password_is_asked(admins, monkeypatch):
    staff("create", "wang", "--name", "王编辑", "--as", "sys")
    staff("grant", "wang", "editor", "--as", "sec")

    class NoPassword:
        def isatty(self) -> bool:
            return False

        def readline(self) -> str:
            raise AssertionError("the password was asked")

    monkeypatch.setattr(sys, "stdin", NoPassword())
    with pytest.raises(CommandError, match="refused for --as wang: 只有系统管理员可以创建人员账户"):
        call_command("staff", "create", "li", "--name", "李四", "--as", "wang", stdout=io.StringIO())
    with pytest.raises(CommandError, match="refused for --as wang: 只有安全管理员可以撤销角色"):
        call_command("staff", "revoke", "sec", "security_admin", "--as", "wang", stdout=io.StringIO())
    assert admins["sec"].has_role(Role.SECURITY_ADMIN)


def test_the_services_refuse_a_deactivated_actor_whoever_calls_them(admins):
    from gongkai.accounts.services import RoleRefusedError, do_grant_role

    sec = admins["sec"]
    sec.is_active = False
    with pytest.raises(RoleRefusedError, match="已停用"):
        do_grant_role(admins["aud"], Role.EDITOR, actor=sec)


def test_the_security_administrator_resets_a_lost_second_factor(admins, client, settings):
    from gongkai.accounts import twofactor

    settings.TOTP_REQUIRED_ROLES = ["*"]
    staff("create", "wang", "--name", "王编辑", "--as", "sys")
    wang = User.objects.get(username="wang")
    twofactor.do_enrol_demo(wang)
    with pytest.raises(CommandError, match="refused for --as sys: 只有安全管理员可以重置"):
        staff("reset-two-factor", "wang", "--as", "sys")
    with pytest.raises(CommandError, match="不能重置自己的两步验证"):
        staff("reset-two-factor", "sec", "--as", "sec")
    assert twofactor.enrolled(User.objects.get(pk=wang.pk))

    assert "they enrol at the next sign-in" in staff("reset-two-factor", "wang", "--as", "sec")
    wang = User.objects.get(pk=wang.pk)
    assert not twofactor.enrolled(wang) and wang.recovery_codes == []
    reset = AuditEvent.objects.get(action="accounts.two_factor.reset")
    assert reset.actor_id == admins["sec"].pk and reset.object_id == str(wang.pk)
    signed_in = client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
    assert signed_in["Location"] == "/accounts/two-factor/"  # enrols again
