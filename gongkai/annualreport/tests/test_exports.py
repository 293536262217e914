"""Each export opened again with a reader of its own kind: every cell in its place, headers merged
as the national format has them, Chinese text intact."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from decimal import Decimal
from typing import Any

import docx
import openpyxl
import pdfplumber
import pytest
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html
from PIL import Image
from reportlab.graphics import renderPDF  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from gongkai.annualreport.document import Cell, ReportDocument, Row, Table
from gongkai.annualreport.exports import html_context, to_docx, to_html, to_json, to_pdf, to_xlsx, year_charts
from gongkai.annualreport.exports.chartimage import chart_drawing, chart_pngs, chart_title, description
from gongkai.annualreport.exports.samples import HISTORY, narrative_2015, national_2021

Grid = dict[tuple[int, int], tuple[str, int, int]]  # (row, col) → (text, rowspan, colspan) at its start


@pytest.fixture
def national() -> ReportDocument:
    return national_2021()


@pytest.fixture
def narrative() -> ReportDocument:
    return narrative_2015()


def html_grid(table: lxml_html.HtmlElement) -> tuple[Grid, set[tuple[int, int]]]:
    """Expand an HTML table by its rowspans and colspans: the cells by their starting position,
    and every position covered."""
    grid: Grid = {}
    covered: set[tuple[int, int]] = set()
    for r, tr in enumerate(table.xpath("./thead/tr | ./tbody/tr")):
        c = 0
        for cell in tr.xpath("./th | ./td"):
            while (r, c) in covered:
                c += 1
            rowspan, colspan = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            grid[(r, c)] = (cell.text_content().strip(), rowspan, colspan)
            covered |= {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
            c += colspan
    return grid, covered


def expected_cells(
    doc: ReportDocument, key: str, header_rows: int, label_columns: int
) -> dict[tuple[int, int], str]:
    table = doc.table(key)
    return {
        (header_rows + i, label_columns + j): "" if cell.value is None else str(cell.value)
        for i, row in enumerate(table.rows)
        for j, cell in enumerate(row.cells)
    }


def assert_table_3_shape(grid: Grid) -> None:
    """The 3-row header of table 三 and its merged label column, as the 2021 format draws them."""
    assert grid[(0, 0)][1:] == (3, 3) and "勾稽关系" in grid[(0, 0)][0]
    assert grid[(0, 3)] == ("申请人情况", 1, 7)
    assert grid[(1, 3)] == ("自然人", 2, 1)
    assert grid[(1, 4)] == ("法人或其他组织", 1, 5)
    assert grid[(1, 9)] == ("总计", 2, 1)
    assert [grid[(2, c)][0] for c in range(4, 9)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert grid[(3, 0)] == ("一、本年新收政府信息公开申请数量", 1, 3)
    assert grid[(5, 0)] == ("三、本年度办理结果", 22, 1)
    assert grid[(5, 1)][0] == "（一）予以公开" and grid[(5, 1)][2] == 2
    assert grid[(7, 1)] == ("（三）不予公开", 8, 1)
    assert grid[(7, 2)] == ("1.属于国家秘密", 1, 1)
    assert grid[(15, 1)] == ("（四）无法提供", 3, 1)
    assert grid[(18, 1)] == ("（五）不予处理", 5, 1)
    assert grid[(23, 1)] == ("（六）其他处理", 3, 1)
    assert grid[(26, 1)] == ("（七）总计", 1, 2)
    assert grid[(27, 0)] == ("四、结转下年度继续办理", 1, 3)


def assert_table_4_shape(grid: Grid) -> None:
    assert grid[(0, 0)] == ("行政复议", 1, 5)
    assert grid[(0, 5)] == ("行政诉讼", 1, 10)
    assert grid[(1, 0)] == ("结果维持", 2, 1)
    assert grid[(1, 5)] == ("未经复议直接起诉", 1, 5)
    assert grid[(1, 10)] == ("复议后起诉", 1, 5)
    assert [grid[(2, c)][0] for c in range(5, 15)] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ] * 2


class TestHtml:
    def test_it_lays_out_table_3_with_every_cell_in_place(self, national: ReportDocument) -> None:
        page = lxml_html.fromstring(to_html(national))
        table = page.xpath("//table[caption[contains(., '收到和处理政府信息公开申请情况')]]")[0]
        grid, covered = html_grid(table)
        assert_table_3_shape(grid)
        for place, text in expected_cells(national, "三", 3, 3).items():
            assert grid[place][0] == text, place
        assert len(covered) == 10 * (3 + 25)  # a full rectangle: nothing missing, nothing overhanging
        assert grid[(3, 9)][0] == "233" and grid[(26, 9)][0] == "232" and grid[(27, 9)][0] == "17"

    def test_it_lays_out_table_4_and_the_blocks_of_table_2(self, national: ReportDocument) -> None:
        page = lxml_html.fromstring(to_html(national))
        grid, covered = html_grid(page.xpath("//table[caption[contains(., '行政复议、行政诉讼')]]")[0])
        assert_table_4_shape(grid)
        assert [int(grid[(3, c)][0]) for c in range(15)] == [3, 1, 0, 1, 5, 1, 0, 0, 1, 2, 0, 0, 0, 1, 1]
        assert len(covered) == 15 * 4
        fees = page.xpath("//table[caption[contains(., '第二十条第（八）项')]]")[0]
        grid, _ = html_grid(fees)
        assert grid[(0, 0)][0] == "信息内容" and grid[(1, 0)][0] == "行政事业性收费"
        assert grid[(1, 1)][0] == "1823.46"

    def test_it_is_accessible_markup(self, national: ReportDocument) -> None:
        page = lxml_html.fromstring(to_html(national))
        assert page.get("lang") == "zh-CN"
        for table in page.xpath("//table"):
            assert table.xpath("./caption")[0].text_content().strip()
        ids = set(page.xpath("//th/@id"))
        for td in page.xpath("//table[@id]//td"):
            assert td.get("headers"), td.text_content()
            assert set(td.get("headers").split()) <= ids
        scopes = set(page.xpath("//th/@scope"))
        assert {"col", "colgroup", "row", "rowgroup"} <= scopes
        # The cell 0 under 科研机构 / 1.属于国家秘密 is announced with both its headers.
        td = page.xpath("//table[@id='table-5']/tbody/tr[5]/td[3]")[0]
        names = [page.xpath(f"//th[@id='{h}']")[0].text_content() for h in td.get("headers").split()]
        assert names == [
            "申请人情况",
            "法人或其他组织",
            "科研机构",
            "三、本年度办理结果",
            "（三）不予公开",
            "1.属于国家秘密",
        ]

    def test_it_prints_on_a4_and_is_a_whole_document_or_a_fragment(self, national: ReportDocument) -> None:
        standalone = to_html(national)
        assert standalone.startswith("<!DOCTYPE html>")
        assert (
            "size:A4" in standalone and "table-header-group" in standalone and "counter(pages)" in standalone
        )
        assert "<script" not in standalone
        fragment = to_html(national, standalone=False)
        assert "<html" not in fragment and fragment.count("<article") == 1
        assert "吉林省公安厅2021年政府信息公开工作年度报告" in fragment

    def test_it_writes_the_narrative_form_with_its_passages(self, narrative: ReportDocument) -> None:
        page = lxml_html.fromstring(to_html(narrative))
        assert [h.text_content() for h in page.xpath("//h2")] == [
            "一、工作开展情况及成效",
            "二、存在问题",
            "三、工作设想",
        ]
        text = page.text_content()
        assert "省公安厅行政审批项目由35项精简为7项，取消率达80%" in text
        assert "自2015年1月1日起至2015年12月31日止" in text
        assert not page.xpath("//table")


class TestJson:
    def test_it_holds_every_table_cell_at_its_place(self, national: ReportDocument) -> None:
        data = json.loads(to_json(national))
        cells = {(c["table"], c["row"], c["column"]): c for c in data["cells"]}
        assert len(cells) == sum(len(t.rows) * len(t.columns) for t in national.tables()) == 7 * 25 + 15 + 10
        cell = cells[("三", "denied.state_secret", "natural_person")]
        assert cell["value"] == 2 and cell["code"] == "inforequests.table3.denied.state_secret.natural_person"
        assert cell["headers"] == [
            "申请人情况",
            "自然人",
            "三、本年度办理结果",
            "（三）不予公开",
            "1.属于国家秘密",
        ]
        assert cells[("二.4", "fees", "c1")]["value"] == "1823.46"
        assert cells[("四", "cases", "litigation_after.total")]["value"] == 1

    def test_it_holds_every_figure_of_the_text(self, narrative: ReportDocument) -> None:
        data = json.loads(to_json(narrative))
        figures = data["text_figures"]
        drafted = [(f["code"], f["value"], f["unit"]) for f in figures if f["code"]]
        assert ("powers.approvals.before", 35, "项") in drafted
        assert ("powers.province.reduction_rate", "35.7", "%") in drafted
        assert ("pressroom.conferences.host.government", 3, "场") in drafted
        # Numbers the office typed without a drafted figure are there too (the phone, the years).
        assert any(f["text"] == "82098251" and not f["code"] for f in figures)
        assert ReportDocument.from_dict(data["document"]) == narrative

    def test_it_reads_full_width_digits_as_numbers(self, narrative: ReportDocument) -> None:
        narrative.sections[1].passages[0].text = "全年受理申请８７件。"
        data = json.loads(to_json(narrative))
        typed = [f for f in data["text_figures"] if f["passage"] == "problems"]
        assert [(f["text"], f["value"], f["start"]) for f in typed] == [("８７", 87, 6)]
        assert Decimal(data["document"]["figures"]["powers.province.reduction_rate"]) == Decimal("35.7")


def docx_grid(table: Any) -> tuple[Grid, int, int]:
    """A Word table by its merged cells: each cell's text at its top-left with its spans."""
    rows, cols = len(table.rows), len(table.columns)
    # Keyed by the <w:tc> element itself: the dict keeps lxml's proxy alive, so it stays the same.
    places: dict[Any, list[tuple[int, int]]] = {}
    texts: dict[Any, str] = {}
    for r in range(rows):
        for c in range(cols):
            cell = table.cell(r, c)
            places.setdefault(cell._tc, []).append((r, c))
            texts.setdefault(cell._tc, cell.text)
    # A vertically merged cell is one <w:tc> per row; python-docx answers the top one for each.
    grid: Grid = {}
    for key, cells in places.items():
        top, left = min(cells)
        grid[(top, left)] = (
            texts[key].strip(),
            max(r for r, _ in cells) - top + 1,
            max(c for _, c in cells) - left + 1,
        )
    return grid, rows, cols


