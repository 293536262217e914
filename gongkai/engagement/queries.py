"""The only ways views fetch engagement objects. The public sees published answers, announced and
archived events with their approved questions, and disclosed proposals; staff see what their role
and department allow; the asker's name and contact details the office in full, everyone else masked
(`sees_asker`, `asker_view`). A proposal's proposer is a deputy or member, a public office holder
named on the public page: not masked."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core.masking import mask_email, mask_name, mask_phone
from gongkai.engagement.choices import PUBLIC_QUESTIONS, EventStatus, InquiryStatus, ProposalStatus
from gongkai.engagement.models import EventQuestion, Inquiry, OnlineEvent, Proposal

SEE_ALL = (Role.REVIEWER, Role.LEADER, Role.AUDIT_ADMIN)
PUBLIC_EVENTS = (EventStatus.ANNOUNCED, EventStatus.ARCHIVED)


# -- the public ------------------------------------------------------------------------------------


def public_inquiries() -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(status=InquiryStatus.PUBLISHED).order_by("-published_at", "-id")


def get_public_inquiry(number: str) -> Inquiry:
    inquiry = public_inquiries().filter(number=number).first()
    if inquiry is None:
        raise Http404
    return inquiry


def public_events() -> QuerySet[OnlineEvent]:
    return OnlineEvent.objects.filter(status__in=PUBLIC_EVENTS).select_related("department")


def get_public_event(pk: int) -> OnlineEvent:
    event = public_events().filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def public_questions(event: OnlineEvent) -> QuerySet[EventQuestion]:
    return event.questions.filter(status__in=PUBLIC_QUESTIONS).order_by("asked_at", "id")


def public_proposals() -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(status=ProposalStatus.DISCLOSED)
        .select_related("lead_department")
        .order_by("-disclosed_on", "kind", "number")
    )


def get_public_proposal(pk: int) -> Proposal:
    proposal = public_proposals().filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


# -- staff -----------------------------------------------------------------------------------------


def _working_department(user: User) -> int | None:
    """The department whose engagement work `user` does: editors and heads do their department's;
    the system and security administrators, whatever department they sit in, see none of it (held
    questions and what the checks found in them included)."""
    return user.department_id if user.has_role(Role.EDITOR, Role.HEAD) else None


def inquiries_for_staff(user: User) -> QuerySet[Inquiry]:
    """The office, leaders and auditors see every inquiry; a department the ones routed to it."""
    inquiries = Inquiry.objects.select_related("department")
    if user.has_role(*SEE_ALL):
        return inquiries
    department_id = _working_department(user)
    if department_id is None:
        return inquiries.none()
    return inquiries.filter(department_id=department_id)


def get_inquiry_for_staff(user: User, pk: int) -> Inquiry:
    try:
        return inquiries_for_staff(user).get(pk=pk)
    except Inquiry.DoesNotExist:
        raise Http404 from None


def sees_asker(user: User, inquiry: Inquiry) -> bool:
    """Who sees the asker unmasked: the office, which handles inquiries and answers the asker. The
    department routed to answer needs the question, not the identity: its editors and head, like
    leaders and auditors, see the asker masked (as inforequests.workflows.sees_applicant)."""
    return user.has_role(Role.REVIEWER)


def asker_view(user: User, inquiry: Inquiry, *, refused: bool = False) -> dict[str, str | bool]:
    """The asker's name and contact details as this user may see them; masked for everyone on the
    answer to a refused act, which shows no personal data (and so writes no view)."""
    full = sees_asker(user, inquiry) and not refused
    return {
        "masked": not full,
        "name": inquiry.asker_name if full else mask_name(inquiry.asker_name),
        "phone": inquiry.phone if full else mask_phone(inquiry.phone),
        "email": inquiry.email if full else mask_email(inquiry.email),
    }


def events_for_staff(user: User) -> QuerySet[OnlineEvent]:
    events = OnlineEvent.objects.select_related("department")
    if user.has_role(*SEE_ALL):
        return events
    department_id = _working_department(user)
    if department_id is None:
        return events.none()
    return events.filter(department_id=department_id)


def get_event_for_staff(user: User, pk: int) -> OnlineEvent:
    try:
        return events_for_staff(user).get(pk=pk)
    except OnlineEvent.DoesNotExist:
        raise Http404 from None


def get_question_for_staff(user: User, pk: int) -> EventQuestion:
    question = EventQuestion.objects.select_related("event").filter(pk=pk).first()
    if question is None or not events_for_staff(user).filter(pk=question.event_id).exists():
        raise Http404
    return question


def proposals_for_staff(user: User) -> QuerySet[Proposal]:
    proposals = Proposal.objects.select_related("lead_department")
    if user.has_role(*SEE_ALL):
        return proposals
    department_id = _working_department(user)
    if department_id is None:
        return proposals.none()
    return proposals.filter(
        Q(lead_department_id=department_id) | Q(co_departments__id=department_id)
    ).distinct()


def get_proposal_for_staff(user: User, pk: int) -> Proposal:
    try:
        return proposals_for_staff(user).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
