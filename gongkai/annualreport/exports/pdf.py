"""The report as PDF (reportlab platypus), in the layout offices publish: the title centred, the
text in a Song face, tables ruled in every cell with their header cells merged (SPAN) and repeated
on each page a table runs onto, charts drawn with reportlab graphics (`chartimage.chart_drawing`;
the DOCX's pictures are PNGs of the same drawings), "第 N 页 共 M 页" at the foot of every page and
the sections as PDF bookmarks.

The CJK font is the letters' (`gongkai.inforequests.letters.pdf.fonts`: a TrueType Song face
registered once per process and embedded as a subset, with a fallback face for characters it
lacks); a character missing from both would draw as a blank box, so every text run is split by the
face that has it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import paragraph as rl_paragraph

from gongkai.annualreport.document import ReportDocument
from gongkai.inforequests.letters.pdf import NO_START, fonts

from .chartimage import chart_drawing, chart_title
from .layout import GridCell, TableLayout, layout_table, section_heading, table_label

if TYPE_CHECKING:
    from .charts import Chart

# 避头尾: reportlab's marks that may not start a line are the Japanese ones (no full-width comma,
# semicolon, colon, closing quotes …), so "，" could begin a line. The letters' GB set is added to
# the lists platypus reads (one-font paragraphs break in textsplit, mixed ones in paragraph);
# adding marks only ever turns a bad break into a hanging mark.
CANNOT_START: Final = "".join(sorted(set(rl_textsplit.ALL_CANNOT_START) | NO_START))
rl_textsplit.ALL_CANNOT_START = rl_paragraph.ALL_CANNOT_START = CANNOT_START

MM: Final = 72 / 25.4
PAGE_W, PAGE_H = A4
TOP, BOTTOM, LEFT, RIGHT = 25 * MM, 25 * MM, 22 * MM, 20 * MM
TEXT_W: Final = PAGE_W - LEFT - RIGHT
BODY_PT: Final = 12.0
TABLE_PT: Final = 8.5


def _markup(text: str) -> str:
    """Escaped paragraph markup, each run in the face that has its characters."""
    body, fallback = fonts()
    if fallback is None:
        return escape(text)
    out: list[str] = []
    run = ""
    in_fallback = False
    for ch in text:
        wants = ord(ch) not in body.glyphs and ord(ch) in fallback.glyphs
        if wants != in_fallback and run:
            out.append(f'<font face="{fallback.name}">{escape(run)}</font>' if in_fallback else escape(run))
            run = ""
        in_fallback = wants
        run += ch
    if run:
        out.append(f'<font face="{fallback.name}">{escape(run)}</font>' if in_fallback else escape(run))
    return "".join(out)


def _styles() -> dict[str, ParagraphStyle]:
    face = fonts()[0].name
    base = ParagraphStyle("body", fontName=face, fontSize=BODY_PT, leading=BODY_PT * 1.75, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", base, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=4),
        "meta": ParagraphStyle("meta", base, alignment=TA_CENTER, spaceAfter=14),
        "section": ParagraphStyle(
            "section", base, fontSize=15, leading=24, spaceBefore=10, spaceAfter=4, keepWithNext=1
        ),
        "passage": ParagraphStyle(
            "passage", base, fontSize=13, leading=22, spaceBefore=6, spaceAfter=2, keepWithNext=1
        ),
        "body": ParagraphStyle("text", base, alignment=TA_JUSTIFY, firstLineIndent=BODY_PT * 2, spaceAfter=4),
        "caption": ParagraphStyle(
            "caption", base, fontSize=11, leading=16, alignment=TA_CENTER, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", base, fontSize=TABLE_PT, leading=TABLE_PT * 1.35, alignment=TA_LEFT),
        "cell_centre": ParagraphStyle(
            "cell_c", base, fontSize=TABLE_PT, leading=TABLE_PT * 1.35, alignment=TA_CENTER
        ),
    }


class _Heading(Paragraph):  # type: ignore[misc]
    """A section heading: becomes a bookmark when drawn."""

    def __init__(self, text: str, style: ParagraphStyle, level: int) -> None:
        super().__init__(_markup(text), style)
        self.plain = text
        self.level = level


class _ReportTemplate(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, out: io.BytesIO, doc: ReportDocument, created: dt.datetime | None) -> None:
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=LEFT,
            rightMargin=RIGHT,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=doc.title,
            author=doc.agency,
            subject=f"{doc.year}年政府信息公开工作年度报告",
            creator="Gongkai",
            keywords="政府信息公开, 年度报告",
            lang="zh-CN",
            initialFontName=fonts()[0].name,
            initialFontSize=BODY_PT,
        )
        frame = Frame(LEFT, BOTTOM, TEXT_W, PAGE_H - TOP - BOTTOM, id="text", leftPadding=0, rightPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._headings = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            key = f"h{self._headings}"
            self._headings += 1
            self.canv.bookmarkHorizontal(key, 0, self.frame._y + flowable.height + 12)
            self.canv.addOutlineEntry(flowable.plain, key, level=flowable.level, closed=False)


def _numbered_canvas(face: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Keeps each page until the end, so its foot can say how many pages there are."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("pageCompression", 1)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                label = f"第 {self._pageNumber} 页 共 {total} 页"
                self.setFont(face, 9)
                self.drawCentredString(PAGE_W / 2, BOTTOM - 12 * MM, label)
                super().showPage()
            super().save()

    return NumberedCanvas


PADDING_V: Final = 5.5  # top + bottom cell padding
PADDING_H: Final = 6.0
FRAME_H: Final = PAGE_H - TOP - BOTTOM
CAPTION_ALLOWANCE: Final = 40.0  # the caption over a table's first page and a little slack


def _row_heights(
    layout: TableLayout, paragraphs: dict[tuple[int, int], Paragraph], widths: list[float]
) -> list[float]:
    """Each grid row's height as the table will draw it (its tallest unmerged cell)."""
    heights = [0.0] * layout.height
    for cell in layout.cells():
        if cell.rowspan > 1:
            continue
        width = sum(widths[cell.col : cell.col + cell.colspan]) - PADDING_H
        _, h = paragraphs[(cell.row, cell.col)].wrap(width, PAGE_H)
        heights[cell.row] = max(heights[cell.row], h + PADDING_V)
    return heights


