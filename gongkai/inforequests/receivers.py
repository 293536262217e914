from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.core.signals import calendar_year_changed


@receiver(calendar_year_changed)
def recompute_due_dates(sender: Any, year: int, **kwargs: Any) -> None:
    from gongkai.inforequests.services import recompute_open_clocks

    recompute_open_clocks(year)
