"""Which catalog records are major policies that call for an interpretation, and which of them
have none.

The seed: "before major policies are issued, interpret them (召开新闻发布会、开展新闻宣传)". Which
columns hold major policies is configuration (`settings.PRESSROOM_POLICY_CATEGORIES`, environment
`GONGKAI_PRESSROOM_POLICY_CATEGORIES`, comma-separated catalog category codes; a column's code
includes its sub-columns). The default is `policy-rules` (规范性文件): the notices, opinions and
measures the agency issues to the public; `policy-other` (其他文件: announcements of activities)
and the news columns call for none."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from gongkai.catalog.models import Category, Record
from gongkai.pressroom.choices import Status
from gongkai.pressroom.models import Interpretation

DEFAULT_CATEGORIES = ("policy-rules",)


def category_codes() -> tuple[str, ...]:
    codes = getattr(settings, "PRESSROOM_POLICY_CATEGORIES", DEFAULT_CATEGORIES)
    return tuple(code for code in codes if code)


def category_ids() -> list[int]:
    """The configured columns and every column beneath them."""
    ids = list(Category.objects.filter(code__in=category_codes()).values_list("pk", flat=True))
    frontier = ids
    while frontier:
        frontier = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def is_policy(record: Record) -> bool:
    return record.category_id in category_ids()


def policy_records() -> QuerySet[Record]:
    return Record.objects.filter(category_id__in=category_ids())


def published_policies() -> QuerySet[Record]:
    return policy_records().filter(status="published")


def _interpreted_by(before: dt.datetime | None) -> Exists:
    """An interpretation of the record was live (published, not withdrawn) at `before` (None: now)."""
    interpretations = Interpretation.objects.filter(policy=OuterRef("pk"))
    if before is None:
        return Exists(interpretations.filter(status=Status.PUBLISHED))
    return Exists(
        interpretations.filter(published_at__lt=before).filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=before)
        )
    )


def uninterpreted(records: QuerySet[Record] | None = None) -> QuerySet[Record]:
    """Published major policies that have no published interpretation now (the office's list)."""
    records = published_policies() if records is None else records
    return records.filter(~_interpreted_by(None))


def uninterpreted_in(first: dt.datetime, after: dt.datetime) -> QuerySet[Record]:
    """Major policies published in [first, after) with no live interpretation at the period's end."""
    published = policy_records().filter(published_at__gte=first, published_at__lt=after)
    # A policy withdrawn since still counts: it was published without an interpretation.
    published = published.filter(status__in=("published", "withdrawn"))
    return published.filter(~_interpreted_by(after))
