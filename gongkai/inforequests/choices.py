"""Vocabularies of disclosure on request. Outcomes are the result rows of national table 三,
each tied to the article that defines it (LEGAL.md; 国办公开办函〔2021〕30号)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    DISCLOSURE = "disclosure", _("政府信息公开申请")
    CORRECTION = "correction", _("更正政府信息申请（第四十一条）")


class ApplicantKind(models.TextChoices):
    """The applicant columns of table 三."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    SOCIAL_WELFARE = "social_welfare", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他组织")


class IntakeChannel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    LETTER = "letter", _("信函")
    IN_PERSON = "in_person", _("当面提交")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    PLATFORM = "platform", _("省统一平台")


class FormWanted(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    INSPECTION = "inspection", _("当场阅览")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    COLLECTION = "collection", _("自行领取")


class Status(models.TextChoices):
    RECEIVED = "received", _("已收到")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
    IN_CONSULTATION = "in_consultation", _("征求意见中")
    REPLY_DRAFTED = "reply_drafted", _("答复待审批")
    CLOSED = "closed", _("已办结")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset(
        {Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.IN_CONSULTATION, Status.REPLY_DRAFTED}
    ),
    Status.IN_PROGRESS: frozenset({Status.AWAITING_SUPPLEMENT, Status.IN_CONSULTATION, Status.REPLY_DRAFTED}),
    Status.AWAITING_SUPPLEMENT: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.IN_CONSULTATION: frozenset({Status.IN_PROGRESS}),
    Status.REPLY_DRAFTED: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
OPEN_STATUSES = frozenset(TRANSITIONS) - {Status.CLOSED}


class Outcome(models.TextChoices):
    """One value per result row of table 三."""

    GRANTED = "granted", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    DENIED_STATE_SECRET = "denied.state_secret", _("不予公开：属于国家秘密")
    DENIED_LAW_FORBID = "denied.law_forbid", _("不予公开：其他法律行政法规禁止公开")
    DENIED_SECURITY = "denied.three_security_one_stability", _("不予公开：危及“三安全一稳定”")
    DENIED_THIRD_PARTY = "denied.third_party", _("不予公开：保护第三方合法权益")
    DENIED_INTERNAL = "denied.internal_affairs", _("不予公开：属于三类内部事务信息")
    DENIED_PROCESS = "denied.process_info", _("不予公开：属于四类过程性信息")
    DENIED_CASE_FILE = "denied.enforcement_case_file", _("不予公开：属于行政执法案卷")
    DENIED_ADMIN_QUERY = "denied.admin_query", _("不予公开：属于行政查询事项")
    UNABLE_NOT_HELD = "unable.not_held", _("无法提供：本机关不掌握相关政府信息")
    UNABLE_NEEDS_CREATION = "unable.needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNABLE_UNCLEAR = "unable.unclear_after_correction", _("无法提供：补正后申请内容仍不明确")
    NOT_PROCESSED_PETITION = "not_processed.petition_complaint", _("不予处理：信访举报投诉类申请")
    NOT_PROCESSED_REPEAT = "not_processed.repeat", _("不予处理：重复申请")
    NOT_PROCESSED_PUBLICATION = "not_processed.publication", _("不予处理：要求提供公开出版物")
    NOT_PROCESSED_MASSIVE = "not_processed.massive_repeated", _("不予处理：无正当理由大量反复申请")
    NOT_PROCESSED_CONFIRM = "not_processed.confirm_or_reissue", _("不予处理：要求确认或重新出具已获取信息")
    OTHER_NO_CORRECTION = "other.overdue_no_correction", _("其他处理：逾期不补正，不再处理")
    OTHER_NO_FEE = "other.overdue_no_fee", _("其他处理：逾期未缴费，不再处理")
    OTHER = "other.other", _("其他处理：其他")


# The article of the 2019 Regulations each outcome rests on (2007 equivalents where they differ).
OUTCOME_ARTICLES: dict[str, str] = {
    Outcome.GRANTED: "第三十六条第（一）（二）项",
    Outcome.PARTIAL: "第三十七条",
    Outcome.DENIED_STATE_SECRET: "第十四条",
    Outcome.DENIED_LAW_FORBID: "第十四条",
    Outcome.DENIED_SECURITY: "第十四条",
    Outcome.DENIED_THIRD_PARTY: "第十五条",
    Outcome.DENIED_INTERNAL: "第十六条第一款",
    Outcome.DENIED_PROCESS: "第十六条第二款",
    Outcome.DENIED_CASE_FILE: "第十六条第二款",
    Outcome.DENIED_ADMIN_QUERY: "第三十六条第（七）项",
    Outcome.UNABLE_NOT_HELD: "第三十六条第（四）（五）项",
    Outcome.UNABLE_NEEDS_CREATION: "第三十八条",
    Outcome.UNABLE_UNCLEAR: "第三十条",
    Outcome.NOT_PROCESSED_PETITION: "第三十九条第一款",
    Outcome.NOT_PROCESSED_REPEAT: "第三十六条第（六）项",
    Outcome.NOT_PROCESSED_PUBLICATION: "第三十九条第二款",
    Outcome.NOT_PROCESSED_MASSIVE: "第三十五条",
    Outcome.NOT_PROCESSED_CONFIRM: "第三十六条",
    Outcome.OTHER_NO_CORRECTION: "第三十条",
    Outcome.OTHER_NO_FEE: "第四十二条；国办函〔2020〕109号",
    Outcome.OTHER: "",
}
# Outcomes that refuse the applicant something: the letter must state the remedies.
ADVERSE_OUTCOMES = frozenset(o for o in Outcome.values if o != Outcome.GRANTED)


class CorrectionOutcome(models.TextChoices):
    """The decision on a request to correct inaccurate information about the applicant (2019 Art. 41).

    Not a row of table 三: correction requests are counted apart (stats.corrections)."""

    CORRECTED = "corrected", _("已核实并更正")
    FORWARDED = "forwarded", _("无权更正，已转送有权机关")
    NOT_INACCURATE = "not_inaccurate", _("经核实，信息准确，不予更正")


# Decisions that do not give the applicant the correction asked for: the letter states the remedies.
ADVERSE_CORRECTIONS = frozenset({CorrectionOutcome.FORWARDED.value, CorrectionOutcome.NOT_INACCURATE.value})

CORRECTION_ARTICLE = "第四十一条"
CORRECTION_LEGAL_BASIS = "《中华人民共和国政府信息公开条例》第四十一条"
# A request received under the 2007 Regulations: Art. 25 para. 2 gave the same right.
CORRECTION_LEGAL_BASIS_2007 = "《中华人民共和国政府信息公开条例》（国务院令第492号）第二十五条第二款"


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("补正")
    THIRD_PARTY = "third_party", _("征求第三方意见")
    OTHER_AGENCY = "other_agency", _("征求其他机关意见")
    FEE = "fee", _("待缴纳信息处理费")


class FeeMethod(models.TextChoices):
    """国办函〔2020〕109号: one method per application, never both."""

    PER_APPLICATION = "per_application", _("按件计收")
    PER_VOLUME = "per_volume", _("按量计收")


class ReviewKind(models.TextChoices):
    """The three groups of table 四."""

    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
    LITIGATION_AFTER = "litigation_after", _("行政诉讼（复议后起诉）")


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")
