"""What the new-media pages read: posts filtered by state, channel and period, the failures, and
the counts per channel and month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from gongkai.accounts.choices import ADMIN_ROLES, Role
from gongkai.accounts.models import User
from gongkai.core.figures import Period
from gongkai.newmedia.choices import FAILURE_STATES, PostState
from gongkai.newmedia.models import Channel, Post


def may_manage_channels(user: User) -> bool:
    """Offered the channel forms (the service decides: workflows.CHANNEL)."""
    return user.has_role(Role.REVIEWER) and not user.role_set() & ADMIN_ROLES


def posts(
    *, state: str = "", channel: Channel | None = None, period: Period | None = None, q: str = ""
) -> QuerySet[Post]:
    found = Post.objects.select_related("record", "channel")
    if state in PostState.values:
        found = found.filter(state=state)
    if channel is not None:
        found = found.filter(channel=channel)
    if period is not None:
        first, after = period.bounds()
        stamp = {
            PostState.DELIVERED: "delivered_at",
            PostState.FAILED: "failed_at",
            PostState.TAKEN_DOWN: "taken_down_at",
        }.get(PostState(state) if state in PostState.values else PostState.QUEUED, "requested_at")
        found = found.filter(**{f"{stamp}__gte": first, f"{stamp}__lt": after})
    if q:
        found = found.filter(Q(record__name__icontains=q) | Q(record__index_number__icontains=q))
    return found.order_by("-requested_at", "-id")


def failures() -> QuerySet[Post]:
    """Posts whose last attempt failed, oldest failure first; and posts whose run was given up by
    the runner (a worker that kept dying) while the post still waited."""
    stuck = Q(state__in=[PostState.QUEUED, PostState.TAKEDOWN_PENDING], job__state="failed")
    return (
        Post.objects.filter(Q(state__in=FAILURE_STATES) | stuck)
        .select_related("record", "channel", "job")
        .order_by("last_attempt_at", "id")
    )


def channel_counts() -> dict[int, dict[str, int]]:
    """Per channel: posts in each state (all time)."""
    counts: dict[int, dict[str, int]] = {}
    for channel_id, state, n in (
        Post.objects.values_list("channel", "state").annotate(n=Count("id")).order_by()
    ):
        counts.setdefault(channel_id, {})[state] = n
    return counts


def monthly(period: Period) -> tuple[list[dt.date], dict[int, list[int]]]:
    """Posts delivered per channel and month of the period (the Beijing month)."""
    first, after = period.bounds()
    rows = (
        Post.objects.filter(delivered_at__gte=first, delivered_at__lt=after)
        .annotate(month=TruncMonth("delivered_at"))
        .values_list("channel", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    months: list[dt.date] = []
    day = period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    index = {m: i for i, m in enumerate(months)}
    by_channel: dict[int, list[int]] = {}
    for channel_id, month, n in rows:
        key = month.date() if isinstance(month, dt.datetime) else month
        if key in index:
            by_channel.setdefault(channel_id, [0] * len(months))[index[key]] += n
    return months, by_channel


def years_with_posts() -> list[int]:
    stamps: list[Any] = list(Post.objects.datetimes("delivered_at", "year", order="DESC"))
    return [d.year for d in stamps]
