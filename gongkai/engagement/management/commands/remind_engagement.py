"""`gongkai remind_engagement [--as-of DATE] [--dry-run]`: the morning reminder of inquiries and
proposals due by the next working day or overdue, by hand: one digest e-mail per person.

The same run as the job `engagement.reminders` (engagement/tasks.py, daily at 08:00): each item is
reminded once a day, with its audit event, and each digest goes through the outbox. The command then
delivers its digests itself rather than wait for the worker (whichever claims a delivery first
sends it), and prints what was sent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core import clock, jobs, workdays
from gongkai.engagement import reminders
from gongkai.engagement.models import Inquiry, ReminderMail


def _url(entry: reminders.Due) -> str:
    name = "inquiry" if isinstance(entry.item, Inquiry) else "proposal"
    return reverse(f"workbench:engagement_staff:{name}", args=[entry.item.pk])


class Command(BaseCommand):
    help = (
        "E-mail each person their inquiries and proposals due by the next working day or overdue "
        "(one digest per person; each item once a day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", "--date", dest="as_of", help="the day to remind, YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--dry-run", action="store_true", help="print, do not record or send")

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        try:
            day = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate(now)
        except ValueError as exc:
            raise CommandError(
                f"日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD): {options['as_of']}"
            ) from exc
        dry_run = options["dry_run"]
        with transaction.atomic():
            reminded = reminders.remind_due(now, today=day, dry_run=dry_run)
        for event in reminded.events.values():
            if event.job_id is not None:
                jobs.execute(event.job_id)  # a delivery the worker (or the commit) ran already is left alone
        addresses = dict(
            User.objects.filter(username__in=list(reminded.digests)).values_list("username", "email")
        )
        sent = without = waiting = 0
        for name, entries in reminded.digests.items():
            overdue = sum(1 for e in entries if e.overdue)
            counts = f"{overdue} overdue, {len(entries) - overdue} due soon"
            if not addresses.get(name):
                without += 1
                state = "no e-mail address, not sent"
            elif dry_run:
                sent += 1
                state = "would send"
            elif ReminderMail.objects.filter(event=reminded.events[name]).exists():
                sent += 1
                state = "sent"
            else:
                waiting += 1
                state = "not sent yet, the job runner retries it (see the jobs page)"
            self.stdout.write(f"  {name}: {counts}: {state}")
            for entry in entries:
                when = "overdue" if entry.overdue else "due"
                self.stdout.write(
                    f"    {when} {entry.item.due_on.isoformat()} {entry.item.number} "
                    f"{entry.item.title[:40]} {_url(entry)}"
                )
        verb, done = ("would send", "would be reminded") if dry_run else ("sent", "reminded")
        summary = (
            f"{day.isoformat()}: {verb} {sent} e-mail(s), {without} without address"
            + (f", {waiting} waiting for a retry" if waiting else "")
            + f"; {len(reminded.inquiries)} inquiry(ies) and {len(reminded.proposals)} proposal(s) {done}"
        )
        if not workdays.is_workday(day):
            summary += " (not a working day: nobody is reminded)"
        self.stdout.write(summary)
