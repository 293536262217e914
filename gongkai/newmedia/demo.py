"""Demo data: the agency's official Weibo and WeChat accounts, and the posts of 2015 as delivered,
one for each Weibo/WeChat publication the catalog demo recorded (about 8,000), bulk-created from
those rows: nothing goes over the network while the demo loads."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Publication
from gongkai.newmedia import services
from gongkai.newmedia.choices import CatalogChannel, CutStyle, Origin, PostState
from gongkai.newmedia.models import Channel, Post

CHANNELS = [
    # slug, name, endpoint, max length, images, cut style
    ("weibo", "吉林公安政务微博", "https://api.weibo.example/gongkai/hook", 2000, True, CutStyle.BODY),
    ("wechat", "吉林公安政务微信", "https://mp.weixin.example/gongkai/hook", 5000, True, CutStyle.SUMMARY),
]


def load_demo_newmedia(
    staff: dict[str, Any], departments: dict[str, Any], progress: Callable[[str], None] = lambda _m: None
) -> dict[str, int]:
    reviewer = staff["gongkaiban"]
    channels: dict[str, Channel] = {}
    for position, (slug, name, endpoint, limit, images, cut) in enumerate(CHANNELS, start=1):
        channels[slug] = services.do_create_channel(
            {
                "slug": slug,
                "name": name,
                "catalog_channel": CatalogChannel(slug),
                "endpoint_url": endpoint,
                "secret": secrets.token_urlsafe(32),
                "max_length": limit,
                "images_allowed": images,
                "cut_style": cut,
                "position": position,
            },
            actor=reviewer,
        )
    rows = (
        Publication.objects.filter(channel__in=list(channels))
        .order_by("published_at", "id")
        .values_list(
            "pk", "record_id", "channel", "published_at", "link", "record__status", "record__withdrawn_at"
        )
    )
    posts = []
    for pk, record_id, channel, published_at, link, status, withdrawn_at in rows.iterator(chunk_size=4000):
        withdrawn = status == Status.WITHDRAWN
        posts.append(
            Post(
                record_id=record_id,
                channel=channels[channel],
                origin=Origin.RECORDED,
                state=PostState.TAKEN_DOWN if withdrawn else PostState.DELIVERED,
                idempotency_key=f"recorded:{pk}",
                payload={"action": "publish", "recorded_from": "catalog.publication", "publication": pk},
                requested_by=reviewer,
                requested_at=published_at,
                delivered_at=published_at,
                taken_down_at=withdrawn_at if withdrawn else None,
                external_url=link,
                publication_id=pk,
            )
        )
    Post.objects.bulk_create(posts, batch_size=2000)
    progress(f"new-media channels: {len(channels)}, posts: {len(posts)}")
    return {"channels": len(channels), "posts": len(posts)}
