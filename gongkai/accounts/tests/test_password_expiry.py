"""A password older than GONGKAI_PASSWORD_MAX_AGE_DAYS (0: never) sends its owner to the change
page, which says why; that page, logging out and static files stay reachable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import PASSWORD
from gongkai.accounts import passwords
from gongkai.accounts.models import PasswordHistory
from gongkai.core import clock

pytestmark = pytest.mark.django_db

NEW = "Spring-window-2027"


@pytest.fixture
def aged(client, editor, settings):
    """The editor signed in with 90 days allowed; `aged(days)` makes the password that old (moving
    the password back in time, not the clock: the session would expire)."""
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client.force_login(editor)
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})

    def age(days: int) -> None:
        PasswordHistory.objects.filter(user=editor).update(set_at=clock.now() - dt.timedelta(days=days))

    return age


def test_a_password_within_the_age_works(client, aged):
    aged(89)
    assert client.get("/workbench/").status_code == 200


def test_an_old_password_sends_its_owner_to_the_change_page_which_says_why(client, aged):
    aged(91)
    for url in ("/workbench/", "/workbench/records/", "/", "/accounts/two-factor/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/password/", url
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "超过 90 天" in page.content.decode()


def test_the_change_page_logout_and_static_stay_reachable(client, aged):
    aged(91)
    assert client.get("/accounts/password/").status_code == 200
    assert client.get("/static/gongkai/site.css").status_code != 302
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] != "/accounts/password/"


def test_changing_it_lets_the_person_back_in(client, aged):
    aged(91)
    again = "Summer-window-2027"
    response = client.post(
        "/accounts/password/", {"old_password": NEW, "new_password1": again, "new_password2": again}
    )
    assert response["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200


def test_zero_days_turns_expiry_off(client, aged, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    aged(900)
    assert client.get("/workbench/").status_code == 200


def test_the_age_is_measured_against_the_time_passed_in(editor, aged):
    aged(0)
    set_at = passwords.password_set_at(editor)
    assert not passwords.expired(editor, now=set_at + dt.timedelta(days=90))
    assert passwords.expired(editor, now=set_at + dt.timedelta(days=90, seconds=1))


def test_a_password_without_history_is_dated_by_the_account(client, editor, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    editor.password_history.all().delete()
    editor.date_joined = timezone.now() - dt.timedelta(days=120)
    editor.save(update_fields=["date_joined"])
    client.force_login(editor)
    assert client.get("/workbench/")["Location"] == "/accounts/password/"
