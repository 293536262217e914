"""The catalog's figures for a period (core.figures): records published, by top-level column and by
channel; formed by disclosure attribute, entered, withdrawn, published past their limit; attachments;
the rules and normative documents made, repealed and in force (annual report table 二, row 二.1).

Each part takes the records to count (`records`, default all), so the dashboard asks the same
figures for what the user may see; the registered provider counts the whole agency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, DateTimeField, F, Func, Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.choices import Channel, DisclosureAttribute, Status, Validity
from gongkai.catalog.models import Attachment, Category, Publication, Record
from gongkai.core.figures import CASES, FILES, ITEMS, Figure, Period, StrOrPromise

Records = QuerySet[Record]


def figures(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Every catalog figure of the period, in the order a report states them."""
    return [
        *published(period, records=records),
        *published_by_column(period, records=records),
        *channels(period, records=records),
        *activity(period, records=records),
        *attachments(period, records=records),
        *table_2(period, records=records),
    ]


def _scope(records: Records | None) -> Records:
    return Record.objects.all() if records is None else records


def _objects(qs: QuerySet[Any]) -> Any:
    # A fresh queryset each call: a caller may slice or paginate what it gets.
    return lambda: qs.all()


def _published_q(period: Period) -> Q:
    first, after = period.bounds()
    return Q(published_at__gte=first, published_at__lt=after)


