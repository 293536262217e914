import datetime as dt

import pytest

from gongkai.newmedia.tests.channel_server import ChannelServer

SECRET = "channel-shared-secret"
PORTAL = "https://gongkai.example"


@pytest.fixture
def channel_server():
    with ChannelServer(secret=SECRET, slow_seconds=1.5) as server:
        yield server


def make_channel(reviewer, server, slug, **extra):
    from gongkai.newmedia import services

    data = {
        "slug": slug,
        "name": {"weibo": "政务微博", "wechat": "政务微信"}.get(slug, slug),
        "catalog_channel": slug if slug in ("weibo", "wechat") else "other",
        "endpoint_url": server.url(f"/{slug}"),
        "secret": SECRET,
        "max_length": 2000,
        "timeout_seconds": 1,
        **extra,
    }
    return services.do_create_channel(data, actor=reviewer)


@pytest.fixture
def channels(reviewer, channel_server):
    return {slug: make_channel(reviewer, channel_server, slug) for slug in ("weibo", "wechat")}


def approved_alert(editor, reviewer, name="关于春节期间防范电信诈骗的警方提示"):
    from gongkai.catalog import services
    from gongkai.catalog.models import Category

    record = services.do_create_record(
        {
            "name": name,
            "summary": "春节将至，警方提示群众防范冒充客服、刷单返利等电信网络诈骗。",
            "body": "<p>" + "近期冒充客服退款、刷单返利类诈骗案件多发。" * 20 + "</p>",
            "formed_on": dt.date(2026, 1, 5),
            "issuer": "吉林省公安厅",
            "category": Category.objects.get(code="alerts"),
            "department": editor.department,
        },
        actor=editor,
    )
    record = services.do_submit_record(record, actor=editor, expected_version=record.version)
    return services.do_approve_record(record, actor=reviewer, expected_version=record.version)


@pytest.fixture
def alert(editor, reviewer):
    return approved_alert(editor, reviewer)


@pytest.fixture
def published_alert(alert, reviewer):
    from gongkai.catalog import services

    return services.do_publish_record(alert, actor=reviewer, expected_version=alert.version)
