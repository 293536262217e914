"""The annual report in the access matrix (gongkai/core/tests/test_access_matrix.py): who may make
each move of a report (drafted and validated by the disclosure office, approved by a leader,
published by an office reviewer), reports in each state — including ones the office reviewer put
up for approval or whose passages it edited (four eyes) — and the workbench's move endpoints with
the staff page that offers them.

Reports are assembled from the annual report tests' fake registry, and published with a one-page
PDF (conftest.tiny_pdf) rather than the exports' layout, so building one is quick."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.urls import reverse

from gongkai.accounts.choices import DepartmentKind
from gongkai.accounts.models import User
from gongkai.accounts.services import do_create_staff
from gongkai.annualreport import publishing, services, validation
from gongkai.annualreport.models import AnnualReport
from gongkai.annualreport.tests import fakes
from gongkai.annualreport.tests.conftest import SEED, tiny_pdf
from gongkai.core.models import AuditEvent
from gongkai.core.tests.matrix import (
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

REPORT = "annualreport.report"
YEAR = 2015

# -- who may: the office's editors and heads draft, validate and check the report, any reviewer
#    may too; a leader approves it, a reviewer publishes it, and neither makes that move on a
#    report they put up for approval or whose text they edited; either returns it.


def _in_office(person: User, report: Any) -> bool:
    return person.department is not None and person.department.kind == DepartmentKind.OFFICE


relation("in_office", _in_office)

DRAFTERS = ({"editor", "head"}, "in_office"), ({"reviewer"}, "any")
LEADERS = ({"leader"}, "any")
PUBLISHERS = ({"reviewer"}, "any")

policy(REPORT, "create", *DRAFTERS, sources=None)
policy(REPORT, "view", *DRAFTERS, LEADERS, sources=None)
for _name in ("edit", "refresh", "validate", "accept", "check"):
    policy(REPORT, _name, *DRAFTERS, sources={"draft"})
policy(REPORT, "approve", LEADERS, four_eyes=True, sources={"checked"})
policy(REPORT, "return", LEADERS, PUBLISHERS, sources={"checked", "approved"})
policy(REPORT, "publish", PUBLISHERS, four_eyes=True, sources={"approved"})
policy(REPORT, "redraft", *DRAFTERS, sources={"published"})


# -- reports in each state, through the services ---------------------------------------------------


@contextmanager
def _small_pdf() -> Iterator[None]:
    """Publish with a one-page PDF, not the exports' layout (as the tests' pdf_stub does)."""
    with mock.patch.object(publishing, "render_pdf", tiny_pdf):
        yield


def _office_editor(world: World) -> User:
    """An editor of the office who is none of the personas: who drafts and, unless a variant says
    otherwise, checks the report, so that no persona's hands are on it."""
    if "office_editor" not in world.extra:
        world.extra["office_editor"] = do_create_staff(
            username="matrix_office_editor",
            password="matrix-persona-password",
            full_name="测office_editor",
            department=world.departments["office"],
            roles=("editor",),
            actor=None,
        )
    office_editor: User = world.extra["office_editor"]
    return office_editor


def _edit(report: AnnualReport, actor: User) -> AnnualReport:
    passage = report.current().passages()[0]
    return services.do_save_edits(
        report,
        passages={passage.key: passage.text + "（补充）"},
        actor=actor,
        expected_version=report.version,
    )


def _validated(report: AnnualReport, actor: User) -> AnnualReport:
    """Validated as the workbench validates (today, the figures as the site has them), each
    blocking finding accepted with a reason, so that checking and approving it go through there."""
    report = services.do_validate_report(report, actor=actor, expected_version=report.version)
    for finding in validation.blocking(report.findings, report.accepted):
        report = services.do_accept_finding(
            report, finding["id"], reason="经核对无误", actor=actor, expected_version=report.version
        )
    return report


