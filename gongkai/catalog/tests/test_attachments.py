"""Attachments: type checked by content, size limited; public only when the record is published."""

import io

import pytest

from gongkai.catalog import services
from gongkai.catalog.files import FileRejectedError, sniff_attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def publish(record, editor, reviewer):
    """The editor submits, the office reviewer approves and publishes, each at the version they see."""
    record.refresh_from_db()  # adding an attachment is an act on the record: its version moved on
    record = services.do_submit_record(record, actor=editor, expected_version=record.version)
    record = services.do_approve_record(record, actor=reviewer, expected_version=record.version)
    return services.do_publish_record(record, actor=reviewer, expected_version=record.version)


def test_it_accepts_a_real_pdf_and_a_real_xlsx():
    assert sniff_attachment("通告.pdf", PDF).extension == ".pdf"
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert sniff_attachment("统计表.xlsx", buffer.getvalue()).extension == ".xlsx"


def test_it_refuses_a_renamed_file():
    with pytest.raises(FileRejectedError, match="不符"):
        sniff_attachment("report.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    with pytest.raises(FileRejectedError, match="不支持"):
        sniff_attachment("run.pdf", b"MZ\x90\x00 executable")


def test_it_refuses_an_oversized_file(make_record, editor, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    record = make_record()
    with pytest.raises(FileRejectedError, match="过大"):
        services.do_add_attachment(
            record, services.UploadedFile("a.pdf", PDF), actor=editor, expected_version=record.version
        )
    assert not record.attachments.exists()


def test_attachment_is_public_only_once_published(make_record, editor, reviewer, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = make_record()
    attachment = services.do_add_attachment(
        record, services.UploadedFile("通告.pdf", PDF), actor=editor, expected_version=record.version
    )
    url = f"/catalog/r/{record.index_number}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 404
    publish(record, editor, reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_record_page_lists_attachments_only_when_there_are_some(
    make_record, editor, reviewer, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_CACHE_SECONDS = 0
    with_file, without = make_record(), make_record()
    services.do_add_attachment(
        with_file, services.UploadedFile("通告.pdf", PDF), actor=editor, expected_version=with_file.version
    )
    for record in (with_file, without):
        publish(record, editor, reviewer)
    page = client.get(f"/catalog/r/{with_file.index_number}/").content.decode()
    assert 'class="attachments"' in page and "通告.pdf" in page
    page = client.get(f"/catalog/r/{without.index_number}/").content.decode()
    assert 'class="attachments"' not in page
