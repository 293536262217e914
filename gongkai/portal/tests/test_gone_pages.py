"""410 Gone has a page of its own: a withdrawn record's address says what happened, when and why, in
the portal's layout with the search box and the ways on (its column, the catalog, search, home), and
never shows the withdrawn text; in both languages."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.utils import timezone

from gongkai.portal import errors


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


def test_a_withdrawn_record_answers_410_with_its_own_page(make_record, client):
    record = make_record("withdrawn")

    response = client.get(record.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 410
    assert "<h1>该信息已撤回</h1>" in html
    assert f"您要查看的“{record.name}”已经撤回，不再公开" in html
    withdrawn_on = timezone.localdate(record.withdrawn_at).isoformat()
    assert re.search(rf"<th scope=\"row\">撤回日期</th><td>{withdrawn_on}</td>", html)
    assert re.search(r"<th scope=\"row\">撤回原因</th><td>已被新文件替代</td>", html)
    assert record.index_number in html
    assert 'role="search"' in html and 'aria-label="主导航"' in html
    for way in ('href="/catalog/c/policy-rules/"', 'href="/catalog/"', 'href="/catalog/search/"', 'href="/"'):
        assert way in html, way
    assert "延吉口岸签证业务正式启动" not in html  # the body is gone
    assert "Cache-Control" not in response  # never stored as a page


def test_the_page_in_english(make_record, client):
    record = make_record("withdrawn")
    client.cookies["gk_lang"] = "en"

    html = client.get(record.get_absolute_url()).content.decode()

    assert 'lang="en"' in html
    assert "Browse the disclosure catalog" in html and "Go to the home page" in html
    assert "Error code: 410" in html


def test_the_handler_style_view_alone(db):
    request = RequestFactory().get("/x/")
    request.COOKIES = {}

    response = errors.gone(request)

    assert response.status_code == 410
    assert "该信息已撤回" in response.content.decode()
