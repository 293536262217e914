"""Run in a `gongkai shell` beside the real worker (test_worker_kill.py): the staff that the
catalog's acts need, and the acts themselves, started the way the workbench starts them."""

from __future__ import annotations

import datetime as dt

from gongkai.accounts.choices import DepartmentKind
from gongkai.accounts.models import Department, User
from gongkai.accounts.services import do_create_staff
from gongkai.catalog.tests.test_import import csv_bytes, row


def staff() -> tuple[User, User]:
    agency = Department.objects.create(name="吉林省公安厅", kind=DepartmentKind.AGENCY)
    office = Department.objects.create(name="指挥中心（公开办）", kind=DepartmentKind.OFFICE, parent=agency)
    branch = Department.objects.create(name="出入境管理局", kind=DepartmentKind.POLICE_BRANCH, parent=agency)
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
    return reviewer, editor


def start_import(count: int) -> None:
    """A reviewer sends a catalog of `count` rows (every other one published) on the import page."""
    from gongkai.catalog import tasks

    reviewer, _editor = staff()
    rows = [
        row(名称=f"关于第{n}批口岸签证业务的通告", 发布日期="2015-06-02" if n % 2 else "")
        for n in range(count)
    ]
    run = tasks.start_import(reviewer, "catalog.csv", csv_bytes(rows), partial=False, ip="10.0.0.7")
    assert run is not None
    print("run", run.pk)


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def approved_record(endpoint: str = "", secret: str = "") -> None:
    """An approved alert with an attachment (its text extraction queued), and a Weibo channel."""
    from gongkai.catalog import services as catalog
    from gongkai.catalog.models import Category
    from gongkai.newmedia import services as newmedia

    reviewer, editor = staff()
    if endpoint:
        newmedia.do_create_channel(
            {
                "slug": "weibo",
                "name": "政务微博",
                "catalog_channel": "weibo",
                "endpoint_url": endpoint,
                "secret": secret,
                "timeout_seconds": 20,
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
            "department": editor.department,
        },
        actor=editor,
    )
    catalog.do_add_attachment(
        record, catalog.UploadedFile("示意图.png", PNG), actor=editor, expected_version=record.version
    )
    record.refresh_from_db()
    record = catalog.do_submit_record(record, actor=editor, expected_version=record.version)
    record = catalog.do_approve_record(record, actor=reviewer, expected_version=record.version)
    print("record", record.pk)


def publish(send: bool = False) -> None:
    """The reviewer publishes the record on the portal (the record page's button), or publishes
    and sends it to Weibo in one step (the new-media page)."""
    from gongkai.catalog import services as catalog
    from gongkai.catalog.models import Record
    from gongkai.newmedia import services as newmedia
    from gongkai.newmedia.models import Channel

    reviewer = User.objects.get(username="reviewer")
    record = Record.objects.get()
    if send:
        newmedia.do_publish_and_send(
            record,
            [Channel.objects.get(slug="weibo")],
            actor=reviewer,
            expected_version=record.version,
            portal_url="https://gongkai.example",
        )
    else:
        catalog.do_publish_record(record, actor=reviewer, expected_version=record.version)
    print("published", record.pk)


def import_page(run: int) -> None:
    """What the reviewer's import page says about the run: its state and the stages' marks."""
    import re

    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost"))
    client.force_login(User.objects.get(username="reviewer"))
    response = client.get(f"/workbench/import/?run={run}")
    page = response.content.decode()
    print("status", response.status_code)
    print("running", 'id="import-running"' in page)
    print("stages", re.findall(r'id="import-stage-(\w+)" data-state="(\w+)"', page))
    print("report", "import-report" in page or "已导入" in page)
