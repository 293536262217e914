"""Stories of attachment text: a file's words are found with its record; a bad file ends in a note."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import sys
import time
import zipfile

import pytest

from gongkai.catalog import extract, search, services
from gongkai.catalog.models import AttachmentText

pytestmark = pytest.mark.django_db


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose content stream shows `text` (ASCII) in Helvetica; xref offsets exact."""
    return pdf_with_pages([text])


def pdf_with_pages(texts: list[str]) -> bytes:
    """A PDF of one page per text (ASCII, Helvetica); xref offsets exact."""
    count = len(texts)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[" + kids + b"]/Count %d>>" % count,
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    for i, text in enumerate(texts):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 3 0 R>>>>"
            b"/Contents %d 0 R>>" % (5 + 2 * i)
        )
        objects.append(b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add(record, editor, name, content):
    return services.do_add_attachment(
        record, services.UploadedFile(name, content), actor=editor, expected_version=record.version
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_finds_a_published_record_by_words_inside_its_word_file(
    make_record, reviewer, media, django_capture_on_commit_callbacks
):
    record = make_record(status="published", name="年度报告", summary="", body="<p>见附件</p>")
    with django_capture_on_commit_callbacks(execute=True):
        attachment = add(record, reviewer, "统计表.docx", docx_with("全年受理出入境证件申请一万二千件"))

    text = AttachmentText.objects.get(attachment=attachment)
    assert text.state == AttachmentText.State.DONE
    result = search.search("出入境证件")
    assert [h.record_id for h in result.hits] == [record.pk]
    hit = result.hits[0]
    assert hit.attachment_id == attachment.pk
    assert hit.attachment_name == "统计表.docx"
    assert "<mark>出入境证件</mark>" in hit.snippet_html
    # a term of the record and a term of the file together
    assert [h.record_id for h in search.search("年度报告 一万二千").hits] == [record.pk]
    assert search.search("年度报告 不存在的词").hits == []


def test_withdrawing_the_record_takes_its_file_text_out_of_the_index(
    make_record, reviewer, media, django_capture_on_commit_callbacks
):
    record = make_record(status="published", name="通告", summary="", body="<p>正文</p>")
    with django_capture_on_commit_callbacks(execute=True):
        add(record, reviewer, "细则.docx", docx_with("危险化学品运输许可细则"))
    assert search.search("运输许可").total == 1
    record.refresh_from_db()
    services.do_withdraw_record(record, actor=reviewer, expected_version=record.version, reason="过期")
    assert search.search("运输许可").total == 0


def test_a_pdf_text_layer_is_read_and_a_page_without_text_is_flagged_as_a_scan(tmp_path):
    good = tmp_path / "a.pdf"
    good.write_bytes(pdf_with_text("Border visa notice 2015 annual figures"))
    result = extract.extract_file(good, ".pdf")
    assert result.state == AttachmentText.State.DONE
    assert "visa notice" in result.text
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_with_text(""))
    flagged = extract.extract_file(scan, ".pdf")
    assert flagged.state == AttachmentText.State.SCAN
    assert "扫描件" in flagged.note


@pytest.mark.parametrize("extension", [".pdf", ".docx", ".xlsx"])
def test_a_broken_file_fails_cleanly_with_a_note(tmp_path, extension):
    path = tmp_path / f"broken{extension}"
    path.write_bytes((b"%PDF-1.4\n" if extension == ".pdf" else b"PK\x03\x04") + b"\x00garbage" * 50)
    result = extract.extract_file(path, extension)
    assert result.state == AttachmentText.State.FAILED
    assert "损坏" in result.note


def test_an_encrypted_pdf_fails_with_a_note(tmp_path):
    pdf = pdf_with_text("secret").replace(
        b"trailer<<",
        b"trailer<</Encrypt<</Filter/Standard/V 1/R 2/O(xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)"
        b"/U(yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy)/P -4>>/ID[<00112233445566778899aabbccddeeff><00112233445566778899aabbccddeeff>]",
    )
    path = tmp_path / "locked.pdf"
    path.write_bytes(pdf)
    result = extract.extract_file(path, ".pdf")
    assert result.state == AttachmentText.State.FAILED
    assert result.note


def test_a_slow_child_is_stopped_at_the_timeout():
    code, _, _ = extract._run(["sleep", "5"], extract.Limits(seconds=1))
    assert code == extract.KILLED


# ---------------------------------------------------------------------------------------------
# Bounds: a hostile or huge file costs a bounded time and memory, and says what happened.


def xlsx_with(rows: list[list[object]], sheets: int = 1) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for number in range(sheets):
        sheet = book.active if number == 0 else book.create_sheet()
        sheet.title = f"表{number + 1}"
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def written(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def zip_bomb(path, extension):
    part = "word/document.xml" if extension == ".docx" else "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, b"0" * (40 * 1024 * 1024))  # 40 MB of zeros, ~40 KB packed
    return path


@pytest.mark.parametrize("extension", [".docx", ".xlsx"])
def test_it_refuses_a_zip_bomb_from_its_directory_in_moments(tmp_path, extension):
    path = zip_bomb(tmp_path / f"bomb{extension}", extension)
    assert path.stat().st_size < 200 * 1024
    started = time.monotonic()
    result = extract.extract_file(path, extension)
    assert time.monotonic() - started < 5  # a process start; the 40 MB are never unpacked
    assert result.state == AttachmentText.State.FAILED
    assert "疑似恶意文件" in result.note


def test_it_refuses_a_zip_whose_parts_together_expand_too_much_or_are_too_many(tmp_path):
    path = written(tmp_path, "big.docx", docx_with("正文" * 20_000))
    small = extract.Limits(zip_bytes=64 * 1024)
    assert "过大" in extract.extract_file(path, ".docx", small).note
    few = extract.Limits(zip_members=3)
    assert "过大" in extract.extract_file(path, ".docx", few).note
    assert extract.extract_file(path, ".docx").state == AttachmentText.State.DONE


def test_it_cuts_a_text_over_the_configured_cap_and_logs_it(tmp_path, settings, caplog):
    settings.CATALOG_EXTRACT_MAX_CHARS = 1_000
    path = written(tmp_path, "long.docx", docx_with("出入境管理" * 2_000))
    with caplog.at_level(logging.INFO, logger="gongkai.catalog.extract"):
        result = extract.extract_file(path, ".docx")
    assert result.state == AttachmentText.State.DONE
    assert len(result.text) == 1_000
    assert result.text.startswith("出入境管理出入境管理")
    assert result.note == "文字过长，只检索前 1,000 个字符。"
    assert any("long.docx cut" in r.getMessage() for r in caplog.records)


def test_a_pdf_is_read_to_its_page_bound_and_says_so(tmp_path):
    path = written(
        tmp_path, "many.pdf", pdf_with_pages([f"Page number {n} of the report" for n in range(1, 6)])
    )
    whole = extract.extract_file(path, ".pdf", extract.Limits(pages=5))
    assert whole.pages == 5 and "number 5" in whole.text and whole.note == ""
    cut = extract.extract_file(path, ".pdf", extract.Limits(pages=3))
    assert cut.state == AttachmentText.State.DONE
    assert cut.pages == 3
    assert "number 3" in cut.text and "number 4" not in cut.text
    assert cut.note == "文件过长，只检索前 3 页。"


def test_a_spreadsheet_is_read_to_its_sheet_and_row_bounds(tmp_path):
    path = written(tmp_path, "t.xlsx", xlsx_with([[f"行{n}", n] for n in range(1, 21)], sheets=3))
    whole = extract.extract_file(path, ".xlsx")
    assert whole.note == "" and "表3" in whole.text and "行20\t20" in whole.text
    rows = extract.extract_file(path, ".xlsx", extract.Limits(rows=25))
    assert "行5\t5" in rows.text and "表2" in rows.text and "表3" not in rows.text
    assert rows.note == "文件过大，只检索前 25 行。"
    sheets = extract.extract_file(path, ".xlsx", extract.Limits(sheets=2))
    assert "表2" in sheets.text and "表3" not in sheets.text
    assert sheets.note == "文件过大，只检索前 2 个工作表。"


def test_a_spreadsheet_declaring_a_huge_sheet_costs_only_what_it_holds(tmp_path):
    content = xlsx_with([["申请人", "件数"], ["边境", 12]])
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<dimension ref="A1:B2"/>', '<dimension ref="A1:XFD1048576"/>')
    assert "A1:XFD1048576" in sheet
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>远处</t></is></c></row>'
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", far + "</sheetData>").encode()
    path = tmp_path / "declared.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    started = time.monotonic()
    result = extract.extract_file(path, ".xlsx")
    assert time.monotonic() - started < 5
    assert result.state == AttachmentText.State.DONE
    assert "边境\t12" in result.text
    assert "远处" not in result.text  # beyond the columns read


def child_with_parser(body: str):
    """A `_child_command` whose child runs the real `main` with its parser replaced by `body`."""

    def command(extension, path, limits):
        code = (
            "import sys, time\n"
            "from gongkai.catalog import extract\n"
            f"def parser(path, limits, write):\n    {body}\n"
            "extract.PARSERS[sys.argv[1]] = parser\n"
            "sys.exit(extract.main(sys.argv[1:]))\n"
        )
        return [sys.executable, "-c", code, extension, str(path), json.dumps(dataclasses.asdict(limits))]

    return command


@pytest.mark.parametrize("body", ["time.sleep(60)", "while True: pass"], ids=["sleeps", "spins"])
def test_a_parser_that_hangs_is_killed_at_the_limit_and_reported(tmp_path, monkeypatch, body):
    monkeypatch.setattr(extract, "_child_command", child_with_parser(body))
    path = written(tmp_path, "stuck.docx", docx_with("正文"))
    started = time.monotonic()
    result = extract.extract_file(path, ".docx", extract.Limits(seconds=2))
    assert time.monotonic() - started < 6
    assert result.state == AttachmentText.State.FAILED
    assert result.note == "提取超过 2 秒，已停止，未提取文字。"


@pytest.mark.parametrize(
    "body",
    [
        "write.line(str(len(bytearray(2 * 1024 ** 3))))",
        "kept = [bytearray(16 * 1024 ** 2) for _ in range(1_000)]",
    ],
    ids=["at-once", "growing"],
)
def test_a_parser_allocating_too_much_is_stopped_at_the_memory_limit(tmp_path, monkeypatch, body):
    monkeypatch.setattr(extract, "_child_command", child_with_parser(body))
    path = written(tmp_path, "greedy.xlsx", xlsx_with([["a"]]))
    result = extract.extract_file(path, ".xlsx", extract.Limits(memory=512 * 1024 * 1024))
    assert result.state == AttachmentText.State.FAILED
    assert result.note == "提取超出内存限制（512 MB），已停止，未提取文字。"
    assert result.text == ""


def test_a_file_whose_parser_hangs_is_kept_and_staff_see_why_it_is_not_searchable(
    make_record, reviewer, media, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CATALOG_EXTRACT_SECONDS = 1
    monkeypatch.setattr(extract, "_child_command", child_with_parser("time.sleep(60)"))
    record = make_record(status="published", name="通告", summary="", body="<p>正文</p>")
    with django_capture_on_commit_callbacks(execute=True):
        attachment = add(record, reviewer, "卡住.docx", docx_with("不会被检索的词语"))

    text = AttachmentText.objects.get(attachment=attachment)
    assert text.state == AttachmentText.State.FAILED
    assert text.note == "提取超过 1 秒，已停止，未提取文字。"
    assert search.search("检索的词语").total == 0
    client.force_login(reviewer)
    page = client.get(f"/workbench/records/{record.pk}/").content.decode()
    assert "卡住.docx" in page and "提取超过 1 秒" in page


def test_staff_see_that_a_long_file_is_searchable_only_in_part(
    make_record, reviewer, media, client, settings, django_capture_on_commit_callbacks
):
    settings.CATALOG_EXTRACT_MAX_CHARS = 100
    record = make_record(status="published", name="通告", summary="", body="<p>正文</p>")
    with django_capture_on_commit_callbacks(execute=True):
        attachment = add(record, reviewer, "长文.docx", docx_with("开头的词语" + "填充" * 500 + "末尾的词语"))

    assert AttachmentText.objects.get(attachment=attachment).state == AttachmentText.State.DONE
    assert search.search("开头的词语").total == 1
    assert search.search("末尾的词语").total == 0
    client.force_login(reviewer)
    page = client.get(f"/workbench/records/{record.pk}/").content.decode()
    assert "文字过长，只检索前 100 个字符。" in page


def test_the_pdf_reader_inherits_the_memory_limit_and_a_missing_reader_is_named():
    limits = extract.Limits(memory=512 * 1024 * 1024)
    greedy = extract._bounded(limits, sys.executable, "-c", "bytearray(2 * 1024 ** 3)")
    code, _, err = extract._run(greedy, limits)
    assert code == 1 and "MemoryError" in err
    code, _, _ = extract._run(extract._bounded(limits, "no-such-reader-here"), limits)
    assert code == extract.EXIT_NO_PROGRAM
    assert extract._failure(code, "", ".pdf", limits) == "无法启动文字提取程序，未提取文字。"
