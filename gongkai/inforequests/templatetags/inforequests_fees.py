"""`{% fee_panel as fee %}`: the fee section of the case page, from the view's context or computed."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def fee_panel(context: template.Context) -> dict[str, Any] | None:
    if "fee_panel" in context:
        found: dict[str, Any] = context["fee_panel"]
        return found
    from gongkai.inforequests.views.staff_fees import panel

    user = context.get("user")
    application = context.get("app")
    if not isinstance(user, User) or application is None:
        return None
    return panel(user, application)
