"""Stories of attachment text: a file's words are found with its record; a bad file ends in a note."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.catalog import extract, search, services
from gongkai.catalog.models import AttachmentText

pytestmark = pytest.mark.django_db


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose content stream shows `text` (ASCII) in Helvetica; xref offsets exact."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
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


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))  # 300 MB of zeros, ~300 KB packed
    assert path.stat().st_size < 2 * 1024 * 1024
    result = extract.extract_file(path, ".docx")
    assert result.state == AttachmentText.State.FAILED
    assert "过大" in result.note


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


def test_a_slow_child_is_stopped_at_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(extract, "TIMEOUT_SECONDS", 1)
    code, _, _ = extract._run(["sleep", "5"])
    assert code == -9
