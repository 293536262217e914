"""The only ways views fetch conferences and interpretations: the public sees what is published
(a withdrawn one keeps its address and shows its withdrawal notice); staff see their department's
(the office, leaders and auditors see all)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.models import Record
from gongkai.pressroom.choices import Status
from gongkai.pressroom.models import Conference, Interpretation

PUBLIC = (Status.PUBLISHED, Status.WITHDRAWN)
M = TypeVar("M", bound=Model)


def public_conferences() -> QuerySet[Conference]:
    return Conference.objects.filter(status=Status.PUBLISHED)


def public_interpretations() -> QuerySet[Interpretation]:
    return Interpretation.objects.filter(status=Status.PUBLISHED, policy__status="published").select_related(
        "policy", "department", "conference"
    )


def get_public_conference(pk: int) -> Conference:
    conference = Conference.objects.filter(pk=pk, status__in=PUBLIC).select_related("release").first()
    if conference is None:
        raise Http404("not published")
    return conference


def get_public_interpretation(pk: int) -> Interpretation:
    interpretation = (
        Interpretation.objects.filter(pk=pk, status__in=PUBLIC, policy__status__in=("published", "withdrawn"))
        .select_related("policy", "policy__category", "department", "conference")
        .first()
    )
    if interpretation is None:
        raise Http404("not published")
    return interpretation


def public_records(records: QuerySet[Record]) -> QuerySet[Record]:
    return records.filter(status="published").only("index_number", "name", "published_at", "formed_on")


def record_links(record_id: int) -> tuple[list[Interpretation], list[Conference]]:
    """What the portal links from a catalog record's page: the published interpretations of it,
    and the published conferences it was released at or is related to."""
    interpretations = list(
        Interpretation.objects.filter(policy_id=record_id, status=Status.PUBLISHED).only(
            "title", "form", "published_at"
        )
    )
    conferences = list(
        Conference.objects.filter(Q(release_id=record_id) | Q(related_records__id=record_id))
        .filter(status=Status.PUBLISHED)
        .distinct()
        .only("title", "held_on")
    )
    return interpretations, conferences


def _for_staff(user: User, objects: QuerySet[M]) -> QuerySet[M]:
    if user.has_role(Role.REVIEWER, Role.LEADER, Role.AUDIT_ADMIN):
        return objects
    if user.department_id is None:
        return objects.none()
    return objects.filter(department_id=user.department_id)


def conferences_for_staff(user: User) -> QuerySet[Conference]:
    return _for_staff(user, Conference.objects.select_related("department", "release"))


def interpretations_for_staff(user: User) -> QuerySet[Interpretation]:
    return _for_staff(user, Interpretation.objects.select_related("department", "policy", "conference"))


def get_conference_for_staff(user: User, pk: int) -> Conference:
    try:
        return conferences_for_staff(user).get(pk=pk)
    except Conference.DoesNotExist:
        raise Http404 from None


def get_interpretation_for_staff(user: User, pk: int) -> Interpretation:
    try:
        return interpretations_for_staff(user).get(pk=pk)
    except Interpretation.DoesNotExist:
        raise Http404 from None
