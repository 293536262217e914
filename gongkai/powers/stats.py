"""Reduction figures computed from the items' history, and the powers app's period figures.

An item is in force on a day when a document set it on or before that day and none cancelled or
delegated it on or before that day. Over a period: in force the day before it starts, removed
(cancelled or delegated) within it, in force on its last day; the rate is removed / in force at the
start (the seed's 35 → 7 is 28 / 35 = 80%; 171 → 110 is 61 / 171 = 35.7%)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Department
from gongkai.core.figures import ENTRIES, FILES, PERCENT, Figure, Period
from gongkai.powers.choices import REMOVING_CHANGES, ChangeKind, ItemList, Level, PowerCategory
from gongkai.powers.models import Flowchart, ItemChange, ItemVersion, PowerItem

Items = QuerySet[PowerItem]


def in_force(on: dt.date, items: Items | None = None) -> Items:
    items = PowerItem.objects.all() if items is None else items
    # `pk IN (…)`, built once, not a correlated EXISTS: SQLite ran that once per item through the
    # (kind, on) index, reading every change up to the day each time (6 s for 3,300 items).
    set_by = ItemChange.objects.filter(kind=ChangeKind.SET, on__lte=on).values("item_id")
    removed_by = ItemChange.objects.filter(kind__in=REMOVING_CHANGES, on__lte=on).values("item_id")
    return items.filter(pk__in=set_by).exclude(pk__in=removed_by)


def published_by(after: dt.datetime, items: Items | None = None) -> Items:
    """The items with a version published before `after` (a draft never published is on no list)."""
    items = PowerItem.objects.all() if items is None else items
    return items.filter(pk__in=ItemVersion.objects.filter(published_at__lt=after).values("item_id"))


def changed(kinds: frozenset[str] | set[str], period: Period, items: Items | None = None) -> Items:
    items = PowerItem.objects.all() if items is None else items
    by = ItemChange.objects.filter(kind__in=kinds, on__gte=period.start, on__lte=period.end)
    return items.filter(pk__in=by.values("item_id"))


@dataclass(frozen=True)
class Reduction:
    before: int
    cancelled: int
    delegated: int
    after: int

    @property
    def removed(self) -> int:
        return self.cancelled + self.delegated

    @property
    def rate(self) -> Decimal | None:
        """Percentage removed, one decimal (None when nothing was in force to reduce)."""
        if not self.before:
            return None
        return (Decimal(100 * self.removed) / Decimal(self.before)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def reduction(period: Period, items: Items | None = None) -> Reduction:
    """How a list shrank over a period, from its history (any scope: a list, a level, a department)."""
    day_before = period.start - dt.timedelta(days=1)
    return Reduction(
        before=in_force(day_before, items).count(),
        cancelled=changed({ChangeKind.CANCELLED}, period, items).count(),
        delegated=changed({ChangeKind.DELEGATED}, period, items).count(),
        after=in_force(period.end, items).count(),
    )


def approvals(*, level: str | None = None, department_id: int | None = None) -> Items:
    items = PowerItem.objects.filter(list_kind=ItemList.APPROVALS)
    if level:
        items = items.filter(level=level)
    if department_id:
        items = items.filter(department_id=department_id)
    return items


def _objects(qs: QuerySet[Any]) -> Any:
    return lambda: qs.all()


def _reduction_figures(code: str, label: Any, period: Period, items: Items) -> list[Figure]:
    day_before = period.start - dt.timedelta(days=1)
    r = reduction(period, items)
    removed = changed(REMOVING_CHANGES, period, items)
    return [
        Figure.make(
            f"{code}.before",
            format_lazy(_("{what}：期初事项"), what=label),
            r.before,
            ENTRIES,
            section=code,
            objects=_objects(in_force(day_before, items)),
        ),
        Figure.make(
            f"{code}.cancelled",
            format_lazy(_("{what}：本期取消"), what=label),
            r.cancelled,
            ENTRIES,
            section=code,
            objects=_objects(changed({ChangeKind.CANCELLED}, period, items)),
        ),
        Figure.make(
            f"{code}.delegated",
            format_lazy(_("{what}：本期下放"), what=label),
            r.delegated,
            ENTRIES,
            section=code,
            objects=_objects(changed({ChangeKind.DELEGATED}, period, items)),
        ),
        Figure.make(
            f"{code}.after",
            format_lazy(_("{what}：期末事项"), what=label),
            r.after,
            ENTRIES,
            section=code,
            objects=_objects(in_force(period.end, items)),
        ),
        Figure.make(
            f"{code}.rate",
            format_lazy(_("{what}：取消下放率"), what=label),
            r.rate,
            PERCENT,
            section=code,
            objects=_objects(removed),
        ),
    ]


def figures(period: Period) -> list[Figure]:
    """Every powers figure of the period, in the order a report states them."""
    result: list[Figure] = []
    first, after = period.bounds()
    powers = PowerItem.objects.filter(list_kind=ItemList.POWERS)
    # The list at the period's end is what the public could read then: items published by that day
    # and in force on it (a new draft, unreviewed and unpublished, is not yet on the list).
    listed = published_by(after, powers)
    end_powers = in_force(period.end, listed)
    by_category = dict(end_powers.values_list("category").annotate(n=Count("id")).order_by())
    section = "powers.items"
    result.append(
        Figure.make(
            f"{section}.total",
            _("权力清单事项（期末）"),
            end_powers.count(),
            ENTRIES,
            section=section,
            objects=_objects(end_powers),
        )
    )
    for category in PowerCategory:
        qs = end_powers.filter(category=category)
        result.append(
            Figure.make(
                f"{section}.category.{category.value}",
                category.label,
                by_category.get(category, 0),
                ENTRIES,
                section=section,
                objects=_objects(qs),
            )
        )
    category_rows = end_powers.values("category").distinct().order_by()
    categories_in_force = category_rows.count()
    result.append(
        Figure.make(
            "powers.items.categories",
            _("权力清单职权类别数（期末）"),
            categories_in_force,
            ENTRIES,
            section=section,
            objects=_objects(category_rows),
        )
    )
    with_duties = end_powers.filter(responsibilities__isnull=False).distinct()
    result.append(
        Figure.make(
            "powers.responsibilities.categories",
            _("已建立责任清单的职权类别数"),
            with_duties.values("category").distinct().count(),
            ENTRIES,
            section="powers.responsibilities",
            objects=_objects(with_duties.values("category").distinct().order_by()),
        )
    )
    result.append(
        Figure.make(
            "powers.responsibilities.items",
            _("已建立责任清单的事项"),
            with_duties.count(),
            ENTRIES,
            section="powers.responsibilities",
            objects=_objects(with_duties),
        )
    )
    set_in = changed({ChangeKind.SET}, period, listed)
    result.append(
        Figure.make(
            "powers.items.set",
            _("本期新设权力事项"),
            set_in.count(),
            ENTRIES,
            section=section,
            objects=_objects(set_in),
        )
    )
    result += _reduction_figures("powers.items.reduction", _("权力清单"), period, powers)
    result += _reduction_figures(
        "powers.approvals.department", _("本机关行政审批事项"), period, approvals(level=Level.PROVINCE)
    )
    result += _reduction_figures(
        "powers.approvals.province", _("全省公安机关行政审批事项"), period, approvals()
    )
    published = ItemVersion.objects.filter(published_at__gte=first, published_at__lt=after)
    charts = Flowchart.objects.filter(version__in=published)
    result.append(
        Figure.make(
            "powers.forms.published",
            _("本期发布的事项基本信息表"),
            published.count(),
            FILES,
            section="powers.forms",
            objects=_objects(published),
        )
    )
    result.append(
        Figure.make(
            "powers.flowcharts.published",
            _("本期发布的权力运行流程图"),
            charts.count(),
            FILES,
            section="powers.forms",
            objects=_objects(charts),
        )
    )
    # The department's own power list apart (seed §一(三)1: 79 items, "基本信息表及流程图共160余份"):
    # each item's form and its flowcharts (one per procedure) counted once, from the last version
    # of it published in the period.
    last = published.filter(item=OuterRef("item")).order_by("-number").values("pk")[:1]
    power_forms = published.filter(list_kind=ItemList.POWERS, pk=Subquery(last))
    power_charts = Flowchart.objects.filter(version__in=power_forms)
    result.append(
        Figure.make(
            "powers.forms.power_list",
            _("本期发布的权力清单事项基本信息表"),
            power_forms.count(),
            FILES,
            section="powers.forms",
            objects=_objects(power_forms),
        )
    )
    result.append(
        Figure.make(
            "powers.flowcharts.power_list",
            _("本期发布的权力清单事项运行流程图"),
            power_charts.count(),
            FILES,
            section="powers.forms",
            objects=_objects(power_charts),
        )
    )
    # A service guide counts once the public can read it: its item published by the period's end
    # and still in force on its last day (a draft's guide is not yet a published standard).
    guides = (
        in_force(period.end, approvals())
        .filter(guide__isnull=False, versions__published_at__lt=after)
        .distinct()
    )
    result.append(
        Figure.make(
            "powers.guides.total",
            _("办事指南（办理标准，期末）"),
            guides.count(),
            ENTRIES,
            section="powers.guides",
            objects=_objects(guides),
        )
    )
    branches = Department.objects.filter(pk__in=guides.values("department")).count()
    result.append(
        Figure.make(
            "powers.guides.branches",
            _("办事指南涵盖的警种"),
            branches,
            ENTRIES,
            section="powers.guides",
            objects=_objects(Department.objects.filter(pk__in=guides.values("department"))),
        )
    )
    result += _branch_guides(guides)
    return result


def _branch_guides(published: Items) -> list[Figure]:
    """The service guides published by the period's end, one figure per police branch holding any."""
    counts = dict(published.values_list("department").annotate(n=Count("id", distinct=True)).order_by())
    return [
        Figure.make(
            f"powers.guides.branch.{branch.pk}",
            branch.name,
            counts[branch.pk],
            ENTRIES,
            section="powers.guides.branch",
            objects=_objects(published.filter(department=branch)),
        )
        for branch in Department.objects.filter(pk__in=counts)
    ]
