"""Operation flowcharts: structured steps checked, then laid out by Graphviz (`dot -Tsvg`) as an SVG
with Chinese labels, and told again in words for screen readers.

A flow is refused, with the step named, when a step has no responsible post, a branch points to a
step that does not exist, a loop has no way out, or a step cannot be reached from the first."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# Graphviz measures with the face Debian's fonts-noto-cjk installs (the PNG of the forms is drawn
# with it); a browser shows the SVG with the first of these it has: the same face (Source Han Sans
# is its other name), then the CJK system fonts of macOS/iOS, Windows and Linux desktops. The font
# is not served, so no box relies on its widths: each is sized by `em_width` (see there).
FONT = "Noto Sans CJK SC"
FONT_STACK = (
    "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Hiragino Sans GB','Microsoft YaHei',"
    "'WenQuanYi Micro Hei',sans-serif"
)
NODE_FONT_SIZE = 12
EDGE_FONT_SIZE = 11
TITLE_FONT_SIZE = 16
NODE_MARGIN_X = 0.18  # inches either side of a box's label
DOT_TIMEOUT_SECONDS = 10
_BRANCH = re.compile(r"^(?:(?P<label>[^:：]+)[:：])?\s*(?P<number>\d+)$")
_HEADING = re.compile(r"^[【\[]([^】\]]+)[】\]]$")


class FlowError(ValueError):
    """A flow that cannot be drawn or followed; the message names the step."""


class RenderError(RuntimeError):
    """Graphviz is missing or failed."""


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    post: str = ""
    time_limit: str = ""
    next_steps: str = ""
    basis: str = ""
    procedure: str = ""


@dataclass(frozen=True)
class Branch:
    label: str
    target: int


def _step_name(step: Step) -> str:
    return _("第 %(n)d 步“%(name)s”") % {"n": step.number, "name": step.name}


def branches(step: Step) -> list[Branch]:
    """The steps that may follow `step` ("3", or "准予:4；不予:7"); an empty list ends the flow."""
    text = step.next_steps.strip()
    if not text:
        return []
    result = []
    for part in re.split(r"[;；,，]", text):
        part = part.strip()
        if not part:
            continue
        match = _BRANCH.match(part)
        if match is None:
            raise FlowError(
                _("%(step)s的下一步“%(text)s”无法识别，应写成“3”或“准予:4；不予:7”。")
                % {"step": _step_name(step), "text": part}
            )
        result.append(Branch((match.group("label") or "").strip(), int(match.group("number"))))
    return result


def check(steps: Sequence[Step]) -> None:
    """Refuse a flow that cannot be followed from its first step to an end, naming the step."""
    if not steps:
        raise FlowError(_("流程至少需要一个步骤。"))
    by_number: dict[int, Step] = {}
    for step in steps:
        if step.number in by_number:
            raise FlowError(_("步骤编号 %(n)d 重复。") % {"n": step.number})
        by_number[step.number] = step
    edges: dict[int, list[int]] = {}
    for step in steps:
        if not step.name.strip():
            raise FlowError(_("第 %(n)d 步没有名称。") % {"n": step.number})
        if not step.post.strip():
            raise FlowError(_("%(step)s没有责任岗位或部门。") % {"step": _step_name(step)})
        edges[step.number] = []
        for branch in branches(step):
            if branch.target not in by_number:
                raise FlowError(
                    _("%(step)s的分支“%(label)s”指向不存在的第 %(to)d 步。")
                    % {"step": _step_name(step), "label": branch.label or branch.target, "to": branch.target}
                )
            if branch.target == step.number and len(branches(step)) == 1:
                raise FlowError(_("%(step)s只指向自己，流程无法结束。") % {"step": _step_name(step)})
            edges[step.number].append(branch.target)
    # Which steps can still reach an end step (one with no next step): walk the edges backwards.
    ends = {n for n, targets in edges.items() if not targets}
    if not ends:
        first_in_loop = min(edges)
        raise FlowError(
            _("%(step)s所在的循环没有出口：流程没有结束步骤。")
            % {"step": _step_name(by_number[first_in_loop])}
        )
    reverse: dict[int, list[int]] = {n: [] for n in edges}
    for source, targets in edges.items():
        for target in targets:
            reverse[target].append(source)
    finishing = set(ends)
    frontier = list(ends)
    while frontier:
        for source in reverse[frontier.pop()]:
            if source not in finishing:
                finishing.add(source)
                frontier.append(source)
    stuck = sorted(n for n in edges if n not in finishing)
    if stuck:
        raise FlowError(
            _("%(step)s所在的循环没有出口：从这一步无法走到流程的结束。")
            % {"step": _step_name(by_number[stuck[0]])}
        )
    first = steps[0].number
    reached = {first}
    frontier = [first]
    while frontier:
        for target in edges[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    unreached = [n for n in sorted(edges) if n not in reached]
    if unreached:
        raise FlowError(
            _("%(step)s无法从第一步到达，请检查各步骤的“下一步”。")
            % {"step": _step_name(by_number[unreached[0]])}
        )


def procedures(steps: Iterable[Step]) -> list[tuple[str, list[Step]]]:
    """The steps by procedure (一般程序、简易程序…; "" for an item with one), in the order the
    procedures were entered, each flow in step order: one flowchart each."""
    groups: dict[str, list[Step]] = {}
    for step in steps:
        groups.setdefault(step.procedure.strip(), []).append(step)
    return [(name, sorted(group, key=lambda s: s.number)) for name, group in groups.items()]


def check_procedures(steps: Sequence[Step]) -> None:
    """`check` every procedure's flow; the message names the procedure when the item has several."""
    for name, flow in procedures(steps):
        try:
            check(flow)
        except FlowError as exc:
            if not name:
                raise
            raise FlowError(_("“%(procedure)s”：%(problem)s") % {"procedure": name, "problem": exc}) from None


