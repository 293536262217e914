import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.pressroom import services
from gongkai.pressroom.models import Conference
from gongkai.pressroom.tests.conftest import CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_conference, editor, reviewer, interpretation_data, policy):
    conference = make_conference(release=policy.index_number)
    services.do_import_transcript(conference, CSV.encode(), "qa.csv", actor=editor, expected_version=1)
    conference.refresh_from_db()
    conference = services.do_publish_conference(
        conference, actor=reviewer, expected_version=conference.version
    )
    interpretation = services.do_create_interpretation(
        {**interpretation_data, "form": "conference", "conference": conference.pk}, actor=editor
    )
    interpretation = services.do_publish_interpretation(interpretation, actor=reviewer, expected_version=1)
    return conference, interpretation


def test_conference_page_groups_the_answers_by_speaker(client, published, policy):
    conference, interpretation = published
    page = client.get(conference.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    qa = html[html.index('class="press-speaker"') :]
    assert (
        qa.index("金明") < qa.index("口岸签证向哪些人开放") < qa.index("李华") < qa.index("通关需要多长时间")
    )
    assert "新华社记者" in html and "以本机关名义" in html
    assert interpretation.get_absolute_url() in html
    assert reverse("catalog:record", args=[policy.index_number]) in html


def test_interpretation_page_shows_the_policy_beside_it(client, published, policy):
    _conference, interpretation = published
    html = client.get(interpretation.get_absolute_url()).content.decode()
    assert policy.name in html and "阅读政策原文" in html and "为什么启动口岸签证业务" in html


def test_catalog_record_page_links_its_interpretation_and_conference(client, published, policy):
    conference, interpretation = published
    html = client.get(reverse("catalog:record", args=[policy.index_number])).content.decode()
    assert interpretation.get_absolute_url() in html and conference.get_absolute_url() in html


def test_public_sees_only_published(client, make_conference, reviewer, published):
    draft = make_conference(title="尚未召开的发布会")
    assert client.get(draft.get_absolute_url()).status_code == 404
    listing = client.get(reverse("pressroom:index"), {"year": 2015}).content.decode()
    assert "尚未召开的发布会" not in listing and "延吉口岸签证业务启动新闻发布会" in listing
    conference, interpretation = published
    services.do_withdraw_interpretation(
        interpretation, actor=reviewer, reason="有误", expected_version=interpretation.version
    )
    assert client.get(interpretation.get_absolute_url()).status_code == 410
    assert interpretation.title not in client.get(reverse("pressroom:interpretations")).content.decode()
    services.do_withdraw_conference(
        conference, actor=reviewer, reason="日期有误", expected_version=conference.version
    )
    gone = client.get(conference.get_absolute_url())
    assert (
        gone.status_code == 410
        and "日期有误" in gone.content.decode()
        and "口岸签证向哪些人开放" not in gone.content.decode()
    )


def test_list_by_year_counts_by_host(client, make_conference, reviewer):
    for n, host in enumerate(["government", "agency", "agency"]):
        c = make_conference(title=f"发布会{n}", host=host, held_on=dt.date(2015, 4, n + 1))
        services.do_publish_conference(c, actor=reviewer, expected_version=1)
    c = make_conference(title="2014年的发布会", held_on=dt.date(2014, 4, 1))
    services.do_publish_conference(c, actor=reviewer, expected_version=1)
    html = client.get(reverse("pressroom:index"), {"year": "2015"}).content.decode()
    assert "共召开 3 场，以省政府名义 1 场，以本机关名义 2 场" in html and "2014年的发布会" not in html
    assert client.get(reverse("pressroom:index"), {"year": "abc"}).status_code == 200


def test_staff_pages_and_moves(client, make_conference, editor, reviewer):
    conference = make_conference()
    client.force_login(editor)
    detail = client.get(reverse("workbench:pressroom_staff:detail", args=[conference.pk])).content.decode()
    assert "导入问答实录" in detail and "发布到门户" not in detail
    # The editor may not publish, whatever the form posts.
    client.post(reverse("workbench:pressroom_staff:move", args=[conference.pk, "publish"]), {"version": 1})
    assert Conference.objects.get(pk=conference.pk).status == "draft"
    client.force_login(reviewer)
    client.post(reverse("workbench:pressroom_staff:move", args=[conference.pk, "publish"]), {"version": 1})
    assert Conference.objects.get(pk=conference.pk).status == "published"
    for name in ("list", "interpretations", "uninterpreted", "new", "interpretation_new"):
        assert client.get(reverse(f"workbench:pressroom_staff:{name}")).status_code == 200


def test_conference_form_keeps_what_was_typed(client, editor, departments):
    client.force_login(editor)
    response = client.post(
        reverse("workbench:pressroom_staff:new"),
        {
            "title": "出入境便民措施发布会",
            "held_on": "2015-05-12",
            "host": "agency",
            "department": departments["exit_entry"].pk,
            "speakers": "金明 副局长",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "姓名|职务|所在部门" in html and "出入境便民措施发布会" in html
    assert Conference.objects.count() == 0


def test_transcript_import_page_names_the_row(client, make_conference, editor):
    conference = make_conference()
    client.force_login(editor)
    url = reverse("workbench:pressroom_staff:transcript", args=[conference.pk])
    bad = SimpleUploadedFile("qa.csv", "发言人,问题\n金明,问\n".encode())
    response = client.post(url, {"file": bad, "version": 1})
    assert response.status_code == 400 and "缺少“回答”列" in response.content.decode()
    good = SimpleUploadedFile(
        "qa.txt", "问（新华社记者）：何时启动？\n答（金明）：今天起。\n继续回答。\n".encode()
    )
    response = client.post(url, {"file": good, "version": 1})
    assert response.status_code == 302
    answer = conference.answers.get()
    assert answer.answer == "今天起。\n继续回答。" and answer.asked_by == "新华社记者"
