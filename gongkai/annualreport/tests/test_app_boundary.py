"""The annual report never queries another app's tables (issue 10): it reads the apps' figures
through the period-figures contract and acts on the catalog through the catalog's own services and
query functions — no module of the app imports another app's models, except `accounts` (the people
who act) and the foreign key a published report keeps to its catalog record (models.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from gongkai.core.tests.test_no_app_imports import run_time_imports

APP = Path(__file__).resolve().parents[1]
OTHER_APPS = ("catalog", "inforequests", "powers", "pressroom", "engagement", "newmedia")


def test_no_module_imports_another_apps_models():
    offences = []
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP).parts
        if parts[0] in ("tests", "migrations"):
            continue
        for line, module in run_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            for app in OTHER_APPS:
                if module.startswith(f"gongkai.{app}.models"):
                    offences.append(f"{path.relative_to(APP.parent.parent)}:{line} imports {module}")
    assert not offences, "\n".join(offences)
