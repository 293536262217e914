"""Disclosure-on-request services: the only code that changes an application. Each runs in one
transaction, locks the case, checks the move, recomputes the clock and writes one audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Department, User
from gongkai.core import clock, rules, workdays
from gongkai.core.audit import log_event
from gongkai.inforequests import deadlines, notify
from gongkai.inforequests.choices import (
    CORRECTION_LEGAL_BASIS,
    CORRECTION_LEGAL_BASIS_2007,
    OPEN_STATUSES,
    TRANSITIONS,
    CorrectionOutcome,
    Outcome,
    PauseKind,
    RequestKind,
    ReviewResult,
    Status,
)
from gongkai.inforequests.models import (
    Application,
    ApplicationTransition,
    Assignment,
    Extension,
    IntegrationToken,
    LetterDelivery,
    Pause,
    Review,
    TrackingSequence,
)

# How long an applicant has to complete an application, when the office does not say otherwise.
DEFAULT_SUPPLEMENT_REPLY_WORKDAYS = 15


class RequestError(Exception):
    """A refused act, with a message fit to show the user."""


class ConflictError(RequestError):
    pass


class PermissionDeniedError(RequestError):
    pass


APPLICANT_FIELDS = (
    "request_kind", "applicant_kind", "applicant_name", "contact_person", "id_type", "id_number", "phone",
    "email", "address", "postcode", "information_title", "information_doc_number", "description",
    "form_wanted", "delivery", "needs_assistance", "assistance_note", "suggests_proactive",
)  # fmt: skip


def hash_query_code(tracking_number: str, code: str) -> str:
    return hashlib.sha256(f"{tracking_number}:{code.strip().upper()}".encode()).hexdigest()


def check_query_code(application: Application, code: str) -> bool:
    return hmac.compare_digest(
        application.query_code_hash, hash_query_code(application.tracking_number, code)
    )


def _next_tracking_number(year: int) -> str:
    TrackingSequence.objects.get_or_create(year=year)
    TrackingSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = TrackingSequence.objects.get(year=year).last
    return f"GK{year}-{last:05d}"


def is_handler(user: User, application: Application) -> bool:
    """The office and the staff of departments assigned to the case handle it."""
    if user.has_role(Role.REVIEWER):
        return True
    if application.handler_id == user.pk:
        return True
    return bool(
        user.department_id and application.assignments.filter(department_id=user.department_id).exists()
    )


def clock_input(application: Application, as_of: dt.date) -> deadlines.ClockInput:
    pauses = list(application.pauses.all()) if application.pk else []
    supplement = next(
        (p for p in reversed(pauses) if p.kind == PauseKind.SUPPLEMENT and p.ended_on is not None), None
    )
    extension = Extension.objects.filter(application=application).first() if application.pk else None
    return deadlines.ClockInput(
        received_on=application.received_on,
        as_of=as_of,
        supplement_completed_on=supplement.ended_on if supplement else None,
        consultations=tuple(
            deadlines.PauseSpan(p.kind, p.started_on, p.ended_on)
            for p in pauses
            if p.kind != PauseKind.SUPPLEMENT
        ),
        extension_workdays=extension.workdays if extension else None,
        later_due_on=application.later_due_on,
    )


def compute_clock(application: Application, as_of: dt.date | None = None) -> deadlines.ClockResult:
    return deadlines.compute(clock_input(application, as_of or clock.today()))


def _recompute(application: Application, as_of: dt.date) -> None:
    result = compute_clock(application, as_of)
    application.rule_set = result.rule_set.code
    application.clock_start = result.start
    application.due_on = result.due
    application.extended_due_on = result.extended_due
    application.extended = result.extended


def _lock(application: Application, expected_version: int | None = None) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _(
                "该申请已被他人处理（当前版本 %(v)d），请刷新后再操作；您填写的内容未被保存，也未覆盖他人的处理。"
            )
            % {"v": locked.version}
        )
    return locked


def _move(application: Application, to_status: str, *, actor: User | None, reason: str = "") -> None:
    from_status = application.status
    if to_status not in TRANSITIONS[from_status]:
        raise RequestError(
            _("该申请当前为“%(from)s”，不能改为“%(to)s”。")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    application.status = to_status
    ApplicationTransition.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=clock.now(),
        reason=reason,
    )


def _close(application: Application, *, on: dt.date, actor: User, reason: str = "") -> None:
    """Close the case on `on`. A case closed without a drafted reply (lapse, correction decision)
    passes through 答复待审批 so the transition table stays the same for everyone."""
    if application.status != Status.REPLY_DRAFTED and Status.CLOSED not in TRANSITIONS[application.status]:
        _move(application, Status.REPLY_DRAFTED, actor=actor, reason=reason)
    _move(application, Status.CLOSED, actor=actor, reason=reason)
    application.replied_on = on
    application.closed_at = clock.now()
    # The queue header's on-time figure for the year is worked out again with this reply (a figure
    # read before the commit may stay for its few minutes: fine for a header figure).
    cache.delete(on_time_cache_key(clock.today()))


def on_time_cache_key(today: dt.date) -> str:
    """Where the queue header keeps the year's on-time figure (views/staff.py); a close forgets it."""
    return f"inforequests:on_time:{today.isoformat()}"


