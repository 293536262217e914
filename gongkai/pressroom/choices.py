"""The vocabulary of the press room: who hosts a press conference, the forms of a policy
interpretation, and the states both move through."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Host(models.TextChoices):
    """In whose name a press conference is held (the seed: 3 in the provincial government's, 17 in
    the agency's own)."""

    GOVERNMENT = "government", _("以省政府名义")
    AGENCY = "agency", _("以本机关名义")


class Form(models.TextChoices):
    """How a policy is interpreted (政策解读的形式)."""

    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频解读")
    CONFERENCE = "conference", _("新闻发布会解读")


class Status(models.TextChoices):
    """A conference's or an interpretation's state: drafted, published on the portal, withdrawn."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.PUBLISHED}),
    Status.PUBLISHED: frozenset({Status.WITHDRAWN}),
    # A withdrawn item may be corrected and published again.
    Status.WITHDRAWN: frozenset({Status.DRAFT}),
}
