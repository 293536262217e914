"""The event vocabulary of disclosure on request: the dotted codes its services write, in words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gongkai.core.audit import register_action_labels

register_action_labels(
    {
        "inforequests.application.received": gettext_lazy("收到申请"),
        "inforequests.application.accepted": gettext_lazy("受理"),
        "inforequests.application.supplement_requested": gettext_lazy("告知补正"),
        "inforequests.application.supplemented": gettext_lazy("收到补正"),
        "inforequests.application.abandoned": gettext_lazy("逾期未补正，视为放弃"),
        "inforequests.application.consultation_started": gettext_lazy("开始征求意见"),
        "inforequests.application.consultation_ended": gettext_lazy("征求意见结束"),
        "inforequests.application.extended": gettext_lazy("延期答复"),
        "inforequests.application.assigned": gettext_lazy("交办部门"),
        "inforequests.assignment.answered": gettext_lazy("部门答复意见"),
        "inforequests.assignment.identity_shared": gettext_lazy("向交办部门提供申请人身份信息"),
        "inforequests.assignment.identity_unshared": gettext_lazy("撤回向交办部门提供的申请人身份信息"),
        "inforequests.reply.drafted": gettext_lazy("起草答复"),
        "inforequests.reply.returned": gettext_lazy("退回答复"),
        "inforequests.reply.approved": gettext_lazy("审批答复，办结"),
        "inforequests.correction.decided": gettext_lazy("作出更正决定，办结（第四十一条）"),
        "inforequests.letter.delivered": gettext_lazy("登记送达"),
        "inforequests.review.filed": gettext_lazy("登记复议/诉讼"),
        "inforequests.review.decided": gettext_lazy("登记复议/诉讼结果"),
        "inforequests.fee.notice_issued": gettext_lazy("发出收费通知（期间不计入答复期限）"),
        "inforequests.fee.paid": gettext_lazy("登记缴纳信息处理费"),
        "inforequests.fee.waived": gettext_lazy("免收信息处理费"),
        "inforequests.fee.lapsed": gettext_lazy("逾期未缴费，不再处理"),
        "inforequests.letter.issued": gettext_lazy("发出文书（存档 PDF、DOCX 及校验值）"),
        "inforequests.letter.generated": gettext_lazy("生成文书"),
        "inforequests.letter_template.saved": gettext_lazy("修改文书模板"),
        "inforequests.letter_template.reset": gettext_lazy("恢复默认文书模板"),
        "inforequests.integration.token_issued": gettext_lazy("签发接入令牌"),
    }
)
