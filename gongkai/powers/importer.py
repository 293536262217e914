"""Import a list from XLSX, the form agencies keep these lists in: one row per item on the first
sheet, its materials, flow and responsibility list as lines in their cells. Every row is checked
and written in one transaction: one bad row and nothing is imported, each error naming its row and
column, so the file can be fixed and imported again."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from gongkai.accounts.models import Department, User
from gongkai.core import acts, spreadsheet
from gongkai.powers import flowchart, services
from gongkai.powers.choices import ItemList, Level, MaterialForm, PowerCategory, Stage
from gongkai.powers.models import PowerItem

# Column headings (Chinese, as the agencies' sheets have them) → field.
COLUMNS = {
    "清单": "list_kind",
    "职权类别": "category",
    "事项编码": "code",
    "事项名称": "name",
    "子项": "sub_items",
    "设定依据": "legal_basis",
    "实施部门": "department",
    "行使层级": "level",
    "设立日期": "set_on",
    "设立文件": "set_document",
    "受理条件": "conditions",
    "法定时限": "statutory_days",
    "承诺时限": "promised_days",
    "收费标准": "fee",
    "收费依据": "fee_basis",
    "办理地点": "place",
    "办理时间": "hours",
    "咨询电话": "phone",
    "网上办理": "online_url",
    "申请材料": "materials",
    "办理流程": "steps",
    "责任清单": "responsibilities",
}
REQUIRED = ("职权类别", "事项编码", "事项名称", "实施部门", "设定依据")
HEADING = {field: heading for heading, field in COLUMNS.items()}
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        # Whole sentences, so that each language orders and punctuates them its own way.
        if self.column:
            return _("第 %(row)d 行“%(column)s”列：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    errors: list[RowError] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def choice_value(label: str, choices: Any) -> str | None:
    """The value of a choice typed by its code, its Chinese name or its name in the language the
    page is read in (letters in any case): the same sheet or form line means the same to an editor
    reading the workbench in English."""
    wanted = label.strip().casefold()
    with translation.override(settings.LANGUAGE_CODE):
        chinese = [(value, str(text)) for value, text in choices.choices]
    for (value, text), (_value, shown) in zip(chinese, choices.choices, strict=True):
        if wanted in (str(value).casefold(), text.casefold(), str(shown).casefold()):
            return str(value)
    return None


def _choice(label: str, choices: Any, column: str) -> str:
    value = choice_value(label, choices)
    if value is not None:
        return value
    raise _Bad(
        column,
        _("“%(value)s”不是可选的值（%(options)s）。")
        % {"value": label, "options": "、".join(str(t) for _v, t in choices.choices)},
    )


def _lines(text: str) -> list[list[str]]:
    return [
        [p.strip() for p in line.replace("｜", "|").split("|")] for line in text.splitlines() if line.strip()
    ]


def step_lines(steps: list[flowchart.Step]) -> str:
    """Steps as the lines they are entered in (编号|步骤|岗位|时限|下一步|依据), each named
    procedure after its heading line “【简易程序】”."""
    lines = []
    for procedure, flow in flowchart.procedures(steps):
        if procedure:
            lines.append(f"【{procedure}】")
        lines += [f"{s.number}|{s.name}|{s.post}|{s.time_limit}|{s.next_steps}|{s.basis}" for s in flow]
    return "\n".join(lines)


def _int(text: str, column: str) -> int | None:
    if not text:
        return None
    try:
        value = int(float(text))
    except ValueError:
        raise _Bad(column, _("应为整数（工作日数）。")) from None
    if value < 0:
        raise _Bad(column, _("应为整数（工作日数）。"))
    return value


def _parse_row(
    cells: dict[str, str], departments: dict[str, Department]
) -> tuple[dict[str, Any], dt.date, str]:
    for heading in REQUIRED:
        if not cells.get(heading):
            raise _Bad(heading, _("不能为空。"))
    data: dict[str, Any] = {
        "list_kind": _choice(cells.get("清单") or str(ItemList.POWERS.label), ItemList, "清单"),
        "category": _choice(cells["职权类别"], PowerCategory, "职权类别"),
        "code": cells["事项编码"],
        "name": cells["事项名称"],
        "sub_items": cells.get("子项", ""),
        "legal_basis": cells["设定依据"],
        "level": _choice(cells.get("行使层级") or str(Level.PROVINCE.label), Level, "行使层级"),
    }
    department = departments.get(cells["实施部门"])
    if department is None:
        raise _Bad("实施部门", _("没有名为“%(name)s”的部门。") % {"name": cells["实施部门"]})
    data["department"] = department
    set_text = cells.get("设立日期", "")
    try:
        set_on = dt.date.fromisoformat(set_text[:10]) if set_text else dt.date(2004, 7, 1)
    except ValueError:
        raise _Bad("设立日期", _("日期格式应为 YYYY-MM-DD。")) from None
    if data["list_kind"] == ItemList.APPROVALS:
        for key in ("conditions", "fee", "fee_basis", "place", "hours", "phone", "online_url"):
            data[key] = cells.get(HEADING[key], "")
        data["statutory_days"] = _int(cells.get("法定时限", ""), "法定时限")
        data["promised_days"] = _int(cells.get("承诺时限", ""), "承诺时限")
        materials = []
        for parts in _lines(cells.get("申请材料", "")):
            if len(parts) < 3:
                raise _Bad(
                    "申请材料",
                    _("每行应为“材料名称|原件或复印件|份数”：%(line)s") % {"line": "|".join(parts)},
                )
            copies = _int(parts[2], "申请材料") or 0
            if copies < 1:
                raise _Bad("申请材料", _("份数应为正整数：%(line)s") % {"line": "|".join(parts)})
            materials.append(
                {
                    "name": parts[0],
                    "form": _choice(parts[1], MaterialForm, "申请材料"),
                    "copies": copies,
                    "note": parts[3] if len(parts) > 3 else "",
                }
            )
        data["materials"] = materials
    steps: list[dict[str, Any]] = []
    procedure = ""
    for parts in _lines(cells.get("办理流程", "")):
        named = flowchart.procedure_heading(parts)
        if named is not None:
            procedure = named
            continue
        parts += [""] * (6 - len(parts))
        number = _int(parts[0], "办理流程")
        if number is None:
            raise _Bad("办理流程", _("每行应以步骤编号开头：%(line)s") % {"line": "|".join(parts)})
        steps.append(
            {
                "number": number,
                "name": parts[1],
                "post": parts[2],
                "time_limit": parts[3],
                "next_steps": parts[4],
                "basis": parts[5],
                "procedure": procedure,
            }
        )
    if steps:
        try:
            flowchart.check_procedures([flowchart.Step(**s) for s in steps])
        except flowchart.FlowError as exc:
            raise _Bad("办理流程", str(exc)) from None
    data["steps"] = steps
    duties = []
    for parts in _lines(cells.get("责任清单", "")):
        parts += [""] * (6 - len(parts))
        duties.append(
            {
                "stage": _choice(parts[0], Stage, "责任清单"),
                "duties": parts[1],
                "boundary": parts[2],
                "public_services": parts[3],
                "supervision": parts[4],
                "accountability": parts[5],
            }
        )
    data["responsibilities"] = duties
    return data, set_on, cells.get("设立文件") or _("（导入时未注明）")


def read_rows(content: bytes) -> list[dict[str, str]]:
    try:  # bounded in rows, columns, cells, cell size, decompressed size and time
        table = spreadsheet.read_xlsx(content, spreadsheet.Limits(rows=MAX_ROWS + 1))
    except spreadsheet.SpreadsheetError as exc:
        raise services.PowersError(exc.localised()) from exc
    rows = iter(table)
    header = [str(c or "").strip() for c in next(rows, ())]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise services.PowersError(_("第 1 行有无法识别的列：%(cols)s") % {"cols": "、".join(unknown)})
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise services.PowersError(_("缺少必需的列：%(cols)s") % {"cols": "、".join(missing)})
    result: list[dict[str, str]] = []
    for values in rows:
        if len(result) >= MAX_ROWS:
            raise services.PowersError(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
        cells = {}
        for heading, value in zip(header, values, strict=False):
            if heading:
                if isinstance(value, dt.datetime | dt.date):
                    value = value.isoformat()
                cells[heading] = "" if value is None else str(value).strip()
        result.append(cells)
    return result


class _Rollback(Exception):
    pass


def import_items(content: bytes, *, actor: User) -> Outcome:
    """Check and write every row in one transaction; any error and nothing is written."""
    rows = read_rows(content)
    departments = {d.name: d for d in Department.objects.all()}
    departments.update({d.short_name: d for d in Department.objects.exclude(short_name="")})
    outcome = Outcome(errors=[])
    assert outcome.errors is not None
    try:
        with transaction.atomic():
            seen: set[str] = set()
            for number, cells in enumerate(rows, start=2):
                if not any(cells.values()):
                    continue
                try:
                    data, set_on, document = _parse_row(cells, departments)
                    if data["code"] in seen:
                        raise _Bad("事项编码", _("与前面的行重复。"))
                    seen.add(data["code"])
                    existing = PowerItem.objects.filter(code=data["code"]).first()
                    with transaction.atomic():
                        if existing is None:
                            services.do_create_item(data, set_on=set_on, set_document=document, actor=actor)
                            outcome.created += 1
                        else:
                            services.do_update_item(
                                existing, data, actor=actor, expected_version=existing.version
                            )
                            outcome.updated += 1
                except _Bad as bad:
                    outcome.errors.append(RowError(number, bad.column, bad.message))
                except (acts.ActError, flowchart.FlowError) as exc:
                    outcome.errors.append(RowError(number, "", str(exc)))
            if outcome.errors:
                raise _Rollback
    except _Rollback:
        outcome.created = outcome.updated = 0
    return outcome


def template_xlsx() -> bytes:
    """An empty workbook with the headings, for agencies starting a list."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
