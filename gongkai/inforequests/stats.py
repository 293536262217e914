"""Figures of disclosure on request for a period: national tables 三 and 四 (国办公开办函〔2021〕30号)
and processing times. Counts are aggregate queries; definitions in docs/inforequests.md."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gongkai.core import workdays
from gongkai.core.figures import CASES, PERCENT, WORKING_DAYS, Figure, Period, StrOrPromise
from gongkai.inforequests.choices import (
    ApplicantKind,
    CorrectionOutcome,
    Outcome,
    PauseKind,
    RequestKind,
    ReviewKind,
    ReviewResult,
)
from gongkai.inforequests.models import Application, Pause, Review
from gongkai.inforequests.queries import effective_due

COLUMNS: tuple[str, ...] = (*ApplicantKind.values, "total")
OUTCOME_ROWS: tuple[str, ...] = tuple(Outcome.values)
ROWS: tuple[str, ...] = ("new_received", "carried_over", *OUTCOME_ROWS, "total_processed", "carried_forward")
# Table 三's result rows sit under these parents (the national layout).
OUTCOME_GROUPS: tuple[tuple[str, str], ...] = (
    ("granted", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied", "（三）不予公开"),
    ("unable", "（四）无法提供"),
    ("not_processed", "（五）不予处理"),
    ("other", "（六）其他处理"),
)
ROW_LABELS: dict[str, str] = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

# Where the national row label is longer than the outcome's short name.
OFFICIAL_LABELS: dict[str, str] = {
    Outcome.NOT_PROCESSED_CONFIRM: "要求行政机关确认或重新出具已获取信息",
    Outcome.OTHER_NO_CORRECTION: "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    Outcome.OTHER_NO_FEE: "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
}

Table3 = dict[str, dict[str, int]]


def outcome_group(outcome: str) -> str:
    return outcome.split(".", 1)[0]


def table_3(start: dt.date, end: dt.date) -> Table3:
    """Counts per row and column (applicant kinds + "total") for receipts and replies in [start, end].

    T3-BAL holds by construction when every reply date is on or after its receipt date. Only
    disclosure requests count: correction requests (Art. 41) are in `corrections`, not table 三.
    """
    table: Table3 = {row: dict.fromkeys(COLUMNS, 0) for row in ROWS}
    disclosure = Application.objects.filter(request_kind=RequestKind.DISCLOSURE)
    flow = (
        disclosure.filter(received_on__lte=end)
        .values("applicant_kind")
        .annotate(
            new_received=Count("id", filter=Q(received_on__gte=start)),
            carried_over=Count(
                "id",
                filter=Q(received_on__lt=start) & (Q(replied_on__isnull=True) | Q(replied_on__gte=start)),
            ),
            carried_forward=Count("id", filter=Q(replied_on__isnull=True) | Q(replied_on__gt=end)),
        )
        .order_by()
    )
    for row in flow:
        for key in ("new_received", "carried_over", "carried_forward"):
            table[key][row["applicant_kind"]] += row[key]
    results = (
        disclosure.filter(replied_on__gte=start, replied_on__lte=end)
        .values("applicant_kind", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    for result in results:
        # A reply without a recorded outcome still has to be counted once (T3-EXCL): 其他.
        outcome = result["outcome"] if result["outcome"] in table else Outcome.OTHER.value
        table[outcome][result["applicant_kind"]] += result["n"]
        table["total_processed"][result["applicant_kind"]] += result["n"]
    for values in table.values():
        values["total"] = sum(values[c] for c in ApplicantKind.values)
    return table


def check_table_3(table: Table3) -> list[str]:
    """The consistency rules T3-BAL, T3-SUM and T3-COL; returns the broken ones (empty when sound)."""
    broken = []
    for c in COLUMNS:
        if table["new_received"][c] + table["carried_over"][c] != (
            table["total_processed"][c] + table["carried_forward"][c]
        ):
            broken.append(f"T3-BAL {c}")
        if table["total_processed"][c] != sum(table[o][c] for o in OUTCOME_ROWS):
            broken.append(f"T3-SUM {c}")
    for row, values in table.items():
        if values["total"] != sum(values[c] for c in ApplicantKind.values):
            broken.append(f"T3-COL {row}")
    return broken


def table_3_layout(table: Table3) -> list[dict[str, Any]]:
    """Rows in the national order with their parent headings, for the page and the report."""
    labels = dict(Outcome.choices)
    rows: list[dict[str, Any]] = []
    rows.append({"key": "new_received", "label": ROW_LABELS["new_received"], "values": table["new_received"]})
    rows.append({"key": "carried_over", "label": ROW_LABELS["carried_over"], "values": table["carried_over"]})
    for group, heading in OUTCOME_GROUPS:
        members = [o for o in OUTCOME_ROWS if outcome_group(o) == group]
        for n, outcome in enumerate(members, start=1):
            label = OFFICIAL_LABELS.get(outcome) or str(labels[outcome]).split("：", 1)[-1]
            rows.append(
                {
                    "key": outcome,
                    "group": heading,
                    "group_size": len(members) if n == 1 else 0,
                    "label": heading if len(members) == 1 else f"{n}.{label}",
                    "single": len(members) == 1,
                    "values": table[outcome],
                }
            )
    rows.append(
        {"key": "total_processed", "label": ROW_LABELS["total_processed"], "values": table["total_processed"]}
    )
    rows.append(
        {"key": "carried_forward", "label": ROW_LABELS["carried_forward"], "values": table["carried_forward"]}
    )
    return rows


def corrections(start: dt.date, end: dt.date) -> dict[str, int]:
    """Correction requests (2019 Art. 41) in [start, end]: received, decided by outcome, and decided.

    Kept apart from table 三, which counts disclosure requests only.
    """
    decided_q = Q(replied_on__gte=start, replied_on__lte=end)
    figures: dict[str, int] = (
        Application.objects.filter(request_kind=RequestKind.CORRECTION)
        .filter(Q(received_on__gte=start, received_on__lte=end) | decided_q)
        .aggregate(
            received=Count("id", filter=Q(received_on__gte=start, received_on__lte=end)),
            decided=Count("id", filter=decided_q & ~Q(correction_outcome="")),
            **{o: Count("id", filter=decided_q & Q(correction_outcome=o)) for o in CorrectionOutcome.values},
        )
    )
    return figures


Table4 = dict[str, dict[str, int]]


def table_4(start: dt.date, end: dt.date) -> Table4:
    """Reviews active in the period (filed by its end and not decided before its start), by kind and
    result as of the period end: a decision after `end` still counts as pending (尚未审结)."""
    results = (*ReviewResult.values, "total")
    table: Table4 = {kind: dict.fromkeys(results, 0) for kind in ReviewKind.values}
    rows = (
        Review.objects.filter(filed_on__lte=end)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gte=start))
        .values("kind")
        .annotate(
            pending=Count("id", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
            **{
                r: Count("id", filter=Q(result=r, decided_on__lte=end))
                for r in ReviewResult.values
                if r != ReviewResult.PENDING
            },
        )
        .order_by()
    )
    for row in rows:
        counts: dict[str, Any] = dict(row)
        for r in ReviewResult.values:
            table[counts["kind"]][r] += counts[r]
    for values in table.values():
        values["total"] = sum(values[r] for r in ReviewResult.values)
    return table


@dataclass
class ProcessingTimes:
    count: int = 0
    median: float | None = None
    mean: float | None = None
    shortest: int | None = None
    longest: int | None = None
    on_time: int = 0
    on_time_rate: float | None = None
    # Days in a year whose holiday schedule is unknown were counted by the weekday rule (flagged).
    approximate_years: list[int] = field(default_factory=list)


class WorkdayIndex:
    """Cumulative working days per date, so `between(a, b)` is one subtraction (no loop per row)."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first = first
        self.cumulative: list[int] = []
        self.unknown_years: set[int] = set()
        count = 0
        day = first
        while day <= last:
            try:
                working = workdays.is_workday(day)
            except workdays.CalendarUnknownError:
                self.unknown_years.add(day.year)
                working = day.weekday() < 5
            count += working
            self.cumulative.append(count)
            day += dt.timedelta(days=1)

    def between(self, start: dt.date, end: dt.date) -> int:
        """As `workdays.workdays_between`: working days after `start` up to and including `end`."""
        if end <= start:
            return 0
        return self.cumulative[(end - self.first).days] - self.cumulative[(start - self.first).days]


