"""The act kernel: one place where every official act is guarded, performed and recorded.

A workflow is declared once (its states, its allowed transitions and its moves). Each move says who
may make it (roles *and* their relation to the object), from which states, whether a second person
is needed (four eyes) and whether it records an act done outside the system on a date of its own.
`perform` is the only function that makes a move: it locks the row, requires the version the actor
saw, checks the guard, applies the change, writes the transition row and one audit event, and
queues a durable domain event in the same transaction. Views ask `allowed_moves` what to show;
the service refuses any other move whatever the view did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gongkai.core import clock, events
from gongkai.core.audit import log_event
from gongkai.core.models import AuditEvent

if TYPE_CHECKING:
    from gongkai.accounts.models import User

# The three administrators (三员) manage users, security settings and the audit trail; they make no
# official act of the agency unless a move names their role.
ADMIN_ROLE_CODES = frozenset({"system_admin", "security_admin", "audit_admin"})


class ActError(Exception):
    """A refused act, with a message fit to show the user."""


class PermissionDeniedError(ActError):
    """The actor may not make this move on this object."""


class ConflictError(ActError):
    """Someone else acted on the object since the actor opened it: nothing was changed."""


class TransitionError(ActError):
    """The move is not allowed from the object's current state."""


class DateError(ActError):
    """The date given for an act is in the future or before the act it follows."""


Obj = TypeVar("Obj", bound=models.Model)
T = TypeVar("T")


@dataclass(frozen=True)
class Relation:
    """How an actor stands to an object: `test(actor, obj)` is true when the relation holds."""

    code: str
    test: Callable[[User, Any], bool]

    def __call__(self, actor: User, obj: Any) -> bool:
        return self.test(actor, obj)


ANY_OBJECT = Relation("any", lambda actor, obj: True)


def same_department(field: str = "department_id") -> Relation:
    """The actor works in the object's department (`field` names its department key): the
    department that owns a record, an item or an inquiry keeps it; the office acts on all."""

    def test(actor: User, obj: Any) -> bool:
        return actor.department_id is not None and actor.department_id == getattr(obj, field)

    return Relation("same_department", test)


def transition_writer(
    model: type[models.Model], subject: str
) -> Callable[[Any, str, str, User | None, dt.datetime, str], None]:
    """A `Workflow.write_transition` that adds one row of `model` (from_status, to_status, actor,
    at, reason) for the object in the foreign key `subject`; only a person's act moves a state."""

    def write(
        obj: Any, from_status: str, to_status: str, actor: User | None, at: dt.datetime, reason: str
    ) -> None:
        assert actor is not None, f"a {model._meta.label} moves only by a person's act"
        model._default_manager.create(
            **{subject: obj}, from_status=from_status, to_status=to_status, actor=actor, at=at, reason=reason
        )

    return write


@dataclass(frozen=True)
class Permit:
    """Who may make a move: any of `roles`, standing to the object in `relation`."""

    roles: frozenset[str]
    relation: Relation = ANY_OBJECT

    def allows(self, actor: User) -> bool:
        return bool(self.roles & actor.role_set())


def permit(*roles: str, relation: Relation = ANY_OBJECT) -> Permit:
    return Permit(frozenset(str(r) for r in roles), relation)


@dataclass(frozen=True)
class Move:
    """One move of a workflow.

    `sources`: the states it starts from (None: any state, the status stays). `target`: the state it
    leads to (None: the status stays). `via`: a state passed through on the way when the target is
    not directly reachable (both transitions are recorded). `four_eyes(obj)` names the users who may
    not make this move because they drafted or submitted what it decides. `dated`: the move records
    an act done outside the system and takes that act's date. `check(actor, obj)` states a further
    condition of the object, returning the refusal in words or None.
    """

    name: str
    code: str
    label: Promise | str
    permits: tuple[Permit, ...]
    sources: frozenset[str] | None = None
    target: str | None = None
    via: str | None = None
    four_eyes: Callable[[Any], set[int]] | None = None
    dated: bool = False
    check: Callable[[User | None, Any], str | None] | None = None
    refusal: Promise | str = ""
    # For a dated move: the earliest day it may carry, when that is not simply "after the previous
    # dated act" (a delivery of an earlier letter may be recorded after a later act).
    follows: Callable[[Any], dt.date | None] | None = None

    def roles(self) -> frozenset[str]:
        return frozenset().union(*(p.roles for p in self.permits))


