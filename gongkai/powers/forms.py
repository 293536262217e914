"""An item's basic-information form (行政职权基本信息表), as published: DOCX and PDF, each with the
item's responsibility list, service guide (approval items) and operation flowcharts (one per procedure).

Both are made from an `ItemVersion` (what the public sees, kept as it was published), so the form
of a published version never changes when the working copy is edited. The flowchart is laid out
again by Graphviz as a PNG from the version's steps (the same layout as the SVG on the page).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.powers import flowchart
from gongkai.powers.choices import Level, MaterialForm, PowerCategory, Stage
from gongkai.powers.models import ItemVersion

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Flow:
    """One flowchart of the form (one per procedure of the item) and its text."""

    heading: str
    png: bytes
    text: list[str]


@dataclass(frozen=True)
class Form:
    """The form's content as label/value rows and its tables, shared by both formats."""

    title: str
    rows: list[tuple[str, str]]
    responsibilities: list[list[str]]
    materials: list[list[str]]
    faqs: list[tuple[str, str]]
    flows: list[Flow]
    footer: str


RESPONSIBILITY_HEADINGS = ("环节", "责任事项", "职责边界", "公共服务事项", "监管措施", "追责情形")
MATERIAL_HEADINGS = ("序号", "材料名称", "原件/复印件", "份数", "备注")


def _days(n: int | None) -> str:
    return _("%(n)d个工作日") % {"n": n} if n is not None else "—"


def build(version: ItemVersion) -> Form:
    c: dict[str, Any] = version.content
    guide = c.get("guide") or {}
    rows = [
        (_("事项编码"), version.code),
        (_("事项名称"), version.name),
        (_("职权类别"), str(PowerCategory(version.category).label)),
        (_("子项"), "\n".join(c.get("sub_items", [])) or "—"),
        (_("设定依据"), "\n".join(c.get("legal_basis", [])) or "—"),
        (_("实施部门"), version.department.name),
        (_("行使层级"), str(Level(version.level).label)),
    ]
    if guide:
        rows += [
            (_("受理条件"), guide.get("conditions") or "—"),
            (_("法定办结时限"), _days(guide.get("statutory_days"))),
            (_("承诺办结时限"), _days(guide.get("promised_days"))),
            (_("收费标准"), guide.get("fee") or _("不收费")),
            (_("收费依据"), guide.get("fee_basis") or "—"),
            (_("办理地点"), guide.get("place") or "—"),
            (_("办理时间"), guide.get("hours") or "—"),
            (_("咨询电话"), guide.get("phone") or "—"),
            (_("网上办理"), guide.get("online_url") or "—"),
        ]
    steps = [flowchart.Step(**step) for step in c.get("steps", [])]
    flows = [
        Flow(
            heading=_("运行流程图（%(procedure)s）") % {"procedure": procedure}
            if procedure
            else _("运行流程图"),
            png=flowchart.render_png(flow, title=flowchart.chart_title(version.name, procedure)),
            text=flowchart.describe(flow),
        )
        for procedure, flow in flowchart.procedures(steps)
    ]
    published = timezone.localdate(version.published_at).isoformat()
    return Form(
        title=_("%(name)s 基本信息表") % {"name": version.name},
        rows=rows,
        responsibilities=[
            [
                str(Stage(r["stage"]).label),
                r.get("duties", ""),
                r.get("boundary", ""),
                r.get("public_services", ""),
                r.get("supervision", ""),
                r.get("accountability", ""),
            ]
            for r in c.get("responsibilities", [])
        ],
        materials=[
            [
                str(n),
                m["name"],
                str(MaterialForm(m["form"]).label),
                str(m.get("copies", 1)),
                m.get("note", ""),
            ]
            for n, m in enumerate(c.get("materials", []), start=1)
        ],
        faqs=[(f.get("question", ""), f.get("answer", "")) for f in guide.get("faqs", []) or []],
        flows=flows,
        footer=_("%(agency)s · 第 %(n)d 版 · %(date)s 发布")
        % {"agency": settings.AGENCY_NAME, "n": version.number, "date": published},
    )


# -- DOCX ------------------------------------------------------------------------------------------


