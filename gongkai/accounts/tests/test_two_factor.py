"""Two-factor sign-in (issue 12): enrolment with a secret shown as text, a code at sign-in that
works once, recovery codes hashed and used once, required for administrators by setting."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.utils import translation

from conftest import PASSWORD
from gongkai.accounts import twofactor
from gongkai.accounts.models import User
from gongkai.core.models import AuditEvent

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(T0, tick=False)


def _code(secret, at=T0):
    return pyotp.TOTP(secret).at(at)


def _enrol(client, user):
    client.force_login(user)
    page = client.get("/accounts/two-factor/")
    secret = page.context["secret"]
    done = client.post("/accounts/two-factor/", {"code": _code(secret)})
    client.logout()
    return secret, done


def test_enrolment_shows_the_secret_as_text_and_saves_it_only_when_confirmed(client, editor):
    client.force_login(editor)
    page = client.get("/accounts/two-factor/")
    secret = page.context["secret"]
    body = page.content.decode()
    assert secret in body and "otpauth://totp/Gongkai:editor?secret=" in body.replace("&amp;", "&")
    assert " ".join(twofactor.groups(secret)) in re.sub(r"<[^>]+>", "", body)  # in fours, to type
    assert 'href="otpauth://totp/' in body  # a phone opens its authenticator app from the link
    assert "<img" not in body.split("<main", 1)[-1] or "qr" not in body.lower()

    wrong = client.post(
        "/accounts/two-factor/", {"code": "000000" if _code(secret) != "000000" else "111111"}
    )
    assert "动态口令不正确" in wrong.content.decode()
    assert not User.objects.get(pk=editor.pk).totp_confirmed_at

    done = client.post("/accounts/two-factor/", {"code": _code(secret)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = User.objects.get(pk=editor.pk)
    assert stored.totp_confirmed_at is not None and stored.totp_secret == secret
    assert all(code.replace("-", "") not in str(stored.recovery_codes) for code in codes)  # digests only
    assert AuditEvent.objects.filter(action="accounts.two_factor.enrolled", actor=editor).exists()


def test_the_secret_is_sealed_in_the_database(client, editor):
    secret, _done = _enrol(client, editor)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [editor.pk])
        (raw,) = cursor.fetchone()
    assert raw and secret not in raw


def test_sign_in_asks_for_the_code_after_the_password(client, editor, time_machine):
    secret, _done = _enrol(client, editor)
    time_machine.move_to(T0 + dt.timedelta(seconds=30), tick=False)  # the enrolment used T0's code

    step1 = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert step1.status_code == 302 and step1["Location"] == "/accounts/login/code/"
    assert client.get("/workbench/").status_code == 302  # not signed in yet

    step2 = client.post("/accounts/login/code/", {"code": _code(secret, T0 + dt.timedelta(seconds=30))})
    assert step2.status_code == 302 and step2["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor=editor).count() == 1


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_code_works_once_and_a_wrong_one_is_refused_clearly(client, editor, language):
    secret, _done = _enrol(client, editor)  # used the code of T0 to confirm
    client.cookies["gk_lang"] = language
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})

    replay = client.post("/accounts/login/code/", {"code": _code(secret)})

    assert replay.status_code == 200
    with translation.override(language):
        message = translation.gettext("动态口令不正确或已使用过，请输入应用中当前显示的 6 位数字。")
    assert message in replay.content.decode()
    assert client.get("/workbench/").status_code == 302
    later = client.post("/accounts/login/code/", {"code": _code(secret, T0 + dt.timedelta(seconds=30))})
    assert later.status_code == 302


def test_wrong_codes_lock_out_like_wrong_passwords(client, editor, settings):
    settings.LOGIN_MAX_FAILURES = 3
    secret, _done = _enrol(client, editor)
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    for _i in range(3):
        page = client.post("/accounts/login/code/", {"code": "12345x"})
    assert "锁定" in page.content.decode()
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert client.post(
        "/accounts/login/code/", {"code": _code(secret, T0 + dt.timedelta(seconds=60))}
    ).status_code in (
        200,
        302,
    )
    assert client.get("/workbench/").status_code == 302  # locked: the right code does not help


def test_a_recovery_code_works_once(client, editor):
    _secret, done = _enrol(client, editor)
    code = done.context["codes"][3]
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})

    assert client.post("/accounts/login/code/", {"code": code.lower()}).status_code == 302
    client.logout()
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 200
    assert len(User.objects.get(pk=editor.pk).recovery_codes) == 9
    assert AuditEvent.objects.filter(action="accounts.two_factor.recovery_used").count() == 1


def test_the_code_step_without_a_password_step_goes_back_to_the_login(client, editor):
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"
    assert client.post("/accounts/login/code/", {"code": "123456"})["Location"] == "/accounts/login/"


def test_the_password_step_expires(client, editor, time_machine):
    secret, _done = _enrol(client, editor)
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    later = T0 + dt.timedelta(minutes=10)
    time_machine.move_to(later, tick=False)

    assert (
        client.post("/accounts/login/code/", {"code": _code(secret, later)})["Location"] == "/accounts/login/"
    )


def test_administrators_must_enrol_before_using_the_workbench(client, departments, settings):
    from conftest import _staff

    settings.TOTP_REQUIRED_ROLES = ["audit_admin"]
    auditor = _staff("auditor2", "审计二", departments["office"], ["audit_admin"])
    signed_in = client.post("/accounts/login/", {"username": "auditor2", "password": PASSWORD})
    assert signed_in["Location"] == "/accounts/two-factor/"
    assert client.get("/workbench/audit/")["Location"] == "/accounts/two-factor/"
    page = client.get("/accounts/two-factor/")
    assert "须启用两步验证" in page.content.decode()
    client.post("/accounts/two-factor/", {"code": _code(page.context["secret"])})
    assert client.get("/workbench/audit/").status_code == 200
    assert twofactor.enrolled(User.objects.get(pk=auditor.pk))


def test_people_not_required_are_not_sent_to_enrolment(client, editor, settings):
    settings.TOTP_REQUIRED_ROLES = ["audit_admin"]
    client.force_login(editor)
    assert client.get("/workbench/").status_code == 200


# -- every member of staff (the default outside the tests) ------------------------------------------


@pytest.fixture
def everyone(settings):
    settings.TOTP_REQUIRED_ROLES = ["*"]


def test_a_staff_member_with_no_administrator_role_is_sent_to_enrolment(client, editor, everyone):
    signed_in = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert signed_in["Location"] == "/accounts/two-factor/"
    for page in ("/workbench/", "/workbench/records/"):
        assert client.get(page)["Location"] == "/accounts/two-factor/"
    enrolment = client.get("/accounts/two-factor/")
    assert "工作人员须启用两步验证" in enrolment.content.decode()
    # No workbench navigation while every link would only lead back here.
    assert 'href="/workbench/records/"' not in enrolment.content.decode()
    done = client.post("/accounts/two-factor/", {"code": _code(enrolment.context["secret"])})
    assert len(done.context["codes"]) == 10
    workbench = client.get("/workbench/")
    assert workbench.status_code == 200 and 'href="/workbench/records/"' in workbench.content.decode()


def test_once_enrolled_a_staff_member_signs_in_with_a_code_and_a_recovery_code_once(
    client, editor, everyone, time_machine
):
    secret, done = _enrol(client, editor)
    recovery = done.context["codes"][0]
    later = T0 + dt.timedelta(seconds=30)
    time_machine.move_to(later, tick=False)

    assert client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})["Location"] == (
        "/accounts/login/code/"
    )
    assert client.post("/accounts/login/code/", {"code": _code(secret, later)})["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200
    client.logout()

    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert client.post("/accounts/login/code/", {"code": recovery})["Location"] == "/workbench/"
    client.logout()
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert client.post("/accounts/login/code/", {"code": recovery}).status_code == 200  # used up
    assert client.get("/workbench/").status_code == 302


@pytest.mark.parametrize(
    ("setting", "editor_required", "auditor_required"),
    [
        (["*"], True, True),
        (["all"], True, True),
        (["ALL"], True, True),
        (["audit_admin"], False, True),
        (["editor", "audit_admin"], True, True),
        (["none"], False, False),
        ([], False, False),
    ],
)
def test_the_setting_names_everyone_or_narrows_to_roles(
    departments, auditor, editor, settings, setting, editor_required, auditor_required
):
    settings.TOTP_REQUIRED_ROLES = setting
    assert twofactor.required(editor) is editor_required
    assert twofactor.required(auditor) is auditor_required


def test_everyone_includes_an_account_without_a_role(departments, everyone):
    from conftest import _staff

    assert twofactor.required(_staff("norole", "无角色", departments["office"], []))


def test_a_narrowed_setting_leaves_other_staff_free_to_sign_in_with_a_password(client, editor, settings):
    settings.TOTP_REQUIRED_ROLES = ["system_admin", "security_admin", "audit_admin"]
    signed_in = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert signed_in["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200


def test_outside_the_tests_every_member_of_staff_is_required_by_default(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env |= {"GONGKAI_DATA_DIR": str(tmp_path), "GONGKAI_SECRET_KEY": "x" * 50}
    read = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'gongkai.settings'; "
        "from django.conf import settings; print(settings.TOTP_REQUIRED_ROLES)"
    )
    out = subprocess.run([sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['*']"
    env["GONGKAI_TOTP_REQUIRED_ROLES"] = "system_admin, audit_admin"
    out = subprocess.run([sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['system_admin', 'audit_admin']"


# -- the demo's published secret ------------------------------------------------------------------------


def test_a_demo_account_is_shown_its_current_code_and_can_sign_in_with_it(client, editor, time_machine):
    twofactor.do_enrol_demo(editor)
    assert twofactor.enrolled(User.objects.get(pk=editor.pk))
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    page = client.get("/accounts/login/code/")
    shown = page.context["demo_code"]
    assert shown == pyotp.TOTP(twofactor.DEMO_SECRET).at(T0)
    body = page.content.decode()
    assert shown in body and all(group in body for group in twofactor.groups(twofactor.DEMO_SECRET))
    assert client.post("/accounts/login/code/", {"code": shown})["Location"] == "/workbench/"
    client.logout()

    # Signing in again within the same 30 s: the code shown is the next one, which is accepted.
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    again = client.get("/accounts/login/code/").context["demo_code"]
    assert again != shown
    assert client.post("/accounts/login/code/", {"code": again})["Location"] == "/workbench/"


def test_no_other_account_is_shown_a_code(client, editor):
    _secret, _done = _enrol(client, editor)
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    page = client.get("/accounts/login/code/")
    assert page.context["demo_code"] is None
    assert twofactor.groups(twofactor.DEMO_SECRET)[1] not in page.content.decode()
    assert twofactor.new_secret() != twofactor.DEMO_SECRET
