"""`gongkai backup [--to DIR] [--keep N]`: one archive of the database, attachments and a manifest
(core/backup.py); prints its path. Scheduled daily as the `core.backup` job (core/tasks.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core import backup


class Command(BaseCommand):
    help = "Back up the database and attachments into one archive with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to", type=Path, default=None, help="folder for the archive (GONGKAI_BACKUP_DIR)"
        )
        parser.add_argument("--keep", type=int, default=None, help="keep only the N newest archives there")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup.backup(options["to"])
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        keep = options["keep"]
        if keep is not None:
            backup.prune(archive.parent, keep)
        self.stdout.write(str(archive))
        if options["to"] is None and keep is None:
            backup.prune(archive.parent, settings.BACKUP_KEEP)
