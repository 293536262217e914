"""The record editor as staff meet it: structure kept, Word paste cleaned, files openable, a clear nav."""

import pytest

from gongkai.catalog import services
from gongkai.catalog.forms import body_html
from gongkai.catalog.models import Record
from gongkai.catalog.tests.test_attachments import PDF


@pytest.fixture
def form_data(leaf_category, departments):
    return {
        "name": "关于调整户籍业务办理时间的通知",
        "doc_number": "吉公发〔2015〕8号",
        "formed_on": "2015-06-01",
        "issuer": "吉林省公安厅",
        "department": departments["exit_entry"].pk,
        "category": leaf_category.pk,
        "genre": "notice",
        "keywords": "户籍",
        "summary": "调整户籍业务办理时间。",
        "body": "<p>正文</p>",
        "validity": "in_force",
        "secrecy": "non_secret",
        "attribute": "proactive",
        "attribute_basis": "",
        "attribute_reason": "",
    }


WORD_FRAGMENT = (
    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->"
    "<style>p.MsoNormal{mso-style-parent:'';margin:0cm;font-family:仿宋_GB2312}</style>"
    "<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'>"
    "<span lang=EN-US style='font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体'>"
    "<font face=仿宋_GB2312>各市（州）公安局：</font><o:p></o:p></span></p>"
    "<h2 class=MsoHeading2><span style='mso-bidi-font-size:16pt'>一、办理时间</span></h2>"
    "<table class=MsoTableGrid border=1 cellspacing=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>"
    "<tr style='mso-yfti-irow:0'><td width=189 valign=top style='mso-border-alt:solid windowtext .5pt'>"
    "<p class=MsoNormal><span>窗口</span></p></td></tr></table>"
    "<script>alert(1)</script>"
)


def test_it_turns_plain_text_into_paragraphs_with_line_breaks():
    typed = "第一段第一行\r\n第一段第二行\r\n\r\n第二段：1<2 & 3>2"
    assert body_html(typed) == "<p>第一段第一行<br>第一段第二行</p><p>第二段：1&lt;2 &amp; 3&gt;2</p>"


def test_it_keeps_editor_html_as_posted():
    assert body_html("<p>一</p><ul><li>二</li></ul>") == "<p>一</p><ul><li>二</li></ul>"


def test_a_body_with_paragraphs_a_list_and_a_table_reaches_the_public_page(
    client,
    editor,
    reviewer,
    form_data,
    settings,
):
    settings.PUBLIC_CACHE_SECONDS = 0
    body = (
        "<h2>一、适用范围</h2><p>第一段。</p><p>第二段。</p><ol><li>甲</li><li>乙</li></ol>"
        "<table><tbody><tr><th>窗口</th><th>时间</th></tr><tr><td>户籍</td><td>8:30</td></tr></tbody></table>"
        '<p><a href="https://www.jl.gov.cn/">省政府</a></p>'
    )
    client.force_login(editor)
    assert client.post("/workbench/records/new/", {**form_data, "body": body}).status_code == 302
    record = Record.objects.get(name=form_data["name"])
    record = services.do_submit_record(record, actor=editor, expected_version=record.version)
    record = services.do_approve_record(record, actor=reviewer, expected_version=record.version)
    services.do_publish_record(record, actor=reviewer, expected_version=record.version)
    page = client.get(record.get_absolute_url()).content.decode()
    for part in (
        "<h2>一、适用范围</h2>",
        "<p>第一段。</p>",
        "<ol><li>甲</li><li>乙</li></ol>",
        "<th>窗口</th>",
        "<td>8:30</td>",
    ):
        assert part in page
    assert 'href="https://www.jl.gov.cn/"' in page


def test_a_pasted_word_fragment_is_cleaned(client, editor, form_data):
    client.force_login(editor)
    assert client.post("/workbench/records/new/", {**form_data, "body": WORD_FRAGMENT}).status_code == 302
    body = Record.objects.get(name=form_data["name"]).body
    for gone in (
        "mso-",
        "Mso",
        "<o:p",
        "<font",
        "style",
        "仿宋_GB2312",
        "<script",
        "alert",
        "w:WordDocument",
        "<!--",
    ):
        assert gone not in body, gone
    assert "各市（州）公安局：" in body and "<h2>" in body and "<td><p><span>窗口</span></p></td>" in body


def test_the_form_says_which_fields_are_wrong_and_links_them(client, editor, form_data):
    client.force_login(editor)
    page = client.post(
        "/workbench/records/new/", {**form_data, "name": "", "doc_number": "8号"}
    ).content.decode()
    assert '<a href="#id_name">' in page and '<a href="#id_doc_number">' in page
    assert "---------" not in page and "请选择" in page
    assert "<optgroup" in page


def test_a_reviewer_opens_an_unpublished_attachment_and_a_stranger_cannot(
    client, make_record, editor, reviewer, other_editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    record = make_record()
    item = services.do_add_attachment(
        record, services.UploadedFile("通告.pdf", PDF), actor=editor, expected_version=record.version
    )
    url = f"/workbench/records/{record.pk}/attachments/{item.pk}/"
    client.force_login(reviewer)
    assert url in client.get(f"/workbench/records/{record.pk}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_editor)
    assert client.get(url).status_code == 404


def test_a_save_after_the_session_ended_says_why_on_the_login_page(client, form_data):
    response = client.post("/workbench/records/new/", form_data, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "登录已过期" in page


@pytest.mark.parametrize(
    ("who", "sees_audit", "sees_import", "sees_reports"),
    [
        ("editor", False, False, False),
        ("auditor", True, False, False),
        ("reviewer", False, True, True),
        ("leader", False, False, True),
    ],
)
def test_the_navigation_offers_only_what_the_user_may_open(
    client, request, who, sees_audit, sees_import, sees_reports
):
    client.force_login(request.getfixturevalue(who))
    page = client.get("/workbench/records/").content.decode()
    assert ('href="/workbench/audit/"' in page) is sees_audit
    assert ('href="/workbench/import/"' in page) is sees_import
    assert ('href="/workbench/reports/"' in page) is sees_reports
