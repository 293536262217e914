"""The office rewrites the wording of a letter for a rule set: unknown placeholders are refused by
name, a stale edit is refused without losing the text, every save and reset is audited, a preview
shows a sample PDF, and the next letter of a case uses the new wording."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.models import AuditEvent
from gongkai.inforequests import letter_services, services
from gongkai.inforequests.letters.build import context_for
from gongkai.inforequests.models import LetterTemplate, LetterTemplateVersion

PASSWORD = "correct-horse-battery"
LIST = "/workbench/requests/letters/"
EDIT = "/workbench/requests/letters/2019/acknowledgement/"
TEXT = "{recipient}：\n\n本机关已于{received_date}收到您的申请（{tracking_number}），将于{reply_due}前答复。"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 2, 10, tzinfo=dt.UTC))


@pytest.fixture
def office(client, reviewer):
    client.login(username="reviewer", password=PASSWORD)
    return client


def test_the_list_shows_each_letter_with_its_default_and_the_override(office, reviewer):
    letter_services.do_save_letter_template(
        "supplement", "2019", "请补正。", actor=reviewer, expected_version=0
    )

    body = office.get(LIST).content.decode()

    assert "受理通知书" in body
    assert "答复书：不予公开：保护第三方合法权益" in body
    assert "您的申请内容明确、要素齐全" in body  # default wording of the acknowledgement
    assert "请补正。" in body
    assert "本机关文本" in body
    assert EDIT in body


def test_the_list_of_the_2007_rules(office):
    body = office.get(LIST + "?rules=2007").content.decode()

    assert "15个工作日内" in body
    assert "/workbench/requests/letters/2007/acknowledgement/" in body


def test_department_staff_do_not_see_the_templates(client, dept_staff):
    client.login(username="exit_staff", password=PASSWORD)

    assert client.get(LIST).status_code == 302


def test_the_edit_form_starts_from_the_default_wording(office):
    body = office.get(EDIT).content.decode()

    assert "您的申请内容明确、要素齐全" in body
    assert 'name="version" value="0"' in body
    assert "{reply_due}" in body  # listed among the placeholders


def test_saving_replaces_the_default_for_the_next_letter(office, reviewer, make_application):
    response = office.post(EDIT, {"text": TEXT, "version": 0})

    assert response.status_code == 302
    row = LetterTemplate.objects.get(key="acknowledgement", rules="2019")
    assert (row.version, row.updated_by) == (1, reviewer)
    event = AuditEvent.objects.get(action="inforequests.letter_template.saved")
    assert event.after == {"text": TEXT, "version": 1}
    application = make_application()
    ctx = context_for(application, "acknowledgement")
    assert ctx.body_paragraphs[0] == "张三："
    assert ctx.body_paragraphs[1].startswith(
        f"本机关已于2021年6月1日收到您的申请（{application.tracking_number}）"
    )


def test_unknown_placeholders_are_refused_by_name_and_the_text_is_kept(office):
    text = "请于{deadline}前到{office_room}领取。{recipient}"

    response = office.post(EDIT, {"text": text, "version": 0})

    body = response.content.decode()
    assert response.status_code == 200
    assert "未知的占位符：{deadline}、{office_room}" in body
    assert "请于{deadline}前到{office_room}领取。" in body
    assert not LetterTemplate.objects.exists()


@pytest.mark.parametrize("text", ["{}", "{0}", "{recipient!r}", "{recipient:>10}", "{recipient.upper}"])
def test_odd_placeholders_are_refused(reviewer, text):
    with pytest.raises(letter_services.LetterTemplateError, match="未知的占位符"):
        letter_services.do_save_letter_template(
            "acknowledgement", "2019", text, actor=reviewer, expected_version=0
        )


def test_an_unpaired_brace_is_refused(office):
    body = office.post(EDIT, {"text": "本机关{已收到", "version": 0}).content.decode()

    assert "花括号不成对" in body
    assert not LetterTemplate.objects.exists()


def test_doubled_braces_print_a_brace(reviewer, make_application):
    letter_services.do_save_letter_template(
        "acknowledgement", "2019", "编号{{{tracking_number}}}", actor=reviewer, expected_version=0
    )

    application = make_application()
    assert context_for(application, "acknowledgement").body_paragraphs == (
        f"编号{{{application.tracking_number}}}",
    )


def test_a_stale_edit_is_refused_and_the_text_comes_back(office, reviewer):
    letter_services.do_save_letter_template(
        "acknowledgement", "2019", "第一版", actor=reviewer, expected_version=0
    )

    response = office.post(EDIT, {"text": "基于默认文本的修改", "version": 0})

    body = response.content.decode()
    assert response.status_code == 409
    assert "已被他人修改（当前版本 1）" in body
    assert "基于默认文本的修改" in body
    assert 'name="version" value="1"' in body
    assert LetterTemplate.objects.get().text == "第一版"


def test_only_the_office_may_edit(client, leader):
    client.login(username="leader", password=PASSWORD)

    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, {"text": TEXT, "version": 0}).status_code == 403
    with pytest.raises(services.PermissionDeniedError):
        letter_services.do_save_letter_template(
            "acknowledgement", "2019", TEXT, actor=leader, expected_version=0
        )
    assert not LetterTemplate.objects.exists()


def test_an_unknown_letter_is_not_found(office):
    assert office.get("/workbench/requests/letters/2019/reply:made_up/").status_code == 404
    assert office.get("/workbench/requests/letters/1999/acknowledgement/").status_code == 404


def test_reset_returns_to_the_default_as_a_new_version_and_is_audited(office, reviewer):
    row = letter_services.do_save_letter_template(
        "acknowledgement", "2019", "第一版", actor=reviewer, expected_version=0
    )

    response = office.post(EDIT + "reset/", {"version": row.version})

    assert response.status_code == 302
    row = LetterTemplate.objects.get()
    assert row.uses_default and row.version == 2
    assert row.text == letter_services.default_text("acknowledgement", "2019")
    event = AuditEvent.objects.get(action="inforequests.letter_template.reset")
    assert event.before == {"text": "第一版", "version": 1}
    # Nothing is deleted: the default it started from, the office's text and the reset are kept.
    versions = [
        (v.version, v.action, v.text) for v in letter_services.template_versions("acknowledgement", "2019")
    ]
    default = letter_services.default_text("acknowledgement", "2019")
    assert versions == [(2, "reset", default), (1, "saved", "第一版"), (0, "default", default)]


def test_after_a_reset_the_office_edits_on_from_the_next_version(office, reviewer):
    row = letter_services.do_save_letter_template(
        "acknowledgement", "2019", "第一版", actor=reviewer, expected_version=0
    )
    letter_services.do_reset_letter_template("acknowledgement", "2019", actor=reviewer, expected_version=1)

    page = office.get(EDIT).content.decode()
    office.post(EDIT, {"text": "第三版", "version": 2})

    assert "目前使用默认文本" in page and "恢复默认文本</button>" not in page
    row = LetterTemplate.objects.get()
    assert (row.version, row.text, row.uses_default) == (3, "第三版", False)
    assert [v.version for v in letter_services.template_versions("acknowledgement", "2019")] == [3, 2, 1, 0]


def test_a_second_reset_is_refused(office, reviewer):
    letter_services.do_save_letter_template(
        "acknowledgement", "2019", "第一版", actor=reviewer, expected_version=0
    )
    letter_services.do_reset_letter_template("acknowledgement", "2019", actor=reviewer, expected_version=1)

    with pytest.raises(letter_services.LetterTemplateError):
        letter_services.do_reset_letter_template(
            "acknowledgement", "2019", actor=reviewer, expected_version=2
        )
    assert LetterTemplateVersion.objects.count() == 3


def test_the_edit_page_lists_every_version_with_who_and_when(office, reviewer):
    letter_services.do_save_letter_template(
        "acknowledgement", "2019", "第一版", actor=reviewer, expected_version=0
    )
    letter_services.do_save_letter_template(
        "acknowledgement", "2019", "第二版", actor=reviewer, expected_version=1
    )

    page = office.get(EDIT).content.decode()

    table = page[page.index('<table class="template-versions">') :]
    assert table.index("<td>2</td>") < table.index("<td>1</td>") < table.index("<td>0</td>")
    assert "第一版" in table and "第二版" in table
    assert str(reviewer) in table


def test_a_stale_reset_is_refused(office, reviewer):
    row = letter_services.do_save_letter_template(
        "acknowledgement", "2019", "第一版", actor=reviewer, expected_version=0
    )
    letter_services.do_save_letter_template(
        "acknowledgement", "2019", "第二版", actor=reviewer, expected_version=1
    )

    office.post(EDIT + "reset/", {"version": row.version})

    assert LetterTemplate.objects.get().text == "第二版"


def test_the_preview_is_a_sample_pdf(office):
    response = office.get(EDIT + "preview.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_preview_of_typed_text_checks_it_first(office):
    good = office.post(EDIT + "preview.pdf", {"text": TEXT, "version": 0})
    bad = office.post(EDIT + "preview.pdf", {"text": "{nonsense}", "version": 0})

    assert good.content.startswith(b"%PDF")
    assert bad.status_code == 400
    assert "未知的占位符：{nonsense}" in bad.content.decode()
    assert not LetterTemplate.objects.exists()


@pytest.mark.parametrize("key", letter_services.template_keys("2019") + letter_services.template_keys("2007"))
def test_every_default_wording_passes_its_own_check(key):
    from gongkai.inforequests.views.staff_letters import default_text

    for rules in ("2019", "2007"):
        if key in letter_services.template_keys(rules):
            letter_services.check_template_text(key, rules, default_text(key, rules))
