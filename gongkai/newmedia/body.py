"""The body a channel accepts, prepared once per post: the text cut to the channel's length limit
with a link back to the portal record, and the record's images where the channel takes them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.catalog.models import Record
from gongkai.newmedia.choices import CutStyle
from gongkai.newmedia.models import Channel

ELLIPSIS = "……"
MAX_IMAGES = 9  # Weibo's limit; WeChat takes fewer per message but more per article


def record_url(record: Record, portal_url: str) -> str:
    return portal_url.rstrip("/") + record.get_absolute_url()


def fit(title: str, text: str, link: str, limit: int) -> tuple[str, bool]:
    """`【title】text 全文：link` in at most `limit` characters: the text (then the title) is cut
    and marked with an ellipsis; the link is never cut. Returns the text and whether it was cut."""
    head = f"【{title}】"
    whole = f"{head}{text}" if text else head
    tail = f" 全文：{link}"
    if len(whole) + len(tail) <= limit:
        return whole + tail, False
    room = limit - len(tail) - len(ELLIPSIS)
    if room >= len(head) + 10 and text:
        return whole[:room].rstrip() + ELLIPSIS + tail, True
    if limit - len(tail) >= 2 + len(ELLIPSIS) + 1:
        return _cut_title(title, tail, limit), True
    return link, True  # a limit shorter than the link: the link alone (the channel decides)


def _cut_title(title: str, tail: str, limit: int) -> str:
    room = limit - len(tail) - 2  # the brackets
    if len(title) > room:
        title = title[: max(room - len(ELLIPSIS), 1)] + ELLIPSIS
    return f"【{title}】{tail}"


def compose(record: Record, channel: Channel, portal_url: str, *, key: str) -> dict[str, Any]:
    """The request body of a post (the webhook adapter sends it as JSON)."""
    link = record_url(record, portal_url)
    if channel.cut_style == CutStyle.TITLE:
        source = ""
    elif channel.cut_style == CutStyle.SUMMARY:
        source = record.summary.strip() or record.body_text.strip()
    else:
        source = record.body_text.strip() or record.summary.strip()
    source = " ".join(source.split())
    text, cut = fit(record.name, source, link, channel.max_length)
    images: list[str] = []
    if channel.images_allowed:
        for attachment in record.attachments.filter(content_type__startswith="image/").order_by("id")[
            :MAX_IMAGES
        ]:
            images.append(
                portal_url.rstrip("/")
                + reverse("catalog:attachment", args=[record.index_number, attachment.pk])
            )
    return {
        "action": "publish",
        "idempotency_key": key,
        "channel": channel.slug,
        "record": {
            "index_number": record.index_number,
            "title": record.name,
            "category": record.category.name if record.category_id else "",
            "published_at": record.published_at.isoformat() if record.published_at else None,
            "url": link,
        },
        "text": text,
        "cut": cut,
        "images": images,
    }
