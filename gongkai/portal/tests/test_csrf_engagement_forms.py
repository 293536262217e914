"""A question sent without its security cookie (cookies off, a page left open too long): the ask
form and an event's question form come back with what was typed and say why, in either language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.engagement.choices import EventStatus
from gongkai.engagement.models import EventQuestion, Inquiry, OnlineEvent
from gongkai.engagement.tests.conftest import at

pytestmark = pytest.mark.django_db

ASK_WHY = "您的留言还没有提交"
EVENT_WHY = "您的问题还没有提交"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(at(dt.date(2015, 6, 1), 9))


@pytest.fixture
def announced_event(departments, reviewer):
    start = at(dt.date(2015, 6, 1), 14)
    return OnlineEvent.objects.create(kind="interview", title="微访谈：出入境便民措施", starts_at=start,
                                      ends_at=start + dt.timedelta(hours=2), department=departments["office"],
                                      created_by=reviewer, updated_at=start, status=EventStatus.ANNOUNCED,
                                      announced_at=start - dt.timedelta(days=1))  # fmt: skip


def browser(lang: str = "zh-hans") -> Client:
    client = Client(enforce_csrf_checks=True)
    if lang == "en":
        client.cookies["gk_lang"] = "en"
    return client


def ask_form(client: Client) -> dict[str, str]:
    page = client.get(reverse("engagement:ask"))
    return {"token": page.context["form"].initial["token"], "kind": "inquiry", "topic": "exit_entry",
            "title": "签注办理时间", "question": "赴台签注需要几天？", "wants_public": "on",
            "asker_name": "孙先生", "phone": "13904311111", "email": ""}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_gives_the_ask_form_back_as_typed(lang):
    client = browser(lang)
    data = ask_form(client)
    client.cookies.pop("csrftoken", None)  # the cookie lost: the token is no longer matched

    response = client.post(reverse("engagement:ask"), data)

    body = response.content.decode()
    assert response.status_code == 403
    assert 'value="签注办理时间"' in body and "赴台签注需要几天？" in body and 'value="孙先生"' in body
    assert f'value="{data["token"]}"' in body  # sending again still makes one inquiry
    assert 'role="alert"' in body and "CSRF" not in body
    if lang == "zh-hans":
        assert ASK_WHY in body
    assert not Inquiry.objects.exists()


def test_the_ask_form_sent_again_makes_one_inquiry():
    client = browser()
    data = ask_form(client)
    token = client.cookies["csrftoken"].value
    client.post(reverse("engagement:ask"), data)  # without its token: given back

    again = client.post(reverse("engagement:ask"), {**data, "csrfmiddlewaretoken": token})

    assert again.status_code == 302
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_gives_the_event_question_back_as_typed(announced_event, lang):
    client = browser(lang)
    url = reverse("engagement:event_ask", args=[announced_event.pk])

    response = client.post(url, {"nickname": "长春网友", "text": "护照加急要多久？"})

    body = response.content.decode()
    assert response.status_code == 403
    assert 'value="长春网友"' in body and "护照加急要多久？" in body
    assert 'role="alert"' in body and "CSRF" not in body
    if lang == "zh-hans":
        assert EVENT_WHY in body
    assert not EventQuestion.objects.exists()


def test_a_closed_event_gets_the_plain_expired_page(announced_event):
    announced_event.status = EventStatus.ARCHIVED
    announced_event.save()

    response = browser().post(reverse("engagement:event_ask", args=[announced_event.pk]), {"text": "x"})

    assert response.status_code == 403
    assert "页面已过期，请重新提交" in response.content.decode()
