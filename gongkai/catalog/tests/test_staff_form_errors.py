"""A refused record form: a summary that counts and links each wrong field, each error tied to its input."""

import re

import pytest

NEW = "/workbench/records/new/"


@pytest.fixture
def refused(client, editor, leaf_category, departments):
    client.force_login(editor)
    data = {
        "name": "",
        "doc_number": "8号",
        "formed_on": "2015-06-01",
        "issuer": "吉林省公安厅",
        "department": departments["exit_entry"].pk,
        "category": leaf_category.pk,
        "genre": "notice",
        "summary": "调整户籍业务办理时间。",
        "body": "<h2>一、时间</h2><p>每周一至周五。</p>",
        "validity": "in_force",
        "secrecy": "non_secret",
        "attribute": "on_request",
        "attribute_basis": "",
    }
    response = client.post(NEW, data)
    assert response.status_code == 200
    return response.content.decode()


def test_it_counts_the_problems_and_links_each_field(refused):
    summary = re.search(r'<div class="notice error error-summary"[^>]*>.*?</div>', refused, re.S)
    assert summary
    assert 'role="alert"' in summary.group(0) and 'id="error-summary"' in summary.group(0)
    assert "请修改下面 3 处问题后再保存；您已填写的内容都还在。" in summary.group(0)
    links = re.findall(r'<a href="#(id_\w+)">', summary.group(0))
    assert links == ["id_name", "id_doc_number", "id_attribute_basis"]


@pytest.mark.parametrize("field", ["name", "doc_number", "attribute_basis"])
def test_each_error_is_tied_to_its_input(refused, field):
    tag = re.search(rf'<(input|select|textarea)[^>]*id="id_{field}"[^>]*>', refused)
    assert tag
    assert 'aria-invalid="true"' in tag.group(0)
    described = re.search(r'aria-describedby="([^"]+)"', tag.group(0))
    assert described and f"id_{field}_error" in described.group(1).split()
    assert f'id="id_{field}_error"' in refused


def test_what_was_typed_is_all_there(refused, leaf_category):
    assert "&lt;h2&gt;一、时间&lt;/h2&gt;&lt;p&gt;每周一至周五。&lt;/p&gt;" in refused
    assert f'<option value="{leaf_category.pk}" selected>' in refused
    assert '<option value="on_request" selected>' in refused
    assert 'value="8号"' in refused
    untouched = re.search(r'<input[^>]*id="id_formed_on"[^>]*>', refused)
    assert untouched and "aria-invalid" not in untouched.group(0)
