"""The annual report's routes in the URL access matrix: the public reads the published reports and
their PDFs; in the workbench the drafts are read by the office, the leaders and every reviewer
(workflows.READERS), drafted and validated by the office (DRAFTERS: the office's editors and heads,
and reviewers), approved by a leader, published by a reviewer. Among the matrix personas (nobody
but the reviewer and the administrators sits in the office) that is the reviewer and the leader
who read, and the reviewer who drafts; the administrators make no official act (三员)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.url_rules import Same, Staff

READERS = frozenset({"reviewer", "leader"})
DRAFTERS = frozenset({"reviewer"})
YEAR = 2015
NOW = dt.datetime(2016, 1, 10, 9, 0, tzinfo=dt.UTC)  # within the 2007 Regulations' deadline

ROUTES: dict[str, Same | Staff] = {
    "annualreport:index": Same(200),
    "annualreport:report": Same(200),
    "annualreport:pdf": Same(200),
    # The list reads for the readers; its form begins a year's report (the office's drafters).
    "workbench:annualreport_staff:list": Staff(READERS, post=DRAFTERS),
    # The records a figure counts open for the readers with ?year=…; the matrix's address carries
    # no query, so the page is 404 for them too (403 for the others). The app's tests open it.
    "workbench:annualreport_staff:figure": Staff(frozenset()),
    "workbench:annualreport_staff:detail": Staff(READERS),
    "workbench:annualreport_staff:download": Staff(READERS),
    # POST only (a GET is 405): the office's drafters save the passages of a draft.
    "workbench:annualreport_staff:edit": Staff(frozenset(), post=DRAFTERS),
    # The move tried is `validate` of the draft: the office's drafters only (a leader reads the
    # report but is refused by the service).
    "workbench:annualreport_staff:move": Staff(frozenset(), post=DRAFTERS),
    # The checker of any published report: the readers upload or paste one and see the result; a
    # POST changes nothing (nothing is stored), so no persona changes state through it.
    "workbench:annualreport_staff:check": Staff(READERS),
}

POST_DATA: dict[str, Any] = {"form": "", "note": "探测", "finding": "探测"}


def build(world: Any) -> None:
    """The 2015 report: drafted, checked by an office editor, approved by the leader, published by
    the reviewer (the public pages and the PDF answer), then redrafted beside the published one (a
    draft the workbench moves act on). Figures from the app's test registry, so that the checks
    pass and nothing reads the other apps' tables; the PDF is the world's tiny one (a real PDF's
    binary body trips the HTML parser of tests/test_hostile_input.py, which reads every 200 as a page)."""
    from unittest import mock

    from gongkai.accounts.services import do_create_staff
    from gongkai.annualreport import publishing, services
    from gongkai.annualreport.tests import fakes
    from gongkai.annualreport.tests.conftest import SEED
    from tests.url_world import PDF

    registry = fakes.registry(SEED)
    common: dict[str, Any] = {"registry": registry, "now": NOW}
    office_editor = do_create_staff(
        username="url_annualreport_office_editor",
        password="url-world-password",
        full_name="测公开办编辑",
        department=world.departments["office"],
        roles=["editor"],
        actor=None,
    )
    leader, reviewer = world.people["leader"], world.people["reviewer"]
    report = services.do_create_report(YEAR, actor=office_editor, **common)
    report = services.do_check_report(report, actor=office_editor, expected_version=report.version, **common)
    report = services.do_approve_report(report, actor=leader, expected_version=report.version, **common)
    with mock.patch.object(publishing, "render_pdf", lambda doc, **_options: PDF):
        publication = services.do_publish_report(
            report, actor=reviewer, expected_version=report.version, now=NOW
        )
    report.refresh_from_db()
    report = services.do_redraft_report(
        report, actor=office_editor, expected_version=report.version, **common
    )
    world.objects.update(annual_report=report, annual_publication=publication)


def kwargs(world: Any, name: str) -> dict[str, Any] | None:
    if name not in ROUTES:
        return None
    pk = world.objects["annual_report"].pk
    table: dict[str, dict[str, Any]] = {
        "annualreport:report": {"year": YEAR},
        "annualreport:pdf": {"year": YEAR},
        "workbench:annualreport_staff:figure": {"code": "catalog.records.published.total"},
        "workbench:annualreport_staff:detail": {"pk": pk},
        "workbench:annualreport_staff:edit": {"pk": pk},
        "workbench:annualreport_staff:download": {"pk": pk, "fmt": "json"},
        "workbench:annualreport_staff:move": {"pk": pk, "move": "validate"},
    }
    return table.get(name, {})


def fingerprint() -> tuple[Any, ...]:
    from gongkai.annualreport.models import AnnualReport, PublishedReport, ReportTransition

    return (
        sorted(AnnualReport.objects.values_list("pk", "version", "status", "year")),
        sorted(PublishedReport.objects.values_list("pk", "number")),
        ReportTransition.objects.count(),
    )
