"""What a letter says, independent of how it is rendered (DOCX or PDF).

``LetterContext`` is a frozen value built by :func:`gongkai.inforequests.letters.defaults.build_context`
(default wording per kind and outcome) or directly by a caller with its own paragraphs. It does not
know the case models: the case service copies what a letter needs into it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

# The letters of a case on request, with their official names: six of a disclosure request and the
# decision on a request to correct information about the applicant (2019 Art. 41; 2007 Art. 25).
KIND_NAMES: Final[dict[str, str]] = {
    "acknowledgement": "政府信息公开申请受理通知书",
    "supplement": "政府信息公开申请补正告知书",
    "extension": "政府信息公开申请延期答复告知书",
    "consultation": "政府信息公开征求第三方意见函",
    "reply": "政府信息公开申请答复书",
    "fee_notice": "政府信息公开收费通知书",
    "correction": "更正政府信息申请答复书",
}
# Kinds whose wording depends on the decision: the template key is "<kind>:<outcome>".
KINDS_WITH_OUTCOME: Final[tuple[str, ...]] = ("reply", "correction")
KINDS: Final[tuple[str, ...]] = tuple(KIND_NAMES)

# The sentence that closes the legal-basis paragraph, per kind.
_BASIS_CLOSING: Final[dict[str, str]] = {
    "acknowledgement": "特此通知",
    "supplement": "特此告知",
    "extension": "特此告知",
    "consultation": "特此函告",
    "reply": "特此答复",
    "fee_notice": "特此通知",
    "correction": "特此告知",
}


def cn_date(day: dt.date) -> str:
    """The date as an official letter writes it (GB/T 9704-2012 7.3.5.1: Arabic numerals, no padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Contact:
    office: str
    phone: str
    address: str = ""

    def line(self) -> str:
        parts = [f"联系单位：{self.office}"] if self.office else []
        if self.phone:
            parts.append(f"联系电话：{self.phone}")
        if self.address:
            parts.append(f"地址：{self.address}")
        return "　".join(parts)


@dataclass(frozen=True)
class LetterContext:
    """Everything printed on one letter. Lists passed in are stored as tuples (the value is frozen)."""

    kind: str
    issuing_organ: str
    recipient: str
    tracking_number: str
    received_on: dt.date
    title_of_request: str
    date_issued: dt.date
    body_paragraphs: Sequence[str] = ()  # stored as a tuple
    legal_basis: str = ""
    remedies: bool = False
    reconsideration_organ: str = ""
    court: str | None = None
    doc_number: str | None = None
    title: str = ""  # empty: the organ and the kind's official name, on two lines
    seal_text: str = ""  # empty: the issuing organ
    contact: Contact | None = None
    attachments_list: Sequence[str] = ()  # stored as a tuple
    outcome: str | None = (
        None  # replies: the table 三 row key ("denied.third_party"); corrections: the decision
    )
    rules: str = "2019"  # "2019" (国务院令第711号) or "2007" (国务院令第492号)

    def __post_init__(self) -> None:
        if self.kind not in KIND_NAMES:
            raise ValueError(f"unknown letter kind {self.kind!r}; one of {', '.join(KINDS)}")
        if self.rules not in ("2019", "2007"):
            raise ValueError(f"unknown rule set {self.rules!r}")
        object.__setattr__(self, "body_paragraphs", tuple(self.body_paragraphs))
        object.__setattr__(self, "attachments_list", tuple(self.attachments_list))
        if not self.title:
            object.__setattr__(self, "title", f"{self.issuing_organ}\n{KIND_NAMES[self.kind]}")
        if not self.seal_text:
            object.__setattr__(self, "seal_text", self.issuing_organ)

    # -- derived text shared by both renderers -------------------------------------------------
    @property
    def kind_name(self) -> str:
        """The letter's official name (受理通知书 …): the files' subject."""
        return KIND_NAMES[self.kind]

    @property
    def keywords(self) -> str:
        """The files' keywords: the kind, the case's tracking number and the letter number; no
        personal data (the applicant's name stays inside the letter)."""
        return "；".join(
            part for part in (self.kind_name, self.tracking_number, self.doc_number or "") if part
        )

    @property
    def recipient_line(self) -> str:
        return f"{self.recipient}："

    @property
    def legal_basis_paragraph(self) -> str:
        if not self.legal_basis:
            return ""
        return f"根据{self.legal_basis}的规定，{_BASIS_CLOSING[self.kind]}。"

    @property
    def remedies_paragraph(self) -> str:
        return remedies_sentence(self.reconsideration_organ, self.court) if self.remedies else ""

    @property
    def attachment_lines(self) -> tuple[str, ...]:
        """GB/T 9704 附件说明: "附件：1. …" then the following items aligned under the first."""
        items = self.attachments_list
        if not items:
            return ()
        if len(items) == 1:
            return (f"附件：{items[0]}",)
        return tuple(("附件：" if i == 0 else "") + f"{i + 1}. {item}" for i, item in enumerate(items))

    @property
    def date_line(self) -> str:
        return cn_date(self.date_issued)

    @property
    def contact_line(self) -> str:
        """GB/T 9704 7.3.6 附注: in round brackets, on the line under the date."""
        return f"（{self.contact.line()}）" if self.contact else ""

    def blocks(self) -> list[Block]:
        """The letter from top to bottom, in the order and roles both renderers lay out."""
        out: list[Block] = [Block("title", line) for line in self.title.splitlines() if line.strip()]
        if self.doc_number:
            out.append(Block("doc_number", self.doc_number))
        out.append(Block("recipient", self.recipient_line))
        out.extend(Block("body", p) for p in self.body_paragraphs if p.strip())
        for extra in (self.legal_basis_paragraph, self.remedies_paragraph):
            if extra:
                out.append(Block("body", extra))
        lines = self.attachment_lines
        out.extend(Block("attachment", line, first=i == 0) for i, line in enumerate(lines))
        out.append(Block("signature_organ", self.seal_text))
        out.append(Block("signature_date", self.date_line))
        if self.contact_line:
            out.append(Block("note", self.contact_line))
        return out


@dataclass(frozen=True)
class Block:
    """One paragraph of a letter; ``role`` decides font, size, alignment and spacing."""

    role: str
    text: str
    first: bool = True


def remedies_sentence(reconsideration_organ: str = "", court: str | None = None) -> str:
    """The standard notice of remedies (行政复议法 第二十条: 60 days; 行政诉讼法 第四十六条: 6 months)."""
    organ = f"向{reconsideration_organ}" if reconsideration_organ else "依法"
    court_part = f"向{court}" if court else "依法向人民法院"
    return (
        f"如对本答复不服，可以自收到本答复之日起六十日内{organ}申请行政复议，"
        f"或者自收到本答复之日起六个月内{court_part}提起行政诉讼。"
    )
