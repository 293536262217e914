"""Public forms: the online application (2019 Art. 29) and the status look-up."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import text
from gongkai.core.identity import resident_id_error
from gongkai.inforequests.choices import ApplicantKind, Delivery, FormWanted, RequestKind

RESIDENT_ID = "居民身份证"
CREDIT_CODE = "统一社会信用代码"
# Stored as typed (the model keeps the Chinese name); labels are translated for display.
ID_TYPES = [
    (RESIDENT_ID, gettext_lazy("居民身份证")),
    ("港澳居民来往内地通行证", gettext_lazy("港澳居民来往内地通行证")),
    ("台湾居民来往大陆通行证", gettext_lazy("台湾居民来往大陆通行证")),
    ("护照", gettext_lazy("护照")),
    ("外国人永久居留身份证", gettext_lazy("外国人永久居留身份证")),
    (CREDIT_CODE, gettext_lazy("统一社会信用代码（法人或其他组织）")),
    ("其他", gettext_lazy("其他证件")),
]
# What the applicant asks for, in the applicant's words (the stored values are RequestKind's).
REQUEST_KINDS = [
    (RequestKind.DISCLOSURE.value, gettext_lazy("申请获取政府信息")),
    (RequestKind.CORRECTION.value, gettext_lazy("申请更正与本人相关的政府信息（第四十一条）")),
]
ORGANISATION_KINDS = [(value, label) for value, label in ApplicantKind.choices if value != "natural_person"]
APPLICANT_KINDS: list[tuple[Any, Any]] = [
    (ApplicantKind.NATURAL_PERSON.value, ApplicantKind.NATURAL_PERSON.label),
    (gettext_lazy("法人或者其他组织"), ORGANISATION_KINDS),
]

_CREDIT_CODE_RE = re.compile(r"^[0-9A-Z]{18}$")
_PHONE_RE = re.compile(r"^\+?[\d\s\-()（）]{7,20}$")
_POSTCODE_RE = re.compile(r"^\d{6}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
TRACKING_RE = re.compile(r"^GK\d{4}-\d{5,}$")


def normalise_id_number(value: str) -> str:
    """NFKC first: 17 full-width digits and an ASCII check digit are the same person's number."""
    return re.sub(r"\s+", "", text.nfkc(text.strip_control(value))).upper()


def normalise_phone(value: str) -> str:
    return text.nfkc(text.strip_control(value)).strip()


def request_errors(data: dict[str, Any]) -> dict[str, str]:
    """Rules across fields, shared by the form and the API: {field: message}."""
    errors: dict[str, str] = {}
    if not (data.get("information_title") or "").strip() and not (data.get("description") or "").strip():
        errors["information_title"] = _("请填写所需信息的名称，或在“所需信息的描述”中说明，二者至少填一项。")
    if data.get("request_kind") == RequestKind.CORRECTION and not (data.get("description") or "").strip():
        errors["description"] = _(
            "申请更正的，请在“描述”中写明哪项信息不准确、应当如何更正，以及能够证明信息不准确的证据。"
        )
    if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
        errors["email"] = _("选择“电子邮件”送达时，请填写电子邮箱。")
    if data.get("delivery") == Delivery.POST and not (data.get("address") or "").strip():
        errors["address"] = _("选择“邮寄”送达时，请填写通信地址。")
    id_type, id_number = data.get("id_type"), data.get("id_number") or ""
    if id_type == RESIDENT_ID and id_number:
        message = resident_id_error(id_number)
        if message:
            errors["id_number"] = message
    elif id_type == CREDIT_CODE and id_number and not _CREDIT_CODE_RE.match(id_number):
        errors["id_number"] = _("统一社会信用代码应为18位数字或大写字母。")
    if (
        data.get("applicant_kind") not in (None, "", ApplicantKind.NATURAL_PERSON)
        and not (data.get("contact_person") or "").strip()
    ):
        errors["contact_person"] = _("法人或者其他组织申请的，请填写联系人。")
    return errors


