"""The press room's period figures (core/figures.py contract).

- `pressroom.conferences.total` / `.host.government` / `.host.agency`: published press conferences
  held in the period (by the day held), in whose name.
- `pressroom.interpretations.total` / `.form.<text|graphic|video|conference>`: policy
  interpretations published in the period (Beijing day of publication), by form; a withdrawn one
  no longer counts.
- `pressroom.policies.uninterpreted`: major policies (policies.py) published in the period with no
  interpretation live at the period's end.

`by_month` (conferences of `conferences` per month) and `years` serve the workbench's statistics
page (/workbench/press/stats/), which reads the rest from `figures`, as the annual report does."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.figures import ITEMS, SESSIONS, Figure, Period
from gongkai.pressroom import policies
from gongkai.pressroom.choices import Form, Host, Status
from gongkai.pressroom.models import Conference, Interpretation

HOST_LABELS = {
    Host.GOVERNMENT: _("以省政府名义召开的新闻发布会"),
    Host.AGENCY: _("以本机关名义召开的新闻发布会"),
}
FORM_LABELS = {
    Form.TEXT: _("文字解读"),
    Form.GRAPHIC: _("图解"),
    Form.VIDEO: _("视频解读"),
    Form.CONFERENCE: _("新闻发布会解读"),
}


def conferences(period: Period) -> QuerySet[Conference]:
    return Conference.objects.filter(
        status=Status.PUBLISHED, held_on__gte=period.start, held_on__lte=period.end
    )


def interpretations(period: Period) -> QuerySet[Interpretation]:
    first, after = period.bounds()
    return Interpretation.objects.filter(
        status=Status.PUBLISHED, published_at__gte=first, published_at__lt=after
    )


def _objects(qs: QuerySet[Any]) -> Any:
    return lambda: qs.all()


def _url(name: str, period: Period, **extra: str) -> str:
    query = {"from": period.start.isoformat(), "to": period.end.isoformat(), **extra}
    return f"{reverse(name)}?{urlencode(query)}"


def figures(period: Period) -> list[Figure]:
    result: list[Figure] = []
    held = conferences(period)
    by_host = dict(held.values_list("host").annotate(n=Count("id")).order_by())
    section = "pressroom.conferences"
    staff_list = "workbench:pressroom_staff:list"
    result.append(
        Figure.make(
            f"{section}.total",
            _("召开新闻发布会"),
            sum(by_host.values()),
            SESSIONS,
            section=section,
            objects=_objects(held),
            staff_url=_url(staff_list, period, status=Status.PUBLISHED),
        )
    )
    for host in Host:
        result.append(
            Figure.make(
                f"{section}.host.{host.value}",
                HOST_LABELS[host],
                by_host.get(host.value, 0),
                SESSIONS,
                section=section,
                objects=_objects(held.filter(host=host)),
                staff_url=_url(staff_list, period, status=Status.PUBLISHED, host=host.value),
            )
        )
    published = interpretations(period)
    by_form = dict(published.values_list("form").annotate(n=Count("id")).order_by())
    section = "pressroom.interpretations"
    staff_interpretations = "workbench:pressroom_staff:interpretations"
    result.append(
        Figure.make(
            f"{section}.total",
            _("发布政策解读"),
            sum(by_form.values()),
            ITEMS,
            section=section,
            objects=_objects(published),
            staff_url=_url(staff_interpretations, period, status=Status.PUBLISHED),
        )
    )
    for form in Form:
        result.append(
            Figure.make(
                f"{section}.form.{form.value}",
                FORM_LABELS[form],
                by_form.get(form.value, 0),
                ITEMS,
                section=section,
                objects=_objects(published.filter(form=form)),
                staff_url=_url(staff_interpretations, period, status=Status.PUBLISHED, form=form.value),
            )
        )
    first, after = period.bounds()
    missing = policies.uninterpreted_in(first, after)
    result.append(
        Figure.make(
            "pressroom.policies.uninterpreted",
            _("本期发布、期末尚无解读的政策文件"),
            missing.count(),
            ITEMS,
            section="pressroom.policies",
            objects=_objects(missing),
            staff_url=_url("workbench:pressroom_staff:uninterpreted", period),
        )
    )
    return result


def by_month(period: Period) -> list[tuple[str, int]]:
    """The published conferences of `conferences(period)` per month of the period ("YYYY-MM"),
    every month listed, a month without one as 0: their sum is `pressroom.conferences.total`."""
    counts: dict[tuple[int, int], int] = {}
    for day in conferences(period).values_list("held_on", flat=True):
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + 1
    months: list[tuple[str, int]] = []
    month = dt.date(period.start.year, period.start.month, 1)
    while month <= period.end:
        months.append((f"{month.year}-{month.month:02d}", counts.get((month.year, month.month), 0)))
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


def years() -> list[int]:
    """The years in which a published conference was held or an interpretation published, newest
    first (for the statistics page's year links)."""
    held = Conference.objects.filter(status=Status.PUBLISHED).dates("held_on", "year")
    published = Interpretation.objects.filter(status=Status.PUBLISHED).datetimes("published_at", "year")
    return sorted({d.year for d in held} | {d.year for d in published}, reverse=True)
