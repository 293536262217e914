"""Which PDF pages go to pdfplumber's table reader: only those whose text looks like a table and
that draw the edges of a ruled cell. A page of narrative full of figures is read as text, even
under a rule drawn across its header; a long report is read as a short one is."""

from __future__ import annotations

import io

import pypdfium2  # type: ignore[import-untyped]
import pytest

from gongkai.annualreport.checker import check_bytes, extract
from gongkai.annualreport.checker.lines import Line

from . import fixtures

FIGURES = [
    f"{month}月，门户网站发布{10 + month}条、政务微博发布{5 + month}条、政务微信发布{month}条。"
    for month in (1, 2, 3, 4)
]


def _pdf() -> bytes:
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    from gongkai.inforequests.letters.pdf import fonts

    font = fonts()[0].name
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    width, height = A4
    # Page 1: narrative with three numbers a line, under a header rule.
    canvas.line(60, height - 50, width - 60, height - 50)
    canvas.setFont(font, 12)
    for index, text in enumerate(FIGURES):
        canvas.drawString(72, height - 100 - 20 * index, text)
    canvas.showPage()
    # Page 2: a ruled table of three rows and four columns (PDFium prints each cell on a line of
    # its own: the caption's words of table 四 tell it is a table page).
    canvas.setFont(font, 10)
    canvas.drawString(72, height - 80, "行政复议结果维持、结果纠正情况")
    xs, ys = [72, 200, 280, 360, 440], [height - 100, height - 120, height - 140, height - 160]
    for y in ys:
        canvas.line(xs[0], y, xs[-1], y)
    for x in xs:
        canvas.line(x, ys[0], x, ys[-1])
    for row, label in enumerate(("行政许可", "行政处罚", "行政强制")):
        y = ys[row] - 14
        canvas.drawString(xs[0] + 4, y, label)
        for column, value in enumerate((15 + row, 7 + row, 3 + row)):
            canvas.drawString(xs[column + 1] + 4, y, str(value))
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _tabular_pages(content: bytes) -> list[bool]:
    document = pypdfium2.PdfDocument(content)
    found = []
    try:
        for index in range(len(document)):
            page = document[index]  # kept while its handle is read
            found.append(extract._may_hold_ruled_table(page.raw))
            page.close()
    finally:
        document.close()
    return found


def test_a_page_under_a_header_rule_is_read_as_text_and_a_ruled_table_as_cells(monkeypatch):
    content = _pdf()
    assert _tabular_pages(content) == [False, True]
    asked: list[list[int]] = []
    plumber = extract._plumber_pages

    def spy(data: bytes, indexes: list[int], furniture: frozenset[str]) -> dict[int, list[Line]]:
        asked.append(list(indexes))
        return plumber(data, indexes, furniture)

    monkeypatch.setattr(extract, "_plumber_pages", spy)
    lines, pages = extract.pdf_lines(content)
    assert pages == 2
    assert asked == [[1]]
    assert [line.cells for line in lines if line.is_row] == [
        ["行政许可", "15", "7", "3"],
        ["行政处罚", "16", "8", "4"],
        ["行政强制", "17", "9", "5"],
    ]
    assert not any(line.is_row for line in lines if line.page == 1)


@pytest.mark.parametrize("errors", [False, True])
def test_a_long_report_has_only_its_table_pages_read_for_tables(monkeypatch, errors):
    content = fixtures.to_pdf(fixtures.national_report(errors=errors, filler=40))
    asked: list[list[int]] = []
    plumber = extract._plumber_pages

    def spy(data: bytes, indexes: list[int], furniture: frozenset[str]) -> dict[int, list[Line]]:
        asked.append(list(indexes))
        return plumber(data, indexes, furniture)

    monkeypatch.setattr(extract, "_plumber_pages", spy)
    result = check_bytes(content, "report.pdf")
    assert result.pages is not None and result.pages >= 8
    assert len(asked) == 1 and 1 <= len(asked[0]) <= 3  # the pages of tables 二, 三 and 四
    assert set(result.tables) >= {"二", "三", "四"} and all(result.tables[key] for key in ("二", "三", "四"))
    if errors:
        assert {"table3.balance", "table4.total", "text_table", "period.year"} <= result.kinds()
    else:
        assert result.findings == []
