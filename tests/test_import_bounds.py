"""The catalog and powers importers read through core.spreadsheet: a hostile file is refused with
a clear message in Chinese (and English) and nothing is imported (issue 12)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook

from gongkai.catalog.importer import import_file
from gongkai.catalog.models import Record
from gongkai.core.models import AuditEvent
from gongkai.powers import importer as powers_importer
from gongkai.powers.models import PowerItem
from gongkai.powers.services import PowersError

NOW = timezone.make_aware(dt.datetime(2016, 3, 1, 10, 0))
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook(rows):
    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with(content, parts):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def dimension_bomb(header):
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(header)
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{cells}</row><row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    return _with(_workbook([["x"]]), {SHEET: sheet.encode()})


def zip_bomb():
    return _with(_workbook([["名称"]]), {"xl/media/image1.bin": b"\0" * (40 * 1024 * 1024)})


HOSTILE = {
    "dimension": (lambda: dimension_bomb(["名称", "成文日期"]), "行", "rows"),
    "zip-bomb": (zip_bomb, "压缩比", "zip bomb"),
    "pdf-renamed": (lambda: b"%PDF-1.4\n%...", "PDF", "PDF"),
    "broken-zip": (lambda: b"PK\x03\x04garbage", "损坏", "damaged"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_the_catalog_import_refuses_a_hostile_file_and_imports_nothing(case, reviewer):
    make, message, english = HOSTILE[case]

    report = import_file("catalog.xlsx", make(), actor=reviewer, now=NOW)

    assert report.file_error is not None
    assert message in report.file_error.message
    assert english in report.file_error.message_en
    assert report.imported == 0
    assert not Record.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="catalog.import").exists()


def test_the_catalog_import_reads_a_gbk_csv(reviewer):
    header = "名称,成文日期,发布机构,主题分类,责任部门\n"
    content = (
        header + "关于延吉口岸签证业务启动的通告,2015-06-01,吉林省公安厅,规范性文件,出入境管理局\n"
    ).encode("gbk")

    report = import_file("catalog.csv", content, actor=reviewer, now=NOW, dry_run=True)

    assert report.file_error is None, report.file_error
    assert report.encoding == "gb18030" and report.total == 1


@pytest.mark.parametrize("case", [*HOSTILE, "csv-renamed"])
def test_the_powers_import_refuses_a_hostile_file_and_imports_nothing(case, editor):
    if case == "csv-renamed":
        content, message, english = "事项名称\n护照\n".encode(), "不是 XLSX", "not an XLSX"
    else:
        make, message, english = HOSTILE[case]
        content = make() if case != "dimension" else dimension_bomb(["职权类别", "事项编码"])

    with pytest.raises(PowersError, match=message):
        powers_importer.import_items(content, actor=editor)
    with translation.override("en"), pytest.raises(PowersError, match=english):
        powers_importer.import_items(content, actor=editor)
    assert not PowerItem.objects.exists()
