"""Workbench pages of the annual report: the reports, the draft with its passages editable and
every number linked to the records it counts, the validation findings, the moves, the changes
since the published report, downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gongkai.accounts.choices import Role
from gongkai.annualreport import diff, exporting, queries, reminders, services
from gongkai.annualreport.assemble import FORMS, default_form
from gongkai.annualreport.choices import ReportForm, Status
from gongkai.annualreport.document import Mention, Passage, ReportDocument
from gongkai.annualreport.editing import cell_key, office_cells
from gongkai.annualreport.models import AnnualReport
from gongkai.annualreport.validation import blocking
from gongkai.annualreport.workflows import REPORT, edited_by, submitted_by
from gongkai.core import acts, clock, drafts
from gongkai.core import figures as core_figures
from gongkai.core.drafts import editor_login_required_for
from gongkai.core.figures import Period
from gongkai.core.params import id_param, version_param, year_param
from gongkai.core.text import clean_inputs

NAV = "reports"


@dataclass(frozen=True)
class Segment:
    text: str
    mention: Mention | None = None
    url: str = ""


def segments(passage: Passage, year: int) -> list[Segment]:
    """A passage's text cut at its mentions, so each number links to the records it counts."""
    result: list[Segment] = []
    at = 0
    for mention in sorted(passage.mentions, key=lambda m: m.start):
        if mention.start < at:
            continue
        result.append(Segment(passage.text[at : mention.start]))
        result.append(
            Segment(passage.text[mention.start : mention.end], mention, figure_url(mention.code, year))
        )
        at = mention.end
    result.append(Segment(passage.text[at:]))
    return [s for s in result if s.text]


def figure_url(code: str, year: int) -> str:
    return reverse("workbench:annualreport_staff:figure", args=[code]) + f"?year={year}"


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    queries.require_reader(user)
    if request.method == "POST":
        year = year_param(request.POST.get("year"))
        form = request.POST.get("form") or ""
        try:
            if year is None:
                raise services.ReportError(_("请填写年度（四位数字）。"))
            if form and form not in FORMS:
                raise services.ReportError(_("未知的报告形式。"))
            report = services.do_create_report(year, actor=user, form=form or None)
        except (acts.ActError, ValueError) as exc:
            messages.error(request, str(exc))
            return redirect("workbench:annualreport_staff:list")
        messages.success(request, _("已根据业务记录起草%(year)s年度报告。") % {"year": report.year})
        return redirect("workbench:annualreport_staff:detail", report.pk)
    today = clock.today()
    reports = list(AnnualReport.objects.select_related("department").prefetch_related("publications"))
    for report in reports:
        report.deadline = reminders.Deadline(  # type: ignore[attr-defined]
            year=report.year,
            rule_set=report.rule_set,
            due_on=services.publication_due(report),
            today=today,
            published=bool(report.publications.all()),
        )
    last_year = next((r for r in reports if r.year == today.year - 1), None)
    upcoming = reminders.deadline_of(today.year - 1, today, report=last_year)
    return render(
        request,
        "annualreport/staff/list.html",
        {
            "nav": NAV,
            "reports": reports,
            "upcoming": None if upcoming.published else upcoming,
            "upcoming_begun": last_year is not None,
            "may_create": REPORT.may(user, AnnualReport(), "create"),
            "forms": ReportForm.choices,
            "suggested_year": today.year - 1,
            "suggested_form": default_form(today.year - 1),
        },
    )


def four_eyes_note(user: Any, report: AnnualReport) -> str:
    """Why the approve or publish button is not offered to this leader or reviewer: they put the
    report up for approval or edited its text (four eyes), so another person makes that move."""
    if report.status == Status.CHECKED and user.has_role(Role.LEADER):
        move = "approve"
    elif report.status == Status.APPROVED and user.has_role(Role.REVIEWER):
        move = "publish"
    else:
        return ""
    edited, submitted = user.pk in edited_by(report), user.pk in submitted_by(report)
    if not (edited or submitted):
        return ""
    if move == "approve":
        if edited:
            return _("您修改过此报告的内容，须由另一名领导审批（双人审核）。")
        return _("您提请了此报告的审批，须由另一名领导审批（双人审核）。")
    if edited:
        return _("您修改过此报告的内容，须由另一名公开办审核员发布（双人审核）。")
    return _("您提请了此报告的审批，须由另一名公开办审核员发布（双人审核）。")


