"""What a member of staff typed when their session had ended: kept on the server, given back once,
to them alone.

The editing forms carry a signed stamp of the user who opened them (``owner_stamp``, the hidden
field of ``core/_draft_owner.html``). A save that arrives without a session
(``editor_login_required``) is kept in the new, anonymous session, which survives the login
(``django.contrib.auth.login`` keeps an anonymous session's data). The form then takes it back
once, only for the stamp's user on the same form; anyone else logging in on that browser never sees
it. Nothing is written to the browser's storage.

A form that uses it: decorate the view with ``editor_login_required``, on GET call ``take`` and use
what it returns as the form's values, and render ``context(user, restored)`` with the two includes
(``core/_draft_restored.html`` above the form, ``core/_draft_owner.html`` inside it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from gongkai.core import clock

if TYPE_CHECKING:
    from gongkai.accounts.models import User

FIELD = "_draft_owner"
# The key and the salt keep the names they had in the catalog, where this began: a stamp on a form
# open across the move stays valid, and a draft kept then is still found.
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


def keep(request: HttpRequest, form_path: str | None = None) -> bool:
    """Keep an anonymous POST's fields for the user its stamp names; False if it has no valid stamp.

    They wait for the form at ``form_path`` (by default the path posted to).
    """
    try:
        owner = signing.loads(request.POST.get(FIELD, ""), salt=_SALT, max_age=STAMP_MAX_AGE)
    except signing.BadSignature:
        return False
    fields = {name: values for name, values in request.POST.lists() if name not in _NOT_KEPT}
    request.session[SESSION_KEY] = {
        "owner": owner,
        "path": form_path or request.path,
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


def take_on_get(request: HttpRequest) -> dict[str, Any] | None:
    """``take`` for a form view: only when the form is opened (a POST is the user's own input)."""
    return take(request) if request.method == "GET" else None


def context(user: User, restored: dict[str, Any] | None) -> dict[str, Any]:
    """What the two includes read: the hidden field's name and stamp, and whether a draft is shown."""
    return {"draft_field": FIELD, "draft_owner": owner_stamp(user), "restored": bool(restored)}


def editor_login_required_for(
    form_at: Callable[..., str] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """``editor_login_required`` for a form that posts to another address than the page showing
    it: ``form_at(request, *args, **kwargs)`` is that page's path, where the user is sent back and
    the draft waits (a POST-only view could not be opened after logging in)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                form_path = form_at(request, *args, **kwargs) if form_at else None
                if request.method == "POST":
                    if keep(request, form_path):
                        text = _(
                            "登录已过期，您填写的内容已为您保留：请重新登录，登录后将回到表单并恢复这些内容。"
                        )
                    else:
                        text = _("登录已过期，请重新登录。")
                    messages.warning(request, text)
                return redirect_to_login(form_path or request.get_full_path())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def editor_login_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """login_required for the editing forms: a save after the session ended keeps what was typed.

    The POST is kept on the server for the user who opened the form (``keep``); after logging in,
    the form shows it again. The login page says so.
    """
    return editor_login_required_for()(view)
