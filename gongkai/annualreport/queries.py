"""How the pages fetch reports: the public sees only what was published; drafts only the office,
the leaders and the reviewers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.annualreport.models import AnnualReport, PublishedReport
from gongkai.annualreport.workflows import REPORT


def may_read(user: User) -> bool:
    return REPORT.may(user, AnnualReport(), "view")


def require_reader(user: User) -> None:
    if not may_read(user):
        raise PermissionDenied(_("您无权查看年度报告的编制情况。"))


def get_report_for_staff(user: User, pk: int) -> AnnualReport:
    require_reader(user)
    report = (
        AnnualReport.objects.select_related("department", "checked_by", "approved_by").filter(pk=pk).first()
    )
    if report is None:
        raise Http404
    return report


def published_reports() -> QuerySet[PublishedReport]:
    """The latest publication of each year, newest year first (without the stored files)."""
    latest = PublishedReport.objects.values("year").annotate(number=Max("number"))
    wanted = {(row["year"], row["number"]) for row in latest}
    pks = [
        pk
        for pk, year, number in PublishedReport.objects.values_list("pk", "year", "number")
        if (year, number) in wanted
    ]
    return PublishedReport.objects.filter(pk__in=pks).defer("pdf", "html", "document").order_by("-year")


def get_public_report(year: int) -> PublishedReport:
    report = PublishedReport.objects.filter(year=year).defer("pdf").order_by("-number").first()
    if report is None:
        raise Http404
    return report
