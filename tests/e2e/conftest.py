"""Browser journeys: Playwright (sync API) driving Debian's chromium against pytest-django's live server.

* One browser per test session (worker); every test gets a fresh context, so no cookies leak.
* The live server needs transactional database access: each test's data is committed, and the
  database is flushed afterwards. The flush also removes what the migrations seeded (catalog
  columns, guide pages, the workday calendar), so it is put back before every journey and again
  after the last journey of a module, for the tests that run after it in the same worker.
* Public pages are cached (cache_page): the cache is cleared before every journey.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

# Playwright's sync API runs an asyncio loop in this thread; Django's async-safety check would
# refuse the test's own database queries without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 10_000


_SEEDED: dict[type, list] = {}


def _seed() -> None:
    """What the data migrations create, when a flush has removed it; an empty search index.

    The rows are copied once (or made by the migrations' own seed functions) and bulk-inserted
    back after each flush: computing the workday calendar again takes most of a second.
    """
    from django.apps import apps

    from gongkai.catalog import search
    from gongkai.catalog.models import Category, Page
    from gongkai.core.models import CalendarDay, CalendarYear

    seeded = [Category, Page, CalendarYear, CalendarDay]
    if not _SEEDED:
        if not Category.objects.filter(code="policy-rules").exists():
            Page.objects.all().delete()
            Category.objects.exclude(parent=None).delete()
            Category.objects.all().delete()
            importlib.import_module("gongkai.catalog.migrations.0002_seed_categories_and_pages").seed(
                apps, None
            )
            importlib.import_module("gongkai.catalog.migrations.0008_pages_written_out").write_out(apps, None)
        if not CalendarDay.objects.exists():
            importlib.import_module("gongkai.core.migrations.0002_seed_calendar_2004_2026").seed(apps, None)
        _SEEDED.update({model: list(model.objects.order_by("pk")) for model in seeded})
    else:
        for model in seeded:
            if not model.objects.exists():
                model.objects.bulk_create(_SEEDED[model], batch_size=2000)
    search.clear_index()


@pytest.fixture(scope="module", autouse=True)
def _reseed_after_module(django_db_blocker) -> Iterator[None]:
    """Runs after the last journey's flush: leave the worker's database as the migrations made it."""
    yield
    with django_db_blocker.unblock():
        _seed()


@pytest.fixture(autouse=True)
def _fresh_site(live_server) -> Iterator[None]:
    from django.core.cache import cache

    from gongkai.catalog.models import Category

    _seed()
    assert Category.objects.filter(code="policy-rules", parent__isnull=False).exists()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):
    """Factory: new_context(phone=False, js=True) -> a Page in a fresh browser context."""
    contexts = []

    def make(*, phone: bool = False, js: bool = True):
        context = browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            java_script_enabled=js,
            locale="zh-CN",
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=1,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context()


@pytest.fixture
def shot(request):
    """shot(page, "name"): a full-page screenshot in test-artifacts/<test>-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = request.node.name.replace("[", "-").replace("]", "").replace("/", "-")

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{prefix}-{name}.png"
        if os.environ.get("GONGKAI_E2E_SCREENSHOTS", "1") != "0":
            page.screenshot(path=str(path), full_page=True)
        return path

    return take
