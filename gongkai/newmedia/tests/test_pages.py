"""The workbench pages: channels and their settings (the secret never shown), the posts, the
failures with their retry button, the counts, and the record page's one-step publication."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog.models import Publication
from gongkai.core.models import AuditEvent, OutboxEvent
from gongkai.newmedia.models import Channel, Post
from gongkai.newmedia.tests.conftest import PORTAL, SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, reviewer):
    client.force_login(reviewer)
    return client


def test_the_office_creates_a_channel_whose_secret_is_sealed_and_never_shown(office, channel_server):
    url = reverse("workbench:newmedia_staff:channel_new")
    data = {
        "slug": "douyin",
        "name": "政务抖音",
        "adapter": "webhook_json",
        "catalog_channel": "other",
        "endpoint_url": channel_server.url("/douyin"),
        "secret": "a-long-shared-secret",
        "max_length": "500",
        "cut_style": "summary",
        "timeout_seconds": "5",
        "active": "on",
        "position": "3",
    }
    response = office.post(url, data)
    assert response.status_code == 302
    channel = Channel.objects.get(slug="douyin")
    assert channel.secret == "a-long-shared-secret"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM newmedia_channel WHERE slug = 'douyin'")
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1$") and "a-long-shared-secret" not in stored
    page = office.get(channel.get_absolute_url()).content.decode()
    assert "a-long-shared-secret" not in page and "政务抖音" in page
    edit = office.get(reverse("workbench:newmedia_staff:channel_edit", args=["douyin"])).content.decode()
    assert "a-long-shared-secret" not in edit
    event = AuditEvent.objects.get(action="newmedia.channel.created")
    assert "a-long-shared-secret" not in str(event.after)


def test_bad_channel_settings_are_refused_with_what_was_typed_kept(office):
    url = reverse("workbench:newmedia_staff:channel_new")
    response = office.post(
        url,
        {
            "slug": "Bad Slug",
            "name": "某渠道",
            "adapter": "webhook_json",
            "catalog_channel": "other",
            "endpoint_url": "ftp://x",
            "secret": "",
            "max_length": "20",
            "cut_style": "body",
            "timeout_seconds": "0",
            "position": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "某渠道" in page
    assert Channel.objects.count() == 0
    for field in ("slug", "endpoint_url", "max_length", "timeout_seconds", "secret"):
        assert field in response.context["form"].errors


def test_editing_keeps_the_secret_when_left_blank_and_refuses_a_stale_version(office, channels):
    weibo = channels["weibo"]
    url = reverse("workbench:newmedia_staff:channel_edit", args=["weibo"])
    form = office.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "slug"}
    data.update(name="吉林公安微博", active="on", secret="", version=weibo.version)
    data.pop("images_allowed", None)
    assert office.post(url, data).status_code == 302
    weibo.refresh_from_db()
    assert weibo.name == "吉林公安微博" and weibo.secret == SECRET
    stale = office.post(url, {**data, "name": "又改了"})  # the version it was opened at
    assert stale.status_code == 200 and "已被他人处理或修改" in stale.content.decode()


def test_an_editor_may_read_but_not_configure_channels(client, editor, channels):
    client.force_login(editor)
    assert client.get(reverse("workbench:newmedia_staff:channels")).status_code == 200
    assert client.get(reverse("workbench:newmedia_staff:channel_new")).status_code == 403


def test_one_step_publishes_a_police_alert_to_the_portal_and_two_channels(
    office, alert, channels, channel_server, django_capture_on_commit_callbacks
):
    record_page = reverse("workbench:record", args=[alert.pk])
    page = office.get(record_page).content.decode()
    assert "发布并推送" in page and 'value="weibo"' in page and 'value="wechat"' in page
    channel_server.script("/wechat", ["reject"])
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(
            reverse("workbench:newmedia_staff:record_send", args=[alert.pk]),
            {"version": alert.version, "channels": ["weibo", "wechat"]},
        )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "published"
    states = dict(Post.objects.values_list("channel__slug", "state"))
    assert states == {"weibo": "delivered", "wechat": "failed"}
    page = office.get(record_page).content.decode()
    assert "已发布" in page and "推送失败" in page
    failures = office.get(reverse("workbench:newmedia_staff:failures")).content.decode()
    assert "立即重试" in failures and "HTTP 400" in failures
    wechat = Post.objects.get(channel__slug="wechat")
    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            reverse("workbench:newmedia_staff:post_retry", args=[wechat.pk]),
            {"version": wechat.version, "next": "failures"},
        )
    wechat.refresh_from_db()
    assert wechat.state == "delivered"
    assert Publication.objects.filter(record=alert).count() == 3  # portal, weibo, wechat
    assert "没有失败的推送" in office.get(reverse("workbench:newmedia_staff:failures")).content.decode()


def test_no_channel_ticked_publishes_nothing(office, alert, channels):
    response = office.post(
        reverse("workbench:newmedia_staff:record_send", args=[alert.pk]), {"version": alert.version}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "approved"


def test_an_editor_cannot_send_and_the_record_stays_unpublished(client, editor, alert, channels):
    client.force_login(editor)
    assert "发布并推送" not in client.get(reverse("workbench:record", args=[alert.pk])).content.decode()
    client.post(
        reverse("workbench:newmedia_staff:record_send", args=[alert.pk]),
        {"version": alert.version, "channels": ["weibo"]},
    )
    alert.refresh_from_db()
    assert alert.status == "approved" and not Post.objects.exists()


def test_the_lists_and_the_counts_render(
    office, reviewer, published_alert, channels, django_capture_on_commit_callbacks
):
    from gongkai.newmedia import services

    with django_capture_on_commit_callbacks(execute=True):
        services.do_send_to_channels(published_alert, channels.values(), actor=reviewer, portal_url=PORTAL)
    post = Post.objects.first()
    assert post is not None
    for name, kwargs in (
        ("channels", {}),
        ("posts", {}),
        ("failures", {}),
        ("stats", {}),
        ("channel", {"slug": "weibo"}),
        ("post", {"pk": post.pk}),
    ):
        response = office.get(reverse(f"workbench:newmedia_staff:{name}", kwargs=kwargs))
        assert response.status_code == 200, name
    stats = office.get(reverse("workbench:newmedia_staff:stats")).content.decode()
    assert "newmedia.posts.channel.weibo" in stats and "<svg" in stats
    posts = office.get(reverse("workbench:newmedia_staff:posts"), {"state": "delivered", "channel": "weibo"})
    assert posts.context["count"] == 1
    bad = office.get(reverse("workbench:newmedia_staff:posts"), {"start": "2026-13-01", "end": "x"})
    assert bad.status_code == 200


def test_posts_link_to_the_configured_portal_address_not_the_staff_host(
    office, alert, channels, channel_server, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://gongkai.example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            reverse("workbench:newmedia_staff:record_send", args=[alert.pk]),
            {"version": alert.version, "channels": ["weibo"]},
        )
    event = OutboxEvent.objects.filter(code="newmedia.posts.requested").latest("pk")
    assert event.payload["portal_url"] == "https://gongkai.example.gov.cn"
