"""Disclosure-on-request services: the only code that changes an application. Each runs in one
transaction, locks the case, checks the move, recomputes the clock and writes one audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Department, User
from gongkai.core import acts, clock, rules, text, workdays
from gongkai.inforequests import deadlines
from gongkai.inforequests.choices import (
    CORRECTION_LEGAL_BASIS,
    CORRECTION_LEGAL_BASIS_2007,
    OPEN_STATUSES,
    CorrectionOutcome,
    Outcome,
    PauseKind,
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
from gongkai.inforequests.workflows import APPLICATION, fee_unpaid
from gongkai.inforequests.workflows import is_handler as is_handler

# How long an applicant has to complete an application, when the office does not say otherwise.
DEFAULT_SUPPLEMENT_REPLY_WORKDAYS = 15


# The kernel's refusals, under the names the callers of this app know.
RequestError = acts.ActError
ConflictError = acts.ConflictError
PermissionDeniedError = acts.PermissionDeniedError


APPLICANT_FIELDS = (
    "request_kind", "applicant_kind", "applicant_name", "contact_person", "id_type", "id_number", "phone",
    "email", "address", "postcode", "information_title", "information_doc_number", "description",
    "form_wanted", "delivery", "needs_assistance", "assistance_note", "suggests_proactive",
)  # fmt: skip


def _legacy_query_code_hash(tracking_number: str, code: str) -> str:
    """How codes were stored before issue 12: unsalted SHA-256 (a code space this small falls to a
    table in minutes). Still accepted, and replaced by a salted hash on the first right answer."""
    return hashlib.sha256(f"{tracking_number}:{code.strip().upper()}".encode()).hexdigest()


def hash_query_code(tracking_number: str, code: str) -> str:
    """Salted and slow: Django's password hasher (argon2 in production), a fresh salt per case."""
    return make_password(f"{tracking_number}:{code.strip().upper()}")


def check_query_code(application: Application, code: str) -> bool:
    stored = application.query_code_hash
    if "$" not in stored:  # a legacy SHA-256 row
        if not hmac.compare_digest(stored, _legacy_query_code_hash(application.tracking_number, code)):
            return False
        Application.objects.filter(pk=application.pk, query_code_hash=stored).update(
            query_code_hash=hash_query_code(application.tracking_number, code)
        )
        return True
    return check_password(f"{application.tracking_number}:{code.strip().upper()}", stored)


def _next_tracking_number(year: int) -> str:
    TrackingSequence.objects.get_or_create(year=year)
    TrackingSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = TrackingSequence.objects.get(year=year).last
    return f"GK{year}-{last:05d}"


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


def on_time_cache_key(today: dt.date) -> str:
    """Where the queue header keeps the year's on-time figure (views/staff.py); a close forgets it."""
    return f"inforequests:on_time:{today.isoformat()}"


def close_case(application: Application, *, on: dt.date, now: dt.datetime) -> None:
    """What every way of closing a case records (the kernel moves the status): the reply date."""
    application.replied_on = on
    application.closed_at = now
    # The queue header's on-time figure for the year is worked out again with this reply (a figure
    # read before the commit may stay for its few minutes: fine for a header figure).
    cache.delete(on_time_cache_key(timezone.localdate(now)))


def refuse_while_fee_unpaid(application: Application) -> None:
    if fee_unpaid(application):
        raise RequestError(_("信息处理费尚未缴纳（或免收），请先登记缴费结果。"))


def perform_move(
    application: Application,
    name: str,
    *,
    actor: User | None,
    version: int | None,
    change: Any = None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
    reason: str = "",
    after: Any = None,
    note: str = "",
    system: bool = False,
) -> acts.Done[Application, Any]:
    """Make move `name` of a case through the kernel: `change(locked, day)` changes it on the act's
    day (`on`, or today), then the reply clock is worked out again as of that day."""
    now = now or clock.now()
    day = on or timezone.localdate(now)

    def apply(locked: Application) -> Any:
        value = change(locked, day) if change is not None else None
        try:
            _recompute(locked, day)
        except workdays.CalendarUnknownError as exc:
            raise RequestError(str(exc)) from exc
        return value

    return acts.perform(
        APPLICATION,
        application,
        name,
        actor=actor,
        version=version,
        apply=apply,
        on=day if APPLICATION.move(name).dated else None,
        now=now,
        reason=reason,
        after=after,
        note=note,
        what=_("该申请"),
        system=system,
    )


