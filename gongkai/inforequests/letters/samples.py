"""Filled-in example letters of every kind and reply outcome (tests, benchmark, previews)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Final

from .context import KINDS, KINDS_WITH_OUTCOME, Contact, LetterContext
from .defaults import build_context, reply_outcomes

SAMPLE_FIELDS: Final[dict[str, Any]] = {
    "reply_due": dt.date(2019, 6, 18),
    "supplement_items": "请写明所需信息的文件名称、文号或者其他足以确定该信息的特征描述。",
    "supplement_due": dt.date(2019, 6, 5),
    "extension_reason": "所申请信息涉及年份跨度大、需要调取档案查找",
    "extended_until": dt.date(2019, 7, 16),
    "applicant": "张三",
    "third_party_interest": "商业秘密",
    "reply_by": dt.date(2019, 6, 10),
    # As fees.fee_basis(PER_APPLICATION, 12, with_amount=False) words it (a test keeps them equal).
    "fee_basis": (
        "按件计收，同一申请人一个自然月内的第12件申请，适用每件100元的标准（10件以内不收费；11—30件每件100元；"
        "31件以上每10件为一档，每增加一档每件提高100元）"
    ),
    "fee_amount": "100",
    "pay_by": dt.date(2019, 6, 28),
    "payment_method": "非税收入缴款系统",
    "delivery_form": "电子邮件",
    "provision_details": "详见附件。",
    "where_published": "吉林省公安厅门户网站“政府信息公开”栏目（http://gat.jl.gov.cn/），2019年1月10日发布。",
    "withheld": "当事人姓名、身份证号码",
    "withheld_reason": "属于个人隐私，公开后会对第三方合法权益造成损害。",
    "denial_reason": "属于法律、行政法规禁止公开的信息",
    "forbidding_law": "《中华人民共和国居民身份证法》",
    "internal_category": "人事管理",
    "process_category": "内部讨论记录",
    "special_regime": "《中华人民共和国道路交通安全法》",
    "query_office": "车辆管理所",
    "holder": "吉林省交通运输厅",
    "holder_contact": "0431-88888888",
    "supplement_sent": dt.date(2019, 5, 24),
    "previous_application_date": dt.date(2019, 3, 1),
    "previous_reply_date": dt.date(2019, 3, 20),
    "previous_tracking_number": "JLGA-2019-0003",
    "publication": "吉林年鉴（2018）",
    "publication_source": "公共图书馆或者出版发行单位",
    "fee_notice_sent": dt.date(2019, 5, 27),
    "outcome_text": "您的申请已于2019年6月1日撤回，本机关终止处理。",
    "correction_note": "经核对户籍档案和您提供的出生医学证明，已将出生日期由1980年1月1日更正为1980年1月10日。",
    "forwarded_to": "长春市公安局朝阳区分局",
}
# What the office tells the applicant, per decision on a correction request (Art. 41).
CORRECTION_NOTES: Final[dict[str, str]] = {
    "corrected": SAMPLE_FIELDS["correction_note"],
    "forwarded": "您的户籍登记由长春市公安局朝阳区分局负责，联系电话：0431-88888888。",
    "not_inaccurate": "经核对户籍档案，您的出生日期登记与原始申报材料一致；您提供的材料不足以证明登记有误。",
}
CORRECTION_TITLE: Final = "本人户籍登记信息中的出生日期"

COMMON: Final[dict[str, Any]] = {
    "issuing_organ": "吉林省公安厅",
    "recipient": "张三",
    "tracking_number": "JLGA-2019-0015",
    "received_on": dt.date(2019, 5, 20),
    "title_of_request": "2018年全省道路交通事故统计数据",
    "date_issued": dt.date(2019, 6, 13),
    "reconsideration_organ": "吉林省人民政府",
    "contact": Contact("吉林省公安厅政务公开办公室", "0431-82098114"),
}


def sample(kind: str, outcome: str | None = None, rules: str = "2019", **more: Any) -> LetterContext:
    fields = {**COMMON, **SAMPLE_FIELDS, **more}
    if kind == "consultation":
        fields["recipient"] = "吉林省某某科技有限公司"
    if kind == "correction":
        fields["title_of_request"] = more.get("title_of_request", CORRECTION_TITLE)
        fields["correction_note"] = more.get("correction_note", CORRECTION_NOTES.get(outcome or "", ""))
    number = {"reply": "吉公依复〔2019〕15号", "correction": "吉公依更〔2019〕3号"}.get(kind)
    return build_context(kind, outcome=outcome, rules=rules, doc_number=number, strict=True, **fields)


def all_samples(rules: str = "2019") -> Iterator[tuple[str, LetterContext]]:
    """(label, context) for every kind without outcomes, every reply outcome and every decision on a
    correction request of a rule set."""
    for kind in KINDS:
        if kind not in KINDS_WITH_OUTCOME:
            yield kind, sample(kind, rules=rules)
    for kind in KINDS_WITH_OUTCOME:
        for outcome in reply_outcomes(rules, kind):
            yield f"{kind}-{outcome}", sample(kind, outcome, rules=rules)
