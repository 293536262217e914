"""Annual report services: the only code that changes a report. Each is one act of the kernel."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.annualreport import assemble as assembly
from gongkai.annualreport import history, publishing, validation
from gongkai.annualreport.choices import RuleSetCode, Status
from gongkai.annualreport.document import Form, Number, ReportDocument
from gongkai.annualreport.editing import EditError, merge_edits
from gongkai.annualreport.models import AnnualReport, PublishedReport
from gongkai.annualreport.workflows import REPORT
from gongkai.core import acts, clock
from gongkai.core import figures as core_figures
from gongkai.core.figures import Period, Registry
from gongkai.core.rules import RuleSetUnknownError, rules_for

ReportError = acts.ActError
ANNUAL_REPORT_COLUMN = "annual-reports"  # the catalog's 年度报告 column (catalog migration 0002)
WHAT = _("该年度报告")


def rule_set_for(year: int) -> str:
    """The Regulations a year's report is made under: those in force when it is due (1 January of
    the next year): a 2018 report under the 2007 Regulations, a 2019 report under the 2019 ones."""
    try:
        return rules_for(dt.date(year + 1, 1, 1)).code
    except RuleSetUnknownError:
        return RuleSetCode.R2007 if year < 2019 else RuleSetCode.R2019


def do_create_report(
    year: int,
    *,
    actor: User,
    form: Form | None = None,
    now: dt.datetime | None = None,
    registry: Registry | None = None,
) -> AnnualReport:
    """Begin a year's report: assembled from that year's figures, drafted by the office."""
    now = now or clock.now()
    acts.guard(REPORT, actor, AnnualReport(), "create")
    if actor.department is None:
        raise ReportError(_("您没有所属部门，不能编制年度报告。"))
    if year > timezone.localdate(now).year:
        raise ReportError(_("%(year)s年尚未开始，不能编制该年度报告。") % {"year": year})
    doc = assembly.assemble(year, form=form, registry=registry)
    with transaction.atomic():
        if AnnualReport.objects.select_for_update().filter(year=year).exists():
            raise ReportError(_("%(year)s年度报告已经存在。") % {"year": year})
        report = AnnualReport.objects.create(
            year=year,
            form=doc.form,
            rule_set=rule_set_for(year),
            department=actor.department,
            document=doc.as_dict(),
            assembled_at=now,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        acts.record_act(
            "annualreport.report.created",
            report,
            actor=actor,
            after={"year": year, "form": doc.form, "rule_set": report.rule_set},
            at=now,
        )
    return report


def _normal(edits: dict[str, Any]) -> dict[str, Any]:
    return {"passages": edits.get("passages") or {}, "cells": edits.get("cells") or {}}


def do_save_edits(
    report: AnnualReport,
    *,
    passages: dict[str, str],
    cells: dict[str, str] | None = None,
    actor: User,
    expected_version: int | None,
) -> AnnualReport:
    """Keep the office's passage texts and the table cells it enters."""
    before: dict[str, Any] = {}

    def change(locked: AnnualReport) -> None:
        before.update(edits=locked.edits)
        try:
            locked.edits = merge_edits(locked.drafted(), locked.edits, passages, cells or {})
        except EditError as exc:
            raise ReportError(str(exc)) from None
        if _normal(locked.edits) != _normal(before["edits"]):
            # Whoever changed the text may not approve or publish it (four eyes).
            locked.edited_by.add(actor)

    return acts.perform(
        REPORT,
        report,
        "edit",
        actor=actor,
        version=expected_version,
        apply=change,
        before=before,
        after=lambda r, _v: {"edits": r.edits},
        what=WHAT,
    ).obj


