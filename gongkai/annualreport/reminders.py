"""The daily reminder of the publication deadline: the report of last year, not yet published, is
due by 31 January under the 2019 Regulations (Art. 49) or 31 March under the 2007 ones (Art. 31)
(`assemble.publication_limit`). The disclosure office is reminded 15, 5 and 1 working days before
that day (`REMIND_WORKDAYS_BEFORE`, on the workday calendar, make-up days and holidays included)
and every working day once it has passed.

`remind_deadline(now)` claims the year's reminder for the day (a `DeadlineReminder` row, one a
year a day, so a second run that day reminds nobody) and writes its audit event and its domain
event (`annualreport.deadline.reminded`) naming the people reminded. The e-mail rides on that event
(core/events.py), as the engagement reminders' do: the job runner sends it after commit, retries it
while the mail server is away, and records each message sent (`DeadlineReminderMail`), so a
delivery run again sends nobody a second one.

Who is reminded: the office's editors and heads (a department of kind `office`) and the reviewers
(who publish the report); the leaders too while the report waits for their approval, and once the
deadline has passed."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import DepartmentKind, Role
from gongkai.accounts.models import User
from gongkai.annualreport.assemble import publication_limit
from gongkai.annualreport.choices import Status
from gongkai.annualreport.models import AnnualReport, DeadlineReminder, DeadlineReminderMail, PublishedReport
from gongkai.annualreport.services import rule_set_for
from gongkai.annualreport.validation import REMIND_DAYS_BEFORE
from gongkai.core import acts, clock, events, workdays
from gongkai.core.audit import register_action_labels
from gongkai.core.models import OutboxEvent

logger = logging.getLogger(__name__)

REMINDED = "annualreport.deadline.reminded"
# Reminded when the deadline is this many working days ahead (the validation's notice numbers,
# counted here in working days), and every working day once it has passed.
REMIND_WORKDAYS_BEFORE = REMIND_DAYS_BEFORE

register_action_labels({REMINDED: gettext_lazy("年度报告发布期限提醒")})


def is_workday(day: dt.date) -> bool:
    """On the calendar; by the weekday rule for a year not entered (the reminder of January
    comes before the office enters the new year's schedule, as often as not)."""
    try:
        return workdays.is_workday(day)
    except workdays.CalendarUnknownError:
        return day.weekday() < 5


def workdays_before(day: dt.date, due: dt.date) -> int:
    """How many working days `day` is before `due`: the working days from `day` (included) up to
    `due` (not included). 1 on the last working day before the deadline, 0 on the day itself."""
    count = 0
    current = day
    while current < due:
        if is_workday(current):
            count += 1
        current += dt.timedelta(days=1)
    return count


@dataclass(frozen=True)
class Deadline:
    """Where a year's report stands against its publication deadline on `today`."""

    year: int
    rule_set: str
    due_on: dt.date
    today: dt.date
    published: bool

    @property
    def days_left(self) -> int:
        """Calendar days to the deadline (0 on the day, negative once passed)."""
        return (self.due_on - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)

    @property
    def overdue(self) -> bool:
        return not self.published and self.today > self.due_on

    @property
    def workdays_left(self) -> int:
        return workdays_before(self.today, self.due_on)

    @property
    def reminder_due(self) -> bool:
        """Whether `today` is a reminder day (the caller checks it is a working day)."""
        if self.published:
            return False
        return self.overdue or self.workdays_left in REMIND_WORKDAYS_BEFORE


def deadline_of(year: int, today: dt.date, *, report: AnnualReport | None = None) -> Deadline:
    """The deadline of a year's report (begun or not: the rule set then is the year's own)."""
    rule_set = report.rule_set if report is not None else rule_set_for(year)
    return Deadline(
        year=year,
        rule_set=rule_set,
        due_on=publication_limit(year, rule_set),
        today=today,
        published=PublishedReport.objects.filter(year=year).exists(),
    )


def recipients(report: AnnualReport | None, *, overdue: bool) -> list[str]:
    """The office's editors and heads and the reviewers; the leaders while the report waits for
    their approval, or once the deadline has passed."""
    who = Q(roles__role__in=[Role.EDITOR, Role.HEAD], department__kind=DepartmentKind.OFFICE) | Q(
        roles__role=Role.REVIEWER
    )
    if overdue or (report is not None and report.status == Status.CHECKED):
        who |= Q(roles__role=Role.LEADER)
    return list(
        User.objects.filter(who, is_active=True)
        .distinct()
        .order_by("username")
        .values_list("username", flat=True)
    )


def remind_deadline(now: dt.datetime, *, today: dt.date | None = None) -> DeadlineReminder | None:
    """Remind the office of last year's report if today is a reminder day and it is not yet
    published; once a day (None when there is nothing to remind, or it was already reminded);
    nothing on a day off (weekend or holiday; a make-up working day is a working day)."""
    today = today or timezone.localdate(now)
    if not is_workday(today):
        return None
    year = today.year - 1
    report = AnnualReport.objects.filter(year=year).first()
    deadline = deadline_of(year, today, report=report)
    if not deadline.reminder_due:
        return None
    if DeadlineReminder.objects.filter(year=year, day=today).exists():
        return None
    names = recipients(report, overdue=deadline.overdue)
    try:
        with transaction.atomic():
            reminder = DeadlineReminder.objects.create(
                year=year,
                day=today,
                report=report,
                rule_set=deadline.rule_set,
                due_on=deadline.due_on,
                workdays_left=deadline.workdays_left,
                overdue=deadline.overdue,
                recipients=names,
                created_at=now,
            )
            acts.record_act(
                REMINDED,
                reminder,
                actor=None,
                after={
                    "year": year,
                    "report": report.pk if report is not None else None,
                    "status": report.status if report is not None else None,
                    "rule_set": deadline.rule_set,
                    "due_on": deadline.due_on.isoformat(),
                    "workdays_left": deadline.workdays_left,
                    "overdue": deadline.overdue,
                    "day": today.isoformat(),
                    "recipients": names,
                },
                at=now,
            )
    except IntegrityError:
        return None  # another run reminded it meanwhile
    return reminder


# -- the e-mail ------------------------------------------------------------------------------------


class ReminderMailFailed(Exception):
    """A reminder could not be mailed; the message names the year and the failure, no address."""


def message(reminder: DeadlineReminder, report: AnnualReport | None) -> tuple[str, str]:
    values = {
        "year": reminder.year,
        "due": reminder.due_on.isoformat(),
        "n": reminder.workdays_left,
        "days": (reminder.day - reminder.due_on).days,
    }
    if reminder.overdue:
        subject = _("[政府信息公开] %(year)s年度报告已超过发布期限（%(due)s），尚未发布") % values
        state = _("已超过发布期限 %(due)s %(days)d 天，尚未发布。") % values
    else:
        subject = _("[政府信息公开] %(year)s年度报告应于 %(due)s 前发布（还有 %(n)d 个工作日）") % values
        state = _("应于 %(due)s 前发布，还有 %(n)d 个工作日，尚未发布。") % values
    article = _("2019年条例第四十九条") if reminder.rule_set == "2019" else _("2007年条例第三十一条")
    if report is None:
        where = _("该年度报告尚未起草。")
        url = reverse("workbench:annualreport_staff:list")
    else:
        where = _("当前状态：%(status)s。") % {"status": report.get_status_display()}
        url = reverse("workbench:annualreport_staff:detail", args=[report.pk])
    lines = [
        _("%(year)s年政府信息公开工作年度报告") % values,
        state,
        _("发布期限依据：%(article)s。") % {"article": article},
        where,
        "",
        _("请登录政府信息公开工作台办理：%(url)s") % {"url": url},
    ]
    return subject[:200], "\n".join(lines)


@events.subscribe(REMINDED)
def mail_reminder(event: OutboxEvent) -> None:
    """E-mail each person the event names (active, with an address) once; a report published
    before the mail goes out is not mailed. Raises ReminderMailFailed, so the delivery is retried."""
    reminder = DeadlineReminder.objects.filter(pk=event.object_id).first()
    if reminder is None or PublishedReport.objects.filter(year=reminder.year).exists():
        return
    report = AnnualReport.objects.filter(year=reminder.year).first()
    subject, body = message(reminder, report)
    already = set(reminder.mails.values_list("recipient_id", flat=True))
    people = (
        User.objects.filter(username__in=event.payload.get("recipients") or [], is_active=True)
        .exclude(email="")
        .exclude(pk__in=already)
        .order_by("username")
    )
    for person in people:
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]).send()
        except Exception as exc:
            # No message text: SMTP errors can carry the address.
            logger.error(
                "annualreport: deadline reminder of %s failed (%s)", reminder.year, type(exc).__name__
            )
            raise ReminderMailFailed(f"{reminder.year} {reminder.day}: {type(exc).__name__}") from None
        DeadlineReminderMail.objects.create(
            reminder=reminder, event=event, recipient=person, subject=subject, sent_at=clock.now()
        )
