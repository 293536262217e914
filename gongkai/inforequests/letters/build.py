"""The letters of one case: ``context_for(application, kind)`` copies what a letter needs from the
case into a ``LetterContext``, with the office's own wording (``LetterTemplate``) for its rule set.

The staff letters, the public reply download and the reply e-mail all build their letters here,
so an applicant always receives the letter the office sees.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings

from gongkai.core import clock

from .context import KIND_NAMES, Contact, LetterContext
from .defaults import BLANK, TEMPLATES, Template, build_context, fill, find_template, placeholders

if TYPE_CHECKING:
    from gongkai.inforequests.models import Application, Pause

# Placeholders every letter may use (filled by build_context itself).
COMMON_FIELDS: Final = (
    "recipient",
    "applicant",
    "issuing_organ",
    "tracking_number",
    "received_date",
    "title_of_request",
    "date_issued",
)
# What a case gives each kind of letter, beyond the default wording's own placeholders.
CASE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "acknowledgement": ("reply_due",),
    "supplement": ("supplement_items", "supplement_due"),
    "extension": ("extension_reason", "extension_workdays", "extended_until"),
    "consultation": ("third_party_interest", "reply_by", "consultation_text"),
    "reply": (
        "reply_text", "withheld_note", "holder_agency", "delivery_form", "outcome_text",
        "provision_details", "withheld", "holder", "supplement_sent",
    ),
    "fee_notice": ("fee_basis", "fee_amount", "pay_by"),
    "correction": ("correction_note", "forwarded_to"),
}  # fmt: skip

# Who reviews an adverse reply when the settings do not say (the provincial government for a
# provincial department: 行政复议法（2023年修订）第二十四条).
DEFAULT_RECONSIDERATION_ORGAN: Final = "吉林省人民政府"
_PHONE = re.compile(r"(?:电话|Tel)[：:\s]*([0-9０-９\-－（）() ]{7,})")


def split_key(key: str) -> tuple[str, str | None]:
    """``"reply:denied.third_party"`` -> ``("reply", "denied.third_party")``, ``"correction:forwarded"``
    -> ``("correction", "forwarded")``; other keys are kinds."""
    kind, _, outcome = key.partition(":")
    return kind, (outcome or None)


def allowed_placeholders(key: str, rules: str) -> frozenset[str]:
    """Placeholders an office may write in the template of ``key``: the common ones, those of the
    default wording, and what a case provides for that kind of letter."""
    kind, _outcome = split_key(key)
    names = set(COMMON_FIELDS) | set(CASE_FIELDS.get(kind, ()))
    for template in TEMPLATES.values():
        default = template.get(key)
        if default:
            for text in (
                *default.get("paragraphs", []),
                default.get("title", ""),
                default.get("legal_basis", ""),
            ):
                names.update(placeholders(text))
    return frozenset(names)


# The reply written when the rule set has no wording for the case's outcome: 其他处理, its body the
# office's drafted text ({outcome_text}).
FALLBACK_REPLY_OUTCOME: Final = "other.other"


def wording_outcome(
    kind: str, outcome: str | None, rules: str, overrides: Mapping[str, Template]
) -> str | None:
    """The outcome whose wording the letter uses: its own, or for a reply whose outcome the rule set
    has no wording for (a 2019 row of table 三 on a 2007 case) the generic 其他处理 reply."""
    if kind != "reply":
        return outcome
    try:
        find_template(kind, outcome, rules, overrides)
    except KeyError:
        return FALLBACK_REPLY_OUTCOME
    return outcome


def paragraphs_of(text: str) -> list[str]:
    """An office's template text: paragraphs separated by a blank line; lines inside one are joined."""
    blocks = re.split(r"\n[ \t\u3000]*\n", text.replace("\r\n", "\n").strip())
    return ["".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()]


def overrides_for(rules: str) -> dict[str, Template]:
    """The office's own wording for a rule set, as ``build_context`` takes it."""
    from gongkai.inforequests.models import LetterTemplate

    return {
        row.key: {"paragraphs": paragraphs_of(row.text)}
        # A reset row (uses_default) records the default wording in force: no override.
        for row in LetterTemplate.objects.filter(rules=rules, uses_default=False).only("key", "text")
    }


def office_contact() -> Contact | None:
    """``INFOREQUESTS_LETTER_CONTACT`` (office, phone, address) or the portal's 咨询方式 page."""
    configured = getattr(settings, "INFOREQUESTS_LETTER_CONTACT", None)
    if configured:
        return Contact(
            configured.get("office", ""), configured.get("phone", ""), configured.get("address", "")
        )
    from gongkai.catalog.models import Page

    page = Page.objects.filter(slug="contact").only("body").first()
    if page is None:
        return None
    text = html.unescape(re.sub(r"<br\s*/?>|</p>|</div>|</li>", "\n", page.body))
    lines = [line.strip() for line in re.sub(r"<[^>]+>", "", text).splitlines() if line.strip()]
    if not lines:
        return None
    phone = _PHONE.search(text)
    # The office's name is the page's first bold line (the written-out page opens with an
    # introduction); a page without one names the office on its first line without a phone.
    strong = re.search(r"<strong>(.*?)</strong>", page.body, re.S)
    office = (
        html.unescape(re.sub(r"<[^>]+>", "", strong.group(1))).strip()
        if strong
        else next((line for line in lines if not _PHONE.search(line)), "")
    )
    address = next((line.split("：", 1)[1].strip() for line in lines if line.startswith("地址：")), "")
    return Contact(office, phone.group(1).strip() if phone else "", address)


