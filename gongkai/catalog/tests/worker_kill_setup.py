"""Run in a `gongkai shell` beside the real worker (test_worker_kill.py): the staff that the
catalog's acts need, and the acts themselves, started the way the workbench starts them."""

from __future__ import annotations

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
