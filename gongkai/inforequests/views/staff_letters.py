"""Staff pages of letters: a case's letters as DOCX and PDF for its handlers, and the office's own
wording of each letter (/workbench/requests/letters/) with a sample PDF preview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import audit, drafts
from gongkai.core.drafts import editor_login_required, editor_login_required_for
from gongkai.inforequests import letter_services, queries, services
from gongkai.inforequests.choices import CorrectionOutcome, Outcome
from gongkai.inforequests.letters import samples
from gongkai.inforequests.letters.build import (
    CASE_FIELDS,
    COMMON_FIELDS,
    allowed_placeholders,
    assemble,
    paragraphs_of,
    split_key,
)
from gongkai.inforequests.letters.context import KIND_NAMES, LetterContext
from gongkai.inforequests.letters.defaults import TEMPLATES
from gongkai.inforequests.models import LetterTemplate
from gongkai.inforequests.views.case_forms import staff_user

RULE_SETS = {
    "2019": gettext_lazy("2019年条例（国务院令第711号）"),
    "2007": gettext_lazy("2007年条例（国务院令第492号）"),
}
# Reply wordings that refine a row of table 三 (they have default wording but no outcome of their own).
REFINEMENTS = {
    "granted.already_public": gettext_lazy("予以公开：已主动公开"),
    "unable.not_exist": gettext_lazy("无法提供：信息不存在"),
    "denied": gettext_lazy("不予公开（通用）"),
}
PLACEHOLDER_LABELS = {
    "recipient": gettext_lazy("收件人（申请人或第三方）"),
    "applicant": gettext_lazy("申请人"),
    "issuing_organ": gettext_lazy("发文机关"),
    "tracking_number": gettext_lazy("受理编号"),
    "received_date": gettext_lazy("收到申请日期"),
    "title_of_request": gettext_lazy("所需信息名称"),
    "date_issued": gettext_lazy("成文日期"),
    "reply_due": gettext_lazy("答复期限"),
    "supplement_items": gettext_lazy("需要补正的事项"),
    "supplement_due": gettext_lazy("补正期限"),
    "extension_reason": gettext_lazy("延期理由"),
    "extension_workdays": gettext_lazy("延长工作日数"),
    "extended_until": gettext_lazy("延长后期限"),
    "third_party_interest": gettext_lazy("涉及第三方的内容"),
    "consultation_text": gettext_lazy("征求意见的内容"),
    "reply_by": gettext_lazy("第三方答复期限"),
    "reply_text": gettext_lazy("承办人起草的答复内容"),
    "withheld_note": gettext_lazy("不予公开部分及理由"),
    "holder_agency": gettext_lazy("掌握该信息的机关"),
    "holder": gettext_lazy("掌握该信息的机关"),
    "delivery_form": gettext_lazy("申请人选择的送达方式"),
    "provision_details": gettext_lazy("承办人起草的答复内容"),
    "outcome_text": gettext_lazy("承办人起草的答复内容"),
    "withheld": gettext_lazy("不予公开部分及理由"),
    "withheld_reason": gettext_lazy("（留空：理由已在不予公开部分中写明）"),
    "supplement_sent": gettext_lazy("告知补正日期"),
    "fee_basis": gettext_lazy("计收方式和数量"),
    "fee_amount": gettext_lazy("应缴金额"),
    "pay_by": gettext_lazy("缴费期限"),
    "correction_note": gettext_lazy("更正决定中告知申请人的内容"),
    "forwarded_to": gettext_lazy("转送的有权机关"),
}
# What a preview fills in beyond samples.py, so every placeholder a case provides shows something.
PREVIEW_FIELDS: dict[str, Any] = {
    "consultation_text": "所申请信息涉及贵方商业秘密，请于15个工作日内提出意见。",
    "extension_workdays": 20,
    "withheld_note": "当事人身份证号码属于个人隐私，不予公开。",
    "holder_agency": "吉林省交通运输厅",
}
PREVIEW_REPLY_TEXT = "（此处为承办人起草的答复内容。）"


# A case's letters -------------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def case_letter(request: HttpRequest, pk: int, letter: str, fmt: str) -> HttpResponse:
    user = staff_user(request)
    application = queries.get_application_for_staff(user, pk)
    try:
        filename, content = letter_services.do_generate_letter(application, letter, fmt, actor=user)
    except services.PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except LookupError as exc:
        raise Http404("no such letter on this case") from exc
    except letter_services.IssuedLetterCorruptError:
        # Never serve bytes that are not the ones issued (logged with the letter's id).
        return HttpResponse(_("该文书的存档与签发时的校验值不符，暂不能下载；请联系系统管理员。"), status=503)
    audit.log_personal_data_view(user, application, view="letter", letter=letter, format=fmt)
    response = HttpResponse(content, content_type=letter_services.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The office's wording ---------------------------------------------------------------------------


def case_filled(key: str) -> frozenset[str]:
    """Placeholders a case fills in; any other prints as a blank line to complete by hand."""
    kind, _outcome = split_key(key)
    extra = {"withheld_reason"} if kind == "reply" else set()
    return frozenset({*COMMON_FIELDS, *CASE_FIELDS.get(kind, ()), *extra})


def key_label(key: str) -> str:
    kind, outcome = split_key(key)
    if outcome is None:
        return KIND_NAMES.get(kind, key)
    if kind == "correction":
        label = CorrectionOutcome(outcome).label if outcome in CorrectionOutcome.values else outcome
    else:
        label = Outcome(outcome).label if outcome in Outcome.values else REFINEMENTS.get(outcome, outcome)
    return f"{KIND_NAMES.get(kind, kind)}：{label}"


def default_text(key: str, rules: str) -> str:
    return letter_services.default_text(key, rules)


def _rules(value: str | None) -> str:
    return value if value in TEMPLATES else "2019"


def _office_only(user: User) -> None:
    if not user.has_role(Role.REVIEWER):
        raise PermissionDenied(_("只有公开办可以修改文书模板。"))


def _template_or_404(rules: str, key: str) -> None:
    if rules not in TEMPLATES or key not in TEMPLATES[rules]:
        raise Http404("no such letter template")


@login_required
@require_safe
def templates_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not queries.sees_all(user):
        messages.error(request, _("只有公开办和领导可以查看文书模板。"))
        return redirect("workbench:inforequests_staff:queue")
    rules = _rules(request.GET.get("rules"))
    overrides = {
        row.key: row
        for row in LetterTemplate.objects.filter(rules=rules, uses_default=False).select_related("updated_by")
    }
    rows = [
        {
            "key": key,
            "label": key_label(key),
            "default": default_text(key, rules),
            # The opening is the same in most letters: the last paragraph tells them apart.
            "gist": (TEMPLATES[rules][key].get("paragraphs") or [""])[-1],
            "override": overrides.get(key),
        }
        for key in letter_services.template_keys(rules)
    ]
    return render(
        request,
        "inforequests/staff/letters.html",
        {
            "nav": "requests",
            "rules": rules,
            "rule_sets": list(RULE_SETS.items()),
            "rows": rows,
            "edited": sum(1 for r in rows if r["override"]),
            "is_reviewer": user.has_role(Role.REVIEWER),
            "sees_all": True,
        },
    )


class TemplateForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("正文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("段落之间空一行。法律依据、救济途径、落款和联系方式由系统按案件自动生成。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, key: str, rules: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key, self.rules = key, rules

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        try:
            letter_services.check_template_text(self.key, self.rules, text)
        except letter_services.LetterTemplateError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text


def _edit_page(
    request: HttpRequest,
    rules: str,
    key: str,
    form: TemplateForm,
    *,
    status: int = 200,
    restored: dict[str, Any] | None = None,
) -> HttpResponse:
    row = LetterTemplate.objects.filter(key=key, rules=rules).select_related("updated_by").first()
    names = sorted(allowed_placeholders(key, rules))
    filled = case_filled(key)
    return render(
        request,
        "inforequests/staff/letters_edit.html",
        {
            "nav": "requests",
            "rules": rules,
            "rules_label": RULE_SETS[rules],
            "key": key,
            "label": key_label(key),
            "default": default_text(key, rules),
            "row": row,
            "office_wording": row is not None and not row.uses_default,
            "versions": letter_services.template_versions(key, rules),
            "form": form,
            "placeholders": [(name, PLACEHOLDER_LABELS.get(name, ""), name in filled) for name in names],
            **drafts.context(staff_user(request), restored),
        },
        status=status,
    )


@never_cache
@editor_login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_edit(request: HttpRequest, rules: str, key: str) -> HttpResponse:
    user = staff_user(request)
    _template_or_404(rules, key)
    _office_only(user)
    row = LetterTemplate.objects.filter(key=key, rules=rules).first()
    if request.method != "POST":
        # A text typed when the session ended comes back with the version it was typed against.
        restored = drafts.take_on_get(request)
        initial = restored or {
            "text": row.text if row and not row.uses_default else default_text(key, rules),
            "version": row.version if row else 0,
        }
        form = TemplateForm(initial=initial, key=key, rules=rules)
        return _edit_page(request, rules, key, form, restored=restored)
    form = TemplateForm(request.POST, key=key, rules=rules)
    if not form.is_valid():
        return _edit_page(request, rules, key, form)
    try:
        letter_services.do_save_letter_template(
            key, rules, form.cleaned_data["text"], actor=user, expected_version=form.cleaned_data["version"]
        )
    except services.ConflictError as exc:
        # Nothing typed is lost: the form comes back with the text and the current version.
        data = request.POST.copy()
        current = LetterTemplate.objects.filter(key=key, rules=rules).first()
        data["version"] = str(current.version if current else 0)
        form = TemplateForm(data, key=key, rules=rules)
        form.is_valid()
        form.add_error(None, str(exc))
        return _edit_page(request, rules, key, form, status=409)
    except services.RequestError as exc:
        form.add_error(None, str(exc))
        return _edit_page(request, rules, key, form)
    messages.success(
        request,
        _("已保存“%(l)s”的文书模板，此后发出的文书使用新文本；已发出的文书不变。") % {"l": key_label(key)},
    )
    return redirect(_list_url(rules, key))


@login_required
@require_POST
def template_reset(request: HttpRequest, rules: str, key: str) -> HttpResponse:
    user = staff_user(request)
    _template_or_404(rules, key)
    _office_only(user)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        letter_services.do_reset_letter_template(key, rules, actor=user, expected_version=version)
    except services.RequestError as exc:
        messages.error(request, str(exc))
        return redirect("workbench:inforequests_staff:letter_template", rules=rules, key=key)
    messages.success(
        request,
        _("“%(l)s”已恢复为默认文本（新版本）；此前的文本保留在版本记录中，已发出的文书不变。")
        % {"l": key_label(key)},
    )
    return redirect(_list_url(rules, key))


def _list_url(rules: str, key: str) -> str:
    from django.urls import reverse

    return f"{reverse('workbench:inforequests_staff:letter_templates')}?rules={rules}#t-{key}"


def _edit_path(request: HttpRequest, rules: str, key: str) -> str:
    from django.urls import reverse

    return reverse("workbench:inforequests_staff:letter_template", args=[rules, key])


@never_cache
# A preview asked for after the session ended keeps the text for the edit page.
@editor_login_required_for(_edit_path)
@require_http_methods(["GET", "HEAD", "POST"])
def template_preview(request: HttpRequest, rules: str, key: str) -> HttpResponse:
    """The letter with sample data: the saved wording (GET) or the text being edited (POST)."""
    user = staff_user(request)
    _template_or_404(rules, key)
    if not queries.sees_all(user):
        raise PermissionDenied(_("只有公开办和领导可以查看文书模板。"))
    if request.method == "POST":
        _office_only(user)
        form = TemplateForm(request.POST, key=key, rules=rules)
        if not form.is_valid():
            return _edit_page(request, rules, key, form, status=400)
        text = form.cleaned_data["text"]
    else:
        row = LetterTemplate.objects.filter(key=key, rules=rules).first()
        text = row.text if row and not row.uses_default else default_text(key, rules)
    from gongkai.inforequests.letters.pdf import render_pdf

    response = HttpResponse(render_pdf(preview_context(key, rules, text)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{rules}-{key.replace(":", "-")}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def preview_context(key: str, rules: str, text: str) -> LetterContext:
    """A sample letter (samples.py's applicant and dates) in the given wording."""
    kind, outcome = split_key(key)
    common = dict(samples.COMMON)
    if kind == "consultation":
        common["recipient"] = "吉林省某某科技有限公司"
    fields: dict[str, Any] = {**samples.SAMPLE_FIELDS, **PREVIEW_FIELDS}
    if kind == "correction":
        common["title_of_request"] = samples.CORRECTION_TITLE
        fields["correction_note"] = samples.CORRECTION_NOTES.get(outcome or "", "")
    fields["reply_text"] = PREVIEW_REPLY_TEXT if "{reply_text}" in text else ""
    if outcome != "partial":
        fields["withheld_note"] = ""
    adverse = kind == "reply" and not (outcome or "").startswith("granted")
    return assemble(
        kind,
        outcome=outcome,
        rules=rules,
        overrides={key: {"paragraphs": paragraphs_of(text)}},
        fields=fields,
        remedies=adverse if kind == "reply" else None,
        **common,
    )
