"""Power items (权力清单) with their responsibility lists, approval items (行政审批事项) with their
service guides, their operation flows, the history of every item, and the published versions.

What the public sees is the item's live `ItemVersion`, a frozen snapshot written when a list
edition is published. Until then an item's row and its child rows are its working copy; once it is
published they hold what is published (the period figures count them), and an edit is kept in
`PowerItem.revision` until that revision is published in its turn."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Department
from gongkai.powers.choices import (
    ChangeKind,
    EditionStatus,
    ItemList,
    Level,
    MaterialForm,
    PowerCategory,
    Stage,
    Status,
)


class PowerItem(models.Model):
    """An item of the power list or of the approval list (an approval item has a `ServiceGuide`)."""

    list_kind = models.CharField(_("清单"), max_length=20, choices=ItemList.choices, default=ItemList.POWERS)
    category = models.CharField(_("职权类别"), max_length=20, choices=PowerCategory.choices)
    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    sub_items = models.TextField(_("子项"), blank=True, help_text=_("每行一个子项。"))
    legal_basis = models.TextField(_("设定依据"), blank=True, help_text=_("法律法规名称及条款，每行一条。"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="power_items", verbose_name=_("实施部门")
    )
    level = models.CharField(_("行使层级"), max_length=20, choices=Level.choices, default=Level.PROVINCE)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("退回原因"), blank=True)
    live = models.ForeignKey(
        "ItemVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("现行版本"),
    )
    # A published item's pending revision: its fields and children as plain values (the department
    # by id), edited, reviewed and applied to the rows when a list edition publishes it.
    revision = models.JSONField(_("待发布的修订稿"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["list_kind", "category", "code"]
        indexes = [models.Index(fields=["list_kind", "status"], name="poweritem_list_status")]
        verbose_name = _("权力事项")
        verbose_name_plural = _("权力事项")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("powers:item", args=[self.code])

    @property
    def is_approval(self) -> bool:
        return self.list_kind == ItemList.APPROVALS

    def sub_item_list(self) -> list[str]:
        return [line.strip() for line in self.sub_items.splitlines() if line.strip()]

    def basis_list(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]


class ApprovalItemManager(models.Manager["ApprovalItem"]):
    def get_queryset(self) -> models.QuerySet[ApprovalItem]:
        return super().get_queryset().filter(list_kind=ItemList.APPROVALS)


class ApprovalItem(PowerItem):
    """An approval item (行政审批事项): a power item of the approval list, with its service guide."""

    objects = ApprovalItemManager()  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = _("行政审批事项")
        verbose_name_plural = _("行政审批事项")


class ServiceGuide(models.Model):
    """The service standard of an approval item (办理标准 / 办事指南)."""

    item = models.OneToOneField(PowerItem, on_delete=models.CASCADE, related_name="guide")
    conditions = models.TextField(_("受理条件"), blank=True)
    statutory_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"), null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"), null=True, blank=True)
    fee = models.TextField(_("收费标准"), blank=True, help_text=_("不收费的写“不收费”。"))
    fee_basis = models.TextField(_("收费依据"), blank=True)
    place = models.CharField(_("办理地点"), max_length=300, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=100, blank=True)
    online_url = models.URLField(_("网上办理"), max_length=300, blank=True)
    # [{"question": …, "answer": …}]
    faqs = models.JSONField(_("常见问题"), default=list, blank=True)

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    def __str__(self) -> str:
        return f"{self.item}"


class Material(models.Model):
    """One application material of an approval item."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("材料名称"), max_length=300)
    form = models.CharField(_("原件/复印件"), max_length=20, choices=MaterialForm.choices)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="material_item_position")]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.name


