"""The vocabulary of the new-media channels: adapters, how a long text is cut, the states of a post
and the outcome of each attempt to deliver it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Adapter(models.TextChoices):
    """How a channel is spoken to (gongkai/newmedia/adapters.py holds one class per value)."""

    WEBHOOK_JSON = "webhook_json", _("HTTP 回调（JSON）")


class CatalogChannel(models.TextChoices):
    """Which of the catalog's publication channels a post counts as (catalog.choices.Channel)."""

    WEIBO = "weibo", _("政务微博")
    WECHAT = "wechat", _("政务微信")
    OTHER = "other", _("其他")


class CutStyle(models.TextChoices):
    """What goes before the link back to the portal record when the text is longer than allowed."""

    BODY = "body", _("标题和正文，超长截断后附全文链接")
    SUMMARY = "summary", _("标题和内容概述，超长截断后附全文链接")
    TITLE = "title", _("仅标题和全文链接")


class Origin(models.TextChoices):
    SENT = "sent", _("经本系统推送")
    RECORDED = "recorded", _("历史发布登记")


class PostState(models.TextChoices):
    QUEUED = "queued", _("待推送")
    RETRYING = "retrying", _("推送失败，等待重试")
    DELIVERED = "delivered", _("已发布")
    FAILED = "failed", _("推送失败")
    CANCELLED = "cancelled", _("已取消（信息已撤回）")
    TAKEDOWN_PENDING = "takedown_pending", _("待撤下")
    TAKEN_DOWN = "taken_down", _("已撤下")
    TAKEDOWN_FAILED = "takedown_failed", _("撤下失败")


# A delivery job sends a post in these states; a takedown job in these.
SENDABLE = frozenset({PostState.QUEUED, PostState.RETRYING})
TAKEDOWN_SENDABLE = frozenset({PostState.TAKEDOWN_PENDING})
# Listed on the workbench's failures page, with the retry button.
FAILURE_STATES = frozenset({PostState.FAILED, PostState.RETRYING, PostState.TAKEDOWN_FAILED})
# What a withdrawal of the record leaves alone.
FINAL_AFTER_WITHDRAWAL = frozenset({PostState.CANCELLED, PostState.TAKEN_DOWN, PostState.TAKEDOWN_PENDING})


class AttemptKind(models.TextChoices):
    PUBLISH = "publish", _("发布")
    TAKEDOWN = "takedown", _("撤下")


class Outcome(models.TextChoices):
    OK = "ok", _("成功")
    HTTP_ERROR = "http_error", _("渠道返回错误")
    TIMEOUT = "timeout", _("超时")
    CONNECTION = "connection", _("无法连接")
    INVALID = "invalid", _("渠道应答无法识别")
