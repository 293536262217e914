"""Letters as PDF, laid out like GB/T 9704-2012, with a TrueType CJK font embedded as a subset.

reportlab subsets TrueType (glyf) fonts itself in a few milliseconds; it cannot embed the CFF-based
Noto CJK fonts, and subsetting those through fontTools is what made WeasyPrint take ~6 s per page.
The body font is AR PL SungtiL GB (Debian ``fonts-arphic-gbsn00lp``, a GB2312 Song face); characters
it lacks (rare names) are drawn from AR PL UMing CN (``fonts-arphic-uming``). Both paths can be
changed with ``GONGKAI_LETTER_FONT`` and ``GONGKAI_LETTER_FALLBACK_FONT`` (``path`` or ``path:index``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from .context import Block, LetterContext

MM: Final = 72 / 25.4
PAGE_W, PAGE_H = A4
# GB/T 9704-2012 5.2.1: 天头 37 mm, 订口 28 mm; text area 156 x 225 mm.
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
TEXT_W: Final = PAGE_W - LEFT - RIGHT
BODY_SIZE: Final = 16.0  # 三号
TITLE_SIZE: Final = 22.0  # 二号
PITCH: Final = 29.0  # 22 lines in 225 mm
MIN_PITCH: Final = 26.0
TITLE_PITCH: Final = 36.0
SEAL_DIAMETER: Final = 42 * MM
JUSTIFY_MAX_EM: Final = 7.0  # the most a full line is stretched to the right margin

BODY_FONT_CANDIDATES: Final = (
    "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc:0",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:0",
)
FALLBACK_FONT_CANDIDATES: Final = (
    "/usr/share/fonts/truetype/arphic/uming.ttc:0",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0",
)

# 避头尾: punctuation that may not start a line / may not end one.
NO_START: Final = frozenset("，。、；：？！）》」』”’】〕…—·%,.;:?!)]}")
NO_END: Final = frozenset("（《「『“‘【〔([{")
# Words a line must not split (联系电/话 reads as nonsense): with dates (2015年3月2日), numbers with
# their unit (20个工作日, 15元) and Latin words or numbers (the tracking number), each is one token.
KEEP_TOGETHER: Final = (
    "依申请公开",
    "政府信息",
    "联系电话",
    "联系单位",
    "受理编号",
    "信息处理费",
    "工作日",
    "申请人",
    "行政复议",
    "行政诉讼",
    "人民法院",
)
_UNITS: Final = "个工作日|个自然日|工作日|个月|万元|年度|年|月|日|天|元|份|页|件|项|条|号|%|％"
_DIGITS: Final = "[0-9０-９]"
_UNBREAKABLE: Final = re.compile(
    "|".join(
        (
            rf"{_DIGITS}{{2,4}}年{_DIGITS}{{1,2}}月(?:{_DIGITS}{{1,2}}日)?",
            rf"{_DIGITS}{{1,2}}月{_DIGITS}{{1,2}}日",
            rf"〔{_DIGITS}{{4}}〕(?:第)?{_DIGITS}+号",
            rf"(?:第)?[0-9０-９][0-9０-９.]*(?:{_UNITS})",
            "[A-Za-z0-9][A-Za-z0-9\\-./_@]*",
            *sorted(KEEP_TOGETHER, key=len, reverse=True),
        )
    )
)


class FontMissing(RuntimeError):
    pass


# The family of the default body font, as fontconfig and Word name it (the DOCX names it too).
DEFAULT_FAMILY: Final = "AR PL SungtiL GB"


@dataclass(frozen=True)
class _Font:
    name: str
    glyphs: frozenset[int]
    family: str = DEFAULT_FAMILY


def _load(spec: str, name: str) -> _Font | None:
    path, _, index = spec.partition(":") if not Path(spec).exists() else (spec, "", "")
    if not Path(path).exists():
        return None
    font = TTFont(name, path, subfontIndex=int(index or 0))
    pdfmetrics.registerFont(font)
    family = font.face.familyName
    family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family or "")
    return _Font(name, frozenset(font.face.charToGlyph), family or DEFAULT_FAMILY)


@functools.cache
def fonts() -> tuple[_Font, _Font | None]:
    """The body font and the fallback for characters it lacks, registered once per process."""
    env = os.environ.get("GONGKAI_LETTER_FONT")
    body = next(
        (f for spec in ((env,) if env else BODY_FONT_CANDIDATES) if (f := _load(spec, "GongkaiLetter"))), None
    )
    if body is None:
        raise FontMissing(
            "no TrueType CJK font for letters: install the Debian package fonts-arphic-gbsn00lp "
            "or set GONGKAI_LETTER_FONT to a .ttf/.ttc path"
        )
    env = os.environ.get("GONGKAI_LETTER_FALLBACK_FONT")
    fallback = next(
        (
            f
            for spec in ((env,) if env else FALLBACK_FONT_CANDIDATES)
            if (f := _load(spec, "GongkaiLetterFallback"))
        ),
        None,
    )
    return body, fallback


def font_family() -> str:
    """The family name of the face the PDF embeds for its text and title, for the DOCX to name."""
    try:
        return fonts()[0].family
    except FontMissing:
        return DEFAULT_FAMILY


@functools.lru_cache(maxsize=65536)
def _char_font(ch: str) -> str:
    body, fallback = fonts()
    if ord(ch) in body.glyphs or fallback is None or ord(ch) not in fallback.glyphs:
        return body.name
    return fallback.name


@functools.lru_cache(maxsize=65536)
def _char_width(ch: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(ch, _char_font(ch), size))


def _runs(text: str) -> Iterator[tuple[str, str]]:
    """(font name, text) runs: each character in the body font, or the fallback when it lacks it."""
    start, current = 0, ""
    for i, ch in enumerate(text):
        font = _char_font(ch)
        if font != current and i > start:
            yield current, text[start:i]
            start = i
        current = font
    if text[start:]:
        yield current, text[start:]


def _tokens(text: str) -> list[str]:
    """Break opportunities: between CJK characters, but never inside a word of ``KEEP_TOGETHER``, a
    date, a number with its unit or a Latin word; a closing mark sticks to what it follows and an
    opening mark to what it precedes (避头尾, GB/T 15834), so neither begins or ends a line."""
    pieces: list[str] = []
    at = 0
    for match in _UNBREAKABLE.finditer(text):
        pieces.extend(text[at : match.start()])
        pieces.append(match.group())
        at = match.end()
    pieces.extend(text[at:])
    out: list[str] = []
    opening = ""
    for piece in pieces:
        if piece in NO_END:
            opening += piece
        elif piece in NO_START and out and not opening:
            out[-1] += piece
        else:
            out.append(opening + piece)
            opening = ""
    if opening:
        out.append(opening)
    return out


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Greedy CJK line breaking with the 避头尾 rules (no closing mark first, no opening mark last)."""
    lines: list[str] = []
    line: list[str] = []
    used = first_indent
    limit = width
    for token in _tokens(text):
        w = sum(_char_width(ch, size) for ch in token)
        if line and used + w > limit + 0.01:
            carry: list[str] = []
            while len(line) > 1 and (carry[0] if carry else token)[0] in NO_START:
                carry.insert(0, line.pop())
            while len(line) > 1 and line[-1][-1] in NO_END:
                carry.insert(0, line.pop())
            lines.append("".join(line))
            line = carry
            used = sum(_char_width(ch, size) for t in carry for ch in t)
        line.append(token)
        used += w
    if line or not lines:
        lines.append("".join(line))
    return lines


