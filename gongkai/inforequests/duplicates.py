"""A re-sent online application (Back after submitting, then send again: the form gets a new token,
so the idempotency key does not catch it) is kept, and flagged to the office as a likely duplicate
of the earlier one; only the office may decide the two are one request."""

from __future__ import annotations

import datetime as dt

from gongkai.inforequests.models import Application

# The same applicant asking for the same information within this time is most likely a re-send.
WINDOW = dt.timedelta(days=3)


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def find_likely_duplicate(application: Application) -> Application | None:
    """The earliest earlier application with the same identity number and the same information asked."""
    earlier = Application.objects.filter(
        id_number_index=application.id_number_index,
        submitted_at__gte=application.submitted_at - WINDOW,
        submitted_at__lte=application.submitted_at,
        likely_duplicate_of__isnull=True,
    ).exclude(pk=application.pk)
    title = _norm(application.information_title)
    description = _norm(application.description)
    for candidate in earlier.order_by("submitted_at", "pk"):
        if _norm(candidate.information_title) == title and _norm(candidate.description) == description:
            return candidate
    return None


def flag_likely_duplicate(application: Application) -> Application | None:
    """Mark the application as a likely duplicate of an earlier one, if there is one; returns it.

    Only the flag is written (no version bump, no workflow move): the case stays as it was received."""
    original = find_likely_duplicate(application)
    if original is not None:
        Application.objects.filter(pk=application.pk).update(likely_duplicate_of=original)
        application.likely_duplicate_of = original
    return original
