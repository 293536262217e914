"""Staff forms for records, attachments, channels and pages."""

from __future__ import annotations

import html
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import Department, User
from gongkai.catalog import queries
from gongkai.catalog.choices import Channel, DisclosureAttribute, Validity
from gongkai.catalog.models import Category, Record
from gongkai.core.params import YEAR_MIN

DOC_NUMBER_RE = re.compile(r"^.+〔\d{4}〕\d+号$")
# What the editor posts always has block markup; a textarea typed without JavaScript has none.
_HTML_BLOCK_RE = re.compile(
    r"<\s*/?\s*(p|br|h[1-6]|ul|ol|li|table|tr|td|div|blockquote|hr|a|strong|em|b|i)\b", re.I
)
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")
SELECT_PROMPT = gettext_lazy("请选择")


def body_html(value: str) -> str:
    """The body as HTML: the editor's HTML as it is (the service sanitises it), plain text from the
    no-JavaScript textarea as one paragraph per blank-line-separated block, single line breaks kept."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value or _HTML_BLOCK_RE.search(value):
        return value
    paragraphs = []
    for block in _PARAGRAPH_BREAK_RE.split(value):
        lines = [html.escape(line.strip(), quote=False) for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(paragraphs)


class RichTextarea(forms.Textarea):
    """A textarea the editor (static catalog/editor.js over vendor/squire) takes over when it can."""

    template_name = "catalog/staff/_rich_textarea.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 14, "data-editor": "", **(attrs or {})})


def _prompt_selects(form: forms.BaseForm) -> None:
    """Selects open on "请选择" rather than Django's "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = str(SELECT_PROMPT)
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)  # type: ignore[arg-type]
            if choices and choices[0][0] in ("", None):
                field.choices = [("", SELECT_PROMPT), *choices[1:]]


class CategoryChoiceField(forms.ModelChoiceField[Category]):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent else obj.name


def category_choices(leaves: list[Category]) -> list[Any]:
    """Leaf columns grouped under their top-level column (an optgroup each), in catalog order."""
    every = {c.pk: c for c in Category.objects.all()}

    def top(c: Category) -> Category:
        while c.parent_id and c.parent_id in every:
            c = every[c.parent_id]
        return c

    groups: dict[int, tuple[Category, list[tuple[int, str]]]] = {}
    for leaf in leaves:
        head = top(leaf)
        # The full path stays in the label: a screen reader announces the option, not its group.
        label = f"{every[leaf.parent_id].name} › {leaf.name}" if leaf.parent_id in every else leaf.name
        groups.setdefault(head.pk, (head, []))[1].append((leaf.pk, label))
    ordered = sorted(groups.values(), key=lambda g: (g[0].position, g[0].pk))
    return [("", SELECT_PROMPT)] + [(head.name, options) for head, options in ordered]


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
            "repealed_on",
            "secrecy",
            "attribute",
            "attribute_basis",
            "attribute_reason",
        ]
        widgets = {
            "formed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "repealed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "body": RichTextarea(),
            "attribute_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "issuer": gettext_lazy("填写全称，不用简称；联合发文填主办机关。"),
            "doc_number": gettext_lazy("年份用六角括号〔〕，如：吉公发〔2015〕12号。"),
            "formed_on": gettext_lazy("公文以签发日期为成文日期。"),
            "summary": gettext_lazy("一般不超过100字，不要重复标题。"),
            "attribute_basis": gettext_lazy("依申请公开或不予公开时必填。"),
            "repealed_on": gettext_lazy("有效性为“已废止”时填写；不填则为今天。"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        leaves = queries.leaf_categories()
        self.fields["category"].queryset = leaves  # type: ignore[attr-defined]
        departments = Department.objects.filter(is_active=True)
        if not user.has_role("reviewer"):
            departments = departments.filter(pk=user.department_id or 0)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        _prompt_selects(self)
        self.fields["category"].choices = category_choices(list(leaves))  # type: ignore[attr-defined]

    def clean_body(self) -> str:
        return body_html(self.cleaned_data.get("body", ""))

    def clean_formed_on(self) -> Any:
        value = self.cleaned_data.get("formed_on")
        if value is not None and value.year < YEAR_MIN:
            raise forms.ValidationError(_("成文日期不能早于%(year)s年，请核对。") % {"year": YEAR_MIN})
        return value

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
        repealed_on = data.get("repealed_on")
        if repealed_on and data.get("validity") != Validity.REPEALED:
            self.add_error("repealed_on", _("只有“已废止”的信息填写废止日期。"))
        elif repealed_on and data.get("formed_on") and repealed_on < data["formed_on"]:
            self.add_error("repealed_on", _("废止日期不能早于成文日期。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChangeValidityForm(forms.Form):
    """A published record repealed or amended by a later document (services.do_change_validity)."""

    validity = forms.ChoiceField(
        label=gettext_lazy("有效性变为"),
        choices=[
            (Validity.REPEALED, gettext_lazy("已废止")),
            (Validity.AMENDED, gettext_lazy("已修改")),
            (Validity.IN_FORCE, gettext_lazy("有效（此前标记有误时恢复）")),
        ],
        initial=Validity.REPEALED,
    )
    on = forms.DateField(
        label=gettext_lazy("生效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("废止或修改生效之日；不填则为今天，不能早于成文日期。"),
    )
    document = forms.CharField(
        label=gettext_lazy("废止或修改文件"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("填写该文件的文号或标题，如：吉公发〔2016〕3号；恢复为“有效”时不填。"),
    )
    reason = forms.CharField(
        label=gettext_lazy("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("validity") in (Validity.REPEALED, Validity.AMENDED)
            and not (data.get("document") or "").strip()
        ):
            self.add_error("document", _("请填写废止或修改该信息的文件（文号或标题）。"))
        return data


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
    body = forms.CharField(label=gettext_lazy("内容"), widget=RichTextarea(attrs={"rows": 16}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_body(self) -> str:
        return body_html(self.cleaned_data.get("body", ""))
