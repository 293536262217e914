"""Online events through the services and the pages: announced with guests, the public's questions
held until the office approves them, answers by a guest, personal data held with its place, no
questions once the event has ended or is archived, the question rate limit, the archive page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from gongkai.core import acts
from gongkai.engagement import services
from gongkai.engagement.choices import EventStatus, QuestionStatus
from gongkai.engagement.models import EventQuestion, OnlineEvent

pytestmark = pytest.mark.django_db

GUESTS = "张处长|出入境管理局证件处处长\n李科长|出入境管理局签证科科长"


@pytest.fixture(autouse=True)
def _fresh_pages(settings):
    # Each page as it is now, not as an earlier test saw it (the rate counters, core.RateCounter,
    # go with each test's transaction).
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def make_event(reviewer, departments):
    """An online interview of the exit-entry department, announced; open from an hour ago for
    `hours` hours unless told otherwise."""

    def make(*, starts=-1, hours=2, announce=True, actor=None):
        now = timezone.now()
        starts_at = now + dt.timedelta(hours=starts)
        event = services.do_create_event(
            {
                "kind": "interview",
                "title": "出入境证件办理在线访谈",
                "summary": "就往来港澳通行证办理回答网友提问。",
                "starts_at": starts_at,
                "ends_at": starts_at + dt.timedelta(hours=hours),
                "guests": GUESTS,
                "department": departments["exit_entry"],
            },
            actor=actor or reviewer,
            now=starts_at - dt.timedelta(days=2),
        )
        if announce:
            event = services.do_announce_event(
                event, actor=actor or reviewer, version=event.version, now=starts_at - dt.timedelta(days=1)
            )
        return event

    return make


def _page(client, event):
    return client.get(reverse("engagement:event", args=[event.pk])).content.decode()


def _ask(client, event, text="通行证多久能办好？", nickname="长春网友"):
    return client.post(reverse("engagement:event_ask", args=[event.pk]), {"nickname": nickname, "text": text})


def test_announced_interview_shows_its_guests_a_draft_does_not(client, make_event, editor):
    draft = make_event(announce=False, actor=editor)
    assert draft.status == EventStatus.DRAFT
    assert client.get(reverse("engagement:event", args=[draft.pk])).status_code == 404
    event = make_event()
    assert event.status == EventStatus.ANNOUNCED and event.announced_at is not None
    assert event.guest_list() == [("张处长", "出入境管理局证件处处长"), ("李科长", "出入境管理局签证科科长")]
    page = _page(client, event)
    assert "出入境证件办理在线访谈" in page and "张处长" in page and "签证科科长" in page
    assert "提交问题" in page
    listing = client.get(reverse("engagement:events")).content.decode()
    assert "出入境证件办理在线访谈" in listing


def test_only_organisers_create_and_announce(make_event, other_editor, departments):
    with pytest.raises(acts.PermissionDeniedError):
        make_event(actor=other_editor)  # another department's editor


def test_a_question_waits_for_approval_then_shows_with_the_guests_answer(client, make_event, reviewer):
    event = make_event()
    response = _ask(client, event)
    assert response.status_code == 200 and "提问已收到，经审核后显示。" in response.content.decode()
    question = EventQuestion.objects.get()
    assert question.status == QuestionStatus.PENDING and question.nickname == "长春网友"
    assert "通行证多久能办好？" not in _page(client, event)
    question = services.do_moderate_question(question, "approve", actor=reviewer, version=question.version)
    assert question.status == QuestionStatus.APPROVED
    page = _page(client, event)
    assert "通行证多久能办好？" in page and "等待嘉宾回答" in page
    question = services.do_answer_question(
        question, "材料齐全的7个工作日内办结。", "张处长", actor=reviewer, version=question.version
    )
    assert question.status == QuestionStatus.ANSWERED and question.answered_at is not None
    page = _page(client, event)
    assert "材料齐全的7个工作日内办结。" in page and "<strong>张处长</strong>：" in page


def test_a_rejected_question_is_never_shown(client, make_event, reviewer):
    event = make_event()
    _ask(client, event, text="这个问题不会被采纳")
    question = EventQuestion.objects.get()
    question = services.do_moderate_question(
        question, "reject", actor=reviewer, version=question.version, reason="与主题无关"
    )
    assert question.status == QuestionStatus.REJECTED
    assert "这个问题不会被采纳" not in _page(client, event)
    with pytest.raises(acts.TransitionError):  # a rejected question cannot be answered
        services.do_answer_question(question, "答", "张处长", actor=reviewer, version=question.version)
    services.do_archive_event(event, archive_text="访谈回顾", actor=reviewer, version=event.version)
    assert "这个问题不会被采纳" not in _page(client, event)


def test_moderators_are_the_events_department_or_the_office(make_event, editor, other_editor):
    event = make_event()
    question = services.do_ask_question(event, "网友", "签注怎么办？")
    with pytest.raises(acts.PermissionDeniedError):
        services.do_moderate_question(question, "approve", actor=other_editor, version=question.version)
    question = services.do_moderate_question(question, "approve", actor=editor, version=question.version)
    assert question.status == QuestionStatus.APPROVED


def test_identity_number_and_phone_hold_the_question_with_their_places(client, make_event):
    event = make_event()
    text = "我的身份证号110101199003074514，电话13812345678，能加急吗？"
    response = _ask(client, event, text=text)
    assert response.status_code == 200
    question = EventQuestion.objects.get()
    assert question.status == QuestionStatus.HELD
    places = {(f["kind"], f["text"], f["start"], f["end"], f["field"]) for f in question.findings}
    assert ("id_number", "110101199003074514", 6, 24, "text") in places
    assert ("phone", "13812345678", 27, 38, "text") in places
    for f in question.findings:
        assert text[f["start"] : f["end"]] == f["text"]
    page = _page(client, event)
    assert "110101199003074514" not in page and "13812345678" not in page


def test_no_questions_after_the_event_ended(client, make_event):
    event = make_event(starts=-3, hours=2)  # ended an hour ago
    assert not services.event_accepts_questions(event, timezone.now())
    with pytest.raises(acts.ActError, match="不接受提问"):
        services.do_ask_question(event, "网友", "还能问吗？")
    response = _ask(client, event, text="结束后才看到，还能问吗？")
    assert response.status_code == 400
    body = response.content.decode()
    assert "该活动现在不接受提问。" in body
    assert "结束后才看到，还能问吗？" in body
    assert EventQuestion.objects.count() == 0


def test_no_questions_once_archived(client, make_event, reviewer):
    event = make_event()
    event = services.do_archive_event(event, archive_text="访谈回顾", actor=reviewer, version=event.version)
    with pytest.raises(acts.ActError, match="不接受提问"):
        services.do_ask_question(event, "网友", "还能问吗？")
    response = _ask(client, event, text="归档后还能问吗？")
    assert response.status_code == 400
    body = response.content.decode()
    assert "该活动现在不接受提问。" in body and "归档后还能问吗？" in body
    assert EventQuestion.objects.count() == 0


def test_question_rate_limit_keeps_what_was_typed(client, make_event, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "event_question": (2, 600)}
    event = make_event()
    for n in range(2):
        assert _ask(client, event, text=f"第{n}个问题").status_code == 200
    blocked = _ask(client, event, text="第三个问题也想问")
    assert blocked.status_code == 429
    body = blocked.content.decode()
    assert "提问过于频繁" in body and "第三个问题也想问" in body
    assert EventQuestion.objects.count() == 2


def test_a_refused_question_does_not_use_up_the_limit(client, make_event, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "event_question": (1, 600)}
    event = make_event()
    assert _ask(client, event, text="").status_code == 400  # no question: given back
    assert _ask(client, event, text="真正的问题").status_code == 200
    assert _ask(client, event, text="再问一个").status_code == 429


def test_archive_page_has_the_approved_questions_and_answers_and_the_review(client, make_event, reviewer):
    event = make_event()
    answered = services.do_ask_question(event, "网友甲", "换证要带什么？")
    pending = services.do_ask_question(event, "网友乙", "一直没审核的问题")
    answered = services.do_moderate_question(answered, "approve", actor=reviewer, version=answered.version)
    services.do_answer_question(
        answered, "带身份证即可。", "李科长", actor=reviewer, version=answered.version
    )
    with pytest.raises(acts.ActError, match="活动回顾"):
        services.do_archive_event(event, archive_text=" ", actor=reviewer, version=event.version)
    event = services.do_archive_event(
        event, archive_text="本次访谈共回答网友提问1个。", actor=reviewer, version=event.version
    )
    assert event.status == EventStatus.ARCHIVED and event.archived_at is not None
    assert EventQuestion.objects.get(pk=pending.pk).status == QuestionStatus.REJECTED
    page = _page(client, event)
    assert "文字实录与回顾" in page and "本次访谈共回答网友提问1个。" in page
    assert "换证要带什么？" in page and "带身份证即可。" in page and "李科长" in page
    assert "一直没审核的问题" not in page
    assert "已结束" in page and "提交问题" not in page
    listing = client.get(reverse("engagement:events")).content.decode()
    assert "出入境证件办理在线访谈" in listing
    # Archived: no more moderating or answering.
    late = EventQuestion.objects.get(pk=pending.pk)
    with pytest.raises(acts.TransitionError):
        services.do_moderate_question(late, "approve", actor=reviewer, version=late.version)


def test_an_event_not_started_cannot_be_archived(make_event, reviewer):
    event = make_event(starts=2)
    with pytest.raises(acts.ActError, match="尚未开始"):
        services.do_archive_event(event, archive_text="回顾", actor=reviewer, version=event.version)


def test_stale_versions_are_refused(client, make_event, reviewer):
    event = make_event()
    question = services.do_ask_question(event, "网友", "签注怎么办？")
    services.do_moderate_question(question, "approve", actor=reviewer, version=question.version)
    with pytest.raises(acts.ConflictError):
        services.do_moderate_question(question, "reject", actor=reviewer, version=question.version)
    assert EventQuestion.objects.get(pk=question.pk).status == QuestionStatus.APPROVED
    stale = event.version
    services.do_update_event(
        event,
        {
            "kind": event.kind,
            "title": "改过的主题",
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "guests": event.guests,
            "department": event.department,
        },
        actor=reviewer,
        version=event.version,
    )
    with pytest.raises(acts.ConflictError):
        services.do_archive_event(event, archive_text="回顾", actor=reviewer, version=stale)
    assert OnlineEvent.objects.get(pk=event.pk).status == EventStatus.ANNOUNCED
    # Through the workbench page: 409, nothing changed.
    client.login(username="reviewer", password=PASSWORD)
    response = client.post(
        reverse("workbench:engagement_staff:event_move", args=[event.pk, "archive"]),
        {"version": stale, "archive_text": "回顾"},
    )
    assert response.status_code == 409
    assert OnlineEvent.objects.get(pk=event.pk).status == EventStatus.ANNOUNCED
    fresh = EventQuestion.objects.get(pk=question.pk)
    response = client.post(
        reverse("workbench:engagement_staff:question_move", args=[fresh.pk, "answer"]),
        {"version": fresh.version - 1, "answer": "答", "guest": "张处长"},
    )
    assert response.status_code == 409
    assert EventQuestion.objects.get(pk=question.pk).status == QuestionStatus.APPROVED
