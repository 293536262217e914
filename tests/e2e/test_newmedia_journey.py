"""A member of the office publishes a police alert to the portal and two channels in one step; one
channel (a real local HTTP server) is down, the failure is on the workbench, and a retry delivers
it. Jobs run in-process (Huey's immediate mode) behind each request, as in the other journeys."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor_to_publication import PASSWORD, both_widths, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SECRET = "journey-channel-secret"


@pytest.fixture
def channel_server():
    from gongkai.newmedia.tests.channel_server import ChannelServer

    with ChannelServer(secret=SECRET, slow_seconds=0.3) as server:
        yield server


def test_an_alert_goes_to_the_portal_and_two_channels_and_a_failed_channel_is_retried(
    live_server, new_context, shot, editor, reviewer, channel_server
):
    from gongkai.newmedia import services
    from gongkai.newmedia.models import Post
    from gongkai.newmedia.tests.conftest import approved_alert

    for slug, name in (("weibo", "吉林公安政务微博"), ("wechat", "吉林公安政务微信")):
        services.do_create_channel(
            {
                "slug": slug,
                "name": name,
                "catalog_channel": slug,
                "endpoint_url": channel_server.url(f"/{slug}"),
                "secret": SECRET,
                "max_length": 140,
                "timeout_seconds": 2,
            },
            actor=reviewer,
        )
    alert = approved_alert(editor, reviewer, name="警方提示：春节期间谨防电信网络诈骗")
    channel_server.script("/wechat", ["fail", "slow"])  # down now, back (slowly) for the retry

    base = live_server.url
    page = new_context()
    log_in(page, base, "reviewer", PASSWORD)
    page.goto(f"{base}/workbench/records/{alert.pk}/")
    panel = page.locator("section.newmedia-panel")
    expect(panel.get_by_role("group", name="一步发布：门户网站，并推送到")).to_be_visible()
    both_widths(page, shot, "record-before")
    panel.get_by_label("吉林公安政务微博").check()
    panel.get_by_label("吉林公安政务微信").check()
    panel.get_by_role("button", name="发布并推送").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").first).to_contain_text("已发布到门户网站，并提交推送到")
    rows = panel.locator("tbody tr")
    expect(rows.filter(has_text="吉林公安政务微博")).to_contain_text("已发布")
    expect(rows.filter(has_text="吉林公安政务微信")).to_contain_text("推送失败，等待重试")
    expect(
        rows.filter(has_text="吉林公安政务微博").get_by_role("link", name="https://channel.example/weibo/p1")
    ).to_be_visible()
    both_widths(page, shot, "record-after")

    # The visitor sees the alert on the portal.
    visitor = new_context()
    visitor.goto(base + alert.get_absolute_url())
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("谨防电信网络诈骗")

    # The failure is on the workbench, with the channel's answer.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="新媒体").click()
    expect(page.get_by_role("heading", level=1, name="新媒体渠道")).to_be_visible()
    both_widths(page, shot, "channels")
    page.get_by_role("link", name="1 条推送失败，待处理").click()
    expect(page.get_by_role("heading", level=1, name="推送失败")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text="吉林公安政务微信")
    expect(row).to_contain_text("HTTP 503")
    both_widths(page, shot, "failures")
    row.get_by_role("button", name="立即重试").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").first).to_contain_text("已重新提交推送")
    expect(page.locator("tbody")).to_contain_text("没有失败的推送。")

    wechat = Post.objects.get(channel__slug="wechat")
    assert wechat.state == "delivered" and wechat.attempts == 2
    assert len(channel_server.posts) == 2 and all(r.signed for r in channel_server.seen)
    page.goto(f"{base}/workbench/channels/posts/{wechat.pk}/")
    expect(page.locator("table").last).to_contain_text("渠道返回错误")
    expect(page.locator("table").last).to_contain_text("成功")
    both_widths(page, shot, "post")
    for path, name in (
        ("/workbench/channels/posts/", "posts"),
        ("/workbench/channels/stats/", "stats"),
        ("/workbench/channels/c/weibo/edit/", "channel-form"),
    ):
        page.goto(base + path)
        both_widths(page, shot, name)
