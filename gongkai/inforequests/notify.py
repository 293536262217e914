"""What the applicant is sent when the office acts. The letter that closes a case — the reply to a
disclosure request, or the decision on a correction request (Art. 41) — goes by e-mail as a
subscriber of the act's domain event (core/events.py): delivered by the job runner after commit,
retried with back-off when the mail server fails, sent once. A failure never undoes the act; it is
logged, and shown on the workbench jobs page, by tracking number only."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Final

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.core import clock, events
from gongkai.core.audit import log_event
from gongkai.core.models import OutboxEvent
from gongkai.inforequests.choices import Delivery, RequestKind
from gongkai.inforequests.letter_services import issued_letter_pdf
from gongkai.inforequests.models import Application, LetterDelivery

logger = logging.getLogger(__name__)

# A case closed on a day longer ago than this is history being recorded (paper cases typed in
# later, the demo replaying past years), not a letter to send now.
SEND_WITHIN_DAYS = 7

# The closing letters sent by e-mail, by the event that issues them: (letter kind, subject).
CLOSING_LETTERS: Final = {
    "inforequests.reply.approved": ("reply", gettext_lazy("政府信息公开申请答复书（受理编号 %(n)s）")),
    "inforequests.correction.decided": (
        "correction",
        gettext_lazy("更正政府信息申请答复书（受理编号 %(n)s）"),
    ),
}


class MailFailed(Exception):
    """The closing letter could not be mailed; the message names the kind of failure, no address."""


@events.subscribe("inforequests.reply.approved")
@events.subscribe("inforequests.correction.decided")
def mail_closing_letter(event: OutboxEvent) -> None:
    """E-mail the closing letter, with its issued PDF, to any address the applicant gave.

    Any address is used, whatever delivery they chose: the e-mail is a copy sent at once; a letter
    by post or for collection still goes its own way. Raises MailFailed, so the delivery is retried.
    """
    kind, subject = CLOSING_LETTERS[event.code]
    application = Application.objects.filter(pk=event.object_id).first()
    if application is None or not application.email or application.replied_on is None:
        return
    if application.replied_on < clock.today() - dt.timedelta(days=SEND_WITHIN_DAYS):
        return
    if LetterDelivery.objects.filter(
        application=application, letter_kind=kind, method=Delivery.EMAIL
    ).exists():
        return  # sent and recorded before a crash kept the delivery from being marked done
    tracking = application.tracking_number
    try:
        letter = issued_letter_pdf(application, kind)
        if letter is None:
            raise LookupError(f"no issued {kind} letter")
        filename, pdf = letter
        message = EmailMessage(
            str(subject) % {"n": tracking}, _closing_body(application), None, [application.email]
        )
        message.attach(filename, pdf, "application/pdf")
        message.send()
    except Exception as exc:
        # No traceback, no message: SMTP errors can carry the address. The office sees the case
        # number and the kind of failure, and the job runner tries again.
        logger.error("inforequests: %s e-mail for %s failed (%s)", kind, tracking, type(exc).__name__)
        raise MailFailed(f"{kind} {tracking}: {type(exc).__name__}") from None
    if event.actor_id is None:
        logger.error("inforequests: %s e-mail for %s sent, no actor to record it", kind, tracking)
        return
    record_email_delivery(application, actor_pk=event.actor_id, on=application.replied_on, letter_kind=kind)
    logger.info("inforequests: %s e-mail for %s sent", kind, tracking)


@transaction.atomic
def record_email_delivery(
    application: Application, *, actor_pk: int, on: dt.date, letter_kind: str = "reply"
) -> LetterDelivery:
    """The letter reached the applicant's mailbox on the day of the act (recorded by its actor)."""
    actor = User.objects.get(pk=actor_pk)
    delivery = LetterDelivery.objects.create(
        application=application,
        letter_kind=letter_kind,
        method=Delivery.EMAIL,
        delivered_on=on,
        reference=_("系统自动发送电子邮件"),
        recorded_by=actor,
    )
    log_event(
        "inforequests.letter.delivered",
        actor=actor,
        obj=application,
        after={
            "letter": letter_kind,
            "method": Delivery.EMAIL.value,
            "on": on.isoformat(),
            "automatic": True,
        },
    )
    return delivery


def _closing_body(application: Application) -> str:
    received = application.received_on
    values = {
        "received": f"{received.year}年{received.month}月{received.day}日",
        "n": application.tracking_number,
        "agency": _agency(),
    }
    if application.request_kind == RequestKind.CORRECTION:
        return (
            _(
                "您好：\n\n"
                "您于%(received)s提出的更正政府信息申请（受理编号 %(n)s）已经办结，答复书见本邮件附件（PDF）。\n"
                "您也可以在本机关门户网站“依申请公开—查询办理进度”页面，输入受理编号和查询码查看答复并下载答复书。\n\n"
                "本邮件由系统自动发送，请勿直接回复。\n\n%(agency)s"
            )
            % values
        )
    return (
        _(
            "您好：\n\n"
            "您于%(received)s提出的政府信息公开申请（受理编号 %(n)s）已经办结，答复书见本邮件附件（PDF）。\n"
            "您也可以在本机关门户网站“依申请公开—查询办理进度”页面，输入受理编号和查询码查看答复并下载答复书。\n\n"
            "本邮件由系统自动发送，请勿直接回复。\n\n%(agency)s"
        )
        % values
    )


def _agency() -> str:
    from django.conf import settings

    return str(settings.AGENCY_NAME)
