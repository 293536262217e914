"""The new-media routes in the URL access matrix: every member of staff reads the channels, posts,
failures and counts; the office (reviewer) configures channels; only
the office sends records to channels and retries a failed post (workflows.py)."""

from __future__ import annotations

from typing import Any

from tests.url_rules import STAFF, Staff

MANAGERS = frozenset({"reviewer"})
OFFICE = frozenset({"reviewer"})

ROUTES: dict[str, Staff] = {
    "workbench:newmedia_staff:channels": Staff(STAFF),
    "workbench:newmedia_staff:channel_new": Staff(MANAGERS, post=MANAGERS),
    "workbench:newmedia_staff:channel": Staff(STAFF),
    "workbench:newmedia_staff:channel_edit": Staff(MANAGERS, post=MANAGERS),
    "workbench:newmedia_staff:posts": Staff(STAFF),
    "workbench:newmedia_staff:post": Staff(STAFF),
    "workbench:newmedia_staff:post_retry": Staff(frozenset(), post=OFFICE),
    "workbench:newmedia_staff:failures": Staff(STAFF),
    "workbench:newmedia_staff:stats": Staff(STAFF),
    "workbench:newmedia_staff:record_send": Staff(frozenset(), post=OFFICE),
}

POST_DATA: dict[str, Any] = {
    "slug": "probe",
    "adapter": "webhook_json",
    "catalog_channel": "other",
    "endpoint_url": "https://channel.example/hook",
    "secret": "probe-secret",
    "max_length": 500,
    "cut_style": "body",
    "timeout_seconds": 5,
    "position": 0,
    "channels": ["matrix"],
}


def build(world: Any) -> None:
    """A channel nobody answers at, and a post to it whose first attempt failed (waiting to retry)."""
    from gongkai.core import jobs
    from gongkai.core.events import deliver_event
    from gongkai.core.models import OutboxEvent
    from gongkai.newmedia import services
    from gongkai.newmedia.models import Post

    reviewer = world.people["reviewer"]
    channel = services.do_create_channel(
        {
            "slug": "matrix",
            "name": "矩阵渠道",
            "endpoint_url": "http://127.0.0.1:9/hook",
            "secret": "matrix-secret",
            "timeout_seconds": 1,
        },
        actor=reviewer,
    )
    services.do_send_to_channels(
        world.objects["published"], [channel], actor=reviewer, portal_url="https://x.example"
    )
    deliver_event.func(event=OutboxEvent.objects.filter(code="newmedia.posts.requested").latest("pk").pk)
    post = Post.objects.get(channel=channel)
    assert post.job_id is not None
    jobs.execute(post.job_id)
    post.refresh_from_db()
    world.objects.update(newmedia_channel=channel, newmedia_post=post)


def kwargs(world: Any, name: str) -> dict[str, Any] | None:
    if name not in ROUTES:
        return None
    table: dict[str, dict[str, Any]] = {
        "workbench:newmedia_staff:channel": {"slug": world.objects["newmedia_channel"].slug},
        "workbench:newmedia_staff:channel_edit": {"slug": world.objects["newmedia_channel"].slug},
        "workbench:newmedia_staff:post": {"pk": world.objects["newmedia_post"].pk},
        "workbench:newmedia_staff:post_retry": {"pk": world.objects["newmedia_post"].pk},
        "workbench:newmedia_staff:record_send": {"pk": world.objects["published"].pk},
    }
    return table.get(name, {})


def fingerprint() -> tuple[Any, ...]:
    from gongkai.newmedia.models import Channel, Post

    return (
        sorted(Channel.objects.values_list("pk", "version", "name")),
        sorted(Post.objects.values_list("pk", "version", "state", "job")),
    )
