"""What a typed query may name besides words: one record (its 索引号 or 文号), a department, and
the result counts per filter value beside the search filters.

* An index number (``013544308/2015-00001``) or a document number (``吉公发〔2015〕12号``, also
  typed with ``[]``, ``()``, ``（）``, ``【】`` … brackets, full-width digits, or without 号) held by
  exactly one published record names that record: the search page sends the visitor to it.
* A department name (出入境管理局) is offered as the department's whole list beside the results.
* Counts: per category, year and department, over the query's matches with the *other* filters
  applied (what choosing that value would give), one GROUP BY each over at most TOTAL_CAP ids;
  none when the query matches more (``None``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from gongkai.accounts.models import Department
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record
from gongkai.catalog.search.text import normalise_term

_INDEX_NUMBER_RE = re.compile(r"[0-9A-Za-z]{6,20}/\d{4}-\d{1,8}")
_OPEN = "〔[(（［【﹝"
_CLOSE = "〕])）］】﹞"
_BRACKETS = tuple(zip(_OPEN, _CLOSE, strict=True))
_DOC_NUMBER_RE = re.compile(
    rf"(?P<org>[^\s{re.escape(_OPEN + _CLOSE)}]{{1,40}}?)[{re.escape(_OPEN)}](?P<year>\d{{4}})"
    rf"[{re.escape(_CLOSE)}]第?(?P<no>\d{{1,6}})号?"
)
# Department names offered: the one named exactly, else at most this many containing the query.
MAX_DEPARTMENTS = 3
MIN_DEPARTMENT_PART = 3  # characters of a query looked for inside department names


def compact(query: str) -> str:
    """The query without spaces, full-width letters and digits folded and punctuation around it
    stripped (a number is often pasted with a space or a full stop)."""
    return normalise_term("".join(query.split()))


def doc_number_forms(typed: str) -> list[str]:
    """The spellings a document number typed as ``typed`` may be kept in: every bracket pair,
    with and without 第 and 号. Empty when ``typed`` is not a document number."""
    match = _DOC_NUMBER_RE.fullmatch(typed)
    if match is None:
        return []
    org, year, number = match["org"], match["year"], str(int(match["no"]))
    return [
        f"{org}{o}{year}{c}{first}{number}{last}"
        for o, c in _BRACKETS
        for first in ("", "第")
        for last in ("号", "")
    ]


def named_record(query: str) -> Record | None:
    """The one published record whose index number or document number is the query; None when
    no record or several have it."""
    typed = compact(query)
    published = Record.objects.filter(status=Status.PUBLISHED)
    if _INDEX_NUMBER_RE.fullmatch(typed):
        return published.filter(index_number__in={typed, typed.upper()}).first()
    forms = doc_number_forms(typed)
    if not forms:
        return None
    # Unordered: any two tell one from several, and the (status, doc_number) index answers alone.
    found = list(published.filter(doc_number__in=forms).order_by().only("pk", "index_number")[:2])
    return found[0] if len(found) == 1 else None


def departments_named(query: str) -> list[tuple[Department, int]]:
    """Active departments the query names (exactly; else ones whose name holds a query of at least
    MIN_DEPARTMENT_PART characters), with their count of published records, those with any."""
    typed = compact(query)
    if len(typed) < 2:
        return []
    active = Department.objects.filter(is_active=True)
    found = list(active.filter(name=typed)[:1])
    if not found and len(typed) >= MIN_DEPARTMENT_PART:
        found = list(active.filter(name__contains=typed).order_by("pk")[:MAX_DEPARTMENTS])
    if not found:
        return []
    counts = dict(
        Record.objects.filter(status=Status.PUBLISHED, department__in=found)
        .values_list("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    return [(d, counts[d.pk]) for d in found if counts.get(d.pk)]


@dataclass(frozen=True)
class FilterCounts:
    categories: dict[int, int] = field(default_factory=dict)  # category id -> matches
    years: dict[int, int] = field(default_factory=dict)
    departments: dict[int, int] = field(default_factory=dict)


def filter_counts(
    ids: Iterable[int], category_ids: list[int] | None, year: int | None, department_id: int | None
) -> FilterCounts:
    """Counts per value of each filter over the records ``ids`` (the query's matches without any
    filter), each with the other two filters applied."""
    matches = Record.objects.filter(pk__in=list(ids), status=Status.PUBLISHED)

    def narrowed(
        *, by_category: bool = True, by_year: bool = True, by_department: bool = True
    ) -> QuerySet[Record]:
        records = matches
        if by_category and category_ids:
            records = records.filter(category_id__in=category_ids)
        if by_year and year:
            records = records.filter(formed_on__year=year)
        if by_department and department_id:
            records = records.filter(department_id=department_id)
        return records.order_by()

    def grouped(records: QuerySet[Record], column: str) -> dict[int, int]:
        rows = records.values(column).annotate(n=Count("id")).values_list(column, "n")
        return {int(k): int(n) for k, n in rows if k is not None}

    return FilterCounts(
        categories=grouped(narrowed(by_category=False), "category_id"),
        years=grouped(narrowed(by_year=False).annotate(y=ExtractYear("formed_on")), "y"),
        departments=grouped(narrowed(by_department=False), "department_id"),
    )
