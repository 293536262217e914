"""The basic-information form of a published item, as DOCX and PDF with its flowchart: both open,
hold the item's facts and tables, embed the CJK font, and stay as published when the item changes."""

import io
import os
import subprocess

import pdfplumber
import pytest
from docx import Document

from gongkai.powers import services
from gongkai.powers.tests.test_public_and_figures import _publish_all


@pytest.fixture
def published(make_item, passport_data, editor, reviewer):
    item = make_item({**passport_data, "faqs": [{"question": "护照丢了怎么办？", "answer": "先挂失。"}]})
    _publish_all(editor, reviewer, [item])
    item.refresh_from_db()
    return item


def test_the_docx_form_holds_the_facts_tables_and_the_flowchart(client, published):
    response = client.get("/powers/i/JL-CRJ-001/form.docx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "普通护照签发" in cells and "《中华人民共和国护照法》第五条、第六条" in cells
    assert "7个工作日" in cells and "居民身份证" in cells and "原件及复印件" in cells
    assert document.inline_shapes and document.inline_shapes[0].width > 0  # the flowchart
    text = "\n".join(p.text for p in document.paragraphs)
    assert "第 1 步：受理" in text
    assert document.core_properties.title == "普通护照签发 基本信息表"


def test_the_pdf_form_opens_with_the_cjk_font_embedded(client, published, tmp_path):
    response = client.get("/powers/i/JL-CRJ-001/form.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        assert any(page.images for page in pdf.pages), "the flowchart is drawn into the form"
    assert "普通护照签发 基本信息表" in text and "居民身份证" in text
    assert "法定办结时限" in text and "15个工作日" in text
    path = tmp_path / "form.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "TrueType" in line]
    assert cjk and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in cjk)  # embedded subsets
    if (out := os.environ.get("GONGKAI_SHOTS")) is not None:
        path.replace(f"{out}/powers-basic-form.pdf")


def test_the_form_is_the_published_version_not_the_working_copy(client, published, editor):
    services.do_update_item(
        published, {"name": "普通护照签发（修订稿）"}, actor=editor, expected_version=published.version
    )
    with pdfplumber.open(io.BytesIO(client.get("/powers/i/JL-CRJ-001/form.pdf").content)) as pdf:
        text = pdf.pages[0].extract_text() or ""
    assert "修订稿" not in text and "普通护照签发" in text


def test_an_unknown_format_or_item_is_not_found(client, published):
    assert client.get("/powers/i/JL-CRJ-001/form.odt").status_code == 404
    assert client.get("/powers/i/NOPE/form.pdf").status_code == 404


def test_the_json_api_lists_published_items_and_gives_one_with_its_content(
    client, published, make_item, passport_data
):
    make_item({**passport_data, "code": "JL-CRJ-009", "name": "未发布的事项"})
    page = client.get("/api/v1/powers?list=approvals").json()
    assert page["total"] == 1 and page["items"][0]["code"] == "JL-CRJ-001"
    assert page["items"][0]["category_label"] == "行政许可"
    detail = client.get("/api/v1/powers/JL-CRJ-001").json()
    assert detail["content"]["materials"][0]["name"] == "居民身份证"
    assert detail["form_pdf"].endswith("/powers/i/JL-CRJ-001/form.pdf")
    assert "department_id" not in detail["content"]
    assert client.get("/api/v1/powers/JL-CRJ-009").status_code == 404
    assert client.get("/api/v1/powers?list=nope").status_code == 422


def test_both_forms_give_the_public_services_and_each_materials_note(
    client, make_item, passport_data, editor, reviewer, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0  # the forms of the same code in other tests stay in the page cache
    materials = [{**passport_data["materials"][0], "note": "留存复印件"}]
    duty = {
        "stage": "accept",
        "duties": "依法受理护照申请",
        "boundary": "出入境管理部门",
        "public_services": "预约咨询",
        "supervision": "抽查办件",
        "accountability": "不依法受理的",
    }
    item = make_item({**passport_data, "materials": materials, "responsibilities": [duty]})
    _publish_all(editor, reviewer, [item])
    document = Document(io.BytesIO(client.get("/powers/i/JL-CRJ-001/form.docx").content))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["序号", "材料名称", "原件/复印件", "份数", "备注"] in rows
    assert ["1", "居民身份证", "原件及复印件", "1", "留存复印件"] in rows
    assert ["环节", "责任事项", "职责边界", "公共服务事项", "监管措施", "追责情形"] in rows
    assert ["受理", "依法受理护照申请", "出入境管理部门", "预约咨询", "抽查办件", "不依法受理的"] in rows
    with pdfplumber.open(io.BytesIO(client.get("/powers/i/JL-CRJ-001/form.pdf").content)) as pdf:
        text = "".join((page.extract_text() or "").replace("\n", "") for page in pdf.pages)
    for words in ("备注", "留存复印件", "公共服务事项", "预约咨询"):
        assert words in text, words