class ApplicationForm(forms.Form):
    """What 2019 Art. 29 asks of an applicant, plus Arts. 43 and 44."""

    token = forms.CharField(widget=forms.HiddenInput, required=True)
    request_kind = forms.ChoiceField(
        label=gettext_lazy("申请事项"),
        choices=REQUEST_KINDS,
        widget=forms.RadioSelect,
        initial=RequestKind.DISCLOSURE.value,
        # A page opened before the choice existed sends none: that is a disclosure request.
        required=False,
        help_text=gettext_lazy(
            "认为本机关掌握的与您本人相关的政府信息记录不准确、并有证据证明的，可以申请更正（《条例》第四十一条）。"
        ),
    )
    applicant_kind = forms.ChoiceField(
        label=gettext_lazy("申请人类型"),
        choices=APPLICANT_KINDS,
        widget=forms.RadioSelect,
        initial=ApplicantKind.NATURAL_PERSON.value,
    )
    applicant_name = forms.CharField(
        label=gettext_lazy("姓名 / 名称"),
        max_length=150,
        help_text=gettext_lazy("个人填写姓名；法人或者其他组织填写全称。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_person = forms.CharField(
        label=gettext_lazy("联系人"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("法人或者其他组织申请时必填。"),
    )
    id_type = forms.ChoiceField(label=gettext_lazy("证件类型"), choices=ID_TYPES, initial=RESIDENT_ID)
    id_number = forms.CharField(
        label=gettext_lazy("证件号码"),
        max_length=40,
        help_text=gettext_lazy("居民身份证为18位，最后一位可能是字母X。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        required=False,
        help_text=gettext_lazy("填写后，我们会把受理编号和查询码发到这个邮箱。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": gettext_lazy(
                "电子邮箱的格式不对，应当像 zhangsan@example.com 这样；没有邮箱可以不填。"
            )
        },
    )
    address = forms.CharField(
        label=gettext_lazy("通信地址"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label=gettext_lazy("邮政编码"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    information_title = forms.CharField(
        label=gettext_lazy("所需信息的名称"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "申请获取信息的：例如文件标题。申请更正的：填写记录不准确的信息的名称。名称和描述至少填一项。"
        ),
    )
    information_doc_number = forms.CharField(
        label=gettext_lazy("文号"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("知道的话请填写，例如：吉公发〔2015〕12号。"),
    )
    description = forms.CharField(
        label=gettext_lazy("所需信息的描述"),
        max_length=5000,
        required=False,
        help_text=gettext_lazy(
            "申请获取信息的：说明您需要哪方面、哪段时间的信息，便于我们查找。"
            "申请更正的（必填）：写明哪项信息不准确、应当如何更正，并说明能够证明信息不准确的证据。"
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    form_wanted = forms.ChoiceField(
        label=gettext_lazy("获取信息的形式"),
        choices=FormWanted.choices,
        widget=forms.RadioSelect,
        initial=FormWanted.PAPER.value,
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("获取信息的方式"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        initial=Delivery.POST.value,
    )
    needs_assistance = forms.BooleanField(
        label=gettext_lazy("我在阅读、视听等方面有困难，需要帮助（《条例》第四十三条）"),
        required=False,
    )
    assistance_note = forms.CharField(
        label=gettext_lazy("需要什么帮助"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("例如：需要大字版材料、需要工作人员读给我听、需要手语。"),
    )
    suggests_proactive = forms.BooleanField(
        label=gettext_lazy("我建议将这项信息主动公开（《条例》第四十四条）"),
        required=False,
    )
    declaration = forms.BooleanField(
        label=gettext_lazy("我承诺以上填写的内容真实、准确，并同意本机关为办理本申请使用上述个人信息。"),
        error_messages={"required": gettext_lazy("请阅读并勾选承诺，才能提交申请。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Made when the form is shown: a second click sends the same token (one application).
            self.initial.setdefault("token", secrets.token_urlsafe(24))
        for field in self.fields.values():
            if field.required and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("required", True)
                if str(field.error_messages["required"]) == str(
                    forms.Field.default_error_messages["required"]
                ):
                    message = (
                        _("请选择%(label)s。")
                        if isinstance(field, forms.ChoiceField)
                        else _("请填写%(label)s。")
                    )
                    field.error_messages["required"] = message % {"label": field.label}

    def clean_token(self) -> str:
        value: str = self.cleaned_data["token"]
        if not TOKEN_RE.match(value):
            raise ValidationError(_("页面已过期，请刷新后重新提交。"))
        return value

    def clean_request_kind(self) -> str:
        return str(self.cleaned_data.get("request_kind") or RequestKind.DISCLOSURE.value)

    def clean_applicant_name(self) -> str:
        return str(self.cleaned_data["applicant_name"]).strip()

    def clean_id_number(self) -> str:
        return normalise_id_number(self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        value = normalise_phone(str(self.cleaned_data["phone"]))
        if not _PHONE_RE.match(value):
            raise ValidationError(_("请填写正确的电话号码，例如 13900000000 或 0431-88888888。"))
        return value

    def clean_postcode(self) -> str:
        value = str(self.cleaned_data["postcode"]).strip()
        if value and not _POSTCODE_RE.match(value):
            raise ValidationError(_("邮政编码应为6位数字。"))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = text.clean_inputs(super().clean() or {})
        self.cleaned_data = cleaned
        for field, message in request_errors(cleaned).items():
            if field not in self.errors:
                self.add_error(field, message)
        if not cleaned.get("needs_assistance"):
            cleaned["assistance_note"] = ""
        return cleaned

    def application_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("token", "declaration")}
        data["information_title"] = data.get("information_title", "").strip()
        return data


class StatusForm(forms.Form):
    tracking_number = forms.CharField(
        label=gettext_lazy("受理编号"),
        max_length=30,
        help_text=gettext_lazy("例如 GK2026-00012，在提交成功页面和确认邮件中。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    query_code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=20,
        help_text=gettext_lazy("8位字母和数字，不区分大小写。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_tracking_number(self) -> str:
        return re.sub(r"\s+", "", self.cleaned_data["tracking_number"]).upper()

    def clean_query_code(self) -> str:
        return re.sub(r"\s+", "", self.cleaned_data["query_code"]).upper()
