"""`{% load newmedia %}{% newmedia_panel record %}`: the record page's new-media panel (its posts,
and the one-step publication to the portal and channels) — the catalog's template includes it."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.newmedia.views import record_panel_context

register = template.Library()


@register.inclusion_tag("newmedia/staff/_record_panel.html", takes_context=True)
def newmedia_panel(context: template.Context, record: Any) -> dict[str, Any]:
    return record_panel_context(context["user"], record, context.get("csrf_token"))
