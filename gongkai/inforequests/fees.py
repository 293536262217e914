"""Information-processing fees (信息处理费): the schedule as data, the pure computation, and the
services that issue a fee notice, record payment or waiver, and close an unpaid application.

The law (2019 Regulations Art. 42; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》):

- Disclosure on request is free. A fee is charged only when an application's volume or frequency
  clearly exceeds reasonable bounds, by one of two methods, chosen per application, never both:
  * per application (按件计收): the same applicant's applications in one natural month —
    the 1st to 10th free; the 11th to 30th 100元 each; from the 31st, each further band of 10
    raises the rate by 100元 (31st–40th 200元, 41st–50th 300元, …);
  * per volume (按量计收): the pages of one application — up to 30 free; the part from page 31 to
    100 at 10元/页, from 101 to 200 at 20元/页, from 201 at 40元/页.
- The agency issues a written fee notice (收费通知) stating the basis, method, amount and payment
  deadline; the applicant pays within 20 working days of receiving it. The time from issuing the
  notice to payment is not counted in the reply period. Without payment in time and without good
  reason, the agency no longer processes the application (table 三 row "other.overdue_no_fee").
- The schedule applies from 2021-01-01. The 2007 Regulations (Art. 27) allowed only the cost of
  search, copying and postage: this system charges nothing under them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.core import clock, crypto, rules, workdays
from gongkai.inforequests import services
from gongkai.inforequests.choices import FeeMethod, Outcome, PauseKind
from gongkai.inforequests.models import Application, FeeNotice, Pause

# The schedule as data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Units `first`..`last` (inclusive; `last` None = no upper end) at `rate` 元 per unit."""

    first: int
    last: int | None
    rate: Decimal


@dataclass(frozen=True)
class FeeSchedule:
    code: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None
    # Per application: the rate of the n-th application of the month is the rate of its band;
    # beyond the last band, every `step_size` more applications raise the rate by `step_rate`.
    per_application: tuple[Band, ...]
    per_application_step_size: int
    per_application_step_rate: Decimal
    # Per volume: each page is charged at the rate of its band (the parts add up).
    per_volume: tuple[Band, ...]
    pay_workdays: int
    legal_basis: str

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


SCHEDULE_2021 = FeeSchedule(
    code="国办函〔2020〕109号",
    source="国务院办公厅关于印发《政府信息公开信息处理费管理办法》的通知（国办函〔2020〕109号）",
    valid_from=dt.date(2021, 1, 1),
    valid_to=None,
    per_application=(
        Band(1, 10, Decimal("0")),
        Band(11, 30, Decimal("100")),
    ),
    per_application_step_size=10,
    per_application_step_rate=Decimal("100"),
    per_volume=(
        Band(1, 30, Decimal("0")),
        Band(31, 100, Decimal("10")),
        Band(101, 200, Decimal("20")),
        Band(201, None, Decimal("40")),
    ),
    pay_workdays=20,
    legal_basis="《中华人民共和国政府信息公开条例》第四十二条；国办函〔2020〕109号",
)

FEE_SCHEDULES: tuple[FeeSchedule, ...] = (SCHEDULE_2021,)

CLOSE_UNPAID_BASIS = "第四十二条；国办函〔2020〕109号"
WAIVED_MARK = "【免收】"

# Shown to staff in the page's language (hence lazy).
NO_FEE_2007 = gettext_lazy(
    "2007年《政府信息公开条例》（国务院令第492号）第二十七条只允许收取检索、复制、邮寄等成本费用，"
    "不收取信息处理费；本系统不对适用2007年条例的申请计收任何费用。"
)
NO_FEE_BEFORE_2021 = gettext_lazy(
    "信息处理费自2021年1月1日起施行（国办函〔2020〕109号），此前收到的申请不收取信息处理费。"
)


class FeeError(ValueError):
    """No fee can be computed (unknown method, no units, no schedule in force)."""