def _context(request: HttpRequest, report: AnnualReport, doc: ReportDocument, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    moves = REPORT.allowed_moves(user, report)
    published = report.latest_publication()
    changes = (
        diff.compare(published.as_document(), doc)
        if published and report.status != Status.PUBLISHED
        else None
    )
    passages = [{"passage": p, "segments": segments(p, report.year)} for p in doc.passages()]
    open_cells = set(office_cells(report.drafted()))
    # What was typed and not saved (a refused save, a session that ended) over what was saved.
    entered = {**report.edits.get("cells", {}), **extra.get("typed_cells", {})}
    sections = []
    by_key: dict[str, Any] = {p.key: item for p, item in zip(doc.passages(), passages, strict=True)}
    for section in doc.sections:
        tables = []
        for table in section.tables:
            rows = []
            for row in table.rows:
                cells = []
                for column, cell in zip(table.column_keys, row.cells, strict=True):
                    key = cell_key(table.key, row.key, column)
                    cells.append(
                        {
                            "cell": cell,
                            "key": key,
                            "open": key in open_cells and "edit" in moves,
                            "entered": entered.get(key, ""),
                            "url": figure_url(cell.code, report.year)
                            if cell.code
                            and not cell.code.startswith("annualreport.")
                            and cell.value is not None
                            else "",
                        }
                    )
                rows.append({"row": row, "cells": cells})
            tables.append({"table": table, "rows": rows})
        sections.append(
            {"section": section, "passages": [by_key[p.key] for p in section.passages], "tables": tables}
        )
    open_findings = {f["id"] for f in blocking(report.findings, report.accepted)}
    return {
        "nav": NAV,
        "report": report,
        "doc": doc,
        "sections": sections,
        "moves": moves,
        "four_eyes": four_eyes_note(user, report),
        "may_edit": "edit" in moves,
        "findings": report.findings,
        "open_findings": open_findings,
        "stale": report.findings and report.validated_version != report.version,
        "accepted": report.accepted,
        "published": published,
        "publications": report.publications.defer("pdf", "html", "document"),
        "changes": changes,
        "transitions": report.transitions.select_related("actor"),
        "formats": exporting.FORMATS,
        "due": services.publication_due(report),
        **extra,
    }


def _typed(report: AnnualReport, fields: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The passages and office cells in what was posted (or kept when the session ended)."""
    drafted = report.drafted()
    # Read without a form: control characters (NUL included, which PostgreSQL cannot store) go here.
    posted = clean_inputs({name: str(value) for name, value in fields.items() if isinstance(value, str)})
    passages = {p.key: posted[f"p:{p.key}"] for p in drafted.passages() if f"p:{p.key}" in posted}
    cells = {key: posted[f"c:{key}"] for key in office_cells(drafted) if f"c:{key}" in posted}
    return passages, cells


def _shown(report: AnnualReport, passages: dict[str, str]) -> ReportDocument:
    """The current document with the passages typed (not saved) in their places."""
    shown = report.current()
    for passage in shown.passages():
        if passage.key in passages:
            passage.text = passages[passage.key]
    return shown


def _detail_path(request: HttpRequest, pk: int) -> str:
    return reverse("workbench:annualreport_staff:detail", args=[pk])


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = queries.get_report_for_staff(request.user, pk)  # type: ignore[arg-type]
    restored = drafts.take_on_get(request)
    extra: dict[str, Any] = drafts.context(request.user, restored)  # type: ignore[arg-type]
    if restored:
        # What was typed when the session ended, with the version it was typed against.
        passages, cells = _typed(report, restored)
        extra.update(typed_cells=cells, form_version=restored.get("version", ""))
        return render(
            request,
            "annualreport/staff/detail.html",
            _context(request, report, _shown(report, passages), **extra),
        )
    return render(
        request, "annualreport/staff/detail.html", _context(request, report, report.current(), **extra)
    )


@editor_login_required_for(_detail_path)
@require_POST
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = queries.get_report_for_staff(request.user, pk)  # type: ignore[arg-type]
    user: Any = request.user
    passages, cells = _typed(report, request.POST.dict())
    try:
        services.do_save_edits(
            report,
            passages=passages,
            cells=cells,
            actor=user,
            expected_version=version_param(request.POST.get("version")),
        )
    except acts.ActError as exc:
        # Nothing was saved: the page comes back with what was typed, and why.
        report.refresh_from_db()
        shown = _shown(report, passages)
        status = 409 if isinstance(exc, acts.ConflictError) else 400
        if isinstance(exc, acts.PermissionDeniedError):
            status = 403  # refused for who they are, as the other workbench pages answer
        response = render(
            request,
            "annualreport/staff/detail.html",
            _context(
                request,
                report,
                shown,
                error=str(exc),
                typed_cells=cells,
                **drafts.context(user, None),
            ),
            status=status,
        )
        return response
    messages.success(request, _("已保存。请重新校验。"))
    return redirect("workbench:annualreport_staff:detail", report.pk)


MOVES = {
    "refresh": lambda r, u, v, p: services.do_refresh_report(r, actor=u, expected_version=v),
    "validate": lambda r, u, v, p: services.do_validate_report(r, actor=u, expected_version=v),
    "check": lambda r, u, v, p: services.do_check_report(r, actor=u, expected_version=v),
    "approve": lambda r, u, v, p: services.do_approve_report(
        r, actor=u, expected_version=v, note=p.get("note", "")
    ),
    "return": lambda r, u, v, p: services.do_return_report(
        r, reason=p.get("reason", ""), actor=u, expected_version=v
    ),
    "publish": lambda r, u, v, p: services.do_publish_report(r, actor=u, expected_version=v),
    "redraft": lambda r, u, v, p: services.do_redraft_report(r, actor=u, expected_version=v),
    "accept": lambda r, u, v, p: services.do_accept_finding(
        r, p.get("finding", ""), reason=p.get("reason", ""), actor=u, expected_version=v
    ),
}
DONE = {
    "refresh": _("已重新读取统计数据。"),
    "validate": _("校验完成。"),
    "check": _("校验通过，已提请领导审批。"),
    "approve": _("已审批通过。"),
    "return": _("已退回修改。"),
    "publish": _("年度报告已发布。"),
    "redraft": _("已根据当前业务记录编制新稿，已发布的报告保持不变。"),
    "accept": _("已接受该问题。"),
}


@login_required
@require_POST
def report_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    report = queries.get_report_for_staff(request.user, pk)  # type: ignore[arg-type]
    if move not in MOVES:
        raise Http404
    try:
        posted = clean_inputs(request.POST.dict())  # no form: control characters (NUL too) go here
        MOVES[move](report, request.user, version_param(posted.get("version")), posted)  # type: ignore[no-untyped-call]
    except acts.ActError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(DONE[move]))
    return redirect(
        reverse("workbench:annualreport_staff:detail", args=[report.pk])
        + ("#findings" if move in ("validate", "check", "accept") else "")
    )


@login_required
@require_safe
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = queries.get_report_for_staff(request.user, pk)  # type: ignore[arg-type]
    if fmt not in exporting.FORMATS:
        raise Http404
    number = id_param(request.GET.get("published"))  # a publication's number: 1, 2, …
    if request.GET.get("published"):
        publication = report.publications.filter(number=number or 0).first()
        if publication is None:
            raise Http404
        doc = publication.as_document()
    else:
        doc = report.current()
    return exporting.download(doc, fmt)


@login_required
@require_safe
def figure_records(request: HttpRequest, code: str) -> HttpResponse:
    """The records a figure counts (for "+"-joined codes, each part's), for one year."""
    queries.require_reader(request.user)  # type: ignore[arg-type]
    year = year_param(request.GET.get("year"))
    if year is None:
        raise Http404
    period = Period.year(year)
    parts = []
    for part in code.split("+")[:8]:
        app = part.split(".", 1)[0]
        if app not in core_figures.registered_apps():
            raise Http404
        found = next((f for f in core_figures.collect(period, apps=[app]) if f.code == part), None)
        if found is None:
            raise Http404
        listing = None
        if found.objects is not None:
            objects = found.objects()
            if not objects.ordered:
                # A listing of values (the categories counted) is ordered by them, else by key.
                fields = objects.query.values_select
                objects = objects.order_by(*fields) if fields else objects.order_by("pk")
            listing = Paginator(objects, 50)
        page = listing.get_page(request.GET.get("page")) if listing is not None else None
        parts.append({"figure": found, "page": page})
    return render(
        request,
        "annualreport/staff/figure.html",
        {"nav": NAV, "code": code, "year": year, "parts": parts},
    )
