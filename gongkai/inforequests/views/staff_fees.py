"""The information-processing fee section of the staff case page (2019 Art. 42; 国办函〔2020〕109号):
issue a fee notice (with a trial computation), record payment, waive, close as unpaid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.core import clock, workdays
from gongkai.inforequests import fees, queries, services, workflows
from gongkai.inforequests.choices import FeeMethod, Status
from gongkai.inforequests.models import Application
from gongkai.inforequests.views.case_forms import VersionForm, date_field, staff_user, text_field
from gongkai.inforequests.views.staff import case_context, form_after_conflict, move_forms, run_move

BOTH_METHODS = gettext_lazy("按件计收与按量计收只能选择一种，不能同时适用（国办函〔2020〕109号）。")


class _FeeForm(VersionForm):
    """Field ids of their own: the case page also carries the case's move forms."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_fee_%s")
        super().__init__(*args, **kwargs)


class FeeIssueForm(_FeeForm):
    method = forms.ChoiceField(label=gettext_lazy("计收方式（只能选一种）"), choices=FeeMethod.choices)
    units = forms.IntegerField(
        label=gettext_lazy("计费数量"),
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "按件：该申请人本自然月的第几件申请（留空则按系统登记自动计算）；按量：页数。"
        ),
    )
    note = text_field(gettext_lazy("说明（申请数量或频次明显超过合理范围的情况）"), rows=2, required=False)
    on = date_field(gettext_lazy("通知日期"), required=False)

    def clean_method(self) -> str:
        chosen = self.data.getlist("method") if hasattr(self.data, "getlist") else [self.data.get("method")]
        if len({c for c in chosen if c}) > 1:
            raise forms.ValidationError(BOTH_METHODS)
        method: str = self.cleaned_data["method"]
        return method

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == FeeMethod.PER_VOLUME and not data.get("units"):
            self.add_error("units", _("按量计收须填写页数。"))
        return data


class FeePaidForm(_FeeForm):
    paid_on = date_field(gettext_lazy("缴费日期"))


class FeeWaiveForm(_FeeForm):
    on = date_field(gettext_lazy("免收日期"))
    note = text_field(gettext_lazy("免收理由"), rows=2)


class FeeLapseForm(_FeeForm):
    on = date_field(gettext_lazy("办结日期"))


@dataclass(frozen=True)
class FeeMove:
    title: Any
    form: type[VersionForm]
    run: Callable[[Application, User, dict[str, Any]], Any]
    needs_open_notice: bool
    danger: bool = False


def month_place(application: Application) -> int:
    """The application's place among its applicant's applications of the same natural month."""
    return fees.monthly_application_count(application.id_number, application.received_on, up_to=application)


def _units(application: Application, data: dict[str, Any]) -> int:
    units = data.get("units")
    if units:
        return int(units)
    return month_place(application)


def _issue(a: Application, u: User, d: dict[str, Any]) -> Any:
    return fees.do_issue_fee_notice(
        a,
        method=d["method"],
        units=_units(a, d),
        note=d.get("note") or "",
        actor=u,
        on=d.get("on") or clock.today(),
        expected_version=d["version"],
    )


FEE_MOVES: dict[str, FeeMove] = {
    "issue": FeeMove(gettext_lazy("发出收费通知"), FeeIssueForm, _issue, needs_open_notice=False),
    "paid": FeeMove(
        gettext_lazy("登记缴费"),
        FeePaidForm,
        lambda a, u, d: fees.do_record_fee_paid(
            a, paid_on=d["paid_on"], actor=u, expected_version=d["version"]
        ),
        needs_open_notice=True,
    ),
    "waive": FeeMove(
        gettext_lazy("免收"),
        FeeWaiveForm,
        lambda a, u, d: fees.do_waive_fee(
            a, note=d["note"], actor=u, on=d["on"], expected_version=d["version"]
        ),
        needs_open_notice=True,
    ),
    "lapse": FeeMove(
        gettext_lazy("逾期未缴费，不再处理"),
        FeeLapseForm,
        lambda a, u, d: fees.do_close_unpaid(a, actor=u, on=d["on"], expected_version=d["version"]),
        needs_open_notice=True,
        danger=True,
    ),
}


def can_charge(user: User, application: Application) -> bool:
    """The fee panel's moves are the kernel's (workflows.APPLICATION); this only asks it."""
    allowed = workflows.APPLICATION.allowed_moves(user, application)
    return any(name in allowed for name in ("fee_notice", "fee_paid", "fee_waive", "fee_lapse"))


