"""Delivering posts: one attempt per run of a delivery job (tasks.py), and the takedowns a
withdrawal asks for.

Durability is the job runner's (core/jobs.py): a post's run is a `JobRun` written in the same
transaction as the post, claimed once, re-queued by the sweep when its worker dies, retried with
doubling back-off after a transient failure. What this module adds:

* the run that may act on a post is `post.job`: a run superseded by a staff retry or by a takedown
  does nothing;
* every attempt is a committed `PostAttempt` row *before* the request goes out, so an attempt cut
  short by a kill stays visible (no outcome);
* every attempt of a post sends the same body under the same idempotency key: a channel that saw
  the first attempt answers the retry with the post it already made, and posts nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalog import services as catalog_services
from gongkai.catalog.choices import Status
from gongkai.core import acts, clock, jobs
from gongkai.core.audit import register_action_labels
from gongkai.newmedia.adapters import Result, adapter_for
from gongkai.newmedia.choices import (
    SENDABLE,
    TAKEDOWN_SENDABLE,
    AttemptKind,
    PostState,
)
from gongkai.newmedia.models import Post, PostAttempt

logger = logging.getLogger(__name__)

# The job runner retries a failed attempt this many times, after 30 s, 1, 2, 4 and 8 minutes.
RETRIES = 5
RETRY_DELAY = 30.0

register_action_labels(
    {
        "newmedia.post.delivered": gettext_lazy("新媒体渠道已发布"),
        "newmedia.post.failed": gettext_lazy("新媒体推送失败"),
        "newmedia.post.taken_down": gettext_lazy("新媒体渠道已撤下"),
        "newmedia.post.takedown_failed": gettext_lazy("新媒体撤下失败"),
    }
)


class AttemptFailed(Exception):
    """A transient failure: the job runner tries again later."""


def attempt(post_pk: int, kind: str) -> None:
    """One attempt to deliver (or take down) post `post_pk` by the current run."""
    run = jobs.current_run()
    run_pk = run.pk if run is not None else None
    sendable = SENDABLE if kind == AttemptKind.PUBLISH else TAKEDOWN_SENDABLE
    now = clock.now()
    with transaction.atomic():
        claimed = Post.objects.filter(pk=post_pk, job_id=run_pk, state__in=sendable).update(
            attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=None
        )
        if not claimed:
            return  # done, cancelled, or superseded by a retry or a takedown
        post = Post.objects.select_related("channel", "record").get(pk=post_pk)
        if kind == AttemptKind.PUBLISH and post.record.status != Status.PUBLISHED:
            Post.objects.filter(pk=post_pk, job_id=run_pk).update(
                state=PostState.CANCELLED,
                attempts=F("attempts") - 1,
                note=_("信息已不在公开状态，未推送。"),
                version=F("version") + 1,
            )
            return
        row = PostAttempt.objects.create(
            post=post,
            kind=kind,
            number=post.attempts,
            started_at=now,
            job_run=run_pk,
            worker=jobs.worker_id(),
        )
    if kind == AttemptKind.PUBLISH:
        result = adapter_for(post.channel).send(post.channel, kind, post.idempotency_key, post.payload)
    else:
        result = adapter_for(post.channel).send(post.channel, kind, post.takedown_key, _takedown_body(post))
    last = run is None or run.attempts >= run.max_attempts
    final = _finish(post, row, result, kind, run_pk, last=last, run_attempt=run.attempts if run else 1)
    if not result.ok and not final:
        raise AttemptFailed(result.error or result.outcome)


def _takedown_body(post: Post) -> dict[str, object]:
    return {
        "action": "takedown",
        "idempotency_key": post.idempotency_key,
        "channel": post.channel.slug,
        "external_id": post.external_id,
        "record": {"index_number": post.record.index_number},
        "reason": post.record.withdrawal_reason,
    }


def _finish(
    post: Post,
    row: PostAttempt,
    result: Result,
    kind: str,
    run_pk: int | None,
    *,
    last: bool,
    run_attempt: int,
) -> bool:
    """Record the attempt and the post's new state; True when nothing more will be tried."""
    now = clock.now()
    final = result.ok or not result.transient or last
    with transaction.atomic():
        PostAttempt.objects.filter(pk=row.pk).update(
            finished_at=now,
            outcome=result.outcome,
            http_status=result.status,
            duration_ms=result.duration_ms,
            error=result.error,
            response=result.response,
        )
        mine = Post.objects.filter(pk=post.pk, job_id=run_pk)
        if kind == AttemptKind.PUBLISH:
            mine = mine.filter(state__in=SENDABLE)
            if result.ok:
                changed = mine.update(
                    state=PostState.DELIVERED,
                    delivered_at=now,
                    http_status=result.status,
                    external_id=result.external_id,
                    external_url=result.external_url,
                    last_error=result.error,
                    failed_at=None,
                    version=F("version") + 1,
                )
                if changed:
                    post.refresh_from_db()
                    _record_publication(post)
                    _act("newmedia.post.delivered", post)
            else:
                changed = mine.update(
                    state=PostState.FAILED if final else PostState.RETRYING,
                    failed_at=now if final else None,
                    next_attempt_at=None if final else now + _backoff(run_attempt),
                    http_status=result.status,
                    last_error=result.error,
                    version=F("version") + 1,
                )
                if changed and final:
                    post.refresh_from_db()
                    _act("newmedia.post.failed", post)
        else:
            mine = mine.filter(state__in=TAKEDOWN_SENDABLE)
            if result.ok:
                changed = mine.update(
                    state=PostState.TAKEN_DOWN,
                    taken_down_at=now,
                    http_status=result.status,
                    last_error="",
                    version=F("version") + 1,
                )
                if changed:
                    post.refresh_from_db()
                    _act("newmedia.post.taken_down", post)
            else:
                changed = mine.update(
                    state=PostState.TAKEDOWN_FAILED if final else PostState.TAKEDOWN_PENDING,
                    next_attempt_at=None if final else now + _backoff(run_attempt),
                    http_status=result.status,
                    last_error=result.error,
                    version=F("version") + 1,
                )
                if changed and final:
                    post.refresh_from_db()
                    _act("newmedia.post.takedown_failed", post)
    if not changed:
        logger.info("newmedia: post %s changed hands during its attempt; result kept in the attempt", post.pk)
        return True
    return final


