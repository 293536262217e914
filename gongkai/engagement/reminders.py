"""The daily due reminder: inquiries and proposals due by the next working day, or overdue, and not
yet answered are brought to the people who must act.

`remind_due(now)` claims each item for the day (`reminded_on`, so a second run that day reminds
nobody of it again), writes its audit event and its domain event (`engagement.inquiry.reminded`,
`engagement.proposal.reminded`) naming the people reminded, then queues one digest per person
(`engagement.reminders.digest`, the person as its object): everything claimed that they should hear
of, overdue first, then due soon, in one e-mail. The e-mail rides on that event (core/events.py):
the job runner sends it after commit, retries it while the mail server is away, and records each
message sent (`ReminderMail`), so a delivery run again sends nobody a second one.

Who is reminded: an inquiry routed to a department, that department's editors and heads; one the
office holds (not yet routed, or its answer awaiting review), the office's reviewers; a proposal,
its lead and co-handling departments' editors and heads. Once overdue the office is told as well.
The e-mails name items by number and title only: no asker's name or contact leaves the system."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import acts, clock, events, workdays
from gongkai.core.audit import register_action_labels
from gongkai.core.models import OutboxEvent
from gongkai.engagement.choices import UNANSWERED, InquiryStatus, ProposalStatus
from gongkai.engagement.models import Inquiry, Proposal, ReminderMail
from gongkai.engagement.services import unanswered_three_months

logger = logging.getLogger(__name__)

INQUIRY_REMINDED = "engagement.inquiry.reminded"
PROPOSAL_REMINDED = "engagement.proposal.reminded"
# One person's digest of the day: the object is the person, the payload lists the items.
DIGEST = "engagement.reminders.digest"
# Reminded from this many working days before the due day (the due day itself included).
AHEAD_WORKDAYS = 1
# The office holds these: not yet routed to a department, or the department's answer under review.
OFFICE_HOLDS = frozenset({InquiryStatus.HELD, InquiryStatus.SUBMITTED, InquiryStatus.ANSWERED})

register_action_labels({PROPOSAL_REMINDED: gettext_lazy("到期提醒")})


@dataclass(frozen=True)
class Due:
    """One inquiry or proposal to remind of today, and the usernames of the people told."""

    item: Inquiry | Proposal
    overdue: bool
    recipients: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "inquiry" if isinstance(self.item, Inquiry) else "proposal"

    @property
    def label(self) -> str:
        """How the run and the audit name the item: an inquiry's number, a proposal's year-number."""
        if isinstance(self.item, Inquiry):
            return self.item.number
        return f"{self.item.year}-{self.item.number}"

    def order(self) -> tuple[bool, dt.date, str, int]:
        """Overdue first, then by due day; inquiries before proposals on the same day."""
        return (not self.overdue, self.item.due_on, self.kind, self.item.pk)


@dataclass
class Reminded:
    """What one run reminded: the items, the usernames told of each, and each person's digest."""

    day: dt.date
    inquiries: list[Inquiry] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    recipients: dict[str, list[str]] = field(default_factory=dict)
    digests: dict[str, list[Due]] = field(default_factory=dict)
    # The digest event queued for each person (none on a dry run).
    events: dict[str, OutboxEvent] = field(default_factory=dict)


def next_workday(day: dt.date) -> dt.date:
    """The working day after `day` on the calendar (by the weekday rule for a year not entered)."""
    try:
        return workdays.add_workdays(day, AHEAD_WORKDAYS)
    except workdays.CalendarUnknownError:
        following = day + dt.timedelta(days=1)
        while following.weekday() >= 5:
            following += dt.timedelta(days=1)
        return following


def _department_staff(department_ids: Iterable[int | None]) -> QuerySet[User]:
    ids = [pk for pk in department_ids if pk is not None]
    return (
        User.objects.filter(department_id__in=ids, is_active=True, roles__role__in=[Role.EDITOR, Role.HEAD])
        .distinct()
        .order_by("username")
    )


def _office() -> list[str]:
    return list(
        User.objects.filter(is_active=True, roles__role=Role.REVIEWER)
        .distinct()
        .order_by("username")
        .values_list("username", flat=True)
    )


def _people(departments: Iterable[int | None], office: list[str], *, tell_office: bool) -> list[str]:
    """The departments' editors and heads, and the office when it is told (or nobody else is)."""
    names = list(_department_staff(departments).values_list("username", flat=True))
    if tell_office or not names:
        names += [name for name in office if name not in names]
    return names


