"""Text as the search index sees it: segments, tokens, query terms, and highlighting.

Text is cut into *segments*: maximal runs of characters that are neither whitespace nor ASCII
punctuation (so Chinese, letters, digits and Chinese punctuation stay together). Each segment ``s``
becomes ``len(s)`` tokens: the overlapping bigrams ``s[i]s[i+1]`` and, last, the unigram ``s[-1]``.
A 2-character term is then one token; an n-character term is the phrase of its n-1 bigrams
(consecutive bigrams inside one segment spell exactly a substring; the unigram at the end of a
segment stops a phrase from running into the next one); a 1-character term is a prefix query
(every character starts a bigram or ends a segment). ASCII letters are lower-cased on both sides.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from array import array
from dataclasses import dataclass
from operator import add

MAX_TERMS = 8
SNIPPET_CHARS = 120

_ASCII_PUNCT = "".join(chr(c) for c in range(0x80) if not chr(c).isalnum())
SEGMENT_RE = re.compile("[^" + re.escape(_ASCII_PUNCT) + r"\s]+")
_SEPARATORS_RE = re.compile("[" + re.escape(_ASCII_PUNCT) + r"\s]+")
_SEGMENT_START_RE = re.compile(" [^ ]")
_SPACE = array("I", [0x20])
_ASCII_UPPER_RE = re.compile("[A-Z]+")


# Full-width letters and digits (ＡＢＣ１２３) as their ASCII forms (NFKC of U+FF10–FF5A's
# alphanumerics). Only these: NFKC of the whole query would also turn an inner "…" or "（" into
# ASCII, which the indexed text (never folded) does not hold.
_FULLWIDTH_ALNUM = {
    c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF10, 0xFF5B) if chr(c).isalnum()
}


def normalise_term(raw: str) -> str:
    """A typed word as it is searched: full-width letters and digits folded, punctuation at either
    end (Chinese or ASCII: "签证？", "（签证）", "“签证”") stripped; inner punctuation is kept
    (0431-82098251, 吉公发〔2015〕12号). "" for a word of punctuation only."""
    folded = raw.translate(_FULLWIDTH_ALNUM)
    start, end = 0, len(folded)
    while start < end and unicodedata.category(folded[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(folded[end - 1]).startswith("P"):
        end -= 1
    return folded[start:end]


def parse_terms(query: str) -> list[str]:
    """Whitespace-separated terms (full-width space included), normalised (`normalise_term`),
    empty and duplicate ones dropped, at most 8."""
    terms: list[str] = []
    for raw in query.split():
        term = normalise_term(raw)
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only (str.translate is slow on Chinese text; this is ~10x faster)."""
    if _ASCII_UPPER_RE.search(text) is None:
        return text
    return _ASCII_UPPER_RE.sub(_lower_match, text)


def _lower_match(match: re.Match[str]) -> str:
    return match.group().lower()


def has_ascii_letters(text: str) -> bool:
    """Whether case folding matters for `text` (terms are ASCII-lower-cased already)."""
    return any("a" <= ch <= "z" for ch in text)


def segments(text: str) -> list[str]:
    return SEGMENT_RE.findall(ascii_lower(text))


def bigrams(segment: str) -> map[str]:
    return map(add, segment, segment[1:])


def tokens(text: str) -> list[str]:
    """Bigrams of every segment plus its last character (see the module docstring)."""
    out: list[str] = []
    for seg in SEGMENT_RE.findall(ascii_lower(text)):
        out.extend(map(add, seg, seg[1:]))  # bigrams(seg), inlined: the import tokenises millions
        out.append(seg[-1])
    return out


def token_text(text: str) -> str:
    """The tokens of `text` as the FTS5 ``ascii`` tokenizer reads them back: exactly tokens(text),
    separated by one or more spaces.

    Built without a Python string per token (the import and `gongkai reindex` tokenise millions of
    characters): with the segments joined by single spaces into ``t`` (a space at the end too), each
    character ``t[i]`` is followed by ``t[i+1]`` — or by a space where ``t[i]`` is itself a space —
    and by a space. So every character of a segment opens its bigram, the last one stands alone as
    the unigram, and separators become runs of spaces. The three code-point streams are interleaved
    as UTF-32 arrays; about four times the speed of joining the token list."""
    spaced = _SEPARATORS_RE.sub(" ", ascii_lower(text)).strip(" ")
    if not spaced:
        return ""
    spaced += " "
    following = _SEGMENT_START_RE.sub("  ", spaced)[1:] + " "
    first = array("I", spaced.encode("utf-32-le"))
    second = array("I", following.encode("utf-32-le"))
    count = len(first)
    out = array("I", bytes(12 * count))
    out[0::3] = first
    out[1::3] = second
    out[2::3] = _SPACE * count
    return out.tobytes().decode("utf-32-le")


def digest(name: str, summary: str, body: str, attachments: str = "") -> int:
    """What a record's indexed text was, in 8 bytes (SQLite forgets a row by its exact tokens).
    Without attachment text it is the digest of the three fields, as before attachments were read."""
    parts = (name, summary, body, attachments) if attachments else (name, summary, body)
    raw = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(raw, "big", signed=True)


@dataclass(frozen=True)
class Term:
    text: str  # ASCII-lower-cased
    segments: list[str]

    @property
    def exact_in_index(self) -> bool:
        """The index alone decides this term (it is one segment)."""
        return len(self.segments) == 1 and self.segments[0] == self.text


def terms(query: str) -> list[Term]:
    out = []
    for raw in parse_terms(query):
        text = ascii_lower(raw)
        out.append(Term(text=text, segments=SEGMENT_RE.findall(text)))
    return out


# --------------------------------------------------------------------------------------------
# Highlighting


def _spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    lowered = ascii_lower(text)
    spans = []
    for needle in needles:
        start = lowered.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = lowered.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, needles: list[str]) -> str:
    """HTML-escaped text with each occurrence of a term wrapped in <mark>."""
    out = []
    pos = 0
    for start, end in _spans(text, needles):
        out.append(html.escape(text[pos:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def snippet(summary: str, body: str, needles: list[str], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters around the first match in the summary, else the body (escaped)."""
    for text in (summary, body):
        spans = _spans(text, needles)
        if spans:
            first = spans[0][0]
            start = max(0, min(first - width // 3, len(text) - width))
            end = min(len(text), start + width)
            piece = highlight(text[start:end], needles)
            return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
    text = summary or body
    return html.escape(text[:width]) + ("…" if len(text) > width else "")
