"""`gongkai deadline --received YYYY-MM-DD [--json]`: the reply due dates and how they were computed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core import deadlines
from gongkai.core.rules import RuleSetUnknownError
from gongkai.core.workdays import CalendarUnknownError


class Command(BaseCommand):
    help = "Print the reply due date and extended due date of an application received on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", required=True, help="receipt date, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            received = dt.date.fromisoformat(options["received"])
        except ValueError as exc:
            raise CommandError(
                f"日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD): {options['received']}"
            ) from exc
        try:
            result = deadlines.reply_deadline(received)
        except (CalendarUnknownError, RuleSetUnknownError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"received:     {result.received.isoformat()}")
            self.stdout.write(f"due:          {result.reply.due.isoformat()}")
            self.stdout.write(f"extended due: {result.extended.due.isoformat()}")
            self.stdout.write(f"rule set:     {result.rule_set.code} {result.rule_set.title}")
            self.stdout.write(result.explain())