def schedule_for(day: dt.date) -> FeeSchedule | None:
    for schedule in FEE_SCHEDULES:
        if schedule.covers(day):
            return schedule
    return None


def _schedule(on: dt.date | None) -> FeeSchedule:
    day = on or clock.today()
    schedule = schedule_for(day)
    if schedule is None:
        raise FeeError(str(NO_FEE_BEFORE_2021))
    return schedule


def per_application_rate(n: int, schedule: FeeSchedule = SCHEDULE_2021) -> Decimal:
    """The fee of an applicant's n-th application in one natural month."""
    for band in schedule.per_application:
        if band.first <= n and (band.last is None or n <= band.last):
            return band.rate
    last = schedule.per_application[-1]
    assert last.last is not None
    steps = -(-(n - last.last) // schedule.per_application_step_size)  # ceiling
    return last.rate + steps * schedule.per_application_step_rate


def per_volume_fee(pages: int, schedule: FeeSchedule = SCHEDULE_2021) -> Decimal:
    """Each page at the rate of its band: 31 pages = 10元, 100 = 700元, 101 = 720元, 201 = 2740元."""
    total = Decimal("0")
    for band in schedule.per_volume:
        top = pages if band.last is None else min(pages, band.last)
        if top >= band.first:
            total += (top - band.first + 1) * band.rate
    return total


def compute_fee(method: str, units: int, *, on: dt.date | None = None) -> Decimal:
    """The information-processing fee of one application, in 元 (国办函〔2020〕109号).

    `method` is ``FeeMethod.PER_APPLICATION`` (``units`` = which application of the applicant's
    natural month this is, this one included: 1–10 free, 11–30 100元, 31–40 200元, 41–50 300元 …)
    or ``FeeMethod.PER_VOLUME`` (``units`` = pages: ≤30 free, pages 31–100 10元, 101–200 20元,
    201+ 40元 each, added up band by band). One method per application, never both.
    `on` selects the schedule in force (today by default); before 2021-01-01 there is none.
    """
    schedule = _schedule(on)
    if units < 1:
        raise FeeError(_("计费数量须为正整数。"))
    if method == FeeMethod.PER_APPLICATION:
        amount = per_application_rate(units, schedule)
    elif method == FeeMethod.PER_VOLUME:
        amount = per_volume_fee(units, schedule)
    else:
        raise FeeError(_("计收方式无效：按件计收或按量计收，只能选择一种。"))
    return amount.quantize(Decimal("0.01"))


def fee_basis(method: str, units: int, *, on: dt.date | None = None, with_amount: bool = True) -> str:
    """The basis stated in the fee notice (收费标准), in words: the one text the notice letter, the
    case page's trial computation and the audit record all use. ``with_amount=False`` leaves out the
    amount, for a letter that states it on its own (应缴费用)."""
    amount = compute_fee(method, units, on=on)
    if method == FeeMethod.PER_APPLICATION:
        rate = per_application_rate(units, _schedule(on))
        basis = (
            f"按件计收，同一申请人一个自然月内的第{units}件申请，"
            f"适用每件{rate:.0f}元的标准（10件以内不收费；11—30件每件100元；31件以上每10件为一档，"
            f"每增加一档每件提高100元）"
        )
    else:
        basis = (
            f"按量计收，本申请所涉信息共{units}页（30页以内不收费；31—100页部分每页10元；"
            f"101—200页部分每页20元；201页以上部分每页40元）"
        )
    return f"{basis}，应缴{amount:.2f}元" if with_amount else basis


def monthly_application_count(id_number: str, month: dt.date, *, up_to: Application | None = None) -> int:
    """How many applications this applicant (by identity number) had received in the natural month of
    `month`. With `up_to`, only those received before it (and it itself): its place in the month."""
    first = month.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    qs = Application.objects.filter(
        id_number_index=crypto.blind_index(id_number), received_on__gte=first, received_on__lt=after
    )
    if up_to is not None:
        qs = qs.filter(
            Q(received_on__lt=up_to.received_on) | Q(received_on=up_to.received_on, pk__lte=up_to.pk)
        )
    return qs.count()


# The state of a notice --------------------------------------------------------------------------

PENDING, PAID, WAIVED, LAPSED = "pending", "paid", "waived", "lapsed"
STATE_LABELS = {
    PENDING: gettext_lazy("待缴费（计时暂停）"),
    PAID: gettext_lazy("已缴费"),
    WAIVED: gettext_lazy("已免收"),
    LAPSED: gettext_lazy("逾期未缴，不再处理"),
}


def notice_state(notice: FeeNotice) -> str:
    if notice.paid_on is not None:
        return PAID
    if notice.lapsed:
        return LAPSED
    if notice.note.startswith(WAIVED_MARK):
        return WAIVED
    return PENDING


def open_notice(application: Application) -> FeeNotice | None:
    for notice in application.fee_notices.order_by("-issued_on", "-id"):
        if notice_state(notice) == PENDING:
            return notice
    return None


def fee_allowed(application: Application) -> str:
    """Why no fee can be charged on this application ("" when one can)."""
    if application.rule_set != rules.RULES_2019.code:
        return str(NO_FEE_2007)
    if schedule_for(application.received_on) is None:
        return str(NO_FEE_BEFORE_2021)
    return ""


# Services ---------------------------------------------------------------------------------------


def _open_fee_pause(application: Application) -> Pause | None:
    return (
        application.pauses.filter(kind=PauseKind.FEE, ended_on__isnull=True).order_by("-started_on").first()
    )


def do_issue_fee_notice(
    application: Application,
    *,
    method: str,
    units: int,
    note: str,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> FeeNotice:
    """Issue a written fee notice; the time until payment is not counted in the reply period."""
    if method not in FeeMethod.values:
        raise services.RequestError(_("请选择一种计收方式：按件计收或按量计收。"))

    def change(a: Application, day: dt.date) -> FeeNotice:
        if rules.rules_for(a.received_on).code != rules.RULES_2019.code:
            raise services.RequestError(str(NO_FEE_2007))
        schedule = schedule_for(a.received_on)
        if schedule is None or day < schedule.valid_from:
            raise services.RequestError(str(NO_FEE_BEFORE_2021))
        if open_notice(a) is not None or _open_fee_pause(a) is not None:
            raise services.RequestError(_("该申请已有尚未缴费的收费通知，一次只能有一份。"))
        used = set(a.fee_notices.values_list("method", flat=True))
        if used - {method}:
            raise services.RequestError(
                _("同一申请只能选择一种计收方式（按件或按量），不能同时适用；本申请此前已按“%(m)s”发出通知。")
                % {"m": FeeMethod(next(iter(used))).label}
            )
        try:
            amount = compute_fee(method, units, on=a.received_on)
            basis = fee_basis(method, units, on=a.received_on)
        except FeeError as exc:
            raise services.RequestError(str(exc)) from exc
        if amount <= 0:
            raise services.RequestError(
                _(
                    "按此标准不收费（按件：同一申请人每月10件以内；按量：30页以内），"
                    "信息处理费只对明显超过合理范围的申请收取，不能发出收费通知。"
                )
            )
        try:
            pay_by = workdays.add_workdays(day, schedule.pay_workdays)
        except workdays.CalendarUnknownError as exc:
            raise services.RequestError(str(exc)) from exc
        notice = FeeNotice.objects.create(
            application=a,
            method=method,
            units=units,
            amount=amount,
            issued_on=day,
            pay_by=pay_by,
            note=note.strip().removeprefix(WAIVED_MARK),
            issued_by=actor,
        )
        # The pause names no one: the applicant's name stays on the case, seen only by its handlers.
        Pause.objects.create(
            application=a,
            kind=PauseKind.FEE,
            started_on=day,
            limit_on=pay_by,
            request_text=basis,
        )
        return notice

    done = services.perform_move(
        application,
        "fee_notice",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=now,
        after=lambda a, n: {
            "method": method,
            "units": units,
            "amount": str(n.amount),
            "issued_on": n.issued_on.isoformat(),
            "pay_by": n.pay_by.isoformat(),
        },
    )
    notice: FeeNotice = done.value
    return notice


def _close_fee_pause(application: Application, notice: FeeNotice, on: dt.date, text: str) -> None:
    if on < notice.issued_on:
        raise services.RequestError(_("日期不能早于发出收费通知的日期（%(d)s）。") % {"d": notice.issued_on})
    pause = _open_fee_pause(application)
    if pause is not None:
        pause.ended_on = on
        pause.response_text = text
        pause.save()


def _pending(application: Application) -> FeeNotice:
    notice = open_notice(application)
    if notice is None:
        raise services.RequestError(_("该申请没有待缴费的收费通知。"))
    return notice


def do_record_fee_paid(
    application: Application,
    *,
    paid_on: dt.date,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> FeeNotice:
    """The applicant paid on `paid_on`: the clock runs again; the days since the notice are not counted."""

    def change(a: Application, day: dt.date) -> FeeNotice:
        notice = _pending(a)
        _close_fee_pause(a, notice, day, "已缴费")
        notice.paid_on = day
        notice.save()
        return notice

    done = services.perform_move(
        application,
        "fee_paid",
        actor=actor,
        version=expected_version,
        change=change,
        on=paid_on,
        now=now,
        after=lambda a, n: {
            "amount": str(n.amount),
            "paid_on": paid_on.isoformat(),
            "late": paid_on > n.pay_by,
            "due_on": str(a.due_on),
        },
        note=f"已缴纳信息处理费（{paid_on.isoformat()}）",
    )
    notice: FeeNotice = done.value
    return notice


def do_waive_fee(
    application: Application,
    *,
    note: str,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> FeeNotice:
    """The office waives the notice (e.g. hardship): the clock runs again from `on`."""
    if not note.strip():
        raise services.RequestError(_("请说明免收理由。"))

    def change(a: Application, day: dt.date) -> FeeNotice:
        notice = _pending(a)
        _close_fee_pause(a, notice, day, f"免收：{note.strip()}")
        notice.note = f"{WAIVED_MARK}{day.isoformat()} {note.strip()}" + (
            f"\n{notice.note}" if notice.note else ""
        )
        notice.save()
        return notice

    done = services.perform_move(
        application,
        "fee_waive",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=now,
        after=lambda a, n: {"amount": str(n.amount), "due_on": str(a.due_on)},
        note=f"免收信息处理费：{note.strip()}",
    )
    notice: FeeNotice = done.value
    return notice


def do_close_unpaid(
    application: Application,
    *,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """Not paid by the deadline without good reason: the application is no longer processed."""
    moment = now or clock.now()

    def change(a: Application, day: dt.date) -> FeeNotice:
        notice = _pending(a)
        if day <= notice.pay_by:
            raise services.RequestError(
                _("缴费期限（%(d)s）尚未届满，不能按逾期未缴费办结。") % {"d": notice.pay_by.isoformat()}
            )
        _close_fee_pause(a, notice, day, "逾期未缴费")
        notice.lapsed = True
        notice.save()
        services.close_case(a, on=day, now=moment)
        a.outcome = Outcome.OTHER_NO_FEE
        a.legal_basis = CLOSE_UNPAID_BASIS
        return notice

    return services.perform_move(
        application,
        "fee_lapse",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=moment,
        reason="逾期未缴费",
        after=lambda a, n: {
            "outcome": Outcome.OTHER_NO_FEE,
            "pay_by": n.pay_by.isoformat(),
            "replied_on": str(a.replied_on),
        },
        note="逾期未缴纳信息处理费，不再处理该申请",
    ).obj