def processing_times(
    start: dt.date, end: dt.date, request_kind: str = RequestKind.DISCLOSURE
) -> ProcessingTimes:
    """Working days from receipt to reply for replies in [start, end], minus consultation time.

    One kind of request at a time: disclosure requests by default, as table 三 counts them; the
    decisions on correction requests (Art. 41) are timed apart with ``RequestKind.CORRECTION``.
    """
    replied = Application.objects.filter(
        request_kind=request_kind, replied_on__gte=start, replied_on__lte=end
    )
    rows: list[tuple[int, dt.date, dt.date]] = [
        (pk, received, reply)
        for pk, received, reply in replied.values_list("id", "received_on", "replied_on")
        if reply is not None
    ]
    result = ProcessingTimes(count=len(rows))
    if not rows:
        return result
    flags = replied.aggregate(on_time=Count("id", filter=Q(replied_on__lte=effective_due())))
    result.on_time = flags["on_time"]
    result.on_time_rate = result.on_time / len(rows)
    pauses: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for app_id, started, ended in (
        Pause.objects.filter(application__in=replied)
        .exclude(kind=PauseKind.SUPPLEMENT)
        .values_list("application_id", "started_on", "ended_on")
    ):
        pauses[app_id].append((started, ended))
    first = min(r[1] for r in rows)
    last = max(r[2] for r in rows)
    index = WorkdayIndex(first, last)
    days = []
    for app_id, received, reply in rows:
        n = index.between(received, reply)
        for started, ended in pauses.get(app_id, ()):
            # A consultation still marked open at the reply counts up to the reply.
            n -= index.between(max(started, received), min(ended or reply, reply))
        days.append(max(n, 0))
    days.sort()
    result.median = float(statistics.median(days))
    result.mean = round(statistics.fmean(days), 1)
    result.shortest = days[0]
    result.longest = days[-1]
    result.approximate_years = sorted(index.unknown_years)
    return result


