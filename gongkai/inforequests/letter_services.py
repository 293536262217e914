"""Letters: generating a case's letter for its handler (audited: it carries personal data) and the
office's own wording of each letter (``LetterTemplate``), saved or reset through these services."""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import clock
from gongkai.core.audit import log_event
from gongkai.inforequests import services
from gongkai.inforequests.choices import PauseKind, Status
from gongkai.inforequests.letters.build import allowed_placeholders, context_for
from gongkai.inforequests.letters.defaults import TEMPLATES
from gongkai.inforequests.models import Application, Extension, LetterTemplate, Pause

FORMATS: Final[dict[str, str]] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_TEMPLATE_CHARS: Final = 10_000


class LetterTemplateError(services.RequestError):
    pass


# A case's letters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLetter:
    """One letter a case has: ``slug`` names it in the address (``consultation-12``), ``label`` on the
    case page (in the page's language), ``day`` the date it bears."""

    slug: str
    kind: str
    label: str
    day: dt.date | None = None
    pause: Pause | None = None


def case_letters(application: Application) -> list[CaseLetter]:
    """The letters that apply to the case as it stands: the acknowledgement always; a request to
    complete, each consultation, an extension and each fee notice once they happened; the reply once
    drafted; the decision on a correction request (Art. 41) once made. The case page lists exactly
    these, and a download is checked against them."""
    a = application
    out = [CaseLetter("acknowledgement", "acknowledgement", _("受理通知书"), a.received_on)]
    pauses = list(a.pauses.all())
    for pause in pauses:
        if pause.kind == PauseKind.SUPPLEMENT:
            out.append(CaseLetter("supplement", "supplement", _("补正告知书"), pause.started_on))
            break
    for pause in pauses:
        if pause.kind in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY):
            label = _("征求意见函（%(party)s）") % {"party": pause.party} if pause.party else _("征求意见函")
            out.append(CaseLetter(f"consultation-{pause.pk}", "consultation", label, pause.started_on, pause))
    extension = Extension.objects.filter(application=a).first()
    if extension is not None:
        out.append(CaseLetter("extension", "extension", _("延期答复告知书"), extension.approved_on))
    notice = a.fee_notices.order_by("-issued_on", "-id").first()
    if notice is not None:
        out.append(CaseLetter("fee_notice", "fee_notice", _("收费通知书"), notice.issued_on))
    if a.outcome and a.status in (Status.REPLY_DRAFTED, Status.CLOSED):
        label = _("答复书") if a.status == Status.CLOSED else _("答复书（待审批）")
        out.append(CaseLetter("reply", "reply", label, a.replied_on))
    if a.correction_outcome and a.status == Status.CLOSED:
        out.append(CaseLetter("correction", "correction", _("更正申请答复书"), a.replied_on))
    return out


def do_generate_letter(application: Application, slug: str, fmt: str, *, actor: User) -> tuple[str, bytes]:
    """Render one of the case's letters for a handler; returns (file name, content). Audited."""
    if not services.is_handler(actor, application):
        raise services.PermissionDeniedError(_("文书含有申请人个人信息，只有承办人员可以下载。"))
    if fmt not in FORMATS:
        raise LookupError(fmt)
    letter = next((item for item in case_letters(application) if item.slug == slug), None)
    if letter is None:
        raise LookupError(slug)
    ctx = context_for(application, letter.kind, pause=letter.pause)
    if fmt == "pdf":
        from gongkai.inforequests.letters.pdf import render_pdf

        content = render_pdf(ctx)
    else:
        from gongkai.inforequests.letters.docx import render_docx

        content = render_docx(ctx)
    log_event(
        "inforequests.letter.generated",
        actor=actor,
        obj=application,
        after={"letter": slug, "format": fmt},
    )
    return f"{application.tracking_number}-{slug}.{fmt}", content


# The office's wording ---------------------------------------------------------------------------


