"""core.spreadsheet: hostile uploads are refused by what they hold, within bounds, in Chinese and
English, and the importers built on it import nothing (issue 12)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from gongkai.core import spreadsheet
from gongkai.core.spreadsheet import Limits, SpreadsheetError, read_csv, read_upload, read_xlsx

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replaced(content: bytes, parts: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The workbook with some parts replaced (or added), as a hostile tool would write it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def with_strings(content: bytes, strings: bytes) -> bytes:
    """The workbook with a shared-strings part (openpyxl itself writes strings inline)."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        types = source.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    return replaced(content, {"[Content_Types].xml": types, STRINGS: strings})


def sheet_xml(body: str, dimension: str = "A1:B2") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/>'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def refused(content: bytes, limits: Limits = spreadsheet.DEFAULT_LIMITS) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        read_xlsx(content, limits)
    assert caught.value.message and caught.value.message_en
    return caught.value


def test_shared_strings_are_read():
    strings = f'<?xml version="1.0"?><sst {NS}><si><t>名称</t></si><si><t>通告</t></si></sst>'.encode()
    body = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="B2" t="s"><v>1</v></c></row>'
    content = with_strings(replaced(workbook([["a"]]), {SHEET: sheet_xml(body)}), strings)

    assert read_xlsx(content) == [["名称"], [None, "通告"]]


def test_a_plain_workbook_reads_as_its_rows():
    content = workbook([["名称", "日期"], ["通告", 3], [], [None, "x"]])

    assert read_xlsx(content) == [["名称", "日期"], ["通告", 3], [], [None, "x"]]


def test_a_declared_dimension_of_the_whole_grid_costs_only_what_is_present():
    # A1:XFD1048576: 17 billion cells declared, two present. openpyxl's read-only mode pads to it.
    content = replaced(
        workbook([["a"]]),
        {
            SHEET: sheet_xml(
                '<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>', "A1:XFD1048576"
            )
        },
    )
    assert len(content) < 10_000
    tracemalloc.start()
    started = time.monotonic()
    rows = read_xlsx(content)
    elapsed = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert rows == [["名称"]]
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


def test_a_row_far_down_is_refused_by_its_number_without_reading_the_rows_before():
    content = replaced(
        workbook([["a"]]), {SHEET: sheet_xml('<row r="1048576"><c r="A1048576"><v>1</v></c></row>')}
    )

    error = refused(content)

    assert "行" in error.message and "rows" in error.message_en


def test_a_value_beyond_the_column_limit_is_refused_naming_the_cell():
    content = replaced(workbook([["a"]]), {SHEET: sheet_xml('<row r="3"><c r="XFD3"><v>1</v></c></row>')})

    error = refused(content)

    assert "XFD3" in error.message and "XFD3" in error.message_en


