"""Public catalog pages: browse, record, attachment, search, guide pages, feeds."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from gongkai.accounts.models import Department
from gongkai.catalog import queries, search
from gongkai.catalog.choices import Genre, Status, Validity
from gongkai.catalog.models import Category, Page, Record
from gongkai.catalog.search import lookup
from gongkai.core import params
from gongkai.core.addresses import cached_url
from gongkai.core.pagecache import public_page
from gongkai.portal import errors

PAGE_SIZE = 20
# As Record.get_genre_display / get_validity_display give them (lazy: translated when shown).
_GENRE_LABELS: dict[str, Any] = dict(Genre.choices)
_VALIDITY_LABELS: dict[str, Any] = dict(Validity.choices)


def _int(value: str | None) -> int | None:
    """A page number: ignored unless a sensible positive integer (the search offset is bounded)."""
    return params.int_param(value, low=1, high=10_000)


@require_safe
@public_page  # shared through core.pagecache for PUBLIC_CACHE_SECONDS
@vary_on_cookie  # language and large-text mode are cookies: one cached copy per choice
def index(request: HttpRequest) -> HttpResponse:
    return browse(request, None)


@require_safe
@public_page  # shared through core.pagecache for PUBLIC_CACHE_SECONDS
@vary_on_cookie  # language and large-text mode are cookies: one cached copy per choice
def category(request: HttpRequest, code: str) -> HttpResponse:
    return browse(request, get_object_or_404(Category, code=code, is_active=True))


def browse(request: HttpRequest, current: Category | None) -> HttpResponse:
    records = queries.published_records()
    if current is not None:
        records = records.filter(category_id__in=queries.descendant_ids(current))
    year = params.year_param(request.GET.get("year"))
    department_id = params.id_param(request.GET.get("department"))
    years = records.annotate(y=ExtractYear("formed_on")).values_list("y", flat=True).order_by("-y").distinct()
    department_counts = (
        records.values("department_id", "department__name").annotate(n=Count("id")).order_by("-n")[:30]
    )
    if year:
        records = records.filter(formed_on__year=year)
    if department_id:
        records = records.filter(department_id=department_id)
    # Ordered by the publication date the list shows (the formation date is shown beside it).
    paginator = Paginator(records.order_by("-published_at", "-id"), PAGE_SIZE)
    number = _page_number(request)
    out_of_range = number if number > paginator.num_pages else None
    page = paginator.page(min(number, paginator.num_pages))
    return render(
        request,
        "catalog/public/browse.html",
        {
            "nav": current.code if current is not None and current.code == "annual-reports" else "catalog",
            "current": current,
            "tree": queries.category_tree(),
            "page": page,
            "years": list(years),
            "year": year,
            "departments": list(department_counts),
            "department_id": department_id,
            "query_base": _query_without_page(request),
            "query_pairs": _query_pairs(request),
            "out_of_range": out_of_range,
        },
        # A page past the end is a page that does not exist (the notice says how many there are).
        status=404 if out_of_range else 200,
    )


def _page_number(request: HttpRequest) -> int:
    """The page asked for; page 1 for a missing, malformed, zero or negative number."""
    return max(1, _int(request.GET.get("page")) or 1)


def _query_pairs(request: HttpRequest) -> list[tuple[str, str]]:
    """The other query parameters, as hidden fields of the jump-to-page form."""
    return [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
@public_page  # shared through core.pagecache for PUBLIC_CACHE_SECONDS
@vary_on_cookie  # language and large-text mode are cookies: one cached copy per choice
def record_detail(request: HttpRequest, index_number: str) -> HttpResponse:
    record = queries.get_public_record(index_number)
    category = record.category
    if record.status == Status.WITHDRAWN:
        return errors.gone(
            request,
            heading=_("该信息已撤回"),
            title=record.name,
            withdrawn_at=record.withdrawn_at,
            reason=record.withdrawal_reason,
            details=[(_("索引号"), record.index_number), (_("发布机构"), record.issuer)],
            section=(category.display_name, cached_url("catalog:category", category.code)),
            nav="catalog",
        )
    context: dict[str, Any] = {
        "record": record,
        "nav": "catalog",
        # Fixed addresses and choice labels, resolved without a template tag each (hot path).
        "home_url": cached_url("portal:home"),
        "catalog_url": cached_url("catalog:index"),
        "category_url": cached_url("catalog:category", category.code),
        "parent_url": cached_url("catalog:category", category.parent.code) if category.parent else "",
        "genre_label": _GENRE_LABELS.get(record.genre, record.genre),
        "validity_label": _VALIDITY_LABELS.get(record.validity, record.validity),
        # Y-m-d in the site's time zone, without the date filter's format machinery (hot path).
        "formed_on": record.formed_on.isoformat() if record.formed_on else "",
        "published_on": timezone.localdate(record.published_at).isoformat() if record.published_at else "",
    }
    if record.status == Status.PUBLISHED:
        context["attachments"] = queries.public_attachments(record)
    return render(request, "catalog/public/record.html", context)


@require_safe
def attachment(request: HttpRequest, index_number: str, attachment_id: int) -> FileResponse:
    item = queries.get_public_attachment(index_number, attachment_id)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


# A search address longer than this is answered with the project's own 414 page; gunicorn reads
# request lines up to 8190 bytes (gunicorn_conf.limit_request_line), so a pasted paragraph reaches
# Django and gets a clear page instead of the server's raw "URI Too Long".
MAX_QUERY_STRING = 2048
MAX_QUERY_CHARS = 100


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return render(
            request,
            "portal/error.html",
            {
                "status": 414,
                "heading": _("检索词太长"),
                "message": _("检索词最多 %(n)d 个字。请删去一些字，换用更短的关键词再检索。")
                % {"n": MAX_QUERY_CHARS},
            },
            status=414,
        )
    raw_query = (request.GET.get("q") or "").strip()
    query = raw_query[:MAX_QUERY_CHARS]
    category_code = request.GET.get("category") or ""
    year = params.year_param(request.GET.get("year"))
    department_id = params.id_param(request.GET.get("department"))
    page_number = _page_number(request)
    asked = request.GET.get("sort") or search.RELEVANCE
    order = asked if asked in search.ORDERS else search.RELEVANCE
    selected = Category.objects.filter(code=category_code).first() if category_code else None
    category_ids = queries.descendant_ids(selected) if selected else None
    results: list[tuple[Record, search.Hit]] = []
    total = 0
    capped = False
    counts: lookup.FilterCounts | None = None
    each_word: list[dict[str, Any]] = []
    if query:
        # An index number or document number held by one published record: that record.
        named = lookup.named_record(query) if page_number == 1 else None
        if named is not None:
            return redirect(named.get_absolute_url())
        found = search.search(
            query,
            category_ids=category_ids,
            year=year,
            department_id=department_id,
            offset=(page_number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
            order=order,
        )
        total = found.total
        capped = found.total_capped
        results = _with_records(found.hits)
        counts = _filter_counts(query, found, category_ids, year, department_id)
        words = search.parse_terms(query)
        if total == 0 and len(words) > 1:
            each_word = _each_word(request, words, category_ids, year, department_id)
    pages = max(1, -(-total // PAGE_SIZE))
    out_of_range = page_number if total and page_number > pages else None
    categories = queries.category_tree()
    departments = Department.objects.filter(is_active=True, records__status=Status.PUBLISHED).distinct()
    years = list(
        # Only years that have published records (by formation date, as the search filters).
        queries.published_records()
        .annotate(y=ExtractYear("formed_on"))
        .values_list("y", flat=True)
        .order_by("-y")
        .distinct()
    )
    return render(
        request,
        "catalog/public/search.html",
        {
            "nav": "search",
            "q": query,
            "order": order,
            "order_links": [
                (value, label, _query_with(request, sort=None if value == search.RELEVANCE else value))
                for value, label in (
                    (search.RELEVANCE, _("相关度")),
                    (search.DATE, _("发布日期（新的在前）")),
                )
            ],
            "counted": counts is not None,
            "category_options": [
                (
                    root,
                    _category_count(counts, root, children),
                    [(c, _count(counts, "categories", c.pk)) for c in children],
                )
                for root, children in categories
            ],
            "year_options": [(y, _count(counts, "years", y)) for y in years],
            "department_options": [(d, _count(counts, "departments", d.pk)) for d in departments],
            "named_departments": [
                (d, n, cached_url("catalog:index") + "?" + urlencode({"department": d.pk}))
                for d, n in (lookup.departments_named(query) if query else [])
            ],
            "each_word": each_word,
            # “签证”、“珲春”
            "each_word_phrase": _("、").join(_("“%(word)s”") % {"word": w["word"]} for w in each_word),
            "shortened": len(raw_query) > MAX_QUERY_CHARS,
            "max_chars": MAX_QUERY_CHARS,
            "results": results,
            "total": total,
            "capped": capped,
            "page_number": page_number,
            "pages": pages,
            "has_previous": page_number > 1,
            "has_next": page_number < pages,
            "category_code": category_code,
            "year": year,
            "department_id": department_id,
            "query_base": _query_without_page(request),
            "query_pairs": _query_pairs(request),
            "out_of_range": out_of_range,
        },
    )


def _with_records(hits: list[search.Hit]) -> list[tuple[Record, search.Hit]]:
    """The hits' records, in the hits' order (the hits carry the snippets: bodies stay in the database)."""
    by_id = (
        Record.objects.select_related("category", "department")
        .defer("body", "body_text")
        .in_bulk([h.record_id for h in hits])
    )
    return [(by_id[h.record_id], h) for h in hits if h.record_id in by_id]


def _filter_counts(
    query: str,
    found: search.SearchResult,
    category_ids: list[int] | None,
    year: int | None,
    department_id: int | None,
) -> lookup.FilterCounts | None:
    """Matches per filter value for this query (the other filters applied); None beyond TOTAL_CAP
    matches, where counting would cost more than the search."""
    if found.ids is None or not found.ids:  # no match: every count would be 0
        return None
    ids = found.ids
    if category_ids or year or department_id:
        unfiltered = search.search(query, limit=1)  # the counts cover every value of each filter
        if unfiltered.ids is None:
            return None
        ids = unfiltered.ids
    return lookup.filter_counts(ids, category_ids, year, department_id)


def _count(counts: lookup.FilterCounts | None, kind: str, key: int) -> int | None:
    return None if counts is None else getattr(counts, kind).get(key, 0)


def _category_count(
    counts: lookup.FilterCounts | None, root: Category, children: list[Category]
) -> int | None:
    """A column's count holds its sub-columns' (choosing it searches them too)."""
    if counts is None:
        return None
    return sum(counts.categories.get(c.pk, 0) for c in (root, *children))


# Records shown under each word when no record holds every word.
EACH_WORD = 3


def _each_word(
    request: HttpRequest,
    words: list[str],
    category_ids: list[int] | None,
    year: int | None,
    department_id: int | None,
) -> list[dict[str, Any]]:
    """For each word, its first few results (the same filters) and the address of its own search."""
    out = []
    for word in words:
        found = search.search(
            word, category_ids=category_ids, year=year, department_id=department_id, limit=EACH_WORD
        )
        out.append(
            {
                "word": word,
                "total": found.total,
                "capped": found.total_capped,
                "results": _with_records(found.hits),
                "query": _query_with(request, q=word),
            }
        )
    return out


def _query_with(request: HttpRequest, **changes: str | None) -> str:
    """The query string with parameters set (None: removed), back to page 1."""
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@require_safe
def page_view(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    return render(request, "catalog/public/page.html", {"page": page, "nav": slug})


class TextSummaryAtomFeed(Atom1Feed):
    """Summaries as `type="text"`: Django's `type="html"` has feed readers turn an escaped `<script>`
    or `<img onerror>` in a summary back into live markup; plain text is never markup."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


class CategoryFeed(Feed[Record, Category]):
    feed_type = TextSummaryAtomFeed

    def get_object(self, request: HttpRequest, code: str) -> Category:
        return get_object_or_404(Category, code=code, is_active=True)

    def title(self, obj: Category) -> str:
        return f"{settings.AGENCY_NAME} · {obj.name}"

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Category) -> str:
        return _("%(name)s栏目最新公开的政府信息") % {"name": obj.name}

    def items(self, obj: Category) -> list[Record]:
        return list(
            queries.published_records()
            .filter(category_id__in=queries.descendant_ids(obj))
            .order_by("-published_at")[:50]
        )

    def item_title(self, item: Record) -> str:
        return item.name

    def item_description(self, item: Record) -> str:
        return item.summary or item.body_text[:200]

    def item_pubdate(self, item: Record) -> Any:
        return item.published_at

    def item_updateddate(self, item: Record) -> Any:
        return item.published_at
