"""Staff pages of core: the workday calendar (system administrator) and the audit trail (audit administrator)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, clock, params, roles, services
from gongkai.core.figures import Period, PeriodError
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear
from gongkai.core.spreadsheet import safe_cell

if TYPE_CHECKING:
    from gongkai.accounts.models import User


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=2004, max_value=2100)
    source = forms.CharField(
        label=gettext_lazy("来源"), max_length=200, help_text=gettext_lazy("如：国办发明电〔2026〕7号")
    )
    schedule = forms.CharField(
        label=gettext_lazy("节假日与调休安排"),
        widget=forms.Textarea(
            attrs={"rows": 14, "placeholder": "2027-01-01 休 元旦\n2027-02-07 班 春节调休上班"}
        ),
        help_text=gettext_lazy("每行一天：日期、“休”或“班”、名称。未列出的日期按周一至周五上班、周末休息。"),
    )


def _user(request: HttpRequest) -> User:
    assert request.user.is_authenticated  # behind login_required; the model is AUTH_USER_MODEL
    return request.user


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    can_edit = services.may_enter_calendar(user)
    form = CalendarYearForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            messages.error(request, _("只有系统管理员可以录入节假日安排。"))
            return redirect("workbench:calendar")
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                special = services.parse_schedule(year, form.cleaned_data["schedule"])
                services.do_enter_calendar_year(year, special, source=form.cleaned_data["source"], actor=user)
            except services.CalendarInputError as exc:
                form.add_error("schedule", str(exc))
            else:
                messages.success(request, _("%(y)d 年节假日安排已录入。") % {"y": year})
                return redirect("workbench:calendar")
    shown = request.GET.get("year")
    years = list(CalendarYear.objects.order_by("-year"))
    shown_year = params.int_param(shown, low=1, high=9999) or (years[0].year if years else None)
    special_days = [
        d
        for d in CalendarDay.objects.filter(date__year=shown_year or 0).order_by("date")
        if d.is_holiday or d.is_makeup_day
    ]
    return render(
        request,
        "core/staff/calendar.html",
        {
            "nav": "calendar",
            "years": years,
            "shown_year": shown_year,
            "special_days": special_days,
            "form": form,
            "can_edit": can_edit,
        },
    )


def may_view_audit(user: User) -> bool:
    """The audit trail is the audit and security administrators' (三员: not the system administrator's)."""
    return bool(user.has_role(roles.AUDIT_ADMIN, roles.SECURITY_ADMIN))


# The audit log and its export (issue 13): filtered by date range, action (in words, grouped by
# app, or by raw code prefix), actor, object and personal-data views; exported as CSV or XLSX.
AUDIT_LOG_EXPORTED = "core.audit_log.exported"
audit.register_action_labels({AUDIT_LOG_EXPORTED: gettext_lazy("导出审计日志")})
AUDIT_PER_PAGE = 50
EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page was asked for, as read from its query string."""

    events: QuerySet[AuditEvent]
    applied: dict[str, str]  # the filters in force, for the export's own audit event
    period: Period | None
    error: str