def do_refresh_report(
    report: AnnualReport,
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
    registry: Registry | None = None,
) -> AnnualReport:
    """Read the figures again (the records changed): the drafted passages and tables follow; the
    office's edits stay, and a validation is due again."""
    now = now or clock.now()

    def change(locked: AnnualReport) -> list[str]:
        old = locked.drafted()
        doc = assembly.assemble(locked.year, form=old.form, registry=registry)
        locked.document = doc.as_dict()
        locked.assembled_at = now
        locked.findings = []
        locked.validated_version = None
        return sorted(
            code
            for code in set(old.figures) | set(doc.figures)
            if old.figures.get(code) != doc.figures.get(code)
        )

    return acts.perform(
        REPORT,
        report,
        "refresh",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        after=lambda r, changed: {"changed_figures": changed},
        what=WHAT,
    ).obj


def last_year_figures(year: int, registry: Registry | None = None) -> dict[str, Number | None] | None:
    """Table 三 of the year before: as published when it was, else from that year's figures."""
    published = PublishedReport.objects.filter(year=year - 1).order_by("-number").first()
    if published is not None:
        figures = published.as_document().figures
        if any(code.startswith("inforequests.table3.carried_forward.") for code in figures):
            return figures
    source = registry or core_figures.registry
    if "inforequests" not in source.apps():
        return None
    return {
        f.code: f.value
        for f in source.collect(Period.year(year - 1), apps=["inforequests"])
        if f.code.startswith("inforequests.table3.carried_forward.")
    }


def findings_of(
    report: AnnualReport, *, today: dt.date, registry: Registry | None = None
) -> list[dict[str, Any]]:
    found = validation.validate(
        report.drafted(),
        report.current(),
        rule_set=report.rule_set,
        today=today,
        last_year=last_year_figures(report.year, registry),
        published=report.status == Status.PUBLISHED,
    )
    return [finding.as_dict() for finding in found]


def do_validate_report(
    report: AnnualReport,
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
    registry: Registry | None = None,
) -> AnnualReport:
    """Run the validation on the draft as it stands and keep what it found."""
    now = now or clock.now()

    def change(locked: AnnualReport) -> int:
        locked.findings = findings_of(locked, today=timezone.localdate(now), registry=registry)
        locked.validated_version = locked.version + 1  # the version this act gives it
        return len(validation.blocking(locked.findings, locked.accepted))

    return acts.perform(
        REPORT,
        report,
        "validate",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        after=lambda r, open_: {"findings": len(r.findings), "open": open_},
        what=WHAT,
    ).obj


