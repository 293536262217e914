"""`gongkai rotate_data_key`: add a new current data key to the key file (old keys kept, by id) and
re-seal every sealed personal-data value under it. Safe to run again after an interruption: values
already under the new key are rewritten the same way, the rest still open with their old key."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongkai.core import crypto


def sealed_fields() -> list[tuple[Any, list[str]]]:
    """Every model with SealedCharFields, and their names."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, crypto.SealedCharField)]
        if names:
            found.append((model, names))
    return found


def reseal_all() -> int:
    """Rewrite every sealed value under the current key; return how many rows were rewritten."""
    count = 0
    for model, names in sealed_fields():
        batch: list[Any] = []
        for obj in model._default_manager.only("pk", *names).iterator(chunk_size=1000):
            batch.append(obj)
            if len(batch) >= 1000:
                model._default_manager.bulk_update(batch, names)
                count += len(batch)
                batch = []
        model._default_manager.bulk_update(batch, names)
        count += len(batch)
    return count


class Command(BaseCommand):
    help = "Make a new data key current and re-seal all personal data under it (old keys are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ring = crypto.rotate()
            with transaction.atomic():
                count = reseal_all()
        except crypto.KeyError_ as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"data key {ring.current} is current; {count} rows re-sealed ({crypto.preferred_cipher()})"
        )
