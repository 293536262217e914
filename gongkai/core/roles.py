"""The role codes core's own acts and pages check, and what core needs of a staff member.

Roles belong to `accounts` (`accounts.choices.Role`), which imports core; core names the few codes
it checks instead of importing accounts back (tests/test_no_app_imports.py keeps the codes equal to
`Role`'s and core free of app imports).
"""

from __future__ import annotations

from typing import Any, Protocol

SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"


class Staff(Protocol):
    """A staff member as core sees one (`accounts.models.User` is one)."""

    pk: Any
    username: str

    def get_full_name(self) -> str: ...

    def has_role(self, *roles: str) -> bool: ...
