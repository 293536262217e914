"""The national tables 二, 三 and 四 found among the lines of a report (rows known by the words of
their labels, not by their position, so a reordered, merged or OCR-damaged table is still read),
and every consistency rule of the format file (../shared/reference/annual_report_format_2021.json)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .context import Context
from .lines import Line, is_heading
from .normalize import format_number

T3_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other", "total")
T3_COLUMN_LABELS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
# Row keys of table 三 and the words that tell each row, most specific first.
T3_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("new_received", ("本年新收",)),
    ("carried_over", ("上年结转",)),
    ("carried_forward", ("结转下年", "下年度继续办理")),
    ("partial", ("部分公开",)),
    ("granted", ("予以公开",)),
    ("denied.state_secret", ("国家秘密",)),
    ("denied.law_forbid", ("禁止公开", "法律行政法规禁止")),
    ("denied.three_security_one_stability", ("三安全一稳定", "危及")),
    ("denied.third_party", ("第三方",)),
    ("denied.internal_affairs", ("内部事务",)),
    ("denied.process_info", ("过程性",)),
    ("denied.enforcement_case_file", ("执法案卷",)),
    ("denied.admin_query", ("行政查询",)),
    ("unable.not_held", ("不掌握",)),
    ("unable.needs_creation", ("另行制作", "没有现成")),
    ("unable.unclear_after_correction", ("补正后", "仍不明确")),
    ("not_processed.petition_complaint", ("信访", "举报投诉")),
    ("not_processed.repeat", ("重复申请",)),
    ("not_processed.publication", ("出版物",)),
    ("not_processed.massive_repeated", ("大量反复",)),
    ("not_processed.confirm_or_reissue", ("重新出具", "确认或")),
    ("other.overdue_no_correction", ("不补正",)),
    ("other.overdue_no_fee", ("缴纳费用", "收费通知")),
)
RESULT_PREFIXES = ("granted", "partial", "denied.", "unable.", "not_processed.", "other")
T4_GROUPS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
# Table 二: row → the number of its value columns in the 2021 format (the 2019 trial format has
# other columns; `trial_2019_differences` in the format file).
T2_ROWS = (
    ("规章", ("规章",), 3),
    ("行政规范性文件", ("规范性文件",), 3),
    ("行政许可", ("行政许可",), 1),
    ("其他对外管理服务事项", ("其他对外管理服务",), 1),
    ("行政处罚", ("行政处罚",), 1),
    ("行政强制", ("行政强制",), 1),
    ("行政事业性收费", ("行政事业性收费",), 1),
    ("政府集中采购", ("政府集中采购",), 2),
)
TRIAL_HEADERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减")
_NUMBERING = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.,]?\s*)+")
_SPACE = re.compile(r"\s+")


def _compact(text: str) -> str:
    return _SPACE.sub("", text)


def _bare(label: str) -> str:
    return _NUMBERING.sub("", _compact(label))


@dataclass
class ReadRow:
    key: str
    label: str
    values: list[Decimal | None]
    line: Line


@dataclass
class Table3:
    rows: dict[str, ReadRow] = field(default_factory=dict)

    def value(self, key: str, column: int = 6) -> Decimal | None:
        row = self.rows.get(key)
        return row.values[column] if row else None

    def sum_of(self, prefix: str, column: int = 6) -> Decimal | None:
        rows = [row for key, row in self.rows.items() if key == prefix or key.startswith(prefix + ".")]
        if not rows:
            return None
        return sum((row.values[column] or Decimal(0) for row in rows), Decimal(0))


@dataclass
class Tables:
    """What was read of the national tables."""

    table2: dict[str, ReadRow] = field(default_factory=dict)
    table3: Table3 | None = None
    table4: list[Decimal | None] | None = None
    table4_line: Line | None = None

    def as_dict(self) -> dict[str, object]:
        def plain(values: list[Decimal | None]) -> list[str | None]:
            return [None if v is None else format_number(v) for v in values]

        data: dict[str, object] = {}
        if self.table2:
            data["二"] = {key: plain(row.values) for key, row in self.table2.items()}
        if self.table3:
            data["三"] = {key: plain(row.values) for key, row in self.table3.rows.items()}
        if self.table4 is not None:
            data["四"] = plain(self.table4)
        return data


def _t3_key(labels: list[str], previous: str) -> str | None:
    if not labels:
        return None
    own = _compact(labels[-1])
    whole = _compact("".join(labels))
    for text in (own, whole):
        bare = _bare(text)
        if bare == "总计" or text.endswith("(七)总计"):
            return "total_processed"
        for key, words in T3_ROWS:
            if any(word in text for word in words):
                return key
        if bare == "其他" and (previous.startswith("other.") or "其他处理" in whole):
            return "other.other"
        if bare == "其他处理" or bare.endswith("其他处理"):
            return "other"
    return None


def read_tables(ctx: Context) -> Tables:
    tables = Tables()
    lines = ctx.lines
    for index, line in enumerate(lines):
        if not line.is_row:
            continue
        labels, values, _where = line.split()
        if tables.table3 is None and _t3_key(labels, "") == "new_received" and values:
            tables.table3 = _read_table3(ctx, lines, index)
    for index, line in enumerate(lines):
        compact = _compact(line.folded_text)
        heading = not line.is_row and is_heading(compact) and "行政复议" in compact and "行政诉讼" in compact
        if tables.table4 is None and ("结果维持" in compact or heading):
            _read_table4(ctx, tables, lines, index)
    tables.table2 = _read_table2(ctx, lines)
    return tables


def _read_table3(ctx: Context, lines: list[Line], start: int) -> Table3:
    table = Table3()
    previous = ""
    for line in lines[start : start + 60]:
        if not line.is_row:
            if is_heading(line.folded[0]) and "行政复议" in line.folded[0]:
                break
            continue
        labels, values, _where = line.split()
        key = _t3_key(labels, previous)
        if key is None or key in table.rows:
            if key in table.rows and key == "new_received":
                break
            continue
        previous = key
        label = line.label()
        if len(values) > 7:
            values = values[-7:]
        if len(values) != 7:
            if values or key in ("new_received", "total_processed", "carried_forward"):
                ctx.find(
                    "table.unreadable",
                    "notice",
                    _("表三“%(row)s”行读到%(n)d个数（应为7个），该行未核对。")
                    % {"row": label, "n": len(values)},
                    ctx.row_place(line, "三", line.label()),
                )
            continue
        table.rows[key] = ReadRow(key, label, values, line)
        if key == "carried_forward":
            break
    return table


def _read_table4(ctx: Context, tables: Tables, lines: list[Line], start: int) -> None:
    collected: list[Decimal | None] = []
    first: Line | None = None
    for line in lines[start : start + 40]:
        if not line.is_row:
            if is_heading(line.folded[0]) and line is not lines[start]:
                break
            continue
        labels, values, _where = line.split()
        if not values or (labels and len(values) < 15 and collected == []):
            continue
        first = first or line
        if len(values) >= 15:
            collected = values[-15:]
            first = line
            break
        collected.extend(values)
        if len(collected) >= 15:
            break
    if len(collected) != 15 or first is None:
        if collected and first is not None:
            ctx.find(
                "table.unreadable",
                "notice",
                _("表四读到%(n)d个数（应为15个），未核对。") % {"n": len(collected)},
                ctx.row_place(first, "四", ""),
            )
        return
    tables.table4, tables.table4_line = collected, first


def _read_table2(ctx: Context, lines: list[Line]) -> dict[str, ReadRow]:
    rows: dict[str, ReadRow] = {}
    inside = False
    for line in lines:
        text = line.folded_text
        if not line.is_row:
            if is_heading(line.folded[0]):
                if "主动公开政府信息情况" in _compact(text) or "主动公开政府信息" in _compact(text)[:14]:
                    inside = True
                elif inside:
                    break
            continue
        if not inside:
            continue
        labels, values, _where = line.split()
        if any(header in _compact(text) for header in TRIAL_HEADERS) and ctx.year and ctx.year >= 2021:
            ctx.find(
                "format.trial",
                "warning",
                _(
                    "表二用的是2019年试行格式的栏目（如“%(column)s”），%(year)d年度应按国办公开办函〔2021〕30号的格式。"
                )
                % {"column": next(h for h in TRIAL_HEADERS if h in _compact(text)), "year": ctx.year},
                ctx.row_place(line, "二", ""),
            )
        bare = _bare("".join(labels))
        for name, words, _count in T2_ROWS:
            if name in rows:
                continue
            if bare == name or any(bare.endswith(word) for word in words):
                rows[name] = ReadRow(name, name, values, line)
                break
    return rows


# --- the rules ---------------------------------------------------------------------------------


def _n(value: Decimal | None) -> str:
    return "0" if value is None else format_number(value)


def _v(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal(0)


def check_tables(ctx: Context, tables: Tables) -> None:
    if tables.table2:
        _check_table2(ctx, tables.table2)
    if tables.table3 is not None:
        _check_table3(ctx, tables.table3)
    if tables.table4 is not None and tables.table4_line is not None:
        _check_table4(ctx, tables.table4, tables.table4_line)
    if ctx.form == "national":
        missing = [
            name
            for name, absent in (
                ("二", not tables.table2),
                ("三", tables.table3 is None or not tables.table3.rows),
                ("四", tables.table4 is None),
            )
            if absent
        ]
        for name in missing:
            ctx.find(
                "table.missing",
                "warning",
                _("未能读出表%(table)s（可能缺少，或是图片）。") % {"table": name},
            )


def _check_values(ctx: Context, table: str, row: ReadRow, *, fee: bool = False, signed: bool = False) -> None:
    for column, value in enumerate(row.values):
        if value is None:
            continue
        if (value < 0 and not signed) or (not fee and value != value.to_integral_value()):
            ctx.find(
                "table.value",
                "error",
                _("表%(table)s“%(row)s”行第%(column)d列的数“%(value)s”不是非负整数。")
                % {"table": table, "row": row.label, "column": column + 1, "value": format_number(value)},
                ctx.row_place(row.line, table, row.label),
            )


def _check_table2(ctx: Context, rows: dict[str, ReadRow]) -> None:
    """T2-NONNEG: counts are non-negative integers; the fee is an amount in 万元."""
    for name, row in rows.items():
        if not row.values:
            ctx.find(
                "table.empty",
                "notice",
                _("表二“%(row)s”行没有填写数字（没有的应填0）。") % {"row": name},
                ctx.row_place(row.line, "二", name),
            )
            continue
        _check_values(
            ctx, "二", row, fee=name == "行政事业性收费", signed=len(row.values) >= 3 and name != "规章"
        )


def _check_table3(ctx: Context, table: Table3) -> None:
    rows = table.rows
    for row in rows.values():
        _check_values(ctx, "三", row)
    # T3-COL: every row's 总计 is the sum of the applicant columns.
    good = 0
    for row in rows.values():
        parts = sum((_v(v) for v in row.values[:6]), Decimal(0))
        if parts == _v(row.values[6]):
            good += 1
            continue
        ctx.find(
            "table3.column_total",
            "error",
            _("表三“%(row)s”行：各类申请人之和为%(sum)s，总计列却是%(total)s。")
            % {"row": row.label, "sum": _n(parts), "total": _n(row.values[6])},
            ctx.row_place(row.line, "三", row.label, "总计"),
        )
    if good:
        ctx.confirm("table3.column_total", _("表三 %(n)d行：总计 = 各类申请人之和") % {"n": good})
    # T3-SUM: （七）总计 is the sum of the result rows, column by column.
    results = [row for key, row in rows.items() if key.startswith(RESULT_PREFIXES)]
    total = rows.get("total_processed")
    if total is not None and results:
        good = 0
        for column in range(7):
            parts = sum((_v(row.values[column]) for row in results), Decimal(0))
            if parts == _v(total.values[column]):
                good += 1
                continue
            ctx.find(
                "table3.result_total",
                "error",
                _("表三“%(column)s”列：办理结果各行之和为%(sum)s，“（七）总计”却是%(total)s。")
                % {"column": T3_COLUMN_LABELS[column], "sum": _n(parts), "total": _n(total.values[column])},
                ctx.row_place(total.line, "三", total.label, T3_COLUMN_LABELS[column]),
            )
        if good == 7:
            ctx.confirm(
                "table3.result_total",
                _("表三 办理结果%(n)d行之和 = （七）总计 %(total)s")
                % {"n": len(results), "total": _n(total.values[6])},
                ctx.row_place(total.line, "三", total.label),
            )
    # T3-BAL: new + carried over = processed + carried forward, in every column.
    keys = ("new_received", "carried_over", "total_processed", "carried_forward")
    if all(key in rows for key in keys):
        new, old, done, forward = (rows[key] for key in keys)
        for column in range(7):
            a, b, c, d = (_v(row.values[column]) for row in (new, old, done, forward))
            place = ctx.row_place(forward.line, "三", forward.label, T3_COLUMN_LABELS[column])
            statement = f"{_n(a)} + {_n(b)} = {_n(c)} + {_n(d)}"
            if a + b == c + d:
                if column == 6:
                    ctx.confirm("table3.balance", _("表三 总计列：%(s)s") % {"s": statement}, place)
                continue
            ctx.find(
                "table3.balance",
                "error",
                _(
                    "表三“%(column)s”列不平衡：本年新收%(a)s + 上年结转%(b)s = %(left)s，"
                    "而办理结果总计%(c)s + 结转下年度%(d)s = %(right)s。"
                )
                % {
                    "column": T3_COLUMN_LABELS[column],
                    "a": _n(a),
                    "b": _n(b),
                    "c": _n(c),
                    "d": _n(d),
                    "left": _n(a + b),
                    "right": _n(c + d),
                },
                place,
            )
    else:
        missing = [key for key in keys if key not in rows]
        ctx.find(
            "table3.rows_missing",
            "warning",
            _("表三缺少“%(rows)s”行，未能核对各列的平衡。") % {"rows": "、".join(missing)},
        )


def _check_table4(ctx: Context, values: list[Decimal | None], line: Line) -> None:
    """T4-SUM: in each group, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    row = ReadRow("table4", "", values, line)
    _check_values(ctx, "四", row)
    for group, name in enumerate(T4_GROUPS):
        cells = values[group * 5 : group * 5 + 5]
        parts = sum((_v(v) for v in cells[:4]), Decimal(0))
        statement = " + ".join(_n(v) for v in cells[:4]) + f" = {_n(cells[4])}"
        place = ctx.row_place(line, "四", name, "总计")
        if parts == _v(cells[4]):
            ctx.confirm(
                "table4.total", _("表四 %(group)s：%(s)s") % {"group": _(name), "s": statement}, place
            )
            continue
        ctx.find(
            "table4.total",
            "error",
            _("表四“%(group)s”：结果维持、结果纠正、其他结果、尚未审结之和为%(sum)s，总计却是%(total)s。")
            % {"group": _(name), "sum": _n(parts), "total": _n(cells[4])},
            place,
        )
