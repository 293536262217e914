"""Powers services: the only code that changes items and list editions. Each move goes through the
act kernel (one transaction, the version the actor saw, one transition row, one audit event)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Department, User
from gongkai.core import acts, clock
from gongkai.core.text import join_sentences
from gongkai.powers import flowchart
from gongkai.powers.choices import (
    LOWER_LEVELS,
    ChangeKind,
    EditionStatus,
    ItemList,
    Level,
    MaterialForm,
    PowerCategory,
    Stage,
    Status,
)
from gongkai.powers.models import (
    Flowchart,
    FlowStep,
    ItemChange,
    ItemVersion,
    ListEdition,
    Material,
    PowerItem,
    Responsibility,
    ServiceGuide,
)
from gongkai.powers.workflows import EDITION, ITEM

PowersError = acts.ActError

ITEM_FIELDS = ("list_kind", "category", "code", "name", "sub_items", "legal_basis", "department", "level")
GUIDE_FIELDS = (
    "conditions",
    "statutory_days",
    "promised_days",
    "fee",
    "fee_basis",
    "place",
    "hours",
    "phone",
    "online_url",
    "faqs",
)
MATERIAL_FIELDS = ("name", "form", "copies", "note")
RESPONSIBILITY_FIELDS = ("stage", "duties", "boundary", "public_services", "supervision", "accountability")
STEP_FIELDS = ("number", "name", "post", "time_limit", "next_steps", "basis", "procedure")
# The catalog column each list's announcement is published in.
ANNOUNCEMENT_COLUMN = {ItemList.POWERS: "powers-list", ItemList.APPROVALS: "approvals"}


# -- reading an item as plain values ---------------------------------------------------------------


def steps_of(item: PowerItem) -> list[flowchart.Step]:
    return [
        flowchart.Step(s.number, s.name, s.post, s.time_limit, s.next_steps, s.basis, s.procedure)
        for s in item.steps.all()
    ]


def content(item: PowerItem) -> dict[str, Any]:
    """Everything the public sees of an item, as plain values (what a version keeps)."""
    data: dict[str, Any] = {name: getattr(item, name) for name in ITEM_FIELDS if name != "department"}
    data["department"] = item.department.name
    data["department_id"] = item.department_id
    data["sub_items"] = item.sub_item_list()
    data["legal_basis"] = item.basis_list()
    data["responsibilities"] = [
        {name: getattr(r, name) for name in RESPONSIBILITY_FIELDS} for r in item.responsibilities.all()
    ]
    data["steps"] = [{name: getattr(s, name) for name in STEP_FIELDS} for s in item.steps.all()]
    guide = getattr(item, "guide", None) if item.is_approval else None
    data["guide"] = {name: getattr(guide, name) for name in GUIDE_FIELDS} if guide is not None else None
    data["materials"] = [{name: getattr(m, name) for name in MATERIAL_FIELDS} for m in item.materials.all()]
    return data


def working(item: PowerItem) -> dict[str, Any]:
    """What the editor works on, as plain values in the form `do_update_item` takes (the
    department by id): a published item's pending revision, else its rows."""
    if item.revision is not None:
        return dict(item.revision)
    data: dict[str, Any] = {name: getattr(item, name) for name in ITEM_FIELDS if name != "department"}
    data["department"] = item.department_id
    if item.is_approval:
        guide = getattr(item, "guide", None)
        for name in GUIDE_FIELDS:
            empty: Any = None if name.endswith("_days") else [] if name == "faqs" else ""
            data[name] = getattr(guide, name) if guide is not None else empty
    data["materials"] = [{name: getattr(m, name) for name in MATERIAL_FIELDS} for m in item.materials.all()]
    data["responsibilities"] = [
        {name: getattr(r, name) for name in RESPONSIBILITY_FIELDS} for r in item.responsibilities.all()
    ]
    data["steps"] = [{name: getattr(s, name) for name in STEP_FIELDS} for s in item.steps.all()]
    return data


def _step_values(rows: list[dict[str, Any]]) -> list[flowchart.Step]:
    return [flowchart.Step(**{k: row.get(k, "") for k in STEP_FIELDS}) for row in rows]


