"""Letters as Word documents in the official layout (GB/T 9704-2012), built with python-docx.

Fonts are named, not embedded: title and text name exactly the face the PDF embeds
(``pdf.font_family()``, by default AR PL SungtiL GB from Debian's ``fonts-arphic-gbsn00lp``), on the
East Asian slot (``w:eastAsia``) where Word looks for Chinese; the font table gives Word 宋体 as the
substitute on machines without it. The package's properties are the letter's own: dated the day
it bears, by the agency, with no trace of python-docx's template.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from importlib import metadata
from typing import Any, Final
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.core.text import strip_control

from .context import Block, LetterContext
from .pdf import PRODUCER, font_family

# Word's substitute when the named face is not installed (a GB2312 Song face, like it).
FONT_FALLBACK: Final = "宋体"
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


# What follows w:autoSpaceDN in a paragraph's properties (the schema's order, which Word enforces).
_AFTER_AUTOSPACE: Final = (
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


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


def _part(document: Any, name: str) -> Any:
    return next(part for part in document.part.package.iter_parts() if str(part.partname) == name)


def _add_font_substitutes(document: Any, family: str) -> None:
    """Declare the Chinese face in word/fontTable.xml with w:altName, Word's substitute."""
    font = (
        f'<w:font w:name="{escape(family, {chr(34): "&quot;"})}"><w:altName w:val="{FONT_FALLBACK}"/>'
        '<w:charset w:val="86"/><w:family w:val="roman"/></w:font>'
    )
    # A generic part: its XML is only bytes. The closing tag is unique in the file.
    part = _part(document, "/word/fontTable.xml")
    part._blob = part.blob.replace(b"</w:fonts>", font.encode() + b"</w:fonts>", 1)


def _app_version() -> str:
    """AppVersion as the format wants it (XX.YYYY): 0.1.0 -> 00.0100."""
    try:
        numbers = [int(n) for n in re.findall(r"\d+", metadata.version("gongkai"))[:3]]
    except metadata.PackageNotFoundError:
        numbers = []
    major, minor, patch = [*numbers, 0, 0, 0][:3]
    return f"{major:02d}.{minor:02d}{patch:02d}"


def _set_properties(document: Any, ctx: LetterContext) -> None:
    """Core properties (docProps/core.xml) and the application's (docProps/app.xml) of this letter,
    replacing those of python-docx's template (2013, "python-docx", "Microsoft Macintosh Word")."""
    day = dt.datetime.combine(ctx.date_issued, dt.time(), tzinfo=dt.UTC)
    title = strip_control(ctx.title.replace("\n", ""))
    props = document.core_properties
    props.title = title
    props.author = props.last_modified_by = ctx.issuing_organ
    props.subject = ctx.kind_name
    props.keywords = ctx.keywords
    props.comments = f"{ctx.kind_name}（{ctx.tracking_number}）"
    props.category = ctx.kind_name
    props.created = props.modified = day
    props.revision = 1
    part = _part(document, "/docProps/app.xml")
    xml = part.blob.decode("utf-8")
    for tag, value in (
        ("Application", PRODUCER),
        ("AppVersion", _app_version()),
        ("Company", ctx.issuing_organ),
        ("Template", ""),
    ):
        xml = re.sub(rf"<{tag}>[^<]*</{tag}>|<{tag}/>", f"<{tag}>{escape(value)}</{tag}>", xml, count=1)
    xml = re.sub(r"<vt:lpstr/>", f"<vt:lpstr>{escape(title)}</vt:lpstr>", xml, count=1)
    part._blob = xml.encode("utf-8")
    # The template's thumbnail is a picture of an empty page made on a Mac: not this letter's.
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]