class TestDocx:
    def test_it_keeps_every_cell_and_the_merged_headers(self, national: ReportDocument) -> None:
        document = docx.Document(io.BytesIO(to_docx(national)))
        by_caption = {t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")): t for t in document.tables}
        t3 = next(t for caption, t in by_caption.items() if "收到和处理" in caption)
        grid, rows, cols = docx_grid(t3)
        assert (rows, cols) == (28, 10)
        assert_table_3_shape(grid)
        for place, text in expected_cells(national, "三", 3, 3).items():
            assert grid[place][0] == text, place
        grid, rows, cols = docx_grid(next(t for c, t in by_caption.items() if "行政复议" in c))
        assert (rows, cols) == (4, 15)
        assert_table_4_shape(grid)
        assert [int(grid[(3, c)][0]) for c in range(15)] == [3, 1, 0, 1, 5, 1, 0, 0, 1, 2, 0, 0, 0, 1, 1]
        # Header rows repeat on every page; every edge of every cell is ruled.
        assert [
            bool(r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None)
            for r in t3.rows[:4]
        ] == [
            True,
            True,
            True,
            False,
        ]
        borders = t3._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.tag.split("}")[1]: b.get(qn("w:val")) for b in borders} == dict.fromkeys(
            ["top", "left", "bottom", "right", "insideH", "insideV"], "single"
        )

    def test_it_has_title_headings_cjk_fonts_footer_and_properties(self, narrative: ReportDocument) -> None:
        document = docx.Document(io.BytesIO(to_docx(narrative)))
        paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs if p.text]
        assert paragraphs[0] == ("Title", "吉林省公安厅2015年度政府信息公开工作报告")
        assert [t for s, t in paragraphs if s == "Heading 1"] == [
            "一、工作开展情况及成效",
            "二、存在问题",
            "三、工作设想",
        ]
        assert "（三）推进重点领域信息公开" in [t for s, t in paragraphs if s == "Heading 2"]
        body = "\n".join(t for _, t in paragraphs)
        assert "全省公安机关行政审批项目由171项精简为110项，取消下放率达35.7%" in body
        east_asia = {
            f.get(qn("w:eastAsia"))
            for f in document.element.body.iter(qn("w:rFonts"))
            if f.get(qn("w:eastAsia"))
        }
        assert {"仿宋_GB2312"} <= east_asia
        styles = document.styles.element
        assert styles.xpath("//w:style[@w:styleId='Title']//w:rFonts/@w:eastAsia") == ["方正小标宋简体"]
        footer = document.sections[0].footer.paragraphs[0]
        assert footer.text.replace("1", "N") == "第 N 页 共 N 页"
        instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        props = document.core_properties
        assert (props.title, props.author) == (narrative.title, "吉林省公安厅")
        assert props.created is not None and props.created.date() == dt.date(2016, 3, 25)
        section = document.sections[0]
        assert section.page_width is not None and section.page_height is not None
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def pdf_grid(page: Any, table: Any) -> tuple[Grid, int, int]:
    """A table found by pdfplumber's ruling lines: each drawn cell's text at its top-left grid
    position, its spans counted from the column and row lines it crosses."""
    xs = sorted({round(x, 1) for cell in table.cells for x in (cell[0], cell[2])})
    ys = sorted({round(y, 1) for cell in table.cells for y in (cell[1], cell[3])})
    grid: Grid = {}
    for x0, top, x1, bottom in table.cells:
        c0, c1 = xs.index(round(x0, 1)), xs.index(round(x1, 1))
        r0, r1 = ys.index(round(top, 1)), ys.index(round(bottom, 1))
        text = (page.crop((x0, top, x1, bottom)).extract_text() or "").replace("\n", "")
        grid[(r0, c0)] = (text.strip(), r1 - r0, c1 - c0)
    return grid, len(ys) - 1, len(xs) - 1


