"""The power and approval lists in the JSON API (/api/v1/powers…): what the portal shows, as open
data. Only live published versions; an item's content is the version as published."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from gongkai.catalog.api import error
from gongkai.catalog.schemas import ErrorOut
from gongkai.powers import queries
from gongkai.powers.choices import ItemList, Level, PowerCategory
from gongkai.powers.models import ItemVersion

router = Router(tags=["powers"])

CATEGORY_PATTERN = "^(" + "|".join(PowerCategory.values) + ")$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_\-.]{0,39}$"
NOT_FOUND = ("not_found", "没有这个已公布的事项。", "No published item with this code.")


class ItemFilters(Schema):
    list: Literal["powers", "approvals"] = Field(
        "powers", description="清单：权力清单或行政审批事项 (which list)"
    )
    category: str | None = Field(None, pattern=CATEGORY_PATTERN, description="职权类别代码 (category code)")
    page: int = Field(1, ge=1, le=10_000, description="页码 (page, 1-based)")
    page_size: int = Field(50, ge=1, le=200, description="每页条数 (page size, at most 200)")


class ItemOut(Schema):
    code: str
    name: str
    list: str
    category: str
    category_label: str
    department: str
    level: str
    level_label: str
    version: int
    published_at: str
    url: str


class ItemPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[ItemOut]


class ItemDetailOut(ItemOut):
    content: dict[str, Any] = Field(description="基本信息、责任清单、办事指南、流程 (as published)")
    flowchart_text: list[str]
    form_pdf: str
    form_docx: str


def _out(version: ItemVersion, request: HttpRequest) -> dict[str, Any]:
    return {
        "code": version.code,
        "name": version.name,
        "list": version.list_kind,
        "category": version.category,
        "category_label": str(PowerCategory(version.category).label),
        "department": version.department.name,
        "level": version.level,
        "level_label": str(Level(version.level).label),
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "url": request.build_absolute_uri(f"/powers/i/{version.code}/"),
    }


@router.get(
    "/powers",
    response={200: ItemPage, 422: ErrorOut},
    url_name="powers",
    summary="Published power or approval items",
)
def list_items(request: HttpRequest, filters: Query[ItemFilters]) -> Any:
    versions = queries.live_versions(ItemList.APPROVALS if filters.list == "approvals" else ItemList.POWERS)
    if filters.category:
        versions = versions.filter(category=filters.category)
    offset = (filters.page - 1) * filters.page_size
    page = versions.select_related("department")[offset : offset + filters.page_size]
    return {
        "total": versions.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_out(version, request) for version in page],
    }


@router.get(
    "/powers/{code}",
    response={200: ItemDetailOut, 404: ErrorOut, 422: ErrorOut},
    url_name="power",
    summary="One published item with its responsibility list, guide and flow",
)
def get_item(request: HttpRequest, code: str) -> Any:
    import re

    from django.http import Http404

    if not re.match(CODE_PATTERN, code):
        return 404, error(*NOT_FOUND)
    try:
        version = queries.get_public_version(code)
    except Http404:
        return 404, error(*NOT_FOUND)
    if not version.is_live:
        return 404, error(*NOT_FOUND)
    content = {key: value for key, value in version.content.items() if key != "department_id"}
    return {
        **_out(version, request),
        "content": content,
        # Every flowchart's text, one after another (the steps in `content` name their procedure).
        "flowchart_text": [line for chart in version.flowcharts.all() for line in chart.text_lines()],
        "form_pdf": request.build_absolute_uri(f"/powers/i/{version.code}/form.pdf"),
        "form_docx": request.build_absolute_uri(f"/powers/i/{version.code}/form.docx"),
    }
