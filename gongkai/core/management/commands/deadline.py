"""`gongkai deadline --received YYYY-MM-DD [--json]`: the reply due dates and how they were computed.

The dates come from the one reply clock (`core.deadlines.compute`) for an application received that
day with no pause and no extension yet: what the case page shows on the day it is received.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core import deadlines
from gongkai.core.rules import RuleSetUnknownError


def _crossed(result: deadlines.ClockResult, after: dt.date, until: dt.date) -> list[dict[str, str]]:
    return [
        {"date": d.isoformat(), "kind": kind, "name": name}
        for d, kind, name in result.crossed
        if after < d <= until
    ]


def as_dict(result: deadlines.ClockResult) -> dict[str, Any]:
    assert result.due is not None and result.extended_due is not None
    rule_set = result.rule_set
    return {
        "received": result.start.isoformat(),
        "due": result.due.isoformat(),
        "extended_due": result.extended_due.isoformat(),
        "rule_set": {
            "code": rule_set.code,
            "title": rule_set.title,
            "title_en": rule_set.title_en,
            "reply_workdays": rule_set.reply_workdays,
            "extension_workdays": rule_set.extension_workdays,
            "article": rule_set.reply_article,
        },
        "explanation": {
            "steps": [step.text for step in result.steps],
            "reply": {
                "start": result.start.isoformat(),
                "workdays": rule_set.reply_workdays,
                "due": result.due.isoformat(),
                "article": rule_set.reply_article,
                "crossed": _crossed(result, result.start, result.due),
            },
            "extension": {
                "start": result.due.isoformat(),
                "workdays": rule_set.extension_workdays,
                "due": result.extended_due.isoformat(),
                "article": rule_set.extension_article,
                "crossed": _crossed(result, result.due, result.extended_due),
            },
        },
    }


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
            result = deadlines.compute(deadlines.ClockInput(received_on=received, as_of=received))
        except RuleSetUnknownError as exc:
            raise CommandError(str(exc)) from exc
        if result.due is None or result.extended_due is None:
            # The clock leaves a date open while its year's holiday schedule is not entered.
            raise CommandError(result.steps[-1].text)
        if options["json"]:
            self.stdout.write(json.dumps(as_dict(result), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"received:     {received.isoformat()}")
        self.stdout.write(f"due:          {result.due.isoformat()}")
        self.stdout.write(f"extended due: {result.extended_due.isoformat()}")
        self.stdout.write(f"rule set:     {result.rule_set.code} {result.rule_set.title}")
        self.stdout.write(result.explain())
