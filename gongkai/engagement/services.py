"""Engagement services: the only code that changes inquiries, online events and proposals. Each
move goes through the act kernel (one transaction, the version the actor saw, one transition row,
one audit event, one domain event); creations are guarded and recorded with `record_act`.

Time is passed in (`now`); the day of an act is the agency's local day of `now`."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import Department, User
from gongkai.core import acts, clock, deadlines, text, workdays
from gongkai.core.audit import register_action_labels
from gongkai.engagement import checks
from gongkai.engagement.choices import (
    UNANSWERED,
    EventKind,
    EventStatus,
    FindingKind,
    InquiryKind,
    InquiryStatus,
    ProposalKind,
    QuestionStatus,
    Rating,
    Topic,
)
from gongkai.engagement.models import EventQuestion, Inquiry, InquirySequence, OnlineEvent, Proposal
from gongkai.engagement.workflows import EVENT, INQUIRY, PROPOSAL, QUESTION

EngagementError = acts.ActError
Obj = TypeVar("Obj", bound=models.Model)

# Working days within which an inquiry is answered (the office sets it; 5 unless configured).
DEFAULT_ANSWER_WORKDAYS = 5
# The same question sent again within this many days is held as a repeat (spam).
DUPLICATE_DAYS = 30
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TITLE_MAX = 100
QUESTION_MAX = 2000
ANSWER_MAX = 5000

register_action_labels(
    {
        "engagement.inquiry.submitted": gettext_lazy("提交咨询留言"),
        "engagement.inquiry.released": gettext_lazy("核查通过"),
        "engagement.inquiry.rejected": gettext_lazy("不予受理"),
        "engagement.inquiry.routed": gettext_lazy("分办"),
        "engagement.inquiry.sent_back": gettext_lazy("退回公开办"),
        "engagement.inquiry.answered": gettext_lazy("部门答复"),
        "engagement.inquiry.answer_returned": gettext_lazy("退回修改答复"),
        "engagement.inquiry.published": gettext_lazy("公开答复"),
        "engagement.inquiry.replied": gettext_lazy("答复提问人（不公开）"),
        "engagement.inquiry.unpublished": gettext_lazy("撤下公开"),
        "engagement.inquiry.rated": gettext_lazy("提问人评价"),
        "engagement.inquiry.reminded": gettext_lazy("到期提醒"),
        "engagement.event.created": gettext_lazy("新建在线活动"),
        "engagement.event.updated": gettext_lazy("修改在线活动"),
        "engagement.event.announced": gettext_lazy("发布活动预告"),
        "engagement.event.archived": gettext_lazy("活动归档"),
        "engagement.question.asked": gettext_lazy("网友提问"),
        "engagement.question.approved": gettext_lazy("采纳网友提问"),
        "engagement.question.rejected": gettext_lazy("不采纳网友提问"),
        "engagement.question.answered": gettext_lazy("嘉宾回答"),
        "engagement.proposal.registered": gettext_lazy("登记建议提案"),
        "engagement.proposal.replied": gettext_lazy("录入建议提案答复"),
        "engagement.proposal.consent_recorded": gettext_lazy("登记公开意见"),
        "engagement.proposal.sent": gettext_lazy("报送省政府办公厅"),
        "engagement.proposal.disclosed": gettext_lazy("建议提案公开"),
    }
)


def answer_workdays() -> int:
    return int(getattr(settings, "ENGAGEMENT_ANSWER_WORKDAYS", DEFAULT_ANSWER_WORKDAYS))


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


def _clean(value: Any) -> str:
    return text.strip_control(str(value or "")).strip()


def _required(value: Any, label: str, limit: int) -> str:
    cleaned = _clean(value)
    if not cleaned:
        raise EngagementError(_("请填写%(field)s。") % {"field": label})
    if len(cleaned) > limit:
        raise EngagementError(
            _("%(field)s最多 %(n)d 个字，您填写了 %(m)d 个字。")
            % {"field": label, "n": limit, "m": len(cleaned)}
        )
    return cleaned


# -- the due day -----------------------------------------------------------------------------------


def due_date(received_on: dt.date, n: int) -> tuple[dt.date, bool]:
    """The n-th working day after the day received, and whether it was estimated by the weekday rule
    (the holiday schedule of a year it reaches has not been entered: it is recomputed once it is)."""
    try:
        return deadlines.workday_deadline(
            received_on, n, rule_code="engagement", article=_("咨询留言答复时限")
        ).due, False
    except workdays.CalendarUnknownError:
        day, counted = received_on, 0
        while counted < n:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                counted += 1
        return day, True


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the last day of a shorter month)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def unanswered_three_months(inquiry: Inquiry, today: dt.date) -> bool:
    """A message unanswered for three months fails the national government website check."""
    return inquiry.status in UNANSWERED and inquiry.received_on <= months_before(today, 3)


# -- query codes -----------------------------------------------------------------------------------


def hash_query_code(number: str, code: str) -> str:
    """Salted and slow (Django's password hasher), as the application query codes are."""
    return make_password(f"{number}:{code.strip().upper()}")


def check_query_code(inquiry: Inquiry, code: str) -> bool:
    return bool(code) and check_password(f"{inquiry.number}:{code.strip().upper()}", inquiry.query_code_hash)


def new_query_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _next_number(year: int) -> str:
    InquirySequence.objects.get_or_create(year=year)
    InquirySequence.objects.filter(year=year).update(last=F("last") + 1)
    last = InquirySequence.objects.get(year=year).last
    return f"ZX{year}-{last:05d}"


def text_digest(value: str) -> str:
    norm = re.sub(r"\s+", "", text.nfkc(value)).lower()
    return hashlib.sha256(norm.encode()).hexdigest()


# -- an inquiry ------------------------------------------------------------------------------------


def clean_inquiry(data: dict[str, Any]) -> dict[str, Any]:
    """Check what the asker typed (form and services alike); raises EngagementError in words."""
    data = text.clean_inputs(data)
    kind = data.get("kind") or InquiryKind.INQUIRY
    if kind not in InquiryKind.values:
        raise EngagementError(_("请选择咨询或留言。"))
    topic = data.get("topic") or Topic.OTHER
    if topic not in Topic.values:
        raise EngagementError(_("请选择事项类别。"))
    phone = text.nfkc(_clean(data.get("phone")))
    email = _clean(data.get("email"))
    if not phone and not email:
        raise EngagementError(_("请至少填写联系电话或电子邮箱中的一项，以便我们答复您。"))
    if phone and not re.fullmatch(r"[0-9+\-\s()（）]{7,20}", phone):
        raise EngagementError(_("联系电话只能包含数字、空格、括号和“-”，7至20位。"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise EngagementError(_("电子邮箱格式不正确，请核对。")) from None
    return {
        "kind": kind,
        "topic": topic,
        "title": _required(data.get("title"), _("标题"), TITLE_MAX),
        "question": _required(data.get("question"), _("内容"), QUESTION_MAX),
        "asker_name": _required(data.get("asker_name"), _("姓名"), 60),
        "phone": phone,
        "email": email[:254],
        "wants_public": bool(data.get("wants_public")),
    }


def inquiry_findings(
    title: str, question: str, *, received_on: dt.date, exclude: int | None = None
) -> list[dict[str, Any]]:
    """What the checks find in an inquiry's title and text, and an earlier identical submission."""
    found = [f.as_dict() for f in checks.find(title, field="title") + checks.find(question, field="question")]
    digest = text_digest(question)
    earlier = Inquiry.objects.filter(
        text_digest=digest, received_on__gte=received_on - dt.timedelta(days=DUPLICATE_DAYS)
    )
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude)
    first = earlier.order_by("received_on", "id").values_list("number", flat=True).first()
    if first is not None:
        found.append(
            checks.Finding(str(FindingKind.DUPLICATE), 0, len(question), question, "question").as_dict()
            | {"earlier": first}
        )
    return found


def do_submit_inquiry(
    data: dict[str, Any], *, now: dt.datetime | None = None, idempotency_key: str = ""
) -> tuple[Inquiry, str | None]:
    """A person's question: numbered, due in the configured working days, checked. Personal data
    in a text meant to be public, links, repeated text, a repeat of an earlier submission or a
    listed word hold it for the office (the places are kept). Returns the inquiry and its query
    code, shown once (None when the same form was sent twice: the first inquiry is returned)."""
    now = now or clock.now()
    if idempotency_key:
        existing = Inquiry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, None
    cleaned = clean_inquiry(data)
    received_on = _today(now)
    findings = inquiry_findings(cleaned["title"], cleaned["question"], received_on=received_on)
    held = checks.holds(findings, public=cleaned["wants_public"])
    n = answer_workdays()
    due_on, estimated = due_date(received_on, n)
    code = new_query_code()
    try:
        with transaction.atomic():
            number = _next_number(received_on.year)
            inquiry = Inquiry.objects.create(
                **cleaned,
                number=number,
                query_code_hash=hash_query_code(number, code),
                findings=findings,
                text_digest=text_digest(cleaned["question"]),
                status=InquiryStatus.HELD if held else InquiryStatus.SUBMITTED,
                received_on=received_on,
                submitted_at=now,
                due_on=due_on,
                due_workdays=n,
                due_estimated=estimated,
                idempotency_key=idempotency_key or None,
                updated_at=now,
            )
            acts.record_act(
                "engagement.inquiry.submitted",
                inquiry,
                actor=None,
                after={
                    "number": number,
                    "status": inquiry.status,
                    "findings": sorted({f["kind"] for f in findings}),
                    "due_on": due_on.isoformat(),
                },
                at=now,
            )
    except IntegrityError:
        existing = (
            Inquiry.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        )
        if existing is None:
            raise
        return existing, None
    return inquiry, code


def _perform(
    workflow: acts.Workflow[Obj], obj: Obj, name: str, *, actor: User | None, version: int | None, **kw: Any
) -> Obj:
    return acts.perform(workflow, obj, name, actor=actor, version=version, **kw).obj


def do_release_inquiry(
    inquiry: Inquiry, *, actor: User, version: int | None, reason: str = "", now: dt.datetime | None = None
) -> Inquiry:
    """The office checked a held inquiry and lets it go on (to be routed)."""
    return _perform(
        INQUIRY,
        inquiry,
        "release",
        actor=actor,
        version=version,
        now=now,
        reason=_clean(reason),
        what=_("该咨询"),
    )


def do_reject_inquiry(
    inquiry: Inquiry, *, actor: User, version: int | None, reason: str, now: dt.datetime | None = None
) -> Inquiry:
    reason = _clean(reason)
    if not reason:
        raise EngagementError(_("请说明不予受理的理由（如：广告、重复提交、与公安工作无关）。"))

    def apply(locked: Inquiry) -> None:
        locked.reason = reason

    return _perform(
        INQUIRY,
        inquiry,
        "reject",
        actor=actor,
        version=version,
        now=now,
        apply=apply,
        reason=reason,
        what=_("该咨询"),
    )


def do_route_inquiry(
    inquiry: Inquiry,
    department: Department | None,
    *,
    actor: User,
    version: int | None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Inquiry:
    now = now or clock.now()
    if department is None or not department.is_active:
        raise EngagementError(_("请选择承办部门。"))
    before: dict[str, Any] = {}

    def apply(locked: Inquiry) -> None:
        before["department"] = locked.department_id
        locked.department = department
        locked.routed_at = now

    return _perform(
        INQUIRY,
        inquiry,
        "route",
        actor=actor,
        version=version,
        now=now,
        apply=apply,
        reason=_clean(reason),
        before=before,
        after={"department": department.pk, "department_name": department.name},
        what=_("该咨询"),
    )


def do_send_back_inquiry(
    inquiry: Inquiry, *, actor: User, version: int | None, reason: str, now: dt.datetime | None = None
) -> Inquiry:
    """The department says the inquiry is not theirs: back to the office to route again."""
    reason = _clean(reason)
    if not reason:
        raise EngagementError(_("请说明退回的理由（例如应由哪个部门办理）。"))
    return _perform(
        INQUIRY, inquiry, "send_back", actor=actor, version=version, now=now, reason=reason, what=_("该咨询")
    )


def do_answer_inquiry(
    inquiry: Inquiry, answer: str, *, actor: User, version: int | None, now: dt.datetime | None = None
) -> Inquiry:
    now = now or clock.now()
    answer = _required(answer, _("答复内容"), ANSWER_MAX)

    def apply(locked: Inquiry) -> None:
        locked.answer = answer
        locked.answered_at = now
        locked.answered_by = actor

    return _perform(
        INQUIRY,
        inquiry,
        "answer",
        actor=actor,
        version=version,
        now=now,
        apply=apply,
        after={"answer_length": len(answer)},
        what=_("该咨询"),
    )


def do_return_answer(
    inquiry: Inquiry, *, actor: User, version: int | None, reason: str, now: dt.datetime | None = None
) -> Inquiry:
    reason = _clean(reason)
    if not reason:
        raise EngagementError(_("请说明需要修改的地方。"))
    return _perform(
        INQUIRY,
        inquiry,
        "return_answer",
        actor=actor,
        version=version,
        now=now,
        reason=reason,
        what=_("该咨询"),
    )


def public_text_problems(public_question: str, public_answer: str) -> list[str]:
    """Why these texts cannot be published: personal data in the question, an identity number in
    the answer (an office's phone number in an answer is public information), each with its place."""
    labels = dict(FindingKind.choices)
    problems = []
    for field, value, kinds in (
        (_("公开的问题"), public_question, {FindingKind.ID_NUMBER, FindingKind.PHONE}),
        (_("公开的答复"), public_answer, {FindingKind.ID_NUMBER}),
    ):
        for f in checks.find(value, words=[]):
            if f.kind in kinds:
                problems.append(
                    _("%(field)s第 %(start)d 至 %(end)d 字有%(kind)s“%(text)s”，请删除或隐去后再公开。")
                    % {
                        "field": field,
                        "start": f.start + 1,
                        "end": f.end,
                        "kind": labels[f.kind],
                        "text": f.text,
                    }
                )
    return problems


def do_publish_inquiry(
    inquiry: Inquiry,
    *,
    public_question: str,
    public_answer: str,
    actor: User,
    version: int | None,
    now: dt.datetime | None = None,
) -> Inquiry:
    """The office publishes the answer with the question as edited for the public."""
    now = now or clock.now()
    public_question = _required(public_question, _("公开的问题"), QUESTION_MAX)
    public_answer = _required(public_answer, _("公开的答复"), ANSWER_MAX)
    problems = public_text_problems(public_question, public_answer)
    if problems:
        raise EngagementError(" ".join(problems))

    def apply(locked: Inquiry) -> None:
        locked.public_question = public_question
        locked.public_answer = public_answer
        locked.published_at = now
        if locked.replied_on is None:
            locked.replied_on = _today(now)

    return _perform(
        INQUIRY,
        inquiry,
        "publish",
        actor=actor,
        version=version,
        now=now,
        apply=apply,
        after={"published": True},
        what=_("该咨询"),
    )


def do_reply_inquiry(
    inquiry: Inquiry, *, actor: User, version: int | None, now: dt.datetime | None = None
) -> Inquiry:
    """The office gives the department's answer to the asker only (a private question, or one the
    office decides not to publish); the asker reads it with the query code."""
    now = now or clock.now()

    def apply(locked: Inquiry) -> None:
        locked.replied_on = _today(now)

    return _perform(
        INQUIRY, inquiry, "reply", actor=actor, version=version, now=now, apply=apply, what=_("该咨询")
    )


def do_unpublish_inquiry(
    inquiry: Inquiry, *, actor: User, version: int | None, reason: str, now: dt.datetime | None = None
) -> Inquiry:
    reason = _clean(reason)
    if not reason:
        raise EngagementError(_("请说明撤下公开的理由。"))

    def apply(locked: Inquiry) -> None:
        locked.published_at = None

    return _perform(
        INQUIRY,
        inquiry,
        "unpublish",
        actor=actor,
        version=version,
        now=now,
        apply=apply,
        reason=reason,
        what=_("该咨询"),
    )


def do_rate_inquiry(
    inquiry: Inquiry, code: str, rating: str, comment: str = "", *, now: dt.datetime | None = None
) -> Inquiry:
    """The asker rates the answer, proving the query code (an act of the public, once)."""
    now = now or clock.now()
    if rating not in Rating.values:
        raise EngagementError(_("请选择满意、基本满意或不满意。"))
    if not check_query_code(inquiry, code):
        raise acts.PermissionDeniedError(_("编号或查询码不正确。"))
    comment = _clean(comment)[:500]

    def apply(locked: Inquiry) -> None:
        locked.rating = rating
        locked.rating_comment = comment
        locked.rated_at = now

    return _perform(
        INQUIRY,
        inquiry,
        "rate",
        actor=None,
        version=inquiry.version,
        now=now,
        apply=apply,
        system=True,
        after={"rating": rating},
        what=_("该答复"),
    )


def remind_due(today: dt.date, *, now: dt.datetime | None = None) -> list[Inquiry]:
    """The inquiries the day's reminder (reminders.remind_due, which does proposals too) told the
    handling side of: due by the next working day or overdue, each once a day."""
    from gongkai.engagement import reminders

    return reminders.remind_due(now or clock.now(), today=today).inquiries


# -- online events ---------------------------------------------------------------------------------

EVENT_FIELDS = (
    "kind",
    "title",
    "summary",
    "starts_at",
    "ends_at",
    "guests",
    "department",
    "video_url",
    "archive_text",
)


def clean_event(data: dict[str, Any]) -> dict[str, Any]:
    data = text.clean_inputs(data)
    if data.get("kind") not in EventKind.values:
        raise EngagementError(_("请选择活动形式（在线访谈、网络直播或在线发布）。"))
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts_at, dt.datetime) or not isinstance(ends_at, dt.datetime):
        raise EngagementError(_("请填写开始和结束时间（YYYY-MM-DD HH:MM）。"))
    if ends_at <= starts_at:
        raise EngagementError(_("结束时间应晚于开始时间。"))
    if not isinstance(data.get("department"), Department):
        raise EngagementError(_("请选择主办部门。"))
    video = _clean(data.get("video_url"))
    if video and not re.match(r"^https?://", video):
        raise EngagementError(_("视频地址应以 http:// 或 https:// 开头。"))
    for line in _clean(data.get("guests")).splitlines():
        if line.strip() and not line.partition("|")[0].strip():
            raise EngagementError(_("嘉宾每行应为“姓名|职务”。"))
    return {
        "kind": data["kind"],
        "title": _required(data.get("title"), _("主题"), 200),
        "summary": _clean(data.get("summary")),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "guests": _clean(data.get("guests")),
        "department": data["department"],
        "video_url": video,
        "archive_text": _clean(data.get("archive_text")),
    }


def do_create_event(data: dict[str, Any], *, actor: User, now: dt.datetime | None = None) -> OnlineEvent:
    now = now or clock.now()
    cleaned = clean_event(data)
    with transaction.atomic():
        acts.guard(EVENT, actor, OnlineEvent(department=cleaned["department"]), "create")
        event = OnlineEvent.objects.create(**cleaned, created_by=actor, updated_at=now)
        acts.record_act(
            "engagement.event.created",
            event,
            actor=actor,
            after={"kind": event.kind, "title": event.title, "starts_at": event.starts_at.isoformat()},
            at=now,
        )
    return event


def do_update_event(
    event: OnlineEvent,
    data: dict[str, Any],
    *,
    actor: User,
    version: int | None,
    now: dt.datetime | None = None,
) -> OnlineEvent:
    cleaned = clean_event(data)
    before: dict[str, Any] = {}

    def apply(locked: OnlineEvent) -> None:
        if cleaned["department"].pk != locked.department_id:
            acts.guard(EVENT, actor, OnlineEvent(department=cleaned["department"]), "create")
        before.update({"title": locked.title, "starts_at": locked.starts_at.isoformat()})
        for name, value in cleaned.items():
            setattr(locked, name, value)

    return _perform(
        EVENT,
        event,
        "update",
        actor=actor,
        version=version,
        now=now,
        apply=apply,
        before=before,
        after={"title": cleaned["title"], "starts_at": cleaned["starts_at"].isoformat()},
        what=_("该活动"),
    )


def do_announce_event(
    event: OnlineEvent, *, actor: User, version: int | None, now: dt.datetime | None = None
) -> OnlineEvent:
    now = now or clock.now()

    def apply(locked: OnlineEvent) -> None:
        locked.announced_at = now

    return _perform(
        EVENT, event, "announce", actor=actor, version=version, now=now, apply=apply, what=_("该活动")
    )


def do_archive_event(
    event: OnlineEvent,
    *,
    archive_text: str,
    actor: User,
    version: int | None,
    now: dt.datetime | None = None,
) -> OnlineEvent:
    """The event ends: its review (文字实录与回顾) and the answered questions make the archive page."""
    now = now or clock.now()
    archive_text = _clean(archive_text)
    if not archive_text:
        raise EngagementError(_("请填写活动回顾（文字实录或摘要），归档后在网站上公开。"))
    if now < event.starts_at:
        raise EngagementError(_("活动尚未开始，不能归档。"))

    def apply(locked: OnlineEvent) -> None:
        locked.archive_text = archive_text
        locked.archived_at = now
        # Questions never approved are not shown and are closed with the event.
        locked.questions.filter(status__in=[QuestionStatus.PENDING, QuestionStatus.HELD]).update(
            status=QuestionStatus.REJECTED, updated_at=now
        )

    return _perform(
        EVENT, event, "archive", actor=actor, version=version, now=now, apply=apply, what=_("该活动")
    )


def event_accepts_questions(event: OnlineEvent, now: dt.datetime) -> bool:
    """Questions are taken from the announcement until the event ends."""
    return event.status == EventStatus.ANNOUNCED and now < event.ends_at


def do_ask_question(
    event: OnlineEvent, nickname: str, question: str, *, now: dt.datetime | None = None
) -> EventQuestion:
    """A visitor's question: held until a moderator approves it; personal data, links, repeated
    text or a listed word mark it held with the places shown to the moderator."""
    now = now or clock.now()
    if not event_accepts_questions(event, now):
        raise EngagementError(_("该活动现在不接受提问。"))
    nickname = _required(nickname, _("昵称"), 30)
    question = _required(question, _("问题"), 500)
    findings = [
        f.as_dict() for f in checks.find(nickname, field="nickname") + checks.find(question, field="text")
    ]
    with transaction.atomic():
        item = EventQuestion.objects.create(
            event=event,
            nickname=nickname,
            text=question,
            findings=findings,
            status=QuestionStatus.HELD if findings else QuestionStatus.PENDING,
            asked_at=now,
            updated_at=now,
        )
        acts.record_act(
            "engagement.question.asked",
            item,
            actor=None,
            after={
                "event": event.pk,
                "status": item.status,
                "findings": sorted({f["kind"] for f in findings}),
            },
            at=now,
        )
    return item


def do_moderate_question(
    question: EventQuestion,
    move: str,
    *,
    actor: User,
    version: int | None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> EventQuestion:
    if move not in ("approve", "reject"):
        raise EngagementError(_("未知的操作。"))
    return _perform(
        QUESTION,
        question,
        move,
        actor=actor,
        version=version,
        now=now,
        reason=_clean(reason),
        what=_("该提问"),
    )


def do_answer_question(
    question: EventQuestion,
    answer: str,
    guest: str,
    *,
    actor: User,
    version: int | None,
    now: dt.datetime | None = None,
) -> EventQuestion:
    now = now or clock.now()
    answer = _required(answer, _("回答"), ANSWER_MAX)
    guest = _required(guest, _("回答嘉宾"), 60)

    def apply(locked: EventQuestion) -> None:
        locked.answer = answer
        locked.answered_by_guest = guest
        locked.answered_at = now

    return _perform(
        QUESTION, question, "answer", actor=actor, version=version, now=now, apply=apply, what=_("该提问")
    )


# -- proposals -------------------------------------------------------------------------------------


def clean_proposal(data: dict[str, Any]) -> dict[str, Any]:
    data = text.clean_inputs(data)
    if data.get("kind") not in ProposalKind.values:
        raise EngagementError(_("请选择人大代表建议或政协委员提案。"))
    if not isinstance(data.get("lead_department"), Department):
        raise EngagementError(_("请选择主办部门。"))
    received_on, due_on = data.get("received_on"), data.get("due_on")
    if not isinstance(received_on, dt.date) or not isinstance(due_on, dt.date):
        raise EngagementError(_("请填写交办日期和办理期限（YYYY-MM-DD）。"))
    if due_on < received_on:
        raise EngagementError(_("办理期限不能早于交办日期。"))
    co = [d for d in data.get("co_departments") or [] if isinstance(d, Department)]
    if any(d.pk == data["lead_department"].pk for d in co):
        raise EngagementError(_("主办部门不能同时是协办部门。"))
    return {
        "kind": data["kind"],
        "year": received_on.year,
        "number": _required(data.get("number"), _("编号"), 40),
        "title": _required(data.get("title"), _("标题"), 300),
        "proposer": _required(data.get("proposer"), _("代表或委员"), 200),
        "lead_department": data["lead_department"],
        "co_departments": co,
        "received_on": received_on,
        "due_on": due_on,
    }


def do_register_proposal(data: dict[str, Any], *, actor: User, now: dt.datetime | None = None) -> Proposal:
    now = now or clock.now()
    cleaned = clean_proposal(data)
    if cleaned["received_on"] > _today(now):
        raise EngagementError(_("交办日期不能晚于今天。"))
    co = cleaned.pop("co_departments")
    with transaction.atomic():
        acts.guard(PROPOSAL, actor, Proposal(lead_department=cleaned["lead_department"]), "register")
        if Proposal.objects.filter(
            year=cleaned["year"], kind=cleaned["kind"], number=cleaned["number"]
        ).exists():
            raise EngagementError(
                _("%(year)d 年已有编号为 %(number)s 的同类建议提案。")
                % {"year": cleaned["year"], "number": cleaned["number"]}
            )
        proposal = Proposal.objects.create(**cleaned, created_by=actor, updated_at=now)
        proposal.co_departments.set(co)
        acts.record_act(
            "engagement.proposal.registered",
            proposal,
            actor=actor,
            after={"kind": proposal.kind, "number": proposal.number, "lead": proposal.lead_department_id},
            act_on=proposal.received_on,
            at=now,
        )
    return proposal


def do_reply_proposal(
    proposal: Proposal,
    reply_text: str,
    *,
    on: dt.date,
    actor: User,
    version: int | None,
    now: dt.datetime | None = None,
) -> Proposal:
    reply_text = _required(reply_text, _("答复内容"), 20000)

    def apply(locked: Proposal) -> None:
        locked.reply_text = reply_text
        locked.replied_on = on

    return _perform(
        PROPOSAL,
        proposal,
        "reply",
        actor=actor,
        version=version,
        now=now,
        on=on,
        apply=apply,
        what=_("该建议提案"),
    )


def do_record_consent(
    proposal: Proposal,
    *,
    consent: bool,
    public_summary: str,
    actor: User,
    version: int | None,
    now: dt.datetime | None = None,
) -> Proposal:
    """The lead department's opinion on disclosure, with the summary to publish when it agrees."""
    public_summary = _clean(public_summary)
    if consent and not public_summary:
        raise EngagementError(_("同意公开时请填写公开摘要（公开的答复内容）。"))
    if public_summary:
        problems = public_text_problems("", public_summary)
        if problems:
            raise EngagementError(" ".join(problems))

    def apply(locked: Proposal) -> None:
        locked.consent_to_disclose = consent
        locked.public_summary = public_summary

    return _perform(
        PROPOSAL,
        proposal,
        "consent",
        actor=actor,
        version=version,
        now=now,
        apply=apply,
        after={"consent": consent},
        what=_("该建议提案"),
    )


def do_send_proposal(
    proposal: Proposal, *, on: dt.date, actor: User, version: int | None, now: dt.datetime | None = None
) -> Proposal:
    def apply(locked: Proposal) -> None:
        locked.sent_on = on

    return _perform(
        PROPOSAL,
        proposal,
        "send",
        actor=actor,
        version=version,
        now=now,
        on=on,
        apply=apply,
        what=_("该建议提案"),
    )


def do_disclose_proposal(
    proposal: Proposal, *, on: dt.date, actor: User, version: int | None, now: dt.datetime | None = None
) -> Proposal:
    """The provincial government office disclosed the reply: its summary is shown on the portal."""

    def apply(locked: Proposal) -> None:
        if not locked.public_summary.strip():
            raise EngagementError(_("没有公开摘要，不能公开。"))
        locked.disclosed_on = on

    return _perform(
        PROPOSAL,
        proposal,
        "disclose",
        actor=actor,
        version=version,
        now=now,
        on=on,
        apply=apply,
        what=_("该建议提案"),
    )
