"""Letters: the letters a case issues, frozen when issued (``IssuedLetter``: the exact PDF and DOCX
bytes, what they were filled with and their SHA-256) and served as stored ever after; and the
office's own wording of each letter (``LetterTemplate``), every version of it kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import clock
from gongkai.core.audit import log_event
from gongkai.inforequests import letter_numbers, services
from gongkai.inforequests.choices import PauseKind, Status
from gongkai.inforequests.letters.build import (
    allowed_placeholders,
    context_for,
    overrides_for,
    wording_outcome,
)
from gongkai.inforequests.letters.context import LetterContext
from gongkai.inforequests.letters.defaults import TEMPLATES, template_key
from gongkai.inforequests.models import (
    Application,
    Extension,
    IssuedLetter,
    LetterTemplate,
    LetterTemplateVersion,
    Pause,
    TemplateVersionAction,
)
from gongkai.inforequests.workflows import sees_applicant

if TYPE_CHECKING:
    from gongkai.core.acts import Move

logger = logging.getLogger(__name__)

FORMATS: Final[dict[str, str]] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_TEMPLATE_CHARS: Final = 10_000

# The letters each committed act issues, by the act's dotted code (services.py, fees.py). The act
# services call ``issue_for_act`` inside their transaction, after the act's changes are saved.
ACT_LETTERS: Final[dict[str, tuple[str, ...]]] = {
    "inforequests.application.received": ("acknowledgement",),
    "inforequests.application.supplement_requested": ("supplement",),
    "inforequests.application.consultation_started": ("consultation",),
    "inforequests.application.extended": ("extension",),
    "inforequests.fee.notice_issued": ("fee_notice",),
    "inforequests.reply.approved": ("reply",),
    "inforequests.correction.decided": ("correction",),
}


class LetterTemplateError(services.RequestError):
    pass


class IssuedLetterCorruptError(Exception):
    """The stored bytes no longer match the SHA-256 recorded when the letter was issued."""


# A case's letters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLetter:
    """One letter a case has: ``slug`` names it in the address (``consultation-12``), ``label`` on the
    case page (in the page's language), ``day`` the date it bears. ``act_ref`` names the object of
    the act that issues it; ``draft`` is a letter not issued yet (a reply awaiting approval), and
    ``issued`` the stored letter once there is one (found by its act, whatever its slug)."""

    slug: str
    kind: str
    label: str
    day: dt.date | None = None
    pause: Pause | None = None
    act_ref: str = ""
    draft: bool = False
    issued: IssuedLetter | None = None
    stored_only: bool = False  # listed only when stored (an earlier fee notice)


def case_letters(application: Application) -> list[CaseLetter]:
    """The letters that apply to the case as it stands: the acknowledgement always; a request to
    complete, each consultation, an extension and each fee notice once they happened; the reply once
    drafted (a draft until approved); the decision on a correction request (Art. 41) once made. The
    case page lists exactly these, and a download is checked against them."""
    a = application
    out = [
        CaseLetter(
            "acknowledgement", "acknowledgement", _("受理通知书"), a.received_on, act_ref="application"
        )
    ]
    pauses = list(a.pauses.all())
    for pause in pauses:
        if pause.kind == PauseKind.SUPPLEMENT:
            out.append(
                CaseLetter(
                    "supplement", "supplement", _("补正告知书"), pause.started_on, act_ref=f"pause:{pause.pk}"
                )
            )
            break
    for pause in pauses:
        if pause.kind in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY):
            label = _("征求意见函（%(party)s）") % {"party": pause.party} if pause.party else _("征求意见函")
            out.append(
                CaseLetter(
                    f"consultation-{pause.pk}",
                    "consultation",
                    label,
                    pause.started_on,
                    pause,
                    act_ref=f"pause:{pause.pk}",
                )
            )
    extension = Extension.objects.filter(application=a).first()
    if extension is not None:
        out.append(
            CaseLetter(
                "extension",
                "extension",
                _("延期答复告知书"),
                extension.approved_on,
                act_ref=f"extension:{extension.pk}",
            )
        )
    notices = list(a.fee_notices.order_by("issued_on", "id"))
    # An earlier notice (paid, waived or lapsed before a new one) is listed once stored: the letter
    # code renders only the latest notice, so an earlier one cannot be frozen late.
    for earlier in notices[:-1]:
        label = _("收费通知书（%(d)s）") % {"d": earlier.issued_on.isoformat()}
        out.append(
            CaseLetter(
                f"fee_notice-{earlier.pk}",
                "fee_notice",
                label,
                earlier.issued_on,
                act_ref=f"fee_notice:{earlier.pk}",
                stored_only=True,
            )
        )
    if notices:
        out.append(
            CaseLetter(
                "fee_notice",
                "fee_notice",
                _("收费通知书"),
                notices[-1].issued_on,
                act_ref=f"fee_notice:{notices[-1].pk}",
            )
        )
    if a.outcome and a.status in (Status.REPLY_DRAFTED, Status.CLOSED):
        closed = a.status == Status.CLOSED
        label = _("答复书") if closed else _("答复书（待审批）")
        out.append(CaseLetter("reply", "reply", label, a.replied_on, act_ref="reply", draft=not closed))
    if a.correction_outcome and a.status == Status.CLOSED:
        out.append(
            CaseLetter("correction", "correction", _("更正申请答复书"), a.replied_on, act_ref="correction")
        )
    if not a.pk:
        return [letter for letter in out if not letter.stored_only]
    stored = {
        (row.kind, row.act_ref): row
        for row in IssuedLetter.objects.filter(application=a).defer("pdf", "docx", "values")
    }
    out = [
        dataclasses.replace(letter, issued=stored.get((letter.kind, letter.act_ref)))
        if not letter.draft
        else letter
        for letter in out
    ]
    return [letter for letter in out if letter.issued is not None or not letter.stored_only]


def _case_letter(application: Application, slug: str) -> CaseLetter | None:
    return next((item for item in case_letters(application) if item.slug == slug), None)


# Issuing -----------------------------------------------------------------------------------------


def issue_for_act(
    application: Application, code: str, *, actor: User | None, on: dt.date | None = None
) -> list[IssuedLetter]:
    """Issue the letters the committed act ``code`` issues (``ACT_LETTERS``); none for other acts.

    Call inside the act's transaction once its changes are saved, with the act's date as ``on``
    (default: the date the case records for the act). Calling it again for the same act returns
    the letters already issued.
    """
    kinds = ACT_LETTERS.get(code, ())
    if not kinds:
        return []
    letters = case_letters(application)
    out = []
    for kind in kinds:
        # The act just committed is the latest of its kind (a second consultation, a new fee notice).
        found = [letter for letter in letters if letter.kind == kind and not letter.draft]
        if not found:
            raise LookupError(f"{code} committed but the case has no {kind} letter")
        out.append(_issue(application, found[-1], actor=actor, on=on, act_code=code, frozen_late=False))
    return out


def after_act(application: Application, move: Move, actor: User | None, on: dt.date | None) -> None:
    """The act kernel's hook (``workflows.APPLICATION.after_act``): issue the letters of the move's act."""
    issue_for_act(application, move.code, actor=actor, on=on)


def issue_letter(
    application: Application, slug: str, *, actor: User | None, on: dt.date | None = None
) -> IssuedLetter:
    """Issue the case's letter ``slug`` now: render PDF and DOCX, store them with the values they
    were filled with and their SHA-256, audit it. Once per act: a repeat returns the stored letter.

    Raises ``LookupError`` when the case has no such letter, or it is a draft not yet approved.
    """
    letter = _case_letter(application, slug)
    if letter is None or letter.draft:
        raise LookupError(slug)
    return _issue(application, letter, actor=actor, on=on, act_code="", frozen_late=False)


def issued_letter(application: Application, slug: str, *, actor: User | None = None) -> IssuedLetter | None:
    """The stored letter ``slug`` of the case, or None when the case has not issued it (no such
    act, or a reply still awaiting approval).

    A letter whose act was committed before letters were stored (or before its service issued it)
    is frozen on this first serve, as rendered now, and the audit event says so (``frozen_late``):
    from then on it too is served as stored.
    """
    letter = _case_letter(application, slug)
    if letter is None or letter.draft:
        return None
    if letter.issued is not None:
        return IssuedLetter.objects.get(pk=letter.issued.pk)
    if letter.stored_only:
        return None
    return _issue(application, letter, actor=actor, on=None, act_code="", frozen_late=True)


def issued_files(
    application: Application, slug: str, *, actor: User | None = None
) -> dict[str, tuple[str, bytes]] | None:
    """The stored files of the issued letter ``slug``: ``{"pdf": (name, bytes), "docx": (name, bytes)}``,
    or None when the case has not issued it. The bytes are checked against their SHA-256."""
    row = issued_letter(application, slug, actor=actor)
    if row is None:
        return None
    verify(row)
    base = f"{application.tracking_number}-{slug}"
    return {"pdf": (f"{base}.pdf", bytes(row.pdf)), "docx": (f"{base}.docx", bytes(row.docx))}


def issued_letter_pdf(application: Application, kind: str) -> tuple[str, bytes] | None:
    """The PDF of the letter of ``kind`` the case issued (the latest, for consultations), as stored:
    what the status page and the e-mail give the applicant. None when not issued (or a draft)."""
    letters = [item for item in case_letters(application) if item.kind == kind and not item.draft]
    if not letters:
        return None
    row = issued_letter(application, letters[-1].slug)
    if row is None:
        return None
    verify(row)
    return f"{kind}-{application.tracking_number}.pdf", bytes(row.pdf)


def verify(row: IssuedLetter) -> None:
    """Refuse to serve bytes that are not the ones issued (a restored backup gone wrong, a hand edit)."""
    if sha256(bytes(row.pdf)) != row.pdf_sha256 or sha256(bytes(row.docx)) != row.docx_sha256:
        logger.error("inforequests: issued letter %s does not match its SHA-256", row.pk)
        raise IssuedLetterCorruptError(row.pk)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def render(ctx: LetterContext) -> tuple[bytes, bytes]:
    """The letter as (PDF, DOCX)."""
    from gongkai.inforequests.letters.docx import render_docx
    from gongkai.inforequests.letters.pdf import render_pdf

    return render_pdf(ctx), render_docx(ctx)


def letter_values(ctx: LetterContext) -> dict[str, Any]:
    """Everything printed on the letter, as JSON: with the template version, what it was filled with."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    return {key: plain(value) for key, value in dataclasses.asdict(ctx).items()}


def template_in_force(application: Application, kind: str) -> tuple[str, str, int]:
    """(template key, rule set, version) the letter ``kind`` of the case is filled from now; version
    0 is the default wording never edited. The key is the one ``find_template`` falls back to."""
    rules = application.rule_set or "2019"
    outcome = {"reply": application.outcome, "correction": application.correction_outcome}.get(kind) or None
    key = template_key(kind, wording_outcome(kind, outcome, rules, overrides_for(rules)))
    candidates = [key]
    while ":" in key and "." in key:
        key = key.rsplit(".", 1)[0]
        candidates.append(key)
    rows = {
        row.key: row
        for row in LetterTemplate.objects.select_for_update().filter(rules=rules, key__in=candidates)
    }
    for candidate in candidates:
        row = rows.get(candidate)
        if candidate in TEMPLATES[rules] or (row is not None and not row.uses_default):
            return candidate, rules, row.version if row is not None else 0
    return candidates[0], rules, 0


def _issue(
    application: Application,
    letter: CaseLetter,
    *,
    actor: User | None,
    on: dt.date | None,
    act_code: str,
    frozen_late: bool,
) -> IssuedLetter:
    existing = IssuedLetter.objects.filter(
        application=application, slug=letter.slug, act_ref=letter.act_ref
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        # Read the template version under the template's row lock, so a save cannot slip in between
        # the wording used and the version recorded.
        key, rules, version = template_in_force(application, letter.kind)
        ctx = context_for(application, letter.kind, on=on, pause=letter.pause)
        # The 文号 is taken in this transaction: a letter that is not stored gives its number back
        # only if the whole act rolls back (a gap, never a repeat).
        number = letter_numbers.allocate(letter.kind, ctx.date_issued)
        ctx = dataclasses.replace(ctx, doc_number=number)
        pdf, docx = render(ctx)
        last = IssuedLetter.objects.filter(application=application, slug=letter.slug).aggregate(
            n=Max("sequence")
        )
        try:
            with transaction.atomic():
                row = IssuedLetter.objects.create(
                    application=application,
                    slug=letter.slug,
                    kind=letter.kind,
                    sequence=(last["n"] or 0) + 1,
                    act_ref=letter.act_ref,
                    act_code=act_code,
                    template_key=key,
                    rules=rules,
                    template_version=version,
                    values=letter_values(ctx),
                    pdf=pdf,
                    docx=docx,
                    pdf_sha256=sha256(pdf),
                    docx_sha256=sha256(docx),
                    issued_on=ctx.date_issued,
                    issued_at=clock.now(),
                    issued_by=actor if actor is not None and actor.pk else None,
                    frozen_late=frozen_late,
                    number=number,
                )
        except IntegrityError:
            # Issued at the same moment by another request (two first downloads): keep that one.
            return IssuedLetter.objects.get(application=application, slug=letter.slug, act_ref=letter.act_ref)
        log_event(
            "inforequests.letter.issued",
            actor=actor,
            obj=application,
            after={
                "letter": row.slug,
                "kind": row.kind,
                "sequence": row.sequence,
                "number": row.number,
                "act": act_code,
                "template": key,
                "rules": rules,
                "template_version": version,
                "issued_on": row.issued_on.isoformat(),
                "pdf_sha256": row.pdf_sha256,
                "docx_sha256": row.docx_sha256,
                "frozen_late": frozen_late,
            },
            note=_("本功能启用前发出的文书，首次下载时按当时的模板存档。") if frozen_late else "",
            act_on=row.issued_on,
        )
    return row


def do_generate_letter(application: Application, slug: str, fmt: str, *, actor: User) -> tuple[str, bytes]:
    """One of the case's letters for a handler; returns (file name, content). Audited.

    An issued letter is served as stored. A draft (the reply awaiting approval) is rendered from the
    case as it stands, marked 草稿 on the letter itself and in the file name: it is not a letter sent.
    """
    # A letter carries the applicant's full name and address: whoever sees the applicant masked (a
    # department asked for its opinion, a leader) may not open it, as the case page hides them.
    if not services.is_handler(actor, application) or not sees_applicant(actor, application):
        raise services.PermissionDeniedError(_("文书含有申请人个人信息，只有承办人员可以下载。"))
    if fmt not in FORMATS:
        raise LookupError(fmt)
    letter = _case_letter(application, slug)
    if letter is None:
        raise LookupError(slug)
    after: dict[str, Any] = {"letter": slug, "format": fmt}
    if letter.draft:
        ctx = dataclasses.replace(
            context_for(application, letter.kind, pause=letter.pause), doc_number=DRAFT_MARK
        )
        pdf, docx = render(ctx)
        filename, content = f"{application.tracking_number}-{slug}-draft.{fmt}", pdf if fmt == "pdf" else docx
        after["draft"] = True
    else:
        files = issued_files(application, slug, actor=actor)
        assert files is not None  # not a draft: issued, or frozen just now
        filename, content = files[fmt]
        after["sha256"] = sha256(content)
    log_event("inforequests.letter.generated", actor=actor, obj=application, after=after)
    return filename, content


# Printed where the document number goes on a draft: it cannot pass for the letter sent.
DRAFT_MARK: Final = "草稿（待审批，未发出）"


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


def default_text(key: str, rules: str) -> str:
    """The default wording of ``key`` as an office edits it: paragraphs separated by a blank line."""
    return "\n\n".join(TEMPLATES[rules][key].get("paragraphs", []))


def template_versions(key: str, rules: str) -> list[LetterTemplateVersion]:
    """Every wording the template has had, newest first (version 0: the default it started from)."""
    return list(
        LetterTemplateVersion.objects.filter(key=key, rules=rules)
        .select_related("saved_by")
        .order_by("-version")
    )


def _keep_version(row: LetterTemplate, action: str, *, actor: User | None) -> LetterTemplateVersion:
    return LetterTemplateVersion.objects.create(
        key=row.key,
        rules=row.rules,
        version=row.version,
        text=row.text,
        uses_default=row.uses_default,
        action=action,
        saved_at=row.updated_at,
        saved_by=actor,
    )


@transaction.atomic
def do_save_letter_template(
    key: str, rules: str, text: str, *, actor: User, expected_version: int
) -> LetterTemplate:
    """Save the office's wording of one letter for one rule set; it replaces the default for
    letters issued from now on. Every wording is kept as a version; letters issued keep theirs."""
    _require_office(actor)
    _check_key(key, rules)
    text = text.replace("\r\n", "\n").strip()
    check_template_text(key, rules, text)
    row = _locked(key, rules, expected_version)
    now = clock.now()
    before: dict[str, Any] | None = (
        {"text": row.text, "version": row.version, "uses_default": row.uses_default} if row else None
    )
    if row is None:
        try:
            with transaction.atomic():
                # Version 0, the default wording the office starts from, is kept beside its edits.
                LetterTemplateVersion.objects.create(
                    key=key,
                    rules=rules,
                    version=0,
                    text=default_text(key, rules),
                    uses_default=True,
                    action=TemplateVersionAction.DEFAULT,
                    saved_at=now,
                    saved_by=None,
                )
                row = LetterTemplate.objects.create(
                    key=key, rules=rules, text=text, updated_at=now, updated_by=actor
                )
        except IntegrityError as exc:  # created by someone else since the page was shown
            raise services.ConflictError(_("该文书模板已被他人修改，本次未保存。请刷新后再编辑。")) from exc
    else:
        row.text = text
        row.uses_default = False
        row.updated_at = now
        row.updated_by = actor
        row.version += 1
        row.save()
    _keep_version(row, TemplateVersionAction.SAVED, actor=actor)
    log_event(
        "inforequests.letter_template.saved",
        actor=actor,
        obj=row,
        before=before,
        after={"text": text, "version": row.version},
    )
    return row


@transaction.atomic
def do_reset_letter_template(key: str, rules: str, *, actor: User, expected_version: int) -> LetterTemplate:
    """Go back to the default wording: a new version whose text is the default; the office's
    wording stays in the history, and letters issued with it keep it."""
    _require_office(actor)
    _check_key(key, rules)
    row = _locked(key, rules, expected_version)
    if row is None or row.uses_default:
        raise LetterTemplateError(_("该文书使用的已是默认文本。"))
    before = {"text": row.text, "version": row.version}
    row.text = default_text(key, rules)
    row.uses_default = True
    row.updated_at = clock.now()
    row.updated_by = actor
    row.version += 1
    row.save()
    _keep_version(row, TemplateVersionAction.RESET, actor=actor)
    log_event(
        "inforequests.letter_template.reset",
        actor=actor,
        obj=row,
        before=before,
        after={"version": row.version, "uses_default": True},
    )
    return row
