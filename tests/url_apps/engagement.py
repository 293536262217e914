"""The engagement app's routes (互动交流) in the URL access matrix: the public pages — ask, follow
and rate with the query code, the published answers, online events with their questions and the
disclosed proposals — answer everyone alike; the workbench pages show each member of staff what
queries.py lets them see, and the services (workflows.py) decide who makes each move.

Who sees what in the workbench (queries.py): the office, the leaders and the auditors see every
inquiry, event and proposal; a department's editors and head the inquiries routed to it; its
members the events it organises and the proposals it leads. The world's objects all belong to the
home department (exit-entry), so those who see them are HOME_RECORD; the other editor (traffic) and
the system and security administrators are refused with a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from tests.url_rules import HOME_RECORD, RECORD_EDITING, STAFF, Same, Staff

OFFICE = frozenset({"reviewer"})
# The home department's editor and head, and the office reviewer: ORGANISERS and MODERATORS of an
# event of the home department, and LEAD_OR_OFFICE of a proposal it leads (workflows.py).
HOME_OR_OFFICE = RECORD_EDITING
# HANDLER of an inquiry routed to the home department: its editor and head, not the office.
HANDLERS = frozenset({"head", "editor"})

ROUTES: dict[str, Same | Staff] = {
    "engagement:index": Same(200),
    "engagement:ask": Same(200),  # the form; a POST is the public's (rate limited)
    "engagement:done": Same(302),  # no receipt in this session: back to the form
    "engagement:follow": Same(200),  # the form; the number and query code are posted
    "engagement:rate": Same(405),  # POST only, with the query code
    "engagement:answers": Same(200),
    "engagement:answer": Same(200),  # a published answer
    "engagement:events": Same(200),
    "engagement:event": Same(200),  # an announced event taking questions
    "engagement:event_ask": Same(405),  # POST only: a visitor's question, held until approved
    "engagement:proposals": Same(200),
    "engagement:proposal": Same(200),  # a disclosed proposal
    # Lists and statistics: every member of staff, each list filtered by queries.py.
    "workbench:engagement_staff:inquiries": Staff(STAFF),
    "workbench:engagement_staff:stats": Staff(STAFF),
    "workbench:engagement_staff:events": Staff(STAFF),
    "workbench:engagement_staff:proposals": Staff(STAFF),
    # An inquiry routed to the home department; the move tried is `answer` (HANDLER only: the
    # office routes and publishes, it does not answer).
    "workbench:engagement_staff:inquiry": Staff(HOME_RECORD),
    "workbench:engagement_staff:inquiry_move": Staff(frozenset(), post=HANDLERS),
    # The form opens for every member of staff; the service lets the home department's editor and
    # head and the office create an event of the home department (the probe's; an editor of another
    # department organises only their own department's events).
    "workbench:engagement_staff:event_new": Staff(STAFF, post=HOME_OR_OFFICE),
    "workbench:engagement_staff:event": Staff(HOME_RECORD),
    # Those who see the event open its form; only the organisers may save it.
    "workbench:engagement_staff:event_edit": Staff(HOME_RECORD, post=HOME_OR_OFFICE),
    "workbench:engagement_staff:event_move": Staff(frozenset(), post=HOME_OR_OFFICE),  # archive
    "workbench:engagement_staff:question_move": Staff(frozenset(), post=HOME_OR_OFFICE),  # approve
    # The form opens for every member of staff; only the office registers a proposal.
    "workbench:engagement_staff:proposal_new": Staff(STAFF, post=OFFICE),
    "workbench:engagement_staff:proposal": Staff(HOME_RECORD),
    "workbench:engagement_staff:proposal_move": Staff(frozenset(), post=HOME_OR_OFFICE),  # reply
}

MOVES = {
    "workbench:engagement_staff:inquiry_move": ("engagement_routed", "answer"),
    "workbench:engagement_staff:event_move": ("engagement_event", "archive"),
    "workbench:engagement_staff:question_move": ("engagement_question", "approve"),
    "workbench:engagement_staff:proposal_move": ("engagement_proposal", "reply"),
}
PAGES = {
    "workbench:engagement_staff:inquiry": "engagement_routed",
    "workbench:engagement_staff:event": "engagement_event",
    "workbench:engagement_staff:event_edit": "engagement_event",
    "workbench:engagement_staff:proposal": "engagement_proposal",
}

# The route whose address was asked last: the matrix asks for a route's address and then posts to
# it, so the probe below can be the plausible submission of that route (the event and the proposal
# forms both have a `kind`, of different vocabularies).
_asked: dict[str, Any] = {}


class _Probe(Mapping[str, Any]):
    """POST_DATA: a valid submission of the route asked last, with the current version of its
    object, so that a refusal comes from who is asking, not from a missing field or a stale form."""

    def _data(self) -> dict[str, Any]:
        from django.utils import timezone

        world, name = _asked.get("world"), _asked.get("name", "")
        if world is None:
            return {}
        home = world.departments["exit_entry"].pk
        now = timezone.localtime()
        today = now.date().isoformat()
        data: dict[str, Any] = {
            "answer": "探测答复",
            "guest": "探测嘉宾",
            "archive_text": "探测回顾",
            "reply_text": "探测答复",
            "on": today,
        }
        if name.startswith("workbench:engagement_staff:event"):
            data.update(
                kind="interview",
                department=home,
                starts_at=(now - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
                ends_at=(now + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
            )
        if name == "workbench:engagement_staff:proposal_new":
            data.update(
                kind="npc",
                number="探测-1",
                proposer="探测代表",
                lead_department=home,
                received_on=today,
                due_on=today,
            )
        key = MOVES.get(name, (PAGES.get(name), ""))[0]
        if key is not None:
            obj = world.objects[key]
            data["version"] = type(obj).objects.get(pk=obj.pk).version
        return data

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


POST_DATA: Mapping[str, Any] = _Probe()


def build(world: Any) -> None:
    """Through the services: a published answer and an inquiry routed to the home department, an
    announced event under way with a pending and an answered question, a disclosed proposal and
    one registered (awaiting the lead department's reply)."""
    from django.utils import timezone

    from gongkai.core import clock
    from gongkai.engagement import services

    editor, reviewer = world.people["editor"], world.people["reviewer"]
    home = world.departments["exit_entry"]
    now = clock.now()
    today = timezone.localdate(now)
    asked = {
        "kind": "inquiry",
        "topic": "exit_entry",
        "wants_public": True,
        "asker_name": "刘女士",
        "phone": "13904310000",
        "email": "",
    }

    published, code = services.do_submit_inquiry(
        {
            **asked,
            "title": "办理港澳通行证需要什么材料",
            "question": "请问办理往来港澳通行证需要带哪些材料？",
        },
        now=now,
    )
    published = services.do_route_inquiry(published, home, actor=reviewer, version=published.version, now=now)
    published = services.do_answer_inquiry(
        published, "携带居民身份证到出入境接待大厅办理。", actor=editor, version=published.version, now=now
    )
    published = services.do_publish_inquiry(
        published,
        public_question=published.question,
        public_answer=published.answer,
        actor=reviewer,
        version=published.version,
        now=now,
    )
    routed, _code = services.do_submit_inquiry(
        {**asked, "title": "护照补办", "question": "护照丢失后在哪里补办？需要多长时间？"}, now=now
    )
    routed = services.do_route_inquiry(routed, home, actor=reviewer, version=routed.version, now=now)

    event = services.do_create_event(
        {
            "kind": "interview",
            "title": "出入境便民措施在线访谈",
            "summary": "介绍出入境便民措施。",
            "starts_at": now - dt.timedelta(hours=1),
            "ends_at": now + dt.timedelta(days=1),
            "guests": "王局长|出入境管理局局长",
            "department": home,
        },
        actor=editor,
        now=now,
    )
    event = services.do_announce_event(event, actor=editor, version=event.version, now=now)
    answered = services.do_ask_question(event, "网友甲", "签注可以网上办理吗？", now=now)
    answered = services.do_moderate_question(
        answered, "approve", actor=editor, version=answered.version, now=now
    )
    answered = services.do_answer_question(
        answered, "可以，通过网上办事大厅办理。", "王局长", actor=editor, version=answered.version, now=now
    )
    pending = services.do_ask_question(event, "网友乙", "办证大厅周末开放吗？", now=now)

    proposal_data = {
        "kind": "npc",
        "title": "关于优化出入境证件办理流程的建议",
        "proposer": "李代表",
        "lead_department": home,
        "co_departments": [],
        "received_on": today - dt.timedelta(days=30),
        "due_on": today + dt.timedelta(days=60),
    }
    disclosed = services.do_register_proposal({**proposal_data, "number": "URL-1"}, actor=reviewer, now=now)
    disclosed = services.do_reply_proposal(
        disclosed, "已简化办理流程。", on=today, actor=editor, version=disclosed.version, now=now
    )
    disclosed = services.do_record_consent(
        disclosed,
        consent=True,
        public_summary="已简化办理流程。",
        actor=editor,
        version=disclosed.version,
        now=now,
    )
    disclosed = services.do_send_proposal(
        disclosed, on=today, actor=reviewer, version=disclosed.version, now=now
    )
    disclosed = services.do_disclose_proposal(
        disclosed, on=today, actor=reviewer, version=disclosed.version, now=now
    )
    registered = services.do_register_proposal(
        {**proposal_data, "number": "URL-2", "title": "关于增设自助办证设备的建议"}, actor=reviewer, now=now
    )
    world.objects.update(
        engagement_published=published,
        engagement_code=code,
        engagement_routed=routed,
        engagement_event=event,
        engagement_answered=answered,
        engagement_question=pending,
        engagement_disclosed=disclosed,
        engagement_proposal=registered,
    )


def kwargs(world: Any, name: str) -> dict[str, Any] | None:
    if name not in ROUTES:
        return None
    _asked.update(world=world, name=name)
    objects = world.objects
    if name in MOVES:
        key, move = MOVES[name]
        return {"pk": objects[key].pk, "move": move}
    if name in PAGES:
        return {"pk": objects[PAGES[name]].pk}
    table: dict[str, dict[str, Any]] = {
        "engagement:answer": {"number": objects["engagement_published"].number},
        "engagement:event": {"pk": objects["engagement_event"].pk},
        "engagement:event_ask": {"pk": objects["engagement_event"].pk},
        "engagement:proposal": {"pk": objects["engagement_disclosed"].pk},
    }
    return table.get(name, {})


def fingerprint() -> tuple[Any, ...]:
    from gongkai.engagement.models import EventQuestion, Inquiry, OnlineEvent, Proposal

    return (
        sorted(Inquiry.objects.values_list("pk", "version", "status", "department", "rating")),
        sorted(OnlineEvent.objects.values_list("pk", "version", "status")),
        sorted(EventQuestion.objects.values_list("pk", "version", "status")),
        sorted(Proposal.objects.values_list("pk", "version", "status", "consent_to_disclose")),
    )
