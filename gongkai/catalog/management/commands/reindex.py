"""`gongkai reindex [--background]`: rebuild the search index from the published records (here, or
as a job the worker runs, its progress on the workbench jobs page)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.catalog import search_bulk


class Command(BaseCommand):
    help = "Rebuild the catalog search index from the published records (重建全文检索索引)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=5000, help="records per transaction")
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue a job for the worker (gongkai run_huey) and return; progress on /workbench/jobs/",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, int(options["batch"]))
        if options["background"]:
            from gongkai.catalog.tasks import reindex

            run = reindex.enqueue(batch=batch)
            self.stdout.write(
                self.style.SUCCESS(f"Queued job #{run.pk} (catalog.search.reindex) 已加入后台任务队列。")
            )
            return
        started = time.monotonic()
        done = search_bulk.rebuild(
            batch=batch, progress=lambda done, total: self._progress(done, total, started)
        )
        elapsed = time.monotonic() - started
        self._progress(done, done, started, final=True)
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {done} published records in {elapsed:.1f} s 已重建索引。")
        )

    def _progress(self, done: int, total: int, started: float, *, final: bool = False) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        pct = 100.0 * done / total if total else 100.0
        line = f"\r  {done}/{total} ({pct:5.1f}%)  {done / elapsed:,.0f} records/s"
        self.stdout.write(line, ending="\n" if final or not sys.stdout.isatty() else "")
        self.stdout.flush()
