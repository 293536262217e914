"""Chinese text helpers: input cleaning, HTML sanitising and word segmentation."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "h5",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "span",
    "div",
    "hr",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"class"},
}


def _drop_word_classes(tag: str, attribute: str, value: str) -> str | None:
    # Word and WPS mark every paragraph "MsoNormal", "MsoListParagraph"…: meaningless on the portal.
    if attribute == "class":
        kept = " ".join(c for c in value.split() if not c.lower().startswith("mso"))
        return kept or None
    return value


def sanitize_html(html: str) -> str:
    """Keep the structure an official document needs (paragraphs, headings, lists, tables, links);
    drop scripts, styles, event handlers and what Word/WPS add (mso- styles, <o:p>, fonts)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_drop_word_classes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# C0 control characters other than tab, newline and carriage return, DEL, lone surrogates (a JSON
# "\ud800" decodes to one) and the non-characters U+FFFE/U+FFFF: they break the DOCX letters (XML 1.0
# forbids them), PostgreSQL cannot store NUL or a surrogate, and no honest input contains them.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CONTROL_BUT_NUL_RE = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def strip_control(text: str, *, keep_nul: bool = False) -> str:
    """The one input-hygiene function: `text` without control characters (tab, newline and
    carriage return stay). `keep_nul` leaves NUL for a form to refuse with its own message."""
    return (_CONTROL_BUT_NUL_RE if keep_nul else _CONTROL_RE).sub("", text)


def clean_inputs(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` with control characters removed from every string (shared by the forms,
    the API and the services that take what they give)."""
    return {k: strip_control(v) if isinstance(v, str) else v for k, v in data.items()}


def clean_tree(value: Any, *, keep_nul: bool = False) -> Any:
    """`value` (decoded JSON: dicts, lists, strings) with control characters removed from every
    string, keys included."""
    if isinstance(value, str):
        return strip_control(value, keep_nul=keep_nul)
    if isinstance(value, dict):
        return {clean_tree(k, keep_nul=keep_nul): clean_tree(v, keep_nul=keep_nul) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v, keep_nul=keep_nul) for v in value]
    return value


def nfkc(text: str) -> str:
    """Full-width digits and letters as their plain forms (１２３ → 123), before validating numbers."""
    return unicodedata.normalize("NFKC", text)


_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"\s+")


def html_to_text(html: str) -> str:
    return _WS_RE.sub(" ", _TAG_RE.sub(" ", html)).strip()


@functools.cache
def _rjieba() -> object:
    import rjieba

    return rjieba


def segment(text: str) -> list[str]:
    """Chinese word segmentation (rjieba, ~13 M chars/s), used for keywords and suggestions."""
    module = _rjieba()
    words: list[str] = module.cut(text)  # type: ignore[attr-defined]
    return [w for w in (w.strip() for w in words) if w]


def join_sentences(sentences: Iterable[str]) -> str:
    """Sentences run together as the language writes them: Chinese ones (ending in 。！？；) with
    nothing between them, others with a space."""
    out = ""
    for sentence in sentences:
        text = str(sentence).strip()
        if not text:
            continue
        if out and not out.endswith(("。", "！", "？", "；", "：")):
            out += " "
        out += text
    return out
