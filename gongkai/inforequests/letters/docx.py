"""Letters as Word documents in the official layout (GB/T 9704-2012), built with python-docx.

Fonts are named, not embedded: the title in 方正小标宋简体, the text in 仿宋_GB2312, each set on the
East Asian slot (``w:eastAsia``) where Word looks for Chinese; the font table gives Word the
substitutes (宋体, 仿宋) for machines without them.
"""

from __future__ import annotations

import io
from typing import Any, Final

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .context import Block, LetterContext

TITLE_FONT: Final = "方正小标宋简体"
TITLE_FONT_FALLBACK: Final = "宋体"
BODY_FONT: Final = "仿宋_GB2312"
BODY_FONT_FALLBACK: Final = "仿宋"
LATIN_FONT: Final = "Times New Roman"
BODY_PT: Final = 16  # 三号
TITLE_PT: Final = 22  # 二号
LINE_PT: Final = 29  # 22 lines in the 225 mm text area
TEXT_WIDTH_PT: Final = (210 - 28 - 26) * 72 / 25.4

_ALIGN = {
    "title": WD_ALIGN_PARAGRAPH.CENTER,
    "doc_number": WD_ALIGN_PARAGRAPH.CENTER,
    "recipient": WD_ALIGN_PARAGRAPH.LEFT,
    "body": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "note": WD_ALIGN_PARAGRAPH.LEFT,
    "attachment": WD_ALIGN_PARAGRAPH.LEFT,
    "signature_organ": WD_ALIGN_PARAGRAPH.RIGHT,
    "signature_date": WD_ALIGN_PARAGRAPH.RIGHT,
}


def width_em(text: str) -> float:
    """Width in ems as the fonts set it: CJK full width, ASCII half width."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _set_fonts(run_or_style: Any, east_asia: str, size: float, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = LATIN_FONT
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _add_font_substitutes(document: Any) -> None:
    """Declare the Chinese fonts in word/fontTable.xml with w:altName, Word's substitute."""
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/></w:font>'
        for name, alt, family in (
            (TITLE_FONT, TITLE_FONT_FALLBACK, "roman"),
            (BODY_FONT, BODY_FONT_FALLBACK, "modern"),
        )
    )
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            # A generic part: its XML is only bytes. The closing tag is unique in the file.
            part._blob = part.blob.replace(b"</w:fonts>", fonts.encode() + b"</w:fonts>", 1)
            return


def _page_number_footer(paragraph: Any, align_right: bool) -> None:
    """GB/T 9704 7.5: 四号 "— N —", odd pages 居右空一字, even pages 居左空一字."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align_right else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if align_right:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)
    _set_fonts(paragraph.add_run("— "), "宋体", 14)
    run = paragraph.add_run()
    _set_fonts(run, "宋体", 14)
    for tag, attrs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(key), value)
        if tag == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        run._r.append(el)
    _set_fonts(paragraph.add_run(" —"), "宋体", 14)


def _setup(document: Any) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    normal = document.styles["Normal"]
    _set_fonts(normal, BODY_FONT, BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer.paragraphs[0], align_right=True)
    _page_number_footer(section.even_page_footer.paragraphs[0], align_right=False)
    _add_font_substitutes(document)


def _paragraph(document: Any, block: Block | None, text: str = "", **fmt: Any) -> Any:
    p = document.add_paragraph()
    if block is None:
        return p
    p.alignment = _ALIGN[block.role]
    pf = p.paragraph_format
    for key, value in fmt.items():
        setattr(pf, key, value)
    run = p.add_run(text or block.text)
    if block.role == "title":
        _set_fonts(run, TITLE_FONT, TITLE_PT)
        pf.line_spacing = Pt(36)
    else:
        _set_fonts(run, BODY_FONT, BODY_PT)
    return p


def render_docx(ctx: LetterContext) -> bytes:
    """One letter as a .docx file (A4, GB/T 9704 margins and fonts)."""
    document = docx.Document()
    _setup(document)
    document.core_properties.title = ctx.title.replace("\n", "")
    document.core_properties.author = ctx.issuing_organ
    document.core_properties.subject = ctx.tracking_number
    em = Pt(BODY_PT)
    blocks = ctx.blocks()
    date = next(b for b in blocks if b.role == "signature_date")
    attachment_hang = 2 + width_em("附件：")
    for block in blocks:
        role = block.role
        if role == "doc_number" or role == "recipient":
            _paragraph(document, None)
            _paragraph(document, block)
        elif role in ("body", "note"):
            if role == "note":
                _paragraph(document, None)
            p = _paragraph(document, block, first_line_indent=em * 2)
            # 首行缩进二字 in characters too, so the indent follows the font size if an editor changes it.
            p.paragraph_format.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
        elif role == "attachment":
            if block.first:
                _paragraph(document, None)
            first = 2 if block.first else attachment_hang
            _paragraph(
                document,
                block,
                left_indent=Pt(BODY_PT * attachment_hang),
                first_line_indent=Pt(BODY_PT * (first - attachment_hang)),
            )
        elif role == "signature_organ":
            # 成文日期右空四字, the organ's name centred over it, the seal pressing on both (7.3.5.1).
            _paragraph(document, None)
            center_em = 4 + width_em(date.text) / 2
            seal = Block("signature_organ", "（印章）")
            p = _paragraph(document, seal, right_indent=Pt(BODY_PT * max(0.0, center_em - 2)))
            p.runs[0].font.color.rgb = RGBColor(0x99, 0x99, 0x99)
            _paragraph(
                document,
                block,
                right_indent=Pt(BODY_PT * max(0.0, center_em - width_em(block.text) / 2)),
            )
        elif role == "signature_date":
            _paragraph(document, block, right_indent=em * 4)
        else:
            _paragraph(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
