"""Passages typed into the annual report when the session ended come back after logging in
(core/drafts.py): the form posts to the edit address, the draft waits on the report's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.annualreport import services
from gongkai.core import drafts
from gongkai.core.tests.drafts_support import KEPT, RESTORED, expire_session, log_in, stamp_from


@pytest.fixture
def report(office_editor, seed_registry):
    return services.do_create_report(2015, actor=office_editor, registry=seed_registry)


def test_passages_typed_when_the_session_ended_come_back_on_the_report(client, office_editor, report):
    page_url = reverse("workbench:annualreport_staff:detail", args=[report.pk])
    edit_url = reverse("workbench:annualreport_staff:edit", args=[report.pk])
    client.force_login(office_editor)
    data = {
        "version": str(report.version),
        "p:work.intro": "办公室重写的开头。",
        drafts.FIELD: stamp_from(client, page_url),
    }
    expire_session(client)
    response = client.post(edit_url, data, follow=True)
    # Sent to sign in, then back to the report's page (the edit address only takes a POST).
    assert response.redirect_chain[-1][0].startswith(f"/accounts/login/?next={page_url}")
    assert KEPT in response.content.decode()
    log_in(client, "office_editor")
    shown = client.get(page_url).content.decode()
    assert RESTORED in shown and "办公室重写的开头。" in shown
    assert f'name="version" value="{report.version}"' in shown
    assert "<details open>" in shown
    report.refresh_from_db()
    assert report.edits == {}  # nothing saved behind their back
    assert RESTORED not in client.get(page_url).content.decode()  # given back once


def test_someone_else_never_sees_the_passages(client, office_editor, reviewer, report):
    page_url = reverse("workbench:annualreport_staff:detail", args=[report.pk])
    client.force_login(office_editor)
    data = {
        "version": str(report.version),
        "p:work.intro": "办公室重写的开头。",
        drafts.FIELD: stamp_from(client, page_url),
    }
    expire_session(client)
    client.post(reverse("workbench:annualreport_staff:edit", args=[report.pk]), data)
    log_in(client, "reviewer")
    shown = client.get(page_url).content.decode()
    assert RESTORED not in shown and "办公室重写的开头。" not in shown
