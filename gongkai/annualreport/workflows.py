"""The annual report's workflow for the act kernel: drafted and validated by the disclosure office,
approved by a leader, published by an office reviewer (a second person), then redrafted beside the
published one when the records change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import DepartmentKind, Role
from gongkai.accounts.models import User
from gongkai.annualreport.choices import TRANSITIONS, Status
from gongkai.annualreport.models import AnnualReport, ReportTransition
from gongkai.core import acts


def _in_office(actor: User, obj: Any) -> bool:
    department = actor.department
    return department is not None and department.kind == DepartmentKind.OFFICE


IN_OFFICE = acts.Relation("in_office", _in_office)

# The office's editors and heads draft the report; its reviewers may too.
DRAFTERS = (acts.permit(Role.EDITOR, Role.HEAD, relation=IN_OFFICE), acts.permit(Role.REVIEWER))
LEADERS = (acts.permit(Role.LEADER),)
PUBLISHERS = (acts.permit(Role.REVIEWER),)
# Who may read the drafts: the office, leaders, and every reviewer.
READERS = (*DRAFTERS, *LEADERS)

DRAFT = frozenset({Status.DRAFT})


def submitted_by(report: AnnualReport) -> set[int]:
    """Whoever put the report up for approval (`check`), now or before."""
    people = {report.checked_by_id} if report.checked_by_id else set()
    people.update(
        ReportTransition.objects.filter(report=report, to_status=Status.CHECKED).values_list(
            "actor_id", flat=True
        )
    )
    return people


def edited_by(report: AnnualReport) -> set[int]:
    """Whoever changed its passages or cells since it was begun or last redrafted."""
    if report.pk is None:
        return set()
    return set(report.edited_by.values_list("pk", flat=True))


def submitted_or_edited_by(report: AnnualReport) -> set[int]:
    """Who may not approve or publish the report (four eyes): whoever put it up for approval, and
    whoever wrote its text — a colleague's `check` does not let an editor pass their own text."""
    return submitted_by(report) | edited_by(report)


def _status_label(status: str) -> str:
    return str(Status(status).label)


OFFICE_ONLY = _("只有公开办可以编制年度报告。")

REPORT: acts.Workflow[AnnualReport] = acts.register(
    acts.Workflow(
        code="annualreport.report",
        model=AnnualReport,
        status_label=_status_label,
        transitions=TRANSITIONS,
        write_transition=acts.transition_writer(ReportTransition, "report"),
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "create", "annualreport.report.created", _("新建年度报告"), DRAFTERS, refusal=OFFICE_ONLY
                ),
                acts.Move("view", "annualreport.report.viewed", _("查看"), READERS),
                acts.Move(
                    "edit",
                    "annualreport.report.edited",
                    _("修改"),
                    DRAFTERS,
                    sources=DRAFT,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "refresh",
                    "annualreport.report.refreshed",
                    _("重新读取统计数据"),
                    DRAFTERS,
                    sources=DRAFT,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "validate",
                    "annualreport.report.validated",
                    _("校验"),
                    DRAFTERS,
                    sources=DRAFT,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "accept",
                    "annualreport.finding.accepted",
                    _("接受问题并说明理由"),
                    DRAFTERS,
                    sources=DRAFT,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "check",
                    "annualreport.report.checked",
                    _("校验通过，提请领导审批"),
                    DRAFTERS,
                    sources=DRAFT,
                    target=Status.CHECKED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "approve",
                    "annualreport.report.approved",
                    _("审批通过"),
                    LEADERS,
                    sources=frozenset({Status.CHECKED}),
                    target=Status.APPROVED,
                    four_eyes=submitted_or_edited_by,
                    refusal=_("只有领导可以审批年度报告。"),
                ),
                acts.Move(
                    "return",
                    "annualreport.report.returned",
                    _("退回修改"),
                    (*LEADERS, *PUBLISHERS),
                    sources=frozenset({Status.CHECKED, Status.APPROVED}),
                    target=Status.DRAFT,
                    refusal=_("只有领导或公开办审核员可以退回年度报告。"),
                ),
                acts.Move(
                    "publish",
                    "annualreport.report.published",
                    _("发布"),
                    PUBLISHERS,
                    sources=frozenset({Status.APPROVED}),
                    target=Status.PUBLISHED,
                    four_eyes=submitted_or_edited_by,
                    refusal=_("只有公开办审核员可以发布年度报告。"),
                ),
                acts.Move(
                    "redraft",
                    "annualreport.report.redrafted",
                    _("编制新稿"),
                    DRAFTERS,
                    sources=frozenset({Status.PUBLISHED}),
                    target=Status.DRAFT,
                    refusal=OFFICE_ONLY,
                ),
            )
        },
    )
)
