"""The workbench page of the report checker: a report uploaded or pasted, its problems shown with
their places before the checks that passed; a file it cannot read refused in words, the pasted
text kept; only the report's readers let in; nothing stored."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PASSWORD
from gongkai.annualreport.checker.tests import fixtures
from gongkai.annualreport.views import checker as checker_view
from gongkai.core.models import AuditEvent

URL = reverse("workbench:annualreport_staff:check")
PRESS = "某局2015年政府信息公开工作年度报告\n共召开新闻发布会20场，其中以省政府名义召开3场、以本机关名义召开17场。\n"


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _small_docx() -> bytes:
    from docx import Document

    document = Document()
    for line in PRESS.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_it_shows_the_form_to_a_reader(client, reviewer):
    page = _login(client, reviewer).get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html and 'name="text"' in html
    assert ".docx" in html and "检查结果" not in html


def test_it_checks_an_uploaded_docx_problems_first_with_their_places(client, reviewer):
    content = fixtures.to_docx(fixtures.national_report(errors=True))
    upload = SimpleUploadedFile("某市公安局2022年报告.docx", content)
    events = AuditEvent.objects.count()
    page = _login(client, reviewer).post(URL, {"file": upload, "text": ""})
    html = page.content.decode()
    assert page.status_code == 200
    assert "检查结果：某市公安局2022年报告.docx" in html and "2022年度" in html and "全国统一格式" in html
    assert "统计期限与报告年度不符" in html
    assert "表三" in html and "“自然人”列" in html  # a table's place: table, row, column
    assert "第2段" in html  # a paragraph's place
    assert html.index("统计期限与报告年度不符") < html.index("核对无误")
    assert "1208 + 1124 + 924 = 3256" in html
    assert AuditEvent.objects.count() == events  # nothing is stored


def test_it_checks_a_small_docx_made_by_word(client, leader):
    upload = SimpleUploadedFile("report.docx", _small_docx())
    html = _login(client, leader).post(URL, {"file": upload}).content.decode()
    assert "2015年度" in html and "3 + 17 = 20" in html


def test_it_checks_pasted_text(client, reviewer):
    text = PRESS.replace("17场", "18场")
    page = _login(client, reviewer).post(URL, {"text": text, "year": ""})
    html = page.content.decode()
    assert page.status_code == 200 and "检查结果：粘贴的文字" in html
    assert "各部分之和与总数不符" in html and "第2段" in html
    assert "以本机关名义召开18场" in html  # the textarea keeps the text for a correction


def test_a_year_typed_overrides_the_title(client, reviewer):
    html = _login(client, reviewer).post(URL, {"text": PRESS, "year": "2016"}).content.decode()
    assert "2016年度" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.xlsx",
            b"PK\x03\x04whatever",
            "只能检查文本（TXT）、网页（HTML）、Word（DOCX）或 PDF 文件。",
        ),
        ("report.docx", b"PK\x03\x04not a zip at all", "DOCX 文件无法打开"),
        ("report.pdf", b"%PDF-1.4 broken", "PDF 文件无法打开"),
        ("report.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "无法识别的文件格式"),
    ],
)
def test_a_wrong_or_broken_file_is_refused_in_words_and_the_text_kept(
    client, reviewer, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    page = _login(client, reviewer).post(URL, {"file": upload, "text": "粘贴的草稿一段"})
    html = page.content.decode()
    assert page.status_code == 400
    assert message in html and 'role="alert"' in html and f"“{name}”未能检查" in html
    assert "粘贴的草稿一段" in html and "检查结果" not in html


def test_a_docx_whose_xml_is_broken_is_refused_in_words(client, reviewer):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<broken")
        archive.writestr("word/document.xml", "<w:document")
    upload = SimpleUploadedFile("broken.docx", out.getvalue())
    page = _login(client, reviewer).post(URL, {"file": upload})
    assert page.status_code == 400 and "DOCX 文件无法打开" in page.content.decode()


def test_a_file_over_the_limit_is_refused(client, reviewer, monkeypatch):
    monkeypatch.setattr(checker_view, "MAX_BYTES", 100)
    upload = SimpleUploadedFile("big.txt", PRESS.encode() * 10)
    page = _login(client, reviewer).post(URL, {"file": upload})
    assert page.status_code == 400 and "文件超过" in page.content.decode()


def test_a_zip_bomb_is_refused_unread(client, reviewer, monkeypatch):
    monkeypatch.setattr(checker_view, "ZIP_MAX_BYTES", 1000)
    upload = SimpleUploadedFile("report.docx", _small_docx())
    page = _login(client, reviewer).post(URL, {"file": upload})
    assert page.status_code == 400 and "解压后过大" in page.content.decode()


def test_nothing_chosen_nor_pasted_is_asked_for(client, reviewer):
    page = _login(client, reviewer).post(URL, {"text": "  ", "year": "abc"})
    assert page.status_code == 400 and "四位数字" in page.content.decode()
    page = client.post(URL, {"text": "  "})
    assert page.status_code == 400 and "请选择报告文件，或粘贴报告全文。" in page.content.decode()


def test_a_department_editor_is_refused(client, editor):
    _login(client, editor)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": PRESS}).status_code == 403


def test_the_anonymous_visitor_is_sent_to_log_in(client):
    answer = client.post(URL, {"text": PRESS})
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_the_report_list_links_to_the_checker(client, reviewer):
    html = _login(client, reviewer).get(reverse("workbench:annualreport_staff:list")).content.decode()
    assert f'href="{URL}"' in html
