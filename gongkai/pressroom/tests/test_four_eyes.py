"""Four eyes on publishing: whoever drafted a conference or an interpretation, or last changed its
content (an edit, a transcript import, a correction after a withdrawal), may not publish it. The
service refuses with the reason; the staff page does not offer the move and says why."""

import pytest
from django.urls import reverse

from gongkai.core import acts
from gongkai.pressroom import services
from gongkai.pressroom.models import Conference, Interpretation
from gongkai.pressroom.tests.conftest import CSV
from gongkai.pressroom.workflows import CONFERENCE, INTERPRETATION

pytestmark = pytest.mark.django_db

FOUR_EYES = "双人审核"
NOTICE = "须由另一名公开办审核员发布"
PUBLISH_BUTTON = "发布到门户"


def _page(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(f"workbench:pressroom_staff:{name}", args=[pk])).content.decode()


def test_a_reviewer_who_drafted_a_conference_cannot_publish_it(
    client, conference_data, reviewer, second_reviewer
):
    conference = services.do_create_conference(conference_data, actor=reviewer)
    with pytest.raises(acts.PermissionDeniedError, match=FOUR_EYES):
        services.do_publish_conference(conference, actor=reviewer, expected_version=conference.version)
    assert "publish" not in CONFERENCE.allowed_moves(reviewer, conference)
    html = _page(client, reviewer, "detail", conference.pk)
    assert PUBLISH_BUTTON not in html and NOTICE in html
    # Whatever the form posts, nothing is published, and the message says why.
    response = client.post(
        reverse("workbench:pressroom_staff:move", args=[conference.pk, "publish"]),
        {"version": conference.version},
        follow=True,
    )
    assert FOUR_EYES in response.content.decode()
    assert Conference.objects.get(pk=conference.pk).status == "draft"

    html = _page(client, second_reviewer, "detail", conference.pk)
    assert PUBLISH_BUTTON in html and NOTICE not in html
    published = services.do_publish_conference(
        conference, actor=second_reviewer, expected_version=conference.version
    )
    assert published.status == "published"
    assert published.transitions.get(to_status="published").actor == second_reviewer


def test_a_reviewer_who_edited_or_imported_the_transcript_cannot_publish(
    client, make_conference, conference_data, editor, reviewer, second_reviewer
):
    conference = make_conference()
    assert conference.last_edited_by == editor
    assert "publish" in CONFERENCE.allowed_moves(reviewer, conference)
    conference = services.do_update_conference(
        conference, {**conference_data, "venue": "省公安厅一楼"}, actor=reviewer, expected_version=1
    )
    assert conference.last_edited_by == reviewer and conference.created_by == editor
    with pytest.raises(acts.PermissionDeniedError, match=FOUR_EYES):
        services.do_publish_conference(conference, actor=reviewer, expected_version=conference.version)
    assert NOTICE in _page(client, reviewer, "detail", conference.pk)
    # The editor's transcript import is the last change now: the reviewer may publish again.
    services.do_import_transcript(
        conference, CSV.encode(), "qa.csv", actor=editor, expected_version=conference.version
    )
    conference.refresh_from_db()
    assert "publish" in CONFERENCE.allowed_moves(reviewer, conference)
    services.do_import_transcript(
        conference, CSV.encode(), "qa.csv", actor=second_reviewer, expected_version=conference.version
    )
    conference.refresh_from_db()
    assert "publish" not in CONFERENCE.allowed_moves(second_reviewer, conference)
    services.do_publish_conference(conference, actor=reviewer, expected_version=conference.version)


def test_the_corrector_of_a_withdrawn_conference_cannot_republish_it(
    client, make_conference, conference_data, editor, reviewer, second_reviewer
):
    conference = make_conference()
    conference = services.do_publish_conference(conference, actor=reviewer, expected_version=1)
    conference = services.do_withdraw_conference(
        conference, actor=reviewer, reason="日期有误", expected_version=conference.version
    )
    conference = services.do_redraft_conference(
        conference, actor=reviewer, expected_version=conference.version
    )
    conference = services.do_update_conference(
        conference,
        {**conference_data, "title": "延吉口岸签证业务启动新闻发布会（更正）"},
        actor=second_reviewer,
        expected_version=conference.version,
    )
    with pytest.raises(acts.PermissionDeniedError, match=FOUR_EYES):
        services.do_publish_conference(conference, actor=second_reviewer, expected_version=conference.version)
    html = _page(client, second_reviewer, "detail", conference.pk)
    assert PUBLISH_BUTTON not in html and NOTICE in html
    # The drafter of the first version (an editor) may still not publish; the other reviewer may.
    with pytest.raises(acts.PermissionDeniedError):
        services.do_publish_conference(conference, actor=editor, expected_version=conference.version)
    assert PUBLISH_BUTTON in _page(client, reviewer, "detail", conference.pk)
    republished = services.do_publish_conference(
        conference, actor=reviewer, expected_version=conference.version
    )
    assert republished.status == "published"


