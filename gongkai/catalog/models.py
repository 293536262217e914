"""The catalog: records (政府信息) with catalog metadata, their workflow, attachments and channels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Department
from gongkai.catalog.choices import (
    Channel,
    DisclosureAttribute,
    Genre,
    LegalBasis,
    Secrecy,
    Status,
    Validity,
)


class Category(models.Model):
    """A column of the catalog (主题分类). Records sit in leaf categories."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:category", args=[self.code])

    @property
    def display_name(self) -> str:
        """The name in the visitor's language (English where one is entered)."""
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name


class IndexSequence(models.Model):
    """The last sequence used for an organisation and year: index numbers are never reused."""

    org_code = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org_code", "year"], name="unique_index_sequence")]

    def __str__(self) -> str:
        return f"{self.org_code}/{self.year}: {self.last}"


class Record(models.Model):
    index_number = models.CharField(_("索引号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=300)
    summary = models.TextField(_("内容概述"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    body_text = models.TextField(_("正文纯文本"), blank=True, editable=False)
    formed_on = models.DateField(_("成文日期"))
    issuer = models.CharField(_("发布机构"), max_length=150)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    # No single-column indexes on category, department and status: the composite indexes in Meta
    # start with them and serve the same lookups (one index less to maintain on every insert).
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="records", verbose_name=_("主题分类"), db_index=False
    )
    genre = models.CharField(_("体裁分类"), max_length=20, choices=Genre.choices, default=Genre.NOTICE)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    validity = models.CharField(
        _("有效性"), max_length=20, choices=Validity.choices, default=Validity.IN_FORCE
    )
    # The day a 已废止 record was repealed (set by the catalog's services, default the day it is
    # marked so); None for any other validity. Annual report table 二 counts repeals by it.
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    # The day a 已修改 record was amended, and the document that repealed or amended it (文号 or
    # title), both recorded on a published record by the office (services.do_change_validity).
    amended_on = models.DateField(_("修改日期"), null=True, blank=True)
    # db_default: rows inserted by raw SQL (bench/search.py) need not name the column.
    validity_document = models.CharField(
        _("废止或修改文件"), max_length=300, blank=True, default="", db_default=""
    )
    secrecy = models.CharField(
        _("涉密状态"), max_length=20, choices=Secrecy.choices, default=Secrecy.NON_SECRET
    )
    attribute = models.CharField(
        _("公开属性"),
        max_length=20,
        choices=DisclosureAttribute.choices,
        default=DisclosureAttribute.PROACTIVE,
    )
    attribute_basis = models.CharField(_("不公开依据"), max_length=30, choices=LegalBasis.choices, blank=True)
    attribute_reason = models.TextField(_("属性说明"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("责任部门"),
        db_index=False,
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_due = models.DateField(_("公开时限"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("撤回日期"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="record_status_pub"),
            models.Index(fields=["category", "status", "-published_at"], name="record_cat_status_pub"),
            models.Index(fields=["department", "status"], name="record_dept_status"),
            models.Index(fields=["status", "publish_due"], name="record_status_due"),
            # A 文号 typed into the search goes straight to its published record (search/lookup.py).
            models.Index(fields=["status", "doc_number"], name="record_status_docno"),
            # The search's checks of candidate ids (published? in the category, year, department?
            # its date) read these from this index, not from the rows, where they sit behind the
            # bodies: on SQLite each such read walks the body's overflow pages (20 rows: 3.3 ms
            # from the table, 0.04 ms from here, realistic records; search/sqlite.py).
            models.Index(
                fields=["id", "status", "published_at", "category", "department", "formed_on"],
                name="record_row_check",
            ),
            # Every column the period figures' one pass over the records reads (stats.activity):
            # SQLite scans this index instead of the table, whose rows hold the bodies before these
            # columns (1,000,000 records: 2.5 -> 1.1 s of CPU; bench/README.md, "Annual report").
            models.Index(
                fields=[
                    "formed_on",
                    "attribute",
                    "created_at",
                    "withdrawn_at",
                    "published_at",
                    "publish_due",
                ],
                name="record_period_figures",
            ),
        ]
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")

    def __str__(self) -> str:
        return f"{self.index_number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:record", args=[self.index_number])

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def keyword_list(self) -> list[str]:
        return [
            k
            for k in self.keywords.replace("，", ",").replace("；", ",").replace(";", ",").split(",")
            if k.strip()
        ]


class RecordTransition(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.from_status} → {self.to_status}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.record_id}/{instance.sha256[:16]}{instance.extension}"


class Attachment(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class AttachmentText(models.Model):
    """The text of an attachment, extracted in the background (catalog/extract.py) and searched
    with its record (docs/search.md). One row per attachment, written when the file is added."""

    class State(models.TextChoices):
        PENDING = "pending", _("待提取")
        DONE = "done", _("已提取")
        SCAN = "scan", _("扫描件（无文字层）")
        FAILED = "failed", _("提取失败")
        UNSUPPORTED = "unsupported", _("不提取文字")

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, primary_key=True, related_name="extracted"
    )
    # Denormalised from the attachment: the index and its substring re-check read texts by record.
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    text = models.TextField(_("文字"), blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("附件文字")
        verbose_name_plural = _("附件文字")
        indexes = [models.Index(fields=["record", "attachment"], name="catalog_atttext_record")]

    def __str__(self) -> str:
        return f"{self.attachment_id}: {self.state}"


class Publication(models.Model):
    """One appearance of a record on one channel (portal, press conference, Weibo, …)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="publications")
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    # No index of its own: the one in Meta starts with it.
    published_at = models.DateTimeField(_("发布时间"))
    link = models.URLField(_("链接"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_at"]
        # The period's count by channel (stats.channels) reads this index alone, no row.
        indexes = [models.Index(fields=["published_at", "channel"], name="publication_pub_channel")]
        verbose_name = _("发布记录")
        verbose_name_plural = _("发布记录")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.published_at:%Y-%m-%d}"


class Page(models.Model):
    """Office-edited portal pages: the guide (公开指南), organisation (机构设置), contact (咨询方式)."""

    slug = models.SlugField(_("代码"), unique=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    updated_at = models.DateTimeField(_("更新时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("栏目页面")
        verbose_name_plural = _("栏目页面")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:page", args=[self.slug])


class ImportOutcome(models.Model):
    """The report of one background import (`catalog.import`), kept with its run for the page.

    Written in the import's own transaction: a run killed mid-way leaves no report, as no records."""

    run = models.OneToOneField("core.JobRun", on_delete=models.CASCADE, related_name="+")
    report = models.JSONField(_("导入报告"))

    class Meta:
        verbose_name = _("导入结果")
        verbose_name_plural = _("导入结果")

    def __str__(self) -> str:
        return f"import #{self.run_id}"
