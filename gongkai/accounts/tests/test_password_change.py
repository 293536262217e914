"""A person changes their own password at /accounts/password/: the current one, the new one twice;
they stay signed in, the audit trail says so without the password, and the header links there."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from conftest import PASSWORD
from gongkai.accounts.models import PasswordHistory, User
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW = "Spring-window-2027"


def _change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_it_changes_the_password_and_keeps_the_session(client, editor):
    client.force_login(editor)
    response = _change(client)
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    editor.refresh_from_db()
    assert editor.check_password(NEW)
    assert client.get("/workbench/").status_code == 200  # update_session_auth_hash


def test_it_is_audited_without_the_password(client, editor):
    client.force_login(editor)
    _change(client)
    event = AuditEvent.objects.get(action="accounts.password.changed")
    assert event.actor_id == editor.pk and event.object_id == str(editor.pk)
    stored = f"{event.before} {event.after} {event.note}"
    assert NEW not in stored and PASSWORD not in stored and "md5$" not in stored


def test_a_wrong_current_password_changes_nothing(client, editor):
    client.force_login(editor)
    response = _change(client, old="not-my-password-1A")
    assert response.status_code == 200
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="accounts.password.changed").exists()


def test_two_different_new_passwords_are_refused(client, editor):
    client.force_login(editor)
    assert _change(client, again="Spring-window-2028").status_code == 200
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_the_page_in_english(client, editor):
    client.force_login(editor)
    client.cookies["gk_lang"] = "en"
    text = client.get("/accounts/password/").content.decode()
    assert "Old password" in text and "New password confirmation" in text  # Django's own labels
    with translation.override("en"):  # ours once the catalogue has them (/work/notes/po/s1.po)
        title = translation.gettext("修改密码")
    assert title in text


def test_the_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_workbench_header_links_to_it(client, editor):
    client.force_login(editor)
    assert 'href="/accounts/password/"' in client.get("/workbench/").content.decode()


def test_the_new_hash_joins_the_history(client, editor):
    client.force_login(editor)
    _change(client)
    user = User.objects.get(pk=editor.pk)
    newest = PasswordHistory.objects.filter(user=user).first()
    assert newest is not None and newest.password_hash == user.password


def test_the_new_address_alert_links_to_it(client, editor, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_URL = "https://gongkai.example.gov.cn"
    editor.email = "editor@example.com"
    editor.save()
    for ip in ("10.0.0.1", "203.0.113.9"):
        client.logout()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/accounts/login/", {"username": editor.username, "password": PASSWORD}, REMOTE_ADDR=ip
            )
    assert len(mail.outbox) == 1
    assert "https://gongkai.example.gov.cn/accounts/password/" in mail.outbox[0].body