def do_submit_application(
    data: dict[str, Any],
    *,
    channel: str,
    received_on: dt.date,
    actor: User | None = None,
    integration: IntegrationToken | None = None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Application, str | None]:
    """Create an application (online, registered by staff, or from an integrating system).

    Returns the application and its query code; a repeated submission with the same idempotency
    key returns the first application and no new code (a double click makes one application).
    Staff registering a paper application must be of the office; online and integration
    submissions are the applicant's own act.
    """
    if idempotency_key:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, None
    # Whatever the channel: no control characters (they broke the letters), numbers in NFKC form
    # (a full-width identity number is the same person's).
    data = text.clean_inputs(data)
    for key in ("id_number", "phone"):
        if data.get(key):
            data[key] = text.nfkc(data[key]).strip()
    if data.get("id_number"):
        data["id_number"] = "".join(data["id_number"].split()).upper()
    now = now or clock.now()
    if actor is not None:
        acts.guard(APPLICATION, actor, Application(), "register")
    if received_on > timezone.localdate(now):
        raise acts.DateError(_("收到申请日期不能晚于今天。"))
    try:
        rules.rules_for(received_on)
    except rules.RuleSetUnknownError as exc:
        raise RequestError(_("收到申请的日期早于《政府信息公开条例》施行日期。")) from exc
    with transaction.atomic():
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
        acts.record_act(
            "inforequests.application.received",
            application,
            actor=actor,
            after={
                "channel": channel,
                "received_on": received_on.isoformat(),
                "due_on": str(application.due_on),
            },
            note=integration.name if integration else "",
            act_on=received_on,
            at=now,
        )
        for hook in APPLICATION.after_act:
            hook(application, APPLICATION.move("register"), actor, received_on)
    return application, code


def do_accept_application(
    application: Application, *, actor: User, expected_version: int | None, now: dt.datetime | None = None
) -> Application:
    def change(a: Application, day: dt.date) -> None:
        a.handler = actor

    return perform_move(
        application, "accept", actor=actor, version=expected_version, change=change, now=now
    ).obj


def do_request_supplement(
    application: Application,
    *,
    request_text: str,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    reply_workdays: int = DEFAULT_SUPPLEMENT_REPLY_WORKDAYS,
    now: dt.datetime | None = None,
) -> Pause:
    """Ask once, within 7 working days of receipt, saying what to add and by when (2019 Art. 30)."""
    if not request_text.strip():
        raise RequestError(_("请写明需要补正的事项。"))

    def change(a: Application, day: dt.date) -> Pause:
        rule_set = rules.rules_for(a.received_on)
        assert rule_set.supplement_workdays is not None  # the move's check refuses the 2007 rules
        limit = workdays.add_workdays(a.received_on, rule_set.supplement_workdays)
        if day > limit:
            raise RequestError(
                _("补正须在收到申请之日起 %(n)d 个工作日内一次性提出（截止 %(d)s）。")
                % {"n": rule_set.supplement_workdays, "d": limit.isoformat()}
            )
        return Pause.objects.create(
            application=a,
            kind=PauseKind.SUPPLEMENT,
            started_on=day,
            limit_on=workdays.add_workdays(day, reply_workdays),
            request_text=request_text,
        )

    done = perform_move(
        application,
        "supplement",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=now,
        reason=request_text,
        note=request_text,
    )
    pause: Pause = done.value
    return pause


def _end_pause(
    application: Application,
    pauses: QuerySet[Pause],
    *,
    on: dt.date,
    response_text: str,
    missing: str,
    too_early: str,
) -> None:
    """Close the open pause of the given kind (the kernel puts the case back in progress)."""
    pause = pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        raise RequestError(missing)
    if on < pause.started_on:
        raise RequestError(too_early)
    pause.ended_on = on
    pause.response_text = response_text
    pause.save()


