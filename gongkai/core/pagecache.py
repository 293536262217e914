"""The public page cache, looked up before the rest of Django's middleware.

Views decorated with `public_page` (the catalog's browse and record pages) mark their 200 answers
as shareable. `PageCacheMiddleware`, first in MIDDLEWARE, stores such an answer as it leaves the
application — body and every header the other middleware added — for
`settings.PUBLIC_CACHE_SECONDS` in the default cache, and answers the next anonymous GET or HEAD of
the same address from there without running the other middleware or the view (a hit costs tens of
microseconds instead of several milliseconds).

What varies and what is never shared, as with `cache_page` + `vary_on_cookie` before:

* the key is the scheme, host, path and query string, and the values of the two display cookies
  (`gk_lang`, `gk_large`), the only cookies an anonymous public page depends on;
* a request carrying a session cookie (staff) or a messages cookie neither reads nor fills the
  cache; nor does any method but GET and HEAD, nor a request whose Host is not allowed (it falls
  through to Django, which refuses it);
* only 200 answers that set no cookie and are not `private` are stored: withdrawal notices (410)
  and 404s never are, and publishing shows within PUBLIC_CACHE_SECONDS (≤ 60 s).

`WSGIFront` answers the same hits one step earlier, in front of Django's WSGI handler (gunicorn
installs it: gongkai/gunicorn_conf.py), with the middleware's own key and checks; it never stores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_response_headers

DISPLAY_COOKIES = ("gk_lang", "gk_large")
KEY_PREFIX = "gk.page:"
_MARK = "_gk_public_page"


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Let PageCacheMiddleware share this view's 200 answers; sets Expires/max-age like `cache_page`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            seconds = settings.PUBLIC_CACHE_SECONDS
            patch_response_headers(response, max(seconds, 0))
            if seconds > 0:
                setattr(response, _MARK, seconds)
        return response

    return wrapper


def _private_cookies() -> frozenset[str]:
    return frozenset({settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages")})


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.cache = caches["default"]
        self.private = _private_cookies()

    def key(self, request: HttpRequest) -> str | None:
        """The cache key of a request that may share pages, or None."""
        if request.method not in ("GET", "HEAD") or settings.PUBLIC_CACHE_SECONDS <= 0:
            return None
        cookies = request.COOKIES
        if cookies and not self.private.isdisjoint(cookies):
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        lang = cookies.get(DISPLAY_COOKIES[0], "")
        large = cookies.get(DISPLAY_COOKIES[1], "")
        scheme = "https" if request.is_secure() else "http"
        query = request.META.get("QUERY_STRING", "")
        address = f"{scheme}://{host}{request.path}?{query}|{lang}|{large}"
        # Hashed: any address makes a short key every cache backend accepts.
        return (
            KEY_PREFIX + hashlib.blake2b(address.encode(errors="surrogateescape"), digest_size=16).hexdigest()
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = self.key(request)
        if key is not None:
            stored = self.cache.get(key)
            if stored is not None:
                status, headers, content = stored
                hit = HttpResponse(content, status=status)
                for name, value in headers:
                    hit.headers[name] = value
                return hit
        response = self.get_response(request)
        seconds = getattr(response, _MARK, 0)
        if (
            key is not None
            and seconds
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            assert isinstance(response, HttpResponse)
            self.cache.set(key, (200, list(response.items()), response.content), seconds)
        return response


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class WSGIFront:
    """Serve page-cache hits before Django's WSGI handler (no request signals, no middleware chain,
    no response object): what the middleware would answer, byte for byte; everything else, misses
    included, goes to the application unchanged."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.lookup = PageCacheMiddleware(lambda request: HttpResponse(status=500))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and settings.PUBLIC_CACHE_SECONDS > 0:
            key = self.lookup.key(WSGIRequest(environ))
            if key is not None:
                stored = self.lookup.cache.get(key)
                if stored is not None:
                    status, headers, content = stored
                    start_response(f"{status} {HTTPStatus(status).phrase}", list(headers))
                    return [content]
        return self.app(environ, start_response)
