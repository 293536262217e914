"""What changed in a draft since the report was published: figure by figure, passage by passage."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.annualreport.document import Number, ReportDocument


@dataclass(frozen=True)
class FigureChange:
    code: str
    before: Number | None
    after: Number | None


@dataclass(frozen=True)
class PassageChange:
    key: str
    heading: str
    before: str  # "" when the passage is new
    after: str  # "" when the passage was left out


@dataclass(frozen=True)
class Changes:
    figures: list[FigureChange]
    passages: list[PassageChange]

    def __bool__(self) -> bool:
        return bool(self.figures or self.passages)


def compare(published: ReportDocument, draft: ReportDocument) -> Changes:
    figures = [
        FigureChange(code, published.figures.get(code), draft.figures.get(code))
        for code in sorted(set(published.figures) | set(draft.figures))
        if published.figures.get(code) != draft.figures.get(code)
    ]
    before = {p.key: p for p in published.passages()}
    after = {p.key: p for p in draft.passages()}
    passages = []
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and old.text == new.text:
            continue
        either = new or old
        heading = either.heading if either is not None else ""
        passages.append(PassageChange(key, heading, old.text if old else "", new.text if new else ""))
    return Changes(figures, passages)
