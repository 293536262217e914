"""`gongkai restore FILE --yes`: replace the database and the attachments with a backup's, after
checking every part against the manifest. Stop the web and job workers first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core import backup


class Command(BaseCommand):
    help = "Restore a backup archive made by `gongkai backup` (replaces the database and attachments)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="really replace the current data")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("restore replaces the current database and attachments: add --yes")
        try:
            manifest = backup.restore(options["archive"])
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        head = manifest.get("audit_head") or {}
        self.stdout.write(
            f"restored {options['archive']} ({manifest['created_at']}): "
            f"{sum(manifest['tables'].values())} rows, audit head {head.get('seq')} {head.get('hash')}"
        )
