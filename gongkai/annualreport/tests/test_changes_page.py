"""After a report is published, a new draft shows the office what changed since (diff.compare on
the draft page): the figures that moved, before and now, and nothing when nothing did."""

from __future__ import annotations

from django.urls import reverse

from gongkai.annualreport import services
from gongkai.annualreport.tests.conftest import SEED
from gongkai.annualreport.tests.fakes import registry
from gongkai.annualreport.tests.test_replacement import LATER, NOW, _publish


def test_a_redraft_shows_the_figures_changed_since_publication(
    client, office_editor, leader, reviewer, pdf_stub
):
    figures = registry(SEED)
    report = services.do_create_report(2015, actor=office_editor, registry=figures, now=NOW)
    report, _published = _publish(
        report, office_editor=office_editor, leader=leader, reviewer=reviewer, figures=figures, now=NOW
    )
    client.force_login(office_editor)
    page = reverse("workbench:annualreport_staff:detail", args=[report.pk])
    assert "与已发布报告相比的变化" not in client.get(page).content.decode()

    corrected = registry({**SEED, "catalog.publications.total": 9700})
    services.do_redraft_report(
        report, actor=office_editor, expected_version=report.version, registry=corrected, now=LATER
    )

    body = client.get(page).content.decode()
    section = body[body.index('id="changes"') : body.index('id="findings"')]
    assert "与已发布报告相比的变化" in section
    assert "catalog.publications.total" in section
    assert "9695" in section.replace(",", "") and "9700" in section.replace(",", "")
