"""The press room's period figures (core/figures.py contract).

- `pressroom.conferences.total` / `.host.government` / `.host.agency`: published press conferences
  held in the period (by the day held), in whose name.
- `pressroom.interpretations.total` / `.form.<text|graphic|video|conference>`: policy
  interpretations published in the period (Beijing day of publication), by form; a withdrawn one
  no longer counts.
- `pressroom.policies.uninterpreted`: major policies (policies.py) published in the period with no
  interpretation live at the period's end."""

from __future__ import annotations

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
