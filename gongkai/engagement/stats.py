"""The engagement app's period figures (core/figures.py contract), from its own tables.

Inquiries (件):
- received: received on a day of the period (held and rejected ones included: they were received);
- answered: the answer reached the asker (published or given privately) on a day of the period;
- answered_on_time: of those, answered on or before the due day;
- overdue: received in the period and not answered by the due day — answered late, or still
  unanswered with the due day before the period's end (or before today, for a period not over);
- public: answers published in the period (and still public);
- rating.satisfied / .basically / .unsatisfied: ratings given in the period;
- satisfaction_rate: (satisfied + basically satisfied) / ratings of the period, in %, one decimal
  (None when no rating was given).
Online events (场): announced or archived events that start in the period, by kind.
Proposals (件): NPC suggestions / CPPCC proposals received in the period; replied and disclosed in
the period (both kinds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from gongkai.core import clock
from gongkai.core.figures import CASES, PERCENT, SESSIONS, Figure, Period
from gongkai.engagement.choices import (
    EventKind,
    EventStatus,
    InquiryStatus,
    ProposalKind,
    ProposalStatus,
    Rating,
)
from gongkai.engagement.models import Inquiry, OnlineEvent, Proposal

RATING_CODES = {
    Rating.SATISFIED: "satisfied",
    Rating.BASICALLY: "basically",
    Rating.UNSATISFIED: "unsatisfied",
}


def received(period: Period, inquiries: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    qs = Inquiry.objects.all() if inquiries is None else inquiries
    return qs.filter(received_on__gte=period.start, received_on__lte=period.end)


def answered(period: Period, inquiries: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    qs = Inquiry.objects.all() if inquiries is None else inquiries
    return qs.filter(replied_on__gte=period.start, replied_on__lte=period.end)


def answered_on_time(period: Period, inquiries: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    return answered(period, inquiries).filter(replied_on__lte=F("due_on"))


def overdue(
    period: Period, inquiries: QuerySet[Inquiry] | None = None, *, today: dt.date | None = None
) -> QuerySet[Inquiry]:
    today = today or clock.today()
    horizon = min(period.end, today)
    late = Q(replied_on__isnull=False, replied_on__gt=F("due_on"))
    still_open = Q(replied_on__isnull=True, due_on__lt=horizon)
    return received(period, inquiries).exclude(status=InquiryStatus.REJECTED).filter(late | still_open)


def published(period: Period, inquiries: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    qs = Inquiry.objects.all() if inquiries is None else inquiries
    first, after = period.bounds()
    return qs.filter(status=InquiryStatus.PUBLISHED, published_at__gte=first, published_at__lt=after)


def rated(period: Period, inquiries: QuerySet[Inquiry] | None = None) -> QuerySet[Inquiry]:
    qs = Inquiry.objects.all() if inquiries is None else inquiries
    first, after = period.bounds()
    return qs.exclude(rating="").filter(rated_at__gte=first, rated_at__lt=after)


def satisfaction_rate(satisfied: int, basically: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(100 * (satisfied + basically)) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def events(period: Period) -> QuerySet[OnlineEvent]:
    first, after = period.bounds()
    return OnlineEvent.objects.filter(
        status__in=[EventStatus.ANNOUNCED, EventStatus.ARCHIVED], starts_at__gte=first, starts_at__lt=after
    )


def proposals_received(period: Period, kind: str) -> QuerySet[Proposal]:
    return Proposal.objects.filter(kind=kind, received_on__gte=period.start, received_on__lte=period.end)


def proposals_replied(period: Period) -> QuerySet[Proposal]:
    return Proposal.objects.filter(replied_on__gte=period.start, replied_on__lte=period.end)


def proposals_disclosed(period: Period) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        status=ProposalStatus.DISCLOSED, disclosed_on__gte=period.start, disclosed_on__lte=period.end
    )


# The workbench lists behind the figures: `?figure=<code>&start=&end=` shows exactly `objects()`.
INQUIRY_LISTS: dict[str, Callable[[Period], QuerySet[Inquiry]]] = {
    "engagement.inquiries.received": received,
    "engagement.inquiries.answered": answered,
    "engagement.inquiries.answered_on_time": answered_on_time,
    "engagement.inquiries.overdue": overdue,
    "engagement.inquiries.public": published,
    "engagement.inquiries.rating.satisfied": lambda p: rated(p).filter(rating=Rating.SATISFIED),
    "engagement.inquiries.rating.basically": lambda p: rated(p).filter(rating=Rating.BASICALLY),
    "engagement.inquiries.rating.unsatisfied": lambda p: rated(p).filter(rating=Rating.UNSATISFIED),
    "engagement.inquiries.satisfaction_rate": rated,
}


EVENT_LISTS: dict[str, Callable[[Period], QuerySet[OnlineEvent]]] = {
    "engagement.events.total": events,
}


def _events_of(kind: str) -> Callable[[Period], QuerySet[OnlineEvent]]:
    return lambda period: events(period).filter(kind=kind)


EVENT_LISTS.update({f"engagement.events.kind.{k.value}": _events_of(k.value) for k in EventKind})
PROPOSAL_LISTS: dict[str, Callable[[Period], QuerySet[Proposal]]] = {
    "engagement.proposals.npc": lambda p: proposals_received(p, ProposalKind.NPC),
    "engagement.proposals.cppcc": lambda p: proposals_received(p, ProposalKind.CPPCC),
    "engagement.proposals.replied": proposals_replied,
    "engagement.proposals.disclosed": proposals_disclosed,
}


def _url(name: str, code: str, period: Period) -> str:
    query = urlencode({"figure": code, "start": period.start.isoformat(), "end": period.end.isoformat()})
    return f"{reverse(name)}?{query}"


def _objects(qs: QuerySet[Any]) -> Callable[[], QuerySet[Any]]:
    return lambda: qs.all()


def figures(period: Period) -> list[Figure]:
    section = "engagement.inquiries"
    inquiry_url = "workbench:engagement_staff:inquiries"
    result: list[Figure] = []

    def inquiry_figure(code: str, label: Any, qs: QuerySet[Inquiry]) -> None:
        result.append(
            Figure.make(
                code,
                label,
                qs.count(),
                CASES,
                section=section,
                objects=_objects(qs),
                staff_url=_url(inquiry_url, code, period),
            )
        )

    inquiry_figure("engagement.inquiries.received", _("收到咨询留言"), received(period))
    inquiry_figure("engagement.inquiries.answered", _("答复咨询留言"), answered(period))
    inquiry_figure("engagement.inquiries.answered_on_time", _("按期答复"), answered_on_time(period))
    inquiry_figure("engagement.inquiries.overdue", _("超期答复或超期未答复"), overdue(period))
    inquiry_figure("engagement.inquiries.public", _("公开答复"), published(period))
    ratings = rated(period)
    counts = dict(ratings.values_list("rating").annotate(n=Count("id")).order_by())
    for rating, label in (
        (Rating.SATISFIED, _("评价：满意")),
        (Rating.BASICALLY, _("评价：基本满意")),
        (Rating.UNSATISFIED, _("评价：不满意")),
    ):
        code = f"engagement.inquiries.rating.{RATING_CODES[rating]}"
        qs = ratings.filter(rating=rating)
        result.append(
            Figure.make(
                code,
                label,
                int(counts.get(rating.value, 0)),
                CASES,
                section=section,
                objects=_objects(qs),
                staff_url=_url(inquiry_url, code, period),
            )
        )
    total = sum(int(v) for v in counts.values())
    result.append(
        Figure.make(
            "engagement.inquiries.satisfaction_rate",
            _("满意率（满意与基本满意占评价数）"),
            satisfaction_rate(
                int(counts.get(Rating.SATISFIED.value, 0)), int(counts.get(Rating.BASICALLY.value, 0)), total
            ),
            PERCENT,
            section=section,
            objects=_objects(ratings),
            staff_url=_url(inquiry_url, "engagement.inquiries.satisfaction_rate", period),
        )
    )
    event_qs = events(period)
    event_counts = dict(event_qs.values_list("kind").annotate(n=Count("id")).order_by())
    events_url = "workbench:engagement_staff:events"
    result.append(
        Figure.make(
            "engagement.events.total",
            _("在线访谈、直播与发布"),
            sum(int(v) for v in event_counts.values()),
            SESSIONS,
            section="engagement.events",
            objects=_objects(event_qs),
            staff_url=_url(events_url, "engagement.events.total", period),
        )
    )
    for kind in EventKind:
        result.append(
            Figure.make(
                f"engagement.events.kind.{kind.value}",
                kind.label,
                int(event_counts.get(kind.value, 0)),
                SESSIONS,
                section="engagement.events",
                objects=_objects(event_qs.filter(kind=kind)),
                staff_url=_url(events_url, f"engagement.events.kind.{kind.value}", period),
            )
        )
    proposals_url = "workbench:engagement_staff:proposals"
    for proposal_kind, code, label in (
        (ProposalKind.NPC, "engagement.proposals.npc", _("承办人大代表建议")),
        (ProposalKind.CPPCC, "engagement.proposals.cppcc", _("承办政协委员提案")),
    ):
        proposals = proposals_received(period, proposal_kind)
        result.append(
            Figure.make(
                code,
                label,
                proposals.count(),
                CASES,
                section="engagement.proposals",
                objects=_objects(proposals),
                staff_url=_url(proposals_url, code, period),
            )
        )
    for code, label, proposals in (
        ("engagement.proposals.replied", _("建议提案已答复"), proposals_replied(period)),
        ("engagement.proposals.disclosed", _("建议提案答复已公开"), proposals_disclosed(period)),
    ):
        result.append(
            Figure.make(
                code,
                label,
                proposals.count(),
                CASES,
                section="engagement.proposals",
                objects=_objects(proposals),
                staff_url=_url(proposals_url, code, period),
            )
        )
    return result
