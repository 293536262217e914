"""The press room's routes in the URL access matrix: the public pages of published conferences and
interpretations, and the workbench where the departments draft them and the office publishes them
(gongkai/pressroom/workflows.py).

Staff see the conferences and interpretations of their own department; the office (reviewer), the
leaders and the audit administrator see all (queries._for_staff), so the world's objects, held by
the home department, open for HOME_RECORD. Drafting (create, edit, transcript) is the department's
editors and head or the office (DRAFTERS, on a draft); publishing and withdrawing are the office's
alone. The list pages and the empty forms open for every member of staff; the service refuses a
creation for a department not the actor's own (and any creation by the three administrators).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.url_rules import DRAFTING, HOME_RECORD, RECORD_EDITING, STAFF, Same, Staff

OFFICE = frozenset({"reviewer"})

ROUTES: dict[str, Same | Staff] = {
    "pressroom:index": Same(200),
    "pressroom:conference": Same(200),  # a published conference
    "pressroom:interpretations": Same(200),
    "pressroom:interpretation": Same(200),  # a published interpretation
    "workbench:pressroom_staff:list": Staff(STAFF),
    "workbench:pressroom_staff:new": Staff(STAFF, post=DRAFTING),
    "workbench:pressroom_staff:detail": Staff(HOME_RECORD),
    "workbench:pressroom_staff:edit": Staff(RECORD_EDITING, post=RECORD_EDITING),
    "workbench:pressroom_staff:transcript": Staff(RECORD_EDITING, post=RECORD_EDITING),
    "workbench:pressroom_staff:move": Staff(frozenset(), post=OFFICE),  # POST only (publish)
    "workbench:pressroom_staff:interpretations": Staff(STAFF),
    "workbench:pressroom_staff:interpretation_new": Staff(STAFF, post=DRAFTING),
    "workbench:pressroom_staff:interpretation": Staff(HOME_RECORD),
    "workbench:pressroom_staff:interpretation_edit": Staff(RECORD_EDITING, post=RECORD_EDITING),
    "workbench:pressroom_staff:interpretation_move": Staff(frozenset(), post=OFFICE),  # POST only
    # Every member of staff sees the list (their own department's policies; the office, leaders
    # and auditors all of them).
    "workbench:pressroom_staff:uninterpreted": Staff(STAFF),
    # The statistics (stats.py's figures for a period): every member of staff, like the lists.
    "workbench:pressroom_staff:stats": Staff(STAFF),
}

# A complete conference and interpretation, so that a refused POST is refused for who is asking:
# build() adds the home department's key and the index number of the world's published policy.
POST_DATA: dict[str, Any] = {
    "held_on": "2015-03-18",
    "host": "agency",
    "topics": "探测",
    "speakers": "金明|副局长|出入境管理局",
    "form": "text",
    "related": "",
    "release": "",
}


def build(world: Any) -> None:
    """A published and a draft conference (ready to publish), and a published and a draft text
    interpretation of the world's published policy (规范性文件), all of the home department."""
    from gongkai.pressroom import services

    editor, reviewer = world.people["editor"], world.people["reviewer"]
    home, policy = world.departments["exit_entry"], world.objects["published"]
    conference_data = {
        "title": "延吉口岸签证业务启动新闻发布会",
        "held_on": dt.date(2015, 3, 18),
        "host": "agency",
        "venue": "省公安厅新闻发布厅",
        "topics": "延吉口岸签证业务启动\n口岸签证办理条件",
        "department": home,
        "speakers": [{"name": "金明", "post": "副局长", "organisation": "出入境管理局"}],
    }
    published = services.do_create_conference(conference_data, actor=editor)
    published = services.do_publish_conference(published, actor=reviewer, expected_version=published.version)
    draft = services.do_create_conference(
        {**conference_data, "title": "口岸签证通关新闻发布会"}, actor=editor
    )
    interpretation_data = {
        "title": "《关于口岸签证业务的通告》解读",
        "form": "text",
        "policy": policy.index_number,
        "body": "一、为什么启动口岸签证业务\n二、谁可以申请",
        "department": home,
    }
    interpretation = services.do_create_interpretation(interpretation_data, actor=editor)
    interpretation = services.do_publish_interpretation(
        interpretation, actor=reviewer, expected_version=interpretation.version
    )
    interpretation_draft = services.do_create_interpretation(
        {**interpretation_data, "title": "口岸签证问答"}, actor=editor
    )
    POST_DATA.update(department=str(home.pk), policy=policy.index_number)
    world.objects.update(
        press_conference=published,
        press_conference_draft=draft,
        press_interpretation=interpretation,
        press_interpretation_draft=interpretation_draft,
    )


def kwargs(world: Any, name: str) -> dict[str, Any] | None:
    if name not in ROUTES:
        return None
    draft = world.objects["press_conference_draft"].pk
    interpretation_draft = world.objects["press_interpretation_draft"].pk
    table: dict[str, dict[str, Any]] = {
        "pressroom:conference": {"pk": world.objects["press_conference"].pk},
        "pressroom:interpretation": {"pk": world.objects["press_interpretation"].pk},
        "workbench:pressroom_staff:detail": {"pk": draft},
        "workbench:pressroom_staff:edit": {"pk": draft},
        "workbench:pressroom_staff:transcript": {"pk": draft},
        "workbench:pressroom_staff:move": {"pk": draft, "move": "publish"},
        "workbench:pressroom_staff:interpretation": {"pk": interpretation_draft},
        "workbench:pressroom_staff:interpretation_edit": {"pk": interpretation_draft},
        "workbench:pressroom_staff:interpretation_move": {"pk": interpretation_draft, "move": "publish"},
    }
    return table.get(name, {})


def fingerprint() -> tuple[Any, ...]:
    from gongkai.pressroom.models import (
        Answer,
        Conference,
        ConferenceTransition,
        Interpretation,
        InterpretationTransition,
        Speaker,
    )

    return (
        sorted(Conference.objects.values_list("pk", "version", "status")),
        sorted(Interpretation.objects.values_list("pk", "version", "status")),
        sorted(Speaker.objects.values_list("pk", "conference", "name")),
        Answer.objects.count(),
        ConferenceTransition.objects.count(),
        InterpretationTransition.objects.count(),
    )
