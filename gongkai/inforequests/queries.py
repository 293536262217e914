"""Read-side helpers for disclosure on request. Staff views fetch applications only through these
access helpers, and show personal data only through `shows_personal_data` and the maskers."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, DateField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import workdays
from gongkai.core.masking import mask_email, mask_id, mask_name, mask_phone, mask_text
from gongkai.inforequests.choices import OPEN_STATUSES, PauseKind, Status
from gongkai.inforequests.models import Application, Assignment, Pause
from gongkai.inforequests.workflows import sees_applicant

# Due soon: the effective due date falls within this many working days (the catalog's rule too).
NEAR_WORKDAYS = 5
# While these run the clock stands still (consultation) or will restart (request to complete, Art. 30),
# so the stored due date does not bind and the case is neither due soon nor overdue.
CLOCK_PAUSED = (Status.AWAITING_SUPPLEMENT, Status.IN_CONSULTATION)


def fee_pending() -> Exists:
    """A fee notice awaits payment: the clock stands still though the status stays (国办函〔2020〕109号)."""
    return Exists(Pause.objects.filter(application=OuterRef("pk"), kind=PauseKind.FEE, ended_on__isnull=True))


def sees_all(user: User) -> bool:
    """The disclosure office and the leaders see every case; department staff only their assignments."""
    return user.has_role(Role.REVIEWER, Role.LEADER)


def effective_due() -> Coalesce:
    """`Application.effective_due_on` as a database expression (for ordering and counting)."""
    return Coalesce(
        "later_due_on",
        Case(When(extended=True, then="extended_due_on"), default="due_on", output_field=DateField()),
        output_field=DateField(),
    )


def staff_applications(user: User) -> QuerySet[Application]:
    qs = Application.objects.select_related("handler")
    if sees_all(user):
        return qs
    if user.department_id is None:
        return qs.none()
    return qs.filter(
        Exists(Assignment.objects.filter(application=OuterRef("pk"), department_id=user.department_id))
    )


def get_application_for_staff(user: User, pk: int, *, page: bool = False) -> Application:
    """The case `pk` if this user may see it; `page`: with what the case page and its move
    guards read (pauses, reviews, assignments, fee notices) fetched once, not once per guard."""
    qs = staff_applications(user).filter(pk=pk)
    if page:
        qs = qs.prefetch_related("pauses", "reviews", "assignments", "fee_notices")
    application = qs.first()
    if application is None:
        raise Http404("no such application for this user")
    return application


def open_applications(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.filter(status__in=sorted(OPEN_STATUSES))


def near_limit(today: dt.date) -> dt.date:
    """The last day that counts as due soon; a year whose calendar is unknown falls back to a week."""
    try:
        return workdays.add_workdays(today, NEAR_WORKDAYS)
    except workdays.CalendarUnknownError:
        return today + dt.timedelta(days=7)


def with_effective_due(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.annotate(eff_due=effective_due(), fee_pending=fee_pending())


def due_state(application: Application, today: dt.date, near: dt.date) -> str:
    """ "overdue", "near" or "" for an open application; closed ones are never due."""
    due = application.effective_due_on
    if not application.is_open or due is None:
        return ""
    if application.status in CLOCK_PAUSED:
        return "paused"
    pending = getattr(application, "fee_pending", None)  # annotated by with_effective_due
    if pending is None:
        pending = any(p.kind == PauseKind.FEE and p.ended_on is None for p in application.pauses.all())
    if pending:
        return "paused"
    if due < today:
        return "overdue"
    if due <= near:
        return "near"
    return ""


def on_time_flag() -> Case:
    return Case(
        When(replied_on__lte=effective_due(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def overdue_q(today: dt.date) -> Q:
    """Over an annotated (`with_effective_due`) queryset of open applications."""
    return Q(eff_due__lt=today) & ~Q(status__in=CLOCK_PAUSED) & ~Q(fee_pending())


def near_q(today: dt.date, near: dt.date) -> Q:
    return Q(eff_due__gte=today, eff_due__lte=near) & ~Q(status__in=CLOCK_PAUSED) & ~Q(fee_pending())


# Personal data ----------------------------------------------------------------------------------


def shows_personal_data(user: User, application: Application) -> bool:
    """The office and the case's handler see the applicant unmasked; the departments asked for an
    opinion (unless the office shared the identity with them for this case), leaders and others see
    it masked (workflows.sees_applicant)."""
    return sees_applicant(user, application)


def applicant_view(user: User, application: Application) -> dict[str, str | bool]:
    """The applicant's data as this user may see it."""
    full = shows_personal_data(user, application)
    a = application
    person = a.applicant_kind == "natural_person"
    return {
        "masked": not full,
        "name": a.applicant_name if full or not person else mask_name(a.applicant_name),
        "contact_person": a.contact_person if full else mask_name(a.contact_person),
        "id_type": a.id_type,
        "id_number": a.id_number if full else mask_id(a.id_number),
        "phone": a.phone if full else mask_phone(a.phone),
        "email": a.email if full else mask_email(a.email),
        "address": a.address if full else mask_text(a.address),
        "postcode": a.postcode if full else "",
    }
