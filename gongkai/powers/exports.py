"""Open-data downloads of the published lists: the power list, the responsibility list and the
approval items with their service guides, as CSV, XLSX and JSON (the same rows in each)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from gongkai.core.spreadsheet import safe_cell
from gongkai.powers.choices import ItemList, Level, MaterialForm, PowerCategory, Stage
from gongkai.powers.models import ItemVersion
from gongkai.powers.queries import live_versions

LISTS = ("powers", "responsibilities", "approvals")
FORMATS = ("csv", "xlsx", "json")


def _columns(which: str) -> list[tuple[str, str]]:
    base = [
        ("code", _("事项编码")),
        ("category", _("职权类别")),
        ("name", _("事项名称")),
        ("department", _("实施部门")),
        ("level", _("行使层级")),
    ]
    if which == "powers":
        return [*base, ("sub_items", _("子项")), ("legal_basis", _("设定依据"))]
    if which == "responsibilities":
        return [
            ("code", _("事项编码")),
            ("name", _("事项名称")),
            ("stage", _("环节")),
            ("duties", _("责任事项")),
            ("boundary", _("职责边界")),
            ("public_services", _("公共服务事项")),
            ("supervision", _("事中事后监管措施")),
            ("accountability", _("追责情形")),
        ]
    return [
        *base,
        ("legal_basis", _("设定依据")),
        ("conditions", _("受理条件")),
        ("materials", _("申请材料")),
        ("statutory_days", _("法定办结时限（工作日）")),
        ("promised_days", _("承诺办结时限（工作日）")),
        ("fee", _("收费标准")),
        ("fee_basis", _("收费依据")),
        ("place", _("办理地点")),
        ("hours", _("办理时间")),
        ("phone", _("咨询电话")),
        ("online_url", _("网上办理")),
    ]


def rows(which: str) -> Iterable[dict[str, Any]]:
    versions = live_versions(ItemList.APPROVALS if which == "approvals" else ItemList.POWERS)
    for version in versions:
        yield from _rows_of(which, version)


def _rows_of(which: str, version: ItemVersion) -> Iterable[dict[str, Any]]:
    c = version.content
    common = {
        "code": version.code,
        "category": str(PowerCategory(version.category).label),
        "name": version.name,
        "department": version.department.name,
        "level": str(Level(version.level).label),
        "legal_basis": "\n".join(c.get("legal_basis", [])),
        "sub_items": "\n".join(c.get("sub_items", [])),
    }
    if which == "responsibilities":
        for r in c.get("responsibilities", []):
            yield {"code": version.code, "name": version.name, **r, "stage": str(Stage(r["stage"]).label)}
        return
    if which == "approvals":
        guide = c.get("guide") or {}
        materials = "\n".join(
            f"{m['name']}（{MaterialForm(m['form']).label}，{m['copies']}份）" for m in c.get("materials", [])
        )
        yield {**common, **{k: v for k, v in guide.items() if k != "faqs"}, "materials": materials}
        return
    yield common


def _cell(value: Any) -> Any:
    """A CSV/XLSX cell: empty for a missing value; text a spreadsheet would run as a formula quoted."""
    if value is None:
        return ""
    return safe_cell(value) if isinstance(value, str) else value


def table(which: str) -> tuple[list[str], list[list[Any]]]:
    columns = _columns(which)
    body = [[_cell(row.get(key)) for key, _label in columns] for row in rows(which)]
    return [label for _key, label in columns], body


def as_csv(which: str) -> bytes:
    header, body = table(which)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(body)
    # With a BOM: spreadsheet programs on Chinese Windows read UTF-8 CSV correctly only with it.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(which: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    header, body = table(which)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = {
        "powers": _("权力清单"),
        "responsibilities": _("责任清单"),
        "approvals": _("行政审批事项"),
    }[which]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append(row)
    for column in sheet.columns:
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_json(which: str) -> bytes:
    columns = _columns(which)
    data = [{key: row.get(key) for key, _label in columns} for row in rows(which)]
    return json.dumps(
        {"list": which, "fields": dict(columns), "items": data}, ensure_ascii=False, indent=1
    ).encode()
