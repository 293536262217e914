"""The letters of a disclosure-on-request case (受理通知书 … 答复书) as DOCX and PDF.

Self-contained: it does not import the case models. A service builds a ``LetterContext`` with
``build_context`` (default wording per kind and outcome, overridable) and renders it.
"""

from .context import KIND_NAMES, KINDS, Contact, LetterContext, remedies_sentence
from .defaults import TEMPLATES, build_context, find_template, reply_outcomes, table3_key

__all__ = [
    "KINDS",
    "KIND_NAMES",
    "TEMPLATES",
    "Contact",
    "LetterContext",
    "build_context",
    "find_template",
    "remedies_sentence",
    "reply_outcomes",
    "table3_key",
]
