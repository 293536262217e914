"""What every check shares: the lines of the report, its year and form, and how a finding or a
confirmation is placed (page, paragraph, a quote of the text around it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import Line
from .normalize import Number, numbers
from .result import CheckResult, Confirmation, Finding, Place, Severity

SENTENCE_END = re.compile(r"[。!?;]")
CLAUSE_END = re.compile(r"[。!?;,:]")
QUOTE_CHARS = 18


@dataclass
class Sentence:
    line: Line
    start: int  # offsets in the paragraph's text
    end: int

    @property
    def text(self) -> str:
        return self.line.folded[0][self.start : self.end]


@dataclass
class Context:
    lines: list[Line]
    result: CheckResult
    year: int | None = None
    form: str = "narrative"
    # The numbers of a paragraph's text up to a sentence's end, read once for all the checks.
    _numbers: dict[str, list[Number]] = field(default_factory=dict, repr=False)

    def paragraphs(self) -> list[Line]:
        return [line for line in self.lines if not line.is_row]

    def sentences(self) -> list[Sentence]:
        found = []
        for line in self.paragraphs():
            text = line.folded[0]
            start = 0
            for match in SENTENCE_END.finditer(text):
                found.append(Sentence(line, start, match.end()))
                start = match.end()
            if start < len(text):
                found.append(Sentence(line, start, len(text)))
        return found

    def tokens(self, sentence: Sentence) -> list[Number]:
        """The numbers the sentence states (read with the paragraph's text before it, as a number's
        context can reach back over the sentence's start)."""
        head = sentence.line.folded[0][: sentence.end]
        found = self._numbers.get(head)
        if found is None:
            found = self._numbers[head] = numbers(head)
        return [t for t in found if t.start >= sentence.start]

    # --- places --------------------------------------------------------------------------------

    def text_place(self, line: Line, start: int, end: int) -> Place:
        text = line.cells[0]
        left, right = max(0, start - QUOTE_CHARS), min(len(text), end + QUOTE_CHARS)
        quote = ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")
        return Place(page=line.page, paragraph=line.paragraph, quote=quote)

    def row_place(self, line: Line, table: str, row: str, column: str = "") -> Place:
        quote = " ".join(cell for cell in line.cells if cell)
        if len(quote) > 2 * QUOTE_CHARS + 20:
            quote = quote[: 2 * QUOTE_CHARS + 20] + "…"
        return Place(page=line.page, table=table, row=row, column=column, quote=quote)

    # --- outcomes ------------------------------------------------------------------------------

    def find(self, kind: str, severity: Severity, message: str, place: Place | None = None) -> None:
        self.result.findings.append(Finding(kind, severity, message, place or Place()))

    def confirm(self, kind: str, statement: str, place: Place | None = None) -> None:
        self.result.confirmed.append(Confirmation(kind, statement, place or Place()))