def inquiry_recipients(inquiry: Inquiry, today: dt.date, office: list[str]) -> list[str]:
    overdue = inquiry.due_on < today
    if inquiry.status in OFFICE_HOLDS or inquiry.department_id is None:
        return list(office)
    return _people([inquiry.department_id], office, tell_office=overdue)


def proposal_recipients(proposal: Proposal, today: dt.date, office: list[str]) -> list[str]:
    departments = [proposal.lead_department_id, *(d.pk for d in proposal.co_departments.all())]
    return _people(departments, office, tell_office=proposal.due_on < today)


def due_on_day(today: dt.date) -> list[Due]:
    """The unanswered inquiries and proposals due by the next working day or overdue, not yet
    reminded today, each with the people to tell."""
    soon = next_workday(today)
    office = _office()
    due: list[Due] = []
    inquiries = (
        Inquiry.objects.filter(status__in=UNANSWERED, due_on__lte=soon)
        .exclude(reminded_on=today)
        .order_by("due_on", "id")
    )
    for inquiry in inquiries:
        names = inquiry_recipients(inquiry, today, office)
        due.append(Due(inquiry, inquiry.due_on < today, tuple(names)))
    proposals = (
        Proposal.objects.filter(status=ProposalStatus.REGISTERED, replied_on__isnull=True, due_on__lte=soon)
        .exclude(reminded_on=today)
        .prefetch_related("co_departments")
        .order_by("due_on", "id")
    )
    for proposal in proposals:
        names = proposal_recipients(proposal, today, office)
        due.append(Due(proposal, proposal.due_on < today, tuple(names)))
    return due


def digests(due: Iterable[Due]) -> dict[str, list[Due]]:
    """Each person's items (by username, in username order), overdue first, then by due day."""
    by_person: dict[str, list[Due]] = {}
    for entry in due:
        for name in entry.recipients:
            by_person.setdefault(name, []).append(entry)
    return {name: sorted(by_person[name], key=Due.order) for name in sorted(by_person)}


def _claim(entry: Due, today: dt.date, now: dt.datetime) -> bool:
    """Mark the item reminded today and write its audit and domain event; False when another run
    reminded it meanwhile (the conditional update settles the race)."""
    item = entry.item
    model = type(item)
    if not model.objects.filter(pk=item.pk).exclude(reminded_on=today).update(reminded_on=today):
        return False
    after: dict[str, Any] = {"number": item.number}
    if isinstance(item, Inquiry):
        after |= {
            "status": item.status,
            "department": item.department_id,
            "three_months": unanswered_three_months(item, today),
        }
    else:
        after |= {"kind": item.kind, "department": item.lead_department_id}
    after |= {
        "due_on": item.due_on.isoformat(),
        "overdue": entry.overdue,
        "day": today.isoformat(),
        "recipients": list(entry.recipients),
    }
    code = INQUIRY_REMINDED if isinstance(item, Inquiry) else PROPOSAL_REMINDED
    acts.record_act(code, item, actor=None, after=after, at=now)
    item.reminded_on = today
    return True


def remind_due(now: dt.datetime, *, today: dt.date | None = None, dry_run: bool = False) -> Reminded:
    """Remind the day's due and overdue inquiries and proposals, each once a day, in one digest
    e-mail per person; nothing on a day off (weekend or holiday; a make-up working day is a working
    day). `dry_run`: what would be reminded, nothing claimed, recorded or sent."""
    today = today or timezone.localdate(now)
    reminded = Reminded(day=today)
    if not workdays.is_workday(today):
        return reminded
    due = due_on_day(today)
    if not dry_run:
        with transaction.atomic():
            due = [entry for entry in due if _claim(entry, today, now)]
            people = {
                u.username: u
                for u in User.objects.filter(username__in={n for d in due for n in d.recipients})
            }
            for name, entries in digests(due).items():
                payload = {
                    "day": today.isoformat(),
                    "items": [{"kind": e.kind, "id": e.item.pk, "overdue": e.overdue} for e in entries],
                }
                reminded.events[name] = events.emit(DIGEST, people[name], payload=payload)
    for entry in due:
        if isinstance(entry.item, Inquiry):
            reminded.inquiries.append(entry.item)
        else:
            reminded.proposals.append(entry.item)
        reminded.recipients[entry.label] = list(entry.recipients)
    reminded.digests = digests(due)
    return reminded


