"""The press room's workflows, declared once for the act kernel (`gongkai.core.acts`): a press
conference and a policy interpretation are drafted by the department that holds them (or by the
office), published on the portal and withdrawn by the disclosure office's reviewer; a withdrawn one
may be corrected and published again. Whoever drafted it or last changed its content may not publish
it (four eyes): a reviewer who drafted or corrected one leaves its publication to another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.core import acts, clock
from gongkai.core.text import join_sentences
from gongkai.pressroom.choices import TRANSITIONS, Status
from gongkai.pressroom.models import (
    Conference,
    ConferenceTransition,
    Interpretation,
    InterpretationTransition,
)

SAME_DEPARTMENT = acts.same_department()
DRAFTERS = (
    acts.permit(Role.EDITOR, Role.HEAD, relation=SAME_DEPARTMENT),
    acts.permit(Role.REVIEWER),
)
OFFICE = (acts.permit(Role.REVIEWER),)
OFFICE_ONLY = _("只有公开办审核员可以发布或撤回。")


def drafted_or_edited_by(obj: Conference | Interpretation) -> set[int]:
    """Who may not publish a conference or an interpretation: whoever drafted it or last changed
    its content (an edit, a transcript import; after a withdrawal, its corrector) — four eyes."""
    return {pk for pk in (obj.created_by_id, obj.last_edited_by_id) if pk is not None}


def _status_label(status: str) -> str:
    return str(Status(status).label)


def conference_problems(conference: Conference) -> list[str]:
    """What a conference still lacks before it can be published (all of it, so all is fixed)."""
    problems = []
    if conference.held_on > timezone.localdate(clock.now()):
        problems.append(str(_("发布会尚未召开，召开后才能发布。")))
    if not conference.topic_list():
        problems.append(str(_("缺少发布主题。")))
    if not conference.speakers.exists():
        problems.append(str(_("缺少发布人。")))
    if conference.release is not None and conference.release.status != "published":
        problems.append(str(_("新闻发布稿尚未在公开目录中发布。")))
    return problems


def interpretation_problems(interpretation: Interpretation) -> list[str]:
    from gongkai.pressroom import policies

    problems = []
    if interpretation.policy.status != "published":
        problems.append(str(_("所解读的政策文件尚未在公开目录中发布。")))
    elif not policies.is_policy(interpretation.policy):
        problems.append(str(_("所解读的信息不属于政策文件栏目。")))
    if interpretation.form == "conference":
        if interpretation.conference_id is None:
            problems.append(str(_("新闻发布会解读须选择所依托的新闻发布会。")))
        elif interpretation.conference is not None and interpretation.conference.status != "published":
            problems.append(str(_("所依托的新闻发布会尚未发布。")))
    elif interpretation.form in ("graphic", "video"):
        if not interpretation.media_url or not interpretation.media_text.strip():
            problems.append(str(_("图解或视频解读须填写地址和文字说明（供无法观看的读者阅读）。")))
    elif not interpretation.body.strip():
        problems.append(str(_("缺少解读内容。")))
    return problems


def _ready(problems: Callable[[Any], list[str]]) -> Callable[[User | None, Any], str | None]:
    def check(actor: User | None, obj: Any) -> str | None:
        found = problems(obj)
        return str(_("尚不能发布：%(problems)s") % {"problems": join_sentences(found)}) if found else None

    return check


def _moves(
    kind: str, problems: Callable[[Any], list[str]], extra: tuple[acts.Move, ...] = ()
) -> dict[str, acts.Move]:
    moves = (
        acts.Move(
            "create",
            f"pressroom.{kind}.created",
            _("新建"),
            DRAFTERS,
            refusal=_("只能为本部门新建（公开办可为各部门新建）。"),
        ),
        acts.Move(
            "update",
            f"pressroom.{kind}.updated",
            _("修改"),
            DRAFTERS,
            sources=frozenset({Status.DRAFT}),
            refusal=_("您无权修改。"),
        ),
        *extra,
        acts.Move(
            "publish",
            f"pressroom.{kind}.published",
            _("发布"),
            OFFICE,
            sources=frozenset({Status.DRAFT}),
            target=Status.PUBLISHED,
            check=_ready(problems),
            four_eyes=drafted_or_edited_by,
            refusal=OFFICE_ONLY,
        ),
        acts.Move(
            "withdraw",
            f"pressroom.{kind}.withdrawn",
            _("撤回"),
            OFFICE,
            sources=frozenset({Status.PUBLISHED}),
            target=Status.WITHDRAWN,
            refusal=OFFICE_ONLY,
        ),
        acts.Move(
            "redraft",
            f"pressroom.{kind}.redrafted",
            _("重新起草"),
            DRAFTERS,
            sources=frozenset({Status.WITHDRAWN}),
            target=Status.DRAFT,
            refusal=_("您无权修改。"),
        ),
    )
    return {m.name: m for m in moves}


CONFERENCE: acts.Workflow[Conference] = acts.register(
    acts.Workflow(
        code="pressroom.conference",
        model=Conference,
        status_label=_status_label,
        transitions=TRANSITIONS,
        write_transition=acts.transition_writer(ConferenceTransition, "conference"),
        moves=_moves(
            "conference",
            conference_problems,
            (
                acts.Move(
                    "import_transcript",
                    "pressroom.conference.transcript_imported",
                    _("导入问答实录"),
                    DRAFTERS,
                    sources=frozenset({Status.DRAFT}),
                    refusal=_("您无权修改。"),
                ),
            ),
        ),
    )
)

INTERPRETATION: acts.Workflow[Interpretation] = acts.register(
    acts.Workflow(
        code="pressroom.interpretation",
        model=Interpretation,
        status_label=_status_label,
        transitions=TRANSITIONS,
        write_transition=acts.transition_writer(InterpretationTransition, "interpretation"),
        moves=_moves("interpretation", interpretation_problems),
    )
)
