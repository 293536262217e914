"""Subscribers of the durable domain events (core/events.py), registered in NewmediaConfig.ready():

* `newmedia.posts.requested` (services.do_send_to_channels): one post per channel asked for, each
  with its delivery job, in one transaction;
* `catalog.record.withdrawn`: every post of the record is taken down (or cancelled if never sent).

The outbox delivers each event to each subscriber once; after a crash in the middle a handler may
run again, so both look at what is already there first (the idempotency key, the post's state).
"""

from __future__ import annotations

from django.db import transaction

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record
from gongkai.core import events
from gongkai.core.models import OutboxEvent
from gongkai.newmedia import body, delivery, tasks
from gongkai.newmedia.choices import FINAL_AFTER_WITHDRAWAL, Origin, PostState
from gongkai.newmedia.models import Channel, Post


def post_key(record: Record, channel: Channel) -> str:
    """Stable for a (record, channel): the channel recognises a repeated post by it."""
    return f"gongkai:{record.index_number}:{channel.slug}"


@events.subscribe("newmedia.posts.requested")
def create_posts(event: OutboxEvent) -> None:
    record = Record.objects.select_related("category").filter(pk=event.object_id).first()
    if record is None or record.status != Status.PUBLISHED:
        return  # withdrawn meanwhile: nothing goes out
    slugs = [str(s) for s in event.payload.get("channels", [])]
    portal_url = str(event.payload.get("portal_url", ""))
    with transaction.atomic():
        for channel in Channel.objects.filter(slug__in=slugs, active=True):
            key = post_key(record, channel)
            if (
                Post.objects.filter(idempotency_key=key).exists()
                or Post.objects.filter(record=record, channel=channel, origin=Origin.SENT).exists()
            ):
                continue
            post = Post.objects.create(
                record=record,
                channel=channel,
                origin=Origin.SENT,
                state=PostState.QUEUED,
                idempotency_key=key,
                payload=body.compose(record, channel, portal_url, key=key),
                requested_by=event.actor,
                requested_at=event.created_at,
            )
            post.job = tasks.deliver.enqueue(post=post.pk, started_by=event.actor)
            post.save(update_fields=["job"])


@events.subscribe("catalog.record.withdrawn")
def take_down_posts(event: OutboxEvent) -> None:
    with transaction.atomic():
        for post in Post.objects.filter(record_id=event.object_id).exclude(state__in=FINAL_AFTER_WITHDRAWAL):
            delivery.request_takedown(post, now=event.created_at)
