"""Press room services: the only code that changes conferences and interpretations. Every move goes
through the act kernel (one transaction, the version the actor saw, a transition row, one audit
event and its domain event); creations are guarded and recorded with `acts.record_act`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.accounts.models import Department, User
from gongkai.catalog.choices import Status as CatalogStatus
from gongkai.catalog.models import Record
from gongkai.core import acts, clock, params
from gongkai.core.text import strip_control
from gongkai.pressroom import policies, transcript
from gongkai.pressroom.choices import Form, Host, Status
from gongkai.pressroom.models import Answer, Conference, Interpretation, Speaker
from gongkai.pressroom.workflows import CONFERENCE, INTERPRETATION

PressroomError = acts.ActError

CONFERENCE_FIELDS = ("title", "held_on", "host", "venue", "topics", "summary", "department", "release")
INTERPRETATION_FIELDS = (
    "title",
    "form",
    "policy",
    "conference",
    "body",
    "media_url",
    "media_text",
    "department",
)
LIMITS = {"title": 200, "venue": 200, "topics": 2000, "summary": 5000, "body": 50000, "media_text": 5000}
MAX_SPEAKERS = 30
MAX_RELATED = 50


def _text(data: dict[str, Any], name: str, label: str, *, required: bool = False) -> str:
    value = strip_control(str(data.get(name) or "")).strip()
    if required and not value:
        raise PressroomError(_("%(field)s不能为空。") % {"field": label})
    limit = LIMITS.get(name)
    if limit and len(value) > limit:
        raise PressroomError(_("%(field)s不能超过 %(n)d 个字。") % {"field": label, "n": limit})
    return value


def record_by_index(index_number: str, label: str) -> Record:
    """A record of the catalog cited by its index number: a published one only. A conference or an
    interpretation shows what it cites to everyone who may see it, so a draft (or a withdrawn record)
    of any department is never cited, and the message is the same whether it exists or not."""
    record = Record.objects.filter(index_number=index_number.strip(), status=CatalogStatus.PUBLISHED).first()
    if record is None:
        raise PressroomError(
            _("%(field)s：公开目录中没有索引号为“%(number)s”的已公开信息。")
            % {"field": label, "number": index_number}
        )
    return record


# -- conferences -----------------------------------------------------------------------------------


def clean_speakers(rows: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        name = strip_control(str(row.get("name") or "")).strip()
        organisation = strip_control(str(row.get("organisation") or "")).strip()
        post = strip_control(str(row.get("post") or "")).strip()
        if not name:
            raise PressroomError(_("第 %(n)d 位发布人没有姓名。") % {"n": n})
        if not organisation:
            raise PressroomError(
                _("第 %(n)d 位发布人（%(name)s）没有填写所在部门。") % {"n": n, "name": name}
            )
        if len(name) > 50 or len(organisation) > 100 or len(post) > 100:
            raise PressroomError(_("第 %(n)d 位发布人的姓名、职务或部门过长。") % {"n": n})
        if name in seen:
            raise PressroomError(_("发布人“%(name)s”重复。") % {"name": name})
        seen.add(name)
        cleaned.append({"name": name, "post": post, "organisation": organisation})
    if len(cleaned) > MAX_SPEAKERS:
        raise PressroomError(_("发布人不能超过 %(n)d 位。") % {"n": MAX_SPEAKERS})
    return cleaned


def clean_conference(data: dict[str, Any]) -> dict[str, Any]:
    """Check a conference's fields (form, demo and tests alike); raises PressroomError in words."""
    cleaned: dict[str, Any] = {
        "title": _text(data, "title", _("标题"), required=True),
        "venue": _text(data, "venue", _("地点")),
        "topics": _text(data, "topics", _("发布主题")),
        "summary": _text(data, "summary", _("简介")),
    }
    held_on = data.get("held_on")
    if not isinstance(held_on, dt.date):
        raise PressroomError(_("请填写召开日期（YYYY-MM-DD）。"))
    if held_on.year < 1990:
        raise PressroomError(_("召开日期不合理：%(d)s。") % {"d": held_on.isoformat()})
    cleaned["held_on"] = held_on
    host = data.get("host") or Host.AGENCY
    if host not in Host.values:
        raise PressroomError(_("召开名义应为“以省政府名义”或“以本机关名义”。"))
    cleaned["host"] = host
    department = data.get("department")
    if not isinstance(department, Department):
        raise PressroomError(_("请选择承办部门。"))
    cleaned["department"] = department
    release = data.get("release")
    if isinstance(release, str):
        release = record_by_index(release, _("新闻发布稿")) if release.strip() else None
    cleaned["release"] = release
    related = []
    for item in data.get("related_records") or []:
        record = record_by_index(item, _("相关信息")) if isinstance(item, str) else item
        if record not in related and record != release:
            related.append(record)
    if len(related) > MAX_RELATED:
        raise PressroomError(_("相关信息不能超过 %(n)d 条。") % {"n": MAX_RELATED})
    cleaned["related_records"] = related
    if "speakers" in data:
        cleaned["speakers"] = clean_speakers(data["speakers"])
    return cleaned


