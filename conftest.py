"""Shared test personas: a public visitor, a department editor, a department head,
an office reviewer, a leader and an auditor."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import threading
import warnings
from typing import Any

import pytest

with warnings.catch_warnings():
    # smtpd is deprecated (gone in 3.12); it is the only SMTP server in the 3.11 standard library.
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd

PASSWORD = "correct-horse-battery"  # noqa: S105 - test personas only


@pytest.fixture(autouse=True)
def _fresh_workday_cache():
    """Test rollbacks send no signals: start each test with the calendar read afresh."""
    from django.utils import translation

    from gongkai.core.workdays import clear_cache

    clear_cache()
    translation.activate("zh-hans")
    yield
    clear_cache()
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Argon2 is deliberately slow; tests use a fast hasher (production keeps argon2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def departments(db):
    from gongkai.accounts.choices import DepartmentKind
    from gongkai.accounts.models import Department

    agency = Department.objects.create(name="吉林省公安厅", kind=DepartmentKind.AGENCY)
    office = Department.objects.create(name="指挥中心（公开办）", kind=DepartmentKind.OFFICE, parent=agency)
    exit_entry = Department.objects.create(
        name="出入境管理局", kind=DepartmentKind.POLICE_BRANCH, parent=agency
    )
    traffic = Department.objects.create(name="交通管理局", kind=DepartmentKind.POLICE_BRANCH, parent=agency)
    return {"agency": agency, "office": office, "exit_entry": exit_entry, "traffic": traffic}


def _staff(username, full_name, department, roles):
    from gongkai.accounts.services import do_create_staff

    return do_create_staff(
        username=username,
        password=PASSWORD,
        full_name=full_name,
        department=department,
        roles=roles,
        actor=None,
    )


@pytest.fixture
def editor(departments):
    return _staff("editor", "王编辑", departments["exit_entry"], ["editor"])


@pytest.fixture
def other_editor(departments):
    return _staff("traffic_editor", "赵编辑", departments["traffic"], ["editor"])


@pytest.fixture
def reviewer(departments):
    return _staff("reviewer", "李审核", departments["office"], ["reviewer"])


@pytest.fixture
def leader(departments):
    return _staff("leader", "张领导", departments["agency"], ["leader"])


@pytest.fixture
def auditor(departments):
    return _staff("auditor", "陈审计", departments["office"], ["audit_admin"])


@pytest.fixture
def leaf_category(db):
    from gongkai.catalog.models import Category

    return Category.objects.get(code="policy-rules")


@pytest.fixture
def record_data(departments, leaf_category):
    return {
        "name": "关于延吉口岸签证业务启动的通告",
        "summary": "延吉口岸自即日起受理口岸签证业务。",
        "body": "<p>根据有关规定，延吉口岸签证业务正式启动。</p><script>alert(1)</script>",
        "formed_on": dt.date(2015, 6, 1),
        "issuer": "吉林省公安厅",
        "doc_number": "吉公通〔2015〕12号",
        "category": leaf_category,
        "genre": "circular",
        "keywords": "签证,口岸",
        "department": departments["exit_entry"],
    }


@pytest.fixture
def make_record(editor, reviewer, record_data):
    """Create a record and drive it to a status through the services."""
    from gongkai.catalog import services

    def make(status="draft", **overrides):
        record = services.do_create_record({**record_data, **overrides}, actor=editor)
        if status == "draft":
            return record
        # The editor drafts and submits, the office reviewer (a second person) decides.
        record = services.do_submit_record(record, actor=editor, expected_version=record.version)
        if status == "submitted":
            return record
        record = services.do_approve_record(record, actor=reviewer, expected_version=record.version)
        if status == "approved":
            return record
        record = services.do_publish_record(record, actor=reviewer, expected_version=record.version)
        if status == "published":
            return record
        return services.do_withdraw_record(
            record, actor=reviewer, reason="已被新文件替代", expected_version=record.version
        )

    return make


@pytest.fixture
def office_head(departments):
    return _staff("office_head", "周主任", departments["office"], ["reviewer", "head"])


@pytest.fixture
def dept_staff(departments):
    return _staff("exit_staff", "金出入", departments["exit_entry"], ["editor"])


@pytest.fixture
def application_data(db):
    return {
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_type": "居民身份证",
        "id_number": "220102198001011234",
        "phone": "13900000000",
        "email": "zhangsan@example.com",
        "address": "长春市朝阳区人民大街1号",
        "information_title": "2020年全省机动车保有量统计",
        "description": "按市州分列",
        "form_wanted": "electronic",
        "delivery": "email",
    }


@pytest.fixture
def make_application(application_data, reviewer):
    from gongkai.inforequests import services

    def make(received_on=dt.date(2021, 6, 1), **overrides):
        application, code = services.do_submit_application(
            {**application_data, **overrides}, channel="online", received_on=received_on
        )
        setattr(application, "query_code", code)  # noqa: B010 - the code is shown once, never stored
        return application

    return make


class LocalSMTPServer(smtpd.SMTPServer):
    """A real SMTP server on 127.0.0.1 that keeps what it receives, for tests that send mail."""

    def __init__(self, socket_map: dict[int, Any]) -> None:
        super().__init__(("127.0.0.1", 0), None, map=socket_map, decode_data=False)  # type: ignore[arg-type]
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.arrived = threading.Condition()

    def process_message(self, peer: Any, mailfrom: str, rcpttos: list[str], data: Any, **kw: Any) -> None:
        with self.arrived:
            self.messages.append((mailfrom, rcpttos, bytes(data)))
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 10) -> list[email.message.EmailMessage]:
        """The first `count` messages, parsed, waiting for them to arrive (no sleeping)."""
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout), (
                f"{len(self.messages)} of {count} messages arrived"
            )
            return [
                email.message_from_bytes(data, policy=email.policy.default)
                for _sender, _to, data in self.messages
            ]


@pytest.fixture
def smtp_server(settings):
    """Mail from Django goes to a LocalSMTPServer served from a thread for the test's duration."""
    socket_map: dict[int, Any] = {}
    server = LocalSMTPServer(socket_map)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            asyncore.loop(timeout=0.05, count=1, map=socket_map)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    assert server.socket is not None
    settings.EMAIL_PORT = server.socket.getsockname()[1]
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "gongkai@example.gov.cn"
    yield server
    stop.set()
    thread.join(timeout=2)
    asyncore.close_all(map=socket_map)
