"""What the applicant is sent when the office acts. The reply letter goes by e-mail once the approval
is committed; a failure to send never undoes the approval and is logged by tracking number only."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.core import clock
from gongkai.core.audit import log_event
from gongkai.inforequests.choices import Delivery
from gongkai.inforequests.models import Application, LetterDelivery

logger = logging.getLogger(__name__)

# A reply approved for a day longer ago than this is history being recorded (paper cases typed in
# later, the demo replaying past years), not a reply to send now.
SEND_WITHIN_DAYS = 7


def reply_approved(application: Application, *, actor: User) -> None:
    """Called inside do_approve_reply: e-mail the reply letter after commit, if there is an address.

    Any address the applicant gave is used, whatever delivery they chose: the e-mail is a copy sent
    at once; a letter by post or for collection still goes its own way.
    """
    if not application.email:
        return
    pk, actor_pk = application.pk, actor.pk
    transaction.on_commit(lambda: send_reply(pk, actor_pk))


def send_reply(application_pk: int, actor_pk: int) -> bool:
    """Render the reply letter, e-mail it with the PDF attached and record the delivery."""
    application = Application.objects.filter(pk=application_pk).first()
    if application is None or not application.email or application.replied_on is None:
        return False
    if application.replied_on < clock.today() - dt.timedelta(days=SEND_WITHIN_DAYS):
        return False
    tracking = application.tracking_number
    try:
        from gongkai.inforequests.letters.build import context_for
        from gongkai.inforequests.letters.pdf import render_pdf

        pdf = render_pdf(context_for(application, "reply", on=application.replied_on))
        message = EmailMessage(
            _("政府信息公开申请答复书（受理编号 %(n)s）") % {"n": tracking},
            _reply_body(application),
            None,
            [application.email],
        )
        message.attach(f"reply-{tracking}.pdf", pdf, "application/pdf")
        message.send()
    except Exception as exc:
        # No traceback: SMTP errors can carry the address. The office sees the case number and
        # the kind of failure, and delivers the letter another way.
        logger.error("inforequests: reply e-mail for %s failed (%s)", tracking, type(exc).__name__)
        return False
    try:
        record_email_delivery(application, actor_pk=actor_pk, on=application.replied_on)
    except Exception as exc:
        logger.error(
            "inforequests: reply e-mail for %s sent, not recorded (%s)", tracking, type(exc).__name__
        )
    logger.info("inforequests: reply e-mail for %s sent", tracking)
    return True


@transaction.atomic
def record_email_delivery(application: Application, *, actor_pk: int, on: dt.date) -> LetterDelivery:
    """The reply reached the applicant's mailbox on the approval day (recorded by the approver)."""
    actor = User.objects.get(pk=actor_pk)
    delivery = LetterDelivery.objects.create(
        application=application,
        letter_kind="reply",
        method=Delivery.EMAIL,
        delivered_on=on,
        reference=_("系统自动发送电子邮件"),
        recorded_by=actor,
    )
    log_event(
        "inforequests.letter.delivered",
        actor=actor,
        obj=application,
        after={"letter": "reply", "method": Delivery.EMAIL.value, "on": on.isoformat(), "automatic": True},
    )
    return delivery


def _reply_body(application: Application) -> str:
    return _(
        "您好：\n\n"
        "您于%(received)s提出的政府信息公开申请（受理编号 %(n)s）已经办结，答复书见本邮件附件（PDF）。\n"
        "您也可以在本机关门户网站“依申请公开—查询办理进度”页面，输入受理编号和查询码查看答复并下载答复书。\n\n"
        "本邮件由系统自动发送，请勿直接回复。\n\n%(agency)s"
    ) % {
        "received": f"{application.received_on.year}年{application.received_on.month}月{application.received_on.day}日",
        "n": application.tracking_number,
        "agency": _agency(),
    }


def _agency() -> str:
    from django.conf import settings

    return str(settings.AGENCY_NAME)
