"""A PDF's printed lines joined into the paragraphs they were written as: a sentence broken over
lines or pages is read whole, running headers and page numbers left out, so a long PDF has the
findings of the same report as DOCX."""

from __future__ import annotations

import pytest

from gongkai.annualreport.checker import check_bytes
from gongkai.annualreport.checker.extract import HEADING_START, SENTENCE_END, Printed, _full_lines, extract

from . import fixtures

HEADER = "某市公安局政府信息公开专栏"


def _findings(content: bytes, name: str) -> list[tuple[str, str]]:
    return sorted((f.kind, f.message) for f in check_bytes(content, name).findings)


@pytest.mark.parametrize("filler", [3, 12])
def test_a_long_pdf_has_the_findings_of_its_docx(filler):
    report = fixtures.national_report(errors=True, filler=filler)
    pdf = _findings(fixtures.to_pdf(report), "report.pdf")
    assert pdf == _findings(fixtures.to_docx(report), "report.docx")
    assert sum(1 for kind, _message in pdf if kind == "percent") == 2


def test_a_running_header_is_left_out_and_no_paragraph_stops_inside_a_sentence():
    report = fixtures.national_report(errors=True, filler=12)
    content = fixtures.to_pdf(report, header=HEADER)
    lines, pages = extract(content, "report.pdf")
    assert pages is not None and pages >= 4
    paragraphs = [line.cells[0] for line in lines if not line.is_row]
    assert not [text for text in paragraphs if HEADER in text]
    broken = [
        text
        for text in paragraphs[1:]  # the title
        if not text.endswith(SENTENCE_END)
        and not HEADING_START.match(text)
        and not text.startswith("第二十条")  # table 二's captions
    ]
    assert broken == []
    assert _findings(content, "report.pdf") == _findings(fixtures.to_docx(report), "report.docx")


def test_without_positions_a_line_is_full_by_its_estimated_width():
    body = "政府信息公开" * 6  # 36 characters
    printed = [
        Printed("（一）" + body[5:]),  # a first line, indented two characters
        Printed(body[:-1] + "，"),
        Printed("12" + body[2:]),  # two digits in the width of one character
        Printed("其他处理1件。"),
    ]
    assert _full_lines(printed) == [True, True, True, False]
