"""The lines of a report file: plain text (UTF-8 or GB18030), HTML (tables with their merged cells
spread out), DOCX (python-docx: paragraphs and tables in document order) and PDF (pdfplumber:
ruled tables as cells, the rest as paragraphs joined from the printed lines, page numbers dropped)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .lines import Line, text_lines

MAX_SPAN = 60
BLOCKS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "tr",
        "table",
        "center",
        "form",
        "main",
        "nav",
        "aside",
        "figure",
        "figcaption",
        "caption",
        "hr",
        "address",
    ]
)
SKIP = frozenset({"script", "style", "noscript", "head", "title", "template", "svg", "iframe", "object"})
_WS = re.compile(r"[ \t\r\n\f\v]+")
PAGE_NUMBER = re.compile(
    r"^[-—–\s·]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s·]*$"
)
HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
ROW_END = re.compile(r"(?:\s[\d０-９]+(?:\.\d+)?){2,}\s*$")
WRAPPED = re.compile(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])")  # a CJK line wrapped inside a cell
SENTENCE_END = ("。", "：", ":", "！", "？", "；", "”")


class ExtractError(ValueError):
    """The file could not be read; the message says why, in the active language."""


def kind_of(content: bytes, name: str = "") -> str:
    """ "pdf", "docx", "html" or "text", by the content first and the name second."""
    lower = name.lower()
    if content.startswith(b"%PDF"):
        return "pdf"
    if content.startswith(b"PK"):
        return "docx"
    if lower.endswith((".pdf",)):
        return "pdf"
    if lower.endswith((".docx",)):
        return "docx"
    head = content[:4096].lower()
    if lower.endswith((".html", ".htm", ".xhtml")) or re.search(
        rb"<(?:!doctype html|html|body|table|p|div)[\s>]", head
    ):
        return "html"
    return "text"


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("utf-8", errors="replace")


def extract(content: bytes, name: str = "") -> tuple[list[Line], int | None]:
    """The lines of a file and its number of pages (PDF only)."""
    kind = kind_of(content, name)
    if kind == "pdf":
        return pdf_lines(content)
    if kind == "docx":
        return docx_lines(content), None
    if kind == "html":
        return html_lines(decode(content)), None
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(_("无法识别的文件格式：请上传文本、HTML、DOCX 或 PDF 文件。"))
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return text_lines(content.decode("utf-16")), None
    return text_lines(decode(content)), None


# --- HTML ---------------------------------------------------------------------------------------


def html_lines(markup: str) -> list[Line]:
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree

    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)
    if not markup.strip():
        return []
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(_("HTML 无法解析：%(error)s") % {"error": exc}) from exc
    body = root.find("body")
    lines: list[Line] = []
    buffer: list[str] = []

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        for part in text.split("\n"):
            if part.strip():
                lines.extend(text_lines(part))

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIP or not tag:
            if element.tail:
                buffer.append(_WS.sub(" ", element.tail))
            return
        if tag == "table" and _is_data_table(element):
            flush()
            lines.extend(_table_lines(element))
            buffer.append(_WS.sub(" ", element.tail or ""))
            return
        if tag == "br":
            buffer.append("\n")
        block = tag in BLOCKS or tag in ("td", "th")
        if block:
            buffer.append("\n" if tag not in ("td", "th") else " ")
        if tag == "pre":
            buffer.append(element.text_content())
        else:
            buffer.append(_WS.sub(" ", element.text or ""))
            for child in element:
                walk(child)
        if block:
            buffer.append("\n" if tag not in ("td", "th") else " ")
        buffer.append(_WS.sub(" ", element.tail or ""))

    walk(body if body is not None else root)
    flush()
    return lines


def _cell_text(cell: Any) -> str:
    return _WS.sub(" ", cell.text_content()).strip()


def _rows_of(table: Any) -> list[Any]:
    return list(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"))


def _is_data_table(table: Any) -> bool:
    """A table of figures, not a layout table holding the whole page (they are read as text)."""
    if table.xpath(".//table"):
        return False
    for row in _rows_of(table):
        for cell in row.xpath("./td|./th"):
            if len(_cell_text(cell)) > 160:
                return False
    return True


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_SPAN, int(value or 1)))
    except ValueError:
        return 1


def _table_lines(table: Any) -> list[Line]:
    grid: dict[tuple[int, int], str | None] = {}
    rows = _rows_of(table)
    for r, row in enumerate(rows):
        c = 0
        for cell in row.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            text = _cell_text(cell)
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            numeric = bool(re.fullmatch(r"[\d.,\s-]+", text))
            for dr in range(rowspan):
                for dc in range(colspan):
                    # A label spread over several columns is repeated (it stays a label); a number
                    # is kept once, so a merged cell never counts twice.
                    grid[(r + dr, c + dc)] = text if dc == 0 or not numeric else None
            c += colspan
    lines = []
    for r in range(len(rows)):
        cells = [grid[(r, c)] for c in sorted(c for (rr, c) in grid if rr == r)]
        kept = [cell for cell in cells if cell is not None]
        if any(kept):
            lines.append(Line(kept, is_row=True))
    return lines


# --- DOCX ---------------------------------------------------------------------------------------


def docx_lines(content: bytes) -> list[Line]:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    try:
        document = Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:  # broken XML inside
        raise ExtractError(_("DOCX 文件无法打开（文件损坏，或不是 Word 2007 及以后的格式）。")) from exc
    lines: list[Line] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = Paragraph(child, document).text
            for part in text.split("\n"):
                if part.strip():
                    lines.extend(text_lines(part))
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_WS.sub(" ", cell.text).strip())
                if any(cells):
                    lines.append(Line(cells, is_row=True))
    return lines


# --- PDF ----------------------------------------------------------------------------------------


def pdf_lines(content: bytes) -> tuple[list[Line], int]:
    """The text of every page through PDFium (fast); the pages that hold a table are read again
    through pdfplumber, whose ruled-table finder gives each cell (only those: it takes ~50 times as
    long a page). Running headers and footers are dropped, paragraphs joined across lines and pages."""
    import pypdfium2  # type: ignore[import-untyped]

    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError as exc:
        raise ExtractError(_("PDF 文件无法打开（文件损坏或设有密码）。")) from exc
    pages: list[list[Printed]] = []
    tabular: list[int] = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            pages.append(_printed(textpage, text))
            textpage.close()
            # pdfplumber finds ruled tables only among drawn lines and rectangles: a page that
            # draws none is read as text whatever its figures look like.
            if _looks_tabular(text) and _may_hold_ruled_table(page.raw):
                tabular.append(index)
            page.close()
    finally:
        document.close()
    furniture = _furniture(pages)
    by_page: dict[int, list[Line]] = {}
    if tabular:
        by_page.update(_plumber_pages(content, tabular, furniture))
    lines: list[Line] = []
    for index, printed in enumerate(pages):
        kept = [line for line in printed if _furniture_key(line.text) not in furniture]
        lines.extend(by_page.get(index) or _text_page_lines(kept, index + 1))
    return _join_pages(lines), len(pages)


@dataclass(frozen=True)
class Printed:
    """A printed line of a PDF page: its text and where its last character ends (points from the
    page's left edge; None when PDFium's text does not map to its characters), in a font of `size`."""

    text: str
    right: float | None = None
    size: float = 0.0


def _printed(textpage: Any, text: str) -> list[Printed]:
    """The page's printed lines in PDFium's order, page numbers left out, each with its right edge
    (two look-ups a line: the end of a line that continues is at the right margin, indented or not)."""
    import pypdfium2.raw as pdfium  # type: ignore[import-untyped]

    exact = len(text) == textpage.count_chars()  # a character outside the BMP shifts the indexes
    lines = []
    for match in re.finditer(r"[^\r\n]+", text):
        line = match.group().strip()
        if not line or PAGE_NUMBER.match(line):
            continue
        if not exact:
            lines.append(Printed(line))
            continue
        last = match.start() + len(match.group().rstrip()) - 1
        right = textpage.get_charbox(last)[2]
        size = pdfium.FPDFText_GetFontSize(textpage.raw, last)
        lines.append(Printed(line, right, size))
    return lines


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _furniture(pages: list[list[Printed]]) -> frozenset[str]:
    """Running headers and footers: a line that opens or closes at least three pages and half of
    them ("某市公安局2022年政府信息公开工作年度报告", "内部资料 第3期"), digits aside."""
    if len(pages) < 3:
        return frozenset()
    counts: dict[str, int] = {}
    for printed in pages:
        for key in {_furniture_key(line.text) for line in printed[:1] + printed[-1:]}:
            counts[key] = counts.get(key, 0) + 1
    least = max(3, (len(pages) + 1) // 2)
    return frozenset(key for key, count in counts.items() if count >= least)


def _looks_tabular(text: str) -> bool:
    rows = sum(
        1 for line in text.splitlines() if len(re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", line)) >= 3
    )
    compact = re.sub(r"\s+", "", text)
    return rows >= 3 or "结果维持" in compact or ("自然人" in compact and "总计" in compact)


def _may_hold_ruled_table(handle: Any) -> bool:
    """Whether a PDFium page draws what pdfplumber could find a ruled table in: a cell needs two
    horizontal and two vertical edges, so a page with no path, or only a rule under its header, is
    read as text. Counted from each path object's bounds, never fewer edges than it has: a flat
    object is one edge, any other (a rectangle, a grid drawn as one path, a curve) counts as two
    of each."""
    import ctypes

    import pypdfium2.raw as pdfium

    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(value) for value in box]
    edges = [0, 0]  # horizontal, vertical

    def walk(handle: Any, depth: int) -> bool:
        if depth:
            count, get = pdfium.FPDFFormObj_CountObjects, pdfium.FPDFFormObj_GetObject
        else:
            count, get = pdfium.FPDFPage_CountObjects, pdfium.FPDFPage_GetObject
        for index in range(count(handle)):
            obj = get(handle, index)
            kind = pdfium.FPDFPageObj_GetType(obj)
            if kind == pdfium.FPDF_PAGEOBJ_PATH:
                if not pdfium.FPDFPageObj_GetBounds(obj, *refs):
                    edges[0] += 2
                    edges[1] += 2
                else:
                    left, bottom, right, top = (value.value for value in box)
                    # under 3 pt (pdfplumber's shortest edge; the bounds include the stroke): flat
                    flat_h, flat_v = top - bottom < 3, right - left < 3
                    edges[0] += 1 if flat_h else 0 if flat_v else 2
                    edges[1] += 1 if flat_v else 0 if flat_h else 2
                if edges[0] >= 2 and edges[1] >= 2:
                    return True
            elif kind == pdfium.FPDF_PAGEOBJ_FORM and depth < 15 and walk(obj, depth + 1):
                return True
        return False

    return walk(handle, 0)


def _plumber_pages(
    content: bytes, indexes: list[int], furniture: frozenset[str] = frozenset()
) -> dict[int, list[Line]]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    found: dict[int, list[Line]] = {}
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            for index in indexes:
                page = pdf.pages[index]
                lines = _page_lines(page, index + 1, furniture)
                page.close()
                if lines is not None:
                    found[index] = lines
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError):
        return found  # PDFium read the text; the tables are then read from it
    return found


def _width(text: str) -> float:
    """Printed width in ems: CJK full width, ASCII half width."""
    return sum(0.5 if char.isascii() else 1.0 for char in text)


def _full_lines(printed: list[Printed]) -> list[bool]:
    """Which printed lines reach the right margin (so may go on in the next): by where each ends,
    against the margin most long lines end at (a line may overhang it by a punctuation mark); by
    estimated widths when PDFium gave no positions (a first line is indented two characters)."""
    rights = [line.right for line in printed]
    if all(right is not None for right in rights):
        ends = [right for right in rights if right is not None]
        em = _median(line.size for line in printed if line.size > 0) or 10.0
        margin = _median(right for right in ends if right >= max(ends) - 3 * em)
        return [right >= margin - 1.5 * em for right in ends]
    widths = [_width(line.text) for line in printed]
    widest = max(widths)
    usual = _median(width for width in widths if width >= widest - 3)
    return [width >= usual - 3 for width in widths]


def _text_page_lines(printed: list[Printed], page: int) -> list[Line]:
    """A page's printed lines (PDFium's order) joined into paragraphs: a line that reaches the
    right margin continues on the next, unless it ends a sentence or the next begins a heading or
    is a row."""
    if not printed:
        return []
    full = _full_lines(printed)
    paragraphs: list[str] = []
    current: list[str] = []
    for index, line in enumerate(printed):
        text = line.text
        current.append(text)
        following = printed[index + 1].text if index + 1 < len(printed) else None
        if (
            following is None
            or not full[index]
            or text.endswith(SENTENCE_END)
            or HEADING_START.match(following)
            or ROW_END.search(text)
            or ROW_END.search(following)
        ):
            paragraphs.append("".join(current))
            current = []
    lines: list[Line] = []
    for paragraph in paragraphs:
        lines.extend(text_lines(paragraph, page=page))
    return lines


def _page_lines(page: Any, number: int, furniture: frozenset[str] = frozenset()) -> list[Line] | None:
    """One page: its ruled tables as rows, the printed lines around them joined into paragraphs;
    None when it has no ruled table."""
    tables = page.find_tables() if (page.rects or page.lines) else []
    if not tables:
        return None
    boxes = [table.bbox for table in tables]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside)
    printed = [
        line
        for line in text_page.extract_text_lines(return_chars=False)
        if line["text"].strip() and _furniture_key(line["text"]) not in furniture
    ]
    items: list[tuple[float, list[Line]]] = []
    for top, paragraph in _paragraphs(printed, page.width):
        items.append((top, [Line([paragraph], page=number)] if paragraph else []))
    for table in tables:
        rows = []
        for row in table.extract():
            cells = [_WS.sub(" ", WRAPPED.sub("", cell)).strip() for cell in row if cell is not None]
            if any(cells):
                rows.append(Line(cells, page=number, is_row=True))
        items.append((table.bbox[1], rows))
    items.sort(key=lambda item: item[0])
    result: list[Line] = []
    for _top, group in items:
        for line in group:
            if line.is_row:
                result.append(line)
            else:
                result.extend(text_lines(line.cells[0], page=number))
    return result


def _paragraphs(printed: list[dict[str, Any]], width: float) -> Iterator[tuple[float, str]]:
    """Printed lines joined into paragraphs: a line that reaches the right margin continues."""
    kept = [line for line in printed if not PAGE_NUMBER.match(line["text"].strip())]
    if not kept:
        return
    right = max(line["x1"] for line in kept)
    size = _median(line["bottom"] - line["top"] for line in kept) or 10.0
    current: list[str] = []
    top = kept[0]["top"]
    for index, line in enumerate(kept):
        text = line["text"].strip()
        if not current:
            top = line["top"]
        current.append(text)
        following = kept[index + 1] if index + 1 < len(kept) else None
        full = line["x1"] >= right - 1.5 * size
        ends = text.endswith(SENTENCE_END)
        gap = following is not None and following["top"] - line["bottom"] > 1.2 * size
        starts = following is not None and bool(HEADING_START.match(following["text"]))
        row = bool(ROW_END.search(text)) or (
            following is not None and bool(ROW_END.search(following["text"]))
        )
        if following is None or not full or ends or gap or starts or row:
            yield top, "".join(current)
            current = []


def _median(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _join_pages(lines: list[Line]) -> list[Line]:
    """A paragraph broken by a page end goes on where the next page begins."""
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and not previous.is_row
            and not line.is_row
            and previous.page != line.page
            and not previous.cells[0].endswith(SENTENCE_END)
            and not HEADING_START.match(line.cells[0])
            and len(previous.cells[0]) > 30
        ):
            joined[-1] = Line([previous.cells[0] + line.cells[0]], page=previous.page)
            continue
        joined.append(line)
    return joined
