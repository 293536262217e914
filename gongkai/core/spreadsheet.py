"""Reading an uploaded spreadsheet (XLSX or CSV) within bounds, for every importer.

An upload is hostile until read: a few kilobytes of XLSX can declare a sheet of 16,384 columns ×
a million rows (`<dimension ref="A1:XFD1048576"/>`), or a ZIP member can expand a thousandfold.
openpyxl's read-only mode trusts the declared dimension and pads every row (and every missing row)
to it, so the cost grew with what the file *declared*: a 1.6 KB file took 6.9 s and 600 MB. Here
the cost follows what the file *holds*, and every quantity has a bound (`Limits`):

- the content: recognised by its first bytes, never by its name (`identify`): a PDF, image or
  Office 97 file renamed .xlsx is named as what it is;
- the ZIP: each member's declared size against its compressed size (`ratio`), the sum of the
  declared sizes (`bytes`), encrypted members refused; then every member is decompressed once,
  counting, so a member that holds more (or other) than it declares is refused as damaged;
- the shared strings: their number (`strings`) and each one's length (`cell_chars`), read as a
  stream before openpyxl keeps them;
- the sheet: streamed cell by cell (each parsed cell is dropped from the XML tree at once, so one
  row of millions of cells costs no more than the cells budget allows), ignoring the declared
  dimension, so only the cells present in the file cost anything; the row number (`rows`), the
  column of any cell holding a value (`columns`; empty formatted cells far right are ignored),
  the number of cells parsed (`cells`), each cell's text (`cell_chars`, Excel's own limit) and
  the time (`seconds`);
- CSV: decoded from UTF-8 (with or without a BOM), UTF-16 with a BOM, or GB18030 (GBK, Excel on
  Chinese Windows), control characters refused; then the same rows, columns, cells, characters
  and time.

Memory follows from these: the decompressed text (≤ `bytes`) and the cells kept (≤ `cells`);
core/tests/test_spreadsheet.py measures it with tracemalloc. A refusal is a `SpreadsheetError`
with the reason in Chinese and English, naming the limit, so the person can split or clean the
file; nothing is returned, so nothing is imported.
"""

from __future__ import annotations

import codecs
import csv
import io
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, iterparse

from django.utils import translation


@dataclass(frozen=True)
class Limits:
    rows: int = 200_010
    columns: int = 256
    cells: int = 5_000_000
    bytes: int = 256 * 1024 * 1024  # decompressed, all ZIP members together (CSV: characters)
    ratio: int = 200  # a member may expand this much (members under 64 KiB count as 64 KiB)
    seconds: float = 120.0
    cell_chars: int = 32_767  # Excel's own limit for one cell
    strings: int = 2_000_000  # shared strings of an XLSX


DEFAULT_LIMITS = Limits()
_RATIO_FLOOR = 64 * 1024
_CHUNK = 1024 * 1024
# No part of an Office file needs a DTD; refusing one keeps entity expansion out of every parser
# that reads the parts (ours and openpyxl's), whatever expat's own protection.
_DOCTYPE = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _SI = f"{_NS}row", f"{_NS}c", f"{_NS}si"


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet within the limits: nothing was read."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(f"{message} ({message_en})")
        self.message = message
        self.message_en = message_en

    def localised(self) -> str:
        """The message in the active language."""
        return self.message_en if (translation.get_language() or "").startswith("en") else self.message


@dataclass
class Sheet:
    """What was read: `kind` "xlsx" or "csv", the CSV's encoding, and the rows (row n at index
    n - 1; a missing row is [])."""

    kind: str
    encoding: str = ""
    rows: list[list[Any]] = field(default_factory=list)


