"""Run in a `gongkai shell` beside the real worker (test_worker_kill.py): a reviewer sends a
published police alert to one channel; the worker delivers it."""

from __future__ import annotations

import datetime as dt

from gongkai.accounts.choices import DepartmentKind
from gongkai.accounts.models import Department
from gongkai.accounts.services import do_create_staff
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Category
from gongkai.newmedia import services


def send_alert(endpoint: str, secret: str, timeout: int) -> None:
    agency = Department.objects.create(name="吉林省公安厅", kind=DepartmentKind.AGENCY)
    office = Department.objects.create(name="指挥中心", kind=DepartmentKind.OFFICE, parent=agency)
    branch = Department.objects.create(name="刑事侦查总队", kind=DepartmentKind.POLICE_BRANCH, parent=agency)
    reviewer = do_create_staff(
        username="reviewer",
        password="x-" * 8,
        full_name="李审核",
        department=office,
        roles=["reviewer"],
        actor=None,
    )
    editor = do_create_staff(
        username="editor",
        password="x-" * 8,
        full_name="王编辑",
        department=branch,
        roles=["editor"],
        actor=None,
    )
    channel = services.do_create_channel(
        {
            "slug": "weibo",
            "name": "政务微博",
            "catalog_channel": "weibo",
            "endpoint_url": endpoint,
            "secret": secret,
            "timeout_seconds": timeout,
        },
        actor=reviewer,
    )
    record = catalog.do_create_record(
        {
            "name": "警方提示：警惕冒充公检法诈骗",
            "summary": "冒充公检法的电话都是诈骗。",
            "body": "<p>公检法机关不会通过电话办案，不会要求转账到“安全账户”。</p>",
            "formed_on": dt.date(2026, 1, 5),
            "issuer": "吉林省公安厅",
            "category": Category.objects.get(code="alerts"),
            "department": branch,
        },
        actor=editor,
    )
    record = catalog.do_submit_record(record, actor=editor, expected_version=record.version)
    record = catalog.do_approve_record(record, actor=reviewer, expected_version=record.version)
    services.do_publish_and_send(
        record,
        [channel],
        actor=reviewer,
        expected_version=record.version,
        portal_url="https://gongkai.example",
    )
    print("sent", record.pk)
