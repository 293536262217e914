"""Request middleware: language choice (Chinese by default), client address for audit, headers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from gongkai.core.audit import set_request_ip

LANGUAGE_COOKIE = "gk_lang"


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
        set_request_ip(request.META.get("REMOTE_ADDR"))
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
        return response
