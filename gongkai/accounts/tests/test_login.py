"""Staff login: argon2 hashes, lock-out after repeated failures, audited."""

import pytest

from gongkai.accounts.services import RoleConflictError, do_create_staff
from gongkai.core.models import AuditEvent

PASSWORD = "correct-horse-battery"


def test_it_logs_in_and_audits(client, editor):
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login.succeeded").count() == 1


def test_it_locks_the_account_after_repeated_failures(client, editor, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "editor", "password": "wrong"})
    assert "临时锁定" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 200
    assert "临时锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.login.locked").count() == 1


def test_a_wrong_password_gets_a_clear_message(client, editor):
    response = client.post("/accounts/login/", {"username": "editor", "password": "nope"})
    assert "用户名或密码不正确" in response.content.decode()


def test_the_three_administrator_roles_are_separate(db):
    with pytest.raises(RoleConflictError):
        do_create_staff(
            username="admin",
            password=PASSWORD,
            full_name="某人",
            department=None,
            roles=["system_admin", "audit_admin"],
            actor=None,
        )


def test_passwords_are_hashed_with_argon2_in_production(settings):
    from gongkai import settings as project_settings

    assert "Argon2PasswordHasher" in project_settings.PASSWORD_HASHERS[-2]
