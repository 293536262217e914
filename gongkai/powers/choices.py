"""The vocabulary of the power and responsibility lists and the approval items."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PowerCategory(models.TextChoices):
    """The ten categories of administrative power (权力清单的十类)."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")
    LEVY = "levy", _("行政征收")
    BENEFIT = "benefit", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER = "other", _("其他行政权力")


class ItemList(models.TextChoices):
    """Which published list an item belongs to."""

    POWERS = "powers", _("权力清单")
    APPROVALS = "approvals", _("行政审批事项")


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


LOWER_LEVELS = {Level.PROVINCE: (Level.CITY, Level.COUNTY), Level.CITY: (Level.COUNTY,), Level.COUNTY: ()}


class Status(models.TextChoices):
    """The state of an item's working copy; its published version stays live meanwhile."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过待发布")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")
    DELEGATED = "delegated", _("已下放")


EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED, Status.PUBLISHED, Status.APPROVED})
ENDED_STATUSES = frozenset({Status.CANCELLED, Status.DELEGATED})

TRANSITIONS: dict[str, frozenset[str]] = {
    # A published item's revision dropped (draft or returned): it is published as it stands.
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.DRAFT, Status.PUBLISHED}),
    Status.RETURNED: frozenset({Status.SUBMITTED, Status.DRAFT, Status.PUBLISHED}),
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.RETURNED}),
    # Editing an approved item sends it back to draft: the reviewer approved other content.
    Status.APPROVED: frozenset({Status.PUBLISHED, Status.RETURNED, Status.DRAFT}),
    # Editing a published item starts a new draft; the published version stays live.
    Status.PUBLISHED: frozenset({Status.DRAFT, Status.CANCELLED, Status.DELEGATED}),
    Status.CANCELLED: frozenset(),
    Status.DELEGATED: frozenset(),
}


class ChangeKind(models.TextChoices):
    """What a deciding document did to an item (the history the reduction figures count)."""

    SET = "set", _("设立")
    KEPT = "kept", _("保留")
    AMENDED = "amended", _("调整")
    CANCELLED = "cancelled", _("取消")
    DELEGATED = "delegated", _("下放")


REMOVING_CHANGES = frozenset({ChangeKind.CANCELLED, ChangeKind.DELEGATED})


class Stage(models.TextChoices):
    """The stages of exercising a power, each with its responsibility items."""

    ACCEPT = "accept", _("受理")
    EXAMINE = "examine", _("审查")
    DECIDE = "decide", _("决定")
    DELIVER = "deliver", _("送达")
    EXECUTE = "execute", _("执行")
    SUPERVISE = "supervise", _("事后监管")
    OTHER = "other", _("其他")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    BOTH = "both", _("原件及复印件")


class EditionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待发布")
    PUBLISHED = "published", _("已发布")
    RETURNED = "returned", _("已退回")


EDITION_TRANSITIONS: dict[str, frozenset[str]] = {
    EditionStatus.SUBMITTED: frozenset({EditionStatus.PUBLISHED, EditionStatus.RETURNED}),
    EditionStatus.PUBLISHED: frozenset(),
    EditionStatus.RETURNED: frozenset(),
}
