"""The forms of the staff pages of disclosure on request: one per move of a case, with the
helpers every staff page of the app shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.choices import DepartmentKind, Role
from gongkai.accounts.models import Department, User
from gongkai.inforequests import services, stats
from gongkai.inforequests.choices import (
    CorrectionOutcome,
    Delivery,
    Outcome,
    PauseKind,
    ReviewKind,
    ReviewResult,
)


def staff_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def outcome_choices(blank: str = "") -> list[Any]:
    """Outcomes grouped by the parent rows of table 三."""
    labels = dict(Outcome.choices)
    grouped: list[Any] = [("", blank or "—")]
    for group, heading in stats.OUTCOME_GROUPS:
        members = [(o, labels[o]) for o in Outcome.values if stats.outcome_group(o) == group]
        grouped.append((heading, members))
    return grouped


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def text_field(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required)


def is_reviewer(user: User) -> bool:
    return user.has_role(Role.REVIEWER)


def year_param(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 2008 <= year <= 2100 else None


# Forms ------------------------------------------------------------------------------------------


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(VersionForm):
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("交办部门"),
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_on = date_field(gettext_lazy("部门办理期限"))
    instructions = text_field(gettext_lazy("办理要求"), rows=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["departments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Department.objects.filter(is_active=True).exclude(kind=DepartmentKind.AGENCY)


class DatedForm(VersionForm):
    """A move that records an act done outside the system: the day it happened (default today)."""

    on = date_field(gettext_lazy("日期"), help_text=gettext_lazy("该行为实际发生的日期，不能晚于今天。"))


class OpinionForm(DatedForm):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    opinion = text_field(gettext_lazy("部门意见"), rows=4)
    suggested_outcome = forms.ChoiceField(label=gettext_lazy("建议办理结果"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_outcome"].choices = outcome_choices()  # type: ignore[attr-defined]


class SupplementForm(DatedForm):
    request_text = text_field(gettext_lazy("需要补正的事项（一次性告知）"))
    reply_workdays = forms.IntegerField(
        label=gettext_lazy("补正期限（工作日）"),
        min_value=1,
        max_value=60,
        initial=services.DEFAULT_SUPPLEMENT_REPLY_WORKDAYS,
    )


class DatedResponseForm(DatedForm):
    response_text = text_field(gettext_lazy("情况说明"), rows=2, required=False)


class AbandonForm(DatedForm):
    pass


class ConsultForm(DatedForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("征求意见类型"),
        choices=[(k.value, k.label) for k in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY)],
    )
    party = forms.CharField(label=gettext_lazy("第三方/机关"), max_length=150)
    request_text = text_field(gettext_lazy("征求意见的内容"), rows=2)


class ExtendForm(DatedForm):
    extra_workdays = forms.IntegerField(label=gettext_lazy("延长工作日"), min_value=1, max_value=20)
    reason = text_field(gettext_lazy("延期理由"), rows=2)


class DraftReplyForm(VersionForm):
    outcome = forms.ChoiceField(label=gettext_lazy("办理结果（按年度报告表三）"))
    legal_basis = forms.CharField(label=gettext_lazy("法律依据"), max_length=300)
    reply_text = text_field(gettext_lazy("答复内容"), rows=5)
    withheld_note = text_field(gettext_lazy("不予公开部分及理由（部分公开时必填）"), rows=2, required=False)
    holder_agency = forms.CharField(
        label=gettext_lazy("掌握该信息的机关（能够确定的）"), max_length=150, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcome_choices(_("请选择"))  # type: ignore[attr-defined]


class CorrectionForm(VersionForm):
    """The decision on an Art. 41 correction request, in place of a drafted reply."""

    correction_outcome = forms.ChoiceField(
        label=gettext_lazy("更正决定（第四十一条）"),
        choices=[("", gettext_lazy("请选择")), *CorrectionOutcome.choices],
    )
    forwarded_to = forms.CharField(
        label=gettext_lazy("转送的有权机关（无权更正时必填）"), max_length=150, required=False
    )
    note = text_field(gettext_lazy("告知申请人的内容"), rows=4)
    on = date_field(gettext_lazy("决定日期"))


class AssignmentForm(VersionForm):
    """A move on one assigned department (withdrawing the identity shared with it)."""

    assignment = forms.IntegerField(widget=forms.HiddenInput)


class ShareIdentityForm(AssignmentForm):
    reason = forms.CharField(
        label=gettext_lazy("原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("例如：需核实申请人身份")}),
    )


class ReasonForm(VersionForm):
    reason = text_field(gettext_lazy("退回原因"), rows=2)


class ApproveForm(VersionForm):
    on = date_field(gettext_lazy("答复日期"))


LETTER_KINDS = [
    ("reply", gettext_lazy("答复书")),
    ("supplement", gettext_lazy("补正告知书")),
    ("extension", gettext_lazy("延期答复告知书")),
    ("consultation", gettext_lazy("征求意见函")),
    ("fee_notice", gettext_lazy("收费通知书")),
    ("correction", gettext_lazy("更正申请答复书")),
    ("other", gettext_lazy("其他")),
]

LETTER_LABELS = dict(LETTER_KINDS)


class DeliveryForm(VersionForm):
    letter_kind = forms.ChoiceField(label=gettext_lazy("文书"), choices=LETTER_KINDS)
    method = forms.ChoiceField(label=gettext_lazy("送达方式"), choices=Delivery.choices)
    delivered_on = date_field(gettext_lazy("送达日期"))
    reference = forms.CharField(label=gettext_lazy("邮件号/说明"), max_length=100, required=False)


class ReviewForm(VersionForm):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=ReviewKind.choices)
    filed_on = date_field(gettext_lazy("提起日期"))
    body = forms.CharField(label=gettext_lazy("复议机关/法院"), max_length=150, required=False)
    note = text_field(gettext_lazy("说明"), rows=2, required=False)


class DecideReviewForm(VersionForm):
    review = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=gettext_lazy("结果"),
        choices=[(r.value, r.label) for r in ReviewResult if r != ReviewResult.PENDING],
    )
    decided_on = date_field(gettext_lazy("审结日期"))
    note = text_field(gettext_lazy("说明"), rows=2, required=False)