def test_empty_formatted_cells_far_right_are_ignored():
    content = replaced(
        workbook([["a"]]), {SHEET: sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="0"/></row>')}
    )

    assert read_xlsx(content) == [[1]]


def test_one_row_of_a_million_cells_is_stopped_by_the_cells_budget_in_little_memory():
    body = '<row r="1">' + "<c/>" * 1_000_000 + "</row>"
    content = replaced(workbook([["a"]]), {SHEET: sheet_xml(body)})
    tracemalloc.start()
    error = refused(content, Limits(cells=100_000, ratio=10_000))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert "单元格" in error.message and "100,000" in error.message
    assert peak < 40 * 1024 * 1024  # the 4 MB of XML, never a million parsed cells


def test_a_huge_shared_strings_part_is_refused_before_it_is_kept():
    many = "".join(f"<si><t>{i}</t></si>" for i in range(50_000))
    strings = f'<?xml version="1.0"?><sst {NS} count="50000" uniqueCount="50000">{many}</sst>'.encode()
    content = with_strings(workbook([["a", "b"]]), strings)

    error = refused(content, Limits(strings=10_000, ratio=10_000))

    assert "共享字符串" in error.message and "shared strings" in error.message_en


def test_a_shared_string_longer_than_a_cell_may_hold_is_refused():
    strings = f'<?xml version="1.0"?><sst {NS}><si><t>{"长" * 40_000}</t></si></sst>'.encode()
    content = with_strings(workbook([["a"]]), strings)

    error = refused(content, Limits(ratio=10_000))

    assert "32,767" in error.message and "characters" in error.message_en


def test_an_inline_string_longer_than_a_cell_may_hold_is_refused_naming_the_cell():
    body = f'<row r="2"><c r="B2" t="inlineStr"><is><t>{"x" * 100}</t></is></c></row>'
    content = replaced(workbook([["a"]]), {SHEET: sheet_xml(body)})

    error = refused(content, Limits(cell_chars=50))

    assert "B2" in error.message


def test_a_zip_with_a_high_compression_ratio_is_refused_as_a_suspected_bomb():
    # 60 MB of one repeated byte in a member: about 60 KB compressed, a ratio of ~1000.
    bomb = replaced(workbook([["a"]]), {"xl/media/padding.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200_000
    tracemalloc.start()
    error = refused(bomb)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert "压缩比" in error.message and "zip bomb" in error.message_en
    assert peak < 10 * 1024 * 1024  # refused from the directory, nothing decompressed


def test_a_member_holding_more_than_it_declares_is_refused():
    content = workbook([["a"]])
    limits = Limits(bytes=len(content) * 2)
    big = replaced(content, {"xl/media/x.bin": bytes(range(256)) * 4 * 1024}, compression=zipfile.ZIP_STORED)

    error = refused(big, limits)

    assert "MB" in error.message


def test_a_doctype_in_any_part_is_refused():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<worksheet><sheetData/></worksheet>"
    )
    error = refused(replaced(workbook([["a"]]), {SHEET: evil}))

    assert "DOCTYPE" in error.message


@pytest.mark.parametrize(
    ("content", "message", "english"),
    [
        (b"%PDF-1.7\n...", "PDF", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "另存为", "XLS"),
        ("名称,日期\n通告,2015\n".encode(), "不是 XLSX 表格", "not an XLSX"),
        (b"PK\x03\x04 not a zip at all", "已损坏", "damaged"),
        (b"", "空", "empty"),
    ],
    ids=["pdf", "xls", "csv-renamed", "broken-zip", "empty"],
)
def test_a_non_workbook_renamed_xlsx_is_named_as_what_it_is(content, message, english):
    error = refused(content)

    assert message in error.message and english in error.message_en


def test_a_word_document_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    error = refused(out.getvalue())

    assert "不是 XLSX" in error.message


def test_a_sheet_with_broken_xml_is_damaged():
    error = refused(replaced(workbook([["a"]]), {SHEET: b"<worksheet><sheetData><row>"}))

    assert "损坏" in error.message and "damaged" in error.message_en


def test_the_time_budget_stops_a_slow_read():
    ticks = iter(range(0, 10_000, 10))
    content = workbook([[i] for i in range(50)])

    with pytest.raises(SpreadsheetError, match="秒"):
        read_xlsx(content, Limits(seconds=15), clock=lambda: float(next(ticks)))


def test_a_csv_in_gbk_is_read_and_its_encoding_named():
    content = "名称,成文日期\n关于加强户籍管理的通知,2015-06-01\n".encode("gbk")

    sheet = read_upload(content)

    assert sheet.kind == "csv" and sheet.encoding == "gb18030"
    assert sheet.rows == [["名称", "成文日期"], ["关于加强户籍管理的通知", "2015-06-01"]]


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("名称\t日期\n通告\t1\n".encode("utf-16"), "utf-16"),
        ("\ufeff名称;日期\n通告;1\n".encode(), "utf-8-sig"),
        ("名称，说明,日期\n通告，一,1\n".encode(), "utf-8"),
    ],
    ids=["utf16-tab", "bom-semicolon", "fullwidth-comma-is-text"],
)
def test_csv_encodings_and_delimiters(content, encoding):
    sheet = read_upload(content)

    assert sheet.encoding == encoding
    assert len(sheet.rows[0]) == 2


def test_csv_in_an_unknown_encoding_or_with_control_characters_is_refused():
    with pytest.raises(SpreadsheetError, match="字符编码"):
        read_upload("名称\n".encode() + b"\x81\x20\xff")
    with pytest.raises(SpreadsheetError, match="控制字符"):
        read_upload(b"a,b\n\x01\x02,c\n")


def test_csv_bounds_rows_columns_and_cells():
    with pytest.raises(SpreadsheetError, match="行"):
        read_csv("a\n" * 11, limits=Limits(rows=10))
    with pytest.raises(SpreadsheetError, match="列"):
        read_csv(",".join("x" * 300) + "\n")
    with pytest.raises(SpreadsheetError, match="字符"):
        read_csv("a," + "长" * 40_000 + "\n")
    with pytest.raises(SpreadsheetError, match="CSV 格式有误"):
        read_csv('a,"' + "x" * 200_000 + '"\n')  # beyond the csv module's field limit


def test_the_message_follows_the_language():
    error = SpreadsheetError("中文", "English")
    with translation.override("en"):
        assert error.localised() == "English"
    with translation.override("zh-hans"):
        assert error.localised() == "中文"