def long_list(doc: ReportDocument, rows: int = 90) -> ReportDocument:
    """The narrative report with a list far longer than a page, its labels merged in groups of 70."""
    items = [
        Row(
            f"r{i}",
            f"第{i + 1}项 行政许可事项",
            [Cell(1000 + i), Cell(2000 + i)],
            parents=[f"第{i // 70 + 1}类"],
        )
        for i in range(rows)
    ]
    table = Table(
        "清单",
        "行政审批事项办理情况",
        ["本年受理", "本年办结"],
        ["a", "b"],
        items,
        column_groups=["办理情况"] * 2,
    )
    doc.sections[0].tables.append(table)
    return doc


class TestPdf:
    def test_it_keeps_every_cell_and_the_merged_headers(self, national: ReportDocument) -> None:
        with pdfplumber.open(io.BytesIO(to_pdf(national))) as pdf:
            page = next(p for p in pdf.pages if "表三" in (p.extract_text() or ""))
            table = max(page.find_tables(), key=lambda t: len(t.cells))
            grid, rows, cols = pdf_grid(page, table)
            assert (rows, cols) == (28, 10)
            assert_table_3_shape(grid)
            for place, text in expected_cells(national, "三", 3, 3).items():
                assert grid[place][0] == text, place
            page = next(p for p in pdf.pages if "表四" in (p.extract_text() or ""))
            table = next(t for t in page.find_tables() if len(t.cells) == 2 + 7 + 10 + 15)
            grid, rows, cols = pdf_grid(page, table)
            assert (rows, cols) == (4, 15)
            assert_table_4_shape(grid)
            assert [int(grid[(3, c)][0]) for c in range(15)] == [3, 1, 0, 1, 5, 1, 0, 0, 1, 2, 0, 0, 0, 1, 1]

    def test_it_embeds_the_cjk_font_and_numbers_the_pages(
        self, national: ReportDocument, tmp_path: Any
    ) -> None:
        path = tmp_path / "report.pdf"
        path.write_bytes(to_pdf(national, charts=year_charts(national, HISTORY)))
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        fonts = [line.split() for line in listing.splitlines()[2:]]
        assert fonts, listing
        # Every font is embedded as a subset with a ToUnicode map (no base-14 Helvetica left over).
        assert all(f[-5:-2] == ["yes", "yes", "yes"] and re.match(r"[A-Z]{6}\+", f[0]) for f in fonts), (
            listing
        )
        assert any(f[1] == "TrueType" and f[0].endswith("-GB") for f in fonts), listing  # the GB Song face
        with pdfplumber.open(path) as pdf:
            total = len(pdf.pages)
            assert total >= 3
            for n, page in enumerate(pdf.pages, start=1):
                assert (page.extract_text() or "").rstrip().endswith(f"第 {n} 页 共 {total} 页")
            assert pdf.metadata["Title"] == national.title and pdf.metadata["Author"] == "吉林省公安厅"
            first = pdf.pages[0].extract_text() or ""
        assert first.startswith("吉林省公安厅2021年政府信息公开工作年度报告")
        assert "共召开新闻发布会20场，其中以省政府名义召开3场、以本机关名义召开17场" in first.replace(
            "\n", ""
        )
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "历年对比" in text and "政府信息公开申请（2017—2021年）" in text

    def test_it_extracts_the_narrative_text_correctly(self, narrative: ReportDocument) -> None:
        with pdfplumber.open(io.BytesIO(to_pdf(narrative))) as pdf:
            lines = [line for p in pdf.pages for line in (p.extract_text() or "").splitlines()]
        text = "".join(lines)
        # 避头尾: no line begins with a closing mark (the mark hangs at the end of the line before).
        assert not [line for line in lines if line[:1] in set("，。、；：？！）》”’%")]
        for passage in narrative.passages():
            assert passage.text in text, passage.key
        assert "一、工作开展情况及成效" in text and "三、工作设想" in text

    def test_a_long_table_breaks_across_pages_with_its_header_repeated(
        self, narrative: ReportDocument
    ) -> None:
        doc = long_list(narrative)
        with pdfplumber.open(io.BytesIO(to_pdf(doc))) as pdf:
            found: list[str] = []
            pages = 0
            for page in pdf.pages:
                for table in page.find_tables():
                    rows = table.extract()
                    if not rows or rows[0][-2:] != ["办理情况", None]:
                        continue
                    pages += 1
                    assert rows[1][-2:] == ["本年受理", "本年办结"]  # the header, on every page
                    found += [str(row[-2]) for row in rows[2:]]
        assert pages >= 2
        assert found == [str(1000 + i) for i in range(90)]  # every row once, in order


