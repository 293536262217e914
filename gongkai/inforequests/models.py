"""Disclosure-on-request cases: the application, its clock (pauses, extension), assignments,
reply, and the reconsideration and litigation that may follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Department
from gongkai.core.crypto import BlindIndexField, SealedCharField
from gongkai.inforequests.choices import (
    ApplicantKind,
    CorrectionOutcome,
    Delivery,
    FeeMethod,
    FormWanted,
    IntakeChannel,
    Outcome,
    PauseKind,
    RequestKind,
    ReviewKind,
    ReviewResult,
    Status,
)


class Application(models.Model):
    tracking_number = models.CharField(_("受理编号"), max_length=30, unique=True)
    query_code_hash = models.CharField(max_length=128)
    request_kind = models.CharField(
        _("申请类型"), max_length=20, choices=RequestKind.choices, default=RequestKind.DISCLOSURE
    )
    # The applicant (personal data: seen only by the office and assigned handlers).
    applicant_kind = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人姓名/名称"), max_length=150)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=30, default="居民身份证")
    # Identity number, phone and address are sealed at rest (core.crypto: SM4-GCM or AES-GCM, the
    # key outside the database); who is who is found through the keyed blind index.
    id_number = SealedCharField(_("证件号码"), max_length=40)
    id_number_index = BlindIndexField(_("证件号码索引"), source="id_number")
    phone = SealedCharField(_("联系电话"), max_length=40)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = SealedCharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    # What is asked for.
    information_title = models.CharField(_("所需信息名称"), max_length=300)
    information_doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    description = models.TextField(_("所需信息的描述"), blank=True)
    form_wanted = models.CharField(_("获取信息方式"), max_length=20, choices=FormWanted.choices)
    delivery = models.CharField(_("送达方式"), max_length=20, choices=Delivery.choices)
    needs_assistance = models.BooleanField(_("需要阅读、视听等方面的帮助（第四十三条）"), default=False)
    assistance_note = models.CharField(_("所需帮助"), max_length=200, blank=True)
    suggests_proactive = models.BooleanField(_("建议将该信息主动公开（第四十四条）"), default=False)
    # Intake.
    channel = models.CharField(_("申请渠道"), max_length=20, choices=IntakeChannel.choices)
    received_on = models.DateField(_("收到申请日期"), db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    integration = models.ForeignKey(
        "inforequests.IntegrationToken",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    # The clock (recomputed by services from the rule set, the calendar and the pauses).
    rule_set = models.CharField(_("适用条例"), max_length=10)
    clock_start = models.DateField(_("起算日"))
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    extended_due_on = models.DateField(_("延长后期限"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    later_due_on = models.DateField(_("另行确定的期限（第三十五条）"), null=True, blank=True)
    # Handling and result.
    status = models.CharField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办人"),
    )
    outcome = models.CharField(_("办理结果"), max_length=50, choices=Outcome.choices, blank=True)
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    withheld_note = models.TextField(_("不予公开部分及理由"), blank=True)
    holder_agency = models.CharField(_("掌握该信息的机关"), max_length=150, blank=True)
    # A correction request (Art. 41) is decided apart from the disclosure outcomes of table 三.
    correction_outcome = models.CharField(
        _("更正决定"), max_length=20, choices=CorrectionOutcome.choices, blank=True
    )
    forwarded_to = models.CharField(_("转送的有权机关"), max_length=150, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Set when an online application repeats an earlier one of the same applicant (Back and send
    # again): the office decides whether to merge them (inforequests.duplicates).
    likely_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("疑似重复提交"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="likely_duplicates",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="application_status_due"),
            models.Index(fields=["replied_on", "outcome"], name="application_replied_outcome"),
        ]
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def effective_due_on(self) -> dt.date | None:
        """The date that binds now: the agency-set later date, the extended date, or the due date."""
        if self.later_due_on:
            return self.later_due_on
        if self.extended and self.extended_due_on:
            return self.extended_due_on
        return self.due_on


class Pause(models.Model):
    """A request to complete (补正) or a consultation: the clock restarts or stops while it runs."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("类型"), max_length=20, choices=PauseKind.choices)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    limit_on = models.DateField(_("期限"), null=True, blank=True)
    party = models.CharField(_("第三方/机关"), max_length=150, blank=True)
    request_text = models.TextField(_("需要补正或征求意见的内容"), blank=True)
    response_text = models.TextField(_("答复情况"), blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class Extension(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="extension")
    workdays = models.PositiveIntegerField(_("延长工作日"))
    reason = models.TextField(_("延期理由"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("批准日期"))

    def __str__(self) -> str:
        return f"{self.application} +{self.workdays}"


class Assignment(models.Model):
    """A department asked for its opinion, with its own due date."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("办理期限"))
    instructions = models.TextField(_("办理要求"), blank=True)
    opinion = models.TextField(_("部门意见"), blank=True)
    suggested_outcome = models.CharField(
        _("建议办理结果"), max_length=50, choices=Outcome.choices, blank=True
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    # The office may share the applicant's identity with this department for this case, with a
    # reason (workflows.sees_applicant); withdrawn, the three are emptied (the audit trail keeps both).
    identity_shared_at = models.DateTimeField(_("提供申请人身份信息时间"), null=True, blank=True)
    identity_shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_share_reason = models.TextField(_("提供申请人身份信息的原因"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "department"], name="unique_assignment_department")
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.department}"


class ApplicationTransition(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=30, choices=Status.choices)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class Review(models.Model):
    """Administrative reconsideration or litigation over an application (table 四)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("类型"), max_length=30, choices=ReviewKind.choices)
    filed_on = models.DateField(_("提起日期"))
    body = models.CharField(_("复议机关/法院"), max_length=150, blank=True)
    result = models.CharField(
        _("结果"), max_length=20, choices=ReviewResult.choices, default=ReviewResult.PENDING
    )
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class LetterDelivery(models.Model):
    """How and when a letter reached the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deliveries")
    letter_kind = models.CharField(_("文书"), max_length=30)
    method = models.CharField(_("送达方式"), max_length=20, choices=Delivery.choices)
    delivered_on = models.DateField(_("送达日期"))
    reference = models.CharField(_("邮件号/说明"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["delivered_on", "id"]
        db_table = "inforequests_delivery"

    def __str__(self) -> str:
        return f"{self.application} {self.letter_kind} {self.delivered_on}"


class IntegrationToken(models.Model):
    """A token for one integrating system (the province's unified platform, …)."""

    name = models.CharField(_("接入系统"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class TrackingSequence(models.Model):
    """The last tracking number used in a year: numbers are never reused."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class LetterTemplate(models.Model):
    """The office's own wording for a letter, replacing the default (letters/defaults.py) key by key."""

    key = models.CharField(_("文书"), max_length=80)  # "acknowledgement", "reply:granted", …
    rules = models.CharField(_("适用条例"), max_length=10, default="2019")
    text = models.TextField(_("正文"), help_text=_("段落之间空一行；可用 {占位符}。"))
    updated_at = models.DateTimeField(_("更新时间"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    # A reset does not delete the row (its version number would start again and the history would
    # repeat numbers): it records the default wording as a new version and sets this flag.
    uses_default = models.BooleanField(_("使用默认文本"), default=False)

    class Meta:
        ordering = ["rules", "key"]
        constraints = [models.UniqueConstraint(fields=["key", "rules"], name="unique_letter_template")]

    def __str__(self) -> str:
        return f"{self.rules}:{self.key}"


class FeeNotice(models.Model):
    """An information-processing fee (2019 Art. 42; 国办函〔2020〕109号), with its payment or lapse."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="fee_notices")
    method = models.CharField(_("计收方式"), max_length=20, choices=FeeMethod.choices)
    units = models.PositiveIntegerField(_("计费数量"), help_text=_("按件：本月第几件申请；按量：页数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    issued_on = models.DateField(_("通知日期"))
    pay_by = models.DateField(_("缴费期限"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    lapsed = models.BooleanField(_("逾期未缴"), default=False)
    note = models.TextField(_("说明"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.amount}"


class TemplateVersionAction(models.TextChoices):
    DEFAULT = "default", _("默认文本")
    SAVED = "saved", _("修改")
    RESET = "reset", _("恢复默认文本")


class LetterTemplateVersion(models.Model):
    """Every wording a letter template has had, one row per version, never changed or deleted.

    Version 0 is the default wording the office started from (written at its first save); each
    save and each reset adds the next version. ``LetterTemplate`` holds the version in force.
    """

    key = models.CharField(_("文书"), max_length=80)
    rules = models.CharField(_("适用条例"), max_length=10)
    version = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("正文"))
    uses_default = models.BooleanField(_("使用默认文本"), default=False)
    action = models.CharField(_("操作"), max_length=10, choices=TemplateVersionAction.choices)
    saved_at = models.DateTimeField(_("时间"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["rules", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "rules", "version"], name="unique_letter_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.rules}:{self.key} v{self.version}"


class LetterNumberSequence(models.Model):
    """The last letter number (文号) used by an agency in a year for one kind of letter: numbers are
    never reused (letter_numbers.allocate)."""

    agency = models.CharField(_("发文机关"), max_length=100)
    year = models.PositiveIntegerField(_("年份"))
    kind = models.CharField(_("文书种类"), max_length=30)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind"], name="unique_letter_number_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} {self.kind}: {self.last}"


class IssuedLetterChangeError(Exception):
    """An issued letter is an official document: it is never changed or deleted."""


class IssuedLetterQuerySet(models.QuerySet["IssuedLetter"]):
    """No bulk change either: ``update`` and ``delete`` on issued letters refuse."""

    def update(self, **kwargs: Any) -> int:
        raise IssuedLetterChangeError("issued letters cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise IssuedLetterChangeError("issued letters cannot be deleted")


class IssuedLetter(models.Model):
    """A letter as it was issued: the exact PDF and DOCX bytes, what they were filled with, and
    their SHA-256. Served as stored ever after, whatever happens to the templates or settings.

    The files are BinaryFields, not files in storage: the letter is written in the same transaction
    as the act that issues it (a rolled-back act leaves no orphan file, a committed one cannot lack
    its file), the database backup holds the documents of record with the case, and no storage
    back end (S3, a mounted volume) can lose or overwrite one. A letter is 30-150 KB; an office
    issues a few thousand a year. The rows are append-only: ``save`` refuses an update, ``delete``
    and the queryset's ``update``/``delete`` refuse, so no code path of the application changes one.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="issued_letters")
    slug = models.CharField(_("文书"), max_length=40)  # as letter_services.case_letters: "consultation-12"
    kind = models.CharField(_("文书种类"), max_length=30)
    # 1, 2, … per (application, slug): a letter of the same name issued again for a new act (a
    # second fee notice after the first was paid or lapsed) gets the next number.
    sequence = models.PositiveIntegerField(_("序号"))
    # The object of the act the letter belongs to ("fee_notice:17", "pause:12", "application"):
    # issuing the same act twice finds the first letter instead of making another.
    act_ref = models.CharField(max_length=60)
    act_code = models.CharField(_("行为"), max_length=80, blank=True)
    template_key = models.CharField(_("模板"), max_length=80)
    rules = models.CharField(_("适用条例"), max_length=10)
    template_version = models.PositiveIntegerField(_("模板版本"))  # 0: the default wording
    values = models.JSONField(_("填入的内容"))
    pdf = models.BinaryField()
    docx = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    docx_sha256 = models.CharField(max_length=64)
    issued_on = models.DateField(_("成文日期"))
    issued_at = models.DateTimeField(_("存档时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Letters issued before letters were stored are frozen when first served (not at their act).
    frozen_late = models.BooleanField(_("首次下载时存档"), default=False)
    # 文号, e.g. 吉公依复〔2015〕3号: per agency, year and kind (letter_numbers.allocate), printed on
    # the letter. Letters stored before numbers were given got theirs in issue order (migration
    # 0008): recorded here, not printed on their bytes (number_printed False).
    number = models.CharField(_("文号"), max_length=60, blank=True)
    number_printed = models.BooleanField(_("文号印在文书上"), default=True)

    objects = IssuedLetterQuerySet.as_manager()

    class Meta:
        ordering = ["application", "slug", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "slug", "sequence"], name="unique_issued_letter_sequence"
            ),
            models.UniqueConstraint(
                fields=["application", "slug", "act_ref"], name="unique_issued_letter_act"
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="unique_issued_letter_number"
            ),
        ]
        verbose_name = _("已发文书")
        verbose_name_plural = _("已发文书")

    def __str__(self) -> str:
        return f"{self.application_id}:{self.slug}#{self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise IssuedLetterChangeError(f"issued letter {self} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise IssuedLetterChangeError(f"issued letter {self} cannot be deleted")