def _save(application: Application, as_of: dt.date) -> None:
    _recompute(application, as_of)
    application.version += 1
    application.save()


def _refuse_while_fee_unpaid(application: Application) -> None:
    if application.pauses.filter(kind=PauseKind.FEE, ended_on__isnull=True).exists():
        raise RequestError(_("信息处理费尚未缴纳（或免收），请先登记缴费结果。"))


def _require(actor: User, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise PermissionDeniedError(_("您无权进行此项操作。"))


@transaction.atomic
def do_submit_application(
    data: dict[str, Any],
    *,
    channel: str,
    received_on: dt.date,
    actor: User | None = None,
    integration: IntegrationToken | None = None,
    idempotency_key: str | None = None,
) -> tuple[Application, str | None]:
    """Create an application (online, registered by staff, or from an integrating system).

    Returns the application and its query code; a repeated submission with the same idempotency
    key returns the first application and no new code (a double click makes one application).
    """
    if idempotency_key:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, None
    try:
        rules.rules_for(received_on)
    except rules.RuleSetUnknownError as exc:
        raise RequestError(_("收到申请的日期早于《政府信息公开条例》施行日期。")) from exc
    now = clock.now()
    tracking = _next_tracking_number(received_on.year)
    code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    application = Application(
        **{k: v for k, v in data.items() if k in APPLICANT_FIELDS},
        tracking_number=tracking,
        query_code_hash=hash_query_code(tracking, code),
        channel=channel,
        received_on=received_on,
        submitted_at=now,
        registered_by=actor,
        integration=integration,
        idempotency_key=idempotency_key or None,
        clock_start=received_on,
        status=Status.RECEIVED,
    )
    try:
        _recompute(application, received_on)
    except workdays.CalendarUnknownError as exc:
        raise RequestError(str(exc)) from exc
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        if idempotency_key:
            return Application.objects.get(idempotency_key=idempotency_key), None
        raise
    ApplicationTransition.objects.create(
        application=application,
        from_status=Status.RECEIVED,
        to_status=Status.RECEIVED,
        actor=actor,
        at=now,
        reason=f"channel={channel}",
    )
    log_event(
        "inforequests.application.received",
        actor=actor,
        obj=application,
        after={"channel": channel, "received_on": received_on.isoformat(), "due_on": str(application.due_on)},
        note=integration.name if integration else "",
    )
    return application, code


@transaction.atomic
def do_accept_application(
    application: Application, *, actor: User, expected_version: int | None = None
) -> Application:
    _require(actor, Role.REVIEWER)
    application = _lock(application, expected_version)
    _move(application, Status.IN_PROGRESS, actor=actor)
    application.handler = actor
    _save(application, clock.today())
    log_event("inforequests.application.accepted", actor=actor, obj=application)
    return application


@transaction.atomic
def do_request_supplement(
    application: Application,
    *,
    request_text: str,
    actor: User,
    on: dt.date | None = None,
    reply_workdays: int = DEFAULT_SUPPLEMENT_REPLY_WORKDAYS,
) -> Pause:
    """Ask once, within 7 working days of receipt, saying what to add and by when (2019 Art. 30)."""
    _require(actor, Role.REVIEWER)
    on = on or clock.today()
    application = _lock(application)
    rule_set = rules.rules_for(application.received_on)
    if rule_set.supplement_workdays is None:
        raise RequestError(_("2007年条例未规定补正程序：请直接与申请人沟通后答复。"))
    if application.pauses.filter(kind=PauseKind.SUPPLEMENT).exists():
        raise RequestError(_("补正只能要求一次（第三十条）。"))
    limit = workdays.add_workdays(application.received_on, rule_set.supplement_workdays)
    if on > limit:
        raise RequestError(
            _("补正须在收到申请之日起 %(n)d 个工作日内一次性提出（截止 %(d)s）。")
            % {"n": rule_set.supplement_workdays, "d": limit.isoformat()}
        )
    if not request_text.strip():
        raise RequestError(_("请写明需要补正的事项。"))
    _move(application, Status.AWAITING_SUPPLEMENT, actor=actor, reason=request_text)
    pause = Pause.objects.create(
        application=application,
        kind=PauseKind.SUPPLEMENT,
        started_on=on,
        limit_on=workdays.add_workdays(on, reply_workdays),
        request_text=request_text,
    )
    _save(application, on)
    log_event(
        "inforequests.application.supplement_requested", actor=actor, obj=application, note=request_text
    )
    return pause


def _end_pause(
    application: Application,
    pauses: QuerySet[Pause],
    *,
    on: dt.date,
    response_text: str,
    missing: str,
    too_early: str,
    actor: User,
) -> None:
    """Close the open pause of the given kind and put the case back in progress, clock recomputed."""
    pause = pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        raise RequestError(missing)
    if on < pause.started_on:
        raise RequestError(too_early)
    pause.ended_on = on
    pause.response_text = response_text
    pause.save()
    _move(application, Status.IN_PROGRESS, actor=actor)
    _save(application, on)


@transaction.atomic
def do_receive_supplement(
    application: Application, *, on: dt.date, response_text: str, actor: User
) -> Application:
    """The completed application arrived: the reply clock restarts from this day (Art. 30)."""
    _require(actor, Role.REVIEWER)
    application = _lock(application)
    _end_pause(
        application,
        application.pauses.filter(kind=PauseKind.SUPPLEMENT),
        on=on,
        response_text=response_text,
        missing=_("该申请没有待补正事项。"),
        too_early=_("补正日期不能早于发出补正告知的日期。"),
        actor=actor,
    )
    log_event(
        "inforequests.application.supplemented",
        actor=actor,
        obj=application,
        after={"due_on": str(application.due_on)},
    )
    return application


@transaction.atomic
def do_close_abandoned(application: Application, *, actor: User, on: dt.date | None = None) -> Application:
    """The applicant let the time to complete lapse without good reason: not processed further (Art. 30)."""
    _require(actor, Role.REVIEWER)
    on = on or clock.today()
    application = _lock(application)
    pause = application.pauses.filter(kind=PauseKind.SUPPLEMENT, ended_on__isnull=True).first()
    if pause is None or pause.limit_on is None or on <= pause.limit_on:
        raise RequestError(_("补正期限尚未届满，不能视为放弃申请。"))
    _close(application, on=on, actor=actor, reason="逾期未补正")
    application.outcome = Outcome.OTHER_NO_CORRECTION
    article = rules.rules_for(application.received_on).supplement_article
    application.legal_basis = f"《中华人民共和国政府信息公开条例》{article}"
    _save(application, on)
    log_event("inforequests.application.abandoned", actor=actor, obj=application)
    return application


@transaction.atomic
def do_start_consultation(
    application: Application,
    *,
    kind: str,
    party: str,
    request_text: str,
    actor: User,
    on: dt.date | None = None,
) -> Pause:
    """Consult a third party (Art. 32: they answer within 15 working days) or another agency; time not counted."""
    _require(actor, Role.REVIEWER)
    if kind not in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY):
        raise RequestError(_("征求意见类型无效。"))
    on = on or clock.today()
    application = _lock(application)
    _refuse_while_fee_unpaid(application)
    _move(application, Status.IN_CONSULTATION, actor=actor, reason=party)
    rule_set = rules.rules_for(application.received_on)
    pause = Pause.objects.create(
        application=application,
        kind=kind,
        started_on=on,
        limit_on=workdays.add_workdays(on, rule_set.consultation_workdays or 15),
        party=party,
        request_text=request_text,
    )
    _save(application, on)
    log_event("inforequests.application.consultation_started", actor=actor, obj=application, note=party)
    return pause


