"""An answer typed when the session ended comes back after logging in (core/drafts.py): the form
posts to the move's address, the draft waits on the inquiry's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

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
from gongkai.engagement import services
from gongkai.engagement.models import OnlineEvent
from gongkai.engagement.tests.conftest import at

ANSWER = "携带居民身份证到出入境接待大厅办理，7个工作日可领证。"


@pytest.fixture
def routed(ask, reviewer, departments):
    inquiry, _code = ask(dt.date(2015, 6, 1))
    return services.do_route_inquiry(
        inquiry,
        departments["exit_entry"],
        actor=reviewer,
        version=inquiry.version,
        now=at(dt.date(2015, 6, 1), 11),
    )


def post_after_expiry(client, editor, inquiry):
    page_url = reverse("workbench:engagement_staff:inquiry", args=[inquiry.pk])
    client.force_login(editor)
    data = {"version": inquiry.version, "answer": ANSWER, drafts.FIELD: stamp_from(client, page_url)}
    expire_session(client)
    response = client.post(
        reverse("workbench:engagement_staff:inquiry_move", args=[inquiry.pk, "answer"]), data, follow=True
    )
    # Sent to sign in, then back to the inquiry's page (the move's address only takes a POST).
    assert response.redirect_chain[-1][0].startswith(f"/accounts/login/?next={page_url}")
    assert KEPT in response.content.decode()
    return page_url


def test_an_answer_typed_when_the_session_ended_comes_back(client, editor, routed):
    page_url = post_after_expiry(client, editor, routed)
    log_in(client, "editor")
    shown = client.get(page_url).content.decode()
    assert RESTORED in shown and ANSWER in shown
    assert f'name="version" value="{routed.version}"' in shown
    routed.refresh_from_db()
    assert not routed.answer  # nothing saved behind their back
    assert RESTORED not in client.get(page_url).content.decode()  # given back once


def test_someone_else_never_sees_the_answer(client, editor, reviewer, routed):
    page_url = post_after_expiry(client, editor, routed)
    log_in(client, "reviewer")
    shown = client.get(page_url).content.decode()
    assert RESTORED not in shown and ANSWER not in shown


def test_an_online_event_typed_when_the_session_ended_comes_back(client, editor, departments):
    url = reverse("workbench:engagement_staff:event_new")
    data = {
        "kind": "interview",
        "title": "出入境便民措施在线访谈",
        "department": departments["exit_entry"].pk,
        "starts_at": "2015-06-10T09:30",
        "ends_at": "2015-06-10T11:00",
        "summary": "局领导在线回答网民提问。",
        "guests": "金明（副局长）",
    }
    save_after_expiry(client, editor, url, data)
    page = back_after_login(client, "editor", url)
    assert 'value="出入境便民措施在线访谈"' in page and "局领导在线回答网民提问。" in page
    assert not OnlineEvent.objects.exists()