def xlsx_grid(sheet: Any, first_row: int = 3) -> tuple[Grid, int, int]:
    """A sheet's table (from `first_row`) by its merged ranges: text at the top-left with spans."""
    spans = {
        (m.min_row, m.min_col): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
        for m in sheet.merged_cells
    }
    covered = {
        (r, c)
        for m in sheet.merged_cells
        for r in range(m.min_row, m.max_row + 1)
        for c in range(m.min_col, m.max_col + 1)
        if (r, c) != (m.min_row, m.min_col)
    }
    grid: Grid = {}
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if (cell.row, cell.column) in covered:
                continue
            rowspan, colspan = spans.get((cell.row, cell.column), (1, 1))
            text = "" if cell.value is None else str(cell.value)
            grid[(cell.row - first_row, cell.column - 1)] = (text, rowspan, colspan)
    return grid, sheet.max_row - first_row + 1, sheet.max_column


class TestXlsx:
    def test_it_has_a_sheet_per_table_with_merged_headers_and_numbers(self, national: ReportDocument) -> None:
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx(national)))
        assert book.sheetnames[:6] == [
            "表二 第二十条第（一）项",
            "表二 第二十条第（五）项",
            "表二 第二十条第（六）项",
            "表二 第二十条第（八）项",
            "表三",
            "表四",
        ]
        sheet = book["表三"]
        assert sheet["A1"].value == "表三 收到和处理政府信息公开申请情况（单位：件）"
        grid, rows, cols = xlsx_grid(sheet)
        assert (rows, cols) == (28, 10)
        assert_table_3_shape(grid)
        for place, text in expected_cells(national, "三", 3, 3).items():
            assert grid[place][0] == text, place
        for row in sheet.iter_rows(min_row=6, min_col=4, max_col=10):
            assert all(isinstance(cell.value, int) and cell.data_type == "n" for cell in row)
        assert sheet.freeze_panes == "D6"
        assert all(sheet.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJ")
        assert sheet.column_dimensions["C"].width > sheet.column_dimensions["D"].width  # labels wider
        grid, rows, cols = xlsx_grid(book["表四"])
        assert (rows, cols) == (4, 15)
        assert_table_4_shape(grid)
        fee = book["表二 第二十条第（八）项"]["B4"]
        assert fee.value == pytest.approx(1823.46) and fee.number_format == "0.00"
        assert book.properties.title == national.title and book.properties.creator == "吉林省公安厅"

    def test_it_lists_the_figures_of_the_text(self, narrative: ReportDocument) -> None:
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx(narrative)))
        assert book.sheetnames == ["正文数字", "指标"]  # the narrative form has no tables
        rows = list(book["正文数字"].iter_rows(values_only=True))
        assert rows[0] == ("部分", "段落", "小标题", "原文", "数值", "单位", "指标代码", "起草时数值")
        stated = {(r[3], r[5], r[6]) for r in rows[1:]}
        assert ("171", "项", "powers.province.before") in stated
        assert ("35.7", "%", "powers.province.reduction_rate") in stated
        figure = next(r for r in rows if r[6] == "powers.approvals.reduction_rate")
        assert figure[4] == 80 and figure[2] == "（三）推进重点领域信息公开"
        codes = dict(book["指标"].iter_rows(min_row=2, values_only=True))
        assert codes["pressroom.conferences.host.agency"] == 17


