"""Every route of the URL configuration × every persona and the anonymous visitor: who may open it,
and who is refused — with nothing changed when a refused persona posts to a route that changes
state. A route with no entry in ROUTES fails the build, so a new page is never left out.

The moves of the workflows themselves (who may submit, approve, accept…) are checked cell by cell
by gongkai/core/tests/test_access_matrix.py; this matrix checks the doors in front of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongkai.core.tests.matrix import PERSONAS
from tests import url_apps
from tests.url_rules import (
    ANONYMOUS,
    CASE_SEEING,
    DRAFTING,
    HOME_RECORD,
    RECORD_EDITING,
    STAFF,
    Same,
    Staff,
)
from tests.url_world import World, build_world, route_names

ROUTES: dict[str, Same | Staff] = {
    "portal:home": Same(200),
    "portal:preferences": Same(405),  # POST only: the visitor's own display cookies
    "sitemap": Same(200),
    "portal:sitemap": Same(200),  # the human site map
    "portal:favicon": Same(301),  # to the static file
    "catalog:index": Same(200),
    "catalog:category": Same(200),
    "catalog:feed": Same(200),
    "catalog:record": Same(200),
    "catalog:attachment": Same(200),
    "catalog:search": Same(200),
    "catalog:page": Same(200),
    "inforequests:apply": Same(200),
    "inforequests:done": Same(302),  # no receipt in this session: back to the form
    "inforequests:status": Same(200),
    # Without the signed cookie of a look-up made on this browser: the form again, nothing shown.
    "inforequests:status_result": Same(200),
    "inforequests:receipt": Same(404),  # only for the browser that submitted or looked it up
    "inforequests:reply_letter": Same(404),  # only after the query code was proved in this browser
    "accounts:login": Same(200),
    "accounts:logout": Same(405),
    "api-v1:api-root": Same(404),
    "api-v1:openapi-json": Same(200),
    "api-v1:openapi-view": Same(200),
    "api-v1:records": Same(200),
    "api-v1:record": Same(200),
    "api-v1:categories": Same(200),
    "api-v1:search": Same(422),  # q is required
    "api-v1:applications": Same(405),  # POST with an integration token only
    "api-v1:application": Same(401),  # an integration token, never a session
    "workbench:dashboard": Staff(STAFF),
    "workbench:records": Staff(STAFF),
    "workbench:review_queue": Staff(STAFF),
    "workbench:record_new": Staff(DRAFTING, post=DRAFTING),
    "workbench:record": Staff(HOME_RECORD),
    "workbench:record_edit": Staff(RECORD_EDITING, post=RECORD_EDITING),
    "workbench:record_submit": Staff(frozenset(), post=RECORD_EDITING),
    "workbench:record_approve": Staff(frozenset(), post=frozenset({"reviewer", "leader"})),
    "workbench:record_return": Staff(frozenset(), post=frozenset({"reviewer", "leader"})),
    "workbench:record_publish": Staff(frozenset(), post=frozenset({"reviewer", "leader"})),
    "workbench:record_withdraw": Staff(frozenset(), post=frozenset({"reviewer", "leader"})),
    "workbench:record_attachment": Staff(frozenset(), post=RECORD_EDITING),
    "workbench:record_publication": Staff(frozenset(), post=frozenset({"reviewer"})),
    "workbench:import": Staff(frozenset({"reviewer"}), post=frozenset({"reviewer"})),
    "workbench:pages": Staff(STAFF),
    "workbench:page_edit": Staff(frozenset({"reviewer"}), post=frozenset({"reviewer"})),
    # Everyone reads the workday calendar; only the system administrator enters a year.
    "workbench:calendar": Staff(STAFF, post=frozenset({"system_admin"})),
    "workbench:audit": Staff(frozenset({"security_admin", "audit_admin"})),
    "workbench:jobs": Staff(frozenset({"system_admin", "reviewer"})),
    "workbench:job_retry": Staff(frozenset(), post=frozenset({"system_admin", "reviewer"})),
    "workbench:inforequests_staff:queue": Staff(STAFF),
    "workbench:inforequests_staff:register": Staff(frozenset({"reviewer"}), post=frozenset({"reviewer"})),
    "workbench:inforequests_staff:stats": Staff(CASE_SEEING),
    "workbench:inforequests_staff:proactive": Staff(CASE_SEEING),
    "workbench:inforequests_staff:letter_templates": Staff(CASE_SEEING),
    "workbench:inforequests_staff:letter_template": Staff(
        frozenset({"reviewer"}), post=frozenset({"reviewer"})
    ),
    "workbench:inforequests_staff:letter_template_reset": Staff(frozenset(), post=frozenset({"reviewer"})),
    "workbench:inforequests_staff:letter_template_preview": Staff(CASE_SEEING),
    # Issuing a letter is recorded (letter_services): the office's work, not the leader's.
    "workbench:inforequests_staff:letter": Staff(frozenset({"reviewer"})),
    "workbench:inforequests_staff:case": Staff(CASE_SEEING),
    # An attachment of a record opens for those who may open the record in the workbench.
    "workbench:record_attachment_download": Staff(HOME_RECORD),
    # A GET of a move goes back to the case page (the move's form lives there).
    "workbench:inforequests_staff:action": Staff(frozenset(), post=frozenset({"reviewer"})),
    "workbench:inforequests_staff:fee_action": Staff(frozenset(), post=frozenset({"reviewer"})),
}
for _module in url_apps.modules():
    _clash = set(ROUTES) & set(_module.ROUTES)
    assert not _clash, f"{_module.__name__} repeats routes of the matrix: {sorted(_clash)}"
    ROUTES.update(_module.ROUTES)

# A GET of a move sends those who see the case back to it (302 to the case page, not a refusal).
GET_BACK_TO_CASE = {"workbench:inforequests_staff:action", "workbench:inforequests_staff:fee_action"}


def test_every_route_of_the_url_configuration_has_an_entry():
    missing = sorted(set(route_names()) - set(ROUTES))
    gone = sorted(set(ROUTES) - set(route_names()))
    assert not missing, (
        f"routes without an entry in the access matrix (tests/test_url_access_matrix.py): {missing}"
    )
    assert not gone, f"entries for routes that no longer exist: {gone}"


@pytest.fixture
def world(departments, tmp_path, settings) -> World:
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_CACHE_SECONDS = 0
    return build_world(departments, tmp_path)


def _client(world: World, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona != ANONYMOUS:
        client.force_login(world.people[persona])
    return client


def _to_login(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _refused(response: Any) -> bool:
    return response.status_code in {403, 404, 405} or (
        response.status_code == 302 and not _to_login(response)
    )


def fingerprint(world: World) -> tuple[Any, ...]:
    """What a refused POST must leave as it was: every audit event, record, case, job, page, letter."""
    from gongkai.catalog.models import Page, Record
    from gongkai.core.models import AuditEvent, CalendarYear, JobRun
    from gongkai.inforequests.models import Application, LetterTemplate

    return (
        AuditEvent.objects.count(),
        sorted(Record.objects.values_list("pk", "version", "status")),
        sorted(Application.objects.values_list("pk", "version", "status")),
        sorted(JobRun.objects.values_list("pk", "state", "attempts")),
        sorted(Page.objects.values_list("pk", "version")),
        LetterTemplate.objects.count(),
        CalendarYear.objects.count(),
        *(module.fingerprint() for module in url_apps.modules() if hasattr(module, "fingerprint")),
    )


def _post_data(world: World, name: str) -> dict[str, Any]:
    """A plausible submission (the current version, a reason, a title): refusal must come from who
    is asking, not from a missing field."""
    draft, application = world.objects["draft"], world.objects["application"]
    version = application.version if "inforequests_staff" in name else draft.version
    extra: dict[str, Any] = {}
    for module in url_apps.modules():
        if name in module.ROUTES:
            extra = getattr(module, "POST_DATA", {})
    return {
        "version": version,
        "reason": "探测",
        "name": "探测",
        "title": "探测",
        "body": "<p>探测</p>",
        "text": "探测",
        "year": 2031,
        "schedule": "",
        "source": "探测",
        "channel": "weibo",
        "url": "https://example.com/",
        **extra,
    }


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_persona_is_let_in_or_refused_as_the_matrix_says(world, name):
    rule = ROUTES[name]
    url = world.url(name)
    for persona in [ANONYMOUS, *PERSONAS]:
        response = _client(world, persona).get(url)
        cell = f"GET {url} as {persona}: {response.status_code} {response.get('Location', '')}"
        if isinstance(rule, Same):
            assert response.status_code == rule.status, cell
        elif persona == ANONYMOUS:
            assert _to_login(response), cell
        elif persona in rule.get:
            assert response.status_code == 200, cell
        elif name in GET_BACK_TO_CASE and persona in CASE_SEEING:
            assert response.status_code == 302 and "/workbench/requests/" in response["Location"], cell
        else:
            assert _refused(response), cell


POST_ROUTES = sorted(
    name for name, rule in ROUTES.items() if isinstance(rule, Staff) and rule.post is not None
)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_a_refused_persona_posting_changes_nothing(world, name):
    rule = ROUTES[name]
    assert isinstance(rule, Staff) and rule.post is not None
    url = world.url(name)
    for persona in [ANONYMOUS, *sorted(STAFF - rule.post)]:
        before = fingerprint(world)
        response = _client(world, persona).post(url, _post_data(world, name))
        cell = f"POST {url} as {persona}: {response.status_code} {response.get('Location', '')}"
        assert response.status_code != 500, cell
        if persona == ANONYMOUS:
            assert _to_login(response), cell
        assert fingerprint(world) == before, f"{cell} changed something"
