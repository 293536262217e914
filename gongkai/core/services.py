"""Core services: entering a year's official holiday schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from gongkai.core import roles
from gongkai.core.audit import log_event
from gongkai.core.models import CalendarDay, CalendarYear

if TYPE_CHECKING:
    from gongkai.accounts.models import User


class CalendarInputError(ValueError):
    pass


@dataclass(frozen=True)
class SpecialDay:
    date: dt.date
    is_workday: bool
    name: str


def parse_schedule(year: int, text: str) -> list[SpecialDay]:
    """Lines like `2027-01-01 休 元旦` or `2027-02-06 班 春节调休上班`; errors name the line."""
    days: list[SpecialDay] = []
    seen: set[dt.date] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 2:
            raise CalendarInputError(_("第 %(n)d 行格式应为“日期 休/班 名称”。") % {"n": number})
        try:
            day = dt.date.fromisoformat(parts[0])
        except ValueError as exc:
            raise CalendarInputError(_("第 %(n)d 行日期无效：%(d)s") % {"n": number, "d": parts[0]}) from exc
        if day.year != year:
            raise CalendarInputError(_("第 %(n)d 行日期不在 %(y)d 年内。") % {"n": number, "y": year})
        if parts[1] not in {"休", "班", "off", "work"}:
            raise CalendarInputError(_("第 %(n)d 行第二项应为“休”或“班”。") % {"n": number})
        if day in seen:
            raise CalendarInputError(_("第 %(n)d 行日期重复。") % {"n": number})
        seen.add(day)
        days.append(SpecialDay(day, parts[1] in {"班", "work"}, parts[2] if len(parts) > 2 else ""))
    return days


def may_enter_calendar(actor: roles.Staff) -> bool:
    """Only the system administrator enters holiday schedules (the page asks the same question)."""
    return actor.has_role(roles.SYSTEM_ADMIN)


@transaction.atomic
def do_enter_calendar_year(
    year: int, special: Iterable[SpecialDay], *, source: str, actor: User
) -> CalendarYear:
    """Enter (or replace) a year's schedule: weekends off, weekdays working, then the official exceptions."""
    if not may_enter_calendar(actor):
        raise PermissionError(_("只有系统管理员可以录入节假日安排。"))
    if not source.strip():
        raise CalendarInputError(_("请注明来源（如国务院办公厅通知文号）。"))
    exceptions = {d.date: d for d in special}
    CalendarDay.objects.filter(date__year=year).delete()
    rows = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        entry = exceptions.get(day)
        if entry is not None:
            rows.append(
                CalendarDay(date=day, is_workday=entry.is_workday, name=entry.name[:60], source=source)
            )
        else:
            rows.append(CalendarDay(date=day, is_workday=day.weekday() < 5, name="", source=source))
        day += dt.timedelta(days=1)
    CalendarDay.objects.bulk_create(rows)
    calendar_year, created = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    # bulk_create sends no signals: tell the workday cache the calendar changed.
    post_save.send(sender=CalendarYear, instance=calendar_year, created=created)
    log_event(
        "core.calendar.year_entered",
        actor=actor,
        obj=calendar_year,
        after={
            "holidays": sorted(d.isoformat() for d, e in exceptions.items() if not e.is_workday),
            "makeup_days": sorted(d.isoformat() for d, e in exceptions.items() if e.is_workday),
            "source": source,
        },
    )
    transaction.on_commit(lambda: _calendar_changed(year))
    return calendar_year


def _calendar_changed(year: int) -> None:
    from gongkai.core.signals import calendar_year_changed

    calendar_year_changed.send(sender=CalendarYear, year=year)
