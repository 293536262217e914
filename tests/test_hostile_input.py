"""No parameter of any page makes a 500: every route of the URL configuration, asked by a member
of staff who sees everything there (and the anonymous visitor), with hostile values for every query
parameter the views read and for every field of every form the page shows.

The parameter names are read from the views' source (`request.GET.get("…")`), so a new parameter is
tried without editing this file."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve

from tests.url_world import World, build_world, route_names

ROOT = Path(__file__).resolve().parent.parent / "gongkai"
HOSTILE = [
    "99999",
    "-5",
    "0",
    "10000",
    "9" * 25,
    "1e400",
    "abc",
    "",
    " ",
    "１２３",  # full-width digits
    "2015-13-45",
    "0001-01-01",
    "9999-12-31",
    "a\x00b",
    "<script>alert(1)</script>",
    "x" * 5000,
]
# Posted into every form field: the values that broke forms before (overflow, dates, control
# characters, size, full-width digits).
POSTED = ["9" * 25, "-5", "0001-01-01", "a\x00b", "x" * 5000, "１２３"]


def askers(url: str) -> list[str]:
    """Who opens the page: the office reviewer, or the administrator whose page it is."""
    if url.startswith("/workbench/audit/"):
        return ["audit_admin"]
    if url.startswith(("/workbench/calendar/", "/workbench/jobs/")):
        return ["system_admin"]
    return ["anonymous"] if not url.startswith("/workbench/") else ["reviewer"]


GET_RE = re.compile(r"request\.GET\.get\(\"([a-z_]+)\"")


def query_parameters() -> list[str]:
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        names.update(GET_RE.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


def parameters_of(url: str) -> list[str]:
    """The query parameters the module of the route's view reads (and `page`, read by paginators)."""
    func = resolve(url).func
    module = sys.modules[getattr(func, "__module__", "")]
    source = Path(module.__file__ or "").read_text(encoding="utf-8") if module.__file__ else ""
    return sorted({*GET_RE.findall(source), "page"})


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = dict(attrs).get("name")
        if tag in {"input", "select", "textarea"} and name and name != "csrfmiddlewaretoken":
            self.names.add(name)


def form_fields(html: str) -> set[str]:
    parser = _Fields()
    parser.feed(html)
    return parser.names


@pytest.fixture
def world(departments, tmp_path, settings) -> World:
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_CACHE_SECONDS = 0
    # The rate limits are tested on their own; here every request must reach the view.
    settings.RATE_LIMITS = {name: (10**6, 600) for name in settings.RATE_LIMITS}
    return build_world(departments, tmp_path)


def test_the_known_parameters_are_found():
    assert {"year", "department", "page", "q", "from", "to"} <= set(query_parameters())


def _walked() -> list[str]:
    return route_names()


@pytest.mark.parametrize("name", [n for n in _walked() if not n.startswith("api-v1:")])
def test_no_query_parameter_makes_a_500(world, name):
    url = world.url(name)
    seen = []
    for persona in askers(url):
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world.people[persona])
        for parameter in parameters_of(url):
            for value in HOSTILE:
                response = client.get(url, {parameter: value})
                if response.status_code >= 500:
                    seen.append(f"{persona} GET {url}?{parameter}={value[:30]!r}: {response.status_code}")
    assert not seen, "\n".join(seen[:40])


@pytest.mark.parametrize("name", _walked())
def test_no_form_field_makes_a_500(world, name):
    """Each field of each form the page shows, posted with each hostile value, the others empty."""
    url = world.url(name)
    seen = []
    for persona in askers(url):
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world.people[persona])
        page = client.get(url)
        html = "" if page.streaming or page.status_code != 200 else page.content.decode("utf-8", "replace")
        fields = form_fields(html)
        for field in sorted(fields) or ["version"]:
            for value in POSTED:
                response = client.post(url, {field: value})
                if response.status_code >= 500:
                    seen.append(f"{persona} POST {url} {field}={value[:30]!r}: {response.status_code}")
    assert not seen, "\n".join(seen[:40])