def reconsideration_organ() -> str:
    return str(getattr(settings, "INFOREQUESTS_RECONSIDERATION_ORGAN", DEFAULT_RECONSIDERATION_ORGAN))


def consultations(application: Application) -> list[Pause]:
    from gongkai.inforequests.choices import PauseKind

    return list(application.pauses.filter(kind__in=[PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY]))


def context_for(
    application: Application, kind: str, *, on: dt.date | None = None, pause: Pause | None = None
) -> LetterContext:
    """The letter ``kind`` of this case, dated ``on`` (default: the day the act happened).

    ``pause`` picks the consultation a consultation letter is about (default: the latest one).
    Raises ``LookupError`` when the case has no such letter (no supplement requested, …).
    """
    from gongkai.inforequests.choices import ADVERSE_OUTCOMES, PauseKind

    if kind not in KIND_NAMES:
        raise ValueError(f"unknown letter kind {kind!r}")
    a = application
    rules = a.rule_set or "2019"
    fields: dict[str, Any] = {}
    recipient = a.applicant_name
    outcome: str | None = None
    issued = on
    if kind == "acknowledgement":
        fields["reply_due"] = a.due_on or BLANK
        issued = issued or a.received_on
    elif kind == "supplement":
        supplement = a.pauses.filter(kind=PauseKind.SUPPLEMENT).first()
        if supplement is None:
            raise LookupError("no request to complete on this case")
        fields.update(supplement_items=supplement.request_text, supplement_due=supplement.limit_on or BLANK)
        issued = issued or supplement.started_on
    elif kind == "consultation":
        if pause is None:
            found = consultations(a)
            pause = found[-1] if found else None
        if pause is None or pause.application_id != a.pk:
            raise LookupError("no consultation on this case")
        recipient = pause.party or BLANK
        fields.update(
            applicant=a.applicant_name,
            third_party_interest=_phrase(pause.request_text),
            consultation_text=pause.request_text,
            reply_by=pause.limit_on or BLANK,
        )
        issued = issued or pause.started_on
    elif kind == "extension":
        from gongkai.inforequests.models import Extension

        extension = Extension.objects.filter(application=a).first()
        if extension is None:
            raise LookupError("no extension on this case")
        fields.update(
            extension_reason=extension.reason.strip().rstrip("。"),
            extension_workdays=extension.workdays,
            extended_until=a.extended_due_on or BLANK,
        )
        issued = issued or extension.approved_on
    elif kind == "reply":
        if not a.outcome:
            raise LookupError("no reply drafted on this case")
        outcome = a.outcome
        fields.update(_reply_fields(a))
        issued = issued or a.replied_on or clock.today()
    elif kind == "fee_notice":
        fields.update(_fee_fields(a))
        issued = issued or fields.pop("issued_on")
    elif kind == "correction":
        if not a.correction_outcome:
            raise LookupError("no decision on a correction request on this case")
        outcome = a.correction_outcome
        fields.update(correction_note=a.reply_text.strip(), forwarded_to=a.forwarded_to or BLANK)
        issued = issued or a.replied_on or clock.today()
    return assemble(
        kind,
        outcome=outcome,
        rules=rules,
        overrides=overrides_for(rules),
        issuing_organ=settings.AGENCY_NAME,
        recipient=recipient,
        tracking_number=a.tracking_number,
        received_on=a.received_on,
        title_of_request=a.information_title or a.description[:60],
        date_issued=issued or clock.today(),
        reconsideration_organ=reconsideration_organ(),
        contact=office_contact(),
        legal_basis=a.legal_basis if kind == "reply" and a.legal_basis.strip() else None,
        remedies=(a.outcome in ADVERSE_OUTCOMES) if kind == "reply" else None,
        fields=fields,
    )


def _phrase(text: str) -> str:
    """What a consultation is about, if the office wrote it as a phrase (商业秘密); a sentence does
    not fit the letter's "涉及贵方的……", so the letter leaves a blank to fill in by hand."""
    phrase = text.strip().rstrip("。")
    if not phrase or len(phrase) > 30 or any(mark in phrase for mark in "，。；,;：:"):
        return BLANK
    return phrase


