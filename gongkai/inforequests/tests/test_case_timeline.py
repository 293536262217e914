"""The case page's timeline (办理记录) says each act in words, names the system in the page's
language, and shows the dotted event codes only to those who may read the audit log (issue 13)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import PASSWORD, _staff
from gongkai.core import audit


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 3, 9, tzinfo=dt.UTC))


def timeline_of(client, user, app) -> str:
    assert client.login(username=user.username, password=PASSWORD)
    html = client.get(reverse("workbench:inforequests_staff:case", args=[app.pk])).content.decode()
    found = re.search(r'<ol class="timeline">.*?</ol>', html, re.S)
    assert found
    return found.group(0)


def accept(client, reviewer, app):
    assert client.login(username=reviewer.username, password=PASSWORD)
    url = reverse("workbench:inforequests_staff:action", args=[app.pk, "accept"])
    assert client.post(url, {"version": app.version}).status_code == 302


def test_a_handler_reads_the_acts_in_words_and_no_codes(client, make_application, reviewer):
    app = make_application()  # received online: an act of no one
    accept(client, reviewer, app)

    timeline = timeline_of(client, reviewer, app)

    assert str(audit.ACTION_LABELS["inforequests.application.received"]) in timeline
    assert str(audit.ACTION_LABELS["inforequests.application.accepted"]) in timeline
    assert "<strong>系统</strong>" in timeline and "<strong>李审核</strong>" in timeline
    assert "system" not in timeline
    assert "inforequests." not in timeline and "<code" not in timeline


def test_an_audit_administrator_of_the_office_also_sees_the_codes(client, make_application, departments):
    app = make_application()
    office_auditor = _staff("office_auditor", "孙审核", departments["office"], ["reviewer", "audit_admin"])

    timeline = timeline_of(client, office_auditor, app)

    assert str(audit.ACTION_LABELS["inforequests.application.received"]) in timeline
    assert '<code class="event-code"' in timeline
    assert "inforequests.application.received</code>" in timeline
    assert "<strong>系统</strong>" in timeline
