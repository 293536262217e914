"""`gongkai figures --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--app LABEL]`: every registered
period figure (core.figures) of every app, or of the apps named."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from gongkai.core import figures
from gongkai.core.figures import Figure, Period, PeriodError, UnknownFigureError

# Wrong input exits 2, as argparse does for a malformed command line.
USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Print every registered figure of a period: code, labels (zh/en), value and unit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD (included)")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD (included)")
        parser.add_argument("--json", action="store_true", help="print a JSON list of figures")
        parser.add_argument(
            "--app",
            action="append",
            dest="apps",
            metavar="LABEL",
            help="only this app's figures (repeatable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Period.parse(options["start"], options["end"])
            items = figures.collect(period, apps=options["apps"])
        except (PeriodError, UnknownFigureError) as exc:
            # In Chinese and in English, as `gongkai deadline` answers a bad date.
            with translation.override("en"):
                english = _message(options)
            raise CommandError(f"{exc}\n{english}", returncode=USAGE_ERROR) from exc
        if options["json"]:
            self.stdout.write(json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{period}  ({len(items)})")
        rows = [("code", "value", "unit", "中文", "English")]
        rows += [(i.code, _value(i), i.unit.zh, i.label_zh, i.label_en + _note(i)) for i in items]
        widths = [max(_width(row[n]) for row in rows) for n in range(4)]
        for code, value, unit, zh, en in rows:
            self.stdout.write(
                "  ".join(
                    [_pad(code, widths[0]), _pad(value, widths[1], right=True), _pad(unit, widths[2]), zh]
                )
                + ("  " + " " * (widths[3] - _width(zh)) if en else "")
                + en
            )


def _message(options: dict[str, Any]) -> str:
    """The error the same input gives in the active language."""
    try:
        figures.collect(Period.parse(options["start"], options["end"]), apps=options["apps"])
    except (PeriodError, UnknownFigureError) as exc:
        return str(exc)
    return ""


def _value(item: Figure) -> str:
    if item.value is None:
        return "—"
    if isinstance(item.value, Decimal):
        return f"{item.value:,f}"
    return f"{item.value:,}"


def _note(item: Figure) -> str:
    return " (approximate)" if item.approximate else ""


def _width(text: str) -> int:
    """Columns on a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space