class TestCharts:
    def test_it_charts_the_year_against_the_years_before(self, national: ReportDocument) -> None:
        charts = {chart.key: chart for chart in year_charts(national, HISTORY)}
        assert list(charts) == ["applications", "results", "published", "conferences", "reviews"]
        applications = charts["applications"]
        assert applications.years == [2017, 2018, 2019, 2020, 2021]
        assert [s.values for s in applications.series] == [
            [118, 141, 176, 204, 233],
            [109, 137, 168, 195, 232],
        ]
        # 不予公开 sums the eight denied rows' totals of table 三 (never the applicant columns).
        denied = next(s for s in charts["results"].series if s.label == "不予公开")
        assert denied.values[-1] == 2 + 3 + 1 + 7 + 2 + 5 + 6 + 8
        litigation = next(s for s in charts["reviews"].series if s.label == "行政诉讼")
        assert litigation.values == [1, 1, 2, 2, 3]

    def test_the_svg_reads_without_script_in_a_cjk_font(self, national: ReportDocument) -> None:
        chart = year_charts(national, HISTORY)[0]
        svg = etree.fromstring(chart.svg_inline.encode())
        assert svg.tag.endswith("svg") and svg.get("role") == "img"
        assert "<script" not in chart.svg and "Noto Sans CJK SC" in chart.svg
        texts = {t.strip() for t in svg.itertext() if t.strip()}
        assert {"2017", "2021", "233", "232", "本年新收", "本年办结"} <= texts
        assert chart.rows[-1] == (2021, ["233", "232"])
        page = lxml_html.fromstring(to_html(national, charts=[chart]))
        figure = page.xpath("//figure[@class='ar-chart']")[0]
        assert figure.xpath(".//figcaption")[0].text_content() == "政府信息公开申请（单位：件）"
        cells = [td.text_content() for td in figure.xpath(".//table//tr[last()]/td")]
        assert cells == ["233", "232"]

    def test_a_year_without_history_or_a_figure(self, narrative: ReportDocument) -> None:
        charts = {
            chart.key: chart for chart in year_charts(narrative, {2014: {"pressroom.conferences.total": 15}})
        }
        # The 2015 report states no table 三 results or table 四: no chart of them.
        assert "results" not in charts and "reviews" not in charts
        conferences = charts["conferences"]
        assert conferences.years == [2014, 2015]
        assert [s.values for s in conferences.series] == [[15, 20], [None, 3], [None, 17]]
        assert conferences.rows[0] == (2014, ["15", "—", "—"])

    def test_the_docx_and_pdf_carry_the_charts(self, national: ReportDocument) -> None:
        charts = year_charts(national, HISTORY)
        document = docx.Document(io.BytesIO(to_docx(national, charts=charts)))
        # One picture per chart, a PNG of the PDF's drawing at 200 dpi across the text width.
        assert len(document.inline_shapes) == len(charts) == 5
        pictures = [part for part in document.part.package.parts if part.partname.startswith("/word/media/")]
        assert len(pictures) == 5 and all(p.content_type == "image/png" for p in pictures)
        for part in pictures:
            image = Image.open(io.BytesIO(part.blob))
            assert image.format == "PNG" and image.mode == "RGB"
            assert 1100 <= image.width <= 1400 and 400 <= image.height <= 700
            assert round(image.info["dpi"][0]) == 200
            # A drawn chart, not a blank page: the bars' blue is there.
            colours = image.getcolors(1 << 16) or []
            assert (31, 95, 168) in {c for _, c in colours}
        shape = document.inline_shapes[0]
        assert shape.width == docx.shared.Mm(156)
        assert abs(shape.height / shape.width - 190 / (156 * 72 / 25.4)) < 0.01
        properties = shape._inline.docPr
        assert properties.get("title") == "政府信息公开申请（单位：件）"
        assert properties.get("descr") == (
            "柱状图：政府信息公开申请（单位：件），2017—2021年。本年新收：2017年118、2018年141、2019年176、"
            "2020年204、2021年233；本年办结：2017年109、2018年137、2019年168、2020年195、2021年232。"
        )
        # The chart's title over its picture, in the order: title, picture, data table.
        body = document.element.body
        holder = shape._inline.getparent().getparent().getparent()
        title = holder.getprevious()
        assert "".join(t.text for t in title.iter(qn("w:t"))) == "政府信息公开申请（2017—2021年）"
        assert holder.getnext().getnext().tag == qn("w:tbl")  # the table's caption, then the table
        assert body.index(holder) > body.index(document.tables[5]._tbl)
        # The data tables are still there, for whoever cannot see the picture.
        captions = [t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) for t in document.tables]
        assert "政府信息公开申请历年对比（单位：件）" in captions
        table = document.tables[captions.index("政府信息公开申请历年对比（单位：件）")]
        assert [c.text for c in table.rows[-1].cells] == ["2021年", "233", "232"]
        assert len(document.tables) == 6 + 5
        with pdfplumber.open(io.BytesIO(to_pdf(national, charts=charts))) as pdf:
            text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert "新闻发布会（2017—2021年）" in text and "以本机关名义" in text

    def test_the_chart_picture_draws_its_chinese_labels(self, national: ReportDocument) -> None:
        """The PNG is rasterised from the drawing's PDF, its text in the embedded Song face: that
        text (legend, unit, values) is what PDFium draws, so its glyphs are the face's, not boxes."""
        chart = year_charts(national, HISTORY)[0]
        buffer = io.BytesIO()
        canvas = Canvas(buffer)
        drawing = chart_drawing(chart, 156 * 72 / 25.4)
        canvas.setPageSize((drawing.width, drawing.height))
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.save()
        with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
            words = {w["text"] for w in pdf.pages[0].extract_words()}
            fonts = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars}
        assert {"单位：件", "本年新收", "本年办结", "2017", "2021", "233", "232"} <= words
        # One face, the PDF's (pdfplumber names it by its PostScript name), never Helvetica.
        assert len(fonts) == 1 and not any("Helvetica" in f for f in fonts)
        png = chart_pngs([chart], 156 * 72 / 25.4)[0]
        assert Image.open(io.BytesIO(png)).size == (1229, 528)

    def test_a_gap_year_has_no_bar_and_a_single_year_still_exports(self, narrative: ReportDocument) -> None:
        gap = year_charts(narrative, {2014: {"pressroom.conferences.total": 15}})
        conferences = next(c for c in gap if c.key == "conferences")
        assert "2014年未填报" in description(conferences)
        alone = year_charts(narrative, {})
        assert alone and all(chart.years == [2015] for chart in alone)
        assert chart_title(alone[0]).endswith("（2015年）")
        document = docx.Document(io.BytesIO(to_docx(narrative, charts=alone)))
        assert len(document.inline_shapes) == len(alone)
        assert "2015年" in document.inline_shapes[0]._inline.docPr.get("descr")
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx(narrative, charts=alone)))
        assert len(book["图表"]._charts) == len(alone)
        with pdfplumber.open(io.BytesIO(to_pdf(narrative, charts=alone))) as pdf:
            assert "（2015年）" in "".join(p.extract_text() or "" for p in pdf.pages)

    def test_the_xlsx_draws_native_bar_charts_from_their_data_cells(self, national: ReportDocument) -> None:
        charts = year_charts(national, HISTORY)
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx(national, charts=charts)))
        assert book.sheetnames[-2:] == ["历年对比", "图表"]
        sheet = book["图表"]
        drawn = sheet._charts
        assert len(drawn) == len(charts) == 5
        for chart, bars in zip(charts, drawn, strict=True):
            assert bars.tagname == "barChart" and bars.type == "col" and bars.grouping == "clustered"
            title = "".join(r.t for p in bars.title.tx.rich.p for r in (p.r or []))
            assert title == chart.caption
            assert len(bars.series) == len(chart.series)
            assert bars.dataLabels.showVal and not bars.dataLabels.showSerName
            for series, expected in zip(bars.series, chart.series, strict=True):
                name = sheet[series.tx.strRef.f.split("!")[1]].value
                assert name == expected.label
                values = [c.value for (c,) in sheet[series.val.numRef.f.split("!")[1].replace("$", "")]]
                assert values == expected.values
                years = [c.value for (c,) in sheet[series.cat.numRef.f.split("!")[1].replace("$", "")]]
                assert years == chart.years
        assert sheet["A1"].value == "政府信息公开申请（单位：件）"
        assert [c.value for c in sheet[2][:3]] == ["年度", "本年新收", "本年办结"]
        assert [c.value for c in sheet[7][:3]] == [2021, 233, 232]


def test_the_template_included_in_a_page_starts_its_headings_one_level_down(national: ReportDocument) -> None:
    from django.template import engines

    page = engines["django"].from_string(
        '<main><h1>年度报告</h1>{% include "annualreport/export/report.html" with report=report %}</main>'
    )
    markup = page.render({"report": html_context(national, standalone=False, nested=True)})
    tree = lxml_html.fromstring(markup)
    assert [h.text_content() for h in tree.xpath("//h1")] == ["年度报告"]
    assert tree.xpath("//h2")[0].text_content() == national.title
    assert [h.text_content() for h in tree.xpath("//h3")][:2] == ["一、总体情况", "二、主动公开政府信息情况"]
    assert "<!DOCTYPE" not in markup and len(tree.xpath("//table")) == 6