def text_width(text: str, size: float) -> float:
    return sum(_char_width(ch, size) for ch in text)


@dataclass
class _Line:
    role: str
    text: str
    x: float
    size: float
    pitch: float
    justify_to: float = 0.0  # full line of a justified paragraph: its width


def _layout(blocks: list[Block]) -> list[_Line]:
    em = BODY_SIZE
    out: list[_Line] = []
    for block in blocks:
        if block.role == "title":
            for line in wrap(block.text, TEXT_W, TITLE_SIZE):
                w = text_width(line, TITLE_SIZE)
                out.append(_Line("title", line, LEFT + (TEXT_W - w) / 2, TITLE_SIZE, TITLE_PITCH))
        elif block.role == "doc_number":
            # Right under the title (no free line: with it, a letter that fits one page would not).
            w = text_width(block.text, em)
            out.append(_Line("doc_number", block.text, LEFT + (TEXT_W - w) / 2, em, PITCH))
        elif block.role == "recipient":
            out.append(_Line("blank", "", 0, em, PITCH))
            out.extend(_Line("recipient", t, LEFT, em, PITCH) for t in wrap(block.text, TEXT_W, em))
        elif block.role in ("body", "note"):
            if block.role == "note":
                out.append(_Line("blank", "", 0, em, PITCH))  # clear of the seal circle
            lines = wrap(block.text, TEXT_W, em, first_indent=2 * em)
            for i, t in enumerate(lines):
                x = LEFT + (2 * em if i == 0 else 0)
                full = TEXT_W - (x - LEFT) if i < len(lines) - 1 else 0.0
                out.append(_Line(block.role, t, x, em, PITCH, full))
        elif block.role == "attachment":
            # GB/T 9704 7.3.3: 附件说明 one line below the text, 左空二字; items aligned after "附件：".
            if block.first:
                out.append(_Line("blank", "", 0, em, PITCH))
            indent = 2 * em + (0 if block.first else text_width("附件：", em))
            hang = 2 * em + text_width("附件：", em)
            lines = wrap(block.text, TEXT_W - hang, em, first_indent=indent - hang)
            for i, t in enumerate(lines):
                out.append(_Line("attachment", t, LEFT + (indent if i == 0 else hang), em, PITCH))
        elif block.role == "signature_organ":
            # One free line above: the seal's top stays within one line of the text (7.3.5.1).
            out.append(_Line("blank", "", 0, em, PITCH))
            out.append(_Line("signature_organ", block.text, 0, em, PITCH))
        elif block.role == "signature_date":
            # 成文日期右空四字; the organ's name centred over the date.
            date_w = text_width(block.text, em)
            date_x = LEFT + TEXT_W - 4 * em - date_w
            organ = out[-1]
            organ_w = text_width(organ.text, em)
            organ.x = min(date_x + (date_w - organ_w) / 2, LEFT + TEXT_W - organ_w)
            out.append(_Line("signature_date", block.text, date_x, em, PITCH))
    return out


