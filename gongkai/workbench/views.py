"""The staff shell: the dashboard."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog import queries
from gongkai.catalog import stats as catalog_stats
from gongkai.catalog.choices import DisclosureAttribute, Status
from gongkai.core import clock, workdays
from gongkai.core.figures import Period
from gongkai.core.workdays import CalendarUnknownError

NEAR_WORKDAYS = 5


def near_limit_date(today: dt.date) -> dt.date:
    try:
        return workdays.add_workdays(today, NEAR_WORKDAYS)
    except CalendarUnknownError:
        return today + dt.timedelta(days=7)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    today = clock.today()
    records = queries.staff_records(user)
    pending_publication = records.filter(
        attribute=DisclosureAttribute.PROACTIVE,
        status__in=[Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.APPROVED],
        publish_due__isnull=False,
    )
    overdue = pending_publication.filter(publish_due__lt=today).order_by("publish_due")
    near = pending_publication.filter(
        publish_due__gte=today, publish_due__lte=near_limit_date(today)
    ).order_by("publish_due")
    my_drafts = records.filter(created_by=user, status__in=[Status.DRAFT, Status.RETURNED]).order_by(
        "-updated_at"
    )
    waiting = records.filter(status__in=[Status.SUBMITTED, Status.APPROVED]).order_by("publish_due")
    # This year's figures through the period-figures contract, over the records this user may see.
    this_year = Period.year(today.year)
    published = {f.code: f for f in catalog_stats.published(this_year, records=records)}
    by_channel = [
        (channel.label, f.value)
        for f in catalog_stats.channels(this_year, records=records)
        if (channel := catalog_stats.channel_of(f)) is not None and f.value
    ]
    by_channel.sort(key=lambda pair: -(pair[1] or 0))
    return render(
        request,
        "workbench/dashboard.html",
        {
            "nav": "dashboard",
            "today": today,
            "overdue": overdue[:20],
            "overdue_count": overdue.count(),
            "near": near[:20],
            "near_count": near.count(),
            "my_drafts": my_drafts[:10],
            "my_drafts_count": my_drafts.count(),
            "waiting": waiting[:10],
            "waiting_count": waiting.count(),
            "is_reviewer": user.has_role(Role.REVIEWER),
            "published_this_year": published["catalog.records.published.total"].value,
            "channels": by_channel,
        },
    )
