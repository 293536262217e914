"""The page cache in front of the middleware (gongkai/core/pagecache.py): what it shares and what never."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory

from gongkai.core.pagecache import PageCacheMiddleware, WSGIFront, public_page


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


class Site:
    """A public view behind the page cache, counting how often it really runs."""

    def __init__(self, status: int = 200, set_cookie: bool = False) -> None:
        self.calls = 0
        self.status = status
        self.set_cookie = set_cookie
        self.middleware = PageCacheMiddleware(self.inner)

    @property
    def view(self) -> Callable[[HttpRequest], HttpResponseBase]:
        @public_page
        def view(request: HttpRequest) -> HttpResponse:
            self.calls += 1
            lang = request.COOKIES.get("gk_lang", "zh-hans")
            response = HttpResponse(f"page {self.calls} {lang}", status=self.status)
            if self.set_cookie:
                response.set_cookie("csrftoken", "x")
            return response

        return view

    def inner(self, request: HttpRequest) -> HttpResponseBase:
        response = self.view(request)
        response["X-Added-By-Middleware"] = "yes"  # what the middleware after the cache adds
        return response

    def get(self, path: str = "/catalog/r/1/", **kwargs: Any) -> HttpResponse:
        response = self.middleware(RequestFactory().get(path, **kwargs))
        assert isinstance(response, HttpResponse)
        return response


def test_a_hit_skips_the_view_and_keeps_every_header():
    site = Site()
    first = site.get()
    second = site.get()
    assert site.calls == 1
    assert second.content == first.content == b"page 1 zh-hans"
    assert second["X-Added-By-Middleware"] == "yes"
    assert second["Cache-Control"] == first["Cache-Control"]
    assert "max-age=" in second["Cache-Control"]
    # HEAD is answered from the GET's copy.
    assert site.middleware(RequestFactory().head("/catalog/r/1/")).status_code == 200
    assert site.calls == 1


def test_the_display_cookies_and_the_query_string_vary_the_page():
    site = Site()
    site.get()
    english = site.get(HTTP_COOKIE="gk_lang=en")
    assert english.content == b"page 2 en"
    assert site.get(HTTP_COOKIE="gk_lang=en; gk_large=1").content == b"page 3 en"
    assert site.get("/catalog/r/1/?page=2").content == b"page 4 zh-hans"
    assert site.get(HTTP_COOKIE="gk_lang=en").content == b"page 2 en"
    assert site.calls == 4


def test_a_session_cookie_never_reads_nor_fills_the_cache():
    site = Site()
    site.get()
    staff = site.get(HTTP_COOKIE="sessionid=abc")
    assert staff.content == b"page 2 zh-hans"
    site.get(HTTP_COOKIE="sessionid=abc")
    assert site.calls == 3
    assert site.get().content == b"page 1 zh-hans"


def test_errors_cookies_and_posts_are_never_stored():
    for site in (Site(status=410), Site(status=404), Site(set_cookie=True)):
        site.get()
        site.get()
        assert site.calls == 2
    site = Site()
    site.middleware(RequestFactory().post("/catalog/r/1/"))
    site.middleware(RequestFactory().post("/catalog/r/1/"))
    assert site.calls == 2


def test_a_host_that_is_not_allowed_is_not_answered_from_the_cache():
    site = Site()
    site.get()
    seen: list[str] = []

    def inner(request: HttpRequest) -> HttpResponse:
        seen.append(request.META["HTTP_HOST"])
        return HttpResponse(status=400)

    guarded = PageCacheMiddleware(inner)
    response = guarded(RequestFactory().get("/catalog/r/1/", HTTP_HOST="evil.example"))
    assert response.status_code == 400
    assert seen == ["evil.example"]


def test_a_cache_time_of_zero_stores_nothing(settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    site = Site()
    first = site.get()
    site.get()
    assert site.calls == 2
    assert "max-age=0" in first["Cache-Control"]


class Front:
    """WSGIFront before a WSGI app whose page cache is the Site's middleware."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.app_calls = 0
        self.front = WSGIFront(self.app)

    def app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        self.app_calls += 1
        response = self.site.middleware(WSGIRequest(environ))
        assert isinstance(response, HttpResponse)
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return [response.content]

    def get(
        self, path: str = "/catalog/r/1/", method: str = "GET", **extra: Any
    ) -> tuple[str, list[Any], bytes]:
        environ = RequestFactory().generic(method, path, **extra).environ
        seen: list[Any] = []
        body = b"".join(self.front(environ, lambda status, headers: seen.extend([status, headers])))
        return seen[0], seen[1], body


def test_the_wsgi_front_answers_hits_as_the_middleware_does():
    site = Site()
    front = Front(site)
    status, headers, body = front.get()  # a miss: stored by the middleware
    assert front.app_calls == 1
    again = front.get()
    assert front.app_calls == 1 and site.calls == 1
    assert again == (status, headers, body) == ("200 OK", headers, b"page 1 zh-hans")
    assert ("X-Added-By-Middleware", "yes") in headers
    assert front.get(method="HEAD")[2] == body and front.app_calls == 1


def test_the_wsgi_front_passes_on_what_it_must_not_answer():
    site = Site()
    front = Front(site)
    front.get()
    front.get(HTTP_COOKIE="sessionid=abc")  # staff
    front.get(HTTP_HOST="evil.example")  # refused by Django, not answered from the cache
    front.get(method="POST")
    front.get(HTTP_COOKIE="gk_lang=en")  # another key: a miss
    assert front.app_calls == 5
    assert front.get(HTTP_COOKIE="gk_lang=en")[2] == b"page 5 en"
    assert front.app_calls == 5
