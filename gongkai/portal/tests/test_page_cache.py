"""The public page cache: pages are served from it, and what is published or withdrawn still shows
once the cache time (settings.PUBLIC_CACHE_SECONDS, 30 s) has passed. No test waits: the clock is
moved with time-machine, which the cache's expiry reads too."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.views.decorators.cache import cache_page

from gongkai.catalog import services


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def after_the_cache_time() -> time_machine.travel:
    return time_machine.travel(
        dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=settings.PUBLIC_CACHE_SECONDS + 1), tick=False
    )


def test_public_pages_are_cached_for_at_most_a_minute():
    assert 0 < settings.PUBLIC_CACHE_SECONDS <= 60


def test_a_record_page_is_served_from_the_cache_and_carries_no_cookie(make_record, client, reviewer):
    record = make_record("published")
    first = client.get(record.get_absolute_url())
    assert first.status_code == 200
    assert not first.cookies
    assert f"max-age={settings.PUBLIC_CACHE_SECONDS}" in first["Cache-Control"]
    services.do_withdraw_record(
        record, actor=reviewer, reason="已被新文件替代", expected_version=record.version
    )
    # Still the cached page: the cache is in use.
    assert client.get(record.get_absolute_url()).status_code == 200


def test_a_withdrawn_record_shows_the_notice_once_the_cache_time_has_passed(make_record, client, reviewer):
    record = make_record("published")
    assert client.get(record.get_absolute_url()).status_code == 200
    services.do_withdraw_record(
        record, actor=reviewer, reason="已被新文件替代", expected_version=record.version
    )
    with after_the_cache_time():
        response = client.get(record.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "该信息已撤回" in html
    assert "已被新文件替代" in html


def test_a_withdrawal_notice_is_never_cached(make_record, client, reviewer):
    record = make_record("withdrawn")
    response = client.get(record.get_absolute_url())
    assert response.status_code == 410
    assert "Cache-Control" not in response  # only 200 answers are stored


def test_a_newly_published_record_appears_in_the_catalog_once_the_cache_time_has_passed(
    make_record, client, reviewer
):
    record = make_record("approved")
    assert record.name not in client.get("/catalog/").content.decode()
    services.do_publish_record(record, actor=reviewer, expected_version=record.version)
    # Its own page was never cached (it answered 404), so it shows at once.
    assert client.get(record.get_absolute_url()).status_code == 200
    with after_the_cache_time():
        assert record.name in client.get("/catalog/").content.decode()


def test_a_cache_time_of_zero_disables_the_page_cache():
    """GONGKAI_PUBLIC_CACHE_SECONDS=0 (used by bench.web): cache_page(0) stores nothing."""
    calls: list[int] = []

    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return HttpResponse(f"call {len(calls)}")

    cached = cache_page(0)(view)
    request = RequestFactory().get("/catalog/r/x/")
    assert cached(request).content == b"call 1"
    assert cached(RequestFactory().get("/catalog/r/x/")).content == b"call 2"
    assert len(calls) == 2


def test_large_text_mode_does_not_leak_through_the_cache(make_record, client):
    record = make_record("published")
    client.cookies["gk_large"] = "1"
    assert "large-text" in client.get(record.get_absolute_url()).content.decode()
    del client.cookies["gk_large"]
    assert "large-text" not in client.get(record.get_absolute_url()).content.decode()
