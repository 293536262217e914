"""The new-media figures of a period (core/figures.py contract): posts delivered, posts that
failed for good, and posts delivered per channel. A post counts on the Beijing day it was
delivered (`delivered_at`), whether it came through the outbox or from a channel's history."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongkai.core.figures import ITEMS, Figure, Period
from gongkai.newmedia.choices import PostState
from gongkai.newmedia.models import Channel, Post

SECTION = "newmedia.posts"


def delivered(period: Period, posts: QuerySet[Post] | None = None) -> QuerySet[Post]:
    first, after = period.bounds()
    posts = Post.objects.all() if posts is None else posts
    return posts.filter(delivered_at__gte=first, delivered_at__lt=after)


def failed(period: Period) -> QuerySet[Post]:
    """Posts given up in the period and not delivered since (a successful retry clears them)."""
    first, after = period.bounds()
    return Post.objects.filter(state=PostState.FAILED, failed_at__gte=first, failed_at__lt=after)


def per_channel(period: Period) -> dict[int, int]:
    return dict(delivered(period).values_list("channel").annotate(n=Count("id")).order_by())


def posts_url(period: Period, **filters: str) -> str:
    query = {"start": period.start.isoformat(), "end": period.end.isoformat(), **filters}
    return f"{reverse('workbench:newmedia_staff:posts')}?{urlencode(query)}"


def _objects(qs: QuerySet[Any]) -> Any:
    return lambda: qs.all()


def figures(period: Period) -> list[Figure]:
    done = delivered(period)
    gave_up = failed(period)
    counts = per_channel(period)
    result = [
        Figure.make(
            f"{SECTION}.delivered",
            _("新媒体渠道发布信息"),
            done.count(),
            ITEMS,
            section=SECTION,
            objects=_objects(done),
            staff_url=posts_url(period, state="delivered"),
        ),
        Figure.make(
            f"{SECTION}.failed",
            _("新媒体渠道推送失败"),
            gave_up.count(),
            ITEMS,
            section=SECTION,
            objects=_objects(gave_up),
            staff_url=posts_url(period, state="failed"),
        ),
    ]
    for channel in Channel.objects.order_by("position", "slug"):
        result.append(
            Figure.make(
                f"{SECTION}.channel.{channel.slug}",
                format_lazy(_("在“{name}”发布信息"), name=channel.name),
                counts.get(channel.pk, 0),
                ITEMS,
                section=SECTION,
                objects=_objects(done.filter(channel=channel)),
                staff_url=posts_url(period, state="delivered", channel=channel.slug),
            )
        )
    return result
