"""A save after the session ended: kept on the server for whoever opened the form, given back once."""

import datetime as dt
import re

import pytest

from conftest import PASSWORD
from gongkai.catalog.models import Record
from gongkai.core import drafts

NEW = "/workbench/records/new/"


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
        "body": "<h2>一、时间</h2><p>每周一至周五。</p>",
        "validity": "in_force",
        "secrecy": "non_secret",
        "attribute": "proactive",
        "attribute_basis": "",
        "attribute_reason": "",
    }


def stamp_from(client, url=NEW):
    page = client.get(url).content.decode()
    found = re.search(rf'name="{drafts.FIELD}" value="([^"]+)"', page)
    assert found
    return found.group(1)


def expire_session(client):
    """What an expired session looks like to the server: no session at all."""
    client.cookies.clear()


def log_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def saved_after_expiry(client, editor, form_data):
    client.force_login(editor)
    data = {**form_data, drafts.FIELD: stamp_from(client)}
    expire_session(client)
    response = client.post(NEW, data, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=/workbench/records/new/")
    assert "您填写的内容已为您保留" in response.content.decode()
    return data


def test_it_gives_the_editor_back_what_they_typed_after_logging_in_again(client, saved_after_expiry):
    log_in(client, "editor")
    page = client.get(NEW).content.decode()
    assert "已恢复您上次未保存的内容" in page
    assert "关于调整户籍业务办理时间的通知" in page and "吉公发〔2015〕8号" in page
    assert "&lt;h2&gt;一、时间&lt;/h2&gt;&lt;p&gt;每周一至周五。&lt;/p&gt;" in page  # the textarea's HTML
    assert re.search(r'<option value="\d+" selected>[^<]*规范性文件</option>', page)
    assert '<option value="proactive" selected>' in page
    assert 'class="errorlist"' not in page  # shown to finish, not refused
    assert Record.objects.count() == 0  # nothing is saved behind their back


def test_it_gives_it_back_once(client, saved_after_expiry):
    log_in(client, "editor")
    client.get(NEW)
    page = client.get(NEW).content.decode()
    assert "已恢复" not in page and "关于调整户籍业务办理时间的通知" not in page


def test_someone_else_logging_in_on_that_browser_never_sees_it(client, other_editor, saved_after_expiry):
    log_in(client, "traffic_editor")
    page = client.get(NEW).content.decode()
    assert "已恢复" not in page and "关于调整户籍业务办理时间的通知" not in page
    assert drafts.SESSION_KEY not in client.session


def test_it_waits_for_its_own_form(client, saved_after_expiry):
    log_in(client, "editor")
    client.get("/workbench/records/")
    assert "已恢复您上次未保存的内容" in client.get(NEW).content.decode()


def test_it_is_dropped_when_the_owner_comes_back_too_late(client, saved_after_expiry, time_machine):
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=drafts.KEEP_SECONDS + 60))
    log_in(client, "editor")
    assert "已恢复" not in client.get(NEW).content.decode()


def test_a_post_without_a_valid_stamp_keeps_nothing(client, editor, form_data):
    response = client.post(NEW, {**form_data, drafts.FIELD: "forged"}, follow=True)
    page = response.content.decode()
    assert "登录已过期，请重新登录。" in page and "已为您保留" not in page
    assert drafts.SESSION_KEY not in client.session


def test_an_edit_comes_back_with_the_version_it_was_typed_against(client, editor, make_record, form_data):
    record = make_record()
    url = f"/workbench/records/{record.pk}/edit/"
    client.force_login(editor)
    data = {
        **form_data,
        "name": "改过的名称",
        "version": record.version,
        drafts.FIELD: stamp_from(client, url),
    }
    expire_session(client)
    client.post(url, data)
    log_in(client, "editor")
    page = client.get(url).content.decode()
    assert "已恢复您上次未保存的内容" in page and 'value="改过的名称"' in page
    assert f'name="version" value="{record.version}"' in page


def test_an_office_page_typed_when_the_session_ended_comes_back_too(client, reviewer):
    from gongkai.catalog.models import Page

    url = "/workbench/pages/guide/"
    page = Page.objects.get(slug="guide")
    client.force_login(reviewer)
    data = {"title": "公开指南", "body": "第一段\n\n第二段", "version": page.version}
    data[drafts.FIELD] = stamp_from(client, url)
    expire_session(client)
    client.post(url, data)
    log_in(client, "reviewer")
    shown = client.get(url).content.decode()
    assert "已恢复您上次未保存的内容" in shown and "第一段\n\n第二段" in shown
    page.refresh_from_db()
    assert "第二段" not in page.body