def action_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The event vocabulary for the action select: (app in words, [(code, words)]), each app's
    list opened by "all of the app" (the code prefix "app.")."""
    by_app: dict[str, list[tuple[str, str]]] = {}
    for code, label in audit.ACTION_LABELS.items():
        by_app.setdefault(code.partition(".")[0], []).append((code, str(label)))
    groups = []
    for app_label, codes in by_app.items():
        try:
            name = str(apps.get_app_config(app_label).verbose_name)
        except LookupError:
            name = app_label
        everything = (f"{app_label}.", _("%(app)s（全部）") % {"app": name})
        groups.append((name, [everything, *sorted(codes, key=lambda c: c[1])]))
    return sorted(groups, key=lambda g: g[0])


def _audit_period(request: HttpRequest) -> tuple[Period | None, str]:
    start, end = (request.GET.get("from") or "").strip(), (request.GET.get("to") or "").strip()
    if not start and not end:
        return None, ""
    try:
        return Period.parse(start or f"{params.YEAR_MIN}-01-01", end or f"{params.YEAR_MAX}-12-31"), ""
    except PeriodError as exc:
        return None, str(exc)


def audit_filters(request: HttpRequest) -> AuditFilters:
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    applied: dict[str, str] = {}
    period, error = _audit_period(request)
    if error:
        return AuditFilters(events.none(), applied, None, error)
    if period is not None:
        first, after = period.bounds()
        events = events.filter(at__gte=first, at__lt=after)
        applied.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
    event = (request.GET.get("event") or "").strip()
    if event in {code for _name, codes in action_groups() for code, _label in codes}:
        lookup = "action__startswith" if event.endswith(".") else "action"
        events = events.filter(**{lookup: event})
        applied["event"] = event
    texts = (("action", "action__startswith", 100), ("actor", "actor_label__contains", 150))
    for name, lookup, length in (*texts, ("subject", "object_repr__contains", 300)):
        value = (request.GET.get(name) or "").strip()[:length]
        if value:
            events = events.filter(**{lookup: value})
            applied[name] = value
    if request.GET.get("personal") == "1":
        events = events.filter(action=audit.PERSONAL_DATA_VIEWED)
        applied["personal"] = "1"
    return AuditFilters(events, applied, period, "")


FILTER_ORDER = ("from", "to", "event", "action", "actor", "subject", "personal")


def event_details(event: AuditEvent) -> str:
    """What the page says of an event besides who, what and on which object: the note, and for a
    view of personal data which page or letter showed it. Never `before` or `after` themselves,
    which may hold the data (the export says no more than the page)."""
    parts = []
    after = event.after if isinstance(event.after, dict) else {}
    if event.action == audit.PERSONAL_DATA_VIEWED:
        parts.append(str(after.get("view") or ""))
        if after.get("letter"):
            parts.append(f"{after['letter']} {after.get('format') or ''}".strip())
    elif event.action == AUDIT_LOG_EXPORTED:
        filters = after.get("filters")
        filters = filters if isinstance(filters, dict) else {}
        parts.append(
            _("%(format)s，%(rows)s 条")
            % {"format": str(after.get("format") or "").upper(), "rows": after.get("rows")}
        )
        # In the filters' own order (PostgreSQL's jsonb keeps no key order), any others after.
        names = sorted(
            filters, key=lambda k: (FILTER_ORDER.index(k) if k in FILTER_ORDER else len(FILTER_ORDER), k)
        )
        parts.append("; ".join(f"{k}={filters[k]}" for k in names) or _("未筛选"))
    if event.note:
        parts.append(event.note)
    return " · ".join(p for p in parts if p)


def _export_header() -> list[str]:
    return [_("时间"), _("操作人"), _("动作代码"), _("动作"), _("对象"), _("地址"), _("说明")]


def _export_rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    for e in events.iterator(chunk_size=2000):
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            safe_cell(e.actor_label),
            e.action,
            safe_cell(e.label),
            safe_cell(e.object_repr),
            e.ip_address or "",
            safe_cell(event_details(e)),
        ]


class _Echo:
    """A file for csv.writer that hands each written line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # With a BOM: spreadsheet programs on Chinese Windows read UTF-8 CSV correctly only with it.
    yield "\ufeff" + writer.writerow(_export_header())
    for row in _export_rows(events):
        yield writer.writerow(row)


def _xlsx(events: QuerySet[AuditEvent]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("审计日志"))
    sheet.append(_export_header())
    for row in _export_rows(events):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _export(user: User, filters: AuditFilters, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """Exactly the events the filters select now (those written after this moment are left out,
    the export's own event among them), the export itself recorded: who, which filters, how many."""
    last = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    events = filters.events.filter(id__lte=last)
    rows = events.count()
    audit.log_event(
        AUDIT_LOG_EXPORTED, actor=user, after={"format": fmt, "filters": filters.applied, "rows": rows}
    )
    name = f"audit-log-{timezone.localtime(clock.now()):%Y%m%d-%H%M%S}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "xlsx":
        response = HttpResponse(
            _xlsx(events), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def audit_log(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    user = _user(request)
    if not may_view_audit(user):
        messages.error(request, _("只有审计管理员或安全管理员可以查看审计日志。"))
        return redirect("workbench:dashboard")
    filters = audit_filters(request)
    fmt = request.GET.get("format") or ""
    if fmt in EXPORT_FORMATS and not filters.error:
        return _export(user, filters, fmt)
    page = Paginator(filters.events, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    get = request.GET.get
    return render(
        request,
        "core/staff/audit_log.html",
        {
            "nav": "audit",
            "page": page,
            "rows": [(e, event_details(e)) for e in page.object_list],
            "action_groups": action_groups(),
            "event": filters.applied.get("event", ""),
            "date_from": (get("from") or "").strip()[:10],
            "date_to": (get("to") or "").strip()[:10],
            "period_error": filters.error,
            "action": (get("action") or "").strip()[:100],
            "actor": (get("actor") or "").strip()[:150],
            "subject": (get("subject") or "").strip()[:300],
            "personal": get("personal") == "1",
            "query_base": query.urlencode(),
        },
        status=400 if filters.error else 200,
    )
