"""What an editor typed when their session had ended: kept on the server, given back once, to them alone.

The editing forms carry a signed stamp of the user who opened them (``owner_stamp``). A save that
arrives without a session (``editor_login_required``) is kept in the new, anonymous session, which
survives the login (``django.contrib.auth.login`` keeps an anonymous session's data). The form then
takes it back once, only for the stamp's user on the same form; anyone else logging in on that
browser never sees it. Nothing is written to the browser's storage.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest

from gongkai.accounts.models import User
from gongkai.core import clock

FIELD = "_draft_owner"
SESSION_KEY = "catalog.unsaved"
_SALT = "gongkai.catalog.drafts.owner"
# A form may stay open for a whole working session (8 hours at most, settings.SESSION_COOKIE_AGE).
STAMP_MAX_AGE = 24 * 3600
# What was kept waits this long for its owner to log in again.
KEEP_SECONDS = 2 * 3600
_NOT_KEPT = {FIELD, "csrfmiddlewaretoken"}


def owner_stamp(user: User) -> str:
    """The hidden field's value: who opened the form, signed, with the time."""
    return signing.dumps(user.pk, salt=_SALT)


def keep(request: HttpRequest) -> bool:
    """Keep an anonymous POST's fields for the user its stamp names; False if it has no valid stamp."""
    try:
        owner = signing.loads(request.POST.get(FIELD, ""), salt=_SALT, max_age=STAMP_MAX_AGE)
    except signing.BadSignature:
        return False
    fields = {name: values for name, values in request.POST.lists() if name not in _NOT_KEPT}
    request.session[SESSION_KEY] = {
        "owner": owner,
        "path": request.path,
        "at": clock.now().timestamp(),
        "fields": fields,
    }
    return True


def take(request: HttpRequest) -> dict[str, Any] | None:
    """Once, for its owner on the same form: the fields kept, as a form's ``initial``.

    Someone else's (or a stale) draft is dropped unseen; a draft for another form waits.
    """
    stash = request.session.get(SESSION_KEY)
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    if stash.get("owner") != request.user.pk or clock.now().timestamp() - stash["at"] > KEEP_SECONDS:
        return None
    return {name: values[-1] if len(values) == 1 else values for name, values in stash["fields"].items()}