class Responsibility(models.Model):
    """One stage of an item's responsibility list (责任清单)."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="responsibilities")
    position = models.PositiveSmallIntegerField(_("序号"))
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    duties = models.TextField(_("责任事项"))
    boundary = models.TextField(_("职责边界"), blank=True)
    public_services = models.TextField(_("公共服务事项"), blank=True)
    supervision = models.TextField(_("事中事后监管措施"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="responsibility_item_position")
        ]
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任事项")

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_stage_display()}"


class FlowStep(models.Model):
    """One step of an item's operation flow (权力运行流程): laid out as a flowchart by Graphviz. An
    item exercised by several procedures (一般程序、简易程序…) has one flow, one flowchart, each."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="steps")
    # Blank for an item with one procedure; the steps of a procedure are numbered on their own.
    procedure = models.CharField(_("程序"), max_length=100, blank=True)
    number = models.PositiveSmallIntegerField(_("步骤编号"))
    name = models.CharField(_("步骤"), max_length=200)
    post = models.CharField(_("责任岗位或部门"), max_length=200, blank=True)
    time_limit = models.CharField(_("时限"), max_length=100, blank=True)
    # "3" or "准予:4；不予:7" — the steps that may follow; none: the flow ends here.
    next_steps = models.CharField(_("下一步"), max_length=300, blank=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        # As entered: the procedures keep the order the editor gave them.
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "procedure", "number"], name="flowstep_item_procedure_number"
            )
        ]
        verbose_name = _("流程步骤")
        verbose_name_plural = _("流程步骤")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ItemChange(models.Model):
    """What a deciding document did to an item, on the day it took effect (设立、保留、调整、取消、下放)."""

    item = models.ForeignKey(PowerItem, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("变动"), max_length=20, choices=ChangeKind.choices)
    on = models.DateField(_("日期"))
    document = models.CharField(_("决定文件"), max_length=300)
    to_level = models.CharField(_("下放至"), max_length=20, choices=Level.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["item", "on", "id"]
        indexes = [models.Index(fields=["kind", "on"], name="itemchange_kind_on")]
        verbose_name = _("事项变动")
        verbose_name_plural = _("事项变动")

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.on}"


class ListEdition(models.Model):
    """A published edition of a list: proposed by one person, published by the office reviewer (a
    second person), announced by a record in the catalog; the items' versions it made live."""

    list_kind = models.CharField(_("清单"), max_length=20, choices=ItemList.choices)
    number = models.PositiveIntegerField(_("版次"))
    title = models.CharField(_("公告标题"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.SUBMITTED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提请人")
    )
    proposed_at = models.DateTimeField(_("提请时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    item_count = models.PositiveIntegerField(_("事项数"), default=0)
    announcement = models.ForeignKey(
        "catalog.Record",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公告"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["list_kind", "-number"]
        constraints = [models.UniqueConstraint(fields=["list_kind", "number"], name="edition_list_number")]
        verbose_name = _("清单版次")
        verbose_name_plural = _("清单版次")

    def __str__(self) -> str:
        return f"{self.get_list_kind_display()} #{self.number}"


class ItemVersion(models.Model):
    """A published version of an item, kept as it was published (never changed afterwards except
    for `is_live`, which says whether it is the version the public sees)."""

    item = models.ForeignKey(PowerItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    edition = models.ForeignKey(
        ListEdition, on_delete=models.PROTECT, null=True, blank=True, related_name="versions"
    )
    # The columns the public lists filter on, as published.
    list_kind = models.CharField(_("清单"), max_length=20, choices=ItemList.choices)
    category = models.CharField(_("职权类别"), max_length=20, choices=PowerCategory.choices)
    code = models.CharField(_("事项编码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("行使层级"), max_length=20, choices=Level.choices)
    content = models.JSONField(_("内容"))
    search_text = models.TextField(blank=True)
    is_live = models.BooleanField(default=False)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["item", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="itemversion_item_number")]
        indexes = [models.Index(fields=["list_kind", "is_live", "category"], name="itemversion_live")]
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")

    def __str__(self) -> str:
        return f"{self.code} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("powers:item", args=[self.code])


class Flowchart(models.Model):
    """One operation flowchart (权力运行流程图) of a published version, one per procedure of the
    item, drawn by Graphviz when the version was published and kept as issued, with its text."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="flowcharts")
    position = models.PositiveSmallIntegerField(_("序号"))
    procedure = models.CharField(_("程序"), max_length=100, blank=True)
    svg = models.TextField(_("流程图"))
    text = models.TextField(_("流程图文字说明"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="flowchart_version_position")
        ]
        verbose_name = _("权力运行流程图")
        verbose_name_plural = _("权力运行流程图")

    def __str__(self) -> str:
        return f"{self.version} {self.procedure}".strip()

    def text_lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line]


class ItemTransition(models.Model):
    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} → {self.to_status}"


class EditionTransition(models.Model):
    edition = models.ForeignKey(ListEdition, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=EditionStatus.choices)
    to_status = models.CharField(max_length=20, choices=EditionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.edition_id}: {self.from_status} → {self.to_status}"
