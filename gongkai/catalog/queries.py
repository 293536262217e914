"""Read-side helpers. Views fetch records only through these access helpers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Attachment, Category, Record

PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)


def published_records() -> QuerySet[Record]:
    return Record.objects.filter(status=Status.PUBLISHED).select_related("category", "department")


def get_public_record(index_number: str) -> Record:
    """A published record, or a withdrawn one (which shows its withdrawal notice); anything else is 404."""
    record = (
        Record.objects.filter(index_number=index_number, status__in=PUBLIC_STATUSES)
        .select_related("category", "category__parent")
        .first()
    )
    if record is None:
        raise Http404("not published")
    return record


def get_public_attachment(index_number: str, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(
            pk=attachment_id, record__index_number=index_number, record__status=Status.PUBLISHED
        )
        .select_related("record")
        .first()
    )
    if attachment is None:
        raise Http404("not published")
    return attachment


def staff_records(user: User) -> QuerySet[Record]:
    """Reviewers, leaders and auditors see every record; department staff see their department's."""
    qs = Record.objects.select_related("category", "department", "created_by")
    if user.has_role(Role.REVIEWER, Role.LEADER, Role.AUDIT_ADMIN):
        return qs
    if user.department_id is None:
        return qs.none()
    return qs.filter(department_id=user.department_id)


def get_record_for_staff(user: User, pk: int) -> Record:
    record = staff_records(user).filter(pk=pk).first()
    if record is None:
        raise Http404("no such record for this user")
    return record


def category_tree() -> list[tuple[Category, list[Category]]]:
    categories = list(Category.objects.filter(is_active=True))
    roots = [c for c in categories if c.parent_id is None]
    return [(root, [c for c in categories if c.parent_id == root.pk]) for root in roots]


def descendant_ids(category: Category) -> list[int]:
    ids = [category.pk]
    frontier = [category.pk]
    while frontier:
        children = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(children)
        frontier = children
    return ids


def leaf_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True, children__isnull=True).select_related("parent")


def latest_year() -> int:
    from gongkai.core import clock

    return clock.today().year
