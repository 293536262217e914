"""`gongkai audit verify`: walk the audit hash chain and name every event edited, inserted or
removed, then check every head noted outside the database (the anchor file, core/anchors.py; a head
given with --expect-head SEQ:HASH or read from a backup's manifest with --manifest BACKUP.tar) is
still in the chain with the same hash (exit 1 on any finding); a clean check notes the head in the
anchor file. `gongkai audit head`: the chain's last sequence number and hash, to be noted outside
the system (the daily backup's manifest and the anchor file carry it too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core import anchors, audit, backup


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and its anchors (verify) or print its head (head)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "head"])
        parser.add_argument(
            "--expect-head",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="a head noted elsewhere (as `audit head` printed it), which must still be in the chain",
        )
        parser.add_argument(
            "--manifest",
            action="append",
            default=[],
            metavar="BACKUP.tar",
            help="a backup archive whose manifest's audit head must still be in the chain",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            head = audit.head()
            self.stdout.write(f"{head.seq if head else 0} {head.hash if head else ''}")
            return
        expected = []
        try:
            expected += [anchors.parse_head(text) for text in options["expect_head"]]
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for name in options["manifest"]:
            try:
                manifest = backup.read_manifest(Path(name))
            except backup.BackupError as exc:
                raise CommandError(str(exc)) from None
            anchor = anchors.from_manifest(manifest, where=f"--manifest {name}")
            if anchor is not None:
                expected.append(anchor)
        result = anchors.verify(expected=expected)
        for finding in result.findings:
            self.stdout.write(f"{finding.kind}: {finding.message}")
        if result.findings:
            raise CommandError(
                f"audit chain broken: {len(result.findings)} finding(s) over {result.events} events"
            )
        head = result.head
        self.stdout.write(
            f"audit chain intact: {result.events} events, head {head.seq if head else 0} {head.hash if head else ''}"
        )
        if result.anchor is not None:
            self.stdout.write(f"head noted in {result.anchor.where}")
        if result.anchor_error:
            self.stderr.write(result.anchor_error)
