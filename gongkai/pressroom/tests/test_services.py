import datetime as dt

import pytest

from gongkai.core import acts
from gongkai.core.models import AuditEvent
from gongkai.pressroom import services
from gongkai.pressroom.models import Answer, Conference
from gongkai.pressroom.tests.conftest import CSV
from gongkai.pressroom.transcript import TranscriptError

pytestmark = pytest.mark.django_db


def test_conference_draft_publish_withdraw_through_the_kernel(make_conference, editor, reviewer):
    conference = make_conference()
    assert conference.status == "draft"
    assert [s.name for s in conference.speakers.all()] == ["金明", "李华"]
    published = services.do_publish_conference(
        conference, actor=reviewer, expected_version=conference.version
    )
    assert published.status == "published" and published.published_at is not None
    withdrawn = services.do_withdraw_conference(
        published, actor=reviewer, reason="日期有误", expected_version=published.version
    )
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawal_reason == "日期有误"
    codes = list(
        AuditEvent.objects.filter(object_type="pressroom.conference", object_id=str(conference.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert codes == [
        "pressroom.conference.created",
        "pressroom.conference.published",
        "pressroom.conference.withdrawn",
    ]
    assert [t.to_status for t in withdrawn.transitions.all()] == ["published", "withdrawn"]


def test_only_the_office_publishes_and_only_the_department_drafts(
    make_conference, editor, other_editor, conference_data
):
    conference = make_conference()
    with pytest.raises(acts.PermissionDeniedError):
        services.do_publish_conference(conference, actor=editor, expected_version=conference.version)
    with pytest.raises(acts.PermissionDeniedError):
        services.do_update_conference(
            conference, conference_data, actor=other_editor, expected_version=conference.version
        )
    with pytest.raises(acts.PermissionDeniedError):
        services.do_create_conference(conference_data, actor=other_editor)
    assert Conference.objects.count() == 1


def test_auditor_makes_no_act(make_conference, auditor):
    conference = make_conference()
    with pytest.raises(acts.PermissionDeniedError):
        services.do_publish_conference(conference, actor=auditor, expected_version=conference.version)


def test_stale_version_is_refused_and_nothing_changes(make_conference, editor, conference_data):
    conference = make_conference()
    services.do_update_conference(
        conference, {**conference_data, "venue": "新址"}, actor=editor, expected_version=1
    )
    with pytest.raises(acts.ConflictError):
        services.do_update_conference(
            conference, {**conference_data, "venue": "旧址"}, actor=editor, expected_version=1
        )
    conference.refresh_from_db()
    assert conference.venue == "新址" and conference.version == 2


def test_publish_needs_speakers_topics_and_a_past_date(make_conference, reviewer):
    conference = make_conference(speakers=[], topics="", held_on=dt.date(2099, 1, 1))
    with pytest.raises(acts.TransitionError) as refused:
        services.do_publish_conference(conference, actor=reviewer, expected_version=conference.version)
    message = str(refused.value)
    assert "缺少发布人" in message and "缺少发布主题" in message and "尚未召开" in message


def test_bad_fields_are_refused_in_words(conference_data, editor):
    for bad, words in (
        ({"title": ""}, "标题不能为空"),
        ({"host": "city"}, "召开名义"),
        ({"held_on": "2015-03-18"}, "召开日期"),
        ({"release": "013544308/2015-99999"}, "没有索引号"),
        (
            {"speakers": [{"name": "金明", "organisation": "出入境"}, {"name": "金明", "organisation": "x"}]},
            "重复",
        ),
        ({"speakers": [{"name": "金明", "organisation": ""}]}, "所在部门"),
    ):
        with pytest.raises(services.PressroomError, match=words):
            services.do_create_conference({**conference_data, **bad}, actor=editor)
    assert Conference.objects.count() == 0


def test_transcript_import_replaces_all_rows(make_conference, editor):
    conference = make_conference()
    n = services.do_import_transcript(conference, CSV.encode(), "qa.csv", actor=editor, expected_version=1)
    assert n == 3
    rows = list(conference.answers.select_related("speaker"))
    assert [(a.speaker.name, a.asked_by) for a in rows] == [
        ("金明", ""),
        ("金明", "新华社记者"),
        ("李华", "吉林日报记者"),
    ]
    conference.refresh_from_db()
    services.do_import_transcript(
        conference,
        CSV.replace("李华", "金明").encode("gb18030"),
        "qa.csv",
        actor=editor,
        expected_version=conference.version,
    )
    assert Answer.objects.filter(conference=conference, speaker__name="金明").count() == 3
    assert AuditEvent.objects.filter(action="pressroom.conference.transcript_imported").count() == 2


def test_malformed_transcript_imports_nothing_and_says_where(make_conference, editor):
    conference = make_conference()
    services.do_import_transcript(conference, CSV.encode(), "qa.csv", actor=editor, expected_version=1)
    bad = CSV + "王五,,问题,回答\n李华,,问题,\n"
    with pytest.raises(TranscriptError) as refused:
        services.do_import_transcript(conference, bad.encode(), "qa.csv", actor=editor, expected_version=2)
    message = str(refused.value)
    assert "第 5 行“发言人”列" in message and "王五" in message
    assert "第 6 行“回答”列：缺少回答" in message
    assert conference.answers.count() == 3  # the earlier transcript is kept
    conference.refresh_from_db()
    assert conference.version == 2


def test_a_speaker_with_answers_cannot_be_dropped(make_conference, editor, conference_data):
    conference = make_conference()
    services.do_import_transcript(conference, CSV.encode(), "qa.csv", actor=editor, expected_version=1)
    with pytest.raises(services.PressroomError, match="李华"):
        services.do_update_conference(
            conference,
            {**conference_data, "speakers": conference_data["speakers"][:1]},
            actor=editor,
            expected_version=2,
        )
    reordered = [*reversed(conference_data["speakers"]), {"name": "张三", "organisation": "治安总队"}]
    services.do_update_conference(
        conference, {**conference_data, "speakers": reordered}, actor=editor, expected_version=2
    )
    assert [s.name for s in conference.speakers.all()] == ["李华", "金明", "张三"]
    assert conference.answers.filter(speaker__name="李华").count() == 1


def test_published_conference_is_not_edited_in_place(make_conference, editor, reviewer, conference_data):
    conference = make_conference()
    conference = services.do_publish_conference(conference, actor=reviewer, expected_version=1)
    with pytest.raises(acts.TransitionError):
        services.do_import_transcript(
            conference, CSV.encode(), "qa.csv", actor=editor, expected_version=conference.version
        )
    conference = services.do_withdraw_conference(
        conference, actor=reviewer, reason="更正", expected_version=conference.version
    )
    conference = services.do_redraft_conference(conference, actor=editor, expected_version=conference.version)
    assert conference.status == "draft"


def test_withdraw_needs_a_reason(make_conference, reviewer):
    conference = services.do_publish_conference(make_conference(), actor=reviewer, expected_version=1)
    with pytest.raises(services.PressroomError, match="撤回原因"):
        services.do_withdraw_conference(
            conference, actor=reviewer, reason="  ", expected_version=conference.version
        )


def test_interpretation_of_a_policy(interpretation_data, editor, reviewer, policy):
    interpretation = services.do_create_interpretation(interpretation_data, actor=editor)
    assert interpretation.policy == policy
    interpretation = services.do_publish_interpretation(interpretation, actor=reviewer, expected_version=1)
    assert interpretation.status == "published"


def test_interpretation_must_explain_a_policy_record(interpretation_data, editor, make_record):
    from gongkai.catalog.models import Category

    news = make_record("published", category=Category.objects.get(code="news"))
    with pytest.raises(services.PressroomError, match="不在需要解读的政策文件栏目"):
        services.do_create_interpretation({**interpretation_data, "policy": news.index_number}, actor=editor)


def test_video_interpretation_needs_its_text(interpretation_data, editor, reviewer, make_conference):
    interpretation = services.do_create_interpretation({**interpretation_data, "form": "video"}, actor=editor)
    with pytest.raises(acts.TransitionError, match="文字说明"):
        services.do_publish_interpretation(interpretation, actor=reviewer, expected_version=1)
    by_conference = services.do_create_interpretation(
        {**interpretation_data, "form": "conference"}, actor=editor
    )
    with pytest.raises(acts.TransitionError, match="新闻发布会"):
        services.do_publish_interpretation(by_conference, actor=reviewer, expected_version=1)


def test_a_draft_record_of_any_department_is_never_cited(
    make_conference, interpretation_data, make_record, editor
):
    """What a conference or an interpretation cites shows on its pages: a draft or withdrawn record
    is refused with the same words as a number that does not exist."""
    draft = make_record("draft")
    with pytest.raises(services.PressroomError, match=r"没有索引号为.*的已公开信息"):
        make_conference(release=draft.index_number)
    with pytest.raises(services.PressroomError, match=r"没有索引号为.*的已公开信息"):
        make_conference(related_records=[draft.index_number])
    with pytest.raises(services.PressroomError, match=r"没有索引号为.*的已公开信息"):
        services.do_create_interpretation({**interpretation_data, "policy": draft.index_number}, actor=editor)
    with pytest.raises(services.PressroomError, match=r"没有索引号为.*的已公开信息"):
        make_conference(release="013544308/2015-99999")


def test_an_interpretation_links_only_a_published_conference_or_its_own_departments_draft(
    make_conference, interpretation_data, editor, other_editor, departments
):
    own_draft = make_conference()
    linked = services.do_create_interpretation(
        {**interpretation_data, "form": "conference", "conference": str(own_draft.pk)}, actor=editor
    )
    assert linked.conference == own_draft
    with pytest.raises(services.PressroomError, match="没有这场新闻发布会"):
        services.do_create_interpretation(
            {
                **interpretation_data,
                "form": "conference",
                "conference": str(own_draft.pk),
                "department": departments["traffic"],
            },
            actor=other_editor,
        )
    with pytest.raises(services.PressroomError, match="没有这场新闻发布会"):
        services.do_create_interpretation({**interpretation_data, "conference": "9" * 30}, actor=editor)


def test_an_interpretation_given_at_a_conference_waits_for_the_conference(
    make_conference, interpretation_data, editor, reviewer
):
    conference = make_conference(held_on=dt.date(2015, 3, 18))
    interpretation = services.do_create_interpretation(
        {**interpretation_data, "form": "conference", "conference": str(conference.pk)}, actor=editor
    )
    with pytest.raises(acts.TransitionError, match="所依托的新闻发布会尚未发布"):
        services.do_publish_interpretation(
            interpretation, actor=reviewer, expected_version=interpretation.version
        )
    services.do_publish_conference(conference, actor=reviewer, expected_version=conference.version)
    published = services.do_publish_interpretation(
        interpretation, actor=reviewer, expected_version=interpretation.version
    )
    assert published.status == "published"
