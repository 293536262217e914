"""Catalog API: published records only (docs/api.md).

Anything not published answers 404; a withdrawn record answers 410 with its withdrawal notice, as
its portal page does. Every error has one shape: `ErrorOut` (code, Chinese and English message).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import partial
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Query, Router
from ninja.errors import HttpError, ValidationError

from gongkai.catalog import search as catalog_search
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Attachment, Category, Record
from gongkai.catalog.schemas import (
    CategoryNode,
    ErrorOut,
    RecordDetailOut,
    RecordFilters,
    RecordPage,
    SearchFilters,
    SearchPage,
    WithdrawnOut,
)

router = Router(tags=["catalog"])

INDEX_NUMBER_RE = re.compile(r"^[0-9A-Za-z]{1,20}/\d{4}-\d{5}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

LIST_RESPONSES: dict[int, Any] = {200: RecordPage, 400: ErrorOut, 422: ErrorOut}


def error(code: str, message: str, message_en: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "message_en": message_en, "errors": [], **extra}


NOT_FOUND = ("not_found", "未找到该政府信息，或该信息未公开。", "No such published record.")


# ---------------------------------------------------------------------------------------------
# Shaping records for the public: only the fields the portal shows.


def published_records() -> QuerySet[Record]:
    return Record.objects.filter(status=Status.PUBLISHED).select_related("category", "department")


def attachment_url(index_number: str, attachment_id: int) -> str:
    return f"/catalog/r/{index_number}/attachments/{attachment_id}/"


def record_out(record: Record) -> dict[str, Any]:
    return {
        "index_number": record.index_number,
        "name": record.name,
        "summary": record.summary,
        "formed_on": record.formed_on,
        "issuer": record.issuer,
        "doc_number": record.doc_number,
        "category": {"code": record.category.code, "name": record.category.name},
        "genre": {"code": record.genre, "label": record.get_genre_display()},
        "keywords": [k.strip() for k in record.keyword_list],
        "validity": {"code": record.validity, "label": record.get_validity_display()},
        "repealed_on": record.repealed_on,
        "amended_on": record.amended_on,
        "validity_document": record.validity_document,
        "department": {"id": record.department_id, "name": record.department.name},
        "published_at": record.published_at,
        "url": f"/catalog/r/{record.index_number}/",
        "api_url": reverse("api-v1:record", kwargs={"index_number": record.index_number}),
    }


def record_detail_out(record: Record) -> dict[str, Any]:
    attachments = Attachment.objects.filter(record=record).order_by("id")
    channels = {p.channel: p.get_channel_display() for p in record.publications.order_by("published_at")}
    return {
        **record_out(record),
        "body": record.body,
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "url": attachment_url(record.index_number, a.pk),
            }
            for a in attachments
        ],
        "channels": [{"code": code, "label": label} for code, label in channels.items()],
    }


def clean_query(q: str | None) -> str:
    return _CONTROL_RE.sub(" ", q or "").strip()


def category_ids_for(code: str) -> list[int] | None:
    """The category and its descendants; None if the code is unknown."""
    categories = list(Category.objects.filter(is_active=True).values_list("id", "code", "parent_id"))
    root = next((cid for cid, ccode, _parent in categories if ccode == code), None)
    if root is None:
        return None
    children: dict[int | None, list[int]] = defaultdict(list)
    for cid, _code, parent in categories:
        children[parent].append(cid)
    ids, stack = [], [root]
    while stack:
        current = stack.pop()
        ids.append(current)
        stack.extend(children.get(current, []))
    return ids


def pages_for(count: int, page_size: int) -> int:
    return max(1, math.ceil(count / page_size))


# ---------------------------------------------------------------------------------------------
# Endpoints.


@router.get("/records", response=LIST_RESPONSES, url_name="records", summary="Published records")
def list_records(request: HttpRequest, filters: Query[RecordFilters]) -> Any:
    page, page_size, category = filters.page, filters.page_size, filters.category
    year, department = filters.year, filters.department
    category_ids: list[int] | None = None
    if category:
        category_ids = category_ids_for(category)
        if category_ids is None:
            return 400, error(
                "unknown_category", f"没有代码为“{category}”的栏目。", f"No category “{category}”."
            )
    offset = (page - 1) * page_size
    query = clean_query(filters.q)
    if query:
        result = catalog_search.search(
            query,
            category_ids=category_ids,
            year=year,
            department_id=department,
            offset=offset,
            limit=page_size,
        )
        by_id = published_records().defer("body", "body_text").in_bulk([h.record_id for h in result.hits])
        items = [record_out(by_id[h.record_id]) for h in result.hits if h.record_id in by_id]
        return 200, {
            "count": result.total,
            "count_capped": result.total_capped,
            "page": page,
            "page_size": page_size,
            "pages": pages_for(result.total, page_size),
            "items": items,
        }
    qs = published_records()
    if category_ids is not None:
        qs = qs.filter(category_id__in=category_ids)
    if year is not None:
        qs = qs.filter(formed_on__year=year)
    if department is not None:
        qs = qs.filter(department_id=department)
    count = qs.count()
    records = qs.order_by("-published_at", "-id")[offset : offset + page_size]
    return 200, {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages_for(count, page_size),
        "items": [record_out(r) for r in records],
    }


@router.get(
    "/records/{path:index_number}",
    response={200: RecordDetailOut, 404: ErrorOut, 410: WithdrawnOut},
    url_name="record",
    summary="One published record, by index number (e.g. 013544308/2015-00001)",
)
def get_record(request: HttpRequest, index_number: str) -> Any:
    if not INDEX_NUMBER_RE.match(index_number):
        return 404, error(*NOT_FOUND)
    record = (
        Record.objects.filter(index_number=index_number, status__in=(Status.PUBLISHED, Status.WITHDRAWN))
        .select_related("category", "department")
        .first()
    )
    if record is None:
        return 404, error(*NOT_FOUND)
    if record.status == Status.WITHDRAWN:
        return 410, error(
            "withdrawn",
            "该政府信息已撤回。",
            "This record has been withdrawn.",
            withdrawal={
                "index_number": record.index_number,
                "name": record.name,
                "withdrawn_at": record.withdrawn_at,
                "reason": record.withdrawal_reason,
            },
        )
    return 200, record_detail_out(record)


@router.get("/categories", response=list[CategoryNode], url_name="categories", summary="The category tree")
def list_categories(request: HttpRequest) -> Any:
    categories = list(Category.objects.filter(is_active=True).order_by("position", "id"))
    counts = dict(
        Record.objects.filter(status=Status.PUBLISHED)
        .values_list("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    children: dict[int | None, list[Category]] = defaultdict(list)
    for c in categories:
        children[c.parent_id].append(c)

    def node(c: Category) -> dict[str, Any]:
        kids = [node(k) for k in children.get(c.pk, [])]
        return {
            "code": c.code,
            "name": c.name,
            "name_en": c.name_en,
            "description": c.description,
            "record_count": counts.get(c.pk, 0) + sum(k["record_count"] for k in kids),
            "children": kids,
        }

    return [node(c) for c in children.get(None, [])]


@router.get("/search", response={200: SearchPage, 400: ErrorOut, 422: ErrorOut}, url_name="search")
def search_records(request: HttpRequest, filters: Query[SearchFilters]) -> Any:
    """Full-text search of published records; `name_html`/`snippet_html` mark matches with <mark>."""
    page, page_size, category = filters.page, filters.page_size, filters.category
    query = clean_query(filters.q)
    if not query:
        return 400, error("empty_query", "请输入检索词。", "Enter a search term.")
    category_ids: list[int] | None = None
    if category:
        category_ids = category_ids_for(category)
        if category_ids is None:
            return 400, error(
                "unknown_category", f"没有代码为“{category}”的栏目。", f"No category “{category}”."
            )
    result = catalog_search.search(
        query,
        category_ids=category_ids,
        year=filters.year,
        department_id=filters.department,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    by_id = published_records().defer("body", "body_text").in_bulk([h.record_id for h in result.hits])
    items = [
        {
            "rank": hit.rank,
            "name_html": hit.name_html or _escape(by_id[hit.record_id].name),
            "snippet_html": hit.snippet_html,
            "attachment_id": hit.attachment_id,
            "attachment_name": hit.attachment_name,
            "record": record_out(by_id[hit.record_id]),
        }
        for hit in result.hits
        if hit.record_id in by_id
    ]
    return 200, {
        "query": query,
        "count": result.total,
        "count_capped": result.total_capped,
        "page": page,
        "page_size": page_size,
        "pages": pages_for(result.total, page_size),
        "items": items,
    }


def _escape(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


# ---------------------------------------------------------------------------------------------
# One error shape for the whole API. gongkai/api.py calls install_error_handlers(api).


def _on_validation_error(request: HttpRequest, exc: ValidationError, *, api: NinjaAPI) -> HttpResponse:
    details = [
        {
            "location": ".".join(str(part) for part in e.get("loc", ())),
            "message": str(e.get("msg", "")),
        }
        for e in exc.errors
    ]
    body = error("invalid_parameters", "请求参数有误。", "Invalid request parameters.")
    body["errors"] = details
    return api.create_response(request, body, status=422)


def _on_not_found(request: HttpRequest, exc: Exception, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error(*NOT_FOUND), status=404)


def _on_http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    messages = {
        400: ("bad_request", "请求有误。", "Bad request."),
        401: ("unauthorized", "请提供有效的接入令牌。", "A valid access token is required."),
        403: ("forbidden", "无权访问。", "Forbidden."),
        405: ("method_not_allowed", "不支持该请求方法。", "Method not allowed."),
        429: ("too_many_requests", "请求过于频繁，请稍后再试。", "Too many requests."),
    }
    code, message, message_en = messages.get(exc.status_code, ("error", "请求失败。", str(exc)))
    return api.create_response(request, error(code, message, message_en), status=exc.status_code)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's `{"detail": …}` answers with ErrorOut (Chinese + English message)."""
    api.add_exception_handler(ValidationError, partial(_on_validation_error, api=api))
    api.add_exception_handler(Http404, partial(_on_not_found, api=api))
    api.add_exception_handler(HttpError, partial(_on_http_error, api=api))