def _write_speakers(conference: Conference, rows: list[dict[str, str]]) -> None:
    """Keep the speakers named again (their answers stay theirs), add the new ones, and drop the
    ones no longer named unless the transcript has their answers."""
    current = {s.name: s for s in conference.speakers.all()}
    names = {row["name"] for row in rows}
    answering = [s.name for s in current.values() if s.name not in names and s.answers.exists()]
    if answering:
        raise PressroomError(
            _("发布人“%(names)s”在问答实录中有回答，不能删除；请先重新导入问答实录。")
            % {"names": "、".join(answering)}
        )
    Speaker.objects.filter(conference=conference).exclude(name__in=names).delete()
    # Positions are unique: move the kept ones out of the way first.
    for speaker in current.values():
        if speaker.name in names:
            speaker.position += 1000
            speaker.save(update_fields=["position"])
    for position, row in enumerate(rows, start=1):
        kept = current.get(row["name"])
        if kept is None:
            Speaker.objects.create(conference=conference, position=position, **row)
        else:
            kept.position = position
            kept.post = row["post"]
            kept.organisation = row["organisation"]
            kept.save()


def conference_values(conference: Conference) -> dict[str, Any]:
    return {
        "title": conference.title,
        "held_on": conference.held_on.isoformat(),
        "host": conference.host,
        "venue": conference.venue,
        "topics": conference.topic_list(),
        "department": conference.department_id,
        "release": conference.release_id,
        "related_records": sorted(conference.related_records.values_list("pk", flat=True)),
        "speakers": [f"{s.name}|{s.post}|{s.organisation}" for s in conference.speakers.all()],
        "status": conference.status,
    }


def _may_place(actor: User, department: Department) -> None:
    if not CONFERENCE.may(actor, Conference(department=department), "create"):
        raise acts.PermissionDeniedError(_("只能为本部门新建（公开办可为各部门新建）。"))


def do_create_conference(data: dict[str, Any], *, actor: User, now: dt.datetime | None = None) -> Conference:
    now = now or clock.now()
    with transaction.atomic():
        cleaned = clean_conference(data)
        acts.guard(CONFERENCE, actor, Conference(department=cleaned["department"]), "create")
        conference = Conference.objects.create(
            **{k: cleaned[k] for k in CONFERENCE_FIELDS},
            status=Status.DRAFT,
            created_by=actor,
            last_edited_by=actor,
            created_at=now,
            updated_at=now,
        )
        conference.related_records.set(cleaned["related_records"])
        _write_speakers(conference, cleaned.get("speakers", []))
        acts.record_act(
            "pressroom.conference.created",
            conference,
            actor=actor,
            after=conference_values(conference),
            at=now,
        )
    return conference


