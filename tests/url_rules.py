"""The two kinds of rule of the URL access matrix (tests/test_url_access_matrix.py) and the persona
sets the rules are written with; apps' own entries (tests/url_apps/<app>.py) use them too."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.core.tests.matrix import PERSONAS

ANONYMOUS = "anonymous"
STAFF = frozenset(PERSONAS)
ADMINS = frozenset({"system_admin", "security_admin", "audit_admin"})
CASE_SEEING = frozenset({"leader", "reviewer"})  # the office and the leaders see every case
HOME_RECORD = frozenset({"audit_admin", "leader", "head", "reviewer", "editor"})
RECORD_EDITING = frozenset({"head", "reviewer", "editor"})
DRAFTING = frozenset({"head", "reviewer", "editor", "other_editor"})
WORKBENCH = STAFF  # every signed-in staff member


@dataclass(frozen=True)
class Same:
    """A public route: everyone, signed in or not, gets the same answer (`status`)."""

    status: int


@dataclass(frozen=True)
class Staff:
    """A workbench route: the anonymous visitor is sent to the login page; `get` are the personas
    whom a GET opens (200), the others are refused (403, 404 or sent elsewhere). `post` are the
    personas who may change state through it (None: the route changes nothing); everyone else's
    POST must be refused with nothing changed."""

    get: frozenset[str]
    post: frozenset[str] | None = None