@transaction.atomic
def do_end_consultation(
    application: Application, *, on: dt.date, response_text: str, actor: User
) -> Application:
    _require(actor, Role.REVIEWER)
    application = _lock(application)
    _end_pause(
        application,
        application.pauses.filter(kind__in=[PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY]),
        on=on,
        response_text=response_text,
        missing=_("该申请没有进行中的征求意见。"),
        too_early=_("结束日期不能早于开始日期。"),
        actor=actor,
    )
    log_event(
        "inforequests.application.consultation_ended",
        actor=actor,
        obj=application,
        after={"due_on": str(application.due_on), "response": response_text[:200]},
    )
    return application


@transaction.atomic
def do_extend_application(
    application: Application, *, extra_workdays: int, reason: str, actor: User, on: dt.date | None = None
) -> Extension:
    """Extend with the approval of the office head, within the limit, before the due date (Art. 33)."""
    _require(actor, Role.HEAD, Role.LEADER)
    on = on or clock.today()
    application = _lock(application)
    if application.status not in OPEN_STATUSES:
        raise RequestError(_("已办结的申请不能延期。"))
    if Extension.objects.filter(application=application).exists():
        raise RequestError(_("该申请已经延期过一次。"))
    if not reason.strip():
        raise RequestError(_("请说明延期理由。"))
    rule_set = rules.rules_for(application.received_on)
    if not 1 <= extra_workdays <= rule_set.extension_workdays:
        raise RequestError(
            _("延长期限为 1 至 %(n)d 个工作日（%(a)s）。")
            % {"n": rule_set.extension_workdays, "a": rule_set.local("extension_article")}
        )
    if application.due_on and on > application.due_on:
        raise RequestError(_("答复期限已过，不能再延期。"))
    extension = Extension.objects.create(
        application=application, workdays=extra_workdays, reason=reason, approved_by=actor, approved_on=on
    )
    _save(application, on)
    log_event(
        "inforequests.application.extended",
        actor=actor,
        obj=application,
        after={"workdays": extra_workdays, "extended_due_on": str(application.extended_due_on)},
        note=reason,
    )
    return extension


