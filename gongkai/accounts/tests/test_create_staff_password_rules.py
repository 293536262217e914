"""An account a person creates gets a password that keeps the rules (AUTH_PASSWORD_VALIDATORS):
do_create_staff refuses a weak one with the reason in words, and creates nothing."""

from __future__ import annotations

import pytest

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.accounts.services import PasswordRefusedError, do_create_staff

pytestmark = pytest.mark.django_db

GOOD = "Correct-horse-battery-9"


@pytest.fixture
def system_admin() -> User:
    return do_create_staff(
        username="sys",
        password=GOOD,
        full_name="张三",
        department=None,
        roles=[Role.SYSTEM_ADMIN],
        actor=None,
    )


def _create(password: str, actor: User | None, **kwargs) -> User:
    return do_create_staff(
        username="li", password=password, full_name="李四", department=None, roles=[], actor=actor, **kwargs
    )


def test_it_refuses_a_short_password_with_the_reason(system_admin):
    with pytest.raises(PasswordRefusedError) as refused:
        _create("Ab1-", system_admin)
    assert "至少需要 10 个字符" in str(refused.value)
    assert not User.objects.filter(username="li").exists()


def test_it_refuses_a_password_like_the_username(system_admin):
    with pytest.raises(PasswordRefusedError) as refused:
        do_create_staff(
            username="wangxiaoming", password="Wangxiaoming-1", full_name="王小明",
            department=None, roles=[], actor=system_admin,
        )  # fmt: skip
    assert "相似" in " ".join(refused.value.messages)


def test_it_creates_the_account_with_a_good_password(system_admin):
    user = _create("户籍窗口-Spring-2026", system_admin)
    assert user.check_password("户籍窗口-Spring-2026")


def test_the_rules_can_be_asked_for_without_an_actor():
    with pytest.raises(PasswordRefusedError):
        _create("password123", None, password_rules=True)
