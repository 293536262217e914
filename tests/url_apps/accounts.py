"""The accounts routes added for two-factor sign-in (accounts/twofactor.py): the code step answers
everyone alike without a password step (back to the login page); enrolment is every signed-in
person's own, and the anonymous visitor is sent to the login page. So is the password change
(accounts/passwords.py): every signed-in person changes their own."""

from __future__ import annotations

from tests.url_rules import STAFF, Same, Staff

ROUTES: dict[str, Same | Staff] = {
    "accounts:second_factor": Same(302),
    "accounts:two_factor": Staff(STAFF, post=STAFF),
    "accounts:password_change": Staff(STAFF, post=STAFF),
}
POST_DATA = {"code": "000000"}
