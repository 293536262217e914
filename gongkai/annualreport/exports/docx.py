"""The report as a Word document (python-docx), in the layout offices publish: the title centred in
a 小标宋 face, headings (Word's Heading 1/2, so the navigation pane and screen readers see them),
the text in 仿宋, tables ruled in every cell with merged header cells (header rows repeated on
every page), the charts as pictures (PNGs of the PDF's drawings, described in their alternative
text) over their data tables, "第 N 页 共 M 页" in the footer, and the document's title, author and
date set.

Fonts are named on the East Asian slot (``w:eastAsia``), where Word looks for Chinese; Latin text
and digits use Times New Roman. Word substitutes 宋体/仿宋/黑体 where the named face is missing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.annualreport.document import Cell, ReportDocument, Row, Table

from .chartimage import chart_pngs, chart_title, description
from .layout import TableLayout, layout_table, section_heading, table_label

if TYPE_CHECKING:
    from .charts import Chart

TITLE_FONT: Final = "方正小标宋简体"
BODY_FONT: Final = "仿宋_GB2312"
HEADING_FONT: Final = "黑体"
SUBHEADING_FONT: Final = "楷体_GB2312"
TABLE_FONT: Final = "宋体"
LATIN_FONT: Final = "Times New Roman"
TITLE_PT: Final = 22  # 二号
BODY_PT: Final = 16  # 三号
TABLE_PT: Final = 9  # 小五: table 三's ten columns fit the A4 text width
TEXT_WIDTH_MM: Final = 210 - 28 - 26
PT_PER_MM: Final = 72 / 25.4


def _fonts(target: Any, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    font = target.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)


def _run(paragraph: Any, text: str, east_asia: str, size: float, bold: bool = False) -> Any:
    run = paragraph.add_run(text)
    _fonts(run, east_asia, size, bold)
    return run


def _field(paragraph: Any, instruction: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES): begin, instruction, separate, a placeholder, end."""
    run = paragraph.add_run()
    _fonts(run, TABLE_FONT, size)
    for tag, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        if tag == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif tag == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        run._r.append(el)


def _footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "第 ", TABLE_FONT, 10.5)
    _field(paragraph, "PAGE", 10.5)
    _run(paragraph, " 页 共 ", TABLE_FONT, 10.5)
    _field(paragraph, "NUMPAGES", 10.5)
    _run(paragraph, " 页", TABLE_FONT, 10.5)


def _page(section: Any) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(28)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(15)


