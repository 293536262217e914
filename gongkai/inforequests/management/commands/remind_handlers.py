"""`gongkai remind_handlers [--as-of DATE] [--dry-run]`: one e-mail per person with their due-soon and
overdue disclosure-on-request work (case handlers, and staff of departments with unanswered assignments).

The e-mails name cases by tracking number and title only: no applicant data leaves the system.
The worker sends them every morning as the job `inforequests.reminders` (inforequests/tasks.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F, Q
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.core import clock
from gongkai.inforequests import queries
from gongkai.inforequests.models import Application, Assignment


@dataclass
class Work:
    overdue: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)


def _line(application: Application, due: dt.date, what: str = "") -> str:
    url = reverse("workbench:inforequests_staff:case", args=[application.pk])
    return (
        f"{application.tracking_number} {application.information_title[:40]} — {what}{due.isoformat()} {url}"
    )


def collect(as_of: dt.date) -> dict[User, Work]:
    """Each person's overdue and due-soon items (effective due dates; assignment due dates)."""
    near = queries.near_limit(as_of)
    work: dict[User, Work] = defaultdict(Work)
    cases = (
        queries.with_effective_due(queries.open_applications(Application.objects.all()))
        .filter(Q(eff_due__lte=near), handler__isnull=False, handler__is_active=True)
        .exclude(status__in=queries.CLOCK_PAUSED)
        .exclude(queries.fee_pending())
        .select_related("handler")
        .order_by(F("eff_due").asc(), "id")
    )
    for application in cases:
        due = application.effective_due_on
        assert application.handler is not None and due is not None
        bucket = work[application.handler].overdue if due < as_of else work[application.handler].near
        bucket.append(_line(application, due, "答复期限 "))
    assignments = queries.open_applications(Application.objects.all()).values_list("pk", flat=True)
    pending = (
        Assignment.objects.filter(application__in=assignments, answered_at__isnull=True, due_on__lte=near)
        .select_related("application", "department")
        .order_by("due_on", "id")
    )
    by_department: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in pending:
        by_department[assignment.department_id].append(assignment)
    if by_department:
        for person in User.objects.filter(department_id__in=list(by_department), is_active=True):
            for assignment in by_department[person.department_id or 0]:
                bucket = work[person].overdue if assignment.due_on < as_of else work[person].near
                bucket.append(_line(assignment.application, assignment.due_on, "部门意见期限 "))
    return {person: items for person, items in work.items() if items.overdue or items.near}


def message(person: User, items: Work, as_of: dt.date) -> tuple[str, str]:
    subject = f"[政府信息公开] 待办提醒：{len(items.overdue)} 件已超期，{len(items.near)} 件临近期限"
    lines = [f"{person}：", "", f"截至 {as_of.isoformat()}，您有以下依申请公开事项需要办理。", ""]
    if items.overdue:
        lines += ["已超过期限：", *(f"  {line}" for line in items.overdue), ""]
    if items.near:
        lines += [f"{queries.NEAR_WORKDAYS} 个工作日内到期：", *(f"  {line}" for line in items.near), ""]
    lines.append("请登录政府信息公开工作台办理。")
    return subject, "\n".join(lines)


def send_reminders(
    as_of: dt.date,
    *,
    dry_run: bool = False,
    skip: int = 0,
    said: Callable[[str], None] = lambda line: None,
    sent_one: Callable[[int, int], None] = lambda done, total: None,
) -> tuple[int, int, Work]:
    """E-mail each person their work as of `as_of`, in username order, the first `skip` left out
    (already sent by a run that died); returns (sent, without address, all items)."""
    work = collect(as_of)
    people = sorted(work.items(), key=lambda kv: kv[0].username)
    sent = skipped = 0
    for index, (person, items) in enumerate(people):
        if index < skip:
            continue
        subject, body = message(person, items, as_of)
        if not person.email:
            skipped += 1
            said(f"  {person.username}: no e-mail address, not sent")
        elif dry_run:
            said(f"  {person.username}: {subject}")
            sent += 1
        else:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
            sent += 1
        sent_one(index + 1, len(people))
    total = Work(
        overdue=[line for items in work.values() for line in items.overdue],
        near=[line for items in work.values() for line in items.near],
    )
    return sent, skipped, total


class Command(BaseCommand):
    help = (
        "E-mail each handler their due-soon and overdue disclosure-on-request work (one e-mail per person)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="the day to check, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="print, do not send")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else clock.today()
        except ValueError as exc:
            raise CommandError(
                f"日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD): {options['as_of']}"
            ) from exc
        sent, skipped, work = send_reminders(as_of, dry_run=options["dry_run"], said=self.stdout.write)
        overdue, near = len(work.overdue), len(work.near)
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(
            f"{as_of.isoformat()}: {verb} {sent} e-mail(s), {skipped} without address; "
            f"{overdue} overdue and {near} due-soon item(s)"
        )