def _paginate(lines: list[_Line]) -> list[list[tuple[_Line, float]]]:
    """(line, baseline y) per page. The signature block (blank, organ, date, note) is kept together;
    a letter a few lines too long for one page is set tighter (down to 26 pt) instead of spilling
    its signature onto a page of its own (GB/T 9704 7.3.5.1 asks to adjust spacing rather)."""
    capacity = PAGE_H - TOP - BOTTOM
    total = sum(line.pitch for line in lines)
    if capacity < total <= capacity * PITCH / MIN_PITCH:
        scale = capacity / total
        for line in lines:
            line.pitch *= scale
    start = next((i for i, line in enumerate(lines) if line.role == "signature_organ"), len(lines)) - 1
    keep = sum(line.pitch for line in lines[start:])
    pages: list[list[tuple[_Line, float]]] = [[]]
    y = PAGE_H - TOP
    for i, line in enumerate(lines):
        need = keep if i == start else line.pitch
        if y - need < BOTTOM - 0.5 and pages[-1]:
            # Never a page with only the signature: the last two lines of text go along with it.
            carried = pages[-1][-2:] if i == start and len(pages[-1]) > 4 else []
            del pages[-1][len(pages[-1]) - len(carried) :]
            pages.append([])
            y = PAGE_H - TOP
            for moved, _ in carried:
                pages[-1].append((moved, y - moved.pitch / 2 - moved.size * 0.38))
                y -= moved.pitch
            if line.role == "blank" and not carried:
                continue
        baseline = y - line.pitch / 2 - line.size * 0.38
        pages[-1].append((line, baseline))
        y -= line.pitch
    return pages


def justify_pieces(text: str, extra: float, size: float) -> list[tuple[str, float]]:
    """(text, character spacing) pieces that spread ``extra`` points over a full line of a justified
    paragraph between its break opportunities, never inside a number or a Latin word (1 0 0 元): the
    last character of each token but the line's last carries the gap. A word or date kept whole may
    leave several ems; up to JUSTIFY_MAX_EM are spread rather than leave a ragged right edge."""
    tokens = _tokens(text)
    if len(tokens) < 2 or not 0 < extra <= size * JUSTIFY_MAX_EM:
        return [(text, 0.0)]
    gap = extra / (len(tokens) - 1)
    pieces = [piece for t in tokens[:-1] for piece in ((t[:-1], 0.0), (t[-1], gap))]
    pieces.append((tokens[-1], 0.0))
    return [(piece, space) for piece, space in pieces if piece]


