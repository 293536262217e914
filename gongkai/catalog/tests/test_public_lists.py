"""The catalog list as a visitor reads it: ordered by the publication date it shows, with the
issuer; a page number past the end or below one answered plainly; the search offers only the
years that have records."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog.views import public


@pytest.fixture
def two_records(make_record, time_machine):
    """The older document published later: a list by formation date would look shuffled."""
    time_machine.move_to(dt.datetime(2015, 7, 1, 10, tzinfo=dt.UTC))
    first = make_record(
        status="published", name="二〇一五年六月成文、七月发布", formed_on=dt.date(2015, 6, 1)
    )
    time_machine.move_to(dt.datetime(2015, 8, 3, 10, tzinfo=dt.UTC))
    second = make_record(
        status="published", name="二〇一五年一月成文、八月发布", formed_on=dt.date(2015, 1, 5)
    )
    return first, second


def test_it_shows_issuer_and_publication_date_and_orders_by_it(client, two_records):
    first, second = two_records

    body = client.get("/catalog/").content.decode()

    assert "发布机构" in body and "发布日期" in body
    assert body.index(second.name) < body.index(first.name)
    assert "2015-08-03" in body and "2015-07-01" in body
    assert "吉林省公安厅" in body


def test_page_zero_is_the_first_page(client, two_records, monkeypatch):
    monkeypatch.setattr(public, "PAGE_SIZE", 1)
    first, second = two_records

    body = client.get("/catalog/?page=0").content.decode()

    assert second.name in body  # the newest, not the last page
    assert first.name not in body


def test_a_page_past_the_end_says_how_many_pages_there_are(client, two_records, monkeypatch):
    monkeypatch.setattr(public, "PAGE_SIZE", 1)

    response = client.get("/catalog/?page=999")

    body = response.content.decode()
    assert response.status_code == 404
    assert "没有第 999 页：本栏目共 2 页。" in body
    assert "本栏目暂无公开信息" not in body
    assert "page=2" in body  # a link to the last page


def test_it_offers_a_jump_to_a_page_keeping_the_filters(client, two_records, monkeypatch):
    monkeypatch.setattr(public, "PAGE_SIZE", 1)

    body = client.get("/catalog/?year=2015").content.decode()

    assert 'class="page-jump"' in body
    assert '<input type="hidden" name="year" value="2015">' in body
    assert 'name="page" min="1" max="2"' in body


def test_search_offers_only_years_with_records(client, two_records):
    body = client.get("/catalog/search/").content.decode()

    assert '<option value="2015"' in body
    assert '<option value="2008"' not in body
    assert '<option value="2026"' not in body


def test_search_past_the_last_page_does_not_say_nothing_found(client, two_records):
    body = client.get("/catalog/search/", {"q": "成文", "page": 999}).content.decode()

    assert "没有第 999 页" in body
    assert "没有找到相关信息" not in body
