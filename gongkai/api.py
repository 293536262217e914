"""The JSON API, /api/v1/. Each app adds its router."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from gongkai.catalog.api import install_error_handlers
from gongkai.catalog.api import router as catalog_router
from gongkai.core import text


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese as characters, not \\uXXXX escapes."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


class CleanParser(Parser):
    """Bodies and query parameters without control characters (core.text, as the forms): a NUL
    in a body is refused (400, the API's error shape), other control characters are removed."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        if text.clean_tree(data, keep_nul=True) != text.clean_tree(data):
            raise ValueError("NUL character in the body")
        return text.clean_tree(data)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> Any:
        return text.clean_tree(super().parse_querydict(data, list_fields, request))


api = NinjaAPI(
    title="Gongkai API",
    version="1.0.0",
    description="政府信息公开 — published records, categories and search.",
    renderer=UnicodeJSONRenderer(),
    parser=CleanParser(),
    urls_namespace="api-v1",
)
api.add_router("/", catalog_router)
api.add_router("/", "gongkai.inforequests.api.router")
api.add_router("/", "gongkai.powers.api.router")
install_error_handlers(api)