def procedure_heading(parts: Sequence[str]) -> str | None:
    """The procedure a line of a step list starts (“【简易程序】” alone on its line), else None."""
    if len(parts) != 1:
        return None
    match = _HEADING.match(parts[0].strip())
    return match.group(1).strip() if match else None


def chart_title(name: str, procedure: str) -> str:
    """A flowchart's title: the item, and the procedure when the item has several."""
    return _("%(name)s（%(procedure)s）") % {"name": name, "procedure": procedure} if procedure else name


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def em_width(text: str) -> float:
    """How wide `text` may be, in ems, in any font of FONT_STACK or its fallback: a full-width
    character (汉字, full-width punctuation, and the ambiguous ones such as “·”) is 1 em in every
    CJK font; Latin letters and digits are taken as wide as DejaVu Sans draws them, the widest
    common sans (digits 0.64 em, “W” 0.99 em), so a box sized by this fits whichever font shows it."""
    return sum(_char_em(char) for char in text)


def _char_em(char: str) -> float:
    if unicodedata.east_asian_width(char) in ("W", "F", "A"):
        return 1.0
    if char.isspace():
        return 0.35
    if char in "MWmw@%":
        return 1.0
    if char.isupper():
        return 0.8
    if char.isalnum():
        return 0.65
    return 0.5


# Punctuation that may not begin a line (避头) goes down with the character before it; one that may
# not end a line (避尾) goes down to the next.
_NO_LINE_START = set("，。、；：？！）」』】》〉”’%,.;:?!)]")
_NO_LINE_END = set("（「『【《〈“‘([")


def _tokens(text: str) -> list[str]:
    """Break points: between any two full-width characters, at spaces, never inside a Latin word."""
    return re.findall(r"\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|.", text)


def wrap_lines(text: str, width_em: float) -> list[str]:
    """`text` in lines of at most `width_em` ems (by `em_width`); Chinese breaks between any two
    characters, a Latin word only when it alone is longer than a line."""
    lines: list[str] = []
    line: list[str] = []
    for token in _tokens(" ".join(text.split())):
        if token.isspace():
            if line:
                line.append(" ")
            continue
        pieces = [token] if em_width(token) <= width_em else list(token)
        for piece in pieces:
            if line and em_width("".join(line) + piece) > width_em:
                carried: list[str] = []
                if piece[0] in _NO_LINE_START and len(line) > 1:
                    carried = [line.pop()]
                while len(line) > 1 and line[-1][-1] in _NO_LINE_END:
                    carried.insert(0, line.pop())
                lines.append("".join(line).rstrip())
                line = carried
            line.append(piece)
    if line:
        lines.append("".join(line).rstrip())
    return [part for part in lines if part] or [" "]


def _wrap(text: str, width_em: float = 14) -> str:
    return "\n".join(wrap_lines(text, width_em))


def _box_width(lines: Sequence[str], font_size: int) -> float:
    """A box's width in inches: its longest line by `em_width`, its margins, and a little slack."""
    return round(max(em_width(line) for line in lines) * font_size / 72 + 2 * NODE_MARGIN_X + 0.05, 3)


def _title_label(lines: Sequence[str], font_size: int) -> str:
    """The title in a cell as wide as `em_width` says, its lines set from the cell's left edge:
    Graphviz writes such a line anchored at its start, so a wider font still ends inside the cell
    (a centred one would start where Graphviz's own measure put it and could run past the edge)."""
    width = round(max(em_width(line) for line in lines) * font_size) + 6
    body = '<BR ALIGN="LEFT"/>'.join(html.escape(line) for line in lines)
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="1">'
        f'<TR><TD WIDTH="{width}" ALIGN="LEFT" BALIGN="LEFT">{body}</TD></TR></TABLE>>'
    )


