"""Letter numbers (发文字号, 文号) of issued letters: 吉公依复〔2015〕3号 — the agency's prefix, the
kind's character, the year in 六角括号 and the order of issue in that year, per agency, year and kind.

GB/T 9704-2012 7.2.4: the year in full inside 〔〕, the number in Arabic numerals with no 第 and no
leading zeros. The prefix is ``INFOREQUESTS_LETTER_NUMBER_PREFIX`` when set; otherwise the agency's
short form followed by 依 (依申请公开), 吉公依 for 吉林省公安厅.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.conf import settings
from django.db.models import F

from gongkai.inforequests.models import LetterNumberSequence

# One character per kind, after the prefix (答复书 复, as the office's sample letters number them).
KIND_MARKS: Final[dict[str, str]] = {
    "acknowledgement": "受",
    "supplement": "补",
    "extension": "延",
    "consultation": "征",
    "reply": "复",
    "fee_notice": "费",
    "correction": "更",
}
# Short forms of agencies whose prefix is not just their first two characters.
KNOWN_PREFIXES: Final[dict[str, str]] = {"吉林省公安厅": "吉公依"}


def prefix(agency: str | None = None) -> str:
    """The agency's prefix of letter numbers (吉公依)."""
    configured = getattr(settings, "INFOREQUESTS_LETTER_NUMBER_PREFIX", "")
    if configured:
        return str(configured)
    name = agency or settings.AGENCY_NAME
    return KNOWN_PREFIXES.get(name) or f"{name[:2]}依"


def format_number(kind: str, year: int, n: int, *, agency: str | None = None) -> str:
    return f"{prefix(agency)}{KIND_MARKS[kind]}〔{year}〕{n}号"


def allocate(kind: str, day: dt.date) -> str:
    """The next number of ``kind`` in the year of ``day`` for the agency. Call inside the issuing
    transaction: the counter row stays locked by the UPDATE until it ends, so two issuers at once
    get distinct numbers (a rolled-back issue may leave a gap, never a repeat)."""
    agency = settings.AGENCY_NAME
    key: dict[str, Any] = {"agency": agency, "year": day.year, "kind": kind}
    LetterNumberSequence.objects.get_or_create(**key)
    LetterNumberSequence.objects.filter(**key).update(last=F("last") + 1)
    last = LetterNumberSequence.objects.get(**key).last
    return format_number(kind, day.year, last, agency=agency)
