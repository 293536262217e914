"""The access matrix of a disclosure-on-request case, generated from the kernel's declared moves
(`workflows.APPLICATION`): every move × every persona × every relation the move names, at the
service (the app's `do_*`, with the version seen and with the racing next one) and through the
case page (its POST, and the forms it offers).

Who should be allowed is worked out here, not asked of the kernel: the written policy and relation
predicates of `matrix_objects.py` (also checked against the declaration by the core matrix), the
persona's own roles, and four eyes against whoever drafted the reply. Each case is built in a state
where the move, made by someone allowed, goes through: so an allowed cell must change the case by
exactly that move, and a refused one must leave it (version, status, audit trail) as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from gongkai.accounts.services import do_create_staff
from gongkai.core import acts
from gongkai.core.models import AuditEvent
from gongkai.core.tests.matrix import PERSONAS as CORE_PERSONAS
from gongkai.core.tests.matrix import POLICY, RELATIONS
from gongkai.inforequests import fees, services
from gongkai.inforequests.choices import CorrectionOutcome, FeeMethod, Outcome, RequestKind, ReviewKind
from gongkai.inforequests.models import Application
from gongkai.inforequests.tests import matrix_objects
from gongkai.inforequests.tests.acting import seen
from gongkai.inforequests.workflows import APPLICATION

D = dt.date
TODAY = D(2021, 6, 15)
DUE_TO_DEPARTMENT = D(2021, 6, 25)

# The core matrix's personas (the three administrators in the command centre, which is the office;
# a leader; the head and an editor of 出入境管理局; the office reviewer; an editor of 交通管理局),
# and the office head, who approves (and, being of the office, also handles cases).
PERSONAS: dict[str, tuple[str, tuple[str, ...]]] = {
    **CORE_PERSONAS,
    "office_head": ("office", ("reviewer", "head")),
}
RULES = POLICY[matrix_objects.APPLICATION]


@dataclass
class World:
    departments: dict[str, Any]
    people: dict[str, Any]


@dataclass(frozen=True)
class Built:
    app: Application
    hands: frozenset[str] = frozenset()  # who drafted what the move decides (four eyes)


@dataclass(frozen=True)
class Try:
    """One move tried on a case: at the service (`act(world, app, actor, version)`) and through the
    case page (`post(client, world, app)` returns the response)."""

    states: tuple[str, ...]
    act: Callable[[World, Application, Any, int], Any]
    form: Callable[[World, Application], dict[str, Any]] = field(default=lambda w, a: {})
    path: str = ""  # the case page's action name when it is not the move's (the fee panel)


# -- cases in each state, built through the services ---------------------------------------------


def _received(world: World, **applicant: Any) -> Application:
    data = {
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_type": "居民身份证",
        "id_number": "220102198001011234",
        "phone": "13900000000",
        "email": "",
        "address": "长春市朝阳区人民大街1号",
        "information_title": "2020年全省机动车保有量统计",
        "description": "按市州分列",
        "form_wanted": "electronic",
        "delivery": "post",
        **applicant,
    }
    received_on = data.pop("received_on", D(2021, 6, 1))
    app, _code = services.do_submit_application(data, channel="online", received_on=received_on)
    return app


def _in_progress(world: World, department: str = "exit_entry", **applicant: Any) -> Application:
    app = _received(world, **applicant)
    reviewer = world.people["reviewer"]
    services.do_assign_application(app, departments=[world.departments[department]], due_on=DUE_TO_DEPARTMENT,
                                   instructions="请核实", actor=reviewer, expected_version=seen(app))  # fmt: skip
    return app


def _drafted(world: World, drafter: str) -> Application:
    app = _in_progress(world)
    services.do_draft_reply(app, outcome=Outcome.GRANTED, legal_basis="第三十六条第（二）项", reply_text="见附件",
                            actor=world.people[drafter], expected_version=seen(app))  # fmt: skip
    return app


def _closed(world: World) -> Application:
    app = _drafted(world, "reviewer")
    services.do_approve_reply(app, actor=world.people["leader"], expected_version=seen(app), on=TODAY)
    return app


def _review_pending(world: World) -> Application:
    app = _closed(world)
    services.do_record_review(app, kind=ReviewKind.RECONSIDERATION, filed_on=TODAY, body="吉林省人民政府",
                              actor=world.people["reviewer"], expected_version=seen(app))  # fmt: skip
    return app


def _awaiting_supplement(world: World) -> Application:
    # Received in May: the 15 working days to complete have run out by today (so abandon may be tried).
    app = _in_progress(world, received_on=D(2021, 5, 6))
    services.do_request_supplement(app, request_text="请写明文号", on=D(2021, 5, 7),
                                   actor=world.people["reviewer"], expected_version=seen(app))  # fmt: skip
    return app


def _in_consultation(world: World) -> Application:
    app = _in_progress(world)
    services.do_start_consultation(app, kind="third_party", party="某某有限公司", request_text="是否同意公开",
                                   on=D(2021, 6, 2), actor=world.people["reviewer"],
                                   expected_version=seen(app))  # fmt: skip
    return app


def _fee_pending(world: World) -> Application:
    # Notified in April: the 20 working days to pay have run out by today (so the lapse may be tried).
    app = _in_progress(world, received_on=D(2021, 4, 1))
    fees.do_issue_fee_notice(app, method=FeeMethod.PER_VOLUME, units=120, note="", on=D(2021, 4, 6),
                             actor=world.people["reviewer"], expected_version=seen(app))  # fmt: skip
    return app


def _identity_shared(world: World) -> Application:
    app = _in_progress(world)
    services.do_share_identity(app.assignments.get(), reason="需核实申请人身份", actor=world.people["reviewer"],
                               expected_version=seen(app))  # fmt: skip
    return app


BUILDERS: dict[str, Callable[[World], Built]] = {
    "received": lambda w: Built(_received(w)),
    "received~correction": lambda w: Built(_received(w, request_kind=RequestKind.CORRECTION)),
    "in_progress": lambda w: Built(_in_progress(w)),
    # Assigned to the command centre, where the three administrators sit.
    "in_progress~command_centre": lambda w: Built(_in_progress(w, "office")),
    # The office shared the applicant's identity with the assigned department.
    "in_progress~identity_shared": lambda w: Built(_identity_shared(w)),
    "awaiting_supplement": lambda w: Built(_awaiting_supplement(w)),
    "in_consultation": lambda w: Built(_in_consultation(w)),
    "in_progress~fee_pending": lambda w: Built(_fee_pending(w)),
    "reply_drafted": lambda w: Built(_drafted(w, "reviewer"), frozenset({"reviewer"})),
    "reply_drafted~by_office_head": lambda w: Built(_drafted(w, "office_head"), frozenset({"office_head"})),
    "closed": lambda w: Built(_closed(w)),
    "closed~review_pending": lambda w: Built(_review_pending(w)),
}


# -- each move, at the service and as the case page posts it -------------------------------------


def _assignment(app: Application) -> Any:
    return app.assignments.get()


def _review(app: Application) -> Any:
    return app.reviews.get()


T = TODAY.isoformat()

TRIES: dict[str, Try] = {
    "accept": Try(("received",), lambda w, a, u, v: services.do_accept_application(a, actor=u, expected_version=v)),
    "assign": Try(
        ("received", "in_progress"),
        lambda w, a, u, v: services.do_assign_application(
            a, departments=[w.departments["traffic"]], due_on=DUE_TO_DEPARTMENT, instructions="",
            actor=u, expected_version=v),
        lambda w, a: {"departments": [w.departments["traffic"].pk], "due_on": DUE_TO_DEPARTMENT.isoformat()},
    ),
    "opinion": Try(
        ("in_progress", "in_progress~command_centre"),
        lambda w, a, u, v: services.do_give_opinion(
            _assignment(a), opinion="同意公开", suggested_outcome="", on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"assignment": _assignment(a).pk, "on": T, "opinion": "同意公开", "suggested_outcome": ""},
    ),
    "share_identity": Try(
        ("in_progress",),
        lambda w, a, u, v: services.do_share_identity(
            _assignment(a), reason="需核实申请人身份", actor=u, expected_version=v),
        lambda w, a: {"assignment": _assignment(a).pk, "reason": "需核实申请人身份"},
    ),
    "unshare_identity": Try(
        ("in_progress~identity_shared",),
        lambda w, a, u, v: services.do_unshare_identity(_assignment(a), actor=u, expected_version=v),
        lambda w, a: {"assignment": _assignment(a).pk},
    ),
    "supplement": Try(
        ("received",),
        lambda w, a, u, v: services.do_request_supplement(
            a, request_text="请写明文号", on=D(2021, 6, 2), actor=u, expected_version=v),
        lambda w, a: {"on": "2021-06-02", "request_text": "请写明文号", "reply_workdays": 15},
    ),
    "receive_supplement": Try(
        ("awaiting_supplement",),
        lambda w, a, u, v: services.do_receive_supplement(
            a, on=TODAY, response_text="文号为…", actor=u, expected_version=v),
        lambda w, a: {"on": T, "response_text": "文号为…"},
    ),
    "abandon": Try(
        ("awaiting_supplement",),
        lambda w, a, u, v: services.do_close_abandoned(a, on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"on": T},
    ),
    "consult": Try(
        ("in_progress",),
        lambda w, a, u, v: services.do_start_consultation(
            a, kind="other_agency", party="吉林省交通运输厅", request_text="数据来源", on=TODAY, actor=u,
            expected_version=v),
        lambda w, a: {"on": T, "kind": "other_agency", "party": "吉林省交通运输厅", "request_text": "数据来源"},
    ),
    "end_consult": Try(
        ("in_consultation",),
        lambda w, a, u, v: services.do_end_consultation(
            a, on=TODAY, response_text="同意", actor=u, expected_version=v),
        lambda w, a: {"on": T, "response_text": "同意"},
    ),
    "extend": Try(
        ("in_progress",),
        lambda w, a, u, v: services.do_extend_application(
            a, extra_workdays=10, reason="数据量大", on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"on": T, "extra_workdays": 10, "reason": "数据量大"},
    ),
    "draft": Try(
        ("in_progress",),
        lambda w, a, u, v: services.do_draft_reply(
            a, outcome=Outcome.GRANTED, legal_basis="第三十六条", reply_text="见附件", actor=u, expected_version=v),
        lambda w, a: {"outcome": Outcome.GRANTED, "legal_basis": "第三十六条", "reply_text": "见附件"},
    ),
    "correct": Try(
        ("received~correction",),
        lambda w, a, u, v: services.do_decide_correction(
            a, outcome=CorrectionOutcome.CORRECTED, note="已更正", on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"correction_outcome": CorrectionOutcome.CORRECTED, "note": "已更正", "on": T},
    ),
    "approve": Try(
        ("reply_drafted", "reply_drafted~by_office_head"),
        lambda w, a, u, v: services.do_approve_reply(a, on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"on": T},
    ),
    "return": Try(
        ("reply_drafted",),
        lambda w, a, u, v: services.do_return_reply(a, reason="依据有误", actor=u, expected_version=v),
        lambda w, a: {"reason": "依据有误"},
    ),
    "delivery": Try(
        ("closed",),
        lambda w, a, u, v: services.do_record_delivery(
            a, letter_kind="reply", method="post", delivered_on=TODAY, reference="", actor=u,
            expected_version=v),
        lambda w, a: {"letter_kind": "reply", "method": "post", "delivered_on": T},
    ),
    "review": Try(
        ("closed",),
        lambda w, a, u, v: services.do_record_review(
            a, kind=ReviewKind.LITIGATION_DIRECT, filed_on=TODAY, body="长春市中级人民法院", actor=u,
            expected_version=v),
        lambda w, a: {"kind": ReviewKind.LITIGATION_DIRECT, "filed_on": T, "body": "长春市中级人民法院"},
    ),
    "decide_review": Try(
        ("closed~review_pending",),
        lambda w, a, u, v: services.do_decide_review(
            _review(a), result="upheld", decided_on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"review": _review(a).pk, "result": "upheld", "decided_on": T},
    ),
    "fee_notice": Try(
        ("in_progress",),
        lambda w, a, u, v: fees.do_issue_fee_notice(
            a, method=FeeMethod.PER_VOLUME, units=120, note="", on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"method": FeeMethod.PER_VOLUME, "units": 120, "on": T},
        path="fees/issue",
    ),
    "fee_paid": Try(
        ("in_progress~fee_pending",),
        lambda w, a, u, v: fees.do_record_fee_paid(a, paid_on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"paid_on": T},
        path="fees/paid",
    ),
    "fee_waive": Try(
        ("in_progress~fee_pending",),
        lambda w, a, u, v: fees.do_waive_fee(a, note="困难群众", on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"on": T, "note": "困难群众"},
        path="fees/waive",
    ),
    "fee_lapse": Try(
        ("in_progress~fee_pending",),
        lambda w, a, u, v: fees.do_close_unpaid(a, on=TODAY, actor=u, expected_version=v),
        lambda w, a: {"on": T},
        path="fees/lapse",
    ),
}  # fmt: skip
CREATED = "register"  # the move that makes the case (tried on its own below)


def _cells() -> Iterator[Any]:
    for name in APPLICATION.moves:
        if name == CREATED:
            continue
        for state in TRIES[name].states:
            for persona in PERSONAS:
                yield pytest.param(name, state, persona, id=f"{name}:{state}:{persona}")


# -- the world and the judgement ------------------------------------------------------------------


@pytest.fixture
def world(departments, time_machine) -> World:
    time_machine.move_to(dt.datetime(2021, 6, 15, 10, tzinfo=dt.UTC))
    people = {
        key: do_create_staff(username=f"matrix_{key}", password="matrix-persona-password", full_name=f"测{key}",
                             department=departments[department], roles=list(roles), actor=None)
        for key, (department, roles) in PERSONAS.items()
    }  # fmt: skip
    return World(departments, people)


def expected(world: World, name: str, persona: str, app: Application, hands: frozenset[str]) -> bool:
    """May `persona` make move `name` on `app`: from the policy, the persona's roles and this
    matrix's relation predicates (never from the kernel)."""
    rule = RULES[name]
    roles = set(PERSONAS[persona][1])
    person = world.people[persona]
    allowed = any(
        roles & permit_roles and RELATIONS[code](person, app) for permit_roles, code in rule.permits
    )
    return allowed and not (rule.four_eyes and persona in hands)