def _page_number_footer(paragraph: Any, family: str, align_right: bool) -> None:
    """GB/T 9704 7.5: 四号 "— N —", odd pages 居右空一字, even pages 居左空一字."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align_right else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    if align_right:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)
    _set_fonts(paragraph.add_run("— "), family, 14)
    run = paragraph.add_run()
    _set_fonts(run, family, 14)
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
    _set_fonts(paragraph.add_run(" —"), family, 14)


def _setup(document: Any, family: str) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    normal = document.styles["Normal"]
    _set_fonts(normal, family, BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    # No extra space between Chinese and Latin text or digits (Word's and LibreOffice's default adds
    # it): the lines break where the PDF's do, and a one-page letter stays on one page.
    ppr = normal.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "0")
        ppr.insert_element_before(flag, *_AFTER_AUTOSPACE)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer.paragraphs[0], family, align_right=True)
    _page_number_footer(section.even_page_footer.paragraphs[0], family, align_right=False)
    _add_font_substitutes(document, family)


def _paragraph(document: Any, family: str, block: Block | None, text: str = "", **fmt: Any) -> Any:
    p = document.add_paragraph()
    if block is None:
        return p
    p.alignment = _ALIGN[block.role]
    pf = p.paragraph_format
    for key, value in fmt.items():
        setattr(pf, key, value)
    # Text stored before inputs lost their control characters must not break the file (XML 1.0).
    run = p.add_run(strip_control(text or block.text))
    if block.role == "title":
        _set_fonts(run, family, TITLE_PT, bold=True)
        pf.line_spacing = Pt(36)
    else:
        _set_fonts(run, family, BODY_PT)
    return p


def render_docx(ctx: LetterContext) -> bytes:
    """One letter as a .docx file (A4, GB/T 9704 margins and fonts)."""
    document = docx.Document()
    family = font_family()
    _setup(document, family)
    _set_properties(document, ctx)
    em = Pt(BODY_PT)
    blocks = ctx.blocks()
    date = next(b for b in blocks if b.role == "signature_date")
    attachment_hang = 2 + width_em("附件：")
    last_text: Any = None  # the last paragraph of text or attachments before the signature
    for block in blocks:
        role = block.role
        if role == "signature_organ" and last_text is not None:
            # Never a page with only the signature: the text's last two lines go along with it.
            last_text.paragraph_format.keep_with_next = True
            last_text.paragraph_format.widow_control = True
        if role == "doc_number":
            _paragraph(document, family, block)  # right under the title, as in the PDF
        elif role == "recipient":
            _paragraph(document, family, None)
            _paragraph(document, family, block)
        elif role in ("body", "note"):
            if role == "note":  # after the signature, and kept on its page
                _paragraph(document, family, None).paragraph_format.keep_with_next = True
            p = last_text = _paragraph(document, family, block, first_line_indent=em * 2)
            # 首行缩进二字 in characters too, so the indent follows the font size if an editor changes it.
            p.paragraph_format.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
        elif role == "attachment":
            if block.first:
                _paragraph(document, family, None)
            first = 2 if block.first else attachment_hang
            last_text = _paragraph(
                document,
                family,
                block,
                left_indent=Pt(BODY_PT * attachment_hang),
                first_line_indent=Pt(BODY_PT * (first - attachment_hang)),
            )
        elif role == "signature_organ":
            # 成文日期右空四字, the organ's name centred over it, the seal pressing on both (7.3.5.1).
            # The mark where the seal goes takes the free line above the organ, as in the PDF (a
            # line of its own would push a one-page letter onto a second page); the signature is
            # kept together on one page.
            center_em = 4 + width_em(date.text) / 2
            seal = Block("signature_organ", "（印章）")
            p = _paragraph(
                document,
                family,
                seal,
                right_indent=Pt(BODY_PT * max(0.0, center_em - 2)),
                keep_with_next=True,
            )
            p.runs[0].font.color.rgb = RGBColor(0x99, 0x99, 0x99)
            _paragraph(
                document,
                family,
                block,
                right_indent=Pt(BODY_PT * max(0.0, center_em - width_em(block.text) / 2)),
                keep_with_next=True,
            )
        elif role == "signature_date":
            _paragraph(document, family, block, right_indent=em * 4, keep_with_next=True)
        else:
            _paragraph(document, family, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
