"""`gongkai import_catalog FILE [--partial] [--as USERNAME] [--dry-run] [--background]`: import a CSV or
XLSX catalog, here with progress on the terminal, or queued as a background job (`catalog.import`)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.importer import ImportReport, earlier_import, import_file
from gongkai.catalog.tasks import start_import
from gongkai.core import clock

STAGES = {"check": "检查 check", "save": "写入 save", "index": "索引 index"}


class Command(BaseCommand):
    help = "导入已有的政府信息公开目录（CSV 或 XLSX）。Import an existing catalog from CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (UTF-8 / GB18030) or XLSX file")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="import the good rows and skip the bad ones (default: any bad row stops the whole import)",
        )
        parser.add_argument("--as", dest="username", help="the reviewer (公开办审核员) recorded as importer")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; import nothing"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the import as a background job (catalog.import) and return at once; "
            "its progress and report are on the workbench import page",
        )
        parser.add_argument(
            "--allow-repeat",
            action="store_true",
            help="import a file whose content was already imported (its rows without an index number "
            "are created again)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror} (cannot read the file)") from exc
        actor = self._actor(options["username"])
        if options["background"]:
            self._queue(actor, path.name, content, options)
            return
        started = time.perf_counter()
        report = import_file(
            path.name,
            content,
            actor=actor,
            now=clock.now(),
            partial=options["partial"],
            dry_run=options["dry_run"],
            progress=self._progress,
            allow_repeat=options["allow_repeat"],
        )
        elapsed = time.perf_counter() - started
        if sys.stderr.isatty():
            self.stderr.write("")
        self._print_report(report, elapsed)
        if report.file_error is not None:
            raise CommandError(f"{report.file_error.message} ({report.file_error.message_en})")
        if report.dry_run and report.importable == 0:
            raise CommandError("试运行：没有可导入的行。(dry run: nothing would be imported)")
        if not report.dry_run and report.imported == 0:
            raise CommandError("未导入任何信息。(nothing was imported)")

    def _queue(self, actor: User, name: str, content: bytes, options: dict[str, Any]) -> None:
        if options["dry_run"]:
            raise CommandError("--dry-run 与 --background 不能同时使用。(a dry run is not queued)")
        if not options["allow_repeat"] and earlier_import(content) is not None:
            raise CommandError(
                "此文件已经导入过，未排队；如确需再次导入，请加 --allow-repeat。"
                "(this file was already imported; use --allow-repeat to import it again)"
            )
        run = start_import(
            actor, name, content, partial=options["partial"], allow_repeat=options["allow_repeat"]
        )
        if run is None:
            raise CommandError("该文件已在排队或正在导入。(this file is already queued or being imported)")
        url = f"{reverse('workbench:import')}?run={run.pk}"
        self.stdout.write(
            self.style.SUCCESS(
                f"已排队：后台任务 #{run.pk}（{url}）。Queued as background job #{run.pk} ({url})."
            )
        )

    def _actor(self, username: str | None) -> User:
        reviewers = User.objects.filter(is_active=True, roles__role=Role.REVIEWER).distinct()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"找不到用户 {username} (no such active user)")
            if not user.has_role(Role.REVIEWER):
                raise CommandError(f"{username} 不是公开办审核员 (the importer must have the reviewer role)")
            return user
        if reviewers.count() == 1:
            only = reviewers.first()
            assert only is not None
            return only
        raise CommandError("请用 --as 指定导入人（公开办审核员）。(name the importing reviewer with --as)")

    def _progress(self, stage: str, done: int, total: int) -> None:
        line = f"{STAGES.get(stage, stage)}: {done}/{total}"
        if sys.stderr.isatty():
            self.stderr.write("\r" + line, ending="")
            self.stderr.flush()
        elif done == total:
            self.stderr.write(line)

    def _print_report(self, report: ImportReport, elapsed: float) -> None:
        if report.file_error is not None:
            return
        out = self.stdout
        if report.errors:
            out.write(f"{'行 row':>8}  {'列 column':<12}  原因 / reason")
            for error in report.errors:
                out.write(f"{error.row:>8}  {error.column:<12}  {error.message}")
                out.write(f"{'':>8}  {'':<12}  {error.message_en}")
        out.write(
            f"数据行 rows: {report.total}，有误 bad: {report.bad_rows}，"
            f"可导入 valid: {report.valid}（{report.kind.upper()} {report.encoding}）"
        )
        if report.dry_run:
            out.write(f"试运行，未写入。Dry run: {report.importable} rows would be imported.")
            return
        if report.imported == 0:
            out.write(
                "有错误的行，按“全部或不导入”规则未导入任何信息；"
                "修正后重试，或用 --partial 只导入正确的行。\n"
                "Some rows are bad: nothing was imported (all-or-nothing). Fix them, or use --partial."
            )
            return
        rate = report.imported / elapsed if elapsed else 0.0
        out.write(
            self.style.SUCCESS(
                f"已导入 imported: {report.imported}（已发布 published {report.published}，"
                f"草稿 drafts {report.drafts}），跳过 skipped: {report.skipped}；"
                f"索引号 {report.first_index_number} … {report.last_index_number}；"
                f"{elapsed:.1f} s，{rate:.0f} records/s"
            )
        )
