"""The staff shell: the dashboard."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog import queries
from gongkai.catalog.choices import DisclosureAttribute, Status
from gongkai.catalog.models import Publication
from gongkai.core import clock, workdays
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
    year_start = dt.datetime(today.year, 1, 1, tzinfo=clock.now().tzinfo)
    channels = (
        Publication.objects.filter(published_at__gte=year_start, record__in=records)
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
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
            "published_this_year": records.filter(
                status=Status.PUBLISHED, published_at__gte=year_start
            ).count(),
            "channels": [(Publication(channel=c["channel"]).get_channel_display(), c["n"]) for c in channels],
        },
    )
