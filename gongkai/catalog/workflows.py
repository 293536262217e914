"""The catalog's workflows, declared once for the act kernel (`gongkai.core.acts`): the record from
draft through attribute review to publication and withdrawal, and the office-edited pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog.choices import EDITABLE_STATUSES, TRANSITIONS, Status
from gongkai.catalog.models import Page, Record, RecordTransition
from gongkai.core import acts

# The record's own department drafts it; the disclosure office (公开办) reviews every record.
SAME_DEPARTMENT = acts.same_department()

DRAFTERS = (
    acts.permit(Role.EDITOR, Role.HEAD, relation=SAME_DEPARTMENT),
    acts.permit(Role.REVIEWER),
)
OFFICE = (acts.permit(Role.REVIEWER),)


def drafted_or_submitted_by(record: Record) -> set[int]:
    """Who may not pass a record's attribute review: whoever drafted or submitted it (four eyes)."""
    people = {record.created_by_id} if record.created_by_id else set()
    people.update(
        RecordTransition.objects.filter(record=record, to_status=Status.SUBMITTED).values_list(
            "actor_id", flat=True
        )
    )
    return people


def _attachment_state(actor: User | None, record: Record) -> str | None:
    """Files are added while the record is drafted; the office may also add them later, until it
    is withdrawn (a scan arriving after approval)."""
    if record.status in EDITABLE_STATUSES:
        return None
    if actor is not None and actor.has_role(Role.REVIEWER) and record.status != Status.WITHDRAWN:
        return None
    return str(_("只有草稿或已退回的信息可以添加附件。"))


def _status_label(status: str) -> str:
    return str(Status(status).label)


RECORD: acts.Workflow[Record] = acts.register(
    acts.Workflow(
        code="catalog.record",
        model=Record,
        status_label=_status_label,
        transitions=TRANSITIONS,
        write_transition=acts.transition_writer(RecordTransition, "record"),
        moves={
            m.name: m
            for m in (
                acts.Move(
                    "create",
                    "catalog.record.created",
                    _("新建信息"),
                    DRAFTERS,
                    refusal=_("只能为本部门新建信息（公开办可为各部门新建）。"),
                ),
                acts.Move(
                    "update",
                    "catalog.record.updated",
                    _("修改"),
                    DRAFTERS,
                    sources=EDITABLE_STATUSES,
                    refusal=_("您无权修改该信息。"),
                ),
                acts.Move(
                    "submit",
                    "catalog.record.submitted",
                    _("提交审核"),
                    DRAFTERS,
                    sources=EDITABLE_STATUSES,
                    target=Status.SUBMITTED,
                    refusal=_("您无权提交该信息。"),
                ),
                acts.Move(
                    "approve",
                    "catalog.record.approved",
                    _("公开属性审核通过"),
                    OFFICE,
                    sources=frozenset({Status.SUBMITTED}),
                    target=Status.APPROVED,
                    four_eyes=drafted_or_submitted_by,
                    refusal=_("只有公开办审核员可以审核、发布或撤回信息。"),
                ),
                acts.Move(
                    "return",
                    "catalog.record.returned",
                    _("退回"),
                    OFFICE,
                    sources=frozenset({Status.SUBMITTED, Status.APPROVED}),
                    target=Status.RETURNED,
                    refusal=_("只有公开办审核员可以审核、发布或撤回信息。"),
                ),
                acts.Move(
                    "publish",
                    "catalog.record.published",
                    _("发布"),
                    OFFICE,
                    sources=frozenset({Status.APPROVED}),
                    target=Status.PUBLISHED,
                    refusal=_("只有公开办审核员可以审核、发布或撤回信息。"),
                ),
                acts.Move(
                    "withdraw",
                    "catalog.record.withdrawn",
                    _("撤回"),
                    OFFICE,
                    sources=frozenset({Status.PUBLISHED}),
                    target=Status.WITHDRAWN,
                    refusal=_("只有公开办审核员可以审核、发布或撤回信息。"),
                ),
                acts.Move(
                    "change_validity",
                    "catalog.record.validity_changed",
                    _("变更有效性"),
                    OFFICE,
                    sources=frozenset({Status.PUBLISHED}),
                    target=Status.PUBLISHED,
                    # The repeal or amendment is the act of another document, on a day of its own:
                    # not in the future, not before this record was formed.
                    dated=True,
                    follows=lambda record: record.formed_on,
                    refusal=_("只有公开办审核员可以变更已发布信息的有效性。"),
                ),
                acts.Move(
                    "add_attachment",
                    "catalog.attachment.added",
                    _("上传附件"),
                    DRAFTERS,
                    check=_attachment_state,
                    refusal=_("您无权为该信息添加附件。"),
                ),
                acts.Move(
                    "record_publication",
                    "catalog.publication.recorded",
                    _("登记发布渠道"),
                    DRAFTERS,
                    sources=frozenset({Status.PUBLISHED}),
                    refusal=_("您无权为该信息登记发布渠道。"),
                ),
            )
        },
    )
)


PAGE: acts.Workflow[Page] = acts.register(
    acts.Workflow(
        code="catalog.page",
        model=Page,
        status_field=None,
        moves={
            "update": acts.Move(
                "update",
                "catalog.page.updated",
                _("修改页面"),
                OFFICE,
                refusal=_("只有公开办可以修改指南和栏目页面。"),
            )
        },
    )
)


def moves_for(actor: User, record: Record) -> dict[str, Any]:
    """Which record moves the page may offer this actor: {move name: True} for the allowed ones."""
    return dict.fromkeys(RECORD.allowed_moves(actor, record), True)
