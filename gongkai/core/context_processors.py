from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gongkai.core.addresses import cached_url


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "AGENCY_NAME": settings.AGENCY_NAME,
        "LARGE_TEXT": request.COOKIES.get("gk_large") == "1",
        "CURRENT_PATH": request.get_full_path(),
        "PREFERENCES_URL": cached_url("portal:preferences"),
    }