def sees_the_case(world: World, persona: str, app: Application) -> bool:
    """The office and the leaders open every case; anyone else, the cases of their department."""
    department, roles = PERSONAS[persona]
    if {"reviewer", "leader"} & set(roles):
        return True
    return app.assignments.filter(department=world.departments[department]).exists()


@dataclass(frozen=True)
class Seen:
    version: int
    status: str
    actions: tuple[str, ...]


def observe(app: Application) -> Seen:
    fresh = Application.objects.get(pk=app.pk)
    # Opening the case page to show a refusal may record that its personal data was seen: not a move.
    actions = AuditEvent.objects.filter(
        object_type="inforequests.application", object_id=str(app.pk)
    ).exclude(action="core.personal_data.viewed")
    return Seen(fresh.version, fresh.status, tuple(actions.order_by("id").values_list("action", flat=True)))


def _moved(before: Seen, after: Seen, name: str) -> None:
    code = APPLICATION.moves[name].code
    assert after.version == before.version + 1
    added = after.actions[len(before.actions) :]
    assert after.actions[: len(before.actions)] == before.actions
    # The move's event, once; besides it only the letters its act issues (letter_services).
    assert added.count(code) == 1, added
    assert set(added) <= {code, "inforequests.letter.issued"}, added


def _build(world: World, state: str) -> Built:
    built = BUILDERS[state](world)
    built.app.refresh_from_db()
    assert built.app.status == state.split("~", 1)[0], "the builder made the wrong state"
    return built


