"""The national format's table shapes (国办公开办函〔2021〕30号, as ../shared/reference/
annual_report_format_2021.json reconstructs them), for a table that arrives without its header
groups or row parents: table 三 and 四 are then drawn as the format has them all the same."""

from __future__ import annotations

import dataclasses
from typing import Final

from gongkai.annualreport.document import Row, Table

TABLE_3_NOTE: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS: Final = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other")
ORGANISATIONS: Final = frozenset(APPLICANTS[1:])
RESULTS: Final = "三、本年度办理结果"
RESULT_GROUPS: Final = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
RESULT_ROWS: Final = frozenset({"granted", "partial", "total_processed"})
REVIEW_GROUPS: Final = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼/未经复议直接起诉",
    "litigation_after": "行政诉讼/复议后起诉",
}


def _table_3_groups(table: Table) -> list[str]:
    return [
        "申请人情况/法人或其他组织" if key in ORGANISATIONS else "申请人情况" for key in table.column_keys
    ]


def _table_3_parents(row: Row) -> list[str]:
    if row.parents:
        return row.parents
    head = row.key.split(".", 1)[0]
    if row.key in RESULT_ROWS:
        return [RESULTS]
    if "." in row.key and head in RESULT_GROUPS:
        return [RESULTS, RESULT_GROUPS[head]]
    return []


def shaped(table: Table) -> Table:
    """The table with the national header groups, corner note and row parents filled in where the
    table is 三 or 四 and they are missing; any other table as it is (the document is not changed)."""
    key = table.key
    if key == "三" and set(table.column_keys) <= {*APPLICANTS, "total"}:
        return dataclasses.replace(
            table,
            column_groups=table.column_groups or _table_3_groups(table),
            corner=table.corner or TABLE_3_NOTE,
            rows=[dataclasses.replace(row, parents=_table_3_parents(row)) for row in table.rows],
        )
    if key == "四" and not table.column_groups:
        kinds = [k.split(".", 1)[0] for k in table.column_keys]
        if all(kind in REVIEW_GROUPS for kind in kinds):
            return dataclasses.replace(table, column_groups=[REVIEW_GROUPS[kind] for kind in kinds])
    return table