def to_docx(version: ItemVersion) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    form = build(version)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for name in ("Title", "Heading 1", "Heading 2"):
        document.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    props = document.core_properties
    props.title = form.title
    props.author = settings.AGENCY_NAME
    props.created = version.published_at

    heading = document.add_heading(form.title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table(headings: tuple[str, ...] | None, body: list[list[str]] | list[tuple[str, str]]) -> None:
        width = len(headings) if headings else 2
        grid = document.add_table(rows=0, cols=width)
        grid.style = "Table Grid"
        if headings:
            cells = grid.add_row().cells
            for cell, text in zip(cells, headings, strict=True):
                cell.text = _(text)
                cell.paragraphs[0].runs[0].bold = True
        for values in body:
            cells = grid.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
        if not headings:
            for row in grid.rows:
                row.cells[0].width = Cm(3.6)
                row.cells[0].paragraphs[0].runs[0].bold = True

    table(None, form.rows)
    if form.materials:
        document.add_heading(_("申请材料"), level=2)
        table(MATERIAL_HEADINGS, form.materials)
    if form.responsibilities:
        document.add_heading(_("责任清单"), level=2)
        table(RESPONSIBILITY_HEADINGS, form.responsibilities)
    for flow in form.flows:
        document.add_heading(flow.heading, level=2)
        document.add_picture(io.BytesIO(flow.png), width=Cm(12))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in flow.text:
            document.add_paragraph(line)
    if form.faqs:
        document.add_heading(_("常见问题"), level=2)
        for question, answer in form.faqs:
            document.add_paragraph(question).runs[0].bold = True
            document.add_paragraph(answer)
    footer = section.footer.paragraphs[0]
    footer.text = form.footer
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- PDF -------------------------------------------------------------------------------------------


def to_pdf(version: ItemVersion) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
    from reportlab.lib.units import mm  # type: ignore[import-untyped]
    from reportlab.platypus import (  # type: ignore[import-untyped]
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from gongkai.inforequests.letters.pdf import fonts

    form = build(version)
    body_font = fonts()[0].name
    text = ParagraphStyle("body", fontName=body_font, fontSize=10, leading=14, wordWrap="CJK")
    bold = ParagraphStyle("label", parent=text, textColor=colors.HexColor("#1f2d3d"))
    title = ParagraphStyle("title", parent=text, fontSize=17, leading=24, alignment=1, spaceAfter=8)
    heading = ParagraphStyle("h2", parent=text, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4)

    def p(value: str, style: ParagraphStyle = text) -> Paragraph:
        return Paragraph(escape(value).replace("\n", "<br/>"), style)

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
    )
    width = A4[0] - 36 * mm

    def ruled(headings: tuple[str, ...], body: list[list[str]], widths: list[float]) -> Table:
        data = [[p(_(h), bold) for h in headings], *[[p(v) for v in row] for row in body]]
        result = Table(data, colWidths=[w * width for w in widths], repeatRows=1)
        result.setStyle(grid)
        result.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7"))]))
        return result

    story: list[Any] = [p(form.title, title)]
    info = Table(
        [[p(label, bold), p(value)] for label, value in form.rows], colWidths=[0.22 * width, 0.78 * width]
    )
    info.setStyle(grid)
    info.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7"))]))
    story.append(info)
    if form.materials:
        story += [
            p(_("申请材料"), heading),
            ruled(MATERIAL_HEADINGS, form.materials, [0.07, 0.43, 0.16, 0.08, 0.26]),
        ]
    if form.responsibilities:
        story += [
            p(_("责任清单"), heading),
            ruled(RESPONSIBILITY_HEADINGS, form.responsibilities, [0.1, 0.22, 0.17, 0.17, 0.17, 0.17]),
        ]
    for flow in form.flows:
        picture = Image(io.BytesIO(flow.png))
        # 150 dpi image drawn at 100 dpi at most: readable labels, at most 3/4 of the width, half a page.
        scale = min(72 / 100, 0.75 * width / picture.imageWidth, (A4[1] * 0.5) / picture.imageHeight)
        picture.drawWidth, picture.drawHeight = picture.imageWidth * scale, picture.imageHeight * scale
        story += [KeepTogether([p(flow.heading, heading), picture]), Spacer(1, 4)]
        story += [p(line) for line in flow.text]
    if form.faqs:
        story.append(p(_("常见问题"), heading))
        for question, answer in form.faqs:
            story += [p(question, bold), p(answer)]

    def page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(body_font, 8)
        number = _("第 %(n)d 页") % {"n": doc.page}
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{form.footer} · {number}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=form.title,
        author=settings.AGENCY_NAME,
    )
    doc.build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()
