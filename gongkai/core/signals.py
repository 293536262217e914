"""Signals other apps listen to, so deadlines are recomputed when the calendar changes."""

from django.dispatch import Signal

# Sent after a year's schedule is entered or replaced; kwargs: year.
calendar_year_changed = Signal()