def publish_problems(item: PowerItem) -> list[str]:
    """What an item (a published item: its pending revision) still lacks before it can be
    published (every one, so the editor fixes all)."""
    data = working(item)
    problems = []
    if not any(line.strip() for line in str(data.get("legal_basis") or "").splitlines()):
        problems.append(_("缺少设定依据（法律法规名称及条款）。"))
    if data.get("list_kind") == ItemList.APPROVALS:
        if not str(data.get("conditions") or "").strip():
            problems.append(_("缺少受理条件。"))
        if not data.get("materials"):
            problems.append(_("缺少申请材料。"))
        statutory, promised = data.get("statutory_days"), data.get("promised_days")
        if statutory is None or promised is None:
            problems.append(_("缺少法定或承诺办结时限。"))
        elif promised > statutory:
            problems.append(_("承诺办结时限不能长于法定办结时限。"))
        if not data.get("steps"):
            problems.append(_("缺少办理流程（步骤）。"))
    steps = _step_values(data.get("steps") or [])
    if steps:
        try:
            flowchart.check_procedures(steps)
        except flowchart.FlowError as exc:
            problems.append(str(exc))
    return problems


# -- checking what the user entered --------------------------------------------------------------


def clean_item(data: dict[str, Any]) -> dict[str, Any]:
    """Check the item's own fields (forms, import and API alike); raises PowersError in words."""
    cleaned = dict(data)
    if cleaned.get("list_kind", ItemList.POWERS) not in ItemList.values:
        raise PowersError(_("未知的清单。"))
    if cleaned.get("category") not in PowerCategory.values:
        raise PowersError(_("职权类别应为十类之一（行政许可、行政处罚……其他行政权力）。"))
    if cleaned.get("level", Level.PROVINCE) not in Level.values:
        raise PowersError(_("行使层级应为省级、市级或县级。"))
    for name, label in (("code", _("事项编码")), ("name", _("事项名称"))):
        value = str(cleaned.get(name) or "").strip()
        if not value:
            raise PowersError(_("%(field)s不能为空。") % {"field": label})
        cleaned[name] = value
    if not isinstance(cleaned.get("department"), Department):
        raise PowersError(_("请选择实施部门。"))
    return cleaned


