"""`gongkai report annual --year Y --format html|docx|pdf|xlsx|json --out FILE [--form national|narrative]`:
the annual report of a year assembled from the period figures of every app;
`gongkai report check FILE [--year Y] [--json]`: the checker on any published report (plain text,
HTML, DOCX or PDF), every inconsistency with its place. Exit status 1 when findings are errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.annualreport.exporting import FORMATS, ExportUnavailable, render

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Assemble the annual report of a year (annual) or check a published report (check)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        annual = sub.add_parser("annual", help="assemble the report of a year from the records")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="json")
        annual.add_argument("--form", choices=["national", "narrative"], default=None)
        annual.add_argument("--out", required=True, help="the file to write ('-' for standard output)")
        check = sub.add_parser("check", help="check a published report file")
        check.add_argument("file")
        check.add_argument("--year", type=int, default=None, help="the report year, if the file does not say")
        check.add_argument("--json", action="store_true", help="print the findings as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "annual":
            self._annual(options)
        else:
            self._check(options)

    def _annual(self, options: dict[str, Any]) -> None:
        from gongkai.annualreport.assemble import assemble

        year = options["year"]
        if not 1949 <= year <= 2100:
            raise CommandError(f"year out of range: {year}", returncode=USAGE_ERROR)
        self.stderr.write(f"assembling the {year} report from the period figures …")
        doc = assemble(year, form=options["form"])
        self.stderr.write(f"rendering {options['fmt']} …")
        try:
            body = render(doc, options["fmt"])
        except ExportUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if options["out"] == "-":
            sys.stdout.buffer.write(body)
        else:
            Path(options["out"]).write_bytes(body)
            self.stderr.write(f"written {options['out']} ({len(body):,} bytes)")

    def _check(self, options: dict[str, Any]) -> None:
        from gongkai.annualreport.checker import ExtractError, check_file

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=USAGE_ERROR)
        try:
            result = check_file(path, year=options["year"])
        except ExtractError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(result.as_text())
        if not result.ok:
            raise SystemExit(1)
