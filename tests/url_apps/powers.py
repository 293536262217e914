"""The powers app's routes in the URL access matrix: the public lists and guides, and the
workbench where the departments compile their items and the office publishes list editions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.url_rules import HOME_RECORD, RECORD_EDITING, STAFF, Same, Staff

# Every member of staff reads the lists; the departments' editors and heads and the office compile
# them (an item of another department is refused by the service); the office publishes editions.
ROUTES: dict[str, Same | Staff] = {
    "powers:index": Same(200),
    "powers:approvals": Same(200),
    "powers:search": Same(200),
    "powers:download": Same(200),
    "powers:item": Same(200),
    "powers:guide": Same(200),
    "powers:form": Same(200),
    "api-v1:powers": Same(200),
    "api-v1:power": Same(200),
    "workbench:powers_staff:list": Staff(STAFF),
    "workbench:powers_staff:new": Staff(
        STAFF, post=frozenset({"head", "reviewer", "editor", "other_editor"})
    ),
    "workbench:powers_staff:import": Staff(
        STAFF, post=frozenset({"head", "reviewer", "editor", "other_editor"})
    ),
    "workbench:powers_staff:editions": Staff(STAFF, post=frozenset()),
    "workbench:powers_staff:edition_move": Staff(frozenset(), post=frozenset({"reviewer"})),
    "workbench:powers_staff:detail": Staff(HOME_RECORD),
    "workbench:powers_staff:edit": Staff(RECORD_EDITING, post=RECORD_EDITING),
    "workbench:powers_staff:move": Staff(frozenset(), post=RECORD_EDITING),
}

POST_DATA: dict[str, Any] = {"code": "PROBE-1", "list_kind": "approvals", "category": "licensing"}


def build(world: Any) -> None:
    """A published approval item (through an edition) and a draft item of the home department."""
    from gongkai.powers import services

    editor, reviewer = world.people["editor"], world.people["reviewer"]
    data = {
        "list_kind": "approvals",
        "category": "licensing",
        "code": "URL-CRJ-001",
        "name": "普通护照签发",
        "legal_basis": "《中华人民共和国护照法》第五条",
        "department": world.departments["exit_entry"],
        "level": "province",
        "conditions": "中国公民。",
        "statutory_days": 15,
        "promised_days": 7,
        "materials": [{"name": "居民身份证", "form": "both", "copies": 1, "note": ""}],
        "steps": [
            {"number": 1, "name": "受理", "post": "窗口", "time_limit": "即时", "next_steps": "", "basis": ""}
        ],
    }
    item = services.do_create_item(
        data, set_on=dt.date(2004, 7, 1), set_document="吉政发〔2004〕1号", actor=editor
    )
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    item = services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition("approvals", title="行政审批事项目录", actor=editor)
    edition = services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)
    draft = services.do_create_item(
        {**data, "code": "URL-CRJ-002", "name": "往来港澳通行证签发"},
        set_on=dt.date(2004, 7, 1),
        set_document="吉政发〔2004〕1号",
        actor=editor,
    )
    world.objects.update(power_item=item, power_draft=draft, power_edition=edition)


def kwargs(world: Any, name: str) -> dict[str, Any] | None:
    item, draft = world.objects["power_item"], world.objects["power_draft"]
    table: dict[str, dict[str, Any]] = {
        "powers:download": {"which": "approvals", "fmt": "csv"},
        "powers:item": {"code": item.code},
        "powers:guide": {"code": item.code},
        "powers:form": {"code": item.code, "fmt": "pdf"},
        "api-v1:power": {"code": item.code},
        "workbench:powers_staff:edition_move": {"pk": world.objects["power_edition"].pk, "move": "publish"},
        "workbench:powers_staff:detail": {"pk": draft.pk},
        "workbench:powers_staff:edit": {"pk": draft.pk},
        "workbench:powers_staff:move": {"pk": draft.pk, "move": "submit"},
    }
    return table.get(name, {})


def fingerprint() -> tuple[Any, ...]:
    from gongkai.powers.models import ListEdition, PowerItem

    return (
        sorted(PowerItem.objects.values_list("pk", "version", "status")),
        sorted(ListEdition.objects.values_list("pk", "version", "status")),
    )