def published(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Records first published in the period, whatever happened to them after (a record withdrawn
    since was still published then)."""
    qs = _scope(records).filter(_published_q(period))
    section = "catalog.records.published"
    return [
        Figure.make(
            f"{section}.total",
            _("本期发布的政府信息"),
            qs.count(),
            ITEMS,
            section=section,
            objects=_objects(qs),
        )
    ]


def published_by_column(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Records first published in the period, by top-level column of the catalog (with its leaves)."""
    condition = _published_q(period)
    # The condition inside the count, not in WHERE: SQLite then reads the covering
    # (category, status, published_at) index once, instead of looking up every row of the year
    # found through the published_at index (0.4 s instead of 2.5 s at 1,000,000 records).
    by_category = dict(
        _scope(records).values_list("category_id").annotate(n=Count("id", filter=condition)).order_by()
    )
    qs = _scope(records).filter(condition)
    categories = list(Category.objects.values_list("id", "parent_id", "code", "name", "name_en", "is_active"))
    parent = {pk: parent_id for pk, parent_id, *_rest in categories}

    def root(pk: int) -> int:
        while parent.get(pk) is not None:
            pk = parent[pk]
        return pk

    members: dict[int, list[int]] = {}
    for pk, *_rest in categories:
        members.setdefault(root(pk), []).append(pk)
    section = "catalog.records.published.category"
    result: list[Figure] = []
    for pk, parent_id, code, name, name_en, is_active in categories:
        if parent_id is not None:
            continue
        count = sum(by_category.get(member, 0) for member in members[pk])
        if not is_active and not count:
            continue
        # The column's name is data, entered in both languages (the English one may be missing).
        label = _("本期发布的政府信息：{part}")
        with translation.override("zh-hans"):
            label_zh = str(label).format(part=name)
        with translation.override("en"):
            label_en = str(label).format(part=name_en or name)
        result.append(
            Figure(
                f"{section}.{code}",
                label_zh,
                label_en,
                count,
                ITEMS,
                section=section,
                objects=_objects(qs.filter(category_id__in=members[pk])),
            )
        )
    return result


def channels(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Publications recorded in the period by channel (one record may go out on several)."""
    first, after = period.bounds()
    qs = Publication.objects.filter(published_at__gte=first, published_at__lt=after)
    if records is not None:
        qs = qs.filter(record__in=records)
    counts = dict(qs.values_list("channel").annotate(n=Count("id")).order_by())
    section = "catalog.publications"
    result = [
        Figure.make(
            f"{section}.total",
            _("本期各渠道发布总数"),
            sum(counts.values()),
            ITEMS,
            section=section,
            objects=_objects(qs),
        )
    ]
    for channel in Channel:
        result.append(
            Figure.make(
                f"{section}.{channel.value}",
                format_lazy(_("通过{channel}发布"), channel=channel.label),
                counts.get(channel.value, 0),
                ITEMS,
                section=section,
                objects=_objects(qs.filter(channel=channel.value)),
            )
        )
    return result


def channel_of(item: Figure) -> Channel | None:
    """The channel a `channels()` figure counts (None for the total)."""
    name = item.code.removeprefix("catalog.publications.")
    return Channel(name) if name in Channel.values else None


class _DayAfterStarts(Func):
    """The first moment after a date, in the agency's time zone, as a database expression."""

    output_field = DateTimeField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite keeps timestamps as UTC text; the zone has no daylight saving (checked by the
        # caller), so the day after starts a fixed number of hours after the date's UTC midnight.
        hours = 24 - _fixed_offset_hours()
        return self.as_sql(
            compiler, connection, template=f"datetime(%(expressions)s, '+{hours} hours')", **extra
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(
            compiler, connection, template="((%(expressions)s + 1)::timestamp AT TIME ZONE %%s)", **extra
        )
        return sql, (*params, str(timezone.get_default_timezone()))


def _fixed_offset_hours() -> int:
    """The agency zone's offset from UTC in whole hours (Beijing: 8); raises if it has none fixed."""
    zone = timezone.get_default_timezone()
    offsets = {dt.datetime(2015, month, 1, tzinfo=zone).utcoffset() for month in (1, 7)}
    offset = offsets.pop()
    if offsets or offset is None or offset % dt.timedelta(hours=1):
        raise NotImplementedError(f"{zone} has no fixed whole-hour offset from UTC")
    return int(offset / dt.timedelta(hours=1))


def _late_q() -> Q:
    """Published after the Beijing day of the publication limit (2007 Art. 18, 2019 Art. 26)."""
    if connection.vendor == "sqlite":
        try:
            _fixed_offset_hours()
        except NotImplementedError:
            return Q(publish_due__isnull=False, published_at__date__gt=F("publish_due"))
    # The same as published_at__date > publish_due, without converting every timestamp (SQLite
    # calls Python for that, once per row: 6.7 s instead of 1.6 s for a year of 1,000,000).
    return Q(publish_due__isnull=False, published_at__gte=_DayAfterStarts("publish_due"))


def activity(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Records formed in the period (by 成文日期, by disclosure attribute), entered into the system,
    withdrawn, and published past their 20-working-day limit: one pass over the records."""
    first, after = period.bounds()
    base = _scope(records)
    conditions: dict[str, Q] = {
        **{
            f"formed.{a}": Q(formed_on__gte=period.start, formed_on__lte=period.end, attribute=a)
            for a in DisclosureAttribute.values
        },
        "created": Q(created_at__gte=first, created_at__lt=after),
        "withdrawn": Q(withdrawn_at__gte=first, withdrawn_at__lt=after),
        "published_late": _published_q(period) & _late_q(),
    }
    counts = base.aggregate(**{key.replace(".", "_"): Count("id", filter=q) for key, q in conditions.items()})
    formed_q = Q(formed_on__gte=period.start, formed_on__lte=period.end)

    def make(key: str, label: StrOrPromise, condition: Q, value: int, section: str) -> Figure:
        return Figure.make(
            f"catalog.records.{key}",
            label,
            value,
            ITEMS,
            section=section,
            objects=_objects(base.filter(condition)),
        )

    formed = [counts[f"formed_{a}"] for a in DisclosureAttribute.values]
    return [
        make("formed.total", _("本期形成的政府信息"), formed_q, sum(formed), "catalog.records.formed"),
        *(
            make(
                f"formed.{a.value}",
                format_lazy(_("本期形成的政府信息：{part}"), part=a.label),
                conditions[f"formed.{a.value}"],
                n,
                "catalog.records.formed",
            )
            for a, n in zip(DisclosureAttribute, formed, strict=True)
        ),
        make("created", _("本期录入的政府信息"), conditions["created"], counts["created"], "catalog.records"),
        make(
            "withdrawn",
            _("本期撤回的政府信息"),
            conditions["withdrawn"],
            counts["withdrawn"],
            "catalog.records",
        ),
        make(
            "published_late",
            _("本期超过公开时限发布的政府信息"),
            conditions["published_late"],
            counts["published_late"],
            "catalog.records",
        ),
    ]


def attachments(period: Period, *, records: Records | None = None) -> list[Figure]:
    first, after = period.bounds()
    qs = Attachment.objects.filter(uploaded_at__gte=first, uploaded_at__lt=after)
    if records is not None:
        qs = qs.filter(record__in=records)
    return [
        Figure.make(
            "catalog.attachments.uploaded",
            _("本期上传的附件"),
            qs.count(),
            FILES,
            section="catalog.attachments",
            objects=_objects(qs),
        )
    ]


# Annual report table 二, row 二.1 (2019 Regulations Art. 20 (1)): which columns of the catalog hold
# the agency's rules (规章) and normative documents (行政规范性文件), by the row's key in the table;
# a column counts with all its leaves. Setting CATALOG_TABLE_2_COLUMNS replaces this. A department
# makes no 规章 (State Council departments and governments do), so its catalog has no column for
# them and they count none; an agency that files rules in a column lists its code here. A row left
# out of the setting is not counted: the office enters it in the report.
DEFAULT_TABLE_2_COLUMNS: dict[str, tuple[str, ...]] = {"rules": (), "normative": ("policy-rules",)}
TABLE_2_KINDS = {"rules": _("规章"), "normative": _("行政规范性文件")}


def table_2_columns() -> dict[str, tuple[str, ...]]:
    configured = getattr(settings, "CATALOG_TABLE_2_COLUMNS", DEFAULT_TABLE_2_COLUMNS)
    return {row: tuple(codes) for row, codes in configured.items() if row in TABLE_2_KINDS}


def _with_leaves(codes: tuple[str, ...]) -> list[int]:
    """The ids of the columns of these codes and of every column below them."""
    children: dict[int | None, list[int]] = {}
    found: list[int] = []
    for pk, parent_id, code in Category.objects.values_list("id", "parent_id", "code"):
        children.setdefault(parent_id, []).append(pk)
        if code in codes:
            found.append(pk)
    result: list[int] = []
    while found:
        pk = found.pop()
        result.append(pk)
        found.extend(children.get(pk, []))
    return result


def table_2(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Row 二.1 of the annual report's table 二, codes `catalog.table2.<row>.c1…c3` for the columns
    本年制发件数 (formed in the period), 本年废止件数 (repealed in the period, by `repealed_on`) and
    现行有效件数 (in force, 有效 or 已修改, at the period's end). Published records only: what the
    public sees in the catalog is what the report counts."""
    base = _scope(records).filter(status=Status.PUBLISHED)
    in_force = Q(validity__in=[Validity.IN_FORCE, Validity.AMENDED]) | Q(
        validity=Validity.REPEALED, repealed_on__gt=period.end
    )
    columns: tuple[tuple[str, Any, Q], ...] = (
        ("c1", _("本期制发的{kind}"), Q(formed_on__gte=period.start, formed_on__lte=period.end)),
        (
            "c2",
            _("本期废止的{kind}"),
            Q(validity=Validity.REPEALED, repealed_on__gte=period.start, repealed_on__lte=period.end),
        ),
        ("c3", _("期末现行有效的{kind}"), Q(formed_on__lte=period.end) & in_force),
    )
    result: list[Figure] = []
    for row, codes in table_2_columns().items():
        qs = base.filter(category_id__in=_with_leaves(codes))
        counts = qs.aggregate(**{key: Count("id", filter=q) for key, _label, q in columns})
        section = f"catalog.table2.{row}"
        for key, label, condition in columns:
            result.append(
                Figure.make(
                    f"{section}.{key}",
                    format_lazy(label, kind=TABLE_2_KINDS[row]),
                    counts[key],
                    CASES,
                    section=section,
                    objects=_objects(qs.filter(condition)),
                )
            )
    return result
