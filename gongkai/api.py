"""The JSON API, /api/v1/. Each app adds its router."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from gongkai.catalog.api import install_error_handlers
from gongkai.catalog.api import router as catalog_router


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese as characters, not \\uXXXX escapes."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


api = NinjaAPI(
    title="Gongkai API",
    version="1.0.0",
    description="政府信息公开 — published records, categories and search.",
    renderer=UnicodeJSONRenderer(),
    urls_namespace="api-v1",
)
api.add_router("/", catalog_router)
api.add_router("/", "gongkai.inforequests.api.router")
install_error_handlers(api)