def clean_steps(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    steps = _step_values(rows)
    if steps:
        flowchart.check_procedures(steps)
    return rows


def clean_materials(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for n, row in enumerate(rows, start=1):
        if not str(row.get("name") or "").strip():
            raise PowersError(_("第 %(n)d 项申请材料没有名称。") % {"n": n})
        if row.get("form") not in MaterialForm.values:
            raise PowersError(_("第 %(n)d 项申请材料应注明原件或复印件。") % {"n": n})
        if not isinstance(row.get("copies"), int) or row["copies"] < 1:
            raise PowersError(_("第 %(n)d 项申请材料的份数应为正整数。") % {"n": n})
    return rows


def clean_responsibilities(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for n, row in enumerate(rows, start=1):
        if row.get("stage") not in Stage.values:
            raise PowersError(_("第 %(n)d 条责任事项的环节无法识别。") % {"n": n})
        if not str(row.get("duties") or "").strip():
            raise PowersError(_("第 %(n)d 条责任事项没有内容。") % {"n": n})
    return rows


def _check_guide(guide: ServiceGuide) -> None:
    """The guide's fields as the model checks them (an address, the days…), refused with the
    field named — a clear message on the form, never an error page."""
    try:
        guide.full_clean(exclude=["item"])
    except ValidationError as exc:
        problems = [
            _("“%(field)s”：%(message)s")
            % {
                "field": getattr(ServiceGuide._meta.get_field(name), "verbose_name", name),
                "message": " ".join(messages),
            }
            for name, messages in exc.message_dict.items()
            if name != NON_FIELD_ERRORS
        ] + exc.message_dict.get(NON_FIELD_ERRORS, [])
        raise PowersError(_("服务指南有误：%(problems)s") % {"problems": "；".join(problems)}) from exc


def _write_children(item: PowerItem, data: dict[str, Any]) -> None:
    if item.is_approval:
        guide, _created = ServiceGuide.objects.get_or_create(item=item)
        changed = [name for name in GUIDE_FIELDS if name in data]
        for name in changed:
            setattr(guide, name, data[name] if data[name] is not None or name.endswith("_days") else "")
        if changed:
            _check_guide(guide)
            guide.save()
    if "materials" in data:
        item.materials.all().delete()
        Material.objects.bulk_create(
            Material(item=item, position=n, **{k: row.get(k, "") for k in MATERIAL_FIELDS})
            for n, row in enumerate(clean_materials(data["materials"]), start=1)
        )
    if "responsibilities" in data:
        item.responsibilities.all().delete()
        Responsibility.objects.bulk_create(
            Responsibility(item=item, position=n, **{k: row.get(k, "") for k in RESPONSIBILITY_FIELDS})
            for n, row in enumerate(clean_responsibilities(data["responsibilities"]), start=1)
        )
    if "steps" in data:
        item.steps.all().delete()
        FlowStep.objects.bulk_create(
            FlowStep(item=item, **{k: row.get(k, "") for k in STEP_FIELDS})
            for row in clean_steps(data["steps"])
        )


def _revision_of(item: PowerItem, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The whole edited item as a pending revision: checked as `_write_children` checks the rows,
    kept as plain values until it is published."""
    revision: dict[str, Any] = {name: cleaned[name] for name in ITEM_FIELDS if name != "department"}
    revision["department"] = cleaned["department"].pk
    if cleaned["list_kind"] == ItemList.APPROVALS:
        values = {
            name: cleaned.get(name) if cleaned.get(name) is not None or name.endswith("_days") else ""
            for name in GUIDE_FIELDS
        }
        values["faqs"] = values["faqs"] or []
        _check_guide(ServiceGuide(item=item, **values))
        revision.update(values)
    revision["materials"] = [
        {k: row.get(k, "") for k in MATERIAL_FIELDS}
        for row in clean_materials(cleaned.get("materials") or [])
    ]
    revision["responsibilities"] = [
        {k: row.get(k, "") for k in RESPONSIBILITY_FIELDS}
        for row in clean_responsibilities(cleaned.get("responsibilities") or [])
    ]
    revision["steps"] = [
        {k: row.get(k, "") for k in STEP_FIELDS} for row in clean_steps(cleaned.get("steps") or [])
    ]
    return revision


def _apply_revision(item: PowerItem) -> None:
    """Write a published item's pending revision to its rows (when a list edition publishes it)."""
    if item.revision is None:
        return
    data = dict(item.revision)
    data["department"] = Department.objects.get(pk=data["department"])
    for name in ITEM_FIELDS:
        setattr(item, name, data[name])
    item.revision = None
    item.save()
    _write_children(item, data)


def _as_values(item: PowerItem) -> dict[str, Any]:
    source = item.revision or {}
    values = {name: source.get(name, getattr(item, name)) for name in ITEM_FIELDS if name != "department"}
    values["department"] = source.get("department", item.department_id)
    values["status"] = item.status
    if item.revision is not None:
        values["revision"] = True
    return values


def _check_date(on: dt.date, now: dt.datetime) -> None:
    if on > timezone.localdate(now):
        raise acts.DateError(_("日期不能晚于今天（%(d)s）。") % {"d": timezone.localdate(now).isoformat()})


# -- items ---------------------------------------------------------------------------------------


def do_create_item(
    data: dict[str, Any],
    *,
    set_on: dt.date,
    set_document: str,
    actor: User,
    now: dt.datetime | None = None,
) -> PowerItem:
    """A new item, with the day and the document that set it (the first entry of its history)."""
    now = now or clock.now()
    with transaction.atomic():
        cleaned = clean_item(data)
        acts.guard(ITEM, actor, PowerItem(department=cleaned["department"]), "create")
        if not set_document.strip():
            raise PowersError(_("请填写设立该事项的决定文件。"))
        _check_date(set_on, now)
        if PowerItem.objects.filter(code=cleaned["code"]).exists():
            raise PowersError(_("事项编码 %(code)s 已存在。") % {"code": cleaned["code"]})
        item = PowerItem(
            **{k: v for k, v in cleaned.items() if k in ITEM_FIELDS},
            status=Status.DRAFT,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        item.save()
        _write_children(item, cleaned)
        ItemChange.objects.create(
            item=item,
            kind=ChangeKind.SET,
            on=set_on,
            document=set_document.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        acts.record_act(
            "powers.item.created",
            item,
            actor=actor,
            after={**_as_values(item), "set_document": set_document},
            act_on=set_on,
            at=now,
        )
    return item


def do_update_item(
    item: PowerItem,
    data: dict[str, Any],
    *,
    actor: User,
    expected_version: int | None,
    now: dt.datetime | None = None,
) -> PowerItem:
    """Change the working copy; a published item's change is kept as its pending revision (the
    rows, and so the public version and the figures, stay as published until it is published)."""
    before: dict[str, Any] = {}
    now = now or clock.now()

    def change(locked: PowerItem) -> None:
        before.update(_as_values(locked))
        current = working(locked)
        department = Department.objects.filter(pk=current.pop("department")).first()
        if locked.live_id is None:
            # Not yet published: the rows are the draft; only the fields given change.
            current = {name: current[name] for name in ITEM_FIELDS if name != "department"}
        cleaned = clean_item({**current, "department": department, **data})
        if cleaned["code"] != locked.code and locked.live_id is not None:
            raise PowersError(_("已发布事项的编码不能修改（公众以编码查找事项）。"))
        if cleaned["list_kind"] != locked.list_kind and locked.live_id is not None:
            # Each list is published in its own editions; the revision would go out in the wrong one.
            raise PowersError(_("已发布事项不能移到另一个清单。"))
        if cleaned["department"] != department and not ITEM.may(
            actor, PowerItem(department=cleaned["department"]), "create"
        ):
            raise acts.PermissionDeniedError(_("只能把事项归入本部门。"))
        if cleaned["code"] != locked.code and PowerItem.objects.filter(code=cleaned["code"]).exists():
            raise PowersError(_("事项编码 %(code)s 已存在。") % {"code": cleaned["code"]})
        if locked.live_id is None:
            for name in ITEM_FIELDS:
                setattr(locked, name, cleaned[name])
            locked.save()
            _write_children(locked, cleaned)
        else:
            locked.revision = _revision_of(locked, cleaned)
        if locked.status in (Status.PUBLISHED, Status.APPROVED):
            ITEM.move_to(locked, Status.DRAFT, actor=actor, at=now, reason=_("修改后重新起草"))

    return acts.perform(
        ITEM,
        item,
        "update",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        before=before,
        after=lambda i, _v: _as_values(i),
        what=_("该事项"),
    ).obj


def _ready(locked: PowerItem) -> None:
    problems = publish_problems(locked)
    if problems:
        raise PowersError(_("该事项尚不能发布：%(problems)s") % {"problems": join_sentences(problems)})


def do_submit_item(item: PowerItem, *, actor: User, expected_version: int | None) -> PowerItem:
    return acts.perform(
        ITEM, item, "submit", actor=actor, version=expected_version, apply=_ready, what=_("该事项")
    ).obj


def do_approve_item(
    item: PowerItem, *, actor: User, expected_version: int | None, note: str = ""
) -> PowerItem:
    """Passed by the office reviewer, a second person; it goes live with the next list edition."""

    def change(locked: PowerItem) -> None:
        _ready(locked)
        locked.return_reason = ""

    return acts.perform(
        ITEM,
        item,
        "approve",
        actor=actor,
        version=expected_version,
        apply=change,
        reason=note,
        what=_("该事项"),
    ).obj


def do_return_item(item: PowerItem, *, actor: User, reason: str, expected_version: int | None) -> PowerItem:
    if not reason.strip():
        raise PowersError(_("退回时须说明原因。"))

    def change(locked: PowerItem) -> None:
        locked.return_reason = reason

    return acts.perform(
        ITEM,
        item,
        "return",
        actor=actor,
        version=expected_version,
        apply=change,
        reason=reason,
        what=_("该事项"),
    ).obj


def do_discard_revision(item: PowerItem, *, actor: User, expected_version: int | None) -> PowerItem:
    """Drop a published item's pending revision (one not wanted, or returned and not to be fixed):
    the item is published again as it stands, its rows and live version untouched."""
    before: dict[str, Any] = {}

    def change(locked: PowerItem) -> None:
        before.update(_as_values(locked))
        locked.revision = None
        locked.return_reason = ""

    return acts.perform(
        ITEM,
        item,
        "discard",
        actor=actor,
        version=expected_version,
        apply=change,
        before=before,
        after=lambda i, _v: _as_values(i),
        what=_("该事项"),
    ).obj


def _change_act(
    item: PowerItem,
    move: str,
    kind: str,
    *,
    on: dt.date,
    document: str,
    actor: User,
    expected_version: int | None,
    note: str = "",
    to_level: str = "",
    now: dt.datetime | None = None,
) -> PowerItem:
    if not document.strip():
        raise PowersError(_("请填写作出该决定的文件（名称或文号）。"))
    now = now or clock.now()

    def change(locked: PowerItem) -> None:
        ItemChange.objects.create(
            item=locked,
            kind=kind,
            on=on,
            document=document.strip(),
            to_level=to_level,
            note=note,
            recorded_by=actor,
            recorded_at=now,
        )
        if kind in (ChangeKind.CANCELLED, ChangeKind.DELEGATED):
            # The item leaves the list the public sees; its versions and history stay readable.
            ItemVersion.objects.filter(item=locked, is_live=True).update(is_live=False)

    return acts.perform(
        ITEM,
        item,
        move,
        actor=actor,
        version=expected_version,
        apply=change,
        on=on,
        now=now,
        reason=note or document,
        after={"kind": kind, "document": document, "to_level": to_level},
        what=_("该事项"),
    ).obj


def do_cancel_item(
    item: PowerItem,
    *,
    on: dt.date,
    document: str,
    actor: User,
    expected_version: int | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> PowerItem:
    """Record that a document cancelled the item on `on` (取消)."""
    return _change_act(
        item,
        "cancel",
        ChangeKind.CANCELLED,
        on=on,
        document=document,
        actor=actor,
        expected_version=expected_version,
        note=note,
        now=now,
    )


def do_delegate_item(
    item: PowerItem,
    *,
    on: dt.date,
    document: str,
    to_level: str,
    actor: User,
    expected_version: int | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> PowerItem:
    """Record that a document delegated the item to a lower level (下放): it leaves this list."""
    if to_level not in LOWER_LEVELS.get(Level(item.level), ()):
        raise PowersError(_("只能下放到比现行层级更低的层级。"))
    return _change_act(
        item,
        "delegate",
        ChangeKind.DELEGATED,
        on=on,
        document=document,
        to_level=to_level,
        actor=actor,
        expected_version=expected_version,
        note=note,
        now=now,
    )


def do_record_item_change(
    item: PowerItem,
    *,
    kind: str,
    on: dt.date,
    document: str,
    actor: User,
    expected_version: int | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> PowerItem:
    """Record that a document kept (保留) or amended (调整) the item."""
    if kind not in (ChangeKind.KEPT, ChangeKind.AMENDED):
        raise PowersError(_("此处只能登记保留或调整；取消、下放请用相应操作。"))
    return _change_act(
        item,
        "record_change",
        kind,
        on=on,
        document=document,
        actor=actor,
        expected_version=expected_version,
        note=note,
        now=now,
    )


# -- list editions -------------------------------------------------------------------------------


def do_propose_edition(
    list_kind: str, *, title: str, doc_number: str = "", actor: User, now: dt.datetime | None = None
) -> ListEdition:
    """Ask the office to publish the approved items of a list as a new edition."""
    now = now or clock.now()
    if list_kind not in ItemList.values:
        raise PowersError(_("未知的清单。"))
    if not title.strip():
        raise PowersError(_("请填写公告标题。"))
    with transaction.atomic():
        probe = ListEdition(list_kind=list_kind, proposed_by=actor)
        acts.guard(EDITION, actor, probe, "propose")
        if not PowerItem.objects.filter(list_kind=list_kind, status=Status.APPROVED).exists():
            raise PowersError(_("该清单没有审核通过待发布的事项。"))
        if ListEdition.objects.filter(list_kind=list_kind, status=EditionStatus.SUBMITTED).exists():
            raise PowersError(_("该清单已有一个版次待发布。"))
        last = ListEdition.objects.filter(list_kind=list_kind).aggregate(n=Max("number"))["n"] or 0
        edition = ListEdition.objects.create(
            list_kind=list_kind,
            number=last + 1,
            title=title.strip(),
            doc_number=doc_number.strip(),
            proposed_by=actor,
            proposed_at=now,
        )
        acts.record_act(
            "powers.edition.proposed", edition, actor=actor, after={"list": list_kind, "title": title}, at=now
        )
    return edition


def _publish_version(item: PowerItem, edition: ListEdition, *, actor: User, now: dt.datetime) -> ItemVersion:
    _apply_revision(item)
    # One chart per procedure, drawn before the version is written (a Graphviz failure rolls the
    # whole edition back, the revision with it).
    charts = [
        (
            procedure,
            flowchart.render_svg(flow, title=flowchart.chart_title(item.name, procedure)),
            flowchart.describe(flow),
        )
        for procedure, flow in flowchart.procedures(steps_of(item))
    ]
    data = content(item)
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    ItemVersion.objects.filter(item=item, is_live=True).update(is_live=False)
    version = ItemVersion.objects.create(
        item=item,
        number=number,
        edition=edition,
        list_kind=item.list_kind,
        category=item.category,
        code=item.code,
        name=item.name,
        department=item.department,
        level=item.level,
        content=data,
        search_text=" ".join(
            [item.code, item.name, item.department.name, *data["sub_items"], *data["legal_basis"]]
        ),
        is_live=True,
        published_at=now,
        published_by=actor,
    )
    Flowchart.objects.bulk_create(
        Flowchart(version=version, position=n, procedure=procedure, svg=svg, text="\n".join(lines))
        for n, (procedure, svg, lines) in enumerate(charts, start=1)
    )
    item.live = version
    ITEM.move_to(item, Status.PUBLISHED, actor=actor, at=now, reason=edition.title)
    item.version += 1
    item.updated_at = now
    item.save()
    return version


def do_publish_edition(
    edition: ListEdition, *, actor: User, expected_version: int | None, now: dt.datetime | None = None
) -> ListEdition:
    """Publish the approved items of the list (each gets a new live version, its flowchart drawn)
    and the announcement record in the catalog: drafted and submitted by the proposer, approved
    and published by this reviewer, a second person, through the catalog's services."""
    from gongkai.catalog import services as catalog
    from gongkai.catalog.choices import Genre
    from gongkai.catalog.models import Category

    now = now or clock.now()

    def change(locked: ListEdition) -> int:
        items = list(
            PowerItem.objects.select_for_update()
            .filter(list_kind=locked.list_kind, status=Status.APPROVED)
            .select_related("department")
            .order_by("code")
        )
        for item in items:
            _ready(item)
            _publish_version(item, locked, actor=actor, now=now)
        live = ItemVersion.objects.filter(list_kind=locked.list_kind, is_live=True).count()
        locked.item_count = live
        locked.published_at = now
        proposer = locked.proposed_by
        record = catalog.do_create_record(
            {
                "name": locked.title,
                "summary": _("本次发布 %(new)d 项，清单现行事项共 %(live)d 项。")
                % {"new": len(items), "live": live},
                "body": "<p>"
                + _("现将%(list)s予以公布，详见权责清单栏目。") % {"list": locked.get_list_kind_display()}
                + "</p>",
                "formed_on": timezone.localdate(now),
                "issuer": proposer.department.name if proposer.department else "",
                "doc_number": locked.doc_number,
                "genre": Genre.CIRCULAR,
                "category": Category.objects.get(code=ANNOUNCEMENT_COLUMN[ItemList(locked.list_kind)]),
                "keywords": str(locked.get_list_kind_display()),
                "department": proposer.department,
            },
            actor=proposer,
            now=now,
        )
        record = catalog.do_submit_record(record, actor=proposer, expected_version=record.version)
        record = catalog.do_approve_record(record, actor=actor, expected_version=record.version)
        record = catalog.do_publish_record(record, actor=actor, expected_version=record.version, now=now)
        locked.announcement = record
        return len(items)

    return acts.perform(
        EDITION,
        edition,
        "publish",
        actor=actor,
        version=expected_version,
        apply=change,
        now=now,
        after=lambda e, n: {"items_published": n, "live": e.item_count, "announcement": e.announcement_id},
        what=_("该清单版次"),
    ).obj


def do_return_edition(
    edition: ListEdition, *, actor: User, reason: str, expected_version: int | None
) -> ListEdition:
    if not reason.strip():
        raise PowersError(_("退回时须说明原因。"))

    def change(locked: ListEdition) -> None:
        locked.return_reason = reason

    return acts.perform(
        EDITION,
        edition,
        "return",
        actor=actor,
        version=expected_version,
        apply=change,
        reason=reason,
        what=_("该清单版次"),
    ).obj
