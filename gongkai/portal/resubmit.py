"""The page after a failed CSRF check on a form that has no page of its own for it (errors.csrf_failure):
it says why, offers a "重新提交" button that sends the same fields again with a fresh token to the same
address, and shows what was typed for copying.

Kept safe: the button is offered only when the failed post came from this site (its Origin, or without
one its Referer, is ours), so a forged cross-site post never gets a ready-made button with a good token;
the target is the request's own path, never another host; the re-post goes through the normal CSRF
check with the new token; passwords and one-time codes are never echoed, and files are never re-posted
(the page says to choose them again). No script: a plain form (CSP script-src 'self')."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

STAFF_PREFIXES = ("/workbench/", "/accounts/")
# A field is a secret when its form says so (a password input) or its name looks like one.
SECRET_NAME = re.compile(r"pass|pwd|secret|otp|token", re.IGNORECASE)
# One-time codes (the second factor's, an applicant's query code); outside the workbench only.
CODE_NAMES = frozenset({"code", "query_code", "recovery_code"})
TOKEN_FIELD = "csrfmiddlewaretoken"  # noqa: S105 - the form field's name, not a secret


@dataclass(frozen=True)
class Typed:
    label: str
    value: str
    rows: int


@dataclass(frozen=True)
class Chosen:
    label: str
    names: list[str]


def page(request: HttpRequest, reason: str) -> HttpResponse:
    staff = request.path.startswith(STAFF_PREFIXES)
    context: dict[str, Any] = {
        "base": "workbench/base.html" if staff else "portal/base.html",
        "staff": staff,
        "signed_out": staff and not _signed_in(request),
        "back_url": _referring_page(request),
    }
    if request.method == "POST" and same_origin(request):
        context.update(_kept(request))
        context["action"] = _action(request)
    response = render(request, "portal/csrf_failure.html", context, status=403)
    # What was typed is on this page: never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store, private"
    return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _trusted(request: HttpRequest) -> set[str]:
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return set()
    return {own, *settings.CSRF_TRUSTED_ORIGINS}


def same_origin(request: HttpRequest) -> bool:
    """The post came from a page of this site: its Origin (or, without one, its Referer) is ours."""
    trusted = _trusted(request)
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in trusted
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.netloc) and f"{referer.scheme}://{referer.netloc}" in trusted


def _referring_page(request: HttpRequest) -> str:
    """The page the form was on, when it is one of ours (its path only), else ""."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if not referer.netloc or f"{referer.scheme}://{referer.netloc}" not in _trusted(request):
        return ""
    path = "/" + referer.path.lstrip("/\\")
    return f"{path}?{referer.query}" if referer.query else path


def _action(request: HttpRequest) -> str:
    """The same address, as a path on this host: never "//host" or "/\\host", which browsers read as
    another site."""
    return "/" + request.get_full_path().lstrip("/\\")


def _kept(request: HttpRequest) -> dict[str, Any]:
    names = [name for name in request.POST if name != TOKEN_FIELD]
    fields = _form_fields(frozenset(names) | frozenset(request.FILES))
    hidden: list[tuple[str, str]] = []
    typed: list[Typed] = []
    secrets: list[str] = []
    for name in names:
        field = fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        if _secret(name, field, request.path):
            secrets.append(label)
            continue
        values = request.POST.getlist(name)
        hidden.extend((name, value) for value in values)
        text = "\n".join(value for value in values if value.strip())
        if text and _shown(field, matched=bool(fields)):
            typed.append(Typed(label, text, min(max(text.count("\n") + 2, 2), 16)))
    chosen = [
        Chosen(_label(fields, name), [item.name or "" for item in request.FILES.getlist(name)])
        for name in request.FILES
    ]
    return {"hidden": hidden, "typed": typed, "secrets": secrets, "files": chosen}


def _label(fields: dict[str, forms.Field], name: str) -> str:
    field = fields.get(name)
    return str(field.label) if field is not None and field.label else name


def _secret(name: str, field: forms.Field | None, path: str) -> bool:
    if field is not None and isinstance(field.widget, forms.PasswordInput):
        return True
    if SECRET_NAME.search(name):
        return True
    # A workbench form may have a field called "code" (a category's, an item's): kept there.
    return name in CODE_NAMES and not path.startswith("/workbench/")


def _shown(field: forms.Field | None, *, matched: bool) -> bool:
    """Text worth copying: not a hidden input (versions, draft stamps) nor a choice (an id); when a form
    matched, only its own fields (not the page's extra stamps)."""
    if field is None:
        return not matched
    if isinstance(field.widget, forms.HiddenInput | forms.MultipleHiddenInput):
        return False
    return not isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)


def _form_fields(names: frozenset[str]) -> dict[str, forms.Field]:
    """The fields (labels, widgets) of the form that best matches the posted names: the project's
    forms are looked at, the one with most of the names and fewest others wins; {} when none has any."""
    best: dict[str, forms.Field] = {}
    best_score = (0, 0)
    for fields in _all_forms():
        hit = len(names & fields.keys())
        score = (hit, -len(fields.keys() - names))
        if hit and score > best_score:
            best, best_score = fields, score
    return best


def _all_forms() -> tuple[dict[str, forms.Field], ...]:
    seen: list[dict[str, forms.Field]] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        fields = getattr(cls, "base_fields", None)
        if fields:
            seen.append(dict(fields))
    return tuple(seen)
