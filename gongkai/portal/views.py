"""The public shell: home page, visitor preferences (language, large text), sitemap."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_page
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_cookie

from gongkai.catalog import queries
from gongkai.catalog.models import Category, Page
from gongkai.core.middleware import LANGUAGE_COOKIE

HOME_COLUMNS = ("news", "policy", "press", "interpretation", "finance", "powers")


@require_safe
@cache_page(settings.PUBLIC_CACHE_SECONDS)
@vary_on_cookie  # language and large-text mode are cookies: one cached copy per choice
def home(request: HttpRequest) -> HttpResponse:
    categories = {
        c.code: c for c in Category.objects.filter(code__in=(*HOME_COLUMNS, "alerts"), is_active=True)
    }
    columns = []
    for code in HOME_COLUMNS:
        category = categories.get(code)
        if category is None:
            continue
        latest = list(
            queries.published_records()
            .filter(category_id__in=queries.descendant_ids(category))
            .order_by("-published_at")[:6]
        )
        columns.append((category, latest))
    alerts_category = categories.get("alerts")
    alerts = (
        list(queries.published_records().filter(category=alerts_category).order_by("-published_at")[:5])
        if alerts_category
        else []
    )
    return render(
        request,
        "portal/home.html",
        {"nav": "home", "columns": columns, "alerts": alerts, "alerts_category": alerts_category},
    )


@csrf_exempt  # only sets the visitor's own display cookies; public pages stay free of CSRF cookies
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """Language and large-text mode, kept in cookies; a plain form, so it works without JavaScript."""
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.POST.get("language")
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="Lax")
    large = request.POST.get("large")
    if large in {"0", "1"}:
        response.set_cookie("gk_large", large, max_age=365 * 86400, samesite="Lax")
    return response


@require_safe
@cache_page(settings.PUBLIC_CACHE_SECONDS)
@vary_on_cookie  # language and large-text mode are cookies: one cached copy per choice
def sitemap_page(request: HttpRequest) -> HttpResponse:
    """网站地图 for people: every section, the catalog's columns and the office's pages."""
    return render(
        request,
        "portal/sitemap.html",
        {"nav": "sitemap", "tree": queries.category_tree(), "pages": Page.objects.order_by("slug")},
    )