def do_receive_supplement(
    application: Application,
    *,
    on: dt.date,
    response_text: str,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Application:
    """The completed application arrived: the reply clock restarts from this day (Art. 30)."""

    def change(a: Application, day: dt.date) -> None:
        _end_pause(
            a,
            a.pauses.filter(kind=PauseKind.SUPPLEMENT),
            on=day,
            response_text=response_text,
            missing=_("该申请没有待补正事项。"),
            too_early=_("补正日期不能早于发出补正告知的日期。"),
        )

    return perform_move(
        application,
        "receive_supplement",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=now,
        after=lambda a, _v: {"due_on": str(a.due_on)},
    ).obj


def do_close_abandoned(
    application: Application,
    *,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """The applicant let the time to complete lapse without good reason: not processed further (Art. 30)."""
    moment = now or clock.now()

    def change(a: Application, day: dt.date) -> None:
        pause = a.pauses.filter(kind=PauseKind.SUPPLEMENT, ended_on__isnull=True).first()
        if pause is None or pause.limit_on is None or day <= pause.limit_on:
            raise RequestError(_("补正期限尚未届满，不能视为放弃申请。"))
        close_case(a, on=day, now=moment)
        a.outcome = Outcome.OTHER_NO_CORRECTION
        article = rules.rules_for(a.received_on).supplement_article
        a.legal_basis = f"《中华人民共和国政府信息公开条例》{article}"

    return perform_move(
        application,
        "abandon",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=moment,
        reason="逾期未补正",
    ).obj


def do_start_consultation(
    application: Application,
    *,
    kind: str,
    party: str,
    request_text: str,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Pause:
    """Consult a third party (Art. 32: they answer within 15 working days) or another agency; time not counted."""
    if kind not in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY):
        raise RequestError(_("征求意见类型无效。"))

    def change(a: Application, day: dt.date) -> Pause:
        refuse_while_fee_unpaid(a)
        rule_set = rules.rules_for(a.received_on)
        return Pause.objects.create(
            application=a,
            kind=kind,
            started_on=day,
            limit_on=workdays.add_workdays(day, rule_set.consultation_workdays or 15),
            party=party,
            request_text=request_text,
        )

    done = perform_move(
        application,
        "consult",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=now,
        reason=party,
        note=party,
    )
    pause: Pause = done.value
    return pause


def do_end_consultation(
    application: Application,
    *,
    on: dt.date,
    response_text: str,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Application:
    def change(a: Application, day: dt.date) -> None:
        _end_pause(
            a,
            a.pauses.filter(kind__in=[PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY]),
            on=day,
            response_text=response_text,
            missing=_("该申请没有进行中的征求意见。"),
            too_early=_("结束日期不能早于开始日期。"),
        )

    return perform_move(
        application,
        "end_consult",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=now,
        after=lambda a, _v: {"due_on": str(a.due_on), "response": response_text[:200]},
    ).obj


def do_extend_application(
    application: Application,
    *,
    extra_workdays: int,
    reason: str,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Extension:
    """Extend with the approval of the office head, within the limit, before the due date (Art. 33).

    `on` is the day the extension was approved (it may have been approved on paper earlier)."""
    if not reason.strip():
        raise RequestError(_("请说明延期理由。"))

    def change(a: Application, day: dt.date) -> Extension:
        rule_set = rules.rules_for(a.received_on)
        if not 1 <= extra_workdays <= rule_set.extension_workdays:
            raise RequestError(
                _("延长期限为 1 至 %(n)d 个工作日（%(a)s）。")
                % {"n": rule_set.extension_workdays, "a": rule_set.local("extension_article")}
            )
        if a.due_on and day > a.due_on:
            raise RequestError(_("延期须在答复期限（%(d)s）届满前批准。") % {"d": a.due_on.isoformat()})
        return Extension.objects.create(
            application=a, workdays=extra_workdays, reason=reason, approved_by=actor, approved_on=day
        )

    done = perform_move(
        application,
        "extend",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=now,
        after=lambda a, _v: {"workdays": extra_workdays, "extended_due_on": str(a.extended_due_on)},
        note=reason,
    )
    extension: Extension = done.value
    return extension


def do_assign_application(
    application: Application,
    *,
    departments: Iterable[Department],
    due_on: dt.date,
    instructions: str,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> list[Assignment]:
    moment = now or clock.now()
    departments = list(departments)
    if not departments:
        raise RequestError(_("请选择交办部门。"))

    def change(a: Application, day: dt.date) -> list[Assignment]:
        if due_on < day:
            raise RequestError(_("部门办理期限不能早于今天。"))
        created = []
        for department in departments:
            assignment, was_created = Assignment.objects.get_or_create(
                application=a,
                department=department,
                defaults={
                    "due_on": due_on,
                    "instructions": instructions,
                    "assigned_by": actor,
                    "assigned_at": moment,
                },
            )
            if was_created:
                created.append(assignment)
        if a.status == Status.RECEIVED:
            APPLICATION.move_to(a, Status.IN_PROGRESS, actor=actor, at=moment)
            a.handler = a.handler or actor
        return created

    done = perform_move(
        application,
        "assign",
        actor=actor,
        version=expected_version,
        change=change,
        now=moment,
        after=lambda a, created: {
            "departments": [x.department.name for x in created or []],
            "due_on": due_on.isoformat(),
        },
    )
    assignments: list[Assignment] = done.value
    return assignments


def do_give_opinion(
    assignment: Assignment,
    *,
    opinion: str,
    suggested_outcome: str,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """The department's opinion on the case it was asked about (dated the day it was given)."""
    if not opinion.strip():
        raise RequestError(_("请填写部门意见。"))
    if suggested_outcome and suggested_outcome not in Outcome.values:
        raise RequestError(_("建议办理结果无效。"))
    moment = now or clock.now()

    def change(a: Application, day: dt.date) -> Assignment:
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk, application=a)
        if not actor.has_role(Role.REVIEWER) and locked.department_id != actor.department_id:
            raise PermissionDeniedError(_("只有被交办部门的人员可以填写意见。"))
        locked.opinion = opinion
        locked.suggested_outcome = suggested_outcome
        locked.answered_at = moment
        locked.answered_by = actor
        locked.save()
        return locked

    done = perform_move(
        assignment.application,
        "opinion",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=moment,
        after=lambda a, x: {"department": x.department.name, "suggested_outcome": suggested_outcome},
    )
    answered: Assignment = done.value
    return answered


def do_share_identity(
    assignment: Assignment,
    *,
    reason: str,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Assignment:
    """The office shares the applicant's identity with this assigned department for this case
    (its editors and head then see the applicant unmasked, each view recorded). The reason is kept
    on the assignment; the audit event names the case and the department only."""
    moment = now or clock.now()
    reason = reason.strip()

    def change(a: Application, day: dt.date) -> Assignment:
        if not reason:
            raise RequestError(_("请填写向该部门提供申请人身份信息的原因。"))
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk, application=a)
        if locked.identity_shared_at is not None:
            raise RequestError(_("已向该部门提供申请人身份信息。"))
        locked.identity_shared_at = moment
        locked.identity_shared_by = actor
        locked.identity_share_reason = reason
        locked.save(update_fields=["identity_shared_at", "identity_shared_by", "identity_share_reason"])
        return locked

    done = perform_move(
        assignment.application,
        "share_identity",
        actor=actor,
        version=expected_version,
        change=change,
        now=moment,
        after=lambda a, x: {"department": x.department.name, "assignment": x.pk},
    )
    shared: Assignment = done.value
    return shared


def do_unshare_identity(
    assignment: Assignment,
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Assignment:
    """The office withdraws the share: the department sees the applicant masked again."""
    moment = now or clock.now()

    def change(a: Application, day: dt.date) -> Assignment:
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk, application=a)
        if locked.identity_shared_at is None:
            raise RequestError(_("尚未向该部门提供申请人身份信息。"))
        locked.identity_shared_at = None
        locked.identity_shared_by = None
        locked.identity_share_reason = ""
        locked.save(update_fields=["identity_shared_at", "identity_shared_by", "identity_share_reason"])
        return locked

    done = perform_move(
        assignment.application,
        "unshare_identity",
        actor=actor,
        version=expected_version,
        change=change,
        now=moment,
        after=lambda a, x: {"department": x.department.name, "assignment": x.pk},
    )
    withdrawn: Assignment = done.value
    return withdrawn


def do_draft_reply(
    application: Application,
    *,
    outcome: str,
    legal_basis: str,
    reply_text: str,
    actor: User,
    expected_version: int | None,
    withheld_note: str = "",
    holder_agency: str = "",
    now: dt.datetime | None = None,
) -> Application:
    if outcome not in Outcome.values:
        raise RequestError(_("请选择办理结果。"))
    if not legal_basis.strip():
        raise RequestError(_("请写明答复的法律依据。"))
    if outcome == Outcome.PARTIAL and not withheld_note.strip():
        raise RequestError(_("部分公开须写明不予公开的部分及理由（第三十七条）。"))

    def change(a: Application, day: dt.date) -> None:
        refuse_while_fee_unpaid(a)
        a.outcome = outcome
        a.legal_basis = legal_basis
        a.reply_text = reply_text
        a.withheld_note = withheld_note
        a.holder_agency = holder_agency.strip() if outcome == Outcome.UNABLE_NOT_HELD else holder_agency
        a.handler = a.handler or actor

    return perform_move(
        application,
        "draft",
        actor=actor,
        version=expected_version,
        change=change,
        now=now,
        after={"outcome": outcome},
    ).obj


def do_return_reply(
    application: Application,
    *,
    reason: str,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Application:
    if not reason.strip():
        raise RequestError(_("退回时须说明原因。"))
    return perform_move(
        application, "return", actor=actor, version=expected_version, now=now, reason=reason, note=reason
    ).obj


def do_approve_reply(
    application: Application,
    *,
    actor: User,
    expected_version: int | None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """The reply is approved and issued, by someone other than its drafter: the case closes that day."""
    moment = now or clock.now()

    def change(a: Application, day: dt.date) -> None:
        close_case(a, on=day, now=moment)

    return perform_move(
        application,
        "approve",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=moment,
        after=lambda a, _v: {
            "outcome": a.outcome,
            "replied_on": str(a.replied_on),
            "on_time": is_on_time(a),
        },
    ).obj


def do_decide_correction(
    application: Application,
    *,
    outcome: str,
    note: str,
    actor: User,
    expected_version: int | None,
    forwarded_to: str = "",
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """Decide a request to correct information about the applicant (2019 Art. 41) and close the case.

    Approved like a reply (do_approve_reply): by the office head or a leader. The agency corrects
    what it verifies as inaccurate, forwards the request when it lacks the power to correct (naming
    the agency that has it), or finds the record accurate; the note is what the applicant is told.
    The case passes through 答复待审批 to 已办结 (both moves recorded), as a lapsed fee does, so the
    transition table stays as it is for disclosure requests. No table 三 outcome is set.
    """
    if outcome not in CorrectionOutcome.values:
        raise RequestError(_("请选择更正决定。"))
    forwarded_to = forwarded_to.strip()
    if outcome == CorrectionOutcome.FORWARDED and not forwarded_to:
        raise RequestError(_("无权更正的，须写明转送的有权机关（第四十一条）。"))
    if not note.strip():
        raise RequestError(_("请写明告知申请人的内容。"))
    moment = now or clock.now()

    def change(a: Application, day: dt.date) -> None:
        refuse_while_fee_unpaid(a)
        close_case(a, on=day, now=moment)
        a.correction_outcome = outcome
        a.forwarded_to = forwarded_to if outcome == CorrectionOutcome.FORWARDED else ""
        a.outcome = ""
        a.legal_basis = (
            CORRECTION_LEGAL_BASIS
            if rules.rules_for(a.received_on).code == rules.RULES_2019.code
            else CORRECTION_LEGAL_BASIS_2007
        )
        a.reply_text = note.strip()
        a.handler = a.handler or actor

    return perform_move(
        application,
        "correct",
        actor=actor,
        version=expected_version,
        change=change,
        on=on,
        now=moment,
        reason=str(CorrectionOutcome(outcome).label),
        after=lambda a, _v: {
            "correction_outcome": outcome,
            "forwarded_to": a.forwarded_to,
            "replied_on": str(a.replied_on),
            "on_time": is_on_time(a),
        },
        note=note.strip()[:200],
    ).obj


def is_on_time(application: Application) -> bool | None:
    if application.replied_on is None or application.effective_due_on is None:
        return None
    return application.replied_on <= application.effective_due_on


def do_record_delivery(
    application: Application,
    *,
    letter_kind: str,
    method: str,
    delivered_on: dt.date,
    reference: str,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> LetterDelivery:
    def change(a: Application, day: dt.date) -> LetterDelivery:
        return LetterDelivery.objects.create(
            application=a,
            letter_kind=letter_kind,
            method=method,
            delivered_on=day,
            reference=reference,
            recorded_by=actor,
        )

    done = perform_move(
        application,
        "delivery",
        actor=actor,
        version=expected_version,
        change=change,
        on=delivered_on,
        now=now,
        after={"letter": letter_kind, "method": method, "on": delivered_on.isoformat()},
    )
    delivery: LetterDelivery = done.value
    return delivery


def do_record_review(
    application: Application,
    *,
    kind: str,
    filed_on: dt.date,
    body: str,
    actor: User,
    expected_version: int | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Review:
    def change(a: Application, day: dt.date) -> Review:
        return Review.objects.create(application=a, kind=kind, filed_on=day, body=body, note=note)

    done = perform_move(
        application,
        "review",
        actor=actor,
        version=expected_version,
        change=change,
        on=filed_on,
        now=now,
        after={"kind": kind, "filed_on": filed_on.isoformat()},
    )
    review: Review = done.value
    return review


def do_decide_review(
    review: Review,
    *,
    result: str,
    decided_on: dt.date,
    actor: User,
    expected_version: int | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Review:
    if result not in ReviewResult.values or result == ReviewResult.PENDING:
        raise RequestError(_("请选择审结结果。"))

    def change(a: Application, day: dt.date) -> Review:
        locked = Review.objects.select_for_update().get(pk=review.pk, application=a)
        if day < locked.filed_on:
            raise acts.DateError(
                _("审结日期不能早于提起日期（%(d)s）。") % {"d": locked.filed_on.isoformat()}
            )
        locked.result = result
        locked.decided_on = day
        locked.note = note or locked.note
        locked.save()
        return locked

    done = perform_move(
        review.application,
        "decide_review",
        actor=actor,
        version=expected_version,
        change=change,
        on=decided_on,
        now=now,
        after=lambda a, r: {"kind": r.kind, "result": result, "decided_on": decided_on.isoformat()},
    )
    decided: Review = done.value
    return decided


def issue_integration_token(name: str, *, actor: User | None) -> tuple[IntegrationToken, str]:
    """Create a token for an integrating system; the plain token is shown once."""
    plain = secrets.token_urlsafe(32)
    token = IntegrationToken.objects.create(
        name=name, token_hash=hashlib.sha256(plain.encode()).hexdigest(), created_by=actor
    )
    acts.record_act("inforequests.integration.token_issued", token, actor=actor)
    return token, plain


def recompute_open_clocks(year: int) -> int:
    """After the calendar of `year` changes, recompute open cases that may run through it."""
    count = 0
    for application in Application.objects.filter(
        status__in=list(OPEN_STATUSES), received_on__year__in=[year - 1, year]
    ):
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            try:
                _recompute(locked, clock.today())
            except workdays.CalendarUnknownError:
                continue
            locked.save(update_fields=["rule_set", "clock_start", "due_on", "extended_due_on", "extended"])
            count += 1
    return count
