"""API shapes of the catalog (docs/api.md). Only what the public may see: no internal fields."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

MAX_PAGE = 10_000
MAX_ID = 2**31 - 1
CATEGORY_PATTERN = r"^[-a-zA-Z0-9_]{1,40}$"


class RecordFilters(Schema):
    """Query parameters of /records (and, with a required q, of /search)."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始 (page, 1-based)")
    page_size: int = Field(20, ge=1, le=100, description="每页条数 (page size, at most 100)")
    category: str | None = Field(
        None,
        pattern=CATEGORY_PATTERN,
        description="栏目代码，含下级栏目 (category code, with sub-categories)",
    )
    year: int | None = Field(None, ge=1949, le=2100, description="成文年份 (year of formation)")
    department: int | None = Field(None, ge=1, le=MAX_ID, description="责任部门编号 (department id)")
    q: str | None = Field(None, max_length=100, description="检索词，空格分隔 (search terms)")


class SearchFilters(RecordFilters):
    q: str = Field(..., min_length=1, max_length=100, description="检索词，空格分隔 (search terms)")


class Choice(Schema):
    code: str
    label: str


class CategoryRef(Schema):
    code: str
    name: str


class DepartmentRef(Schema):
    id: int
    name: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class RecordOut(Schema):
    index_number: str
    name: str
    summary: str
    formed_on: dt.date
    issuer: str
    doc_number: str
    category: CategoryRef
    genre: Choice
    keywords: list[str]
    validity: Choice
    # Set on a published record when a later document repealed or amended it (变更有效性):
    # the day (null unless 已废止 / 已修改) and that document's 文号 or title ("" when none).
    repealed_on: dt.date | None
    amended_on: dt.date | None
    validity_document: str
    department: DepartmentRef
    published_at: dt.datetime
    url: str
    api_url: str


class RecordDetailOut(RecordOut):
    body: str  # sanitised HTML
    attachments: list[AttachmentOut]
    channels: list[Choice]


class RecordPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    count_capped: bool = False
    items: list[RecordOut]


class SearchHitOut(Schema):
    rank: float
    name_html: str  # escaped text, matches wrapped in <mark>
    snippet_html: str
    # the file the snippet comes from, when some term is only in an attachment's text
    attachment_id: int | None = None
    attachment_name: str = ""
    record: RecordOut


class SearchPage(Schema):
    query: str
    count: int
    count_capped: bool
    page: int
    page_size: int
    pages: int
    items: list[SearchHitOut]


class CategoryNode(Schema):
    code: str
    name: str
    name_en: str
    description: str
    record_count: int
    children: list[CategoryNode]


CategoryNode.model_rebuild()


class FieldError(Schema):
    location: str
    message: str


class ErrorOut(Schema):
    """Every error answer: a code, a Chinese and an English message."""

    code: str
    message: str
    message_en: str
    errors: list[FieldError] = []


class WithdrawalNotice(Schema):
    index_number: str
    name: str
    withdrawn_at: dt.datetime | None
    reason: str


class WithdrawnOut(ErrorOut):
    withdrawal: WithdrawalNotice
