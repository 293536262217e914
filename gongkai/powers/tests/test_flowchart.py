"""A flow that cannot be followed is refused with the step named."""

import re
import xml.etree.ElementTree as ET

import pytest

from gongkai.powers.flowchart import FlowError, Step, check, describe, em_width, render_svg, wrap_lines


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


def test_it_names_the_cjk_fonts_of_every_common_system():
    svg = render_svg([Step(1, "受理", "窗口民警")], title="护照")
    for face in ("PingFang SC", "Microsoft YaHei", "Source Han Sans SC", "Noto Sans CJK SC", "sans-serif"):
        assert face in svg


def test_it_wraps_chinese_anywhere_and_latin_words_whole():
    lines = wrap_lines("审核材料与出入境记录 ID/MRZ 校验，并核对（出入境）记录", 14)
    assert all(em_width(line) <= 14 for line in lines)
    assert "ID/MRZ" in " ".join(lines)
    assert not any(line[0] in "，。）" or line[-1] in "（" for line in lines)
    assert "".join(lines).replace(" ", "") == "审核材料与出入境记录ID/MRZ校验，并核对（出入境）记录"


def _boxes(svg: str):
    """Each node's box width and its text lines (with their font size), from the SVG."""
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)  # noqa: S314 (our own Graphviz output)
    for node in root.iterfind(".//s:g[@class='node']", ns):
        shape = node.find(".//s:path", ns)
        if shape is None:
            shape = node.find(".//s:polygon", ns)
        assert shape is not None
        numbers = [
            float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points") or "")
        ]
        xs = numbers[0::2]
        texts = [(t.text or "", float(t.get("font-size", "0"))) for t in node.iterfind(".//s:text", ns)]
        yield max(xs) - min(xs), texts


def test_every_box_fits_its_text_in_any_cjk_font():
    """A full-width character is 1 em in every CJK font, and Latin is measured as wide as the widest
    common sans draws it: each box is wider than its longest line measured so, with a margin."""
    steps = [
        Step(1, "受理出入境证件申请（网上或窗口 WINDOW）", "受理窗口民警 Counter No.3", "即时", "2"),
        Step(2, "审核 ID/MRZ 与出入境记录", "审核岗 AUDIT-2026", "5个工作日", "准予:3；不予:1"),
        Step(3, "制证发证 WWWWMMMM", "Passport Office 1234567890", "2个工作日"),
    ]
    boxes = list(_boxes(render_svg(steps, title="普通护照签发")))
    assert len(boxes) == 3
    for width, texts in boxes:
        assert texts
        for text, size in texts:
            assert em_width(text) * size + 18 < width, text
