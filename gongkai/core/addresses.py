"""reverse(), remembered: the address of a URL name never changes while a process runs.

Hot public pages resolve the same few names on every request; `reverse` walks the URL
configuration each time (tens of microseconds). The result is kept per script prefix (the
deployment's sub-path), so a site served under a prefix still gets its own addresses.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=4096)
def _reverse(prefix: str, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, args=args)


def cached_url(name: str, *args: str) -> str:
    """The address of a URL name (and string arguments), as reverse() gives it."""
    return _reverse(get_script_prefix(), name, args)
