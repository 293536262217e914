"""Staff forms for records, attachments, channels and pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import Department, User
from gongkai.catalog import queries
from gongkai.catalog.choices import Channel, DisclosureAttribute
from gongkai.catalog.models import Category, Record

DOC_NUMBER_RE = re.compile(r"^.+〔\d{4}〕\d+号$")


class CategoryChoiceField(forms.ModelChoiceField[Category]):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent else obj.name


class RecordForm(forms.ModelForm[Record]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = CategoryChoiceField(
        queryset=Category.objects.none(),
        label=gettext_lazy("主题分类"),
        help_text=gettext_lazy("选择到最末一级栏目。"),
    )

    class Meta:
        model = Record
        fields = [
            "name",
            "doc_number",
            "formed_on",
            "issuer",
            "department",
            "category",
            "genre",
            "keywords",
            "summary",
            "body",
            "validity",
            "secrecy",
            "attribute",
            "attribute_basis",
            "attribute_reason",
        ]
        widgets = {
            "formed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "attribute_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "issuer": gettext_lazy("填写全称，不用简称；联合发文填主办机关。"),
            "doc_number": gettext_lazy("年份用六角括号〔〕，如：吉公发〔2015〕12号。"),
            "formed_on": gettext_lazy("公文以签发日期为成文日期。"),
            "summary": gettext_lazy("一般不超过100字，不要重复标题。"),
            "attribute_basis": gettext_lazy("依申请公开或不予公开时必填。"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].queryset = queries.leaf_categories()  # type: ignore[attr-defined]
        departments = Department.objects.filter(is_active=True)
        if not user.has_role("reviewer"):
            departments = departments.filter(pk=user.department_id or 0)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_doc_number(self) -> str:
        value: str = self.cleaned_data.get("doc_number", "").strip()
        value = value.replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")
        if value and not DOC_NUMBER_RE.match(value):
            raise forms.ValidationError(_("文号格式应为“机关代字〔年份〕序号号”，如：吉公发〔2015〕12号。"))
        return value

    def clean_summary(self) -> str:
        value: str = self.cleaned_data.get("summary", "").strip()
        if value and value == self.cleaned_data.get("name", "").strip():
            raise forms.ValidationError(_("内容概述不要与名称相同。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        attribute = data.get("attribute")
        if attribute in (DisclosureAttribute.ON_REQUEST, DisclosureAttribute.WITHHELD) and not data.get(
            "attribute_basis"
        ):
            self.add_error("attribute_basis", _("依申请公开或不予公开的信息须注明法律依据（条款）。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("附件"), help_text=gettext_lazy("PDF、Word、Excel 或图片，不超过 20 MB。")
    )


class PublicationForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("渠道"), choices=Channel.choices)
    published_at = forms.DateTimeField(
        label=gettext_lazy("发布时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    link = forms.URLField(label=gettext_lazy("链接"), required=False, assume_scheme="https")


class PageForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=100)
    body = forms.CharField(label=gettext_lazy("内容"), widget=forms.Textarea(attrs={"rows": 16}))
    version = forms.IntegerField(widget=forms.HiddenInput)