def _draw_text(canvas: Canvas, line: _Line, baseline: float) -> None:
    # Render mode and character spacing are text state, which outlives the text object (PDF 9.3):
    # Tc is always set; the title's render mode is undone by its own q/Q.
    canvas.saveState()
    text = canvas.beginText(line.x, baseline)
    if line.role == "title":
        # No bold 小标宋 TrueType face is packaged: fill and stroke the Song face to thicken it.
        canvas.setLineWidth(0.7)
        text.setTextRenderMode(2)
    extra = line.justify_to - text_width(line.text, line.size) if line.justify_to else 0.0
    pieces = justify_pieces(line.text, extra, line.size)
    for piece, space in pieces:
        text.setCharSpace(space)
        for font, run in _runs(piece):
            text.setFont(font, line.size)
            text.textOut(run)
    canvas.drawText(text)
    canvas.restoreState()


def _draw_seal(canvas: Canvas, organ: tuple[_Line, float], date: tuple[_Line, float]) -> None:
    """Where the seal goes: a dashed circle pressing on the organ's name and the date (7.3.5.1)."""
    date_line, date_y = date
    cx = date_line.x + text_width(date_line.text, date_line.size) / 2
    cy = (organ[1] + date_y) / 2 + date_line.size * 0.8
    canvas.saveState()
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.setFillColorRGB(0.6, 0.6, 0.6)
    canvas.setLineWidth(0.6)
    canvas.setDash(3, 3)
    canvas.circle(cx, cy, SEAL_DIAMETER / 2, stroke=1, fill=0)
    label = "（印章）"
    size = 12.0
    text = canvas.beginText(cx - text_width(label, size) / 2, cy + SEAL_DIAMETER / 4)
    text.setCharSpace(0)
    text.setFont(fonts()[0].name, size)
    text.textOut(label)
    canvas.drawText(text)
    canvas.restoreState()


def _draw_page_number(canvas: Canvas, number: int) -> None:
    """GB/T 9704 7.5: "— 1 —" 7 mm under the text area, odd pages right, even pages left (空一字)."""
    label = f"— {number} —"
    size = 14.0  # 四号
    w = text_width(label, size)
    x = LEFT + TEXT_W - size - w if number % 2 else LEFT + size
    text = canvas.beginText(x, BOTTOM - 7 * MM - size * 0.8)
    text.setCharSpace(0)
    text.setFont(fonts()[0].name, size)
    text.textOut(label)
    canvas.drawText(text)


PRODUCER: Final = "Gongkai"


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}000000+00'00'"


def _set_info(canvas: Canvas, ctx: LetterContext) -> None:
    """The document information: dated the day the letter bears (the act's date, never the time it
    was rendered), by the agency; subject and keywords name the kind and the case, no person."""
    canvas.setTitle(unicodedata.normalize("NFC", ctx.title.replace("\n", "")))
    canvas.setAuthor(ctx.issuing_organ)
    canvas.setSubject(ctx.kind_name)
    canvas.setKeywords(ctx.keywords)
    canvas.setCreator(PRODUCER)
    canvas.setProducer(PRODUCER)
    day = ctx.date_issued
    canvas.setDateFormatter(lambda *_ymdhms: _pdf_date(day))


def render_pdf(ctx: LetterContext) -> bytes:
    """One letter as PDF bytes (A4, GB/T 9704 margins, CJK font embedded as a subset)."""
    body_font = fonts()[0].name
    pages = _paginate(_layout(ctx.blocks()))
    out = io.BytesIO()
    canvas = Canvas(
        out,
        pagesize=A4,
        initialFontName=body_font,
        initialFontSize=BODY_SIZE,
        pageCompression=1,
        invariant=1,  # no wall-clock time in the file: the same letter renders to the same bytes
    )
    _set_info(canvas, ctx)
    canvas.setLineWidth(0.5)
    for number, page in enumerate(pages, start=1):
        canvas.setLineWidth(0.5)
        organ = date = None
        for line, baseline in page:
            if line.role == "blank":
                continue
            _draw_text(canvas, line, baseline)
            if line.role == "signature_organ":
                organ = (line, baseline)
            elif line.role == "signature_date":
                date = (line, baseline)
        if organ and date:
            _draw_seal(canvas, organ, date)
        _draw_page_number(canvas, number)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
