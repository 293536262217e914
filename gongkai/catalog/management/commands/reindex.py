"""`gongkai reindex`: rebuild the search index from the published records."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from gongkai.catalog import search
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record


class Command(BaseCommand):
    help = "Rebuild the catalog search index from the published records (重建全文检索索引)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=5000, help="records per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, int(options["batch"]))
        published = Record.objects.filter(status=Status.PUBLISHED)
        total = published.count()
        started = time.monotonic()
        with transaction.atomic():
            search.clear_index()
        done = 0
        last_id = 0
        fields = ("id", "status", "name", "summary", "body_text")
        while True:
            chunk = list(published.filter(id__gt=last_id).order_by("id").only(*fields)[:batch])
            if not chunk:
                break
            with transaction.atomic():
                search.index_records(chunk)
            done += len(chunk)
            last_id = chunk[-1].pk
            self._progress(done, total, started)
        with transaction.atomic():
            search.optimize_index()
        elapsed = time.monotonic() - started
        self._progress(done, total, started, final=True)
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {done} published records in {elapsed:.1f} s 已重建索引。")
        )

    def _progress(self, done: int, total: int, started: float, *, final: bool = False) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        pct = 100.0 * done / total if total else 100.0
        line = f"\r  {done}/{total} ({pct:5.1f}%)  {done / elapsed:,.0f} records/s"
        self.stdout.write(line, ending="\n" if final or not sys.stdout.isatty() else "")
        self.stdout.flush()