def _report(world: World, state: str, *, checker: str = "", editor: str = "") -> Built:
    """A report in `state`, drafted by the office editor; `editor`: a persona who edits its
    passages; `checker`: the persona who puts it up for approval (else the office editor)."""
    people, drafter = world.people, _office_editor(world)
    report = services.do_create_report(YEAR, actor=drafter, registry=fakes.registry(SEED))
    hands: set[str] = set()
    if editor:
        report = _edit(report, people[editor])
        hands.add(editor)
    report = _validated(report, drafter)
    if state in ("checked", "approved", "published"):
        by = people[checker] if checker else drafter
        report = services.do_check_report(report, actor=by, expected_version=report.version)
        if checker:
            hands.add(checker)
    if state in ("approved", "published"):
        report = services.do_approve_report(report, actor=people["leader"], expected_version=report.version)
    if state == "published":
        with _small_pdf():
            services.do_publish_report(report, actor=people["reviewer"], expected_version=report.version)
        report.refresh_from_db()
    return Built(report, frozenset(hands))


def _in(state: str, **who: str) -> Callable[[World], Built]:
    return lambda world: _report(world, state, **who)


for _state in ("draft", "checked", "approved", "published"):
    objects(REPORT, _state)(_in(_state))
# Four eyes: the office reviewer put it up for approval, or edited its passages (a colleague
# checked it).
for _state in ("checked", "approved"):
    objects(REPORT, f"{_state}~checked_by_reviewer")(_in(_state, checker="reviewer"))
    objects(REPORT, f"{_state}~edited_by_reviewer")(_in(_state, editor="reviewer"))


creation(
    REPORT,
    "create",
    Creation(
        template=lambda world: AnnualReport(),
        attempt=lambda world, actor: services.do_create_report(
            YEAR, actor=actor, registry=fakes.registry(SEED)
        ),
        count=lambda: (
            AnnualReport.objects.count(),
            AuditEvent.objects.filter(action="annualreport.report.created").count(),
        ),
    ),
)


# -- the workbench's move endpoints and the page that offers them -------------------------------


def _detail(report: AnnualReport) -> str:
    return reverse("workbench:annualreport_staff:detail", args=[report.pk])


def _move(move: str, **extra: Any) -> Endpoint:
    def url(report: AnnualReport) -> str:
        return reverse("workbench:annualreport_staff:move", args=[report.pk, move])

    def post(client: Any, world: World, report: AnnualReport) -> Any:
        with _small_pdf():
            return client.post(url(report), {"version": report.version, **extra})

    return Endpoint(post=post, page=_detail, marker=url)


def _passage(report: AnnualReport) -> str:
    return report.current().passages()[0].key


def _edit_endpoint() -> Endpoint:
    """Saving a changed passage; the page offers it with the passage's text box (the form itself
    wraps the whole report, for everyone)."""

    def post(client: Any, world: World, report: AnnualReport) -> Any:
        passage = report.current().passages()[0]
        url = reverse("workbench:annualreport_staff:edit", args=[report.pk])
        return client.post(url, {"version": report.version, f"p:{passage.key}": passage.text + "（补充）"})

    return Endpoint(post=post, page=_detail, marker=lambda report: f'name="p:{_passage(report)}"')


def _accept_endpoint() -> Endpoint:
    """Accepting a finding of the validation with a reason (the page offers it only for a finding
    still open, and the reports here have each accepted already)."""

    def post(client: Any, world: World, report: AnnualReport) -> Any:
        url = reverse("workbench:annualreport_staff:move", args=[report.pk, "accept"])
        finding = report.findings[0]["id"] if report.findings else ""
        return client.post(url, {"version": report.version, "finding": finding, "reason": "经核对无误"})

    return Endpoint(post=post)


def register_endpoints() -> None:
    for name in ("refresh", "validate", "check", "approve", "publish", "redraft"):
        endpoint(REPORT, name, _move(name))
    endpoint(REPORT, "return", _move("return", reason="第二部分须再充实"))
    endpoint(REPORT, "edit", _edit_endpoint())
    endpoint(REPORT, "accept", _accept_endpoint())


# The workbench refuses whoever may not read the reports (the administrators, editors and heads
# outside the office) with 403 (queries.require_reader), which the matrix counts as a refusal.
register_endpoints()
