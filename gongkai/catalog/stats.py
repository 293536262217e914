"""The catalog's figures for a period (core.figures): records published, by top-level column and by
channel, formed by disclosure attribute, withdrawn, published past their limit, attachments.

Each part takes the records to count (`records`, default all), so the dashboard asks the same
figures for what the user may see; the registered provider counts the whole agency."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.choices import Channel, DisclosureAttribute
from gongkai.catalog.models import Attachment, Category, Publication, Record
from gongkai.core.figures import FILES, ITEMS, Figure, Period

Records = QuerySet[Record]


def figures(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Every catalog figure of the period, in the order a report states them."""
    return [
        *published(period, records=records),
        *channels(period, records=records),
        *formed(period, records=records),
        *created(period, records=records),
        *withdrawn(period, records=records),
        *published_late(period, records=records),
        *attachments(period, records=records),
    ]


def _scope(records: Records | None) -> Records:
    return Record.objects.all() if records is None else records


def _objects(qs: QuerySet[Any]) -> Any:
    # A fresh queryset each call: a caller may slice or paginate what it gets.
    return lambda: qs.all()


def published(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Records first published in the period (whatever happened to them after), in total and by
    top-level column of the catalog."""
    first, after = period.bounds()
    qs = _scope(records).filter(published_at__gte=first, published_at__lt=after)
    by_category = dict(qs.values_list("category_id").annotate(n=Count("id")).order_by())
    section = "catalog.records.published"
    result = [
        Figure.make(
            f"{section}.total",
            _("本期发布的政府信息"),
            sum(by_category.values()),
            ITEMS,
            section=section,
            objects=_objects(qs),
        )
    ]
    categories = list(Category.objects.values_list("id", "parent_id", "code", "name", "name_en", "is_active"))
    parent = {pk: parent_id for pk, parent_id, *_rest in categories}

    def root(pk: int) -> int:
        while parent.get(pk) is not None:
            pk = parent[pk]
        return pk

    members: dict[int, list[int]] = {}
    for pk, *_rest in categories:
        members.setdefault(root(pk), []).append(pk)
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
                f"{section}.category.{code}",
                label_zh,
                label_en,
                count,
                ITEMS,
                section=f"{section}.category",
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


def formed(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Records formed (成文日期) in the period, by disclosure attribute."""
    qs = _scope(records).filter(formed_on__gte=period.start, formed_on__lte=period.end)
    counts = dict(qs.values_list("attribute").annotate(n=Count("id")).order_by())
    section = "catalog.records.formed"
    result = [
        Figure.make(
            f"{section}.total",
            _("本期形成的政府信息"),
            sum(counts.values()),
            ITEMS,
            section=section,
            objects=_objects(qs),
        )
    ]
    for attribute in DisclosureAttribute:
        result.append(
            Figure.make(
                f"{section}.{attribute.value}",
                format_lazy(_("本期形成的政府信息：{part}"), part=attribute.label),
                counts.get(attribute.value, 0),
                ITEMS,
                section=section,
                objects=_objects(qs.filter(attribute=attribute.value)),
            )
        )
    return result


def created(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Records entered into the system in the period (drafts, imports), whatever their status."""
    first, after = period.bounds()
    qs = _scope(records).filter(created_at__gte=first, created_at__lt=after)
    return [
        Figure.make(
            "catalog.records.created",
            _("本期录入的政府信息"),
            qs.count(),
            ITEMS,
            section="catalog.records",
            objects=_objects(qs),
        )
    ]


def withdrawn(period: Period, *, records: Records | None = None) -> list[Figure]:
    first, after = period.bounds()
    qs = _scope(records).filter(withdrawn_at__gte=first, withdrawn_at__lt=after)
    return [
        Figure.make(
            "catalog.records.withdrawn",
            _("本期撤回的政府信息"),
            qs.count(),
            ITEMS,
            section="catalog.records",
            objects=_objects(qs),
        )
    ]


def published_late(period: Period, *, records: Records | None = None) -> list[Figure]:
    """Records published in the period after their publication limit (20 working days from
    formation: 2007 Art. 18, 2019 Art. 26), by the Beijing date of publication."""
    first, after = period.bounds()
    qs = _scope(records).filter(
        published_at__gte=first,
        published_at__lt=after,
        publish_due__isnull=False,
        published_at__date__gt=F("publish_due"),
    )
    return [
        Figure.make(
            "catalog.records.published_late",
            _("本期超过公开时限发布的政府信息"),
            qs.count(),
            ITEMS,
            section="catalog.records",
            objects=_objects(qs),
        )
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