# -- every cell at the service --------------------------------------------------------------------


@pytest.mark.parametrize(("name", "state", "persona"), list(_cells()))
def test_the_service_allows_exactly_whom_the_policy_names(world, name, state, persona):
    built = _build(world, state)
    app, actor = built.app, world.people[persona]
    allowed = expected(world, name, persona, app, built.hands)
    assert APPLICATION.may(actor, app, name) is allowed, "what the page offers is what the service does"
    before = observe(app)
    if allowed:
        TRIES[name].act(world, app, actor, before.version)
        _moved(before, observe(app), name)
        return
    # With the version they saw, and with the next one (racing someone else's move): refused for
    # who they are, never let through nor answered as a mere conflict.
    for version in (before.version, before.version + 1):
        with pytest.raises(acts.PermissionDeniedError):
            TRIES[name].act(world, app, actor, version)
    assert observe(app) == before


def test_every_move_is_in_the_matrix():
    """A move declared later joins the matrix or fails here: no move is silently left out."""
    assert set(APPLICATION.moves) == {*TRIES, CREATED}
    assert set(RULES) == set(APPLICATION.moves)
    for name, attempt in TRIES.items():
        sources = APPLICATION.moves[name].sources
        assert all(sources is None or s.split("~")[0] in sources for s in attempt.states), name


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_only_whom_the_policy_names_registers_a_paper_application(world, client, persona):
    actor = world.people[persona]
    allowed = expected(world, CREATED, persona, Application(), frozenset())
    data = {"applicant_kind": "natural_person", "applicant_name": "李四", "id_type": "居民身份证",
            "id_number": "220102198001015678", "information_title": "某文件", "description": "请提供",
            "phone": "13900001111", "form_wanted": "paper", "delivery": "post", "address": "长春市"}  # fmt: skip
    received = AuditEvent.objects.filter(action="inforequests.application.received")

    def counted() -> tuple[int, int]:
        return Application.objects.count(), received.count()

    before = counted()
    if allowed:
        services.do_submit_application(data, channel="letter", received_on=TODAY, actor=actor)
        assert counted() == (before[0] + 1, before[1] + 1)
    else:
        with pytest.raises(acts.PermissionDeniedError):
            services.do_submit_application(data, channel="letter", received_on=TODAY, actor=actor)
        assert counted() == before
    client.force_login(actor)
    before = counted()
    response = client.post("/workbench/requests/new/", {**data, "channel": "letter", "received_on": T,
                                                        "request_kind": "disclosure"})  # fmt: skip
    assert response.status_code == 302  # to the new case, or back to the queue with the refusal
    assert counted() == ((before[0] + 1, before[1] + 1) if allowed else before)


