"""A staff form sent with a stale or missing CSRF token (signed in again in another tab, a page left
open): the page says why, shows what was typed, and its "重新提交" sends the same fields again with a
fresh token to the same address, where the form saves as usual."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.catalog.models import Record

NEW = "/workbench/records/new/"
OURS = {"Origin": "http://testserver"}


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


@pytest.fixture
def record_post(departments, leaf_category):
    return {
        "name": "关于调整户籍业务办理时间的通知",
        "doc_number": "吉公通〔2015〕8号",
        "formed_on": "2015-06-01",
        "issuer": "吉林省公安厅",
        "department": departments["exit_entry"].pk,
        "category": leaf_category.pk,
        "genre": "notice",
        "summary": '调整户籍业务办理时间。"引号" <b>不是标签</b>',
        "body": "<h2>一、时间</h2>\r\n<p>每周一至周五。</p>",
        "validity": "in_force",
        "secrecy": "non_secret",
        "attribute": "proactive",
        "attribute_basis": "",
    }


class _Forms(HTMLParser):
    """The re-post form: its action and its inputs, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: list[tuple[str, str]] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("class") == "resubmit-form":
            self.action, self._inside = a.get("action"), True
        elif tag == "input" and self._inside and a.get("name"):
            self.fields.append((a["name"] or "", a.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


def _resubmit_form(html: str) -> _Forms:
    parsed = _Forms()
    parsed.feed(html)
    return parsed


def _send(browser: Client, parsed: _Forms | list[tuple[str, str]], action: str = NEW):
    """Post the fields as the browser's form would (urlencoded, repeated names kept)."""
    fields = parsed.fields if isinstance(parsed, _Forms) else parsed
    return browser.post(
        action, urlencode(fields), content_type="application/x-www-form-urlencoded", headers=OURS
    )


def _staff_browser(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def test_a_record_form_without_its_token_shows_what_was_typed_and_saves_when_sent_again(editor, record_post):
    browser = _staff_browser(editor)

    refused = browser.post(NEW, record_post, headers=OURS)

    html = refused.content.decode()
    assert refused.status_code == 403
    assert "页面已过期，请重新提交" in html
    assert "重新提交</button>" in html
    assert 'href="/workbench/"' in html and "政府信息公开工作台" in html  # the workbench's look
    assert "no-store" in refused["Cache-Control"]
    assert not Record.objects.exists()
    # The typed text, for copying, labelled as the form labels it; escaped, never markup.
    assert "&lt;h2&gt;一、时间&lt;/h2&gt;" in html and "<h2>一、时间</h2>" not in html
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in html
    assert re.search(r"<label for=\"typed-\d+\">名称</label>", html)

    again = _resubmit_form(html)
    assert again.action == NEW
    sent = dict(again.fields)
    assert sent["name"] == record_post["name"] and sent["summary"] == record_post["summary"]
    assert unescape(sent["body"]).replace("\r\n", "\n") == record_post["body"].replace("\r\n", "\n")
    assert sent["csrfmiddlewaretoken"]

    saved = _send(browser, again, again.action or "")

    assert saved.status_code == 302
    record = Record.objects.get()
    assert record.name == record_post["name"] and record.created_by == editor
    assert saved["Location"] == f"/workbench/records/{record.pk}/"


def test_the_re_post_still_needs_the_fresh_token(editor, record_post):
    browser = _staff_browser(editor)
    again = _resubmit_form(browser.post(NEW, record_post, headers=OURS).content.decode())
    stale = [(name, "x" * 64 if name == "csrfmiddlewaretoken" else value) for name, value in again.fields]

    assert _send(browser, stale).status_code == 403
    assert not Record.objects.exists()


def test_a_forged_cross_site_post_gets_no_button(editor, record_post):
    browser = _staff_browser(editor)

    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {}):
        html = browser.post(NEW, record_post, headers=headers).content.decode()
        assert "页面已过期，请重新提交" in html
        assert "resubmit-form" not in html and record_post["name"] not in html


def test_the_same_site_referer_is_enough_without_an_origin(editor, record_post):
    browser = _staff_browser(editor)

    html = browser.post(
        NEW, record_post, headers={"Referer": "http://testserver/workbench/records/new/"}
    ).content.decode()

    assert "resubmit-form" in html
    assert 'href="/workbench/records/new/">回到原页面重新填写' in html


def test_the_target_is_always_this_site(editor, record_post):
    browser = _staff_browser(editor)

    html = browser.post("//evil.example/workbench/records/new/", record_post, headers=OURS).content.decode()

    action = _resubmit_form(html).action
    assert action is not None and action.startswith("/") and not action.startswith("//")


def test_passwords_are_never_echoed_and_files_are_asked_for_again(editor):
    browser = _staff_browser(editor)

    html = browser.post(
        "/accounts/password/",
        {
            "old_password": "old-secret-1",
            "new_password1": "new-secret-2",
            "new_password2": "new-secret-2",
            "note": "保留的说明",
            "scan": SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4"),
        },
        headers=OURS,
    ).content.decode()

    assert "old-secret-1" not in html and "new-secret-2" not in html
    assert "密码和验证码没有保留" in html
    assert "扫描件.pdf" in html and "重新选择这些文件" in html
    fields = dict(_resubmit_form(html).fields)
    assert "old_password" not in fields and "scan" not in fields and fields["note"] == "保留的说明"


def test_a_public_address_gets_the_portal_look(db):
    html = (
        Client(enforce_csrf_checks=True)
        .post("/catalog/search/", {"q": "签证"}, headers=OURS)
        .content.decode()
    )

    assert 'aria-label="主导航"' in html and "公开目录" in html  # the portal's navigation
    assert "resubmit-form" in html and "签证" in html
    assert "DEBUG" not in html


def test_the_heading_in_english(db):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["gk_lang"] = "en"

    html = browser.post("/catalog/search/", {"q": "visa"}, headers=OURS).content.decode()

    assert "The page has expired: please send it again" in html
