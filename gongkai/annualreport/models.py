"""The annual report of a year: the working draft (assembled from the figures, with the office's
edits and the findings it accepted) and the reports as published, frozen as issued."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.annualreport.choices import ReportForm, RuleSetCode, Status
from gongkai.annualreport.document import ReportDocument


class AnnualReport(models.Model):
    """One year's report as the office works on it. `document` is the draft as assembled from the
    figures (`ReportDocument.as_dict()`); `edits` the office's changes on top of it (passage texts
    by key, table cells it enters); `accepted` the validation findings it accepted, with reasons."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    form = models.CharField(_("报告形式"), max_length=20, choices=ReportForm.choices)
    rule_set = models.CharField(_("适用条例"), max_length=10, choices=RuleSetCode.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("编制部门")
    )
    document = models.JSONField(_("系统起草稿"))
    edits = models.JSONField(_("办公室修改"), default=dict, blank=True)
    findings = models.JSONField(_("校验结果"), default=list, blank=True)
    validated_version = models.PositiveIntegerField(_("校验时版本"), null=True, blank=True)
    accepted = models.JSONField(_("已接受的问题"), default=dict, blank=True)
    assembled_at = models.DateTimeField(_("读取统计数据时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提请审批人"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批领导"),
    )
    # Who changed the passages or cells since the draft was begun or last redrafted
    # (services.do_save_edits): they may not approve or publish it (four eyes, workflows.py).
    edited_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("修改人")
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")

    def __str__(self) -> str:
        return f"{self.year}"

    def drafted(self) -> ReportDocument:
        return ReportDocument.from_dict(self.document)

    def current(self) -> ReportDocument:
        """The draft as the office has it now: the assembled document with its edits applied."""
        from gongkai.annualreport.editing import apply_edits

        return apply_edits(self.drafted(), self.edits)

    def latest_publication(self) -> PublishedReport | None:
        return self.publications.order_by("-number").first()


class PublishedReportChangeError(Exception):
    """A published report is an issued document: it is never changed or deleted."""


class PublishedReportQuerySet(models.QuerySet["PublishedReport"]):
    def update(self, **kwargs: Any) -> int:
        raise PublishedReportChangeError("published reports cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PublishedReportChangeError("published reports cannot be deleted")


class PublishedReport(models.Model):
    """A report as published: the exact document, HTML and PDF, whatever happens to the records
    or the draft afterwards (append-only, like an issued letter). `number` counts the publications
    of a year (a corrected report is published again as number 2)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="publications")
    number = models.PositiveIntegerField(_("发布次序"))
    year = models.PositiveIntegerField(_("年度"))
    form = models.CharField(_("报告形式"), max_length=20, choices=ReportForm.choices)
    rule_set = models.CharField(_("适用条例"), max_length=10, choices=RuleSetCode.choices)
    title = models.CharField(_("标题"), max_length=200)
    document = models.JSONField(_("发布稿"))
    html = models.TextField(_("网页"))
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    accepted = models.JSONField(_("已接受的问题"), default=dict, blank=True)
    record = models.ForeignKey(
        "catalog.Record", on_delete=models.PROTECT, related_name="+", verbose_name=_("目录中的信息")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审批领导")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )
    published_at = models.DateTimeField(_("发布时间"))

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="published_report_number")]
        verbose_name = _("已发布的年度报告")
        verbose_name_plural = _("已发布的年度报告")

    def __str__(self) -> str:
        return f"{self.year}#{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PublishedReportChangeError(f"published report {self} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublishedReportChangeError(f"published report {self} cannot be deleted")

    def as_document(self) -> ReportDocument:
        return ReportDocument.from_dict(self.document)


class ReportTransition(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class DeadlineReminder(models.Model):
    """One day's reminder that a year's report is not yet published and its deadline is near or
    past (`reminders.py`): one row a year a day, so a second run that day reminds nobody. The year's
    report may not have been begun (`report` empty)."""

    year = models.PositiveIntegerField(_("年度"))
    day = models.DateField(_("提醒日期"))
    report = models.ForeignKey(
        AnnualReport, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders"
    )
    rule_set = models.CharField(_("适用条例"), max_length=10, choices=RuleSetCode.choices)
    due_on = models.DateField(_("发布期限"))
    workdays_left = models.IntegerField(_("剩余工作日"))
    overdue = models.BooleanField(_("已逾期"), default=False)
    recipients = models.JSONField(_("提醒对象"), default=list)
    created_at = models.DateTimeField(_("提醒时间"))

    class Meta:
        ordering = ["-day", "-year"]
        constraints = [models.UniqueConstraint(fields=["year", "day"], name="deadline_reminder_year_day")]
        verbose_name = _("年度报告发布期限提醒")
        verbose_name_plural = _("年度报告发布期限提醒")

    def __str__(self) -> str:
        return f"{self.year}: {self.day}"


class DeadlineReminderMail(models.Model):
    """One reminder e-mail sent to one person, so a delivery run again mails nobody twice."""

    reminder = models.ForeignKey(DeadlineReminder, on_delete=models.CASCADE, related_name="mails")
    event = models.ForeignKey("core.OutboxEvent", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("主题"), max_length=200)
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "recipient"], name="deadline_reminder_mail_recipient")
        ]
        verbose_name = _("发布期限提醒邮件")
        verbose_name_plural = _("发布期限提醒邮件")

    def __str__(self) -> str:
        return f"{self.reminder}: {self.subject}"