# -- every cell through the case page -------------------------------------------------------------


def _url(app: Application, name: str) -> str:
    return f"/workbench/requests/{app.pk}/{TRIES[name].path or name}/"


@pytest.mark.parametrize(("name", "state", "persona"), list(_cells()))
def test_the_case_page_allows_exactly_whom_the_policy_names(world, client, name, state, persona):
    built = _build(world, state)
    app, actor = built.app, world.people[persona]
    allowed = expected(world, name, persona, app, built.hands)
    visible = sees_the_case(world, persona, app)
    client.force_login(actor)
    before = observe(app)
    for version in (before.version, before.version + 1) if not allowed else (before.version,):
        response = client.post(_url(app, name), {"version": version, **TRIES[name].form(world, app)})
        if allowed:
            assert response.status_code == 302, response.content.decode()[-3000:]
            _moved(before, observe(app), name)
        else:
            # Refused for who they are (403), or the case does not exist for them (404).
            assert response.status_code == (403 if visible else 404)
            assert observe(app) == before, "a refused POST changes nothing and leaves no audit event"


def _page_cells() -> Iterator[Any]:
    for state in BUILDERS:
        for persona in PERSONAS:
            yield pytest.param(state, persona, id=f"{state}:{persona}")


@pytest.mark.parametrize(("state", "persona"), list(_page_cells()))
def test_the_case_page_offers_exactly_the_moves_that_would_go_through(world, client, state, persona):
    built = _build(world, state)
    app, actor = built.app, world.people[persona]
    client.force_login(actor)
    page = client.get(f"/workbench/requests/{app.pk}/")
    if not sees_the_case(world, persona, app):
        assert page.status_code == 404
        return
    assert page.status_code == 200
    text = page.content.decode()
    for name in TRIES:
        goes_through = (
            expected(world, name, persona, app, built.hands)
            and APPLICATION.state_refusal(actor, app, APPLICATION.moves[name]) is None
        )
        # The office enters a paper opinion apart: the opinion form is the assigned department's.
        if name == "opinion" and not matrix_objects._assigned(actor, app):
            goes_through = False
        assert (f'action="{_url(app, name)}"' in text) is goes_through, name
