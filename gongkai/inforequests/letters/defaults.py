"""Default wording of each letter, as data, and ``build_context`` which fills it in.

``TEMPLATES[rules][key]`` is a plain dict (title, paragraphs, legal_basis, remedies) whose strings carry
``{placeholders}``. ``key`` is the letter kind, or ``"reply:<outcome>"`` for a reply, where the outcome
is a row key of table 三 of the 2021 annual-report format (``"granted"``, ``"denied.third_party"``,
``"unable.not_held"``, ...) optionally refined after a further dot (``"granted.already_public"``).
The office's edited wording (a DB row per key) is passed as ``overrides`` and wins key by key.

Placeholders every template may use: recipient, applicant, issuing_organ, tracking_number,
received_date, title_of_request, date_issued. Others are named in the template and passed as fields;
one left unfilled prints as a blank line ``______`` (or raises with ``strict=True``).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from typing import Any, Final, TypedDict

from .context import KIND_NAMES, KINDS_WITH_OUTCOME, Contact, LetterContext, cn_date


class Template(TypedDict, total=False):
    title: str
    paragraphs: list[str]
    legal_basis: str
    remedies: bool


BLANK: Final = "______"

_OPENING: Final = (
    "本机关于{received_date}收到您提出的政府信息公开申请（申请编号：{tracking_number}），"
    "申请获取“{title_of_request}”。"
)
_OPENING_REPLY: Final = _OPENING + "经审查，现答复如下："
_R19: Final = "《中华人民共和国政府信息公开条例》"
_R07: Final = "《中华人民共和国政府信息公开条例》（国务院令第492号）"
# A request to correct a record about the applicant; the office's note to the applicant follows.
_OPENING_CORRECTION: Final = (
    "本机关于{received_date}收到您提出的更正政府信息申请（申请编号：{tracking_number}），"
    "要求更正“{title_of_request}”。经审核，现告知如下："
)


def _corrections(basis: str) -> dict[str, Template]:
    """The three decisions on a correction request (2019 Art. 41; 2007 Art. 25 para. 2). Forwarding
    and refusing are adverse: the applicant is told the remedies."""
    return {
        "correction:corrected": {
            "paragraphs": [
                _OPENING_CORRECTION,
                "您提供的证据证明该政府信息记录确实不准确，本机关已予以更正。",
                "{correction_note}",
            ],
            "legal_basis": basis,
        },
        "correction:forwarded": {
            "paragraphs": [
                _OPENING_CORRECTION,
                "您要求更正的政府信息不属于本机关职能范围，本机关无权更正。"
                "本机关已将您的申请转送{forwarded_to}处理，请您与其联系。",
                "{correction_note}",
            ],
            "legal_basis": basis,
            "remedies": True,
        },
        "correction:not_inaccurate": {
            "paragraphs": [
                _OPENING_CORRECTION,
                "您提供的证据不能证明该政府信息记录不准确，本机关不予更正。",
                "{correction_note}",
            ],
            "legal_basis": basis,
            "remedies": True,
        },
    }


# ------------------------------------------------------------------------------------------------
# 2019 Regulations (国务院令第711号), in force from 2019-05-15.
# ------------------------------------------------------------------------------------------------
TEMPLATES_2019: Final[dict[str, Template]] = {
    "acknowledgement": {
        "paragraphs": [
            _OPENING + "您的申请内容明确、要素齐全，本机关已予受理。",
            "本机关将自收到申请之日起20个工作日内（即{reply_due}前）作出答复；"
            "需要延长答复期限的，将另行书面告知，延长的期限最长不超过20个工作日。"
            "征求第三方和其他机关意见所需时间不计算在上述期限内。",
        ],
        "legal_basis": f"{_R19}第三十一条、第三十三条",
    },
    "supplement": {
        "paragraphs": [
            _OPENING + "经审查，您的申请内容不明确，本机关无法确定您所需的政府信息。",
            "请您对申请作如下补正：{supplement_items}",
            "请于{supplement_due}前将补正后的申请提交本机关。答复期限自本机关收到补正的申请之日起计算。"
            "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        ],
        "legal_basis": f"{_R19}第三十条",
    },
    "extension": {
        "paragraphs": [
            _OPENING + "因{extension_reason}，本机关无法在法定期限内作出答复。",
            "经本机关政府信息公开工作机构负责人同意，答复期限延长20个工作日，"
            "本机关将于{extended_until}前作出答复。",
        ],
        "legal_basis": f"{_R19}第三十三条第二款",
    },
    "consultation": {
        "paragraphs": [
            "本机关于{received_date}收到{applicant}提出的政府信息公开申请（申请编号：{tracking_number}），"
            "申请获取“{title_of_request}”。经审查，该信息可能涉及贵方的{third_party_interest}，"
            "公开后可能损害贵方合法权益，现书面征求贵方意见。",
            "请贵方自收到本函之日起15个工作日内，就是否同意公开上述信息提出书面意见，并说明理由。"
            "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。",
            "第三方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，"
            "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。",
        ],
        "legal_basis": f"{_R19}第十五条、第三十二条",
    },
    "fee_notice": {
        "paragraphs": [
            _OPENING + "经审查，您申请的数量、频次明显超过合理范围，本机关依法收取信息处理费。",
            "收费标准：{fee_basis}。应缴费用：人民币{fee_amount}元。",
            "请您自收到本通知之日起20个工作日内（即{pay_by}前）通过{payment_method}缴纳。"
            "答复期限自您缴纳费用之日起计算。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        ],
        "legal_basis": f"{_R19}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    },
    # -- replies (Art. 36), one per outcome ---------------------------------------------------------
    "reply:granted": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息属于公开范围，本机关予以公开。现通过{delivery_form}向您提供，{provision_details}",
        ],
        "legal_basis": f"{_R19}第三十六条第（二）项",
        "remedies": True,
    },
    "reply:granted.already_public": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息本机关已经主动公开，您可以通过以下途径获取：{where_published}",
        ],
        "legal_basis": f"{_R19}第三十六条第（一）项",
        "remedies": True,
    },
    "reply:partial": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息中含有不应当公开的内容：{withheld}，{withheld_reason}"
            "该部分内容能够作区分处理，本机关对其作区分处理后，向您提供可以公开的部分。"
            "现通过{delivery_form}向您提供。",
        ],
        "legal_basis": f"{_R19}第三十七条、第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied": {
        "paragraphs": [_OPENING_REPLY, "您申请获取的政府信息{denial_reason}，本机关不予公开。"],
        "legal_basis": f"{_R19}第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied.state_secret": {
        "paragraphs": [_OPENING_REPLY, "您申请获取的政府信息属于国家秘密，本机关不予公开。"],
        "legal_basis": f"{_R19}第十四条、第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied.law_forbid": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息属于{forbidding_law}禁止公开的政府信息，本机关不予公开。",
        ],
        "legal_basis": f"{_R19}第十四条、第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied.three_security_one_stability": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关不予公开。",
        ],
        "legal_basis": f"{_R19}第十四条、第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied.third_party": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息涉及{third_party_interest}，公开后会对第三方合法权益造成损害。"
            "本机关已书面征求第三方意见，第三方不同意公开，且不公开不会对公共利益造成重大影响，本机关不予公开。",
        ],
        "legal_basis": f"{_R19}第十五条、第三十二条、第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied.internal_affairs": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息属于本机关的内部事务信息（{internal_category}），本机关不予公开。",
        ],
        "legal_basis": f"{_R19}第十六条第一款、第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied.process_info": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息属于本机关在履行行政管理职能过程中形成的过程性信息"
            "（{process_category}），本机关不予公开。",
        ],
        "legal_basis": f"{_R19}第十六条第二款、第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied.enforcement_case_file": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息属于行政执法案卷信息，法律、法规、规章未规定应当公开，本机关不予公开。",
        ],
        "legal_basis": f"{_R19}第十六条第二款、第三十六条第（三）项",
        "remedies": True,
    },
    "reply:denied.admin_query": {
        "paragraphs": [
            _OPENING_REPLY,
            "您所申请的事项属于行政查询事项，法律、行政法规对该信息的获取有特别规定，"
            "请您按照{special_regime}的规定向{query_office}办理。",
        ],
        "legal_basis": f"{_R19}第三十六条第（七）项",
        "remedies": True,
    },
    "reply:unable.not_exist": {
        "paragraphs": [
            _OPENING_REPLY,
            "经检索查找，本机关未制作或者获取过您申请获取的政府信息，该政府信息不存在。",
        ],
        "legal_basis": f"{_R19}第三十六条第（四）项",
        "remedies": True,
    },
    "reply:unable.not_held": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息不属于本机关负责公开。经了解，该信息由{holder}负责公开，"
            "联系方式：{holder_contact}，请您向其提出申请。",
        ],
        "legal_basis": f"{_R19}第三十六条第（五）项",
        "remedies": True,
    },
    "reply:unable.needs_creation": {
        "paragraphs": [
            _OPENING_REPLY,
            "本机关没有您所需要的现成信息，您的申请需要本机关对现有政府信息进行加工、分析，"
            "本机关可以不予提供。",
        ],
        "legal_basis": f"{_R19}第三十八条",
        "remedies": True,
    },
    "reply:unable.unclear_after_correction": {
        "paragraphs": [
            _OPENING_REPLY,
            "本机关已于{supplement_sent}书面告知您补正申请，您提交的补正内容仍不明确，"
            "本机关无法确定您所需的政府信息，无法向您提供。",
        ],
        "legal_basis": f"{_R19}第三十条",
        "remedies": True,
    },
    "reply:not_processed.petition_complaint": {
        "paragraphs": [
            _OPENING_REPLY,
            "您的申请以政府信息公开申请的形式进行信访、投诉、举报，不属于政府信息公开申请，"
            "本机关不作为政府信息公开申请处理。请您依照《信访工作条例》等规定，通过相应渠道反映。",
        ],
        "legal_basis": f"{_R19}第三十九条第一款",
        "remedies": True,
    },
    "reply:not_processed.repeat": {
        "paragraphs": [
            _OPENING_REPLY,
            "您已于{previous_application_date}就相同内容向本机关提出申请，本机关已于{previous_reply_date}"
            "作出答复（申请编号：{previous_tracking_number}）。您本次提出的申请属于重复申请，本机关不予重复处理。",
        ],
        "legal_basis": f"{_R19}第三十六条第（六）项",
        "remedies": True,
    },
    "reply:not_processed.publication": {
        "paragraphs": [
            _OPENING_REPLY,
            "您要求提供的信息属于公开出版物《{publication}》，本机关不作为政府信息公开申请处理。"
            "您可以通过{publication_source}获取。",
        ],
        "legal_basis": f"{_R19}第三十九条第二款",
        "remedies": True,
    },
    "reply:not_processed.massive_repeated": {
        "paragraphs": [
            _OPENING_REPLY,
            "您的申请数量、频次明显超过合理范围，且未能说明理由。经审查，您说明的理由不合理，本机关不予处理。",
        ],
        "legal_basis": f"{_R19}第三十五条",
        "remedies": True,
    },
    "reply:not_processed.confirm_or_reissue": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请的内容是要求本机关确认或者重新出具您已获取的信息，不属于政府信息公开申请的范围，"
            "本机关不作为政府信息公开申请处理。",
        ],
        "legal_basis": f"{_R19}第二条、第三十六条",
        "remedies": True,
    },
    "reply:other.overdue_no_correction": {
        "paragraphs": [
            _OPENING,
            "本机关已于{supplement_sent}书面告知您补正申请，您无正当理由逾期未补正，视为放弃申请，"
            "本机关不再处理该政府信息公开申请。",
        ],
        "legal_basis": f"{_R19}第三十条",
        "remedies": True,
    },
    "reply:other.overdue_no_fee": {
        "paragraphs": [
            _OPENING,
            "本机关已于{fee_notice_sent}向您发出收费通知，您逾期未按收费通知要求缴纳费用，视为放弃申请，"
            "本机关不再处理该政府信息公开申请。",
        ],
        "legal_basis": f"{_R19}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
        "remedies": True,
    },
    "reply:other.other": {
        "paragraphs": [_OPENING_REPLY, "{outcome_text}"],
        "legal_basis": f"{_R19}第三十六条",
        "remedies": True,
    },
    # -- a request to correct information about the applicant (Art. 41) ----------------------------
    **_corrections(f"{_R19}第四十一条"),
}

# ------------------------------------------------------------------------------------------------
# 2007 Regulations (国务院令第492号), 2008-05-01 .. 2019-05-14: four reply types (Art. 21),
# partial disclosure (Art. 22), third parties (Art. 23), time limits (Art. 24), fees (Art. 27).
# ------------------------------------------------------------------------------------------------
TEMPLATES_2007: Final[dict[str, Template]] = {
    "acknowledgement": {
        "paragraphs": [
            _OPENING + "本机关已予受理。",
            "本机关将自收到申请之日起15个工作日内（即{reply_due}前）作出答复；"
            "需要延长答复期限的，将另行告知，延长的期限最长不超过15个工作日。"
            "征求第三方意见所需时间不计算在上述期限内。",
        ],
        "legal_basis": f"{_R07}第二十四条",
    },
    "supplement": {
        "paragraphs": [
            _OPENING + "经审查，您的申请内容不明确。",
            "请您对申请作如下更改、补充：{supplement_items}",
            "请于{supplement_due}前将更改、补充后的申请提交本机关。",
        ],
        "legal_basis": f"{_R07}第二十一条第（四）项",
    },
    "extension": {
        "paragraphs": [
            _OPENING + "因{extension_reason}，本机关无法在法定期限内作出答复。",
            "经本机关政府信息公开工作机构负责人同意，答复期限延长15个工作日，"
            "本机关将于{extended_until}前作出答复。",
        ],
        "legal_basis": f"{_R07}第二十四条第二款",
    },
    "consultation": {
        "paragraphs": [
            "本机关于{received_date}收到{applicant}提出的政府信息公开申请（申请编号：{tracking_number}），"
            "申请获取“{title_of_request}”。经审查，该信息涉及贵方的{third_party_interest}，"
            "公开后可能损害贵方合法权益，现书面征求贵方意见。",
            "请贵方于{reply_by}前就是否同意公开上述信息提出书面意见。第三方不同意公开的，本机关不予公开；"
            "但本机关认为不公开可能对公共利益造成重大影响的，将予以公开，"
            "并将决定公开的政府信息内容和理由书面通知贵方。",
        ],
        "legal_basis": f"{_R07}第二十三条",
    },
    "fee_notice": {
        "paragraphs": [
            _OPENING + "本机关依申请提供政府信息，收取检索、复制、邮寄等成本费用。",
            "收费项目及标准：{fee_basis}。应缴费用：人民币{fee_amount}元。",
            "请您于{pay_by}前通过{payment_method}缴纳。申请人确有经济困难的，经本人申请、"
            "本机关政府信息公开工作机构负责人审核同意，可以减免相关费用。",
        ],
        "legal_basis": f"{_R07}第二十七条、第二十八条",
    },
    "reply:granted": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息属于公开范围，现通过{delivery_form}向您提供，{provision_details}",
        ],
        "legal_basis": f"{_R07}第二十一条第（一）项",
        "remedies": True,
    },
    "reply:granted.already_public": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息属于公开范围，本机关已经主动公开，您可以通过以下途径获取：{where_published}",
        ],
        "legal_basis": f"{_R07}第二十一条第（一）项",
        "remedies": True,
    },
    "reply:partial": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息中含有不应当公开的内容：{withheld}，{withheld_reason}"
            "该部分内容能够作区分处理，本机关向您提供可以公开的信息内容，现通过{delivery_form}向您提供。",
        ],
        "legal_basis": f"{_R07}第二十二条",
        "remedies": True,
    },
    "reply:denied": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息{denial_reason}，属于不予公开的范围，本机关不予公开。",
        ],
        "legal_basis": f"{_R07}第十四条第四款、第二十一条第（二）项",
        "remedies": True,
    },
    "reply:denied.third_party": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息涉及{third_party_interest}，本机关已书面征求第三方意见，第三方不同意公开，"
            "本机关不予公开。",
        ],
        "legal_basis": f"{_R07}第二十一条第（二）项、第二十三条",
        "remedies": True,
    },
    "reply:unable.not_exist": {
        "paragraphs": [_OPENING_REPLY, "经检索查找，您申请获取的政府信息不存在。"],
        "legal_basis": f"{_R07}第二十一条第（三）项",
        "remedies": True,
    },
    "reply:unable.not_held": {
        "paragraphs": [
            _OPENING_REPLY,
            "您申请获取的政府信息依法不属于本机关公开。该信息的公开机关为{holder}，"
            "联系方式：{holder_contact}，请您向其提出申请。",
        ],
        "legal_basis": f"{_R07}第二十一条第（三）项",
        "remedies": True,
    },
    "reply:other.other": {
        "paragraphs": [_OPENING_REPLY, "{outcome_text}"],
        "legal_basis": f"{_R07}第二十一条",
        "remedies": True,
    },
    **_corrections(f"{_R07}第二十五条第二款"),
}

TEMPLATES: Final[dict[str, dict[str, Template]]] = {"2019": TEMPLATES_2019, "2007": TEMPLATES_2007}

# Outcomes that are refinements of a table 三 row (counted in that row of the annual report).
_TABLE3_ALIASES: Final[dict[str, str]] = {
    "unable.not_exist": "unable.not_held",
    "denied": "denied.law_forbid",
}


def table3_key(outcome: str) -> str:
    """The table 三 row a reply outcome is counted in: ``granted.already_public`` -> ``granted``."""
    if outcome in _TABLE3_ALIASES:
        return _TABLE3_ALIASES[outcome]
    head, _, rest = outcome.partition(".")
    if head in ("granted", "partial"):
        return head
    return f"{head}.{rest.split('.')[0]}" if rest else head


def template_key(kind: str, outcome: str | None = None) -> str:
    if kind in KINDS_WITH_OUTCOME:
        if not outcome:
            raise ValueError(f"a {kind} letter needs an outcome, e.g. 'granted' or 'corrected'")
        return f"{kind}:{outcome}"
    return kind


def find_template(
    kind: str,
    outcome: str | None = None,
    rules: str = "2019",
    overrides: Mapping[str, Template] | None = None,
) -> Template:
    """The template for a letter: the override for the key, else the default; an outcome not in
    the rule set falls back to its parent key (``denied.x`` -> ``denied``, 2007 has fewer types)."""
    key = template_key(kind, outcome)
    defaults = TEMPLATES[rules]
    candidates = [key]
    while ":" in key and "." in key:
        key = key.rsplit(".", 1)[0]
        candidates.append(key)
    for candidate in candidates:
        base = defaults.get(candidate)
        override = (overrides or {}).get(candidate)
        if base is not None or override is not None:
            merged: Template = {"title": "", "paragraphs": [], "legal_basis": "", "remedies": False}
            merged.update(base or {})
            merged.update(override or {})
            return merged
    raise KeyError(f"no {rules} letter template for {candidates[0]!r}")


class _Fill(dict[str, str]):
    def __init__(self, values: Mapping[str, str]) -> None:
        super().__init__(values)
        self.missing: list[str] = []

    def __missing__(self, key: str) -> str:
        self.missing.append(key)
        return BLANK


def placeholders(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def fill(text: str, values: Mapping[str, str], strict: bool = False) -> str:
    mapping = _Fill(values)
    result = text.format_map(mapping)
    if strict and mapping.missing:
        raise KeyError(f"letter text needs {', '.join(sorted(set(mapping.missing)))}")
    return result


def _as_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return cn_date(value)
    return str(value)


def build_context(
    kind: str,
    *,
    issuing_organ: str,
    recipient: str,
    tracking_number: str,
    received_on: dt.date,
    title_of_request: str,
    date_issued: dt.date,
    outcome: str | None = None,
    rules: str = "2019",
    doc_number: str | None = None,
    reconsideration_organ: str = "",
    court: str | None = None,
    seal_text: str = "",
    contact: Contact | None = None,
    attachments_list: Sequence[str] = (),
    body_paragraphs: Sequence[str] | None = None,
    legal_basis: str | None = None,
    remedies: bool | None = None,
    overrides: Mapping[str, Template] | None = None,
    strict: bool = False,
    **fields: Any,
) -> LetterContext:
    """A letter with the default (or overridden) wording for its kind and outcome, filled in.

    ``fields`` are the template's own placeholders (``holder="吉林省人民政府办公厅"``, dates as
    ``datetime.date``). Explicit ``body_paragraphs`` / ``legal_basis`` / ``remedies`` win over the template.
    """
    if kind not in KIND_NAMES:
        raise ValueError(f"unknown letter kind {kind!r}")
    try:
        template = find_template(kind, outcome, rules, overrides)
    except KeyError:
        if body_paragraphs is None:
            raise
        template = {}  # the caller wrote the letter; no default wording needed for this outcome
    values = {name: _as_text(value) for name, value in fields.items()}
    values.update(
        recipient=recipient,
        applicant=values.get("applicant", recipient),
        issuing_organ=issuing_organ,
        tracking_number=tracking_number,
        received_date=cn_date(received_on),
        title_of_request=title_of_request,
        date_issued=cn_date(date_issued),
    )
    paragraphs = (
        list(body_paragraphs)
        if body_paragraphs is not None
        else [fill(p, values, strict) for p in template.get("paragraphs", [])]
    )
    return LetterContext(
        kind=kind,
        issuing_organ=issuing_organ,
        recipient=recipient,
        tracking_number=tracking_number,
        received_on=received_on,
        title_of_request=title_of_request,
        date_issued=date_issued,
        body_paragraphs=tuple(paragraphs),
        legal_basis=legal_basis
        if legal_basis is not None
        else fill(template.get("legal_basis", ""), values, strict),
        remedies=remedies if remedies is not None else bool(template.get("remedies", False)),
        reconsideration_organ=reconsideration_organ,
        court=court,
        doc_number=doc_number,
        title=fill(template.get("title", ""), values, strict),
        seal_text=seal_text,
        contact=contact,
        attachments_list=tuple(attachments_list),
        outcome=outcome,
        rules=rules,
    )


def reply_outcomes(rules: str = "2019", kind: str = "reply") -> list[str]:
    """Every reply outcome (or correction decision, ``kind="correction"``) with its own default
    wording in a rule set."""
    return [key.split(":", 1)[1] for key in TEMPLATES[rules] if key.startswith(f"{kind}:")]
