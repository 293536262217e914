"""The statistics of disclosure on request (tables 三 and 四, processing times) and the Art. 44
candidates: information many applicants asked for, to consider publishing proactively."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import clock
from gongkai.inforequests import queries, stats
from gongkai.inforequests.choices import (
    CorrectionOutcome,
    Outcome,
    RequestKind,
    ReviewKind,
    ReviewResult,
)
from gongkai.inforequests.views.case_forms import is_reviewer, staff_user, year_param

# Statistics and Art. 44 -------------------------------------------------------------------------


def _date_param(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return default


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not queries.sees_all(user):
        messages.error(request, _("只有公开办和领导可以查看统计。"))
        return redirect("workbench:inforequests_staff:queue")
    today = clock.today()
    start = _date_param(request.GET.get("from"), dt.date(today.year, 1, 1))
    end = _date_param(request.GET.get("to"), dt.date(today.year, 12, 31))
    if end < start:
        start, end = end, start
    table3 = stats.table_3(start, end)
    table4 = stats.table_4(start, end)
    results = [*ReviewResult.choices, ("total", _("总计"))]
    return render(
        request,
        "inforequests/staff/stats.html",
        {
            "nav": "requests",
            "start": start,
            "end": end,
            "rows3": [
                {**r, "cells": [r["values"][c] for c in stats.COLUMNS]} for r in stats.table_3_layout(table3)
            ],
            "outcome_rows": len(stats.OUTCOME_ROWS) + 1,
            "broken": stats.check_table_3(table3),
            "table4": [
                (kind, label, [table4[kind][r] for r, _label in results])
                for kind, label in ReviewKind.choices
            ],
            "results": results,
            "times": stats.processing_times(start, end),
            "corrections": _corrections_rows(stats.corrections(start, end)),
            "correction_times": stats.processing_times(start, end, RequestKind.CORRECTION),
            "is_reviewer": is_reviewer(user),
        },
    )


def _corrections_rows(figures: dict[str, int]) -> list[tuple[Any, int]]:
    """The Art. 41 figures in words, in the order of the small table under table 三."""
    return [
        (gettext_lazy("收到更正申请"), figures["received"]),
        *((label, figures[value]) for value, label in CorrectionOutcome.choices),
        (gettext_lazy("作出决定合计"), figures["decided"]),
    ]


_PUNCTUATION = re.compile(r"[\s《》〈〉“”\"'‘’、，,。.；;：:（）()【】\[\]—\-_]+")


def normalise_title(title: str) -> str:
    return _PUNCTUATION.sub("", title).lower()


def proactive_candidates(qs: Any) -> list[dict[str, Any]]:
    """Information granted to two or more applicants, by normalised title or document number (Art. 44)."""
    groups: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    rows = qs.filter(outcome__in=[Outcome.GRANTED, Outcome.PARTIAL]).values_list(
        "id", "tracking_number", "information_title", "information_doc_number", "applicant_kind",
        "id_number_index", "replied_on",
    )  # fmt: skip
    for row in rows:
        groups[("title", normalise_title(row[2]))].append(row)
        if row[3].strip():
            groups[("doc", normalise_title(row[3]))].append(row)
    found = []
    for (by, _key), members in groups.items():
        # Applicants counted by identity, never shown (personal data).
        applicants = {(m[4], m[5]) for m in members}  # the blind index: NFKC, upper case
        if len(applicants) < 2:
            continue
        found.append(
            {
                "by": by,
                "title": members[0][2],
                "doc_number": members[0][3],
                "applicants": len(applicants),
                "applications": [(m[0], m[1]) for m in members],
                "last_reply": max((m[6] for m in members if m[6]), default=None),
            }
        )
    found.sort(key=lambda g: (-g["applicants"], g["title"]))
    return found


@login_required
def proactive(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not queries.sees_all(user):
        messages.error(request, _("只有公开办和领导可以查看。"))
        return redirect("workbench:inforequests_staff:queue")
    year = year_param(request.GET.get("year"))
    qs = queries.staff_applications(user)
    if year:
        qs = qs.filter(received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31))
    suggested = qs.filter(suggests_proactive=True).order_by("-received_on")[:200]
    return render(
        request,
        "inforequests/staff/proactive.html",
        {
            "nav": "requests",
            "groups": proactive_candidates(qs),
            "suggested": suggested,
            "year": year or "",
            "years": range(clock.today().year, 2007, -1),
            "is_reviewer": is_reviewer(user),
        },
    )
