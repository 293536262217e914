"""What the access matrix (test_access_matrix.py) is built from: the personas, and per workflow the
policy it must follow, the relations it names, objects in each of its states and its HTTP endpoints.

An app joins the matrix with a module `gongkai/<app>/tests/matrix_objects.py` that registers, for
each workflow it declares:

* `@objects(code, state)`: a function building an object in that state (cheaply, through the
  app's services), returning `Built(obj, hands)`, `hands` naming the personas who drafted or
  submitted it (four eyes refuses them);
* `relation(code)`: the predicate of each relation code its moves use, written again here rather
  than imported, so that a wrong declaration is caught;
* `policy(code, move, ...)`: who may make each move, as the law and docs/workflows.md say;
* `creation(code, move)`: for a move that creates the object, how to attempt it;
* `endpoint(code, move)`: how a member of staff would make the move through HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any

from django.test import Client

from gongkai.accounts.models import Department, User

# The personas of the matrix: key → (department key, roles). The three administrators sit in the
# command centre, which is also the office (公开办) — the case the issue found.
PERSONAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "system_admin": ("office", ("system_admin",)),
    "security_admin": ("office", ("security_admin",)),
    "audit_admin": ("office", ("audit_admin",)),
    "leader": ("agency", ("leader",)),
    "head": ("exit_entry", ("head",)),
    "reviewer": ("office", ("reviewer",)),
    "editor": ("exit_entry", ("editor",)),
    "other_editor": ("traffic", ("editor",)),
}

# Objects are built in this department: `head` and `editor` belong to it, `other_editor` does not.
HOME = "exit_entry"

NO_STATE = "-"  # the state key of workflows without a status field


@dataclass
class World:
    """The departments and personas of one test, and what it may need (a folder for uploads)."""

    departments: dict[str, Department]
    people: dict[str, User]
    tmp_path: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    obj: Any
    hands: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    """Who may make a move: any of `permits` (roles, relation code); `four_eyes`: not the hands;
    `sources`: the states it starts from (None: any, or decided by a check of the object; `...`:
    not stated, not compared)."""

    permits: tuple[tuple[frozenset[str], str], ...]
    four_eyes: bool = False
    sources: frozenset[str] | EllipsisType | None = ...


@dataclass(frozen=True)
class Creation:
    """A move that creates its object: `template(world)` is the object it would create (to judge
    the relation), `attempt(world, actor)` makes it at the service, `count()` counts such objects
    and the audit events of their creation."""

    template: Callable[[World], Any]
    attempt: Callable[[World, User], Any]
    count: Callable[[], tuple[int, int]]


@dataclass(frozen=True)
class Endpoint:
    """`post(client, world, obj)` makes the move as a member of staff would; `page(obj)` is the
    staff page offering it and `marker(obj)` what on that page offers it (a form's action)."""

    post: Callable[[Client, World, Any], Any]
    page: Callable[[Any], str] | None = None
    marker: Callable[[Any], str] | None = None


OBJECTS: dict[str, dict[str, Callable[[World], Built]]] = {}
RELATIONS: dict[str, Callable[[User, Any], bool]] = {"any": lambda person, obj: True}
POLICY: dict[str, dict[str, Rule]] = {}
CREATIONS: dict[tuple[str, str], Creation] = {}
ENDPOINTS: dict[tuple[str, str], Endpoint] = {}


def objects(workflow: str, state: str) -> Callable[[Callable[[World], Built]], Callable[[World], Built]]:
    """Register a builder of an object of `workflow` in `state` (`state~variant` for a second kind
    of object in the same state, e.g. one the reviewer drafted)."""

    def register(build: Callable[[World], Built]) -> Callable[[World], Built]:
        OBJECTS.setdefault(workflow, {})[state] = build
        return build

    return register


def relation(code: str, test: Callable[[User, Any], bool]) -> None:
    RELATIONS[code] = test


def policy(
    workflow: str,
    move: str,
    *permits: tuple[set[str], str],
    four_eyes: bool = False,
    sources: set[str] | EllipsisType | None = ...,
) -> None:
    POLICY.setdefault(workflow, {})[move] = Rule(
        tuple((frozenset(roles), code) for roles, code in permits),
        four_eyes,
        frozenset(sources) if isinstance(sources, set) else sources,
    )


def creation(workflow: str, move: str, value: Creation) -> None:
    CREATIONS[(workflow, move)] = value


def endpoint(workflow: str, move: str, value: Endpoint) -> None:
    ENDPOINTS[(workflow, move)] = value


def base_state(state: str) -> str:
    return state.split("~", 1)[0]
