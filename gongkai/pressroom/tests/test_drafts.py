"""A conference or interpretation typed when the session ended comes back after logging in (core/drafts.py)."""

from django.urls import reverse

from gongkai.core.tests.drafts_support import back_after_login, log_in, save_after_expiry
from gongkai.pressroom.models import Conference, Interpretation


def conference_fields(departments):
    return {
        "title": "出入境便民措施新闻发布会",
        "held_on": "2015-05-12",
        "host": "agency",
        "venue": "省公安厅新闻发布厅",
        "department": departments["exit_entry"].pk,
        "topics": "便民措施一\n便民措施二",
        "speakers": "金明|副局长|出入境管理局",
        "summary": "介绍十项便民措施。",
    }


def test_a_new_conference_typed_when_the_session_ended_comes_back(client, editor, departments):
    url = reverse("workbench:pressroom_staff:new")
    save_after_expiry(client, editor, url, conference_fields(departments))
    page = back_after_login(client, "editor", url)
    assert 'value="出入境便民措施新闻发布会"' in page and 'value="2015-05-12"' in page
    assert "便民措施一\n便民措施二" in page and "金明|副局长|出入境管理局" in page
    assert not Conference.objects.exists()  # nothing saved behind their back


def test_a_conference_edit_comes_back_with_its_version(client, editor, departments, make_conference):
    conference = make_conference()
    url = reverse("workbench:pressroom_staff:edit", args=[conference.pk])
    data = {**conference_fields(departments), "title": "改过的发布会标题", "version": conference.version}
    save_after_expiry(client, editor, url, data)
    page = back_after_login(client, "editor", url)
    assert 'value="改过的发布会标题"' in page
    assert f'name="version" value="{conference.version}"' in page
    conference.refresh_from_db()
    assert conference.title != "改过的发布会标题"


def test_someone_else_logging_in_never_sees_the_conference(client, editor, other_editor, departments):
    url = reverse("workbench:pressroom_staff:new")
    save_after_expiry(client, editor, url, conference_fields(departments))
    log_in(client, "traffic_editor")
    page = client.get(url).content.decode()
    assert "已恢复" not in page and "出入境便民措施新闻发布会" not in page


def test_a_new_interpretation_comes_back(client, editor, departments, policy):
    url = reverse("workbench:pressroom_staff:interpretation_new")
    data = {
        "title": "《通告》解读",
        "form": "text",
        "policy": policy.index_number,
        "body": "一、为什么\n二、谁可以申请",
        "department": departments["exit_entry"].pk,
    }
    save_after_expiry(client, editor, url, data)
    page = back_after_login(client, "editor", url)
    assert 'value="《通告》解读"' in page and "一、为什么\n二、谁可以申请" in page
    assert not Interpretation.objects.exists()


def test_an_interpretation_edit_comes_back(client, editor, departments, policy, interpretation_data):
    from gongkai.pressroom import services

    interpretation = services.do_create_interpretation(interpretation_data, actor=editor)
    url = reverse("workbench:pressroom_staff:interpretation_edit", args=[interpretation.pk])
    data = {
        "title": "改过的解读标题",
        "form": "text",
        "policy": policy.index_number,
        "body": "新的正文",
        "department": departments["exit_entry"].pk,
        "version": interpretation.version,
    }
    save_after_expiry(client, editor, url, data)
    page = back_after_login(client, "editor", url)
    assert 'value="改过的解读标题"' in page and "新的正文" in page
    assert f'name="version" value="{interpretation.version}"' in page
