"""Working days from the calendar table, make-up days (调休) included. Unknown years are refused."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from gongkai.core.models import CalendarDay, CalendarYear


class CalendarUnknownError(ValueError):
    """The official schedule of this year has not been entered: a date in it cannot be known."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _("%(year)d 年的节假日安排尚未录入，无法确定工作日；请管理员先录入该年度日历。") % {"year": year}
            + f" (The {year} holiday schedule has not been entered; working days cannot be known.)"
        )


_VERSION_KEY = "core:calendar:version"
_local = threading.local()


def _version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = 1
        cache.set(_VERSION_KEY, version, None)
    return int(version)


def _bump_version() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


@dataclass
class _YearTable:
    days: dict[dt.date, CalendarDay] = field(default_factory=dict)


# Loaded years are also dropped after this many seconds, so a change made in a transaction that
# was later rolled back (which sends no signal) cannot linger.
_MAX_AGE_SECONDS = 300.0


def clear_cache() -> None:
    _local.years = None


def _refresh() -> None:
    """Drop loaded years if the calendar changed (or they are old). Called once per public call."""
    version = _version()
    now = time.monotonic()
    if (
        getattr(_local, "years", None) is None
        or getattr(_local, "version", None) != version
        or now - getattr(_local, "loaded_at", 0.0) > _MAX_AGE_SECONDS
    ):
        _local.years = {}
        _local.version = version
        _local.loaded_at = now


def _year(year: int) -> _YearTable:
    store: dict[int, _YearTable] | None = getattr(_local, "years", None)
    if store is None:
        _refresh()
        store = _local.years
    assert store is not None
    table = store.get(year)
    if table is None:
        if not CalendarYear.objects.filter(year=year).exists():
            raise CalendarUnknownError(year)
        table = _YearTable({d.date: d for d in CalendarDay.objects.filter(date__year=year)})
        store[year] = table
    return table


def _day(day: dt.date) -> CalendarDay:
    table = _year(day.year)
    info = table.days.get(day)
    if info is None:  # a year entered without every day: fall back to the weekday rule
        info = CalendarDay(date=day, is_workday=day.weekday() < 5, name="", source="weekday rule")
    return info


def day_info(day: dt.date) -> CalendarDay:
    _refresh()
    return _day(day)


def is_workday(day: dt.date) -> bool:
    return day_info(day).is_workday


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself not counted). n must be >= 0."""
    if n < 0:
        raise ValueError("n must be >= 0")
    _refresh()
    day = start
    _year(start.year)
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if _day(day).is_workday:
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    _refresh()
    _year(start.year)
    _year(end.year)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if _day(day).is_workday:
            count += 1
    return count


def special_days(start: dt.date, end: dt.date) -> list[CalendarDay]:
    """Holidays on weekdays and make-up working weekends in (start, end]."""
    _refresh()
    result = []
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        info = _day(day)
        if info.is_holiday or info.is_makeup_day:
            result.append(info)
    return result


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
@receiver(post_save, sender=CalendarYear)
@receiver(post_delete, sender=CalendarYear)
def _calendar_changed(**kwargs: object) -> None:
    _bump_version()
