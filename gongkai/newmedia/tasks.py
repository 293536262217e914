"""The new-media jobs (found by core/jobs at start-up): one delivery, or one takedown, per post.

Not atomic: each attempt commits its own rows (the attempt before the request goes out, its
outcome after), so a transient failure is recorded and then raised for the runner to retry."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from gongkai.core.jobs import job
from gongkai.newmedia import delivery
from gongkai.newmedia.choices import AttemptKind

LEASE = dt.timedelta(minutes=5)  # far beyond the longest timeout (60 s): a lost worker is seen


@job(
    name="newmedia.post.deliver",
    label=_("推送到新媒体渠道"),
    retries=delivery.RETRIES,
    retry_delay=delivery.RETRY_DELAY,
    atomic=False,
    lease=LEASE,
)
def deliver(*, post: int) -> None:
    delivery.attempt(post, AttemptKind.PUBLISH)


@job(
    name="newmedia.post.take_down",
    label=_("从新媒体渠道撤下"),
    retries=delivery.RETRIES,
    retry_delay=delivery.RETRY_DELAY,
    atomic=False,
    lease=LEASE,
)
def take_down(*, post: int) -> None:
    delivery.attempt(post, AttemptKind.TAKEDOWN)
