"""New-media channels (Weibo, WeChat, any other), the posts of catalog records to them and every
attempt to deliver or take down a post.

A post sent through the system is one row per (record, channel), with an idempotency key the
channel sees on every attempt, so a retry after a crash never posts twice. Posts recorded from a
channel's history (the demo, an import of Publication rows) may repeat a record."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Publication, Record
from gongkai.core.crypto import SealedCharField
from gongkai.core.models import JobRun
from gongkai.newmedia.choices import (
    Adapter,
    AttemptKind,
    CatalogChannel,
    CutStyle,
    Origin,
    Outcome,
    PostState,
)

# A channel's slug is part of a figure code (newmedia.posts.channel.<slug>) and of addresses.
SLUG_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_-]{0,39}$", _("代码须以小写字母开头，只含小写字母、数字、连字符和下划线，最多40个字符。")
)
MIN_TEXT_LENGTH = 100  # room for a title and the link back to the portal record
MAX_TEXT_LENGTH = 100_000


class Channel(models.Model):
    slug = models.CharField(_("代码"), max_length=40, unique=True, validators=[SLUG_VALIDATOR])
    name = models.CharField(_("名称"), max_length=60)
    adapter = models.CharField(
        _("接口方式"), max_length=20, choices=Adapter.choices, default=Adapter.WEBHOOK_JSON
    )
    catalog_channel = models.CharField(
        _("计入的发布渠道"),
        max_length=20,
        choices=CatalogChannel.choices,
        default=CatalogChannel.OTHER,
        help_text=_("送达后在信息的“发布渠道”中登记为哪一类渠道。"),
    )
    endpoint_url = models.URLField(
        _("接口地址"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = SealedCharField(
        _("共享密钥"), max_length=200, help_text=_("用于对推送内容签名（HMAC-SHA256），加密保存。")
    )
    max_length = models.PositiveIntegerField(
        _("正文长度上限（字）"),
        default=2000,
        validators=[MinValueValidator(MIN_TEXT_LENGTH), MaxValueValidator(MAX_TEXT_LENGTH)],
    )
    images_allowed = models.BooleanField(_("可附图片"), default=False)
    cut_style = models.CharField(
        _("超长处理"), max_length=20, choices=CutStyle.choices, default=CutStyle.BODY
    )
    timeout_seconds = models.PositiveSmallIntegerField(
        _("超时（秒）"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("新媒体渠道")
        verbose_name_plural = _("新媒体渠道")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workbench:newmedia_staff:channel", args=[self.slug])


class Post(models.Model):
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="newmedia_posts", verbose_name=_("信息")
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="posts", verbose_name=_("渠道")
    )
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices, default=Origin.SENT)
    state = models.CharField(_("状态"), max_length=20, choices=PostState.choices, default=PostState.QUEUED)
    idempotency_key = models.CharField(_("幂等键"), max_length=120, unique=True)
    # The request body, prepared for the channel once: every attempt sends the same content.
    payload = models.JSONField(_("推送内容"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("提交时间"))
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    failed_at = models.DateTimeField(_("失败时间"), null=True, blank=True)
    takedown_requested_at = models.DateTimeField(_("要求撤下时间"), null=True, blank=True)
    taken_down_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP 状态码"), null=True, blank=True)
    external_id = models.CharField(_("渠道内编号"), max_length=200, blank=True)
    external_url = models.URLField(_("渠道链接"), max_length=500, blank=True)
    last_error = models.TextField(_("错误"), blank=True)
    note = models.TextField(_("说明"), blank=True)
    # The run that may act on the post now: a run superseded by a retry or a takedown does nothing.
    job = models.ForeignKey(JobRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    publication = models.ForeignKey(
        Publication, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "channel"], condition=Q(origin=Origin.SENT), name="newmedia_post_once"
            )
        ]
        indexes = [
            models.Index(fields=["state", "failed_at"], name="newmedia_post_state"),
            models.Index(fields=["channel", "delivered_at"], name="newmedia_post_channel"),
            models.Index(fields=["delivered_at"], name="newmedia_post_delivered"),
        ]
        verbose_name = _("推送")
        verbose_name_plural = _("推送")

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.record_id} {self.state}"

    def get_absolute_url(self) -> str:
        return reverse("workbench:newmedia_staff:post", args=[self.pk])

    @property
    def takedown_key(self) -> str:
        return f"{self.idempotency_key}.takedown"


class PostAttempt(models.Model):
    """One try to deliver or take down a post; an attempt without an outcome was interrupted."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attempt_rows")
    kind = models.CharField(
        _("类型"), max_length=10, choices=AttemptKind.choices, default=AttemptKind.PUBLISH
    )
    number = models.PositiveIntegerField(_("第几次"))
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP 状态码"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    response = models.TextField(_("渠道应答"), blank=True)
    job_run = models.PositiveBigIntegerField(_("后台任务"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=120, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("推送尝试")
        verbose_name_plural = _("推送尝试")

    def __str__(self) -> str:
        return f"{self.post_id}#{self.number} {self.outcome or '…'}"
