"""The audit log page (issues 12 and 13): a date range in local days, both ends included; the action
chosen in words, grouped by app; the export of exactly what the filters select, as CSV (UTF-8 with
a BOM) or XLSX, saying no more than the page and itself recorded; the page stays the audit and
security administrators'."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from gongkai.core import audit
from gongkai.core.models import AuditEvent
from gongkai.core.views.staff import AUDIT_LOG_EXPORTED

URL = "/workbench/audit/"
ID_NUMBER = "220102198001011234"
UTC = dt.UTC


def at(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def events(db):
    """Around the local (Beijing, UTC+8) days 10 and 11 March 2026."""
    log = audit.log_event
    return {
        "before": log("catalog.record.created", actor=None, at=at(2026, 3, 9, 15, 59, 59), note="前一天"),
        "first": log("catalog.record.published", actor=None, at=at(2026, 3, 9, 16, 0, 0), note="首"),
        "middle": log("accounts.login.succeeded", actor=None, at=at(2026, 3, 10, 9), note="中"),
        "last": log("catalog.record.published", actor=None, at=at(2026, 3, 11, 15, 59, 59), note="末"),
        "after": log("catalog.record.created", actor=None, at=at(2026, 3, 11, 16, 0, 0), note="后一天"),
    }


def shown(response) -> list[int]:
    return [e.pk for e, _details in response.context["rows"]]


def exported(response) -> list[list[str]]:
    assert response.streaming
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_date_range_takes_both_local_days_whole(client, auditor, events):
    client.force_login(auditor)

    page = client.get(URL, {"from": "2026-03-10", "to": "2026-03-11"})

    assert page.status_code == 200
    assert shown(page) == [events[k].pk for k in ("last", "middle", "first")]
    one_day = client.get(URL, {"from": "2026-03-10", "to": "2026-03-10"})
    assert shown(one_day) == [events["middle"].pk, events["first"].pk]
    open_start = client.get(URL, {"to": "2026-03-10"})
    assert shown(open_start) == [events[k].pk for k in ("middle", "first", "before")]
    open_end = client.get(URL, {"from": "2026-03-12"})
    assert events["after"].pk in shown(open_end)  # 16:00 UTC on the 11th is the 12th in Beijing
    assert events["last"].pk not in shown(open_end)
    assert shown(client.get(URL, {"from": "2026-03-11", "to": "2026-03-11"})) == [events["last"].pk]


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        ("2026-02-30", "", "YYYY-MM-DD"),
        ("yesterday", "2026-03-10", "YYYY-MM-DD"),
        ("0001-01-01", "", "1949"),
        ("2026-03-10", "9999-12-31", "2100"),
        ("2026-03-11", "2026-03-10", "晚于"),
        ("２０２６-03-10", "", "YYYY-MM-DD"),
        ("x" * 5000, "", "YYYY-MM-DD"),
    ],
)
def test_a_bad_date_is_answered_with_a_message_not_a_500(client, auditor, events, start, end, says):
    client.force_login(auditor)

    page = client.get(URL, {"from": start, "to": end})

    assert page.status_code == 400
    assert says in page.context["period_error"]
    assert 'class="notice error"' in page.content.decode()
    assert page.context["rows"] == []
    refused = client.get(URL, {"from": start, "to": end, "format": "csv"})
    assert refused.status_code == 400 and not refused.streaming
    assert not AuditEvent.objects.filter(action=AUDIT_LOG_EXPORTED).exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_action_is_chosen_in_words_grouped_by_app(client, auditor, events, language):
    client.force_login(auditor)
    client.cookies["gk_lang"] = language

    page = client.get(URL, {"event": "catalog.record.published"})

    assert shown(page) == [events["last"].pk, events["first"].pk]
    body = page.content.decode()
    with translation.override(language):
        published = str(audit.ACTION_LABELS["catalog.record.published"])
        catalog = str(apps.get_app_config("catalog").verbose_name)
    assert f'<option value="catalog.record.published" selected>{published}</option>' in body
    assert f'<optgroup label="{catalog}">' in body
    whole_app = client.get(URL, {"event": "catalog."})
    assert set(shown(whole_app)) == {events[k].pk for k in ("before", "first", "last", "after")}
    unknown = client.get(URL, {"event": "catalog.record.nothing"})
    assert unknown.status_code == 200 and len(shown(unknown)) == AuditEvent.objects.count()
    advanced = client.get(URL, {"action": "accounts.login"})
    assert shown(advanced) == [events["middle"].pk]


def test_the_csv_is_exactly_the_filtered_rows(client, auditor, events):
    client.force_login(auditor)

    response = client.get(
        URL, {"from": "2026-03-10", "to": "2026-03-11", "event": "catalog.record.published", "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    assert "no-store" in response["Cache-Control"]
    header, *rows = exported(response)
    assert header == ["时间", "操作人", "动作代码", "动作", "对象", "地址", "说明"]
    assert rows == [
        ["2026-03-11 23:59:59", "system", "catalog.record.published", "发布", "", "", "末"],
        ["2026-03-10 00:00:00", "system", "catalog.record.published", "发布", "", "", "首"],
    ]


def test_the_export_is_recorded_who_which_filters_how_many(client, auditor, events):
    client.force_login(auditor)

    response = client.get(URL, {"from": "2026-03-10", "to": "2026-03-11", "actor": "system", "format": "csv"})
    rows = exported(response)[1:]

    event = AuditEvent.objects.get(action=AUDIT_LOG_EXPORTED)
    assert event.actor == auditor
    assert event.after == {
        "format": "csv",
        "filters": {"from": "2026-03-10", "to": "2026-03-11", "actor": "system"},
        "rows": 3,
    }
    assert len(rows) == 3
    page = client.get(URL, {"event": AUDIT_LOG_EXPORTED})
    assert page.context["rows"][0][1] == "CSV，3 条 · from=2026-03-10; to=2026-03-11; actor=system"
    assert event.label == "导出审计日志"
    everything = exported(client.get(URL, {"format": "csv"}))[1:]
    assert AUDIT_LOG_EXPORTED in [row[2] for row in everything]  # the first export, not the second itself
    assert AuditEvent.objects.filter(action=AUDIT_LOG_EXPORTED).count() == 2
    assert AuditEvent.objects.filter(action=AUDIT_LOG_EXPORTED).latest("id").after == {
        "format": "csv",
        "filters": {},
        "rows": len(everything),
    }


def test_the_export_says_no_more_than_the_page(client, reviewer, auditor, make_application, time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 3, 9, tzinfo=UTC))
    case = make_application(id_number=ID_NUMBER)
    client.force_login(reviewer)
    client.get(reverse("workbench:inforequests_staff:case", args=[case.pk]))
    audit.log_personal_data_view(reviewer, case, view="letter", letter="告知书", format="pdf")
    audit.log_event(
        "inforequests.case.updated",
        actor=reviewer,
        obj=case,
        before={"id_number": ID_NUMBER, "name": "王小明"},
        after={"phone": "13900001234"},
        note='=HYPERLINK("http://x")',
    )
    client.force_login(auditor)

    page = client.get(URL, {"subject": case.tracking_number}).content.decode()
    rows = exported(client.get(URL, {"subject": case.tracking_number, "format": "csv"}))[1:]

    text = repr(rows)
    for secret in (ID_NUMBER, "王小明", "13900001234"):
        assert secret not in text and secret not in page
    details = {row[2]: row[6] for row in rows}
    assert "告知书 pdf" in [
        row[6].partition(" · ")[2] for row in rows if row[2] == audit.PERSONAL_DATA_VIEWED
    ]
    assert details["inforequests.case.updated"] == '\'=HYPERLINK("http://x")'  # never a formula
    assert all(row[4] == case.tracking_number for row in rows)


def test_the_xlsx_export_has_the_same_rows(client, auditor, events):
    from openpyxl import load_workbook

    client.force_login(auditor)

    response = client.get(URL, {"from": "2026-03-10", "to": "2026-03-10", "format": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ["时间", "操作人", "动作代码", "动作"]
    assert [row[6] for row in values[1:]] == ["中", "首"]
    assert AuditEvent.objects.get(action=AUDIT_LOG_EXPORTED).after == {
        "format": "xlsx",
        "filters": {"from": "2026-03-10", "to": "2026-03-10"},
        "rows": 2,
    }


def test_paging_keeps_the_filters(client, auditor, events):
    for i in range(55):
        audit.log_event("core.demo.loaded", actor=None, at=at(2026, 3, 10, 10, i))
    client.force_login(auditor)

    first = client.get(URL, {"from": "2026-03-10", "to": "2026-03-10", "event": "core.demo.loaded"})

    body = first.content.decode()
    assert "from=2026-03-10&amp;to=2026-03-10&amp;event=core.demo.loaded&amp;page=2" in body
    assert "format=csv" in body
    second = client.get(
        URL,
        {
            "from": "2026-03-10",
            "to": "2026-03-10",
            "event": "core.demo.loaded",
            "page": "2",
            "format": "html",
        },
    )
    assert len(shown(second)) == 5
    assert "format=html" not in second.context["query_base"]


@pytest.mark.parametrize("fmt", ["", "csv", "xlsx"])
def test_others_are_refused_the_page_and_the_export(client, reviewer, leader, events, fmt):
    for person in (reviewer, leader):
        client.force_login(person)
        response = client.get(URL, {"format": fmt} if fmt else {})
        assert response.status_code == 302 and response["Location"] == "/workbench/"
        assert not getattr(response, "streaming", False)
    assert not AuditEvent.objects.filter(action=AUDIT_LOG_EXPORTED).exists()


def test_the_security_administrator_may_export_too(client, departments, events):
    from conftest import _staff

    security = _staff("security", "周安全", departments["office"], ["security_admin"])
    client.force_login(security)

    assert len(exported(client.get(URL, {"format": "csv"}))) > 5
