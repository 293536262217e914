"""Public pages: the published annual reports by year, each report with its PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from gongkai.annualreport import queries
from gongkai.annualreport.models import PublishedReport
from gongkai.core.pagecache import public_page


@require_safe
@public_page
@vary_on_cookie
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "annualreport/public/index.html", {"reports": queries.published_reports()})


@require_safe
@public_page
@vary_on_cookie
def report(request: HttpRequest, year: int) -> HttpResponse:
    published = queries.get_public_report(year)
    return render(
        request,
        "annualreport/public/report.html",
        {
            "published": published,
            # The page as published (rendered by the exports when it was published; escaped there).
            "body": mark_safe(published.html),
            "others": queries.published_reports().exclude(year=year)[:10],
        },
    )


@require_safe
@public_page
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    queries.get_public_report(year)
    published = PublishedReport.objects.filter(year=year).order_by("-number").only("pdf", "year").first()
    assert published is not None
    response = HttpResponse(bytes(published.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{year}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
