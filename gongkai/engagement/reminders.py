"""The daily due reminder: inquiries and proposals due by the next working day, or overdue, and not
yet answered are brought to the people who must act.

`remind_due(now)` claims each item for the day (`reminded_on`, so a second run that day reminds
nobody), writes its audit event and its domain event (`engagement.inquiry.reminded`,
`engagement.proposal.reminded`) naming the people reminded. The e-mail rides on that event
(core/events.py): the job runner sends it after commit, retries it while the mail server is away,
and records each message sent (`ReminderMail`), so a delivery run again sends nobody a second one.

Who is reminded: an inquiry routed to a department, that department's editors and heads; one the
office holds (not yet routed, or its answer awaiting review), the office's reviewers; a proposal,
its lead and co-handling departments' editors and heads. Once overdue the office is told as well.
The e-mails name items by number and title only: no asker's name or contact leaves the system."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

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
# Reminded from this many working days before the due day (the due day itself included).
AHEAD_WORKDAYS = 1
# The office holds these: not yet routed to a department, or the department's answer under review.
OFFICE_HOLDS = frozenset({InquiryStatus.HELD, InquiryStatus.SUBMITTED, InquiryStatus.ANSWERED})

register_action_labels({PROPOSAL_REMINDED: gettext_lazy("到期提醒")})


@dataclass
class Reminded:
    """What one run reminded (each with the usernames told)."""

    day: dt.date
    inquiries: list[Inquiry] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    recipients: dict[str, list[str]] = field(default_factory=dict)


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


def remind_due(now: dt.datetime, *, today: dt.date | None = None) -> Reminded:
    """Remind the day's due and overdue inquiries and proposals, each once a day; nothing on a day
    off (weekend or holiday; a make-up working day is a working day)."""
    today = today or timezone.localdate(now)
    reminded = Reminded(day=today)
    if not workdays.is_workday(today):
        return reminded
    soon = next_workday(today)
    office = _office()
    inquiries = (
        Inquiry.objects.filter(status__in=UNANSWERED, due_on__lte=soon)
        .exclude(reminded_on=today)
        .order_by("due_on", "id")
    )
    for inquiry in inquiries:
        names = inquiry_recipients(inquiry, today, office)
        with transaction.atomic():
            if not Inquiry.objects.filter(pk=inquiry.pk).exclude(reminded_on=today).update(reminded_on=today):
                continue  # another run reminded it meanwhile
            acts.record_act(
                INQUIRY_REMINDED,
                inquiry,
                actor=None,
                after={
                    "number": inquiry.number,
                    "status": inquiry.status,
                    "department": inquiry.department_id,
                    "due_on": inquiry.due_on.isoformat(),
                    "overdue": inquiry.due_on < today,
                    "three_months": unanswered_three_months(inquiry, today),
                    "day": today.isoformat(),
                    "recipients": names,
                },
                at=now,
            )
        inquiry.reminded_on = today
        reminded.inquiries.append(inquiry)
        reminded.recipients[inquiry.number] = names
    proposals = (
        Proposal.objects.filter(status=ProposalStatus.REGISTERED, replied_on__isnull=True, due_on__lte=soon)
        .exclude(reminded_on=today)
        .prefetch_related("co_departments")
        .order_by("due_on", "id")
    )
    for proposal in proposals:
        names = proposal_recipients(proposal, today, office)
        with transaction.atomic():
            if (
                not Proposal.objects.filter(pk=proposal.pk)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            ):
                continue
            acts.record_act(
                PROPOSAL_REMINDED,
                proposal,
                actor=None,
                after={
                    "number": proposal.number,
                    "kind": proposal.kind,
                    "department": proposal.lead_department_id,
                    "due_on": proposal.due_on.isoformat(),
                    "overdue": proposal.due_on < today,
                    "day": today.isoformat(),
                    "recipients": names,
                },
                at=now,
            )
        proposal.reminded_on = today
        reminded.proposals.append(proposal)
        reminded.recipients[f"{proposal.year}-{proposal.number}"] = names
    return reminded


# -- the e-mail ------------------------------------------------------------------------------------


class ReminderMailFailed(Exception):
    """A reminder could not be mailed; the message names the item and the failure, no address."""


def _message(item: Inquiry | Proposal, *, overdue: bool, due: dt.date) -> tuple[str, str]:
    if isinstance(item, Inquiry):
        what = _("咨询留言")
        url = reverse("workbench:engagement_staff:inquiry", args=[item.pk])
    else:
        what = item.get_kind_display()
        url = reverse("workbench:engagement_staff:proposal", args=[item.pk])
    values = {"what": what, "number": item.number, "due": due.isoformat()}
    if overdue:
        subject = _("[政府信息公开] %(what)s %(number)s 已超过办理期限（%(due)s）") % values
        state = _("已超过办理期限 %(due)s，尚未答复。") % values
    else:
        subject = _("[政府信息公开] %(what)s %(number)s 将于 %(due)s 到期") % values
        state = _("将于 %(due)s 到期，尚未答复。") % values
    lines = [
        _("%(what)s %(number)s：%(title)s") % {**values, "title": item.title[:60]},
        state,
        "",
        _("请登录政府信息公开工作台办理：%(url)s") % {"url": url},
    ]
    return subject[:200], "\n".join(lines)


@events.subscribe(INQUIRY_REMINDED)
@events.subscribe(PROPOSAL_REMINDED)
def mail_reminder(event: OutboxEvent) -> None:
    """E-mail each person the event names (active, with an address) once; an item answered before
    the mail goes out is not mailed. Raises ReminderMailFailed, so the delivery is retried."""
    model = Inquiry if event.code == INQUIRY_REMINDED else Proposal
    item = model.objects.filter(pk=event.object_id).first()
    if item is None:
        return
    if isinstance(item, Inquiry) and item.status not in UNANSWERED:
        return
    if isinstance(item, Proposal) and (item.status != ProposalStatus.REGISTERED or item.replied_on):
        return
    payload = event.payload
    day = dt.date.fromisoformat(payload.get("day") or timezone.localdate(event.created_at).isoformat())
    overdue = bool(payload.get("overdue"))
    subject, body = _message(item, overdue=overdue, due=item.due_on)
    already = set(ReminderMail.objects.filter(event=event).values_list("recipient_id", flat=True))
    people = (
        User.objects.filter(username__in=payload.get("recipients") or [], is_active=True)
        .exclude(email="")
        .exclude(pk__in=already)
        .order_by("username")
    )
    for person in people:
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]).send()
        except Exception as exc:
            # No message text: SMTP errors can carry the address. The item's number and the kind
            # of failure are enough for the jobs page, and the job runner tries again.
            logger.error("engagement: reminder for %s failed (%s)", item.number, type(exc).__name__)
            raise ReminderMailFailed(f"{item.number}: {type(exc).__name__}") from None
        ReminderMail.objects.create(
            event=event,
            day=day,
            inquiry=item if isinstance(item, Inquiry) else None,
            proposal=item if isinstance(item, Proposal) else None,
            recipient=person,
            overdue=overdue,
            subject=subject,
            sent_at=clock.now(),
        )