# -- the e-mail ------------------------------------------------------------------------------------


class ReminderMailFailed(Exception):
    """A digest could not be mailed; the message names the items and the failure, no address."""


def _still_due(payload: dict[str, Any]) -> list[tuple[Inquiry | Proposal, bool]]:
    """The digest's items, in its order, less those answered since it was queued."""
    items: list[dict[str, Any]] = payload.get("items") or []
    inquiries = Inquiry.objects.filter(
        pk__in=[i["id"] for i in items if i["kind"] == "inquiry"], status__in=UNANSWERED
    ).in_bulk()
    proposals = Proposal.objects.filter(
        pk__in=[i["id"] for i in items if i["kind"] == "proposal"],
        status=ProposalStatus.REGISTERED,
        replied_on__isnull=True,
    ).in_bulk()
    found: list[tuple[Inquiry | Proposal, bool]] = []
    for entry in items:
        item = (inquiries if entry["kind"] == "inquiry" else proposals).get(entry["id"])
        if item is not None:
            found.append((item, bool(entry["overdue"])))
    return found


def _line(item: Inquiry | Proposal) -> list[str]:
    if isinstance(item, Inquiry):
        what = _("咨询留言")
        url = reverse("workbench:engagement_staff:inquiry", args=[item.pk])
    else:
        what = item.get_kind_display()
        url = reverse("workbench:engagement_staff:proposal", args=[item.pk])
    values = {"what": what, "number": item.number, "title": item.title[:60], "due": item.due_on.isoformat()}
    return [
        f"  {_('%(what)s %(number)s：%(title)s') % values}",
        f"    {_('办理期限：%(due)s') % values}",
        f"    {url}",
    ]


def digest_message(
    person: User, items: list[tuple[Inquiry | Proposal, bool]], *, day: dt.date
) -> tuple[str, str]:
    """The subject and text of one person's digest: overdue items first, then those due soon."""
    overdue = [item for item, late in items if late]
    near = [item for item, late in items if not late]
    values = {"day": day.isoformat(), "overdue": len(overdue), "near": len(near)}
    if overdue:
        subject = (
            _("[政府信息公开] 到期提醒（%(day)s）：%(overdue)d 件已超过办理期限，%(near)d 件即将到期")
            % values
        )
    else:
        subject = _("[政府信息公开] 到期提醒（%(day)s）：%(near)d 件即将到期") % values
    lines = [f"{person}：", "", _("截至 %(day)s，以下咨询留言和建议提案尚未答复：") % values, ""]
    if overdue:
        lines.append(_("已超过办理期限（%(overdue)d 件）：") % values)
        for item in overdue:
            lines += _line(item)
        lines.append("")
    if near:
        lines.append(_("即将到期（%(near)d 件）：") % values)
        for item in near:
            lines += _line(item)
        lines.append("")
    lines.append(_("请登录政府信息公开工作台办理。"))
    return subject[:200], "\n".join(lines)


@events.subscribe(DIGEST)
def mail_digest(event: OutboxEvent) -> None:
    """E-mail the person the digest is for (active, with an address) once; items answered before
    the mail goes out are left out, and a digest left empty is not sent. Raises ReminderMailFailed,
    so the delivery is retried."""
    person = User.objects.filter(pk=event.object_id, is_active=True).exclude(email="").first()
    if person is None or ReminderMail.objects.filter(event=event, recipient=person).exists():
        return
    payload = event.payload
    day = dt.date.fromisoformat(payload.get("day") or timezone.localdate(event.created_at).isoformat())
    items = _still_due(payload)
    if not items:
        return
    subject, body = digest_message(person, items, day=day)
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]).send()
    except Exception as exc:
        # No message text: SMTP errors can carry the address. The day, the items' numbers and the
        # kind of failure are enough for the jobs page, and the job runner tries again.
        numbers = ", ".join(item.number for item, _late in items)
        logger.error("engagement: reminder digest of %s failed (%s)", numbers, type(exc).__name__)
        raise ReminderMailFailed(f"{day.isoformat()} {numbers}: {type(exc).__name__}") from None
    with transaction.atomic():
        mail = ReminderMail.objects.create(
            event=event,
            day=day,
            recipient=person,
            overdue=any(late for _item, late in items),
            subject=subject,
            sent_at=clock.now(),
        )
        mail.inquiries.set([item for item, _late in items if isinstance(item, Inquiry)])
        mail.proposals.set([item for item, _late in items if isinstance(item, Proposal)])