@dataclass
class Workflow(Generic[Obj]):
    """A declared workflow: its model, status vocabulary, transition table and moves."""

    code: str
    model: type[Obj]
    moves: Mapping[str, Move]
    status_label: Callable[[str], str] = str
    transitions: Mapping[str, frozenset[str]] | None = None
    status_field: str | None = "status"
    # Writes one transition row: (obj, from_status, to_status, actor, at, reason).
    write_transition: Callable[[Obj, str, str, User | None, dt.datetime, str], None] | None = None
    # The earliest day a dated act may carry besides the previous dated acts (e.g. the day received).
    starts_on: Callable[[Obj], dt.date | None] | None = None
    # Called inside the act's transaction after it is recorded (e.g. issue the letters it issues).
    after_act: list[Callable[[Obj, Move, User | None, dt.date | None], None]] = field(default_factory=list)

    def move(self, name: str) -> Move:
        try:
            return self.moves[name]
        except KeyError:
            raise ActError(_("未知的操作。")) from None

    def status_of(self, obj: Obj) -> str | None:
        return getattr(obj, self.status_field) if self.status_field else None

    # -- the guard -----------------------------------------------------------------------------

    def who_refusal(self, actor: User | None, obj: Obj, move: Move) -> str | None:
        """Why this actor may not make this move on this object (None: they may)."""
        if actor is None or not actor.is_active:
            return _("您无权进行此项操作。")
        held = actor.role_set()
        if held & ADMIN_ROLE_CODES and not any(p.roles & ADMIN_ROLE_CODES for p in move.permits):
            # Whoever holds one of the three administrator roles (三员) makes no official act of the
            # agency, even if another role was also given to them: separation of duties.
            return _("系统、安全、审计管理员不能办理业务事项。")
        permitted = any(p.roles & held and p.relation(actor, obj) for p in move.permits)
        if not permitted:
            return str(move.refusal) if move.refusal else _("您无权进行此项操作。")
        if move.four_eyes is not None and actor.pk in move.four_eyes(obj):
            return _("须由另一人审核：起草或提交该事项的人员不能批准自己经手的事项（双人审核）。")
        return None

    def state_refusal(self, actor: User | None, obj: Obj, move: Move) -> str | None:
        """Why the object's state does not allow this move now (None: it does)."""
        status = self.status_of(obj)
        if move.sources is not None and status not in move.sources:
            if move.target is not None and status is not None:
                return _("当前为“%(from)s”，不能进行“%(move)s”。") % {
                    "from": self.status_label(status),
                    "move": move.label,
                }
            return _("当前状态下不能进行“%(move)s”。") % {"move": move.label}
        if (
            move.target is not None
            and status is not None
            and self.transitions is not None
            and not self._path(status, move)
        ):
            return _("不能从“%(from)s”变为“%(to)s”。") % {
                "from": self.status_label(status),
                "to": self.status_label(move.target),
            }
        if move.check is not None:
            return move.check(actor, obj)
        return None

    def refusal(self, actor: User | None, obj: Obj, name: str) -> str | None:
        move = self.move(name)
        return self.who_refusal(actor, obj, move) or self.state_refusal(actor, obj, move)

    def may(self, actor: User | None, obj: Obj, name: str) -> bool:
        return self.refusal(actor, obj, name) is None

    def allowed_moves(self, actor: User | None, obj: Obj) -> list[str]:
        """The moves this actor may make on this object now, in declaration order."""
        return [name for name in self.moves if self.refusal(actor, obj, name) is None]

    def move_to(
        self, obj: Obj, to_status: str, *, actor: User | None, at: dt.datetime, reason: str = ""
    ) -> None:
        """A status change that a move makes only in some states (e.g. a first assignment starts
        the handling of a received case): checked against the transition table and recorded."""
        assert self.status_field is not None and self.transitions is not None
        status = getattr(obj, self.status_field)
        if to_status not in self.transitions.get(status, frozenset()):
            raise TransitionError(
                _("不能从“%(from)s”变为“%(to)s”。")
                % {"from": self.status_label(status), "to": self.status_label(to_status)}
            )
        if self.write_transition is not None:
            self.write_transition(obj, status, to_status, actor, at, reason)
        setattr(obj, self.status_field, to_status)

    def _path(self, status: str, move: Move) -> list[str]:
        assert move.target is not None and self.transitions is not None
        if move.target in self.transitions.get(status, frozenset()):
            return [move.target]
        if (
            move.via is not None
            and move.via in self.transitions.get(status, frozenset())
            and move.target in self.transitions.get(move.via, frozenset())
        ):
            return [move.via, move.target]
        if move.via is not None and status == move.via and move.target in self.transitions.get(status, ()):
            return [move.target]
        return []

    # -- acts dated as they happened -----------------------------------------------------------

    def act_floor(self, obj: Obj, move: Move | None = None) -> dt.date | None:
        """The earliest date a new dated act may carry: not before the dated acts before it."""
        if move is not None and move.follows is not None:
            return move.follows(obj)
        floor = self.starts_on(obj) if self.starts_on is not None else None
        last = AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), act_on__isnull=False
        ).aggregate(last=Max("act_on"))["last"]
        if last is not None and (floor is None or last > floor):
            floor = last
        return floor

    def check_date(self, obj: Obj, on: dt.date, today: dt.date, move: Move | None = None) -> None:
        if on > today:
            raise DateError(_("日期不能晚于今天（%(d)s）。") % {"d": today.isoformat()})
        floor = self.act_floor(obj, move)
        if floor is not None and on < floor:
            raise DateError(_("日期不能早于此前一项办理行为的日期（%(d)s）。") % {"d": floor.isoformat()})


