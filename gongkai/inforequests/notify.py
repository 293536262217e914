"""What the applicant is sent when the office acts. The letter that closes a case — the reply to a
disclosure request, or the decision on a correction request (Art. 41) — goes by e-mail once the act
is committed; a failure to send never undoes it and is logged by tracking number only."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Final

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.core import clock
from gongkai.core.audit import log_event
from gongkai.inforequests.choices import Delivery, RequestKind
from gongkai.inforequests.models import Application, LetterDelivery

logger = logging.getLogger(__name__)

# A case closed on a day longer ago than this is history being recorded (paper cases typed in
# later, the demo replaying past years), not a letter to send now.
SEND_WITHIN_DAYS = 7

# The closing letters sent by e-mail: (subject, name of the PDF attached).
CLOSING_LETTERS: Final = {
    "reply": (gettext_lazy("政府信息公开申请答复书（受理编号 %(n)s）"), "reply-{n}.pdf"),
    "correction": (gettext_lazy("更正政府信息申请答复书（受理编号 %(n)s）"), "correction-{n}.pdf"),
}


def reply_approved(application: Application, *, actor: User) -> None:
    """Called inside do_approve_reply: e-mail the reply letter after commit, if there is an address.

    Any address the applicant gave is used, whatever delivery they chose: the e-mail is a copy sent
    at once; a letter by post or for collection still goes its own way.
    """
    _send_on_commit(application, "reply", actor=actor)


def correction_decided(application: Application, *, actor: User) -> None:
    """Called inside do_decide_correction: e-mail the decision letter after commit, as a reply."""
    _send_on_commit(application, "correction", actor=actor)


def _send_on_commit(application: Application, kind: str, *, actor: User) -> None:
    if not application.email:
        return
    pk, actor_pk = application.pk, actor.pk
    transaction.on_commit(lambda: send_letter(pk, actor_pk, kind))


def send_letter(application_pk: int, actor_pk: int, kind: str) -> bool:
    """Render the closing letter ``kind``, e-mail it with the PDF attached and record the delivery."""
    application = Application.objects.filter(pk=application_pk).first()
    if application is None or not application.email or application.replied_on is None:
        return False
    if application.replied_on < clock.today() - dt.timedelta(days=SEND_WITHIN_DAYS):
        return False
    tracking = application.tracking_number
    subject, filename = CLOSING_LETTERS[kind]
    try:
        from gongkai.inforequests.letters.build import context_for
        from gongkai.inforequests.letters.pdf import render_pdf

        pdf = render_pdf(context_for(application, kind, on=application.replied_on))
        message = EmailMessage(
            str(subject) % {"n": tracking}, _closing_body(application), None, [application.email]
        )
        message.attach(filename.format(n=tracking), pdf, "application/pdf")
        message.send()
    except Exception as exc:
        # No traceback: SMTP errors can carry the address. The office sees the case number and
        # the kind of failure, and delivers the letter another way.
        logger.error("inforequests: %s e-mail for %s failed (%s)", kind, tracking, type(exc).__name__)
        return False
    try:
        record_email_delivery(application, actor_pk=actor_pk, on=application.replied_on, letter_kind=kind)
    except Exception as exc:
        logger.error(
            "inforequests: %s e-mail for %s sent, not recorded (%s)", kind, tracking, type(exc).__name__
        )
    logger.info("inforequests: %s e-mail for %s sent", kind, tracking)
    return True


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