def _initial(name: str, application: Application, today: dt.date) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": application.version}
    if name == "paid":
        initial["paid_on"] = today
    if name in ("waive", "lapse", "issue"):
        initial["on"] = today
    if name == "issue":
        initial["method"] = FeeMethod.PER_APPLICATION
    return initial


def panel(
    user: User,
    application: Application,
    bound: tuple[str, VersionForm] | None = None,
    preview: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the fee section shows: the notices, and the forms this user may use now."""
    today = clock.today()
    notices = [
        (n, fees.notice_state(n), fees.STATE_LABELS[fees.notice_state(n)])
        for n in application.fee_notices.all()
    ]
    pending = fees.open_notice(application)
    refused = fees.fee_allowed(application)
    moves = []
    if can_charge(user, application) and not refused:
        for name, move in FEE_MOVES.items():
            if move.needs_open_notice != (pending is not None):
                continue
            if name == "issue" and application.status not in (Status.RECEIVED, Status.IN_PROGRESS):
                continue
            if name == "lapse" and pending is not None and today <= pending.pay_by:
                continue
            form = (
                bound[1]
                if bound and bound[0] == name
                else move.form(initial=_initial(name, application, today))
            )
            moves.append({"name": name, "move": move, "form": form, "open": form.is_bound})
    if bound and not any(m["name"] == bound[0] for m in moves):
        move = FEE_MOVES[bound[0]]
        moves.insert(0, {"name": bound[0], "move": move, "form": bound[1], "open": True})
    return {
        "notices": notices,
        "pending": pending,
        "refused": refused,
        "moves": moves,
        "month_place": month_place(application) if application.pk else None,
        "preview": preview,
        "can_act": can_charge(user, application),
    }


def _render(
    request: HttpRequest,
    user: User,
    pk: int,
    bound: tuple[str, VersionForm],
    status: int,
    preview: dict[str, Any] | None = None,
) -> HttpResponse:
    application = queries.get_application_for_staff(user, pk)
    context = case_context(user, application)
    context["moves"] = move_forms(user, application, None)
    context["fee_panel"] = panel(user, application, bound, preview)
    return render(request, "inforequests/staff/case.html", context, status=status)


def _preview(application: Application, form: FeeIssueForm) -> dict[str, Any]:
    data = form.cleaned_data
    units = _units(application, data)
    try:
        amount = fees.compute_fee(data["method"], units, on=application.received_on)
        basis = fees.fee_basis(data["method"], units, on=application.received_on)
    except fees.FeeError as exc:
        return {"error": str(exc)}
    try:
        pay_by: dt.date | None = workdays.add_workdays(clock.today(), fees.SCHEDULE_2021.pay_workdays)
    except workdays.CalendarUnknownError:
        pay_by = None
    return {"amount": amount, "basis": basis, "units": units, "pay_by": pay_by}


@login_required
def fee_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user = staff_user(request)
    application = queries.get_application_for_staff(user, pk)
    move = FEE_MOVES.get(name)
    if move is None:
        raise Http404("no such fee move")
    back = reverse("workbench:inforequests_staff:case", args=[pk]) + "#fees"
    if request.method != "POST":
        return redirect(back)
    form = move.form(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
        return _render(request, user, pk, (name, form), 200)
    if name == "issue" and "preview" in request.POST:
        assert isinstance(form, FeeIssueForm)
        return _render(request, user, pk, (name, form), 200, preview=_preview(application, form))
    try:
        status, result = run_move(request, form, lambda: move.run(application, user, form.cleaned_data))
    except services.ConflictError as exc:
        conflict = form_after_conflict(request, move.form, application, exc)
        return _render(request, user, pk, (name, conflict), 409)
    if status != 200:
        return _render(request, user, pk, (name, form), 403 if status == 403 else 200)
    if name == "issue":
        messages.success(
            request,
            _("已发出收费通知：%(m)s，计费数量 %(u)d，应缴 %(a)s 元，缴费期限 %(d)s；期间不计入答复期限。")
            % {
                "m": FeeMethod(result.method).label,
                "u": result.units,
                "a": f"{result.amount:.2f}",
                "d": result.pay_by.isoformat(),
            },
        )
    elif name == "paid":
        messages.success(request, _("已登记缴费，答复期限已顺延。"))
    elif name == "waive":
        messages.success(request, _("已免收，答复期限已重新计算。"))
    else:
        messages.success(request, _("已按逾期未缴费办结，不再处理该申请。"))
    return redirect(back)
