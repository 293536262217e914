"""The press room in the access matrix (gongkai/core/tests/test_access_matrix.py): who may make each
move of a conference and an interpretation (docs/pressroom.md), objects in each state — including
drafts the office reviewer drafted, edited or corrected after a withdrawal (four eyes) — and the
workbench's move endpoints (publish, withdraw, redraft) with the staff page that offers them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gongkai.catalog import services as catalog
from gongkai.catalog.models import Category, Record
from gongkai.core.models import AuditEvent
from gongkai.core.tests.matrix import (
    HOME,
    Built,
    Creation,
    Endpoint,
    World,
    creation,
    endpoint,
    objects,
    policy,
    relation,
)
from gongkai.pressroom import services
from gongkai.pressroom.models import Conference, Interpretation

CONFERENCE = "pressroom.conference"
INTERPRETATION = "pressroom.interpretation"

# -- who may: the item's own department drafts it (editors, head) or the office does; the office
#    alone publishes and withdraws, and never publishes what it drafted or last changed.

relation(
    "same_department",
    lambda person, item: person.department_id is not None and person.department_id == item.department_id,
)

DRAFTERS = ({"editor", "head"}, "same_department"), ({"reviewer"}, "any")
OFFICE = ({"reviewer"}, "any")

for _code in (CONFERENCE, INTERPRETATION):
    policy(_code, "create", *DRAFTERS, sources=None)
    policy(_code, "update", *DRAFTERS, sources={"draft"})
    policy(_code, "publish", OFFICE, four_eyes=True, sources={"draft"})
    policy(_code, "withdraw", OFFICE, sources={"published"})
    policy(_code, "redraft", *DRAFTERS, sources={"withdrawn"})
policy(CONFERENCE, "import_transcript", *DRAFTERS, sources={"draft"})


# -- conferences and interpretations in each state, through the services ---------------------------


def conference_data(world: World) -> dict[str, Any]:
    return {
        "title": "延吉口岸签证业务启动新闻发布会",
        "held_on": dt.date(2015, 3, 18),
        "host": "agency",
        "venue": "省公安厅新闻发布厅",
        "topics": "延吉口岸签证业务启动",
        "department": world.departments[HOME],
        "speakers": [{"name": "金明", "post": "副局长", "organisation": "出入境管理局"}],
    }


def _policy(world: World) -> Record:
    """A published policy record (规范性文件) of the home department, to be interpreted."""
    editor, reviewer = world.people["editor"], world.people["reviewer"]
    record = catalog.do_create_record(
        {
            "name": "关于口岸签证业务的通告",
            "summary": "口岸签证业务。",
            "body": "<p>启动口岸签证业务。</p>",
            "formed_on": dt.date(2015, 3, 1),
            "issuer": "吉林省公安厅",
            "category": Category.objects.get(code="policy-rules"),
            "genre": "notice",
            "department": world.departments[HOME],
        },
        actor=editor,
    )
    record = catalog.do_submit_record(record, actor=editor, expected_version=record.version)
    record = catalog.do_approve_record(record, actor=reviewer, expected_version=record.version)
    return catalog.do_publish_record(record, actor=reviewer, expected_version=record.version)


def interpretation_data(world: World) -> dict[str, Any]:
    policy = world.extra.get("policy")
    if policy is None:
        policy = world.extra["policy"] = _policy(world)
    return {
        "title": "《关于口岸签证业务的通告》解读",
        "form": "text",
        "policy": policy,
        "body": "一、为什么启动口岸签证业务",
        "department": world.departments[HOME],
    }


KINDS: dict[str, dict[str, Callable[..., Any]]] = {
    CONFERENCE: {
        "data": conference_data,
        "create": services.do_create_conference,
        "update": services.do_update_conference,
        "publish": services.do_publish_conference,
        "withdraw": services.do_withdraw_conference,
        "redraft": services.do_redraft_conference,
    },
    INTERPRETATION: {
        "data": interpretation_data,
        "create": services.do_create_interpretation,
        "update": services.do_update_interpretation,
        "publish": services.do_publish_interpretation,
        "withdraw": services.do_withdraw_interpretation,
        "redraft": services.do_redraft_interpretation,
    },
}


def _item(world: World, code: str, state: str, *, drafter: str = "editor", editor: str = "") -> Built:
    """An item of `code` in `state`, drafted by `drafter`; `editor`: who then changes its content
    (on a draft), or corrects it after a withdrawal (state "corrected": a draft again)."""
    kind, people = KINDS[code], world.people
    reviewer = people["reviewer"]
    data = kind["data"](world)
    item = kind["create"](data, actor=people[drafter])
    hands = {drafter}
    if state in ("published", "withdrawn", "corrected"):
        item = kind["publish"](item, actor=reviewer, expected_version=item.version)
    if state in ("withdrawn", "corrected"):
        item = kind["withdraw"](item, actor=reviewer, reason="日期有误", expected_version=item.version)
    if state == "corrected":
        item = kind["redraft"](item, actor=people["editor"], expected_version=item.version)
    if editor:
        item = kind["update"](
            item, {**data, "title": "更正后的标题"}, actor=people[editor], expected_version=item.version
        )
        hands.add(editor)
    return Built(item, frozenset(hands))


def _in(code: str, state: str, **who: str) -> Callable[[World], Built]:
    return lambda world: _item(world, code, state, **who)


for _code in (CONFERENCE, INTERPRETATION):
    for _state in ("draft", "published", "withdrawn"):
        objects(_code, _state)(_in(_code, _state))
    # Four eyes: the office reviewer drafted it, edited a department's draft, or corrected it
    # after a withdrawal.
    objects(_code, "draft~drafted_by_reviewer")(_in(_code, "draft", drafter="reviewer"))
    objects(_code, "draft~edited_by_reviewer")(_in(_code, "draft", editor="reviewer"))
    objects(_code, "draft~corrected_by_reviewer")(_in(_code, "corrected", editor="reviewer"))


def _created(model: type[Conference | Interpretation], code: str) -> Callable[[], tuple[int, int]]:
    return lambda: (model.objects.count(), AuditEvent.objects.filter(action=f"{code}.created").count())


creation(
    CONFERENCE,
    "create",
    Creation(
        template=lambda world: Conference(department=world.departments[HOME]),
        attempt=lambda world, actor: services.do_create_conference(conference_data(world), actor=actor),
        count=_created(Conference, CONFERENCE),
    ),
)
creation(
    INTERPRETATION,
    "create",
    Creation(
        template=lambda world: Interpretation(department=world.departments[HOME]),
        attempt=lambda world, actor: services.do_create_interpretation(
            interpretation_data(world), actor=actor
        ),
        count=_created(Interpretation, INTERPRETATION),
    ),
)


# -- the workbench's move endpoints and the page that offers them -------------------------------


def _detail(code: str) -> Callable[[Any], str]:
    if code == CONFERENCE:
        return lambda item: f"/workbench/press/{item.pk}/"
    return lambda item: f"/workbench/press/interpretations/{item.pk}/"


def _move(code: str, move: str, **extra: Any) -> Endpoint:
    def url(item: Any) -> str:
        return f"{_detail(code)(item)}{move}/"

    return Endpoint(
        post=lambda client, world, item: client.post(url(item), {"version": item.version, **extra}),
        page=_detail(code),
        marker=url,
    )


for _code in (CONFERENCE, INTERPRETATION):
    endpoint(_code, "publish", _move(_code, "publish"))
    endpoint(_code, "withdraw", _move(_code, "withdraw", reason="日期有误"))
    endpoint(_code, "redraft", _move(_code, "redraft"))
