"""Core tables: the workday calendar and the audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official holiday schedule has been entered; other years are refused."""

    year = models.PositiveIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=200)
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day: working or not. Weekends that are working days are make-up days (调休)."""

    date = models.DateField(_("日期"), primary_key=True)
    is_workday = models.BooleanField(_("工作日"))
    name = models.CharField(_("名称"), max_length=60, blank=True)
    source = models.CharField(_("来源"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_workday else '休息日'} {self.name}".strip()

    @property
    def is_makeup_day(self) -> bool:
        return self.is_workday and self.date.weekday() >= 5

    @property
    def is_holiday(self) -> bool:
        return not self.is_workday and self.date.weekday() < 5


class AuditEvent(models.Model):
    """One official act: who, what (dotted code), on which object, before/after, when, from where."""

    at = models.DateTimeField(_("时间"), db_index=True)
    # The day the act happened outside the system (a letter sent, an opinion received), when it is
    # not the day it was recorded; `at` is always the moment of recording.
    act_on = models.DateField(_("行为日期"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("操作人")
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    ip_address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    # The hash chain (audit.py): the event's place in the chain and "<algorithm>:<hex>" of the
    # previous event's hash + this event's canonical fields. `gongkai audit verify` checks it.
    chain_seq = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, unique=True)
    chain_hash = models.CharField(_("链哈希"), max_length=80, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Audit events are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are never deleted.")

    @property
    def label(self) -> str:
        """The act in words (the dotted code where no label is known)."""
        from gongkai.core.audit import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))


class AuditChainHead(models.Model):
    """The one row naming the last event of the audit hash chain. Writers lock it (SELECT ... FOR
    UPDATE; on SQLite the IMMEDIATE transaction holds the write lock) so two never fork the chain;
    it also tells `audit verify` where the chain must end (events removed from the end)."""

    seq = models.PositiveBigIntegerField(_("链序号"), default=0)
    hash = models.CharField(_("链哈希"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class JobRun(models.Model):
    """One run of a background job (core/jobs.py): what, for whom, how far, how often tried, why it failed.

    The run, not the task queue, is the record of truth: a worker claims it with a lease, and the
    sweep puts a run whose worker died back in the queue.
    """

    name = models.CharField(_("任务"), max_length=100, db_index=True)
    arguments = models.JSONField(_("参数"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    progress_message = models.CharField(_("进度说明"), max_length=200, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    max_attempts = models.PositiveIntegerField(_("最多尝试次数"), default=1)
    created_at = models.DateTimeField(_("创建时间"))
    # Not run before this moment: the back-off after a failed attempt.
    not_before = models.DateTimeField(_("最早运行时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # A running run whose lease has passed belongs to a dead worker (the sweep re-queues it).
    lease_expires_at = models.DateTimeField(_("租约到期"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=100, blank=True)
    error = models.TextField(_("错误"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "not_before"])]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} {self.state}"


class OutboxEvent(models.Model):
    """A committed act, written in the act's own transaction and delivered to subscribers afterwards."""

    code = models.CharField(_("事件"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("时间"), db_index=True)
    # The delivery job of this event (created in the same transaction, so it cannot be lost).
    job = models.ForeignKey(
        JobRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("投递任务")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("领域事件")
        verbose_name_plural = _("领域事件")

    def __str__(self) -> str:
        return f"{self.code} {self.object_type}:{self.object_id}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待投递")
    DONE = "done", _("已投递")
    FAILED = "failed", _("投递失败")


class OutboxDelivery(models.Model):
    """One subscriber's handling of one event: at most one row, so a handler never runs twice for it."""

    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("事件")
    )
    subscriber = models.CharField(_("订阅者"), max_length=200)
    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="core_delivery_once_per_subscriber")
        ]
        verbose_name = _("事件投递")
        verbose_name_plural = _("事件投递")

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscriber} {self.state}"


class RateCounter(models.Model):
    """One fixed-window rate-limit counter (core.ratelimit), when the limits live in the database.
    `key` is a keyed digest (bucket and hashed address/account): no address, no username here.
    Counted by one INSERT … ON CONFLICT DO UPDATE statement, so parallel workers never lose a count."""

    key = models.CharField(_("键"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("次数"), default=0)
    window_ends = models.DateTimeField(_("窗口结束"), db_index=True)

    class Meta:
        verbose_name = _("频率计数")
        verbose_name_plural = _("频率计数")

    def __str__(self) -> str:
        return f"{self.key} {self.count}"
