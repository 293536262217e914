"""The access matrix, generated from the kernel's declared workflows (`acts.declared_workflows()`):
every move × every persona × every state the move starts from, at the service (`acts.perform`)
and through the workbench's POST endpoints.

Who should be allowed is worked out here, not asked of the kernel: a move's permits are the policy
its app registered (as docs/workflows.md says), each relation is the predicate registered under
its code, and four eyes refuses whoever the object's builder says drafted or submitted it. A wrong
declaration, a wrong relation and a wrong guard each fail a cell. An app joins with a module
`tests/matrix_objects.py` (see matrix.py); a workflow without one is listed as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils.module_loading import autodiscover_modules

from gongkai.accounts.services import do_create_staff
from gongkai.core import acts
from gongkai.core.models import AuditEvent
from gongkai.core.tests.matrix import (
    CREATIONS,
    ENDPOINTS,
    NO_STATE,
    OBJECTS,
    PERSONAS,
    POLICY,
    RELATIONS,
    Rule,
    World,
    base_state,
)

autodiscover_modules("workflows")  # every app's declared workflows
autodiscover_modules("tests.matrix_objects")  # every app's objects, policy, relations and endpoints

WORKFLOWS: dict[str, acts.Workflow[Any]] = {w.code: w for w in acts.declared_workflows()}
ADMINISTRATORS = frozenset({"system_admin", "security_admin", "audit_admin"})
NEW = "new"  # the "state" of a move that creates its object


def _states(workflow: acts.Workflow[Any], name: str) -> list[str]:
    if (workflow.code, name) in CREATIONS:
        return [NEW]
    built = OBJECTS.get(workflow.code, {})
    sources = workflow.moves[name].sources
    return [s for s in built if sources is None or base_state(s) in sources]


def _cells(http: bool) -> Iterator[Any]:
    for code, workflow in WORKFLOWS.items():
        if code not in OBJECTS:
            continue
        for name in workflow.moves:
            if http and (code, name) not in ENDPOINTS:
                continue
            for state in _states(workflow, name):
                for persona in PERSONAS:
                    yield pytest.param(code, name, state, persona, id=f"{code}:{name}:{state}:{persona}")


@pytest.fixture
def world(departments, tmp_path, settings) -> World:
    settings.MEDIA_ROOT = tmp_path
    people = {
        key: do_create_staff(
            username=f"matrix_{key}",
            password="matrix-persona-password",
            full_name=f"测{key}",
            department=departments[department],
            roles=roles,
            actor=None,
        )
        for key, (department, roles) in PERSONAS.items()
    }
    return World(departments=departments, people=people, tmp_path=tmp_path)


def _rule(workflow: acts.Workflow[Any], name: str) -> Rule:
    if workflow.code in POLICY:
        if name not in POLICY[workflow.code]:
            pytest.fail(f"{workflow.code}: no policy for the move {name!r} (matrix_objects.py)")
        return POLICY[workflow.code][name]
    # No written policy: judge by the declared role sets, but with this file's relations.
    move = workflow.moves[name]
    return Rule(tuple((p.roles, p.relation.code) for p in move.permits), move.four_eyes is not None)


def expected(
    world: World, workflow: acts.Workflow[Any], name: str, persona: str, obj: Any, hands: frozenset[str]
) -> bool:
    """Whether `persona` may make the move, from the policy, the persona's own roles and the
    relation predicates of this matrix (never from the kernel)."""
    rule = _rule(workflow, name)
    roles = set(PERSONAS[persona][1])
    person = world.people[persona]
    allowed = False
    for permit_roles, code in rule.permits:
        if code not in RELATIONS:
            pytest.fail(f"no predicate for the relation {code!r}: register one with matrix.relation()")
        if roles & permit_roles and RELATIONS[code](person, obj):
            allowed = True
    return allowed and not (rule.four_eyes and persona in hands)


@dataclass(frozen=True)
class Seen:
    """What a refused move must leave as it was: the version, the status and the audit trail."""

    version: int | None
    status: str | None
    actions: tuple[str, ...]


def observe(workflow: acts.Workflow[Any], obj: Any) -> Seen:
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    actions = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
        "id"
    )
    return Seen(
        getattr(fresh, "version", None),
        workflow.status_of(fresh),
        tuple(actions.values_list("action", flat=True)),
    )


def _build(world: World, code: str, state: str) -> tuple[Any, frozenset[str]]:
    built = OBJECTS[code][state](world)
    workflow = WORKFLOWS[code]
    if state != NO_STATE:
        assert workflow.status_of(built.obj) == base_state(state), "the builder made the wrong state"
    return built.obj, built.hands


def _performed(before: Seen, after: Seen, move: acts.Move) -> None:
    if before.version is not None:
        assert after.version == before.version + 1
    assert after.actions == (*before.actions, move.code), "one audit event, the move's"


# -- every cell at the service ---------------------------------------------------------------


@pytest.mark.parametrize(("code", "name", "state", "persona"), list(_cells(http=False)))
def test_the_service_allows_exactly_whom_the_policy_names(world, code, name, state, persona):
    workflow = WORKFLOWS[code]
    move = workflow.moves[name]
    actor = world.people[persona]
    if state == NEW:
        making = CREATIONS[(code, name)]
        allowed = expected(world, workflow, name, persona, making.template(world), frozenset())
        assert workflow.may(actor, making.template(world), name) is allowed
        counted = making.count()
        if allowed:
            making.attempt(world, actor)
            assert making.count() == (counted[0] + 1, counted[1] + 1)
        else:
            with pytest.raises(acts.PermissionDeniedError):
                making.attempt(world, actor)
            assert making.count() == counted
        return

    obj, hands = _build(world, code, state)
    allowed = expected(world, workflow, name, persona, obj, hands)
    state_allows = workflow.state_refusal(actor, obj, move) is None
    # What the views offer is what the service will do.
    assert (name in workflow.allowed_moves(actor, obj)) is (allowed and state_allows)
    before = observe(workflow, obj)
    if not allowed:
        # With the version they saw, and with the next one (racing someone else's move): refused
        # for who they are, never let through nor answered as a mere conflict.
        versions = [before.version, before.version + 1] if before.version is not None else [None]
        for version in versions:
            with pytest.raises(acts.PermissionDeniedError):
                acts.perform(workflow, obj, name, actor=actor, version=version)
        assert observe(workflow, obj) == before
    elif state_allows:
        acts.perform(workflow, obj, name, actor=actor, version=before.version)
        _performed(before, observe(workflow, obj), move)
    else:
        with pytest.raises(acts.TransitionError):
            acts.perform(workflow, obj, name, actor=actor, version=before.version)
        assert observe(workflow, obj) == before


# -- every cell with an endpoint, through HTTP ----------------------------------------------------


@pytest.mark.parametrize(("code", "name", "state", "persona"), list(_cells(http=True)))
def test_the_workbench_allows_exactly_whom_the_policy_names(world, client, code, name, state, persona):
    workflow = WORKFLOWS[code]
    move = workflow.moves[name]
    actor = world.people[persona]
    endpoint = ENDPOINTS[(code, name)]
    client.force_login(actor)
    if state == NEW:
        making = CREATIONS[(code, name)]
        allowed = expected(world, workflow, name, persona, making.template(world), frozenset())
        counted = making.count()
        endpoint.post(client, world, None)
        assert making.count() == ((counted[0] + 1, counted[1] + 1) if allowed else counted)
        return

    obj, hands = _build(world, code, state)
    allowed = expected(world, workflow, name, persona, obj, hands)
    goes_through = allowed and workflow.state_refusal(actor, obj, move) is None
    before = observe(workflow, obj)
    response = endpoint.post(client, world, obj)
    # A refusal is a 403 (who may not) or a 404 (who may not even see it); either changes nothing.
    assert response.status_code in (200, 302, 403, 404)
    after = observe(workflow, obj)
    if goes_through:
        _performed(before, after, move)
    else:
        assert after == before, "a refused POST changes nothing and leaves no audit event"


def _page_cells() -> Iterator[Any]:
    for code in WORKFLOWS:
        if code in OBJECTS and any(c == code and e.page for (c, _n), e in ENDPOINTS.items()):
            for state in OBJECTS[code]:
                for persona in PERSONAS:
                    yield pytest.param(code, state, persona, id=f"{code}:{state}:{persona}")


@pytest.mark.parametrize(("code", "state", "persona"), list(_page_cells()))
def test_the_staff_page_offers_exactly_the_moves_that_would_go_through(world, client, code, state, persona):
    workflow = WORKFLOWS[code]
    actor = world.people[persona]
    client.force_login(actor)
    obj, hands = _build(world, code, state)
    offered = {(c, n): e for (c, n), e in ENDPOINTS.items() if c == code and e.page and e.marker}
    pages = {e.page(obj) for e in offered.values() if e.page is not None}
    for url in pages:
        page = client.get(url)
        for (_code, name), endpoint in offered.items():
            assert endpoint.page is not None and endpoint.marker is not None
            if endpoint.page(obj) != url:
                continue
            allowed = expected(world, workflow, name, persona, obj, hands)
            if page.status_code in (403, 404):
                assert not allowed, f"{name}: allowed, yet the page is refused or not found"
                continue
            assert page.status_code == 200
            goes_through = allowed and workflow.state_refusal(actor, obj, workflow.moves[name]) is None
            assert (endpoint.marker(obj) in page.content.decode()) is goes_through, name


# -- the declarations themselves ------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(POLICY))
def test_each_declaration_says_what_the_policy_says(code):
    workflow = WORKFLOWS[code]
    assert set(workflow.moves) == set(POLICY[code]), "every declared move has a policy, and no more"
    for name, move in workflow.moves.items():
        declared = {(p.roles, p.relation.code) for p in move.permits}
        assert declared == set(POLICY[code][name].permits), f"{code}:{name}"
        assert (move.four_eyes is not None) is POLICY[code][name].four_eyes, f"{code}:{name} four eyes"
        if POLICY[code][name].sources is not ...:
            assert move.sources == POLICY[code][name].sources, f"{code}:{name} starts from other states"


def test_every_catalog_workflow_is_in_the_matrix():
    catalog = [w for code, w in WORKFLOWS.items() if code.startswith("catalog.")]
    assert {w.code for w in catalog} == {"catalog.record", "catalog.page"}
    for workflow in catalog:
        assert workflow.code in OBJECTS and workflow.code in POLICY
        for name in workflow.moves:
            assert _states(workflow, name), f"{workflow.code}:{name} has no object to be tried on"
        sources = set().union(*(m.sources or set() for m in workflow.moves.values()))
        assert sources <= {base_state(s) for s in OBJECTS[workflow.code]}, "a source state has no builder"


@pytest.mark.parametrize("code", sorted(WORKFLOWS))
def test_no_move_of_the_agency_is_given_to_an_administrator(code):
    """三员: the system, security and audit administrators make no official act of the agency."""
    for name, move in WORKFLOWS[code].moves.items():
        assert not move.roles() & ADMINISTRATORS, f"{code}:{name} names an administrator"


@pytest.mark.parametrize("code", sorted(set(WORKFLOWS) - set(OBJECTS)) or ["(none)"])
def test_workflows_without_objects_are_not_silently_left_out(code):
    if code == "(none)":
        return
    pytest.skip(f"{code}: no objects for the access matrix yet (gongkai/<app>/tests/matrix_objects.py)")
