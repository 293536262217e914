"""`gongkai audit verify`: walk the audit hash chain and name every event edited, inserted or
removed (exit 1 if any). `gongkai audit head`: the chain's last sequence number and hash, to be
noted outside the system (the daily backup's manifest carries it too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core import audit
from gongkai.core.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit trail's hash chain (verify) or print its head (head)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "head"])

    def handle(self, *args: Any, **options: Any) -> None:
        head = audit.head()
        if options["action"] == "head":
            self.stdout.write(f"{head.seq if head else 0} {head.hash if head else ''}")
            return
        findings = list(audit.verify())
        for finding in findings:
            self.stdout.write(f"{finding.kind}: {finding.message}")
        total = AuditEvent.objects.count()
        if findings:
            raise CommandError(f"audit chain broken: {len(findings)} finding(s) over {total} events")
        self.stdout.write(
            f"audit chain intact: {total} events, head {head.seq if head else 0} {head.hash if head else ''}"
        )
