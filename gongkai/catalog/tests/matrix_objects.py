"""The catalog in the access matrix (gongkai/core/tests/test_access_matrix.py): who may make each
record and page move (docs/workflows.md), records in every state, and the workbench endpoints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.catalog import services
from gongkai.catalog.models import Category, Page, Record
from gongkai.core.models import AuditEvent
from gongkai.core.tests.matrix import (
    HOME,
    NO_STATE,
    Built,
    Creation,
    Endpoint,
    World,
    creation,
    endpoint,
    objects,
    policy,
    relation,
)

RECORD = "catalog.record"
PAGE = "catalog.page"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# -- who may: a record is drafted by its own department's editors or head, or by the office; the
#    office alone reviews, publishes and withdraws, and never approves what it drafted or submitted.

relation(
    "same_department",
    lambda person, record: person.department_id is not None and person.department_id == record.department_id,
)

DRAFTERS = ({"editor", "head"}, "same_department"), ({"reviewer"}, "any")
OFFICE = ({"reviewer"}, "any")

EDITABLE = {"draft", "returned"}

policy(RECORD, "create", *DRAFTERS, sources=None)
policy(RECORD, "update", *DRAFTERS, sources=EDITABLE)
policy(RECORD, "submit", *DRAFTERS, sources=EDITABLE)
policy(RECORD, "approve", OFFICE, four_eyes=True, sources={"submitted"})
policy(RECORD, "return", OFFICE, sources={"submitted", "approved"})
policy(RECORD, "publish", OFFICE, sources={"approved"})
policy(RECORD, "withdraw", OFFICE, sources={"published"})
# A published record repealed or amended by a later document stays published, marked so.
policy(RECORD, "change_validity", OFFICE, sources={"published"})
# Files while drafted; the office also later, until withdrawn (a check of the record decides).
policy(RECORD, "add_attachment", *DRAFTERS, sources=None)
policy(RECORD, "record_publication", *DRAFTERS, sources={"published"})
policy(PAGE, "update", OFFICE, sources=None)


# -- records in each state, driven there through the services -----------------------------------


def record_data(world: World) -> dict[str, Any]:
    return {
        "name": "关于调整出入境证件受理时间的通知",
        "summary": "调整出入境证件受理时间。",
        "body": "<p>自下月起调整受理时间。</p>",
        "formed_on": dt.date(2015, 6, 1),
        "issuer": "吉林省公安厅",
        "category": Category.objects.get(code="policy-rules"),
        "genre": "notice",
        "keywords": "出入境",
        "department": world.departments[HOME],
    }


def _record(world: World, status: str, *, drafter: str = "editor", submitter: str = "editor") -> Built:
    people = world.people
    reviewer = people["reviewer"]
    record = services.do_create_record(record_data(world), actor=people[drafter])
    hands = frozenset({drafter})
    steps = {
        "submitted": [
            lambda r: services.do_submit_record(r, actor=people[submitter], expected_version=r.version)
        ],
        "returned": [
            lambda r: services.do_submit_record(r, actor=people[submitter], expected_version=r.version),
            lambda r: services.do_return_record(
                r, actor=reviewer, reason="文号有误", expected_version=r.version
            ),
        ],
        "approved": [
            lambda r: services.do_submit_record(r, actor=people[submitter], expected_version=r.version),
            lambda r: services.do_approve_record(r, actor=reviewer, expected_version=r.version),
        ],
    }
    steps["published"] = [
        *steps["approved"],
        lambda r: services.do_publish_record(r, actor=reviewer, expected_version=r.version),
    ]
    steps["withdrawn"] = [
        *steps["published"],
        lambda r: services.do_withdraw_record(r, actor=reviewer, reason="已废止", expected_version=r.version),
    ]
    for step in steps.get(status, []):
        record = step(record)
    if status != "draft":
        hands |= {submitter}
    return Built(record, hands)


def _in(status: str) -> Callable[[World], Built]:
    return lambda world: _record(world, status)


for _status in ("draft", "returned", "submitted", "approved", "published", "withdrawn"):
    objects(RECORD, _status)(_in(_status))
# Four eyes: the office reviewer drafted it (an editor submitted it), or submitted it.
objects(RECORD, "submitted~drafted_by_reviewer")(
    lambda world: _record(world, "submitted", drafter="reviewer")
)
objects(RECORD, "submitted~submitted_by_reviewer")(
    lambda world: _record(world, "submitted", submitter="reviewer")
)
objects(PAGE, NO_STATE)(lambda world: Built(Page.objects.get(slug="guide")))


def _created() -> tuple[int, int]:
    return Record.objects.count(), AuditEvent.objects.filter(action="catalog.record.created").count()


creation(
    RECORD,
    "create",
    Creation(
        template=lambda world: Record(department=world.departments[HOME]),
        attempt=lambda world, actor: services.do_create_record(record_data(world), actor=actor),
        count=_created,
    ),
)


# -- the workbench endpoints ------------------------------------------------------------------


def _form(world: World, record: Record | None = None) -> dict[str, Any]:
    data = record_data(world)
    form = {
        **{k: v for k, v in data.items() if k not in ("category", "department", "formed_on")},
        "category": data["category"].pk,
        "department": data["department"].pk,
        "formed_on": data["formed_on"].isoformat(),
        "validity": "in_force",
        "secrecy": "non_secret",
        "attribute": "proactive",
    }
    if record is not None:
        form.update(name="改后的名称", version=record.version)
    return form


def _url(action: str) -> Any:
    return lambda record: f"/workbench/records/{record.pk}/{action}/"


def _detail(record: Record) -> str:
    return f"/workbench/records/{record.pk}/"


def _action(action: str, **extra: Any) -> Endpoint:
    return Endpoint(
        post=lambda client, world, record: client.post(
            _url(action)(record), {"version": record.version, **extra}
        ),
        page=_detail,
        marker=_url(action),
    )


def _attach(client: Client, world: World, record: Record) -> Any:
    upload = SimpleUploadedFile("通告.pdf", PDF, content_type="application/pdf")
    return client.post(_url("attachments")(record), {"version": record.version, "file": upload})


endpoint(
    RECORD,
    "create",
    Endpoint(post=lambda client, world, _obj: client.post("/workbench/records/new/", _form(world))),
)
endpoint(
    RECORD,
    "update",
    Endpoint(
        post=lambda client, world, record: client.post(_url("edit")(record), _form(world, record)),
        page=_detail,
        marker=_url("edit"),
    ),
)
endpoint(RECORD, "submit", _action("submit"))
endpoint(RECORD, "approve", _action("approve"))
endpoint(RECORD, "return", _action("return", reason="文号有误"))
endpoint(RECORD, "publish", _action("publish"))
endpoint(RECORD, "withdraw", _action("withdraw", reason="已废止"))
endpoint(
    RECORD,
    "change_validity",
    _action("validity", validity="repealed", document="吉公发〔2015〕30号", reason="已被新文件废止"),
)
endpoint(RECORD, "add_attachment", Endpoint(post=_attach, page=_detail, marker=_url("attachments")))
endpoint(
    RECORD,
    "record_publication",
    _action("publications", channel="weibo", published_at="2015-06-03T10:00", link="https://weibo.example/1"),
)
endpoint(
    PAGE,
    "update",
    Endpoint(
        post=lambda client, world, page: client.post(
            f"/workbench/pages/{page.slug}/",
            {"title": "公开指南（修订）", "body": "<p>新的指南</p>", "version": page.version},
        )
    ),
)
