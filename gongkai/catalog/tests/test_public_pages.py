"""What the public sees: only published records; withdrawn ones keep their address with a notice."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_published_record_shows_its_metadata_table(make_record, client):
    record = make_record("published")
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "文号", "发布日期"):
        assert label in html
    assert record.index_number in html
    assert "吉公通〔2015〕12号" in html
    assert "<script>alert" not in html


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_unpublished_records_are_404_everywhere(make_record, client, status):
    record = make_record(status)
    assert client.get(record.get_absolute_url()).status_code == 404
    assert record.name not in client.get("/catalog/").content.decode()
    assert record.name not in client.get("/catalog/c/policy-rules/feed.atom").content.decode()
    assert record.index_number not in client.get("/sitemap.xml").content.decode()
    assert record.name not in client.get("/catalog/search/", {"q": "签证"}).content.decode()


def test_a_withdrawn_record_shows_the_withdrawal_notice(make_record, client):
    record = make_record("withdrawn")
    response = client.get(record.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "该信息已撤回" in html
    assert "已被新文件替代" in html
    assert "延吉口岸签证业务正式启动" not in html


def test_browsing_by_category_year_and_department(make_record, client, departments):
    import datetime as dt

    make_record("published", name="二〇一五年的通告")
    make_record("published", name="二〇一六年的通告", formed_on=dt.date(2016, 3, 1))
    html = client.get("/catalog/c/policy/", {"year": 2016}).content.decode()
    assert "二〇一六年的通告" in html
    assert "二〇一五年的通告" not in html
    html = client.get("/catalog/", {"department": departments["traffic"].pk}).content.decode()
    assert "二〇一五年的通告" not in html


def test_the_feed_and_sitemap_list_published_records(make_record, client):
    record = make_record("published")
    feed = client.get("/catalog/c/policy/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert record.name in feed.content.decode()
    assert record.index_number in client.get("/sitemap.xml").content.decode()


def test_search_finds_a_two_character_word(make_record, client):
    record = make_record("published")
    html = client.get("/catalog/search/", {"q": "口岸"}).content.decode()
    assert record.get_absolute_url() in html
    assert "<mark>口岸</mark>" in html


def test_guide_pages_and_home(client, make_record):
    make_record("published")
    assert "政府信息公开指南" in client.get("/catalog/pages/guide/").content.decode()
    assert client.get("/catalog/pages/contact/").status_code == 200
    assert client.get("/").status_code == 200


def test_english_is_available(client, db):
    client.post("/preferences/", {"language": "en", "next": "/"})
    html = client.get("/catalog/pages/guide/").content.decode()
    assert '<html lang="en">' in html


def test_large_text_mode_is_remembered(client, db):
    response = client.post("/preferences/", {"large": "1", "next": "/catalog/"})
    assert response.status_code == 302
    assert "large-text" in client.get("/catalog/pages/guide/").content.decode()


def test_preferences_refuse_an_offsite_redirect(client):
    response = client.post("/preferences/", {"large": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
