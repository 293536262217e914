"""A power exercised by two procedures (一般程序 and 简易程序) has two flowcharts: each drawn when
the item is published, shown on its page and in its form, and counted apart from the approval
items' charts in the period's figures (seed §一(三)1: "基本信息表及流程图共160余份")."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gongkai.core.figures import Period
from gongkai.powers import flowchart, forms, importer, services, stats

TZ = ZoneInfo("Asia/Shanghai")


def _step(number, name, next_steps="", procedure=""):
    return {
        "number": number,
        "name": name,
        "post": "办案民警",
        "time_limit": "",
        "next_steps": next_steps,
        "basis": "《中华人民共和国行政处罚法》",
        "procedure": procedure,
    }


GENERAL = [
    _step(1, "受案登记", "2", "一般程序"),
    _step(2, "调查取证", "3", "一般程序"),
    _step(3, "作出处罚决定并送达", "", "一般程序"),
]
SUMMARY = [
    _step(1, "表明执法身份", "2", "简易程序"),
    _step(2, "当场作出处罚决定", "", "简易程序"),
]


@pytest.fixture
def penalty_data(departments):
    return {
        "list_kind": "powers",
        "category": "penalty",
        "code": "JL-QL-CF-001",
        "name": "非法入境、非法居留的处罚",
        "legal_basis": "《中华人民共和国出境入境管理法》第七十一条",
        "department": departments["exit_entry"],
        "level": "province",
        "steps": [*GENERAL, *SUMMARY],
    }


def _publish(kind, editor, reviewer, items, on):
    for item in items:
        item = services.do_submit_item(item, actor=editor, expected_version=item.version)
        services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    at = dt.datetime.combine(on, dt.time(10), tzinfo=TZ)
    edition = services.do_propose_edition(kind, title="通告", actor=editor, now=at)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version, now=at)


def test_it_draws_one_flowchart_per_procedure(client, make_item, penalty_data, editor, reviewer):
    item = make_item(penalty_data)
    _publish("powers", editor, reviewer, [item], dt.date(2015, 3, 25))
    item.refresh_from_db()
    charts = list(item.live.flowcharts.all())
    assert [(c.position, c.procedure) for c in charts] == [(1, "一般程序"), (2, "简易程序")]
    assert "调查取证" in charts[0].svg and "调查取证" not in charts[1].svg
    assert "第 2 步：当场作出处罚决定" in charts[1].text
    page = client.get("/powers/i/JL-QL-CF-001/").content.decode()
    assert page.count("<svg") == 2 and "非法入境、非法居留的处罚（简易程序）运行流程图" in page
    form = forms.build(item.live)
    assert [f.heading for f in form.flows] == ["运行流程图（一般程序）", "运行流程图（简易程序）"]
    assert all(f.png.startswith(b"\x89PNG") for f in form.flows)


def test_it_names_the_procedure_whose_flow_is_broken(make_item, penalty_data):
    broken = [*GENERAL, _step(1, "表明执法身份", "5", "简易程序")]
    with pytest.raises(flowchart.FlowError, match=r"“简易程序”：.*不存在的第 5 步"):
        make_item({**penalty_data, "steps": broken})


def test_the_workbench_form_keeps_each_procedure_under_its_heading(client, editor, make_item, penalty_data):
    item = make_item(penalty_data)
    lines = importer.step_lines(services.steps_of(item))
    assert lines.splitlines()[0] == "【一般程序】" and "【简易程序】\n1|表明执法身份|办案民警||2|" in lines
    client.force_login(editor)
    post = {
        "category": item.category,
        "code": item.code,
        "name": item.name,
        "sub_items": "",
        "legal_basis": item.legal_basis,
        "level": item.level,
        "list_kind": item.list_kind,
        "department": item.department_id,
        "version": item.version,
        "steps": lines,
    }
    response = client.post(f"/workbench/powers/{item.pk}/edit/", post)
    assert response.status_code == 302, response.content.decode()[:2000]
    steps = list(item.steps.values_list("procedure", "number"))
    assert steps == [("一般程序", 1), ("一般程序", 2), ("一般程序", 3), ("简易程序", 1), ("简易程序", 2)]
    assert "【简易程序】" in client.get(f"/workbench/powers/{item.pk}/edit/").content.decode()


def test_it_counts_the_power_lists_forms_and_flowcharts_apart(
    make_item, penalty_data, passport_data, editor, reviewer
):
    item = make_item(penalty_data)
    _publish("powers", editor, reviewer, [item], dt.date(2015, 3, 25))
    _publish("approvals", editor, reviewer, [make_item(passport_data)], dt.date(2015, 3, 25))

    def figures():
        return {f.code: f for f in stats.figures(Period.year(2015))}

    values = {code: f.value for code, f in figures().items()}
    assert values["powers.forms.power_list"] == 1 and values["powers.flowcharts.power_list"] == 2
    assert values["powers.forms.published"] == 2 and values["powers.flowcharts.published"] == 3
    # Revised in the year (the summary procedure dropped): one form still, of its last version.
    item.refresh_from_db()
    item = services.do_update_item(
        item,
        {"steps": GENERAL},
        actor=editor,
        expected_version=item.version,
        now=dt.datetime(2015, 9, 1, 10, tzinfo=TZ),
    )
    _publish("powers", editor, reviewer, [item], dt.date(2015, 9, 2))
    got = figures()
    assert (got["powers.forms.power_list"].value, got["powers.flowcharts.power_list"].value) == (1, 1)
    charts = got["powers.flowcharts.power_list"].objects
    assert charts is not None and [c.procedure for c in charts()] == ["一般程序"]
    assert {f.code: f.value for f in stats.figures(Period.year(2014))}["powers.flowcharts.power_list"] == 0
