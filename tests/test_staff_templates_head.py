"""Every staff page keeps the workbench's head (its style sheet and scripts): a template that
extends workbench/base.html and fills `extra_head` must start it with `{{ block.super }}` — the
import pages once replaced it and were shown unstyled, their tables no keyboard regions."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "gongkai"
EXTENDS = re.compile(r"""{%\s*extends\s+["']workbench/base\.html["']""")
EXTRA_HEAD = re.compile(r"{%\s*block\s+extra_head\s*%}(.*?){%\s*endblock", re.S)


def test_staff_templates_keep_the_workbench_head():
    checked, missing = 0, []
    for path in ROOT.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        if not EXTENDS.search(source):
            continue
        for body in EXTRA_HEAD.findall(source):
            checked += 1
            if "block.super" not in body:
                missing.append(str(path.relative_to(ROOT)))
    assert checked >= 5
    assert not missing, missing
