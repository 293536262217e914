"""Catalog vocabularies. Legal bases are keyed to the article that defines them (LEGAL.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureAttribute(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


# The allowed moves of the record workflow; any other move is refused with a clear message.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.RETURNED: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.RETURNED}),
    Status.APPROVED: frozenset({Status.PUBLISHED, Status.RETURNED}),
    # A published record stays published when its validity changes (repealed or amended by a later
    # document): the move is recorded as published → published.
    Status.PUBLISHED: frozenset({Status.PUBLISHED, Status.WITHDRAWN}),
    Status.WITHDRAWN: frozenset(),
}
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})


class Validity(models.TextChoices):
    IN_FORCE = "in_force", _("有效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")


class Secrecy(models.TextChoices):
    NON_SECRET = "non_secret", _("非涉密")
    SECRET = "secret", _("涉密")


class Genre(models.TextChoices):
    NOTICE = "notice", _("通知")
    ANNOUNCEMENT = "announcement", _("公告")
    CIRCULAR = "circular", _("通告")
    OPINION = "opinion", _("意见")
    MEASURE = "measure", _("办法")
    REGULATION = "regulation", _("规定")
    REPORT = "report", _("报告")
    PLAN = "plan", _("规划计划")
    NEWS = "news", _("动态信息")
    GUIDE = "guide", _("办事指南")
    INTERPRETATION = "interpretation", _("解读")
    TABLE = "table", _("统计表")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    PORTAL = "portal", _("门户网站")
    PRESS_CONFERENCE = "press_conference", _("新闻发布会")
    WEIBO = "weibo", _("政务微博")
    WECHAT = "wechat", _("政务微信")
    NOTICE_BOARD = "notice_board", _("公告栏")
    OTHER = "other", _("其他")


class LegalBasis(models.TextChoices):
    """Why a record is not proactive. 2019 Regulations articles (2007 equivalents in the label)."""

    ON_REQUEST_ART27 = "art27", _("第二十七条：依申请提供（2007年条例第十三条）")
    SECRET_ART14 = "art14_secret", _("第十四条：国家秘密")
    LAW_FORBIDS_ART14 = "art14_law", _("第十四条：法律、行政法规禁止公开")
    SECURITY_ART14 = "art14_security", _("第十四条：危及“三安全一稳定”")
    THIRD_PARTY_ART15 = "art15", _("第十五条：商业秘密、个人隐私等第三方合法权益")
    INTERNAL_ART16 = "art16_internal", _("第十六条第一款：内部事务信息")
    PROCESS_ART16 = "art16_process", _("第十六条第二款：过程性信息")
    CASE_FILE_ART16 = "art16_case", _("第十六条第二款：行政执法案卷信息")
