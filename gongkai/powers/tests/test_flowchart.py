"""A flow that cannot be followed is refused with the step named."""

import pytest

from gongkai.powers.flowchart import FlowError, Step, check, describe, render_svg


def test_it_names_a_step_without_a_responsible_post():
    with pytest.raises(FlowError, match="第 2 步“审核”没有责任岗位"):
        check([Step(1, "受理", "窗口", next_steps="2"), Step(2, "审核")])


def test_it_names_a_dangling_branch():
    with pytest.raises(FlowError, match="第 1 步“受理”的分支“准予”指向不存在的第 9 步"):
        check([Step(1, "受理", "窗口", next_steps="准予:9")])


def test_it_names_a_loop_without_exit():
    steps = [
        Step(1, "受理", "窗口", next_steps="2"),
        Step(2, "审核", "审核岗", next_steps="补正:1；通过:3"),
        Step(3, "复核", "法制岗", next_steps="2"),
        Step(4, "办结", "窗口"),
    ]
    with pytest.raises(FlowError, match="循环没有出口"):
        check(steps)


def test_it_draws_chinese_labels_with_graphviz_and_tells_them_in_words():
    steps = [Step(1, "受理", "窗口民警", "即时", "2"), Step(2, "发证", "制证中心")]
    svg = render_svg(steps, title="护照")
    assert svg.startswith("<svg") and "窗口民警" in svg and "Noto Sans CJK SC" in svg
    assert describe(steps)[1] == "第 2 步：发证，责任岗位：制证中心，流程结束。"
