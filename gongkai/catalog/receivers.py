"""Catalog reactions to other apps' signals."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record
from gongkai.core.signals import calendar_year_changed


@receiver(calendar_year_changed)
def recompute_publication_limits(sender: Any, year: int, **kwargs: Any) -> None:
    """A limit of 20 working days can run into the next year: recompute records formed in year-1 and year."""
    from gongkai.catalog.services import compute_publish_due

    pending = Record.objects.filter(
        formed_on__year__in=[year - 1, year],
        status__in=[Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.APPROVED],
    ).only("pk", "formed_on", "publish_due")
    changed = []
    for record in pending.iterator(chunk_size=2000):
        due = compute_publish_due(record.formed_on)
        if due != record.publish_due:
            record.publish_due = due
            changed.append(record)
    Record.objects.bulk_update(changed, ["publish_due"], batch_size=1000)
