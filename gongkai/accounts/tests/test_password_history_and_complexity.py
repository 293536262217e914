"""Password complexity (three of: lower-case, capitals, digits, symbols) and history (none of the
last GONGKAI_PASSWORD_HISTORY passwords again), as the change page and validate_password apply them."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from conftest import PASSWORD
from gongkai.accounts.models import PasswordHistory
from gongkai.accounts.passwords import character_kinds
from gongkai.accounts.services import do_change_password

pytestmark = pytest.mark.django_db


def _change(client, old, new):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


@pytest.mark.parametrize(
    ("password", "kinds"),
    [("alllowercase-words", 2), ("ALLCAPS2026", 2), ("Mixed-Case-2026", 4), ("户籍窗口-2026", 2)],
)
def test_it_counts_the_kinds_of_character(password, kinds):
    assert character_kinds(password) == kinds


def test_a_password_of_two_kinds_is_refused_with_the_reason(editor):
    with pytest.raises(ValidationError) as refused:
        validate_password("quiet-river-stones", user=editor)
    assert "至少 3 种" in " ".join(refused.value.messages)
    validate_password("Quiet-river-stones", user=editor)


def test_the_change_page_refuses_a_simple_password(client, editor):
    client.force_login(editor)
    response = _change(client, PASSWORD, "quiet-river-stones")
    assert response.status_code == 200 and "至少 3 种" in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_the_current_password_is_refused_as_the_new_one(client, editor):
    client.force_login(editor)
    _change(client, PASSWORD, "Spring-window-2027")
    response = _change(client, "Spring-window-2027", "Spring-window-2027")
    assert response.status_code == 200 and "最近 5 次" in response.content.decode()


def test_any_of_the_last_five_is_refused_and_the_sixth_back_allowed(editor, settings):
    settings.PASSWORD_HISTORY = 5
    used = [f"Spring-window-{year}" for year in range(2020, 2026)]
    for password in used:
        do_change_password(editor, password)
    assert PasswordHistory.objects.filter(user=editor).count() == 5  # older hashes are not kept
    for password in used[1:]:
        with pytest.raises(ValidationError):
            validate_password(password, user=editor)
    validate_password(used[0], user=editor)


def test_the_history_length_is_configurable_and_zero_allows_reuse(editor, settings):
    settings.PASSWORD_HISTORY = 0
    do_change_password(editor, "Spring-window-2027")
    validate_password("Spring-window-2027", user=editor)
    assert PasswordHistory.objects.filter(user=editor).count() == 1  # still dates the password


def test_the_history_holds_hashes_only(editor):
    do_change_password(editor, "Spring-window-2027")
    stored = list(PasswordHistory.objects.filter(user=editor).values_list("password_hash", flat=True))
    assert stored and all("Spring-window-2027" not in h for h in stored)
