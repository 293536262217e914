"""Catalog search (placeholder: substring scan). Replaced by the per-character FTS index."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record


@dataclass(frozen=True)
class Hit:
    record_id: int
    rank: float
    name_html: str = ""
    snippet_html: str = ""


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)


def parse_terms(query: str) -> list[str]:
    return [t for t in query.replace("\u3000", " ").split() if t][:8]


def index_records(records: Iterable[Record]) -> None:
    return None


def unindex_record(record_id: int) -> None:
    return None


def search(
    query: str,
    *,
    category_ids: list[int] | None = None,
    year: int | None = None,
    department_id: int | None = None,
    offset: int = 0,
    limit: int = 20,
) -> SearchResult:
    terms = parse_terms(query)
    qs = Record.objects.filter(status=Status.PUBLISHED)
    for term in terms:
        qs = qs.filter(Q(name__contains=term) | Q(summary__contains=term) | Q(body_text__contains=term))
    if category_ids:
        qs = qs.filter(category_id__in=category_ids)
    if year:
        qs = qs.filter(formed_on__year=year)
    if department_id:
        qs = qs.filter(department_id=department_id)
    total = qs.count()
    ids = list(qs.order_by("-published_at").values_list("id", flat=True)[offset : offset + limit])
    return SearchResult(total=total, hits=[Hit(record_id=i, rank=0.0) for i in ids])