# Period figures (core.figures): every cell of tables 三 and 四, the processing times and the
# correction requests, each listing the applications or reviews it counts. The values are the
# tables above; `objects` restates each cell's condition as a filter, and the tests hold the two
# equal (value == objects().count()) for every figure.

TABLE_3_ROW_LABELS: dict[str, StrOrPromise] = {
    "new_received": _("本年新收政府信息公开申请数量"),
    "carried_over": _("上年结转政府信息公开申请数量"),
    "total_processed": _("本年度办理结果总计"),
    "carried_forward": _("结转下年度继续办理"),
    **{o.value: o.label for o in Outcome},
}
TABLE_3_COLUMN_LABELS: dict[str, StrOrPromise] = {
    **{k.value: k.label for k in ApplicantKind},
    "total": _("总计"),
}


def figures(period: Period) -> list[Figure]:
    """The provider registered for inforequests: tables 三 and 四, processing times, corrections."""
    return [
        *table_3_figures(period),
        *table_4_figures(period),
        *processing_time_figures(period),
        *correction_figures(period),
    ]


def _listing(qs: QuerySet[Any]) -> Callable[[], QuerySet[Any]]:
    return lambda: qs.all()


def _table_3_row_q(row: str, start: dt.date, end: dt.date) -> Q:
    """The applications a row of table 三 counts, as `table_3` counts them."""
    replied = Q(replied_on__gte=start, replied_on__lte=end)
    if row == "new_received":
        return Q(received_on__gte=start, received_on__lte=end)
    if row == "carried_over":
        return Q(received_on__lt=start) & (Q(replied_on__isnull=True) | Q(replied_on__gte=start))
    if row == "carried_forward":
        return Q(received_on__lte=end) & (Q(replied_on__isnull=True) | Q(replied_on__gt=end))
    if row == "total_processed":
        return replied
    if row == Outcome.OTHER:
        # A reply without a recorded outcome is counted once, under 其他 (T3-EXCL).
        return replied & (Q(outcome=row) | ~Q(outcome__in=OUTCOME_ROWS))
    return replied & Q(outcome=row)


def table_3_figures(period: Period) -> list[Figure]:
    """Codes `inforequests.table3.<row>.<column>`: the row and column keys of the national format
    file (annual_report_format_2021.json), e.g. `inforequests.table3.denied.state_secret.total`."""
    table = table_3(period.start, period.end)
    disclosure = Application.objects.filter(request_kind=RequestKind.DISCLOSURE)
    result = []
    for row in ROWS:
        row_qs = disclosure.filter(_table_3_row_q(row, period.start, period.end))
        for column in COLUMNS:
            qs = row_qs if column == "total" else row_qs.filter(applicant_kind=column)
            result.append(
                Figure.make(
                    f"inforequests.table3.{row}.{column}",
                    format_lazy(
                        _("表三 {row}（{column}）"),
                        row=TABLE_3_ROW_LABELS[row],
                        column=TABLE_3_COLUMN_LABELS[column],
                    ),
                    table[row][column],
                    CASES,
                    section="inforequests.table3",
                    objects=_listing(qs),
                )
            )
    return result


