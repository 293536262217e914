"""How the tests act on a case as staff do: with the version they saw when they opened it, and,
for an act of the past, the moment it was recorded."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from gongkai.inforequests.models import Application

BEIJING = ZoneInfo("Asia/Shanghai")


def seen(application: Application) -> int:
    """Open the case afresh (as a member of staff loading the page) and give the version shown."""
    application.refresh_from_db()
    return application.version


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment of office hours on `day` (for a move recorded on that day)."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)
