"""Inquiries and messages (咨询 / 留言) with their answers and ratings, online events (在线访谈,
网络直播, 在线发布) with the public's moderated questions, and NPC / CPPCC proposals (建议提案).

The asker's name and contact details are sealed at rest (core.crypto), shown in full only to the
office and masked to the department handling the inquiry (queries.sees_asker); what the public sees is `public_question` and
`public_answer`, set when the office publishes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Department
from gongkai.core.crypto import SealedCharField
from gongkai.engagement.choices import (
    UNANSWERED,
    EventKind,
    EventStatus,
    InquiryKind,
    InquiryStatus,
    ProposalKind,
    ProposalStatus,
    QuestionStatus,
    Rating,
    Topic,
)


class InquirySequence(models.Model):
    """The last number given to an inquiry in a year (ZX2015-00001)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Inquiry(models.Model):
    number = models.CharField(_("编号"), max_length=20, unique=True)
    query_code_hash = models.CharField(max_length=128)
    kind = models.CharField(
        _("类型"), max_length=20, choices=InquiryKind.choices, default=InquiryKind.INQUIRY
    )
    topic = models.CharField(_("事项类别"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    title = models.CharField(_("标题"), max_length=100)
    question = models.TextField(_("内容"))
    wants_public = models.BooleanField(_("同意公开"), default=True)
    # The asker (personal data: the office in full, the handling department masked).
    asker_name = SealedCharField(_("姓名"), max_length=60)
    phone = SealedCharField(_("联系电话"), max_length=40)
    email = SealedCharField(_("电子邮箱"), max_length=254, blank=True)
    # The checks before anything is shown publicly: [{kind, start, end, text, field}].
    findings = models.JSONField(_("核查发现"), default=list, blank=True)
    # SHA-256 of the question as normalised (NFKC, no spaces, lower case): the same text sent again.
    text_digest = models.CharField(max_length=64, db_index=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=InquiryStatus.choices,
        default=InquiryStatus.SUBMITTED,
        db_index=True,
    )
    received_on = models.DateField(_("收到日期"), db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    due_on = models.DateField(_("答复期限"), db_index=True)
    due_workdays = models.PositiveSmallIntegerField(_("答复时限（工作日）"))
    # The year's holiday schedule was not entered: due by the weekday rule until it is.
    due_estimated = models.BooleanField(_("期限按周末推算"), default=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("承办部门"),
    )
    routed_at = models.DateTimeField(_("分办时间"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("部门答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The day the answer reached the asker (published, or given privately): on time if <= due_on.
    replied_on = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    public_question = models.TextField(_("公开的问题"), blank=True)
    public_answer = models.TextField(_("公开的答复"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, db_index=True)
    reason = models.TextField(_("说明"), blank=True)
    rating = models.CharField(_("满意度评价"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True, db_index=True)
    # The last day the reminder job told the handling side the inquiry is due (one reminder a day).
    reminded_on = models.DateField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="inquiry_status_due"),
            models.Index(fields=["status", "published_at"], name="inquiry_status_published"),
        ]
        verbose_name = _("咨询留言")
        verbose_name_plural = _("咨询留言")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:answer", args=[self.number])

    @property
    def is_public(self) -> bool:
        return self.status == InquiryStatus.PUBLISHED

    @property
    def held(self) -> bool:
        return self.status == InquiryStatus.HELD

    @property
    def unanswered(self) -> bool:
        return self.status in UNANSWERED

    def overdue_on(self, today: dt.date) -> bool:
        """Not answered by its due day (answered late, or still unanswered after it)."""
        if self.status == InquiryStatus.REJECTED:
            return False
        if self.replied_on is not None:
            return self.replied_on > self.due_on
        return today > self.due_on


class InquiryTransition(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=InquiryStatus.choices)
    to_status = models.CharField(max_length=20, choices=InquiryStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.inquiry_id}: {self.from_status} → {self.to_status}"


class OnlineEvent(models.Model):
    kind = models.CharField(_("形式"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    summary = models.TextField(_("简介"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    # One guest a line: 姓名|职务（单位）
    guests = models.TextField(_("嘉宾"), blank=True, help_text=_("每行一位：姓名|职务"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="online_events", verbose_name=_("主办部门")
    )
    video_url = models.URLField(_("视频地址"), max_length=300, blank=True)
    archive_text = models.TextField(_("文字实录与回顾"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    announced_at = models.DateTimeField(_("发布预告时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("在线访谈与发布")
        verbose_name_plural = _("在线访谈与发布")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:event", args=[self.pk])

    def guest_list(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.guests.splitlines():
            name, _sep, title = line.partition("|")
            if name.strip():
                rows.append((name.strip(), title.strip()))
        return rows


class EventTransition(models.Model):
    event = models.ForeignKey(OnlineEvent, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=EventStatus.choices)
    to_status = models.CharField(max_length=20, choices=EventStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.from_status} → {self.to_status}"


class EventQuestion(models.Model):
    event = models.ForeignKey(OnlineEvent, on_delete=models.CASCADE, related_name="questions")
    # A nickname the visitor chooses (网友): shown with the question; not an identity.
    nickname = models.CharField(_("昵称"), max_length=30)
    text = models.TextField(_("问题"))
    findings = models.JSONField(_("核查发现"), default=list, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=QuestionStatus.choices,
        default=QuestionStatus.PENDING,
        db_index=True,
    )
    asked_at = models.DateTimeField(_("提问时间"))
    answer = models.TextField(_("回答"), blank=True)
    answered_by_guest = models.CharField(_("回答嘉宾"), max_length=60, blank=True)
    answered_at = models.DateTimeField(_("回答时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("网友提问")
        verbose_name_plural = _("网友提问")

    def __str__(self) -> str:
        return self.text[:30]


class QuestionTransition(models.Model):
    question = models.ForeignKey(EventQuestion, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=QuestionStatus.choices)
    to_status = models.CharField(max_length=20, choices=QuestionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.from_status} → {self.to_status}"


class Proposal(models.Model):
    kind = models.CharField(_("类别"), max_length=10, choices=ProposalKind.choices)
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    number = models.CharField(_("编号"), max_length=40)
    title = models.CharField(_("标题"), max_length=300)
    proposer = models.CharField(_("代表或委员"), max_length=200)
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="lead_proposals", verbose_name=_("主办部门")
    )
    co_departments = models.ManyToManyField(
        Department, blank=True, related_name="co_proposals", verbose_name=_("协办部门")
    )
    received_on = models.DateField(_("交办日期"), db_index=True)
    due_on = models.DateField(_("办理期限"))
    reply_text = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    consent_to_disclose = models.BooleanField(_("同意公开"), default=False)
    sent_on = models.DateField(_("报送省政府办公厅日期"), null=True, blank=True)
    public_summary = models.TextField(_("公开摘要"), blank=True)
    disclosed_on = models.DateField(_("公开日期"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.REGISTERED,
        db_index=True,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The last day the reminder job told the handling departments the proposal is due (once a day).
    reminded_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        ordering = ["-year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "number"], name="proposal_year_kind_number")
        ]
        verbose_name = _("建议提案")
        verbose_name_plural = _("建议提案")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:proposal", args=[self.pk])


class ProposalTransition(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ProposalStatus.choices)
    to_status = models.CharField(max_length=20, choices=ProposalStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class ReminderMail(models.Model):
    """One reminder e-mail sent to one person: their day's digest (`engagement.reminders.digest`)
    of the inquiries and proposals due or overdue, so a delivery run again mails nobody twice."""

    event = models.ForeignKey("core.OutboxEvent", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("提醒日期"), db_index=True)
    inquiries = models.ManyToManyField(Inquiry, blank=True, related_name="reminder_mails")
    proposals = models.ManyToManyField(Proposal, blank=True, related_name="reminder_mails")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overdue = models.BooleanField(_("含已超期事项"), default=False)
    subject = models.CharField(_("主题"), max_length=200)
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="reminder_mail_event_recipient")
        ]
        verbose_name = _("到期提醒邮件")
        verbose_name_plural = _("到期提醒邮件")

    def __str__(self) -> str:
        return f"{self.day}: {self.subject}"
