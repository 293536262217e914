"""Core is the foundation every app builds on: it imports no app at run time (no import cycles)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from gongkai.accounts.choices import Role
from gongkai.core import roles

CORE = Path(__file__).resolve().parents[1]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def run_time_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import outside `if TYPE_CHECKING:` blocks, function-level ones included."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.orelse:
                visit(statement)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def app_imports_of_core() -> list[str]:
    other_apps = {c.name for c in apps.get_app_configs() if c.name.startswith("gongkai.")} - {"gongkai.core"}
    offences = []
    for path in sorted(CORE.rglob("*.py")):
        if "tests" in path.relative_to(CORE).parts:
            continue  # tests may build their personas with other apps' services
        for line, module in run_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if any(module == app or module.startswith(app + ".") for app in other_apps):
                offences.append(f"{path.relative_to(CORE.parent.parent)}:{line} imports {module}")
    return offences


def test_core_imports_no_app_at_run_time():
    offences = app_imports_of_core()
    assert not offences, (
        "core must not import an app at run time (use TYPE_CHECKING for hints):\n" + "\n".join(offences)
    )


def test_the_check_sees_an_app_import_but_not_a_type_hint_one():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from gongkai.accounts.models import User\n"
        "def f():\n    from gongkai.catalog import search\n"
        "import gongkai.inforequests.deadlines\n"
    )
    modules = [m for _, m in run_time_imports(tree)]
    assert "gongkai.accounts.models.User" not in modules
    assert "gongkai.catalog.search" in modules
    assert "gongkai.inforequests.deadlines" in modules


def test_the_role_codes_core_checks_are_the_accounts_roles():
    assert roles.SYSTEM_ADMIN == Role.SYSTEM_ADMIN
    assert roles.SECURITY_ADMIN == Role.SECURITY_ADMIN
    assert roles.AUDIT_ADMIN == Role.AUDIT_ADMIN
