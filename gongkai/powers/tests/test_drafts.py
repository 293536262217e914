"""A power item typed when the session ended comes back after logging in (core/drafts.py)."""

from gongkai.core.tests.drafts_support import back_after_login, log_in, save_after_expiry
from gongkai.powers.models import PowerItem

NEW = "/workbench/powers/new/"


def item_fields(departments):
    return {
        "list_kind": "approvals",
        "category": "licensing",
        "code": "JL-CRJ-009",
        "name": "往来港澳通行证签发",
        "sub_items": "",
        "legal_basis": "《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》",
        "level": "province",
        "department": departments["exit_entry"].pk,
        "set_on": "2004-07-01",
        "set_document": "吉政发〔2004〕1号",
        "conditions": "中国公民。",
        "statutory_days": "15",
        "promised_days": "7",
        "materials": "居民身份证|原件及复印件|1|",
        "steps": "1|受理|窗口|即时|",
    }


def test_a_new_item_typed_when_the_session_ended_comes_back(client, editor, departments):
    save_after_expiry(client, editor, NEW, item_fields(departments))
    page = back_after_login(client, "editor", NEW)
    assert 'value="JL-CRJ-009"' in page and 'value="往来港澳通行证签发"' in page
    assert "居民身份证|原件及复印件|1|" in page and "1|受理|窗口|即时|" in page
    assert '<option value="approvals" selected>' in page
    assert not PowerItem.objects.filter(code="JL-CRJ-009").exists()


def test_an_item_edit_comes_back_with_its_version(client, editor, departments, make_item, passport_data):
    item = make_item(passport_data)
    url = f"/workbench/powers/{item.pk}/edit/"
    data = {**item_fields(departments), "code": item.code, "name": "改过的事项名称", "version": item.version}
    save_after_expiry(client, editor, url, data)
    page = back_after_login(client, "editor", url)
    assert 'value="改过的事项名称"' in page
    assert f'name="version" value="{item.version}"' in page
    item.refresh_from_db()
    assert item.name == "普通护照签发"


def test_someone_else_logging_in_never_sees_the_item(client, editor, other_editor, departments):
    save_after_expiry(client, editor, NEW, item_fields(departments))
    log_in(client, "traffic_editor")
    page = client.get(NEW).content.decode()
    assert "已恢复" not in page and "往来港澳通行证签发" not in page
