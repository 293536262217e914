"""In English, the case page and the public status page name the Regulations and their articles in
English (the rule set's own English text), never the Chinese title or 第N条."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import PASSWORD

CHINESE_LAW = re.compile(r"第[一二三四五六七八九十]+条|政府信息公开条例")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 10, 10, tzinfo=dt.UTC))


def choose_english(client):
    assert client.post("/preferences/", {"language": "en", "next": "/"}).status_code == 302


def clock_box(html: str) -> str:
    found = re.search(r'<ul class="clock-steps">.*?</ul>', html, re.S)
    assert found
    return found.group(0)


def test_the_case_page_in_english(client, make_application, reviewer):
    app = make_application()
    assert client.login(username=reviewer.username, password=PASSWORD)
    choose_english(client)

    html = client.get(reverse("workbench:inforequests_staff:case", args=[app.pk])).content.decode()

    assert "Regulations of the People&#x27;s Republic of China on Government Information Disclosure" in html
    assert "(State Council Decree No. 711)" in html
    assert "(Article 33)" in html
    assert not CHINESE_LAW.search(html.split('id="letters"')[0])


def test_the_status_page_in_english(client, make_application):
    app = make_application()
    choose_english(client)

    html = client.post(
        "/apply/status/",
        follow=True,
        data={"tracking_number": app.tracking_number, "query_code": app.query_code},
    ).content.decode()

    steps = clock_box(html)
    assert "governed by the Regulations of the People&#x27;s Republic of China" in steps
    assert "(Article 33)" in steps
    assert not CHINESE_LAW.search(steps)


def test_chinese_stays_the_default(client, make_application):
    app = make_application()

    html = client.post(
        "/apply/status/",
        follow=True,
        data={"tracking_number": app.tracking_number, "query_code": app.query_code},
    ).content.decode()

    assert "适用中华人民共和国政府信息公开条例（国务院令第711号）" in clock_box(html)
