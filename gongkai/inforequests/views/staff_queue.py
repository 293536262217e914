"""The case queue of disclosure on request and the registration of applications received on paper,
by fax or e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import DepartmentKind
from gongkai.accounts.models import Department
from gongkai.core import clock
from gongkai.inforequests import queries, services, workflows
from gongkai.inforequests.choices import (
    IntakeChannel,
    RequestKind,
    Status,
)
from gongkai.inforequests.models import Application, Assignment
from gongkai.inforequests.views.case_forms import date_field, is_reviewer, staff_user, year_param

PAGE_SIZE = 30

RECEIPT_RULE = gettext_lazy(
    "收到申请日期（第三十一条）：当面提交的，为提交之日；以邮政快递等方式提交的（挂号信），为签收之日；"
    "以平常信函等无需签收的方式提交的，为与申请人确认之日；以传真、互联网渠道或电子邮件提交的，为双方确认之日。"
)


class RegistrationForm(forms.ModelForm[Application]):
    """An application received by letter, in person, fax or e-mail, typed in by the office."""

    channel = forms.ChoiceField(
        label=gettext_lazy("申请渠道"),
        choices=[
            (c.value, c.label)
            for c in (IntakeChannel.LETTER, IntakeChannel.IN_PERSON, IntakeChannel.FAX, IntakeChannel.EMAIL)
        ],
    )
    received_on = date_field(
        gettext_lazy("收到申请日期"), help_text=gettext_lazy("按第三十一条确定，见上方说明。")
    )

    class Meta:
        model = Application
        fields = [
            "channel", "received_on", "request_kind", "applicant_kind", "applicant_name", "contact_person",
            "id_type", "id_number", "phone", "email", "address", "postcode", "information_title",
            "information_doc_number", "description", "form_wanted", "delivery", "needs_assistance",
            "assistance_note", "suggests_proactive",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_received_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["received_on"]
        if day > clock.today():
            raise forms.ValidationError(_("收到申请日期不能晚于今天。"))
        return day


# The queue --------------------------------------------------------------------------------------


# The year's on-time rate in the queue header is shared by everyone who sees all cases; a few
# minutes' delay is fine for a header figure and saves a year-long scan per page view.
ON_TIME_CACHE_SECONDS = 300


def _on_time_this_year(today: dt.date) -> dict[str, Any]:
    """Replies to disclosure requests only; correction decisions (Art. 41) are counted apart (stats)."""
    replied = Application.objects.filter(
        request_kind=RequestKind.DISCLOSURE,
        replied_on__gte=dt.date(today.year, 1, 1),
        replied_on__lte=today,
    )
    figures = replied.aggregate(
        replied=Count("id"), on_time=Count("id", filter=Q(replied_on__lte=queries.effective_due()))
    )
    figures["rate"] = figures["on_time"] / figures["replied"] if figures["replied"] else None
    return figures


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    today = clock.today()
    near = queries.near_limit(today)
    base = queries.staff_applications(user)
    state = request.GET.get("state") or "open"
    status = request.GET.get("status") or ""
    department = request.GET.get("department") or ""
    year = year_param(request.GET.get("year"))
    qs = base
    if state == "open":
        qs = queries.open_applications(qs)
    elif state == "closed":
        qs = qs.filter(status=Status.CLOSED)
    elif state == "overdue":
        qs = queries.with_effective_due(queries.open_applications(qs)).filter(queries.overdue_q(today))
    elif state == "near":
        qs = queries.with_effective_due(queries.open_applications(qs)).filter(queries.near_q(today, near))
    else:
        state = "all"
    if status in Status.values:
        qs = qs.filter(status=status)
    if department.isdigit() and len(department) <= 18:  # a longer number overflows the key
        qs = qs.filter(
            Exists(Assignment.objects.filter(application=OuterRef("pk"), department_id=int(department)))
        )
    if year:
        qs = qs.filter(received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31))
    qs = queries.with_effective_due(qs)
    qs = qs.order_by("-replied_on", "-id") if state == "closed" else qs.order_by(F("eff_due").asc(), "id")
    page = Paginator(qs.prefetch_related("assignments__department"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(a, queries.due_state(a, today, near)) for a in page.object_list]
    open_qs = queries.with_effective_due(queries.open_applications(base))
    counts = open_qs.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=queries.overdue_q(today)),
        near=Count("id", filter=queries.near_q(today, near)),
    )
    on_time: dict[str, Any] = {}
    if queries.sees_all(user):
        on_time = (
            cache.get_or_set(
                services.on_time_cache_key(today), lambda: _on_time_this_year(today), ON_TIME_CACHE_SECONDS
            )
            or {}
        )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "inforequests/staff/queue.html",
        {
            "nav": "requests",
            "page": page,
            "rows": rows,
            "counts": counts,
            "on_time": on_time,
            "year_now": today.year,
            "state": state,
            "status": status,
            "statuses": Status.choices,
            "department": department,
            "departments": Department.objects.filter(is_active=True).exclude(kind=DepartmentKind.AGENCY),
            "year": year or "",
            "years": range(today.year, 2007, -1),
            "query_base": params.urlencode(),
            "is_reviewer": is_reviewer(user),
            "sees_all": queries.sees_all(user),
            "today": today,
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not workflows.APPLICATION.may(user, Application(), "register"):
        messages.error(request, _("只有公开办可以登记申请。"))
        return redirect("workbench:inforequests_staff:queue")
    form = RegistrationForm(request.POST or None, initial={"received_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("channel", "received_on")}
        try:
            application, code = services.do_submit_application(
                data,
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                actor=user,
            )
        except services.RequestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("已登记，受理编号 %(n)s，查询码 %(c)s（只显示这一次，请告知申请人）。")
                % {"n": application.tracking_number, "c": code},
            )
            return redirect("workbench:inforequests_staff:case", pk=application.pk)
    return render(
        request,
        "inforequests/staff/register.html",
        {"nav": "requests", "form": form, "receipt_rule": RECEIPT_RULE},
    )
