"""The checker of any published annual report (docs/annualreport-checker.md): `check_text` on text,
`check_file` on a text, HTML, DOCX or PDF file; each answers a `CheckResult` with the problems found,
each with its place, and the checks that passed."""

from __future__ import annotations

from .core import check_bytes, check_file, check_text
from .extract import ExtractError
from .result import CheckResult, Confirmation, Finding, Place

__all__ = [
    "CheckResult",
    "Confirmation",
    "ExtractError",
    "Finding",
    "Place",
    "check_bytes",
    "check_file",
    "check_text",
]
