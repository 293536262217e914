"""What `gongkai run_huey` loads from core (Huey imports each app's tasks module): the sweep and
the event delivery job."""

from gongkai.core import events, jobs  # noqa: F401
