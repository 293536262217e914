"""`{% record_press_links record %}`: the block a catalog record's public page shows when the press
room holds something about it (its interpretations, the conferences it was released at). Two
small indexed queries; nothing is shown when there is nothing to link."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.pressroom import queries

register = template.Library()


@register.inclusion_tag("pressroom/includes/record_links.html")
def record_press_links(record: Any) -> dict[str, Any]:
    if getattr(record, "status", None) != "published" or getattr(record, "pk", None) is None:
        return {"interpretations": [], "conferences": []}
    interpretations, conferences = queries.record_links(record.pk)
    return {"interpretations": interpretations, "conferences": conferences}
