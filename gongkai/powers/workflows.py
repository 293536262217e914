"""The powers app's workflows, declared once for the act kernel (`gongkai.core.acts`): an item from
draft through the office's review to publication in a list edition, cancellation and delegation
(acts decided by a document, dated as they took effect); and the list edition itself, proposed by
one person and published by the office reviewer, a second person."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import acts
from gongkai.powers.choices import (
    EDITABLE_STATUSES,
    EDITION_TRANSITIONS,
    TRANSITIONS,
    EditionStatus,
    Status,
)
from gongkai.powers.models import EditionTransition, ItemChange, ItemTransition, ListEdition, PowerItem

# An item's implementing department keeps it current; the disclosure office reviews and publishes.
SAME_DEPARTMENT = acts.same_department()
DRAFTERS = (
    acts.permit(Role.EDITOR, Role.HEAD, relation=SAME_DEPARTMENT),
    acts.permit(Role.REVIEWER),
)
OFFICE = (acts.permit(Role.REVIEWER),)
# Any department may compile a list edition (the legal department usually does); the office publishes.
COMPILERS = (acts.permit(Role.EDITOR, Role.HEAD, Role.REVIEWER),)
OFFICE_ONLY = _("只有公开办审核员可以审核、发布、取消或下放事项。")


def drafted_or_submitted_by(item: PowerItem) -> set[int]:
    """Who may not pass an item's review: whoever created or submitted it (four eyes)."""
    people = {item.created_by_id}
    people.update(
        ItemTransition.objects.filter(item=item, to_status=Status.SUBMITTED).values_list(
            "actor_id", flat=True
        )
    )
    return people


def _live(actor: User | None, item: PowerItem) -> str | None:
    if item.live_id is None:
        return str(_("该事项尚未发布，不能取消或下放；未发布的事项无需决定文件。"))
    return None


def _revised(actor: User | None, item: PowerItem) -> str | None:
    if item.revision is None or item.live_id is None:
        return str(_("该事项没有待发布的修订稿。"))
    return None


def _set_on(item: PowerItem) -> dt.date | None:
    first = ItemChange.objects.filter(item=item).order_by("on").values_list("on", flat=True).first()
    return first


def _status_label(status: str) -> str:
    return str(Status(status).label)


ITEM: acts.Workflow[PowerItem] = acts.register(
    acts.Workflow(
        code="powers.item",
        model=PowerItem,
        status_label=_status_label,
        transitions=TRANSITIONS,
        write_transition=acts.transition_writer(ItemTransition, "item"),
        starts_on=_set_on,
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "create",
                    "powers.item.created",
                    _("新建事项"),
                    DRAFTERS,
                    refusal=_("只能为本部门新建事项（公开办可为各部门新建）。"),
                ),
                acts.Move(
                    "update",
                    "powers.item.updated",
                    _("修改"),
                    DRAFTERS,
                    sources=EDITABLE_STATUSES,
                    refusal=_("您无权修改该事项。"),
                ),
                acts.Move(
                    "submit",
                    "powers.item.submitted",
                    _("提交审核"),
                    DRAFTERS,
                    sources=frozenset({Status.DRAFT, Status.RETURNED}),
                    target=Status.SUBMITTED,
                    refusal=_("您无权提交该事项。"),
                ),
                acts.Move(
                    "approve",
                    "powers.item.approved",
                    _("审核通过"),
                    OFFICE,
                    sources=frozenset({Status.SUBMITTED}),
                    target=Status.APPROVED,
                    four_eyes=drafted_or_submitted_by,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "return",
                    "powers.item.returned",
                    _("退回"),
                    OFFICE,
                    sources=frozenset({Status.SUBMITTED, Status.APPROVED}),
                    target=Status.RETURNED,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "discard",
                    "powers.item.revision_discarded",
                    _("撤销修订稿"),
                    DRAFTERS,
                    sources=frozenset({Status.DRAFT, Status.RETURNED}),
                    target=Status.PUBLISHED,
                    check=_revised,
                    refusal=_("您无权撤销该事项的修订稿。"),
                ),
                acts.Move(
                    "record_change",
                    "powers.item.change_recorded",
                    _("登记保留或调整决定"),
                    OFFICE,
                    sources=frozenset(EDITABLE_STATUSES | {Status.SUBMITTED}),
                    dated=True,
                    check=_live,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "cancel",
                    "powers.item.cancelled",
                    _("取消"),
                    OFFICE,
                    sources=frozenset({Status.PUBLISHED}),
                    target=Status.CANCELLED,
                    dated=True,
                    check=_live,
                    refusal=OFFICE_ONLY,
                ),
                acts.Move(
                    "delegate",
                    "powers.item.delegated",
                    _("下放"),
                    OFFICE,
                    sources=frozenset({Status.PUBLISHED}),
                    target=Status.DELEGATED,
                    dated=True,
                    check=_live,
                    refusal=OFFICE_ONLY,
                ),
            )
        },
    )
)


def proposed_by(edition: ListEdition) -> set[int]:
    return {edition.proposed_by_id}


def _edition_label(status: str) -> str:
    return str(EditionStatus(status).label)


EDITION: acts.Workflow[ListEdition] = acts.register(
    acts.Workflow(
        code="powers.edition",
        model=ListEdition,
        status_label=_edition_label,
        transitions=EDITION_TRANSITIONS,
        write_transition=acts.transition_writer(EditionTransition, "edition"),
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "propose",
                    "powers.edition.proposed",
                    _("提请发布清单"),
                    COMPILERS,
                    refusal=_("您无权提请发布清单。"),
                ),
                acts.Move(
                    "publish",
                    "powers.edition.published",
                    _("发布清单"),
                    OFFICE,
                    sources=frozenset({EditionStatus.SUBMITTED}),
                    target=EditionStatus.PUBLISHED,
                    four_eyes=proposed_by,
                    refusal=_("只有公开办审核员可以发布清单。"),
                ),
                acts.Move(
                    "return",
                    "powers.edition.returned",
                    _("退回"),
                    OFFICE,
                    sources=frozenset({EditionStatus.SUBMITTED}),
                    target=EditionStatus.RETURNED,
                    refusal=_("只有公开办审核员可以发布清单。"),
                ),
            )
        },
    )
)