@transaction.atomic
def do_assign_application(
    application: Application,
    *,
    departments: Iterable[Department],
    due_on: dt.date,
    instructions: str,
    actor: User,
) -> list[Assignment]:
    _require(actor, Role.REVIEWER)
    application = _lock(application)
    if application.status not in OPEN_STATUSES:
        raise RequestError(_("已办结的申请不能再交办。"))
    created = []
    for department in departments:
        assignment, was_created = Assignment.objects.get_or_create(
            application=application,
            department=department,
            defaults={
                "due_on": due_on,
                "instructions": instructions,
                "assigned_by": actor,
                "assigned_at": clock.now(),
            },
        )
        if was_created:
            created.append(assignment)
    if application.status == Status.RECEIVED:
        _move(application, Status.IN_PROGRESS, actor=actor)
        application.handler = application.handler or actor
    _save(application, clock.today())
    log_event(
        "inforequests.application.assigned",
        actor=actor,
        obj=application,
        after={"departments": [a.department.name for a in created], "due_on": due_on.isoformat()},
    )
    return created


@transaction.atomic
def do_give_opinion(
    assignment: Assignment, *, opinion: str, suggested_outcome: str, actor: User
) -> Assignment:
    if actor.department_id != assignment.department_id and not actor.has_role(Role.REVIEWER):
        raise PermissionDeniedError(_("只有被交办部门的人员可以填写意见。"))
    if not opinion.strip():
        raise RequestError(_("请填写部门意见。"))
    if suggested_outcome and suggested_outcome not in Outcome.values:
        raise RequestError(_("建议办理结果无效。"))
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    locked.opinion = opinion
    locked.suggested_outcome = suggested_outcome
    locked.answered_at = clock.now()
    locked.answered_by = actor
    locked.save()
    log_event(
        "inforequests.assignment.answered",
        actor=actor,
        obj=locked.application,
        after={"department": locked.department.name, "suggested_outcome": suggested_outcome},
    )
    return locked