def template_keys(rules: str) -> list[str]:
    """The letters of a rule set that have default wording, in the order the defaults list them."""
    return list(TEMPLATES[rules])


def check_template_text(key: str, rules: str, text: str) -> None:
    """Refuse text a letter could not be filled from: unknown or malformed ``{placeholders}``."""
    if not text.strip():
        raise LetterTemplateError(_("请填写正文。"))
    if len(text) > MAX_TEMPLATE_CHARS:
        raise LetterTemplateError(_("正文过长（最多 %(n)d 字）。") % {"n": MAX_TEMPLATE_CHARS})
    try:
        fields = [
            (name, spec, conv)
            for _lit, name, spec, conv in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError as exc:
        raise LetterTemplateError(
            _("花括号不成对：占位符应写成 {名称}；如需印出花括号本身，请写成 {{ 或 }}。")
        ) from exc
    allowed = allowed_placeholders(key, rules)
    unknown = sorted({name for name, spec, conv in fields if name not in allowed or spec or conv})
    if unknown:
        named = "、".join("{" + (name or "") + "}" for name in unknown)
        raise LetterTemplateError(
            _("未知的占位符：%(names)s。请只使用本页列出的占位符，或删去它们；正文尚未保存。")
            % {"names": named}
        )


def _require_office(actor: User) -> None:
    if not actor.has_role(Role.REVIEWER):
        raise services.PermissionDeniedError(_("只有公开办可以修改文书模板。"))


def _check_key(key: str, rules: str) -> None:
    if rules not in TEMPLATES or key not in TEMPLATES[rules]:
        raise LetterTemplateError(_("没有这种文书。"))


def _locked(key: str, rules: str, expected_version: int) -> LetterTemplate | None:
    """The office's row, locked; ``expected_version`` 0 means the editor saw the default wording."""
    row = LetterTemplate.objects.select_for_update().filter(key=key, rules=rules).first()
    current = row.version if row else 0
    if current != expected_version:
        raise services.ConflictError(
            _(
                "该文书模板已被他人修改（当前版本 %(v)d），本次未保存。您填写的内容保留在下方，请核对后再保存。"
            )
            % {"v": current}
        )
    return row


@transaction.atomic
def do_save_letter_template(
    key: str, rules: str, text: str, *, actor: User, expected_version: int
) -> LetterTemplate:
    """Save the office's wording of one letter for one rule set; it replaces the default."""
    _require_office(actor)
    _check_key(key, rules)
    text = text.replace("\r\n", "\n").strip()
    check_template_text(key, rules, text)
    row = _locked(key, rules, expected_version)
    before: dict[str, Any] | None = {"text": row.text, "version": row.version} if row else None
    if row is None:
        try:
            with transaction.atomic():
                row = LetterTemplate.objects.create(
                    key=key, rules=rules, text=text, updated_at=clock.now(), updated_by=actor
                )
        except IntegrityError as exc:  # created by someone else since the page was shown
            raise services.ConflictError(_("该文书模板已被他人修改，本次未保存。请刷新后再编辑。")) from exc
    else:
        row.text = text
        row.updated_at = clock.now()
        row.updated_by = actor
        row.version += 1
        row.save()
    log_event(
        "inforequests.letter_template.saved",
        actor=actor,
        obj=row,
        before=before,
        after={"text": text, "version": row.version},
    )
    return row


@transaction.atomic
def do_reset_letter_template(key: str, rules: str, *, actor: User, expected_version: int) -> None:
    """Go back to the default wording; the audit event keeps the office's text."""
    _require_office(actor)
    _check_key(key, rules)
    row = _locked(key, rules, expected_version)
    if row is None:
        raise LetterTemplateError(_("该文书使用的已是默认文本。"))
    log_event(
        "inforequests.letter_template.reset",
        actor=actor,
        obj=row,
        before={"text": row.text, "version": row.version},
    )
    row.delete()
