"""The only ways views fetch items: the public sees published versions; staff see their department's
items (the office, leaders and auditors see all)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.powers.choices import Level, PowerCategory
from gongkai.powers.models import ItemVersion, PowerItem


def _rank(field: str, choices: type[PowerCategory] | type[Level]) -> Case:
    """A choice's position in its list (the law's order of the categories, 行政许可 first), not its
    English code's place in the alphabet (which would put 行政给付 first)."""
    whens = [When(**{field: choice.value}, then=Value(n)) for n, choice in enumerate(choices)]
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


def live_versions(list_kind: str | None = None) -> QuerySet[ItemVersion]:
    versions = ItemVersion.objects.filter(is_live=True).select_related("department")
    if list_kind:
        versions = versions.filter(list_kind=list_kind)
    return versions.order_by(_rank("category", PowerCategory), "code", _rank("level", Level), "id")


def get_public_version(code: str) -> ItemVersion:
    """The live version of an item, or for a cancelled or delegated item its last published one
    (shown with the decision); 404 for an item never published."""
    version = (
        ItemVersion.objects.filter(code=code)
        .select_related("item", "department")
        .order_by("-is_live", "-published_at", "-number")
        .first()
    )
    if version is None:
        raise Http404
    return version


def items_for_staff(user: User) -> QuerySet[PowerItem]:
    items = PowerItem.objects.select_related("department", "live")
    if user.has_role(Role.REVIEWER, Role.LEADER, Role.AUDIT_ADMIN):
        return items
    if user.department_id is None:
        return items.none()
    return items.filter(department_id=user.department_id)


def get_item_for_staff(user: User, pk: int) -> PowerItem:
    try:
        return items_for_staff(user).get(pk=pk)
    except PowerItem.DoesNotExist:
        raise Http404 from None
