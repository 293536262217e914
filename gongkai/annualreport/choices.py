"""The vocabulary of the annual report: its form, the rule set it is reported under, its states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportForm(models.TextChoices):
    NATIONAL = "national", _("全国统一格式")
    NARRATIVE = "narrative", _("叙述式")


class RuleSetCode(models.TextChoices):
    """The Regulations a report is made under: the set in force on 1 January of the next year."""

    R2007 = "2007", _("2007年条例")
    R2019 = "2019", _("2019年条例")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CHECKED = "checked", _("已校验待审批")
    APPROVED = "approved", _("领导已审批")
    PUBLISHED = "published", _("已发布")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.CHECKED}),
    Status.CHECKED: frozenset({Status.APPROVED, Status.DRAFT}),
    Status.APPROVED: frozenset({Status.PUBLISHED, Status.DRAFT}),
    # A published report stays published as issued; a new draft is begun beside it.
    Status.PUBLISHED: frozenset({Status.DRAFT}),
}