def table_4_figures(period: Period) -> list[Figure]:
    """Codes `inforequests.table4.<kind>.<result>`: kinds reconsideration, litigation_direct,
    litigation_after; results upheld, corrected, other, pending, total (as of the period end)."""
    start, end = period.start, period.end
    table = table_4(start, end)
    active = Review.objects.filter(filed_on__lte=end).filter(
        Q(decided_on__isnull=True) | Q(decided_on__gte=start)
    )
    pending = Q(decided_on__isnull=True) | Q(decided_on__gt=end)
    conditions = {
        r: pending if r == ReviewResult.PENDING else Q(result=r, decided_on__lte=end)
        for r in ReviewResult.values
    }
    counted = Q()
    for condition in conditions.values():
        counted |= condition
    result = []
    for kind in ReviewKind:
        for key, label in [*ReviewResult.choices, ("total", _("总计"))]:
            qs = active.filter(kind=kind.value).filter(counted if key == "total" else conditions[key])
            result.append(
                Figure.make(
                    f"inforequests.table4.{kind.value}.{key}",
                    format_lazy(_("表四 {kind}：{result}"), kind=kind.label, result=label),
                    table[kind.value][key],
                    CASES,
                    section="inforequests.table4",
                    objects=_listing(qs),
                )
            )
    return result


def _decimal(value: float | None, places: str = "0.1") -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def processing_time_figures(period: Period) -> list[Figure]:
    """Disclosure replies in the period and their working days from receipt to reply (consultations
    not counted), as `processing_times` measures them."""
    times = processing_times(period.start, period.end)
    replied = Application.objects.filter(
        request_kind=RequestKind.DISCLOSURE, replied_on__gte=period.start, replied_on__lte=period.end
    )
    rate = None if times.on_time_rate is None else times.on_time_rate * 100
    approximate = bool(times.approximate_years)
    section = "inforequests.times"
    measured = {"section": section, "objects": _listing(replied), "approximate": approximate}
    return [
        Figure.make(f"{section}.replied", _("本期答复的申请"), times.count, CASES, **measured),
        Figure.make(
            f"{section}.on_time",
            _("本期按期答复的申请"),
            times.on_time,
            CASES,
            section=section,
            objects=_listing(replied.filter(replied_on__lte=effective_due())),
        ),
        Figure.make(f"{section}.on_time_rate", _("按期答复率"), _decimal(rate), PERCENT, **measured),
        Figure.make(
            f"{section}.median", _("办理用时中位数"), _decimal(times.median), WORKING_DAYS, **measured
        ),
        Figure.make(f"{section}.mean", _("平均办理用时"), _decimal(times.mean), WORKING_DAYS, **measured),
        Figure.make(f"{section}.shortest", _("最短办理用时"), times.shortest, WORKING_DAYS, **measured),
        Figure.make(f"{section}.longest", _("最长办理用时"), times.longest, WORKING_DAYS, **measured),
    ]


def correction_figures(period: Period) -> list[Figure]:
    """Correction requests (2019 Art. 41), counted apart from table 三."""
    start, end = period.start, period.end
    counts = corrections(start, end)
    requests = Application.objects.filter(request_kind=RequestKind.CORRECTION)
    decided = requests.filter(replied_on__gte=start, replied_on__lte=end)
    section = "inforequests.corrections"
    result = [
        Figure.make(
            f"{section}.received",
            _("本期收到的更正申请"),
            counts["received"],
            CASES,
            section=section,
            objects=_listing(requests.filter(received_on__gte=start, received_on__lte=end)),
        ),
        Figure.make(
            f"{section}.decided",
            _("本期作出决定的更正申请"),
            counts["decided"],
            CASES,
            section=section,
            objects=_listing(decided.exclude(correction_outcome="")),
        ),
    ]
    for outcome in CorrectionOutcome:
        result.append(
            Figure.make(
                f"{section}.{outcome.value}",
                format_lazy(_("更正申请：{outcome}"), outcome=outcome.label),
                counts[outcome.value],
                CASES,
                section=section,
                objects=_listing(decided.filter(correction_outcome=outcome.value)),
            )
        )
    return result
