"""Staff pages of core: the workday calendar (system administrator) and the audit trail (audit administrator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, params, roles, services
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear

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


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_view_audit(user):
        messages.error(request, _("只有审计管理员或安全管理员可以查看审计日志。"))
        return redirect("workbench:dashboard")
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    action = (request.GET.get("action") or "").strip()
    actor = (request.GET.get("actor") or "").strip()
    subject = (request.GET.get("subject") or "").strip()
    personal = request.GET.get("personal") == "1"
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__contains=actor)
    if subject:
        events = events.filter(object_repr__contains=subject)
    if personal:
        events = events.filter(action=audit.PERSONAL_DATA_VIEWED)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/staff/audit_log.html",
        {
            "nav": "audit",
            "page": page,
            "action": action,
            "actor": actor,
            "subject": subject,
            "personal": personal,
            "query_base": params.urlencode(),
        },
    )