def do_update_conference(
    conference: Conference,
    data: dict[str, Any],
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Conference:
    before: dict[str, Any] = {}

    def change(locked: Conference) -> None:
        before.update(conference_values(locked))
        cleaned = clean_conference(data)
        if cleaned["department"] != locked.department:
            _may_place(actor, cleaned["department"])
        for name in CONFERENCE_FIELDS:
            setattr(locked, name, cleaned[name])
        locked.last_edited_by = actor
        locked.save()
        locked.related_records.set(cleaned["related_records"])
        if "speakers" in cleaned:
            _write_speakers(locked, cleaned["speakers"])

    return acts.perform(
        CONFERENCE,
        conference,
        "update",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        before=before,
        after=lambda c, _v: conference_values(c),
        what=_("该发布会"),
    ).obj


def do_import_transcript(
    conference: Conference,
    content: bytes,
    filename: str,
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> int:
    """Replace the transcript with the file's rows: all of them or, if one is wrong, none (the
    error names the row and column: `transcript.TranscriptError`). Returns the number of rows."""

    counts: dict[str, int] = {}

    def change(locked: Conference) -> int:
        speakers = {s.name: s for s in locked.speakers.all()}
        rows = transcript.parse(content, filename, set(speakers))
        counts["replaced"] = locked.answers.count()
        locked.answers.all().delete()
        locked.last_edited_by = actor
        Answer.objects.bulk_create(
            Answer(
                conference=locked,
                position=n,
                speaker=speakers[row.speaker],
                asked_by=row.asked_by,
                question=row.question,
                answer=row.answer,
            )
            for n, row in enumerate(rows, start=1)
        )
        return len(rows)

    done = acts.perform(
        CONFERENCE,
        conference,
        "import_transcript",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        after=lambda c, n: {"file": filename[:200], "rows": n, "replaced": counts.get("replaced", 0)},
        what=_("该发布会"),
    )
    assert done.value is not None
    return done.value


def _iso(at: dt.datetime | None) -> str:
    return at.isoformat() if at is not None else ""


def _published(now: dt.datetime | None) -> Any:
    at = now or clock.now()

    def change(locked: Conference | Interpretation) -> None:
        locked.published_at = at
        locked.withdrawn_at = None
        locked.withdrawal_reason = ""

    return change


def _withdrawn(reason: str, now: dt.datetime | None) -> Any:
    reason = strip_control(reason).strip()
    at = now or clock.now()

    def change(locked: Conference | Interpretation) -> None:
        if not reason:
            raise PressroomError(_("请填写撤回原因（将向公众显示）。"))
        locked.withdrawn_at = at
        locked.withdrawal_reason = reason[:2000]

    return change


def do_publish_conference(
    conference: Conference, *, actor: User, expected_version: int | None, now: dt.datetime | None = None
) -> Conference:
    return acts.perform(
        CONFERENCE,
        conference,
        "publish",
        actor=actor,
        version=expected_version,
        apply=_published(now),
        now=now,
        after=lambda c, _v: {"status": c.status, "published_at": _iso(c.published_at)},
        what=_("该发布会"),
    ).obj


def do_withdraw_conference(
    conference: Conference,
    *,
    actor: User,
    reason: str,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Conference:
    return acts.perform(
        CONFERENCE,
        conference,
        "withdraw",
        actor=actor,
        version=expected_version,
        apply=_withdrawn(reason, now),
        now=now,
        reason=reason,
        after={"status": Status.WITHDRAWN},
        what=_("该发布会"),
    ).obj


def do_redraft_conference(conference: Conference, *, actor: User, expected_version: int | None) -> Conference:
    return acts.perform(
        CONFERENCE, conference, "redraft", actor=actor, version=expected_version, what=_("该发布会")
    ).obj


# -- interpretations -------------------------------------------------------------------------------


def clean_interpretation(data: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {
        "title": _text(data, "title", _("标题"), required=True),
        "body": _text(data, "body", _("解读内容")),
        "media_text": _text(data, "media_text", _("图解或视频的文字说明")),
    }
    form = data.get("form") or Form.TEXT
    if form not in Form.values:
        raise PressroomError(_("解读形式应为文字、图解、视频或新闻发布会。"))
    cleaned["form"] = form
    media_url = str(data.get("media_url") or "").strip()
    if media_url and not media_url.startswith(("https://", "http://", "/")):
        raise PressroomError(_("图解或视频地址应以 https:// 开头。"))
    if len(media_url) > 500:
        raise PressroomError(_("图解或视频地址过长。"))
    cleaned["media_url"] = media_url
    policy = data.get("policy")
    if isinstance(policy, str):
        if not policy.strip():
            raise PressroomError(_("请填写所解读政策文件的索引号。"))
        policy = record_by_index(policy, _("解读的政策文件"))
    if not isinstance(policy, Record):
        raise PressroomError(_("请填写所解读政策文件的索引号。"))
    if not policies.is_policy(policy):
        raise PressroomError(
            _("“%(name)s”不在需要解读的政策文件栏目（%(columns)s）中。")
            % {"name": policy.name, "columns": "、".join(policies.category_codes())}
        )
    cleaned["policy"] = policy
    department = data.get("department")
    if not isinstance(department, Department):
        raise PressroomError(_("请选择解读部门。"))
    cleaned["department"] = department
    conference = data.get("conference")
    if not isinstance(conference, Conference) and conference not in (None, ""):
        pk = params.id_param(str(conference))
        # A published conference, or a draft of the interpreting department itself: another
        # department's draft stays unseen (its title would show on this interpretation's page).
        found = (
            Conference.objects.filter(pk=pk)
            .filter(Q(status=Status.PUBLISHED) | Q(department=department))
            .first()
            if pk is not None
            else None
        )
        if found is None:
            raise PressroomError(_("没有这场新闻发布会。"))
        conference = found
    cleaned["conference"] = conference or None
    return cleaned


def interpretation_values(interpretation: Interpretation) -> dict[str, Any]:
    return {
        "title": interpretation.title,
        "form": interpretation.form,
        "policy": interpretation.policy_id,
        "conference": interpretation.conference_id,
        "department": interpretation.department_id,
        "media_url": interpretation.media_url,
        "status": interpretation.status,
    }


def do_create_interpretation(
    data: dict[str, Any], *, actor: User, now: dt.datetime | None = None
) -> Interpretation:
    now = now or clock.now()
    with transaction.atomic():
        cleaned = clean_interpretation(data)
        acts.guard(INTERPRETATION, actor, Interpretation(department=cleaned["department"]), "create")
        interpretation = Interpretation.objects.create(
            **{k: cleaned[k] for k in INTERPRETATION_FIELDS},
            status=Status.DRAFT,
            created_by=actor,
            last_edited_by=actor,
            created_at=now,
            updated_at=now,
        )
        acts.record_act(
            "pressroom.interpretation.created",
            interpretation,
            actor=actor,
            after=interpretation_values(interpretation),
            at=now,
        )
    return interpretation


def do_update_interpretation(
    interpretation: Interpretation,
    data: dict[str, Any],
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Interpretation:
    before: dict[str, Any] = {}

    def change(locked: Interpretation) -> None:
        before.update(interpretation_values(locked))
        cleaned = clean_interpretation(data)
        if cleaned["department"] != locked.department and not INTERPRETATION.may(
            actor, Interpretation(department=cleaned["department"]), "create"
        ):
            raise acts.PermissionDeniedError(_("只能为本部门新建（公开办可为各部门新建）。"))
        for name in INTERPRETATION_FIELDS:
            setattr(locked, name, cleaned[name])
        locked.last_edited_by = actor

    return acts.perform(
        INTERPRETATION,
        interpretation,
        "update",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        before=before,
        after=lambda i, _v: interpretation_values(i),
        what=_("该解读"),
    ).obj


def do_publish_interpretation(
    interpretation: Interpretation,
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Interpretation:
    return acts.perform(
        INTERPRETATION,
        interpretation,
        "publish",
        actor=actor,
        version=expected_version,
        apply=_published(now),
        now=now,
        after=lambda i, _v: {
            "status": i.status,
            "policy": i.policy_id,
            "published_at": _iso(i.published_at),
        },
        what=_("该解读"),
    ).obj


def do_withdraw_interpretation(
    interpretation: Interpretation,
    *,
    actor: User,
    reason: str,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> Interpretation:
    return acts.perform(
        INTERPRETATION,
        interpretation,
        "withdraw",
        actor=actor,
        version=expected_version,
        apply=_withdrawn(reason, now),
        now=now,
        reason=reason,
        after={"status": Status.WITHDRAWN},
        what=_("该解读"),
    ).obj


def do_redraft_interpretation(
    interpretation: Interpretation, *, actor: User, expected_version: int | None
) -> Interpretation:
    return acts.perform(
        INTERPRETATION, interpretation, "redraft", actor=actor, version=expected_version, what=_("该解读")
    ).obj