@transaction.atomic
def do_draft_reply(
    application: Application,
    *,
    outcome: str,
    legal_basis: str,
    reply_text: str,
    actor: User,
    withheld_note: str = "",
    holder_agency: str = "",
    expected_version: int | None = None,
) -> Application:
    _require(actor, Role.REVIEWER)
    if outcome not in Outcome.values:
        raise RequestError(_("请选择办理结果。"))
    if not legal_basis.strip():
        raise RequestError(_("请写明答复的法律依据。"))
    if outcome == Outcome.PARTIAL and not withheld_note.strip():
        raise RequestError(_("部分公开须写明不予公开的部分及理由（第三十七条）。"))
    if outcome == Outcome.UNABLE_NOT_HELD and not holder_agency.strip():
        holder_agency = ""
    application = _lock(application, expected_version)
    if application.request_kind == RequestKind.CORRECTION:
        raise RequestError(
            _(
                "这是更正政府信息申请（第四十一条），不按公开申请答复：请作出更正决定（已更正、转送有权机关或不予更正）。"
            )
        )
    if application.status == Status.IN_CONSULTATION:
        raise RequestError(_("征求意见尚未结束，不能起草答复。"))
    _refuse_while_fee_unpaid(application)
    _move(application, Status.REPLY_DRAFTED, actor=actor)
    application.outcome = outcome
    application.legal_basis = legal_basis
    application.reply_text = reply_text
    application.withheld_note = withheld_note
    application.holder_agency = holder_agency
    application.handler = application.handler or actor
    _save(application, clock.today())
    log_event("inforequests.reply.drafted", actor=actor, obj=application, after={"outcome": outcome})
    return application


@transaction.atomic
def do_return_reply(application: Application, *, reason: str, actor: User) -> Application:
    _require(actor, Role.HEAD, Role.LEADER)
    if not reason.strip():
        raise RequestError(_("退回时须说明原因。"))
    application = _lock(application)
    _move(application, Status.IN_PROGRESS, actor=actor, reason=reason)
    _save(application, clock.today())
    log_event("inforequests.reply.returned", actor=actor, obj=application, note=reason)
    return application


@transaction.atomic
def do_approve_reply(application: Application, *, actor: User, on: dt.date | None = None) -> Application:
    """The reply is approved and issued: the case is closed on that day."""
    _require(actor, Role.HEAD, Role.LEADER)
    on = on or clock.today()
    application = _lock(application)
    _close(application, on=on, actor=actor)
    _save(application, on)
    log_event(
        "inforequests.reply.approved",
        actor=actor,
        obj=application,
        after={
            "outcome": application.outcome,
            "replied_on": on.isoformat(),
            "on_time": is_on_time(application),
        },
    )
    notify.reply_approved(application, actor=actor)
    return application


