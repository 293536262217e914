"""Figures of the new-media posts for any period, traceable to what they count; the demo's posts
match the catalog demo's Weibo and WeChat publications."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core import figures as core_figures
from gongkai.core.figures import Period
from gongkai.newmedia import stats
from gongkai.newmedia.models import Post
from gongkai.newmedia.tests.conftest import PORTAL

pytestmark = pytest.mark.django_db


def test_the_figures_count_what_they_list_in_any_period(
    published_alert, channels, reviewer, channel_server, django_capture_on_commit_callbacks
):
    from gongkai.newmedia import services

    channel_server.script("/wechat", ["reject"])
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send_to_channels(published_alert, channels.values(), actor=reviewer, portal_url=PORTAL)
    today = dt.date.today()
    values = {
        f.code: f
        for f in core_figures.collect(
            Period(today - dt.timedelta(days=1), today + dt.timedelta(days=1)), apps=["newmedia"]
        )
    }
    assert values["newmedia.posts.delivered"].value == 1
    assert values["newmedia.posts.failed"].value == 1
    assert values["newmedia.posts.channel.weibo"].value == 1
    assert values["newmedia.posts.channel.wechat"].value == 0
    for figure in values.values():
        assert figure.counts_objects and figure.objects is not None
        assert figure.objects().count() == figure.value, figure.code
        assert figure.staff_url and figure.staff_url.startswith("/workbench/channels/posts/")
    empty = {f.code: f.value for f in stats.figures(Period.year(2015))}
    assert empty["newmedia.posts.delivered"] == 0 and empty["newmedia.posts.failed"] == 0


def test_the_demo_posts_match_the_catalog_demo_channel_publications():
    from gongkai.catalog.models import Publication
    from gongkai.portal.demo import load_demo

    load_demo()
    year = {f.code: f for f in stats.figures(Period.year(2015))}
    weibo = Publication.objects.filter(channel="weibo", published_at__year=2015).count()
    wechat = Publication.objects.filter(channel="wechat", published_at__year=2015).count()
    assert weibo + wechat >= 8000
    assert year["newmedia.posts.channel.weibo"].value == Post.objects.filter(channel__slug="weibo").count()
    assert year["newmedia.posts.delivered"].value == Post.objects.count() == weibo + wechat
    assert year["newmedia.posts.channel.wechat"].value == wechat
    assert year["newmedia.posts.failed"].value == 0
    assert not Post.objects.exclude(publication__isnull=False).exists()
    # The record the demo withdrew has its posts taken down; no takedown went out (no network).
    taken = Post.objects.filter(state="taken_down")
    assert all(p.record.status == "withdrawn" for p in taken)
    assert not Post.objects.filter(job__isnull=False).exists()
