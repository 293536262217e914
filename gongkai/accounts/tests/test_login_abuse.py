"""Sign-in under attack (issue 12): nobody can lock a member of staff out from elsewhere, an unknown
username looks like a wrong password, and a mistyped username never lands in the log as typed."""

from django.test import Client

from conftest import PASSWORD
from gongkai.core.models import AuditEvent

LOCKED = "临时锁定"


def attempt(username, password, address):
    return Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_failures_from_one_address_do_not_lock_the_account_elsewhere(editor, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(5):
        response = attempt("editor", "wrong", "198.51.100.7")
    assert LOCKED in response.content.decode()
    assert LOCKED in attempt("editor", PASSWORD, "198.51.100.7").content.decode()
    at_the_desk = attempt("editor", PASSWORD, "10.1.2.3")
    assert at_the_desk.status_code == 302


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(editor, settings):
    settings.LOGIN_MAX_FAILURES = 3
    known = [attempt("editor", "wrong", "192.0.2.1").content.decode() for _ in range(4)]
    unknown = [attempt("nosuchuser", "wrong", "192.0.2.2").content.decode() for _ in range(4)]
    assert ["用户名或密码不正确" in page for page in known] == [
        "用户名或密码不正确" in page for page in unknown
    ]
    assert [LOCKED in page for page in known] == [LOCKED in page for page in unknown]


def test_an_unknown_username_runs_the_password_hasher(editor, settings, monkeypatch):
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    original = MD5PasswordHasher.encode

    def encode(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", encode)
    attempt("nosuchuser", "pw-unknown", "192.0.2.3")
    assert "pw-unknown" in calls


def test_a_mistyped_username_is_not_stored_as_typed(db):
    secret = "Sup3r-Secret-Passw0rd"
    attempt(secret, "whatever", "192.0.2.4")
    event = AuditEvent.objects.get(action="accounts.login.failed")
    assert secret not in f"{event.note} {event.object_repr} {event.before} {event.after} {event.actor_label}"
    assert "hmac" in event.note