def test_a_reviewer_who_drafted_an_interpretation_cannot_publish_it(
    client, interpretation_data, reviewer, second_reviewer
):
    interpretation = services.do_create_interpretation(interpretation_data, actor=reviewer)
    with pytest.raises(acts.PermissionDeniedError, match=FOUR_EYES):
        services.do_publish_interpretation(
            interpretation, actor=reviewer, expected_version=interpretation.version
        )
    html = _page(client, reviewer, "interpretation", interpretation.pk)
    assert PUBLISH_BUTTON not in html and NOTICE in html
    client.post(
        reverse("workbench:pressroom_staff:interpretation_move", args=[interpretation.pk, "publish"]),
        {"version": interpretation.version},
    )
    assert Interpretation.objects.get(pk=interpretation.pk).status == "draft"

    html = _page(client, second_reviewer, "interpretation", interpretation.pk)
    assert PUBLISH_BUTTON in html and NOTICE not in html
    services.do_publish_interpretation(
        interpretation, actor=second_reviewer, expected_version=interpretation.version
    )
    assert Interpretation.objects.get(pk=interpretation.pk).status == "published"


def test_the_corrector_of_a_withdrawn_interpretation_cannot_republish_it(
    client, interpretation_data, editor, reviewer, second_reviewer
):
    interpretation = services.do_create_interpretation(interpretation_data, actor=editor)
    interpretation = services.do_publish_interpretation(interpretation, actor=reviewer, expected_version=1)
    interpretation = services.do_withdraw_interpretation(
        interpretation, actor=reviewer, reason="内容有误", expected_version=interpretation.version
    )
    interpretation = services.do_redraft_interpretation(
        interpretation, actor=editor, expected_version=interpretation.version
    )
    interpretation = services.do_update_interpretation(
        interpretation,
        {**interpretation_data, "body": "一、为什么启动口岸签证业务（更正）"},
        actor=reviewer,
        expected_version=interpretation.version,
    )
    assert "publish" not in INTERPRETATION.allowed_moves(reviewer, interpretation)
    with pytest.raises(acts.PermissionDeniedError, match=FOUR_EYES):
        services.do_publish_interpretation(
            interpretation, actor=reviewer, expected_version=interpretation.version
        )
    assert NOTICE in _page(client, reviewer, "interpretation", interpretation.pk)
    services.do_publish_interpretation(
        interpretation, actor=second_reviewer, expected_version=interpretation.version
    )
    assert Interpretation.objects.get(pk=interpretation.pk).status == "published"


def test_an_editor_sees_no_four_eyes_notice(client, make_conference, editor):
    conference = make_conference()
    html = _page(client, editor, "detail", conference.pk)
    assert PUBLISH_BUTTON not in html and NOTICE not in html


def test_the_migration_takes_the_last_editor_from_the_audit_trail(
    make_conference, conference_data, interpretation_data, editor, reviewer, second_reviewer
):
    from importlib import import_module

    from django.apps import apps

    fill = import_module("gongkai.pressroom.migrations.0002_last_edited_by").fill_last_edited_by
    edited = make_conference()
    edited = services.do_update_conference(edited, conference_data, actor=reviewer, expected_version=1)
    imported = make_conference(title="口岸签证通关新闻发布会")
    services.do_import_transcript(imported, CSV.encode(), "qa.csv", actor=second_reviewer, expected_version=1)
    untouched = services.do_create_interpretation(interpretation_data, actor=editor)
    Conference.objects.update(last_edited_by=None)
    Interpretation.objects.update(last_edited_by=None)
    fill(apps, None)
    assert Conference.objects.get(pk=edited.pk).last_edited_by == reviewer
    assert Conference.objects.get(pk=imported.pk).last_edited_by == second_reviewer
    assert Interpretation.objects.get(pk=untouched.pk).last_edited_by == editor
