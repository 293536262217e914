"""The checks before anything the public wrote is shown publicly: identity numbers and phone
numbers (personal data), links, repeated text, earlier identical submissions and a configurable word
list (settings.ENGAGEMENT_BLOCKED_WORDS). Each finding keeps its place in the text (character
offsets into the text as typed), so the office sees exactly what held it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.identity import resident_id_error
from gongkai.engagement.choices import PERSONAL_FINDINGS, FindingKind

# 18-character resident identity number (GB 11643): checked for its birth date and check digit below.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# Mobile numbers (11 digits from 13x–19x, spaces or hyphens allowed between digits, +86 optional)
# and fixed lines with an area code (0431-88888888).
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)")
_LINK_RE = re.compile(
    r"(?i)(?:https?://|www\.)\S+|(?<![@\w])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|cc|vip|info|biz|me)\b(?:/\S*)?"
)
# The same one character 6 times or more, or the same 2–10 characters 4 times or more in a row.
_REPEAT_RE = re.compile(r"(.)\1{5,}|(.{2,10}?)\2{3,}", re.S)


def blocked_words() -> list[str]:
    """The office's word list (settings.ENGAGEMENT_BLOCKED_WORDS; none by default)."""
    return [str(w) for w in getattr(settings, "ENGAGEMENT_BLOCKED_WORDS", ())]


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    field: str = "question"

    @property
    def personal(self) -> bool:
        return self.kind in PERSONAL_FINDINGS

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFKC text and, for each of its characters, the offset of the character typed (full-width
    digits are digits; a character that expands keeps pointing at itself)."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch)
        out.append(norm)
        where.extend([i] * len(norm))
    return "".join(out), where


def _spans(pattern: re.Pattern[str], norm: str, where: list[int], text: str) -> Iterable[tuple[int, int]]:
    for m in pattern.finditer(norm):
        if m.end() <= m.start():
            continue
        start, end = where[m.start()], where[m.end() - 1] + 1
        yield start, end


def find(text: str, *, field: str = "question", words: Iterable[str] | None = None) -> list[Finding]:
    """Every finding in `text`, in order of place."""
    norm, where = _normalised(text)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return  # a place is reported once (an identity number is not also a phone number)
        taken.append((start, end))
        found.append(Finding(str(kind), start, end, text[start:end], field))

    for m in _ID_RE.finditer(norm):
        number = m.group().upper()
        if resident_id_error(number) is None:
            add(FindingKind.ID_NUMBER, where[m.start()], where[m.end() - 1] + 1)
    for pattern in (_MOBILE_RE, _LANDLINE_RE):
        for start, end in _spans(pattern, norm, where, text):
            add(FindingKind.PHONE, start, end)
    for start, end in _spans(_LINK_RE, norm, where, text):
        add(FindingKind.LINK, start, end)
    for start, end in _spans(_REPEAT_RE, norm, where, text):
        add(FindingKind.REPEATED, start, end)
    blocked = [w for w in (words if words is not None else blocked_words()) if w]
    lowered = norm.lower()
    for word in blocked:
        target = unicodedata.normalize("NFKC", word).lower()
        for m in re.finditer(re.escape(target), lowered):
            add(FindingKind.WORD, where[m.start()], where[m.end() - 1] + 1)
    return sorted(found, key=lambda f: (f.field, f.start))


def holds(findings: Iterable[Finding | dict[str, Any]], *, public: bool) -> bool:
    """Whether these findings hold a text for the office: abuse and spam always; personal data only
    when the text is meant to be shown publicly."""
    for f in findings:
        kind = f.kind if isinstance(f, Finding) else f["kind"]
        if kind not in PERSONAL_FINDINGS or public:
            return True
    return False


def highlighted(text: str, findings: Iterable[dict[str, Any]], field: str = "question") -> SafeString:
    """`text` escaped, each finding of `field` marked (<mark>) with its kind in words."""
    labels = dict(FindingKind.choices)
    parts: list[str] = []
    at = 0
    for f in sorted((f for f in findings if f.get("field", "question") == field), key=lambda f: f["start"]):
        start, end = int(f["start"]), int(f["end"])
        if start < at or end > len(text) or text[start:end] != f["text"]:
            continue  # the text was edited since the check: the stale place is not shown
        parts.append(format_html("{}", text[at:start]))
        parts.append(
            format_html(
                '<mark class="finding finding-{}" title="{}">{}</mark><span class="sr-only">（{}）</span>',
                f["kind"],
                labels.get(f["kind"], f["kind"]),
                text[start:end],
                labels.get(f["kind"], f["kind"]),
            )
        )
        at = end
    parts.append(format_html("{}", text[at:]))
    return mark_safe("".join(parts))
