"""A letter template's text typed when the session ended comes back after logging in (core/drafts.py),
saved or previewed."""

from __future__ import annotations

from gongkai.core import drafts
from gongkai.core.tests.drafts_support import (
    KEPT,
    RESTORED,
    back_after_login,
    expire_session,
    log_in,
    save_after_expiry,
    stamp_from,
)
from gongkai.inforequests.models import LetterTemplate

EDIT = "/workbench/requests/letters/2019/acknowledgement/"
PREVIEW = "/workbench/requests/letters/2019/acknowledgement/preview.pdf"
TEXT = "{recipient}：\n\n本机关已于{received_date}收到您的申请，办公室改过的措辞。"


def test_a_template_typed_when_the_session_ended_comes_back(client, reviewer):
    save_after_expiry(client, reviewer, EDIT, {"text": TEXT, "version": 0})
    page = back_after_login(client, "reviewer", EDIT)
    assert "办公室改过的措辞。" in page
    assert 'name="version" value="0"' in page
    assert not LetterTemplate.objects.filter(key="acknowledgement", rules="2019").exists()


def test_a_preview_asked_for_after_the_session_ended_keeps_the_text_for_the_edit_page(client, reviewer):
    client.force_login(reviewer)
    data = {"text": TEXT, "version": 0, drafts.FIELD: stamp_from(client, EDIT)}
    expire_session(client)
    response = client.post(PREVIEW, data, follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/accounts/login/?next={EDIT}")
    assert KEPT in response.content.decode()
    log_in(client, "reviewer")
    page = client.get(EDIT).content.decode()
    assert RESTORED in page and "办公室改过的措辞。" in page


def test_someone_else_never_sees_the_text(client, reviewer, leader):
    save_after_expiry(client, reviewer, EDIT, {"text": TEXT, "version": 0})
    log_in(client, leader.username)
    page = client.get(EDIT).content.decode()
    assert RESTORED not in page and "办公室改过的措辞。" not in page