def to_dot(steps: Sequence[Step], *, title: str = "") -> str:
    check(steps)
    title_label = _title_label(wrap_lines(title, 30), TITLE_FONT_SIZE) if title.strip() else '""'
    lines = [
        "digraph flow {",
        f"  graph [rankdir=TB, nodesep=0.35, ranksep=0.4, fontname={_quote(FONT)}, label={title_label},"
        f" labelloc=t, fontsize={TITLE_FONT_SIZE}, bgcolor=white];",
        f'  node [shape=box, style="rounded,filled", fillcolor="#f3f6fb", color="#1f4e8c",'
        f' fontname={_quote(FONT)}, fontsize={NODE_FONT_SIZE}, margin="{NODE_MARGIN_X},0.08"];',
        f'  edge [color="#1f4e8c", fontname={_quote(FONT)}, fontsize={EDGE_FONT_SIZE}, fontcolor="#333333"];',
    ]
    for step in steps:
        detail = " · ".join(part for part in (step.post.strip(), step.time_limit.strip()) if part)
        label_lines = [*wrap_lines(f"{step.number}. {step.name.strip()}", 14), *wrap_lines(detail, 18)]
        targets = branches(step)
        extra = ', fillcolor="#e8f3ea", color="#2e7d32", peripheries=2' if not targets else ""
        if len(targets) > 1:
            extra = ', fillcolor="#fff7e0", color="#b26a00"'
        lines.append(
            f"  s{step.number} [label={_quote(chr(10).join(label_lines))},"
            f" width={_box_width(label_lines, NODE_FONT_SIZE)},"
            f" tooltip={_quote(step.basis or step.name)}{extra}];"
        )
    for step in steps:
        for branch in branches(step):
            # A branch's label is a word or two (准予、不予); centred on its edge, a wider font
            # only widens it on both sides.
            label = f" [label={_quote(' ' + branch.label + ' ')}]" if branch.label else ""
            lines.append(f"  s{step.number} -> s{branch.target}{label};")
    lines.append("}")
    return "\n".join(lines)


def _run_dot(source: str, output: str) -> bytes:
    dot = shutil.which("dot")
    if dot is None:
        raise RenderError(_("未安装 Graphviz（dot），无法绘制流程图。"))
    try:
        done = subprocess.run(
            [dot, f"-T{output}"],
            input=source.encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError(_("流程图绘制超时。")) from exc
    if done.returncode != 0:
        raise RenderError(
            _("流程图绘制失败：%(error)s") % {"error": done.stderr.decode(errors="replace")[:300]}
        )
    return done.stdout


def render_png(steps: Sequence[Step], *, title: str = "", dpi: int = 150) -> bytes:
    """The same flowchart as a PNG image, for the basic-information form (DOCX and PDF)."""
    source = to_dot(steps, title=title).replace("{", f"{{\n  dpi={dpi};", 1)
    return _run_dot(source, "png")


def render_svg(steps: Sequence[Step], *, title: str = "") -> str:
    """The flowchart as an SVG fragment to place in a page (no XML prolog), laid out by Graphviz."""
    done_svg = _run_dot(to_dot(steps, title=title), "svg")
    svg = done_svg.decode()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)
    svg = svg.replace(f'font-family="{FONT}"', f'font-family="{FONT_STACK}"')
    # Drop the fixed size (keep the viewBox): the page scales the chart to its column.
    svg = re.sub(
        r'<svg width="[^"]*" height="[^"]*"',
        '<svg class="flowchart" role="img" aria-hidden="true"',
        svg,
        count=1,
    )
    return svg


def describe(steps: Iterable[Step]) -> list[str]:
    """The flow in words, one sentence per step (the text alternative of the chart)."""
    lines = []
    for step in steps:
        parts = [_("第 %(n)d 步：%(name)s") % {"n": step.number, "name": step.name}]
        if step.post:
            parts.append(_("责任岗位：%(post)s") % {"post": step.post})
        if step.time_limit:
            parts.append(_("时限：%(limit)s") % {"limit": step.time_limit})
        if step.basis:
            parts.append(_("依据：%(basis)s") % {"basis": step.basis})
        targets = branches(step)
        if not targets:
            parts.append(_("流程结束"))
        else:
            parts.append(
                pgettext("list separator: between branches", "；").join(
                    (_("%(label)s转第 %(n)d 步") % {"label": b.label, "n": b.target})
                    if b.label
                    else (_("转第 %(n)d 步") % {"n": b.target})
                    for b in targets
                )
            )
        lines.append(
            pgettext("list separator: between parts", "，").join(parts) + pgettext("full stop", "。")
        )
    return lines