@transaction.atomic
def do_decide_correction(
    application: Application,
    *,
    outcome: str,
    note: str,
    forwarded_to: str = "",
    actor: User,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> Application:
    """Decide a request to correct information about the applicant (2019 Art. 41) and close the case.

    Approved like a reply (do_approve_reply): by the office head or a leader. The agency corrects
    what it verifies as inaccurate, forwards the request when it lacks the power to correct (naming
    the agency that has it), or finds the record accurate; the note is what the applicant is told.
    The case passes through 答复待审批 to 已办结 (both moves recorded), as a lapsed fee does, so the
    transition table stays as it is for disclosure requests. No table 三 outcome is set.
    """
    _require(actor, Role.HEAD, Role.LEADER)
    if outcome not in CorrectionOutcome.values:
        raise RequestError(_("请选择更正决定。"))
    forwarded_to = forwarded_to.strip()
    if outcome == CorrectionOutcome.FORWARDED and not forwarded_to:
        raise RequestError(_("无权更正的，须写明转送的有权机关（第四十一条）。"))
    if not note.strip():
        raise RequestError(_("请写明告知申请人的内容。"))
    on = on or clock.today()
    application = _lock(application, expected_version)
    if application.request_kind != RequestKind.CORRECTION:
        raise RequestError(_("只有更正政府信息申请（第四十一条）才能作出更正决定。"))
    if application.status not in (Status.RECEIVED, Status.IN_PROGRESS):
        raise RequestError(
            _("该申请当前为“%(s)s”，不能作出更正决定。") % {"s": Status(application.status).label}
        )
    if on < application.received_on:
        raise RequestError(_("决定日期不能早于收到申请的日期。"))
    _refuse_while_fee_unpaid(application)
    reason = str(CorrectionOutcome(outcome).label)
    _close(application, on=on, actor=actor, reason=reason)
    application.correction_outcome = outcome
    application.forwarded_to = forwarded_to if outcome == CorrectionOutcome.FORWARDED else ""
    application.outcome = ""
    application.legal_basis = (
        CORRECTION_LEGAL_BASIS
        if rules.rules_for(application.received_on).code == rules.RULES_2019.code
        else CORRECTION_LEGAL_BASIS_2007
    )
    application.reply_text = note.strip()
    application.handler = application.handler or actor
    _save(application, on)
    log_event(
        "inforequests.correction.decided",
        actor=actor,
        obj=application,
        after={
            "correction_outcome": outcome,
            "forwarded_to": application.forwarded_to,
            "replied_on": on.isoformat(),
            "on_time": is_on_time(application),
        },
        note=note.strip()[:200],
    )
    notify.correction_decided(application, actor=actor)
    return application


def is_on_time(application: Application) -> bool | None:
    if application.replied_on is None or application.effective_due_on is None:
        return None
    return application.replied_on <= application.effective_due_on


@transaction.atomic
def do_record_delivery(
    application: Application,
    *,
    letter_kind: str,
    method: str,
    delivered_on: dt.date,
    reference: str,
    actor: User,
) -> LetterDelivery:
    _require(actor, Role.REVIEWER)
    delivery = LetterDelivery.objects.create(
        application=application,
        letter_kind=letter_kind,
        method=method,
        delivered_on=delivered_on,
        reference=reference,
        recorded_by=actor,
    )
    log_event(
        "inforequests.letter.delivered",
        actor=actor,
        obj=application,
        after={"letter": letter_kind, "method": method, "on": delivered_on.isoformat()},
    )
    return delivery


@transaction.atomic
def do_record_review(
    application: Application, *, kind: str, filed_on: dt.date, body: str, actor: User, note: str = ""
) -> Review:
    _require(actor, Role.REVIEWER)
    review = Review.objects.create(
        application=application, kind=kind, filed_on=filed_on, body=body, note=note
    )
    log_event(
        "inforequests.review.filed",
        actor=actor,
        obj=application,
        after={"kind": kind, "filed_on": filed_on.isoformat()},
    )
    return review


@transaction.atomic
def do_decide_review(
    review: Review, *, result: str, decided_on: dt.date, actor: User, note: str = ""
) -> Review:
    _require(actor, Role.REVIEWER)
    if result not in ReviewResult.values or result == ReviewResult.PENDING:
        raise RequestError(_("请选择审结结果。"))
    locked = Review.objects.select_for_update().get(pk=review.pk)
    locked.result = result
    locked.decided_on = decided_on
    locked.note = note or locked.note
    locked.save()
    log_event(
        "inforequests.review.decided",
        actor=actor,
        obj=locked.application,
        after={"kind": locked.kind, "result": result, "decided_on": decided_on.isoformat()},
    )
    return locked


def issue_integration_token(name: str, *, actor: User | None) -> tuple[IntegrationToken, str]:
    """Create a token for an integrating system; the plain token is shown once."""
    plain = secrets.token_urlsafe(32)
    token = IntegrationToken.objects.create(
        name=name, token_hash=hashlib.sha256(plain.encode()).hexdigest(), created_by=actor
    )
    log_event("inforequests.integration.token_issued", actor=actor, obj=token)
    return token, plain


def recompute_open_clocks(year: int) -> int:
    """After the calendar of `year` changes, recompute open cases that may run through it."""
    count = 0
    for application in Application.objects.filter(
        status__in=list(OPEN_STATUSES), received_on__year__in=[year - 1, year]
    ):
        with transaction.atomic():
            locked = _lock(application)
            try:
                _recompute(locked, clock.today())
            except workdays.CalendarUnknownError:
                continue
            locked.save(update_fields=["rule_set", "clock_start", "due_on", "extended_due_on", "extended"])
            count += 1
    return count