def _bounded_spans(layout: TableLayout, heights: list[float]) -> list[GridCell]:
    """The cells, with every merged row label cut where the rows under it outgrow a page (below
    the repeated header): platypus splits a table only between merged cells, so a label taller than
    a page could not be drawn at all. The cut piece repeats the label with "（续）"."""
    limit = FRAME_H - sum(heights[: layout.header_rows]) - CAPTION_ALLOWANCE
    cuts: set[int] = set()
    run = 0.0
    for r in range(layout.header_rows, layout.height):
        if run + heights[r] > limit and run:
            cuts.add(r)
            run = 0.0
        run += heights[r]
    out: list[GridCell] = []
    for cell in layout.cells():
        if cell.kind != "parent" or not any(cell.row < c < cell.row + cell.rowspan for c in cuts):
            out.append(cell)
            continue
        starts = [cell.row, *sorted(c for c in cuts if cell.row < c < cell.row + cell.rowspan)]
        ends = [*starts[1:], cell.row + cell.rowspan]
        for n, (start, end) in enumerate(zip(starts, ends, strict=True)):
            text = cell.text if n == 0 else f"{cell.text}（续）"
            out.append(dataclasses.replace(cell, text=text, row=start, rowspan=end - start))
    return out


def _pdf_table(layout: TableLayout, styles: dict[str, ParagraphStyle]) -> PdfTable:
    data: list[list[Any]] = [["" for _ in range(layout.width)] for _ in range(layout.height)]
    commands: list[tuple[Any, ...]] = [
        # The cell font is set even though every cell is a Paragraph: the table sets it first.
        ("FONT", (0, 0), (-1, -1), fonts()[0].name, TABLE_PT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING_H / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_H / 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING_V - 2.5),
    ]
    if layout.header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, layout.header_rows - 1), colors.HexColor("#eeeeee")))
    share = 0.42 if layout.label_columns > 1 else 0.34
    widths = [TEXT_W * w for w in layout.widths(share)]

    def paragraph(cell: GridCell) -> Paragraph:
        return Paragraph(
            _markup(cell.text), styles["cell"] if cell.kind == "label" else styles["cell_centre"]
        )

    paragraphs = {(cell.row, cell.col): paragraph(cell) for cell in layout.cells()}
    for cell in _bounded_spans(layout, _row_heights(layout, paragraphs, widths)):
        # A continued piece of a cut label starts where the grid had no cell of its own.
        data[cell.row][cell.col] = paragraphs.get((cell.row, cell.col)) or paragraph(cell)
        if cell.rowspan > 1 or cell.colspan > 1:
            end = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
            commands.append(("SPAN", (cell.col, cell.row), end))
    return PdfTable(
        data,
        colWidths=widths,
        repeatRows=layout.header_rows,
        style=TableStyle(commands),
        hAlign="CENTER",
    )


def to_pdf(doc: ReportDocument, *, charts: Sequence[Chart] = (), created: dt.datetime | None = None) -> bytes:
    """The report as PDF bytes (A4, CJK font embedded as a subset)."""
    styles = _styles()
    story: list[Flowable] = [
        Paragraph(_markup(doc.title), styles["title"]),
        Paragraph(
            _markup(
                doc.agency
                + (
                    f"　{doc.issued_on.year}年{doc.issued_on.month}月{doc.issued_on.day}日"
                    if doc.issued_on
                    else ""
                )
            ),
            styles["meta"],
        ),
    ]
    for line in doc.preface.splitlines():
        if line.strip():
            story.append(Paragraph(_markup(line), styles["body"]))
    number = 0
    for section in doc.sections:
        heading = _Heading(section_heading(section), styles["section"], 0)
        # A heading straight over a table goes with it (keepWithNext cannot join a KeepTogether).
        pending: list[Flowable] = [heading]
        if section.passages or not section.tables:
            story.extend(pending)
            pending = []
        for passage in section.passages:
            if passage.heading:
                story.append(_Heading(passage.heading, styles["passage"], 1))
            for line in passage.text.splitlines():
                if line.strip():
                    story.append(Paragraph(_markup(line), styles["body"]))
        for table in section.tables:
            number += 1
            layout = layout_table(table, number)
            # A table that fits on a page is not split; a longer one splits with its header repeated.
            caption = Paragraph(_markup(table_label(table)), styles["caption"])
            story.append(KeepTogether([*pending, caption, _pdf_table(layout, styles)]))
            pending = []
    if charts:
        pending = [_Heading("历年对比", styles["section"], 0)]
        for chart in charts:
            title = chart_title(chart)
            story.append(
                KeepTogether(
                    [*pending, Paragraph(_markup(title), styles["caption"]), chart_drawing(chart, TEXT_W)]
                )
            )
            story.append(Spacer(1, 6))
            pending = []
    out = io.BytesIO()
    template = _ReportTemplate(out, doc, created)
    template.build(story, canvasmaker=_numbered_canvas(fonts()[0].name))
    return out.getvalue()
