"""The years before a report's, for its charts (`exports.year_charts`): what each of up to four
earlier years stated as published — its last publication, frozen — never re-counted from today's
records, so a chart compares the reports the public was given. A year with no published report has
no bar (the charts say 未填报)."""

from __future__ import annotations

from gongkai.annualreport.document import Number, ReportDocument
from gongkai.annualreport.exports import HISTORY_YEARS, Chart, figures_of, year_charts
from gongkai.annualreport.models import PublishedReport


def published_history(year: int) -> dict[int, dict[str, Number]]:
    """{earlier year: {figure code: value}} from the last publication of each of the years before."""
    earlier = range(year - (HISTORY_YEARS - 1), year)
    last: dict[int, PublishedReport] = {}
    for publication in PublishedReport.objects.filter(year__in=earlier).order_by("year", "number"):
        last[publication.year] = publication  # the later publication of a year replaces the earlier
    return {
        y: {code: value for code, value in figures_of(p.as_document()).items() if value is not None}
        for y, p in last.items()
    }


def charts_for(doc: ReportDocument) -> list[Chart]:
    """The report's charts: its year against the published years before it."""
    return year_charts(doc, published_history(doc.year))
