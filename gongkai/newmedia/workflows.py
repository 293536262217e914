"""The new-media workflows for the act kernel (`gongkai.core.acts`): configuring a channel (the
disclosure office, which runs the official accounts; the three administrators make no act of
the agency), sending a published record to channels and
retrying a failed post (the office, which runs the official accounts)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record
from gongkai.core import acts
from gongkai.newmedia.choices import TAKEDOWN_SENDABLE, PostState
from gongkai.newmedia.models import Channel, Post

OFFICE = (acts.permit(Role.REVIEWER),)
OFFICE_ONLY = _("只有公开办审核员可以向新媒体渠道推送信息或重试推送。")


def _publishable(actor: User | None, record: Record) -> str | None:
    if record.status not in (Status.PUBLISHED, Status.APPROVED):
        return str(_("只有已发布（或审核通过待发布）的信息可以推送到新媒体渠道。"))
    return None


def _status_label(status: str) -> str:
    return str(PostState(status).label)


CHANNEL: acts.Workflow[Channel] = acts.register(
    acts.Workflow(
        code="newmedia.channel",
        model=Channel,
        status_field=None,
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "create",
                    "newmedia.channel.created",
                    _("新建渠道"),
                    OFFICE,
                    refusal=_("只有公开办审核员可以配置新媒体渠道。"),
                ),
                acts.Move(
                    "update",
                    "newmedia.channel.updated",
                    _("修改渠道"),
                    OFFICE,
                    refusal=_("只有公开办审核员可以配置新媒体渠道。"),
                ),
            )
        },
    )
)

# Sending is an act on the record (its status does not change): guarded here, recorded with
# acts.record_act, whose domain event feeds the outbox (receivers.create_posts).
SEND: acts.Workflow[Record] = acts.register(
    acts.Workflow(
        code="newmedia.record",
        model=Record,
        status_field=None,
        moves={
            "send": acts.Move(
                "send",
                "newmedia.posts.requested",
                _("推送到新媒体渠道"),
                OFFICE,
                check=_publishable,
                refusal=OFFICE_ONLY,
            )
        },
    )
)

POST: acts.Workflow[Post] = acts.register(
    acts.Workflow(
        code="newmedia.post",
        model=Post,
        status_field="state",
        status_label=_status_label,
        transitions={
            PostState.QUEUED: frozenset({PostState.RETRYING, PostState.DELIVERED, PostState.FAILED}),
            PostState.RETRYING: frozenset({PostState.QUEUED, PostState.DELIVERED, PostState.FAILED}),
            PostState.FAILED: frozenset({PostState.QUEUED}),
            PostState.TAKEDOWN_FAILED: frozenset(TAKEDOWN_SENDABLE),
            # What the takedown job makes of a pending takedown.
            PostState.TAKEDOWN_PENDING: frozenset({PostState.TAKEN_DOWN, PostState.TAKEDOWN_FAILED}),
        },
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "retry",
                    "newmedia.post.retried",
                    _("重新推送"),
                    OFFICE,
                    sources=frozenset({PostState.FAILED, PostState.RETRYING}),
                    target=PostState.QUEUED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "retry_takedown",
                    "newmedia.post.takedown_retried",
                    _("重新撤下"),
                    OFFICE,
                    sources=frozenset({PostState.TAKEDOWN_FAILED}),
                    target=PostState.TAKEDOWN_PENDING,
                    refusal=OFFICE_ONLY,
                ),
            )
        },
    )
)
