"""The press room in the browser: a visitor on a phone opens 新闻发布 from the portal's navigation,
picks 2015, reads a conference's transcript by speaker and the interpretation given at it beside
the policy it explains; an editor registers a conference with its speakers and imports its
transcript from CSV, the office's reviewer publishes it, and the public page shows it. The
visitor's data is made through the press room's services (not the demo)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor_to_publication import PASSWORD, log_in, log_out
from tests.e2e.test_portal_layouts import serious_violations, width

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SPEAKERS = [
    {"name": "金明", "post": "副局长", "organisation": "出入境管理局"},
    {"name": "李华", "post": "处长", "organisation": "延吉边防检查站"},
]
CSV = (
    "发言人,提问人,问题,回答\n"
    "金明,,,各位记者朋友，大家上午好。\n"
    "金明,新华社记者,口岸签证向哪些人开放？,向因紧急事由来华的外国人开放。\n"
    "李华,吉林日报记者,通关需要多长时间？,一般不超过30分钟。\n"
)


def _conference(editor, reviewer, department, **data):
    from gongkai.pressroom import services

    conference = services.do_create_conference(
        {"venue": "省公安厅新闻发布厅", "department": department, "speakers": SPEAKERS, **data}, actor=editor
    )
    services.do_import_transcript(
        conference, CSV.encode(), "实录.csv", actor=editor, expected_version=conference.version
    )
    conference.refresh_from_db()
    return services.do_publish_conference(conference, actor=reviewer, expected_version=conference.version)


def _check(page, shot, name: str) -> None:
    """At 390 px: no sideways scrolling, no serious or critical axe violation; a screenshot."""
    scroll, inner = width(page)
    assert scroll <= inner, f"{name}: {scroll} px wide in a {inner} px viewport"
    problems = serious_violations(page)
    assert not problems, f"{name}: " + "\n".join(problems)
    shot(page, name)


def test_a_visitor_on_a_phone_reads_a_2015_conference_and_its_policy_interpretation(
    live_server, new_context, shot, editor, reviewer, departments, make_record
):
    from gongkai.pressroom import services

    policy = make_record("published")  # 关于延吉口岸签证业务启动的通告, in 政策文件 · 规章
    conference = _conference(
        editor,
        reviewer,
        departments["exit_entry"],
        title="延吉口岸签证业务启动新闻发布会",
        held_on=dt.date(2015, 3, 18),
        host="government",
        topics="延吉口岸签证业务启动\n口岸签证办理条件",
    )
    _conference(
        editor,
        reviewer,
        departments["exit_entry"],
        title="出入境便民措施新闻发布会",
        held_on=dt.date(2016, 5, 10),
        host="agency",
        topics="出入境便民措施",
    )
    interpretation = services.do_create_interpretation(
        {
            "title": "《关于延吉口岸签证业务启动的通告》解读",
            "form": "conference",
            "policy": policy.index_number,
            "conference": conference,
            "body": "一、为什么启动口岸签证业务\n\n二、谁可以申请口岸签证",
            "department": departments["exit_entry"],
        },
        actor=editor,
    )
    services.do_publish_interpretation(
        interpretation, actor=reviewer, expected_version=interpretation.version
    )

    base = live_server.url
    page = new_context(phone=True)
    page.goto(base + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="新闻发布").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("新闻发布会 · 2016 年")  # the latest year
    page.get_by_role("navigation", name="按年份").get_by_role("link", name="2015 年（1 场）").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2015 年")
    expect(page.locator(".press-counts")).to_contain_text("共召开 1 场，以省政府名义 1 场，以本机关名义 0 场")
    expect(page.get_by_role("link", name="出入境便民措施新闻发布会")).to_have_count(0)
    _check(page, shot, "index-2015")

    page.get_by_role("link", name="延吉口岸签证业务启动新闻发布会").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("延吉口岸签证业务启动新闻发布会")
    meta = page.locator("table.meta-table")
    expect(meta).to_contain_text("2015-03-18")
    expect(meta).to_contain_text("以省政府名义")
    expect(meta).to_contain_text("口岸签证办理条件")
    expect(meta).to_contain_text("金明（出入境管理局副局长）")
    qa = page.locator("section[aria-labelledby=qa-title]")
    expect(qa.get_by_role("heading", level=2)).to_have_text("问答实录（按发布人）")
    jin = qa.locator("section.press-speaker").filter(has=page.get_by_role("heading", name="金明"))
    expect(jin).to_contain_text("发布：各位记者朋友，大家上午好。")
    expect(jin).to_contain_text("问（新华社记者）：口岸签证向哪些人开放？")
    expect(jin).to_contain_text("答：向因紧急事由来华的外国人开放。")
    li = qa.locator("section.press-speaker").filter(has=page.get_by_role("heading", name="李华"))
    expect(li).to_contain_text("问（吉林日报记者）：通关需要多长时间？")
    expect(li).to_contain_text("一般不超过30分钟。")
    qa.get_by_role("navigation", name="发布人").get_by_role("link", name="李华").click()
    expect(page).to_have_url(f"{base}/press/c/{conference.pk}/#{li.get_attribute('id')}")
    _check(page, shot, "conference")

    page.get_by_role("link", name="《关于延吉口岸签证业务启动的通告》解读").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("《关于延吉口岸签证业务启动的通告》解读")
    side = page.locator("section.press-policy")
    expect(side.get_by_role("link", name="关于延吉口岸签证业务启动的通告")).to_be_visible()
    expect(side).to_contain_text(policy.index_number)
    expect(side).to_contain_text("吉公通〔2015〕12号")
    reading = page.locator("section.press-interpretation")
    expect(reading).to_contain_text("新闻发布会解读 · 出入境管理局")
    expect(reading).to_contain_text("二、谁可以申请口岸签证")
    expect(reading.get_by_role("link", name="延吉口岸签证业务启动新闻发布会")).to_be_visible()
    _check(page, shot, "interpretation")

    page.get_by_role("link", name="阅读政策原文").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("关于延吉口岸签证业务启动的通告")

    page.goto(base + "/press/interpretations/")
    expect(page.get_by_role("link", name="《关于延吉口岸签证业务启动的通告》解读")).to_be_visible()
    _check(page, shot, "interpretations")


def test_an_editor_registers_a_conference_imports_its_transcript_and_the_office_publishes_it(
    live_server, new_context, shot, editor, reviewer, tmp_path
):
    from gongkai.pressroom.models import Conference

    base = live_server.url
    page = new_context()
    log_in(page, base, "editor", PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="新闻发布").click()
    page.get_by_role("link", name="登记新闻发布会").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记新闻发布会")
    page.fill("#f-title", "出入境五项便民措施新闻发布会")
    page.fill("#f-held", "2015-09-01")
    page.select_option("#f-host", "agency")
    page.fill("#f-venue", "省公安厅新闻发布厅")
    page.fill("#f-topics", "出入境五项便民措施\n网上预约办证")
    page.fill("#f-speakers", "金明|副局长|出入境管理局\n李华|处长|延吉边防检查站")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("发布会已保存为草稿。")
    expect(page.get_by_role("heading", level=1)).to_have_text("出入境五项便民措施新闻发布会")
    expect(page.get_by_text("尚未导入问答实录。")).to_be_visible()

    page.get_by_role("link", name="导入问答实录").click()
    expect(page.get_by_text("发言人须为本场发布人：金明、李华")).to_be_visible()
    csv = tmp_path / "实录.csv"
    csv.write_text(CSV, encoding="utf-8")
    page.set_input_files("#t-file", str(csv))
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("status")).to_contain_text("已导入 3 条问答。")
    answers = page.locator("table tbody")
    expect(answers).to_contain_text("口岸签证向哪些人开放？")
    expect(answers).to_contain_text("吉林日报记者")
    # The editor may not publish: the button is the office's.
    expect(page.get_by_role("button", name="发布到门户")).to_have_count(0)
    shot(page, "draft")
    log_out(page, base)

    conference = Conference.objects.get(title="出入境五项便民措施新闻发布会")
    log_in(page, base, "reviewer", PASSWORD)
    page.goto(f"{base}/workbench/press/{conference.pk}/")
    page.get_by_role("button", name="发布到门户").click()
    expect(page.get_by_role("status")).to_contain_text("操作已完成。")
    expect(page.get_by_text("状态：已发布")).to_be_visible()
    page.get_by_role("link", name="查看门户页面").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("出入境五项便民措施新闻发布会")

    visitor = new_context(phone=True)
    visitor.goto(base + "/press/?year=2015")
    visitor.get_by_role("link", name="出入境五项便民措施新闻发布会").click()
    expect(visitor.locator("table.meta-table")).to_contain_text("网上预约办证")
    expect(visitor.locator("section.press-speaker").first).to_contain_text("各位记者朋友，大家上午好。")
    expect(visitor.get_by_role("heading", level=3, name="李华")).to_be_visible()
    _check(visitor, shot, "published")
