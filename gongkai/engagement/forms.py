"""The public's forms: ask a question, follow it with the query code, rate the answer, ask during
an online event. Fields keep what was typed on any error; the messages are Chinese (English
through gettext)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.engagement.choices import InquiryKind, Rating, Topic


class InquiryForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=True)
    kind = forms.ChoiceField(
        label=_("类型"), choices=InquiryKind.choices, initial=InquiryKind.INQUIRY, widget=forms.RadioSelect
    )
    topic = forms.ChoiceField(label=_("事项类别"), choices=Topic.choices, initial=Topic.OTHER)
    title = forms.CharField(label=_("标题"), max_length=100)
    question = forms.CharField(
        label=_("内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "请不要在内容中填写身份证号码、电话号码等个人信息；需要联系您时，我们使用下面的联系方式。"
        ),
    )
    wants_public = forms.BooleanField(
        label=_("同意在网站上公开我的问题和答复（不公开姓名和联系方式）"), required=False, initial=True
    )
    asker_name = forms.CharField(
        label=_("姓名"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("电子邮箱格式不正确，请核对。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = secrets.token_urlsafe(16)
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写%(field)s。") % {"field": field.label}
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = _(
                    "最多 %(limit_value)d 个字（您填写了 %(show_value)d 个）。"
                )
        self.fields["kind"].error_messages["required"] = _("请选择咨询或留言。")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing = not (cleaned.get("phone") or "").strip() and not (cleaned.get("email") or "").strip()
        if missing and "phone" not in self.errors and "email" not in self.errors:
            self.add_error("phone", _("请至少填写联系电话或电子邮箱中的一项，以便我们答复您。"))
        return cleaned


class FollowForm(forms.Form):
    number = forms.CharField(
        label=_("编号"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "ZX2015-00001"}),
        error_messages={"required": _("请填写编号。")},
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("请填写查询码。")},
    )

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip().upper()


class RatingForm(FollowForm):
    rating = forms.ChoiceField(
        label=_("您对答复的评价"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意、基本满意或不满意。")},
    )
    comment = forms.CharField(
        label=_("评价意见（选填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EventQuestionForm(forms.Form):
    nickname = forms.CharField(
        label=_("昵称"), max_length=30, error_messages={"required": _("请填写昵称。")}, initial=_("网友")
    )
    text = forms.CharField(
        label=_("您的问题"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写问题。"), "max_length": _("问题最多 500 个字。")},
        help_text=_("提问经审核后显示，请勿填写个人信息。"),
    )