@dataclass(frozen=True)
class Done(Generic[Obj, T]):
    """What a performed move gives back: the object as saved, and what the change returned."""

    obj: Obj
    value: T


def require_version(current: int, expected: int | None, *, what: str = "") -> None:
    """Every change names the version its actor saw; none or a stale one changes nothing."""
    if expected is None or current != expected:
        raise ConflictError(
            _(
                "%(what)s已被他人处理或修改（当前版本 %(v)d），请刷新后再操作；"
                "您填写的内容未被保存，也未覆盖他人的修改。"
            )
            % {"what": what or _("该事项"), "v": current}
        )


def perform(
    workflow: Workflow[Obj],
    obj: Obj,
    name: str,
    *,
    actor: User | None,
    version: int | None,
    apply: Callable[[Obj], T] | None = None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: Callable[[Obj, T | None], dict[str, Any] | None] | dict[str, Any] | None = None,
    note: str = "",
    what: str = "",
    system: bool = False,
) -> Done[Obj, T | None]:
    """Perform the move `name` of `workflow` on `obj` as `actor`, who saw `version`.

    `apply(locked)` makes the change on the locked object (and may create rows or refuse with an
    ActError); for a dated move `on` is the day the act happened (default today). `system=True`
    is for acts of the system itself (an integration, a lapse found by a nightly job): the guard's
    role check is skipped, the state check is not.
    """
    move = workflow.move(name)
    now = now or clock.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if not system:
            refused = workflow.who_refusal(actor, locked, move)
            if refused:
                raise PermissionDeniedError(refused)
        current = getattr(locked, "version", None)
        if current is not None:
            require_version(current, version, what=what)
        refused = workflow.state_refusal(actor, locked, move)
        if refused:
            raise TransitionError(refused)
        act_on: dt.date | None = None
        if move.dated:
            act_on = on or today
            workflow.check_date(locked, act_on, today, move)
        value = apply(locked) if apply is not None else None
        status = workflow.status_of(locked)
        if move.target is not None and status is not None:
            path = workflow._path(status, move) if workflow.transitions is not None else [move.target]
            for to_status in path:
                if workflow.write_transition is not None:
                    workflow.write_transition(locked, status, to_status, actor, now, reason)
                status = to_status
            assert workflow.status_field is not None
            setattr(locked, workflow.status_field, status)
        if current is not None:
            locked.version = current + 1  # type: ignore[attr-defined]
        if hasattr(locked, "updated_at"):
            locked.updated_at = now
        locked.save()
        after_values = after(locked, value) if callable(after) else after
        log_event(
            move.code,
            actor=actor,
            obj=locked,
            before=before,
            after=after_values,
            note=note or reason,
            act_on=act_on,
            at=now,
        )
        events.emit(move.code, locked, payload=_payload(after_values, act_on), actor=actor)
        for hook in workflow.after_act:
            hook(locked, move, actor, act_on)
    return Done(locked, value)


def record_act(
    code: str,
    obj: models.Model,
    *,
    actor: User | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    act_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> None:
    """The audit event and the domain event of an act that is not a move of a declared object
    (the creation of an object, the issue of a token): the caller has guarded it with `guard`."""
    log_event(code, actor=actor, obj=obj, before=before, after=after, note=note, act_on=act_on, at=at)
    events.emit(code, obj, payload=_payload(after, act_on), actor=actor)


def guard(workflow: Workflow[Obj], actor: User | None, obj: Obj, name: str) -> None:
    """Refuse with the reason unless `actor` may make move `name` on `obj` (for creations, where
    there is no row to lock yet, and for reads that the law restricts)."""
    refused = workflow.refusal(actor, obj, name)
    if refused is not None:
        move = workflow.move(name)
        if workflow.who_refusal(actor, obj, move) is not None:
            raise PermissionDeniedError(refused)
        raise TransitionError(refused)


def _payload(after: dict[str, Any] | None, act_on: dt.date | None) -> dict[str, Any]:
    payload = dict(after or {})
    if act_on is not None:
        payload["act_on"] = act_on.isoformat()
    return payload


def declared_workflows() -> Iterable[Workflow[Any]]:
    """Every workflow registered by an app (the access-matrix test walks them all)."""
    return tuple(_REGISTRY.values())


_REGISTRY: dict[str, Workflow[Any]] = {}


def register(workflow: Workflow[Obj]) -> Workflow[Obj]:
    if workflow.code in _REGISTRY and _REGISTRY[workflow.code] is not workflow:
        raise ValueError(f"workflow {workflow.code} declared twice")
    _REGISTRY[workflow.code] = workflow
    return workflow