def _reply_fields(a: Application) -> dict[str, Any]:
    delivery = a.get_delivery_display() if a.delivery else BLANK
    return {
        "reply_text": a.reply_text.strip(),
        "withheld_note": a.withheld_note.strip(),
        "holder_agency": a.holder_agency or BLANK,
        "holder": a.holder_agency or BLANK,
        "withheld": a.withheld_note.strip() or BLANK,
        "withheld_reason": "",
        "delivery_form": delivery,
        "provision_details": a.reply_text.strip() or BLANK,
        "outcome_text": a.reply_text.strip() or BLANK,
        "supplement_sent": next((p.started_on for p in a.pauses.all() if p.kind == "supplement"), BLANK),
    }


def _fee_fields(a: Application) -> dict[str, Any]:
    from gongkai.inforequests import fees

    notice = a.fee_notices.order_by("-issued_on", "-id").first()
    if notice is None:
        raise LookupError("no fee notice on this case")
    try:
        # The schedule in force on the receipt date, as when the notice was issued.
        basis = fees.fee_basis(notice.method, notice.units, on=a.received_on, with_amount=False)
    except fees.FeeError:
        basis = BLANK
    return {
        "fee_basis": basis,
        "fee_amount": notice.amount,
        "pay_by": notice.pay_by,
        "issued_on": notice.issued_on,
    }


def assemble(
    kind: str,
    *,
    outcome: str | None,
    rules: str,
    overrides: Mapping[str, Template],
    fields: Mapping[str, Any],
    legal_basis: str | None = None,
    remedies: bool | None = None,
    **common: Any,
) -> LetterContext:
    """Fill the wording (override or default) with a case's fields.

    A reply carries the office's drafted text: where the wording names ``{reply_text}`` it goes
    there (a paragraph of only ``{reply_text}`` becomes one paragraph per line); otherwise it
    replaces the default paragraphs after the opening one. A withheld part not placed by a
    placeholder is added as its own paragraph (Art. 37: the applicant is told what was withheld).
    A correction decision carries the office's note the same way at ``{correction_note}``, or
    after the wording when the office's wording leaves it out (the applicant is always told).
    """
    template = find_template(kind, wording_outcome(kind, outcome, rules, overrides), rules, overrides)
    paragraphs: Sequence[str] = template.get("paragraphs", [])
    values = dict(fields)
    if kind == "extension" and "{extension_workdays}" not in "".join(paragraphs):
        paragraphs = [_fix_extension_days(p, rules, values.get("extension_workdays")) for p in paragraphs]
    reply_text = str(values.get("reply_text", "")) if kind == "reply" else ""
    body: list[str] | None = None
    if kind == "reply":
        used = {name for p in paragraphs for name in placeholders(p)}
        if reply_text and "reply_text" not in used:
            paragraphs = list(paragraphs[:1])
            used = {name for p in paragraphs for name in placeholders(p)}
            extra = [line.strip() for line in reply_text.splitlines() if line.strip()]
        else:
            extra = []
        body = []
        for p in paragraphs:
            if p.strip() == "{reply_text}":
                body.extend(line.strip() for line in reply_text.splitlines() if line.strip())
            else:
                body.append(p)
        body = [*_fill_all(body, values, common), *extra]
        withheld = str(values.get("withheld_note", ""))
        if withheld and not used & {"withheld", "withheld_note"} and withheld not in "".join(body):
            body.append(withheld)
        values.pop("reply_text", None)
    if kind == "correction":
        note_lines = [line.strip() for line in str(values.pop("correction_note", "")).splitlines()]
        note_lines = [line for line in note_lines if line]
        used = {name for p in paragraphs for name in placeholders(p)}
        values["correction_note"] = "".join(note_lines) or BLANK
        body = []
        for p in paragraphs:
            if p.strip() == "{correction_note}":
                body.extend(note_lines)
            else:
                body.extend(_fill_all([p], values, common))
        if "correction_note" not in used:
            body.extend(note_lines)
    return build_context(
        kind,
        outcome=outcome,
        rules=rules,
        overrides=overrides,
        body_paragraphs=body if body is not None else _fill_all(list(paragraphs), values, common),
        legal_basis=legal_basis,
        remedies=remedies,
        **common,
        **{k: v for k, v in values.items() if k not in common},
    )


def _fill_all(paragraphs: list[str], values: Mapping[str, Any], common: Mapping[str, Any]) -> list[str]:
    from .context import cn_date

    filled: dict[str, str] = {
        name: cn_date(value) if isinstance(value, dt.date) else str(value) for name, value in values.items()
    }
    filled.update(
        recipient=str(common["recipient"]),
        issuing_organ=str(common["issuing_organ"]),
        tracking_number=str(common["tracking_number"]),
        received_date=cn_date(common["received_on"]),
        title_of_request=str(common["title_of_request"]),
        date_issued=cn_date(common["date_issued"]),
    )
    filled.setdefault("applicant", str(common["recipient"]))
    return [fill(p, filled) for p in paragraphs]


def _fix_extension_days(paragraph: str, rules: str, workdays: Any) -> str:
    """The default wording names the longest extension; say the days actually approved."""
    longest = 20 if rules == "2019" else 15
    if isinstance(workdays, int) and workdays != longest:
        return paragraph.replace(f"延长{longest}个工作日", f"延长{workdays}个工作日")
    return paragraph
