"""A test registry of fake providers: figures with the agreed codes and the seed's 2015 values,
so assembly is tested apart from the apps that will provide them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from gongkai.core.figures import CASES, ENTRIES, FILES, ITEMS, PERCENT, SESSIONS, Figure, Period, Registry

SEED_2015: dict[str, int | Decimal] = {
    "catalog.publications.total": 9695,
    "catalog.publications.portal": 1625,
    "catalog.publications.press_conference": 20,
    "catalog.publications.weibo": 4025,
    "catalog.publications.wechat": 4025,
    "catalog.records.published.total": 1625,
    "catalog.records.published.category.finance": 42,
    "catalog.records.published.category.procurement": 31,
    "catalog.records.formed.total": 1700,
    "catalog.records.formed.proactive": 1650,
    "catalog.records.formed.on_request": 30,
    "catalog.records.formed.withheld": 20,
    "powers.items.total": 79,
    "powers.items.categories": 9,
    "powers.responsibilities.categories": 7,
    "powers.forms.published": 81,
    "powers.flowcharts.published": 81,
    "powers.forms.power_list": 79,
    "powers.flowcharts.power_list": 87,
    "powers.approvals.department.before": 35,
    "powers.approvals.department.after": 7,
    "powers.approvals.department.rate": Decimal("80.0"),
    "powers.approvals.province.before": 171,
    "powers.approvals.province.after": 110,
    "powers.approvals.province.rate": Decimal("35.7"),
    "powers.guides.total": 110,
    "powers.guides.branches": 10,
    "pressroom.conferences.total": 20,
    "pressroom.conferences.host.government": 3,
    "pressroom.conferences.host.agency": 17,
}
TABLE_3_ROWS = (
    "new_received",
    "carried_over",
    "granted",
    "partial",
    "denied.state_secret",
    "denied.law_forbid",
    "denied.three_security_one_stability",
    "denied.third_party",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.enforcement_case_file",
    "denied.admin_query",
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear_after_correction",
    "not_processed.petition_complaint",
    "not_processed.repeat",
    "not_processed.publication",
    "not_processed.massive_repeated",
    "not_processed.confirm_or_reissue",
    "other.overdue_no_correction",
    "other.overdue_no_fee",
    "other.other",
    "total_processed",
    "carried_forward",
)
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other")


def table_3_values(new: int = 12, carried: int = 2, granted: int = 9, partial: int = 2) -> dict[str, int]:
    """A balanced table 三 with natural persons only: new + carried = processed + forward."""
    processed = granted + partial
    values: dict[str, int] = {}
    for row in TABLE_3_ROWS:
        n = {"new_received": new, "carried_over": carried, "granted": granted, "partial": partial}.get(row, 0)
        if row == "total_processed":
            n = processed
        if row == "carried_forward":
            n = new + carried - processed
        for column in (*APPLICANTS, "total"):
            values[f"inforequests.table3.{row}.{column}"] = n if column in ("natural_person", "total") else 0
    for kind in ("reconsideration", "litigation_direct", "litigation_after"):
        for result in ("upheld", "corrected", "other", "pending", "total"):
            values[f"inforequests.table4.{kind}.{result}"] = 0
    values["inforequests.table4.reconsideration.upheld"] = 1
    values["inforequests.table4.reconsideration.total"] = 1
    return values


def _unit(code: str, value: int | Decimal) -> object:
    if isinstance(value, Decimal):
        return PERCENT
    if code.startswith("inforequests."):
        return CASES
    if code.startswith("pressroom.conferences"):
        return SESSIONS
    if code.startswith("powers.forms") or code.startswith("powers.flowcharts"):
        return FILES
    if code.startswith("powers."):
        return ENTRIES
    return ITEMS


def registry(
    values: Mapping[str, int | Decimal | None],
    *,
    years: set[int] | None = None,
    overrides: Mapping[int, Mapping[str, int | Decimal | None]] | None = None,
) -> Registry:
    """A registry with one fake provider per app of `values` (the same values for every year
    unless `years` limits them: other years give zeros; `overrides` changes some in one year)."""
    result = Registry()
    apps: dict[str, dict[str, int | Decimal | None]] = {}
    for code, value in values.items():
        apps.setdefault(code.split(".", 1)[0], {})[code] = value

    for app, codes in apps.items():

        def provider(period: Period, codes: dict[str, int | Decimal | None] = codes) -> list[Figure]:
            current = years is None or period.start.year in years
            changed = (overrides or {}).get(period.start.year, {})
            return [
                Figure(
                    code,
                    code,
                    code,
                    changed[code]
                    if code in changed
                    else (value if current else (0 if isinstance(value, int) else None)),
                    _unit(code, value if value is not None else 0),  # type: ignore[arg-type]
                    section=code.rsplit(".", 1)[0],
                )
                for code, value in codes.items()
            ]

        result.register(app, provider)
    return result