def _styles(document: Any) -> None:
    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_PT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, face, size in (("Title", TITLE_FONT, TITLE_PT), ("Heading 1", HEADING_FONT, BODY_PT)):
        style = document.styles[name]
        _fonts(style, face, size, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
    heading_2 = document.styles["Heading 2"]
    _fonts(heading_2, SUBHEADING_FONT, BODY_PT, bold=True)
    heading_2.font.color.rgb = RGBColor(0, 0, 0)
    heading_2.font.italic = False
    for name in ("Title", "Heading 1", "Heading 2"):
        fmt = document.styles[name].paragraph_format
        fmt.space_before, fmt.space_after = Pt(6), Pt(6)
        fmt.keep_with_next = True
    title = document.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Word's Title style draws a rule under the title; an official title has none.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _body(document: Any, text: str) -> None:
    for line in text.splitlines():
        if not line.strip():
            continue
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        _run(p, line, BODY_FONT, BODY_PT)


def _cell_text(cell: Any, text: str, *, bold: bool, align: Any) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = 1.0
    fmt.space_before = fmt.space_after = Pt(1)
    _run(paragraph, text, TABLE_FONT, TABLE_PT, bold=bold)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _table_properties(table: Any, caption: str) -> None:
    """Borders on every cell (single 0.5 pt) and the caption as the table's alternative text."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # CT_TblPr is a sequence: borders go before shd/tblLayout/tblCellMar/tblLook, the caption last.
    later = [tbl_pr.find(qn(f"w:{tag}")) for tag in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    following = next((el for el in later if el is not None), None)
    if following is None:
        tbl_pr.append(borders)
    else:
        following.addprevious(borders)
    caption_el = OxmlElement("w:tblCaption")
    caption_el.set(qn("w:val"), caption[:255])
    description = tbl_pr.find(qn("w:tblDescription"))
    if description is None:
        tbl_pr.append(caption_el)
    else:
        description.addprevious(caption_el)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _add_table(document: Any, layout: TableLayout, width_mm: float) -> None:
    label = table_label(layout.table)
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    _run(caption, label, HEADING_FONT, 12)
    table = document.add_table(rows=layout.height, cols=layout.width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_properties(table, label)
    share = 0.42 if layout.label_columns > 1 else 0.34
    widths = [Mm(width_mm * w) for w in layout.widths(share)]
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for r in range(layout.header_rows):
        _repeat_header(table.rows[r])
    # The grid's cells are read once (python-docx's table.cell() walks the whole table each call):
    # text goes into each top-left cell first, then the regions are merged (they never overlap, so
    # each region's corner cells are still in the table when its turn comes).
    grid = table._cells
    merges = []
    for cell in layout.cells():
        target = grid[cell.row * layout.width + cell.col]
        centred = cell.kind in ("corner", "group", "column", "parent", "value")
        _cell_text(
            target,
            cell.text,
            bold=cell.kind in ("group", "column", "parent"),
            align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT,
        )
        if cell.rowspan > 1 or cell.colspan > 1:
            corner = grid[(cell.row + cell.rowspan - 1) * layout.width + cell.col + cell.colspan - 1]
            merges.append((target, corner))
    for target, corner in merges:
        target.merge(corner)
    document.add_paragraph()


def _add_charts(document: Any, charts: Sequence[Chart]) -> None:
    """Each chart under a heading of its own: its title, the picture (a PNG of the PDF's drawing,
    its values in the alternative text) and its data table (years down, series across) for whoever
    cannot see the picture."""
    document.add_heading("历年对比", level=1)
    pictures = chart_pngs(charts, TEXT_WIDTH_MM * PT_PER_MM)
    for chart, png in zip(charts, pictures, strict=True):
        caption = document.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.first_line_indent = Pt(0)
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_before = Pt(6)
        _run(caption, chart_title(chart), HEADING_FONT, 12)
        holder = document.add_paragraph()
        holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = holder.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing = 1.0  # the body's exact 28 pt would crop the picture to one line
        fmt.keep_with_next = True
        shape = holder.add_run().add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM))
        properties = shape._inline.docPr
        properties.set("name", f"图表 {chart.title}")
        properties.set("title", chart.caption)
        properties.set("descr", description(chart))
        columns = [s.label for s in chart.series]
        table = Table(
            key=chart.key,
            title=f"{chart.title}历年对比",
            columns=columns,
            column_keys=[f"s{i}" for i in range(len(columns))],
            rows=[
                Row(str(year), f"{year}年", [Cell(s.values[i]) for s in chart.series])
                for i, year in enumerate(chart.years)
            ],
            corner="年度",
            unit=chart.unit,
        )
        _add_table(document, layout_table(table), TEXT_WIDTH_MM)


def to_docx(
    doc: ReportDocument, *, charts: Sequence[Chart] = (), created: dt.datetime | None = None
) -> bytes:
    """The report as .docx bytes. `created` (the document property) defaults to the issue date."""
    document = docx.Document()
    _styles(document)
    _page(document.sections[0])
    _footer(document.sections[0])
    props = document.core_properties
    props.title = doc.title
    props.author = doc.agency
    props.last_modified_by = doc.agency
    props.subject = f"{doc.year}年政府信息公开工作年度报告"
    props.keywords = "政府信息公开;年度报告"
    props.language = "zh-CN"
    when = created or dt.datetime.combine(doc.issued_on or doc.period_end, dt.time(9, 0), tzinfo=dt.UTC)
    props.created = when
    props.modified = when
    props.revision = 1

    document.add_paragraph(doc.title, style="Title")
    meta = document.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issued = (
        f"（{doc.issued_on.year}年{doc.issued_on.month}月{doc.issued_on.day}日）" if doc.issued_on else ""
    )
    _run(meta, f"{doc.agency}{issued}", SUBHEADING_FONT, BODY_PT)
    if doc.preface:
        _body(document, doc.preface)
    number = 0
    for section in doc.sections:
        document.add_heading(section_heading(section), level=1)
        for passage in section.passages:
            if passage.heading:
                document.add_heading(passage.heading, level=2)
            _body(document, passage.text)
        for table in section.tables:
            number += 1
            _add_table(document, layout_table(table, number), TEXT_WIDTH_MM)
    if charts:
        _add_charts(document, charts)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
