"""New-media services: the only code that changes channels and posts on someone's behalf. Who may
act is the workflows' (workflows.py); each act is one transaction and one audit event.

Sending a record to channels records the act `newmedia.posts.requested` on the record; its domain
event feeds the outbox, whose subscriber (receivers.create_posts) writes the posts and their
delivery jobs. Publishing to the portal and sending to channels can be one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.catalog import services as catalog_services
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record
from gongkai.core import acts, clock
from gongkai.core.audit import register_action_labels
from gongkai.newmedia import tasks
from gongkai.newmedia.choices import Origin
from gongkai.newmedia.models import Channel, Post
from gongkai.newmedia.workflows import CHANNEL, POST, SEND

NewmediaError = acts.ActError

CHANNEL_FIELDS = (
    "slug",
    "name",
    "adapter",
    "catalog_channel",
    "endpoint_url",
    "max_length",
    "images_allowed",
    "cut_style",
    "timeout_seconds",
    "active",
    "position",
)

register_action_labels(
    {
        "newmedia.channel.created": CHANNEL.move("create").label,  # type: ignore[dict-item]
        "newmedia.channel.updated": CHANNEL.move("update").label,  # type: ignore[dict-item]
        "newmedia.posts.requested": SEND.move("send").label,  # type: ignore[dict-item]
        "newmedia.post.retried": POST.move("retry").label,  # type: ignore[dict-item]
        "newmedia.post.takedown_retried": POST.move("retry_takedown").label,  # type: ignore[dict-item]
    }
)


def snapshot(channel: Channel) -> dict[str, Any]:
    """What the audit trail keeps of a channel: everything but the secret."""
    return {name: getattr(channel, name) for name in CHANNEL_FIELDS}


def _field_label(name: str) -> str:
    return str(getattr(Channel._meta.get_field(name), "verbose_name", name))


def _validated(channel: Channel) -> None:
    try:
        channel.full_clean(exclude=["created_at", "updated_at", "updated_by", "version"])
    except ValidationError as exc:
        messages = [
            f"{_field_label(name)}：{message}" if name != "__all__" else message
            for name, found in exc.message_dict.items()
            for message in found
        ]
        raise NewmediaError("；".join(messages)) from exc


def do_create_channel(data: dict[str, Any], *, actor: User, now: dt.datetime | None = None) -> Channel:
    now = now or clock.now()
    acts.guard(CHANNEL, actor, Channel(), "create")
    if not str(data.get("secret") or "").strip():
        raise NewmediaError(_("请填写共享密钥。"))
    channel = Channel(
        **{k: v for k, v in data.items() if k in CHANNEL_FIELDS},
        secret=str(data["secret"]).strip(),
        created_at=now,
        updated_at=now,
        updated_by=actor,
    )
    _validated(channel)
    with transaction.atomic():
        if Channel.objects.filter(slug=channel.slug).exists():
            raise NewmediaError(_("代码“%(slug)s”已被其他渠道使用。") % {"slug": channel.slug})
        channel.save()
        acts.record_act("newmedia.channel.created", channel, actor=actor, after=snapshot(channel), at=now)
    return channel


def do_update_channel(
    channel: Channel, data: dict[str, Any], *, actor: User, expected_version: int | None
) -> Channel:
    """A blank secret keeps the one stored; the slug does not change (figures and posts name it)."""
    before = snapshot(channel)
    secret = str(data.get("secret") or "").strip()

    def change(locked: Channel) -> None:
        for name in CHANNEL_FIELDS:
            if name != "slug" and name in data:
                setattr(locked, name, data[name])
        if secret:
            locked.secret = secret
        locked.updated_by = actor
        _validated(locked)

    return acts.perform(
        CHANNEL,
        channel,
        "update",
        actor=actor,
        version=expected_version,
        apply=change,
        before=before,
        after=lambda locked, _v: {**snapshot(locked), "secret_changed": bool(secret)},
        what=_("该渠道"),
    ).obj


def may_send(actor: User, record: Record) -> bool:
    return SEND.may(actor, record, "send")


def do_send_to_channels(
    record: Record,
    channels: Iterable[Channel],
    *,
    actor: User,
    portal_url: str,
    now: dt.datetime | None = None,
) -> list[str]:
    """Ask for `record` to be posted to `channels` (active ones, not posted before); returns the
    slugs asked for. The posts are written by the outbox's subscriber after commit."""
    chosen = list(channels)
    if not chosen:
        raise NewmediaError(_("请至少选择一个新媒体渠道。"))
    with transaction.atomic():
        locked = Record.objects.select_for_update().get(pk=record.pk)
        acts.guard(SEND, actor, locked, "send")
        if locked.status != Status.PUBLISHED:
            raise NewmediaError(_("信息发布后才能推送到新媒体渠道。"))
        inactive = [c.name for c in chosen if not c.active]
        if inactive:
            raise NewmediaError(_("渠道未启用：%(names)s。") % {"names": "、".join(inactive)})
        sent = set(
            Post.objects.filter(record=locked, channel__in=chosen, origin=Origin.SENT).values_list(
                "channel__name", flat=True
            )
        )
        if sent:
            raise NewmediaError(
                _("该信息已推送到：%(names)s；同一信息在同一渠道只推送一次。")
                % {"names": "、".join(sorted(sent))}
            )
        slugs = [c.slug for c in chosen]
        acts.record_act(
            "newmedia.posts.requested",
            locked,
            actor=actor,
            after={"channels": slugs, "portal_url": portal_url},
            at=now,
        )
    return slugs


def do_publish_and_send(
    record: Record,
    channels: Iterable[Channel],
    *,
    actor: User,
    expected_version: int | None,
    portal_url: str,
) -> Record:
    """One step for a police alert or a news release: publish an approved record on the portal and
    send it to the channels chosen, or send an already published one. All or nothing."""
    chosen = list(channels)
    if not chosen:
        raise NewmediaError(_("请至少选择一个新媒体渠道。"))
    with transaction.atomic():
        if record.status == Status.APPROVED:
            # The sender must be allowed both acts: refuse before publishing anything.
            acts.guard(SEND, actor, record, "send")
            record = catalog_services.do_publish_record(
                record, actor=actor, expected_version=expected_version
            )
        do_send_to_channels(record, chosen, actor=actor, portal_url=portal_url)
    return record


def do_retry_post(post: Post, *, actor: User, expected_version: int | None) -> Post:
    """Send a failed post (or a failed takedown) again now, under the same idempotency key; the
    run waiting for its back-off, if any, is superseded and does nothing."""
    move = "retry_takedown" if post.state == "takedown_failed" else "retry"
    job = tasks.take_down if move == "retry_takedown" else tasks.deliver

    def change(locked: Post) -> int:
        run = job.enqueue(post=locked.pk, started_by=actor)
        locked.job = run
        locked.next_attempt_at = None
        locked.failed_at = None
        return run.pk

    return acts.perform(
        POST,
        post,
        move,
        actor=actor,
        version=expected_version,
        apply=change,
        before={"state": post.state, "attempts": post.attempts, "error": post.last_error[:500]},
        after=lambda locked, run: {"state": locked.state, "job": run, "channel": locked.channel.slug},
        what=_("该推送"),
    ).obj