def _column_letters(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Budget:
    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self.deadline = clock() + limits.seconds
        self.cells = 0

    def row(self, number: int) -> None:
        if number > self.limits.rows:
            raise SpreadsheetError(
                f"表格超过 {self.limits.rows:,} 行（第 {number:,} 行），请拆分文件后导入。",
                f"The sheet has more than {self.limits.rows:,} rows (row {number:,}): split the file.",
            )
        self.time(number)

    def time(self, number: int) -> None:
        if self.clock() > self.deadline:
            raise SpreadsheetError(
                f"读取表格超过 {self.limits.seconds:g} 秒，已停止（读到第 {number:,} 行），请拆分文件后导入。",
                f"Reading the sheet took over {self.limits.seconds:g} s and was stopped "
                f"(at row {number:,}): split the file.",
            )

    def add_cells(self, count: int, row: int) -> None:
        self.cells += count
        if self.cells > self.limits.cells:
            raise SpreadsheetError(
                f"表格超过 {self.limits.cells:,} 个单元格，请拆分文件或删除多余的列后导入。",
                f"The sheet has more than {self.limits.cells:,} cells: split the file or delete unused columns.",
            )
        if self.cells % 65_536 == 0:
            self.time(row)

    def column(self, number: int, row: int) -> None:
        if number > self.limits.columns:
            raise SpreadsheetError(
                f"单元格 {_column_letters(number)}{row} 超出了第 {self.limits.columns} 列："
                "请删除多余的列后导入。",
                f"Cell {_column_letters(number)}{row} lies beyond column {self.limits.columns}: "
                "delete the unused columns.",
            )

    def text(self, value: Any, where: str) -> None:
        if isinstance(value, str) and len(value) > self.limits.cell_chars:
            raise SpreadsheetError(
                f"{where}的内容超过 {self.limits.cell_chars:,} 个字符，请缩短后导入。",
                f"{where} holds more than {self.limits.cell_chars:,} characters: shorten it.",
            )


def _damaged() -> SpreadsheetError:
    return SpreadsheetError("XLSX 文件已损坏，无法读取。", "The XLSX file is damaged.")


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF-", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97-2003 (XLS/DOC)"),
    (b"Rar!", "RAR"),
    (b"\x1f\x8b", "GZIP"),
    (b"7z\xbc\xaf", "7Z"),
)


def identify(content: bytes, *, csv_allowed: bool = True) -> str:
    """ "xlsx" or "csv", by content; a file that is neither is refused, named as what it is."""
    if not content.strip():
        raise SpreadsheetError("文件是空的。", "The file is empty.")
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    wanted, wanted_en = (
        ("CSV 或 XLSX 表格", "a CSV or XLSX spreadsheet")
        if csv_allowed
        else ("XLSX 表格", "an XLSX spreadsheet")
    )
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            hint = "请在 Excel 中另存为 .xlsx 或 CSV。" if kind.startswith("Office") else ""
            raise SpreadsheetError(
                f"文件内容是 {kind}，不是{wanted}。{hint}", f"The file contains {kind}, not {wanted_en}."
            )
    if not csv_allowed:
        raise SpreadsheetError(
            "文件不是 XLSX 表格（也许只是改了扩展名），请在 Excel 中另存为 .xlsx 后导入。",
            "The file is not an XLSX spreadsheet (perhaps only renamed): save it as .xlsx in Excel.",
        )
    return "csv"


