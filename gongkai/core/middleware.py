"""Request middleware: language choice (Chinese by default), client address for audit, headers."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation

from gongkai.core import text
from gongkai.core.audit import set_request_ip

LANGUAGE_COOKIE = "gk_lang"
CLIENT_ADDRESS_KEY = "gongkai.client_address"
# Pages and API answers that carry personal data or staff work: never kept by a browser or proxy.
PRIVATE_PREFIXES = ("/workbench/", "/accounts/", "/apply/", "/api/v1/applications")


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The visitor's address. X-Forwarded-For is believed only from a proxy named in
    GONGKAI_TRUSTED_PROXIES (none by default), and then read from the right: the first address not
    itself a trusted proxy is the client's — whatever a client writes further left is ignored."""
    cached = request.META.get(CLIENT_ADDRESS_KEY)
    if cached is not None:
        return str(cached)
    address = str(request.META.get("REMOTE_ADDR") or "")
    if _trusted(address):
        hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
        for hop in reversed(hops):
            address = hop
            if not _trusted(hop):
                break
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        address = str(request.META.get("REMOTE_ADDR") or "")
    request.META[CLIENT_ADDRESS_KEY] = address
    return address


class LanguageMiddleware:
    """Chinese unless the visitor chose otherwise (cookie); Accept-Language is deliberately ignored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(LANGUAGE_COOKIE, settings.LANGUAGE_CODE)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        set_request_ip(client_address(request) or None)
        try:
            response = self.get_response(request)
        finally:
            set_request_ip(None)
            # Work done outside requests (commands, tasks) on this thread speaks the default language.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/docs"):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
            )
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        private = request.path.startswith(PRIVATE_PREFIXES) or (user is not None and user.is_authenticated)
        if private and "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "no-store, private"
        return response


class RefuseNulMiddleware:
    """A NUL character in the address or a form field is never meant: answer 400 before any view
    (PostgreSQL cannot store it and would answer a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return self.get_response(request)  # the API answers bad input in its own JSON shape
        values = [v for vs in request.GET.lists() for v in vs[1]]
        if "\x00" in request.path or any("\x00" in v for v in values):
            return HttpResponseBadRequest("Bad request: NUL character / 请求中含有非法字符".encode())
        return self.get_response(request)


class CleanInputMiddleware:
    """Every posted form field without control characters (core.text.strip_control: tab and
    newline stay), NUL included, before any view or form sees it — the staff forms, the public
    forms and the many views that read a move's reason, an answer or a date from request.POST
    themselves (a NUL handed on by those would reach the database, which PostgreSQL refuses with a
    500). Nobody types a NUL: it is dropped like the other control characters, and what was typed
    around it is kept. The JSON API refuses a NUL in its bodies in its parser (gongkai/api.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            posted = request.POST
            if any(text.strip_control(v) != v for _k, vs in posted.lists() for v in vs):
                cleaned = posted.copy()
                for key, values in posted.lists():
                    cleaned.setlist(key, [text.strip_control(v) for v in values])
                cleaned._mutable = False
                request.POST = cleaned  # type: ignore[assignment]
        return self.get_response(request)


class SecureCookiesMiddleware:
    """Every cookie of an HTTPS answer is marked Secure (session, CSRF, the display preferences),
    whatever the settings: so a deployment behind HTTPS needs no switch, and development on http
    keeps working. Placed right after SecurityMiddleware, it sees the cookies the others set.
    (HSTS is SecurityMiddleware's: SECURE_HSTS_SECONDS, sent on HTTPS answers only.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response