def do_accept_finding(
    report: AnnualReport,
    finding_id: str,
    *,
    reason: str,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> AnnualReport:
    """Accept one finding with a reason (e.g. a figure the office knows to be right)."""
    now = now or clock.now()
    reason = reason.strip()
    if not reason:
        raise ReportError(_("接受问题时须说明理由。"))
    if len(reason) > 1000:
        raise ReportError(_("理由不能超过1000个字。"))

    def change(locked: AnnualReport) -> dict[str, Any]:
        finding = next((f for f in locked.findings if f["id"] == finding_id), None)
        if finding is None:
            raise ReportError(_("没有这个校验问题，或报告已修改：请重新校验。"))
        locked.accepted = {
            **locked.accepted,
            finding_id: {
                "reason": reason,
                "by": actor.pk,
                "by_name": actor.get_full_name() or actor.username,
                "at": now.isoformat(),
                "message": finding["message"],
                "place": finding["place"],
            },
        }
        # Accepting changes no text: the validation stays current.
        if locked.validated_version == locked.version:
            locked.validated_version = locked.version + 1
        return dict(finding)

    return acts.perform(
        REPORT,
        report,
        "accept",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        reason=reason,
        after=lambda r, f: {"finding": f, "reason": reason},
        what=WHAT,
    ).obj


def _refuse_open(
    findings: list[dict[str, Any]], accepted: dict[str, Any], *, ignore: frozenset[str] = frozenset()
) -> None:
    remaining = [f for f in validation.blocking(findings, accepted) if f["kind"] not in ignore]
    if remaining:
        raise ReportError(
            _("校验未通过：尚有%(n)d个问题未解决，也未说明理由接受（%(first)s）。")
            % {"n": len(remaining), "first": remaining[0]["message"]}
        )


def do_check_report(
    report: AnnualReport,
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
    registry: Registry | None = None,
) -> AnnualReport:
    """Validation passed (or each remaining finding accepted): put the report to the leader."""
    now = now or clock.now()

    def change(locked: AnnualReport) -> None:
        findings = findings_of(locked, today=timezone.localdate(now), registry=registry)
        _refuse_open(findings, locked.accepted)
        locked.findings = findings
        locked.validated_version = locked.version + 1
        locked.checked_by = actor
        locked.return_reason = ""

    return acts.perform(
        REPORT,
        report,
        "check",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        after=lambda r, _v: {"findings": len(r.findings), "accepted": sorted(r.accepted)},
        what=WHAT,
    ).obj


def do_approve_report(
    report: AnnualReport,
    *,
    actor: User,
    expected_version: int | None,
    note: str = "",
    now: dt.datetime | None = None,
    registry: Registry | None = None,
) -> AnnualReport:
    """The leader approves the report as checked (its text cannot change while it waits)."""
    now = now or clock.now()

    def change(locked: AnnualReport) -> None:
        findings = findings_of(locked, today=timezone.localdate(now), registry=registry)
        # The deadline passing while the report waited for approval is no fault of its content.
        _refuse_open(findings, locked.accepted, ignore=frozenset({"records.deadline_passed"}))
        locked.approved_by = actor

    return acts.perform(
        REPORT,
        report,
        "approve",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        reason=note,
        what=WHAT,
    ).obj


def do_return_report(
    report: AnnualReport, *, reason: str, actor: User, expected_version: int | None
) -> AnnualReport:
    if not reason.strip():
        raise ReportError(_("退回时须说明原因。"))

    def change(locked: AnnualReport) -> None:
        locked.return_reason = reason.strip()
        locked.approved_by = None

    return acts.perform(
        REPORT,
        report,
        "return",
        actor=actor,
        version=expected_version,
        apply=change,
        reason=reason,
        what=WHAT,
    ).obj


REPLACED_REASON = _("已由更正后的年度报告替代（索引号：%(index)s）。")


def _earlier_records(report: AnnualReport) -> list[Any]:
    """The catalog records of the report's earlier publications still published (a corrected
    report replaces them; one withdrawn by hand stays as it is)."""
    from gongkai.catalog import queries as catalog_queries

    return catalog_queries.still_published(
        pk for pk in report.publications.values_list("record_id", flat=True) if pk is not None
    )


def _announce(
    published: ReportDocument,
    html: str,
    pdf: bytes,
    *,
    drafter: User,
    publisher: User,
    now: dt.datetime,
    replaces: Sequence[Any] = (),
) -> Any:
    """The report as a record of the catalog's 年度报告 column, through the catalog's services:
    drafted and submitted by who put the report to the leader, approved and published by the
    reviewer who publishes it (a second person), with the PDF attached. A corrected report
    `replaces` the records of the earlier publications: its summary names them, and each is
    withdrawn by the publisher through the catalog's withdraw act, its reason naming the new one."""
    from gongkai.catalog import queries as catalog_queries
    from gongkai.catalog import services as catalog
    from gongkai.catalog.choices import Genre

    category = catalog_queries.category_by_code(ANNUAL_REPORT_COLUMN)
    if category is None:
        raise ReportError(_("目录中没有“年度报告”栏目。"))
    summary = _("%(agency)s%(year)s年政府信息公开工作年度报告。") % {
        "agency": published.agency,
        "year": published.year,
    }
    for earlier in replaces:
        summary += _(
            "本报告为更正后的版本，替代%(date)s发布的原报告（索引号：%(index)s），原报告已撤回。"
        ) % {
            "date": timezone.localdate(earlier.published_at).isoformat() if earlier.published_at else "",
            "index": earlier.index_number,
        }
    record = catalog.do_create_record(
        {
            "name": published.title,
            "summary": summary,
            "body": html,
            "formed_on": timezone.localdate(now),
            "issuer": published.agency,
            "genre": Genre.REPORT,
            "category": category,
            "keywords": _("年度报告"),
            "department": drafter.department,
        },
        actor=drafter,
        now=now,
    )
    catalog.do_add_attachment(
        record,
        catalog.UploadedFile(f"{published.title}.pdf", pdf),
        actor=drafter,
        expected_version=record.version,
    )
    record.refresh_from_db()
    record = catalog.do_submit_record(record, actor=drafter, expected_version=record.version)
    record = catalog.do_approve_record(record, actor=publisher, expected_version=record.version)
    record = catalog.do_publish_record(record, actor=publisher, expected_version=record.version, now=now)
    for earlier in replaces:
        catalog.do_withdraw_record(
            earlier,
            actor=publisher,
            reason=REPLACED_REASON % {"index": record.index_number},
            expected_version=earlier.version,
        )
    return record


def do_publish_report(
    report: AnnualReport, *, actor: User, expected_version: int | None, now: dt.datetime | None = None
) -> PublishedReport:
    """Publish the approved report: frozen as it stands (document, HTML, PDF) and announced in the
    catalog's 年度报告 column."""
    now = now or clock.now()
    replaced: list[int] = []

    def change(locked: AnnualReport) -> PublishedReport:
        if locked.checked_by is None or locked.approved_by is None:
            raise ReportError(_("报告尚未经校验和领导审批。"))
        doc = locked.current()
        doc.issued_on = timezone.localdate(now)
        # Both are shown inside a portal page: the report's own page (its h1 the title) and the
        # catalog record's body (under the record's h1).
        # The charts compare the year with the published years before it, frozen with the report.
        charts = history.charts_for(doc)
        html = publishing.render_html(doc, charts=charts, standalone=False)
        # The catalog record's body has no charts (its sanitiser would keep their labels as
        # text); its PDF attachment has them.
        body = publishing.render_html(doc, standalone=False, nested=True)
        try:
            pdf = publishing.render_pdf(doc, charts=charts)
        except publishing.PublishingError:
            raise ReportError(_("无法生成报告的PDF文件，报告未发布。")) from None
        earlier = _earlier_records(locked)
        record = _announce(
            doc, body, pdf, drafter=locked.checked_by, publisher=actor, now=now, replaces=earlier
        )
        replaced.extend(r.pk for r in earlier)
        number = locked.publications.count() + 1
        return PublishedReport.objects.create(
            report=locked,
            number=number,
            year=locked.year,
            form=locked.form,
            rule_set=locked.rule_set,
            title=doc.title,
            document=doc.as_dict(),
            html=html,
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            accepted=locked.accepted,
            record=record,
            approved_by=locked.approved_by,
            published_by=actor,
            published_at=now,
        )

    done = acts.perform(
        REPORT,
        report,
        "publish",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        after=lambda r, p: {
            "publication": p.number if p else None,
            "record": p.record_id if p else None,
            "replaced_records": replaced,
        },
        what=WHAT,
    )
    assert done.value is not None
    return done.value


def do_redraft_report(
    report: AnnualReport,
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
    registry: Registry | None = None,
) -> AnnualReport:
    """Begin a new draft beside the published report, from the figures as they are now (the
    published one stays as issued); the office's edits are kept."""
    now = now or clock.now()

    def change(locked: AnnualReport) -> None:
        doc = assembly.assemble(locked.year, form=locked.drafted().form, registry=registry)
        locked.document = doc.as_dict()
        locked.assembled_at = now
        locked.findings = []
        locked.validated_version = None
        locked.checked_by = None
        locked.approved_by = None
        # A new draft: who edited the published one is no longer barred (its edits are kept as
        # the starting text; whoever edits the new draft is recorded again).
        locked.edited_by.clear()

    return acts.perform(
        REPORT, report, "redraft", actor=actor, version=expected_version, apply=change, now=now, what=WHAT
    ).obj


def publication_due(report: AnnualReport) -> dt.date:
    """The last day the report may be published under its rule set."""
    return assembly.publication_limit(report.year, report.rule_set)
