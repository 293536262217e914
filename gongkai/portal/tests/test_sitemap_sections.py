"""sitemap.xml lists every public section's index pages and what the public can open in it — the
powers lists and guides, the press room, engagement and the annual reports — and never a draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core import clock

pytestmark = pytest.mark.django_db


def sitemap(client) -> str:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return str(response.content.decode())


def loc(path: str) -> str:
    return f"<loc>http://testserver{path}</loc>"


def test_it_lists_the_index_page_of_each_section(client):
    body = sitemap(client)
    for name in (
        "powers:index",
        "powers:approvals",
        "pressroom:index",
        "pressroom:interpretations",
        "engagement:index",
        "engagement:answers",
        "engagement:events",
        "engagement:proposals",
        "annualreport:index",
    ):
        assert loc(reverse(name)) in body, name


def test_it_lists_a_published_power_item_and_its_guide_not_a_draft(client, editor, reviewer, departments):
    from gongkai.powers import services

    data = {
        "list_kind": "approvals",
        "category": "licensing",
        "code": "JL-CRJ-001",
        "name": "普通护照签发",
        "legal_basis": "《中华人民共和国护照法》第五条",
        "department": departments["exit_entry"],
        "level": "province",
        "conditions": "中国公民。",
        "statutory_days": 15,
        "promised_days": 7,
        "materials": [{"name": "居民身份证", "form": "both", "copies": 1, "note": ""}],
        "steps": [
            {"number": 1, "name": "受理", "post": "窗口", "time_limit": "即时", "next_steps": "", "basis": ""}
        ],
    }
    created = {"set_on": dt.date(2004, 7, 1), "set_document": "吉政发〔2004〕1号", "actor": editor}
    item = services.do_create_item(data, **created)
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    item = services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition("approvals", title="行政审批事项目录", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)
    services.do_create_item({**data, "code": "JL-CRJ-002", "name": "往来港澳通行证签发"}, **created)

    body = sitemap(client)

    assert loc(reverse("powers:item", args=["JL-CRJ-001"])) in body
    assert loc(reverse("powers:guide", args=["JL-CRJ-001"])) in body
    assert "JL-CRJ-002" not in body


def test_it_lists_published_conferences_and_interpretations_not_drafts(
    client, editor, reviewer, departments, make_record
):
    from gongkai.pressroom import services

    home = departments["exit_entry"]
    conference = {
        "title": "延吉口岸签证业务启动新闻发布会",
        "held_on": dt.date(2015, 3, 18),
        "host": "agency",
        "venue": "省公安厅新闻发布厅",
        "topics": "延吉口岸签证业务启动",
        "department": home,
        "speakers": [{"name": "金明", "post": "副局长", "organisation": "出入境管理局"}],
    }
    published = services.do_create_conference(conference, actor=editor)
    published = services.do_publish_conference(published, actor=reviewer, expected_version=published.version)
    draft = services.do_create_conference({**conference, "title": "口岸签证通关新闻发布会"}, actor=editor)
    interpretation = {
        "title": "《关于延吉口岸签证业务启动的通告》解读",
        "form": "text",
        "policy": make_record("published").index_number,
        "body": "一、为什么启动口岸签证业务",
        "department": home,
    }
    shown = services.do_create_interpretation(interpretation, actor=editor)
    shown = services.do_publish_interpretation(shown, actor=reviewer, expected_version=shown.version)
    hidden = services.do_create_interpretation({**interpretation, "title": "口岸签证问答"}, actor=editor)

    body = sitemap(client)

    assert loc(published.get_absolute_url()) in body
    assert loc(shown.get_absolute_url()) in body
    assert loc(draft.get_absolute_url()) not in body
    assert loc(hidden.get_absolute_url()) not in body
    assert f"<lastmod>{timezone.localdate(published.published_at).isoformat()}" in body


def test_it_lists_published_answers_archived_events_and_disclosed_proposals_only(
    client, editor, reviewer, departments
):
    from gongkai.engagement import services

    home, now = departments["exit_entry"], clock.now()
    today = timezone.localdate(now)
    asked = {"kind": "inquiry", "topic": "exit_entry", "wants_public": True, "asker_name": "刘女士",
             "phone": "13904310000", "email": "", "title": "办理港澳通行证需要什么材料",
             "question": "请问办理往来港澳通行证需要带哪些材料？"}  # fmt: skip
    answer, _code = services.do_submit_inquiry(asked, now=now)
    answer = services.do_route_inquiry(answer, home, actor=reviewer, version=answer.version, now=now)
    answer = services.do_answer_inquiry(answer, "携带居民身份证到出入境接待大厅办理。", actor=editor,
                                        version=answer.version, now=now)  # fmt: skip
    answer = services.do_publish_inquiry(answer, public_question=answer.question, public_answer=answer.answer,
                                         actor=reviewer, version=answer.version, now=now)  # fmt: skip
    unpublished, _code = services.do_submit_inquiry(
        {**asked, "title": "护照补办", "question": "护照丢失后在哪里补办？需要多长时间？"}, now=now
    )
    services.do_route_inquiry(unpublished, home, actor=reviewer, version=unpublished.version, now=now)

    event_data = {"kind": "interview", "title": "出入境便民措施在线访谈", "summary": "介绍出入境便民措施。",
                  "starts_at": now - dt.timedelta(days=2), "ends_at": now - dt.timedelta(days=1),
                  "guests": "王局长|出入境管理局局长", "department": home}  # fmt: skip
    archived = services.do_create_event(event_data, actor=editor, now=now)
    archived = services.do_announce_event(archived, actor=editor, version=archived.version, now=now)
    archived = services.do_archive_event(archived, archive_text="访谈回顾。", actor=editor,
                                         version=archived.version, now=now)  # fmt: skip
    draft_event = services.do_create_event({**event_data, "title": "草稿访谈"}, actor=editor, now=now)

    proposal_data = {"kind": "npc", "title": "关于优化出入境证件办理流程的建议", "proposer": "李代表",
                     "lead_department": home, "co_departments": [],
                     "received_on": today - dt.timedelta(days=30), "due_on": today + dt.timedelta(days=60)}  # fmt: skip
    disclosed = services.do_register_proposal({**proposal_data, "number": "SM-1"}, actor=reviewer, now=now)
    disclosed = services.do_reply_proposal(disclosed, "已简化办理流程。", on=today, actor=editor,
                                           version=disclosed.version, now=now)  # fmt: skip
    disclosed = services.do_record_consent(disclosed, consent=True, public_summary="已简化办理流程。",
                                           actor=editor, version=disclosed.version, now=now)  # fmt: skip
    disclosed = services.do_send_proposal(
        disclosed, on=today, actor=reviewer, version=disclosed.version, now=now
    )
    disclosed = services.do_disclose_proposal(disclosed, on=today, actor=reviewer, version=disclosed.version,
                                              now=now)  # fmt: skip
    registered = services.do_register_proposal({**proposal_data, "number": "SM-2"}, actor=reviewer, now=now)

    body = sitemap(client)

    assert loc(answer.get_absolute_url()) in body
    assert loc(unpublished.get_absolute_url()) not in body
    assert loc(archived.get_absolute_url()) in body
    assert loc(draft_event.get_absolute_url()) not in body
    assert loc(disclosed.get_absolute_url()) in body
    assert loc(registered.get_absolute_url()) not in body
    assert f"<lastmod>{today.isoformat()}</lastmod>" in body


def test_it_lists_a_published_annual_report_not_a_draft(client, departments, leader, reviewer, monkeypatch):
    from conftest import _staff
    from gongkai.annualreport import publishing, services
    from gongkai.annualreport.tests import fakes
    from gongkai.annualreport.tests.conftest import SEED, tiny_pdf
    from gongkai.annualreport.tests.test_workflow import NOW

    monkeypatch.setattr(publishing, "render_pdf", tiny_pdf)
    office_editor = _staff("office_editor", "何指挥", departments["office"], ["editor"])
    common: dict[str, Any] = {"registry": fakes.registry(SEED), "now": NOW}
    report = services.do_create_report(2015, actor=office_editor, **common)
    report = services.do_check_report(report, actor=office_editor, expected_version=report.version, **common)
    report = services.do_approve_report(report, actor=leader, expected_version=report.version, **common)
    services.do_publish_report(report, actor=reviewer, expected_version=report.version)
    services.do_create_report(2016, actor=office_editor, registry=common["registry"])  # a draft

    body = sitemap(client)

    assert loc(reverse("annualreport:report", args=[2015])) in body
    assert loc(reverse("annualreport:report", args=[2016])) not in body
