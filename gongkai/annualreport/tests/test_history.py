"""The exports' charts compare the report's year with the reports published for the years before
(history.py): the published files carry them, the downloads and the command too; a year with no
published report has no bar, and a draft of an earlier year is not history."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from docx import Document

from gongkai.annualreport import exporting, history, services
from gongkai.annualreport.tests.conftest import SEED
from gongkai.annualreport.tests.fakes import registry
from gongkai.annualreport.tests.test_replacement import _publish

IN_2015 = dt.datetime(2015, 2, 10, 9, 0, tzinfo=dt.UTC)
IN_2016 = dt.datetime(2016, 1, 10, 9, 0, tzinfo=dt.UTC)
# 2014: fifteen press conferences, 3 in the provincial government's name.
FIFTEEN = {
    "pressroom.conferences.total": 15,
    "pressroom.conferences.host.government": 3,
    "pressroom.conferences.host.agency": 12,
}


def _people(office_editor, leader, reviewer):
    return {"office_editor": office_editor, "leader": leader, "reviewer": reviewer}


def test_the_published_report_charts_the_published_year_before(office_editor, leader, reviewer, pdf_stub):
    people = _people(office_editor, leader, reviewer)
    earlier = registry({**SEED, **FIFTEEN})
    report_2014 = services.do_create_report(2014, actor=office_editor, registry=earlier, now=IN_2015)
    _publish(report_2014, figures=earlier, now=IN_2015, **people)
    figures = registry(SEED)
    report = services.do_create_report(2015, actor=office_editor, registry=figures, now=IN_2016)

    assert history.published_history(2015)[2014]["pressroom.conferences.total"] == 15
    charts = {chart.key: chart for chart in history.charts_for(report.current())}
    conferences = charts["conferences"]
    assert conferences.years == [2014, 2015]
    assert conferences.series[0].values == [15, SEED["pressroom.conferences.total"]]

    _report, published = _publish(report, figures=figures, now=IN_2016, **people)
    assert "<svg" in published.html and "2014" in published.html


def test_a_draft_of_an_earlier_year_is_not_history(office_editor, leader, reviewer):
    services.do_create_report(2014, actor=office_editor, registry=registry(SEED), now=IN_2015)
    report = services.do_create_report(2015, actor=office_editor, registry=registry(SEED), now=IN_2016)

    assert history.published_history(2015) == {}
    assert all(chart.years == [2015] for chart in history.charts_for(report.current()))


def test_the_downloads_carry_the_charts(office_editor):
    report = services.do_create_report(2015, actor=office_editor, registry=registry(SEED), now=IN_2016)
    doc = report.current()

    book = openpyxl.load_workbook(io.BytesIO(exporting.render(doc, "xlsx")))
    assert "图表" in book.sheetnames and book["图表"]._charts
    pictures = Document(io.BytesIO(exporting.render(doc, "docx"))).inline_shapes
    assert len(pictures) == len(history.charts_for(doc)) > 0
    assert "<svg" in exporting.render(doc, "html").decode()
