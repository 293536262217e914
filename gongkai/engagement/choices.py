"""The engagement app's vocabularies: inquiry states and ratings, online event kinds, proposals."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryKind(models.TextChoices):
    INQUIRY = "inquiry", _("咨询")
    MESSAGE = "message", _("留言")


class Topic(models.TextChoices):
    EXIT_ENTRY = "exit_entry", _("出入境")
    HOUSEHOLD = "household", _("户籍")
    ID_CARD = "id_card", _("居民身份证")
    TRAFFIC = "traffic", _("交通管理")
    PUBLIC_ORDER = "public_order", _("治安")
    OTHER = "other", _("其他")


class InquiryStatus(models.TextChoices):
    HELD = "held", _("待核查")
    SUBMITTED = "submitted", _("待分办")
    ROUTED = "routed", _("部门办理中")
    ANSWERED = "answered", _("已答复待审核")
    PUBLISHED = "published", _("已答复并公开")
    REPLIED = "replied", _("已答复（不公开）")
    REJECTED = "rejected", _("不予受理")


# Not yet answered as the asker sees it (a department's answer waits for the office's review).
UNANSWERED = frozenset(
    {InquiryStatus.HELD, InquiryStatus.SUBMITTED, InquiryStatus.ROUTED, InquiryStatus.ANSWERED}
)
# The answer has been given to the asker (published with it, or privately): it may be rated.
REPLIED_STATUSES = frozenset({InquiryStatus.PUBLISHED, InquiryStatus.REPLIED})

INQUIRY_TRANSITIONS: dict[str, frozenset[str]] = {
    InquiryStatus.HELD: frozenset({InquiryStatus.SUBMITTED, InquiryStatus.REJECTED}),
    InquiryStatus.SUBMITTED: frozenset({InquiryStatus.ROUTED, InquiryStatus.REJECTED}),
    InquiryStatus.ROUTED: frozenset({InquiryStatus.ROUTED, InquiryStatus.SUBMITTED, InquiryStatus.ANSWERED}),
    InquiryStatus.ANSWERED: frozenset({InquiryStatus.ROUTED, InquiryStatus.PUBLISHED, InquiryStatus.REPLIED}),
    InquiryStatus.PUBLISHED: frozenset({InquiryStatus.REPLIED}),
    InquiryStatus.REPLIED: frozenset({InquiryStatus.PUBLISHED}),
    InquiryStatus.REJECTED: frozenset(),
}


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class FindingKind(models.TextChoices):
    """What the checks before publication find in a text (the office decides)."""

    ID_NUMBER = "id_number", _("身份证号码")
    PHONE = "phone", _("电话号码")
    LINK = "link", _("网址链接")
    REPEATED = "repeated", _("重复内容")
    DUPLICATE = "duplicate", _("重复提交")
    WORD = "word", _("不文明或违规用语")


PERSONAL_FINDINGS = frozenset({FindingKind.ID_NUMBER, FindingKind.PHONE})


class EventKind(models.TextChoices):
    INTERVIEW = "interview", _("在线访谈")
    LIVE = "live", _("网络直播")
    RELEASE = "release", _("在线发布")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ANNOUNCED = "announced", _("已发布预告")
    ARCHIVED = "archived", _("已归档")


EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.DRAFT: frozenset({EventStatus.ANNOUNCED}),
    EventStatus.ANNOUNCED: frozenset({EventStatus.ARCHIVED}),
    EventStatus.ARCHIVED: frozenset(),
}


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    HELD = "held", _("待核查")
    APPROVED = "approved", _("已采纳")
    ANSWERED = "answered", _("已回答")
    REJECTED = "rejected", _("未采纳")


QUESTION_TRANSITIONS: dict[str, frozenset[str]] = {
    QuestionStatus.PENDING: frozenset({QuestionStatus.APPROVED, QuestionStatus.REJECTED}),
    QuestionStatus.HELD: frozenset({QuestionStatus.APPROVED, QuestionStatus.REJECTED}),
    QuestionStatus.APPROVED: frozenset({QuestionStatus.ANSWERED, QuestionStatus.REJECTED}),
    QuestionStatus.ANSWERED: frozenset(),
    QuestionStatus.REJECTED: frozenset(),
}
PUBLIC_QUESTIONS = frozenset({QuestionStatus.APPROVED, QuestionStatus.ANSWERED})


class ProposalKind(models.TextChoices):
    NPC = "npc", _("人大代表建议")
    CPPCC = "cppcc", _("政协委员提案")


class ProposalStatus(models.TextChoices):
    REGISTERED = "registered", _("办理中")
    REPLIED = "replied", _("已答复")
    SENT = "sent", _("已报送省政府办公厅")
    DISCLOSED = "disclosed", _("已公开")


PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.REGISTERED: frozenset({ProposalStatus.REPLIED}),
    ProposalStatus.REPLIED: frozenset({ProposalStatus.REPLIED, ProposalStatus.SENT}),
    ProposalStatus.SENT: frozenset({ProposalStatus.DISCLOSED}),
    ProposalStatus.DISCLOSED: frozenset(),
}