def check_archive(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a ZIP whose members are encrypted, expand too much, or hold more than they declare."""
    too_big = SpreadsheetError(
        f"文件解压后超过 {limits.bytes // (1024 * 1024)} MB 或压缩比异常，疑似恶意文件，未读取。",
        f"The file expands beyond {limits.bytes // (1024 * 1024)} MB or by an abnormal ratio "
        "(a suspected zip bomb): not read.",
    )
    infos = archive.infolist()
    declared = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise SpreadsheetError(
                "文件已加密，请取消密码后导入。", "The file is encrypted: remove the password."
            )
        declared += info.file_size
        if declared > limits.bytes or info.file_size > limits.ratio * max(info.compress_size, _RATIO_FLOOR):
            raise too_big
    actual = 0
    for info in infos:
        try:
            with archive.open(info) as member:
                tail = b""
                while chunk := member.read(_CHUNK):
                    if any(mark in tail + chunk for mark in _DOCTYPE):
                        raise SpreadsheetError(
                            "文件中含有 XML 文档类型声明（DOCTYPE），疑似恶意文件，未读取。",
                            "The file contains an XML DOCTYPE declaration (suspected attack): not read.",
                        )
                    tail = chunk[-32:]
                    actual += len(chunk)
                    if actual > declared:
                        raise too_big
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise _damaged() from exc  # holds other than it declares (CRC), or not deflate


def _bounded_strings(source: Any, limits: Limits) -> list[str]:
    """The shared-string table, as openpyxl reads it, within `strings` and `cell_chars`; each
    string's element is dropped once read (openpyxl's own reader keeps them all, emptied)."""
    from openpyxl.cell.text import Text

    strings: list[str] = []
    root: Element | None = None
    # The archive was checked: no DOCTYPE in any part (check_archive), so no entities to expand.
    for event, node in iterparse(source, events=("start", "end")):  # noqa: S314
        if event == "start":
            if root is None:
                root = node
            continue
        if node.tag != _SI:
            continue
        if len(strings) >= limits.strings:
            raise SpreadsheetError(
                f"表格的共享字符串超过 {limits.strings:,} 个，请拆分文件后导入。",
                f"The workbook has more than {limits.strings:,} shared strings: split the file.",
            )
        text = Text.from_tree(node).content.replace("x005F_", "")
        if len(text) > limits.cell_chars:
            raise SpreadsheetError(
                f"表格中有单元格的内容超过 {limits.cell_chars:,} 个字符，请缩短后导入。",
                f"A cell holds more than {limits.cell_chars:,} characters: shorten it.",
            )
        strings.append(text)
        if root is not None and len(root) and root[0] is node:
            del root[0]
    return strings


def _open_workbook(content: bytes, limits: Limits) -> Any:
    """openpyxl's load_workbook(read_only=True, data_only=True), with the bounded string reader."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _bounded_strings(source, limits)

    reader = Reader(io.BytesIO(content), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def read_xlsx(
    content: bytes, limits: Limits = DEFAULT_LIMITS, *, clock: Callable[[], float] = time.monotonic
) -> list[list[Any]]:
    """The first sheet's rows (row n at index n - 1; a missing row is []), each up to its last
    cell holding a value; empty cells are None, dates are datetimes (openpyxl's conversion)."""
    identify(content, csv_allowed=False)
    budget = _Budget(limits, clock)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SpreadsheetError("文件已损坏，无法读取。", "The file is damaged and cannot be read.") from exc
    with archive:
        if "xl/workbook.xml" not in set(archive.namelist()):
            raise SpreadsheetError(
                "文件是 ZIP 压缩包或 Word 文档，不是 XLSX 表格。",
                "The file is a ZIP archive or Word document, not an XLSX spreadsheet.",
            )
        check_archive(archive, limits)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of extensions it drops: not the person's concern
        try:
            book = _open_workbook(content, limits)
        except SpreadsheetError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for broken workbooks
            raise _damaged() from exc
        try:
            if not book.worksheets:
                raise SpreadsheetError("文件中没有工作表。", "The workbook has no sheet.")
            sheet = book.worksheets[0]
            with book._archive.open(sheet._worksheet_path) as source:
                return _sheet_rows(source, cell_parser(book, sheet, source), budget)
        except SpreadsheetError:
            raise
        except Exception as exc:  # a malformed sheet: bad XML, a string index out of range, …
            raise _damaged() from exc
        finally:
            book.close()


def cell_parser(book: Any, sheet: Any, source: Any) -> Any:
    """openpyxl's cell parser (types, shared strings, dates) for one sheet of a read-only workbook,
    fed the sheet's XML `source` directly: its read-only rows pad every row to the sheet's declared
    dimension (`A1:XFD4000` in a 1.6 KB file cost 500 MB), the parser costs only what is there. The
    one place that reaches into openpyxl's private reader (the import and catalog/extract.py)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    return WorkSheetParser(
        source,
        sheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )


def _sheet_rows(source: Any, parser: Any, budget: _Budget) -> list[list[Any]]:
    rows: list[list[Any]] = []
    stack: list[Element] = []
    number = 0
    values: dict[int, Any] = {}
    # The archive was checked: no DOCTYPE in any part (check_archive), so no entities to expand.
    for event, element in iterparse(source, events=("start", "end")):  # noqa: S314
        if event == "start":
            stack.append(element)
            if element.tag == _ROW:
                given = element.get("r")
                number = int(given) if given is not None else number + 1
                if number < 1:
                    raise ValueError(f"row {number}")
                budget.row(number)
                parser.row_counter, parser.col_counter = number, 0
                values = {}
            continue
        stack.pop()
        if element.tag == _CELL:
            budget.add_cells(1, number)
            cell = parser.parse_cell(element)
            value = cell["value"]
            if value is not None and value != "":
                budget.column(cell["column"], number)
                budget.text(value, f"单元格 {_column_letters(cell['column'])}{number} ")
                values[cell["column"]] = value
        elif element.tag == _ROW:
            while len(rows) < number - 1:
                rows.append([])
            if len(rows) >= number:  # a row repeated out of order: keep the later cells
                row = rows[number - 1]
            else:
                row = []
                rows.append(row)
            if values:
                row.extend([None] * (max(values) - len(row)))
                for column, value in values.items():
                    row[column - 1] = value
        # Drop each cell, row and part of the sheet once read (a cell's own children are read
        # with it), so the tree never holds more than one cell.
        if stack and (element.tag in (_CELL, _ROW) or len(stack) == 1):
            parent = stack[-1]
            if len(parent) and parent[-1] is element:
                del parent[-1]
    return rows


def decode_text(content: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[str, str]:
    """A CSV upload's text and its encoding (utf-8, utf-8-sig, utf-16, gb18030)."""
    if len(content) > limits.bytes:
        raise SpreadsheetError(
            f"文件超过 {limits.bytes // (1024 * 1024)} MB，请拆分文件后导入。",
            f"The file is larger than {limits.bytes // (1024 * 1024)} MB: split it.",
        )
    try:
        if content.startswith(codecs.BOM_UTF8):
            text, encoding = content[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text, encoding = content.decode("utf-16"), "utf-16"
        elif b"\x00" in content:
            raise SpreadsheetError(
                "文件不是文本表格（含二进制内容），请上传 CSV 或 XLSX。",
                "The file is binary, not a text spreadsheet: upload CSV or XLSX.",
            )
        else:
            try:
                text, encoding = content.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                # Excel on Chinese Windows saves CSV in GBK; GB18030 is its superset.
                text, encoding = content.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            "无法识别文件的字符编码：请另存为“CSV UTF-8”。",
            "Unrecognised character encoding: save the file as “CSV UTF-8”.",
        ) from exc
    if any(ch in text[:4096] for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x7f"):
        raise SpreadsheetError(
            "文件不是文本表格（含控制字符），请上传 CSV 或 XLSX。",
            "The file contains control characters: it is not a CSV file.",
        )
    return text, encoding


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first line: comma, tab or semicolon (a full-width comma is text)."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;，", key=first_line.count)
    return "," if delimiter == "，" else delimiter


def read_csv(
    text: str,
    *,
    delimiter: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    clock: Callable[[], float] = time.monotonic,
) -> list[list[str]]:
    """CSV text's rows (row n at index n - 1), trailing empty fields dropped; the delimiter is
    sniffed from the first line unless given."""
    if len(text) > limits.bytes:
        raise SpreadsheetError(
            f"文件超过 {limits.bytes // (1024 * 1024)} MB，请拆分文件后导入。",
            f"The file is larger than {limits.bytes // (1024 * 1024)} MB: split it.",
        )
    budget = _Budget(limits, clock)
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text))
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            budget.row(number)
            budget.add_cells(len(row), number)
            while row and row[-1] == "":
                row.pop()
            if len(row) > limits.columns:
                budget.column(len(row), number)
            for column, value in enumerate(row, start=1):
                budget.text(value, f"第 {number} 行第 {column} 列")
            rows.append(row)
    except csv.Error as exc:
        raise SpreadsheetError(
            f"CSV 格式有误（第 {number + 1} 行）：{exc}", f"Malformed CSV (row {number + 1}): {exc}"
        ) from exc
    return rows


def read_upload(
    content: bytes, limits: Limits = DEFAULT_LIMITS, *, clock: Callable[[], float] = time.monotonic
) -> Sheet:
    """An uploaded spreadsheet, CSV or XLSX recognised by content, read within `limits`."""
    if identify(content) == "xlsx":
        return Sheet("xlsx", "", read_xlsx(content, limits, clock=clock))
    text, encoding = decode_text(content, limits)
    return Sheet("csv", encoding, read_csv(text, limits=limits, clock=clock))


# -- writing exports -----------------------------------------------------------------------------

# A cell beginning with one of these is a formula to a spreadsheet program (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A text cell for a CSV or XLSX export: quoted with an apostrophe when a spreadsheet program
    would run it as a formula, so a published name such as `=HYPERLINK(…)` stays text."""
    return "'" + value if value.startswith(FORMULA_START) else value