def _backoff(attempt_number: int) -> dt.timedelta:
    return dt.timedelta(seconds=RETRY_DELAY * 2 ** max(attempt_number - 1, 0))


def _act(code: str, post: Post) -> None:
    acts.record_act(
        code,
        post,
        actor=None,
        after={
            "state": post.state,
            "channel": post.channel.slug,
            "record": post.record.index_number,
            "http_status": post.http_status,
            "external_url": post.external_url,
            "attempts": post.attempts,
            "error": post.last_error[:500],
        },
    )


def _record_publication(post: Post) -> None:
    """The record's list of channels (catalog Publication) gains the delivered post, with its link,
    in the name of the person who sent it. A refusal is noted on the post; the post stands."""
    if post.requested_by is None:
        return
    for _try in range(3):
        record = type(post.record)._default_manager.get(pk=post.record_id)
        try:
            publication = catalog_services.do_record_publication(
                record,
                channel=post.channel.catalog_channel,
                published_at=post.delivered_at or clock.now(),
                link=post.external_url,
                actor=post.requested_by,
                expected_version=record.version,
            )
        except acts.ConflictError:
            continue
        except acts.ActError as exc:
            Post.objects.filter(pk=post.pk).update(note=_("未登记到信息的发布渠道：%(e)s") % {"e": exc})
            return
        Post.objects.filter(pk=post.pk).update(publication=publication)
        post.publication = publication
        return


def request_takedown(post: Post, *, now: dt.datetime | None = None) -> str:
    """After the record's withdrawal: a post never attempted is cancelled; any other is taken down
    (a post whose only attempts failed may still have reached the channel). Returns the new state."""
    from gongkai.newmedia import tasks

    now = now or clock.now()
    if Post.objects.filter(pk=post.pk, state__in=SENDABLE, attempts=0).update(
        state=PostState.CANCELLED, job=None, note=_("信息已撤回，未推送。"), version=F("version") + 1
    ):
        return PostState.CANCELLED
    for _try in range(3):
        current = Post.objects.get(pk=post.pk)
        if current.state in (PostState.CANCELLED, PostState.TAKEN_DOWN, PostState.TAKEDOWN_PENDING):
            return current.state
        run = tasks.take_down.enqueue(post=post.pk)
        # A run left behind by a lost race finds the post in other hands and does nothing.
        if Post.objects.filter(pk=post.pk, state=current.state, job_id=current.job_id).update(
            state=PostState.TAKEDOWN_PENDING,
            job=run,
            takedown_requested_at=now,
            next_attempt_at=None,
            version=F("version") + 1,
        ):
            return PostState.TAKEDOWN_PENDING
    raise RuntimeError(f"newmedia: post {post.pk} kept changing while its takedown was requested")
