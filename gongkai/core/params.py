"""Query parameters read defensively: a value out of range is ignored, never a 500."""

from __future__ import annotations

import unicodedata

# The years any page filters by: nothing in this system is dated before 1949 or after 2100.
YEAR_MIN, YEAR_MAX = 1949, 2100
# Database keys are signed 64-bit integers (BigAutoField); larger numbers overflow the driver.
ID_MAX = 2**63 - 1
MAX_DIGITS = 19


def int_param(value: str | None, *, low: int, high: int) -> int | None:
    """`value` as an integer within [low, high], else None (full-width digits are read as digits)."""
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > MAX_DIGITS + 1:
        return None
    number = int(text)
    return number if low <= number <= high else None


def year_param(value: str | None) -> int | None:
    return int_param(value, low=YEAR_MIN, high=YEAR_MAX)


def id_param(value: str | None) -> int | None:
    return int_param(value, low=1, high=ID_MAX)


def version_param(value: str | None) -> int | None:
    """The version a form was shown at; anything else is None, which the kernel refuses as stale."""
    return int_param(value, low=0, high=ID_MAX)
