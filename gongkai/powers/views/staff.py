"""Workbench pages: the items a user may see, their editing with validation, the moves the kernel
allows, list editions and the XLSX import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.models import Department
from gongkai.core import acts, drafts, params
from gongkai.core.drafts import editor_login_required
from gongkai.core.params import version_param
from gongkai.powers import flowchart, importer, queries, services
from gongkai.powers.choices import ChangeKind, ItemList, Level, MaterialForm, PowerCategory, Stage
from gongkai.powers.models import ListEdition, PowerItem
from gongkai.powers.workflows import EDITION, ITEM

MAIN_FIELDS = ("category", "code", "name", "sub_items", "legal_basis", "level")
GUIDE_TEXT = ("conditions", "fee", "fee_basis", "place", "hours", "phone", "online_url")
# The parts of a responsibility line: 环节|责任事项|职责边界|公共服务事项|监管措施|追责情形 (as in the import).
RESPONSIBILITY_PARTS = ("stage", "duties", "boundary", "public_services", "supervision", "accountability")


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    items = queries.items_for_staff(request.user).order_by("list_kind", "category", "code")  # type: ignore[arg-type]
    status = request.GET.get("status") or ""
    if status:
        items = items.filter(status=status)
    return render(request, "powers/staff/list.html", {"nav": "powers", "items": items, "status": status})


def _form_data(request: HttpRequest, item: PowerItem | None) -> dict[str, Any]:
    post = request.POST
    data: dict[str, Any] = {name: post.get(name, "").strip() for name in MAIN_FIELDS}
    data["list_kind"] = post.get("list_kind") or (item.list_kind if item else ItemList.POWERS)
    department = Department.from_param(post.get("department"))
    data["department"] = department
    if data["list_kind"] == ItemList.APPROVALS:
        data.update({name: post.get(name, "").strip() for name in GUIDE_TEXT})
        for name in ("statutory_days", "promised_days"):
            value = post.get(name, "").strip()
            days = params.int_param(value, low=0, high=3650)
            if value and days is None:
                raise services.PowersError(_("时限应为工作日数（整数）。"))
            data[name] = days
        materials = []
        for parts in importer._lines(post.get("materials", "")):
            parts += [""] * (4 - len(parts))
            copies = params.int_param(parts[2], low=0, high=999)
            if copies is None:
                raise services.PowersError(_("申请材料每行应为“材料名称|原件或复印件|份数”。"))
            materials.append(
                {
                    "name": parts[0],
                    "form": importer._choice(parts[1], MaterialForm, ""),
                    "copies": copies,
                    "note": parts[3],
                }
            )
        data["materials"] = materials
        faqs = []
        for parts in importer._lines(post.get("faqs", "")):
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise services.PowersError(_("常见问题每行应为“问题|答复”。"))
            faqs.append({"question": parts[0], "answer": "|".join(parts[1:])})
        data["faqs"] = faqs
    steps = []
    procedure = ""
    for parts in importer._lines(post.get("steps", "")):
        heading = flowchart.procedure_heading(parts)
        if heading is not None:
            procedure = heading
            continue
        parts += [""] * (6 - len(parts))
        number = params.int_param(parts[0], low=1, high=999)
        if number is None:
            raise services.PowersError(_("办理流程每行应以步骤编号开头。"))
        steps.append(dict(zip(services.STEP_FIELDS, [number, *parts[1:6], procedure], strict=True)))
    data["steps"] = steps
    duties = []
    for parts in importer._lines(post.get("responsibilities", "")):
        parts += [""] * (6 - len(parts))
        duties.append(
            dict(
                zip(
                    RESPONSIBILITY_PARTS,
                    [importer.choice_value(parts[0], Stage) or parts[0], *parts[1:6]],
                    strict=True,
                )
            )
        )
    data["responsibilities"] = duties
    return data


def _lines_of(data: dict[str, Any]) -> dict[str, str]:
    """The child rows of `services.working(item)` as the form's lines."""
    return {
        "materials": "\n".join(
            f"{m['name']}|{MaterialForm(m['form']).label}|{m['copies']}|{m.get('note', '')}"
            for m in data.get("materials") or []
        ),
        "steps": importer.step_lines(
            [
                flowchart.Step(**{k: s.get(k, "") for k in services.STEP_FIELDS})
                for s in data.get("steps") or []
            ]
        ),
        "responsibilities": "\n".join(
            "|".join(
                [str(Stage(r["stage"]).label), *(str(r.get(name, "")) for name in RESPONSIBILITY_PARTS[1:])]
            )
            for r in data.get("responsibilities") or []
        ),
        "faqs": "\n".join(f"{f.get('question', '')}|{f.get('answer', '')}" for f in data.get("faqs") or []),
    }


def _form(
    request: HttpRequest,
    item: PowerItem | None,
    values: dict[str, Any],
    error: str = "",
    restored: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "powers/staff/form.html",
        {
            "nav": "powers",
            "item": item,
            "v": values,
            "error": error,
            "categories": PowerCategory.choices,
            "levels": Level.choices,
            "lists": ItemList.choices,
            "departments": Department.objects.filter(is_active=True),
            **drafts.context(request.user, restored),  # type: ignore[arg-type]
        },
        status=400 if error else 200,
    )


@editor_login_required
def item_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        restored = drafts.take_on_get(request)
        values = restored or {"list_kind": request.GET.get("list", ItemList.POWERS)}
        return _form(request, None, values, restored=restored)
    try:
        data = _form_data(request, None)
        set_on = dt.date.fromisoformat(request.POST.get("set_on", ""))
        item = services.do_create_item(
            data,
            set_on=set_on,
            set_document=request.POST.get("set_document", ""),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValueError as exc:
        msg = str(exc) if isinstance(exc, flowchart.FlowError) else _("请填写设立日期（YYYY-MM-DD）。")
        return _form(request, None, request.POST.dict(), msg)
    except acts.ActError as exc:
        return _form(request, None, request.POST.dict(), str(exc))
    messages.success(request, _("事项已保存为草稿。"))
    return redirect("workbench:powers_staff:detail", item.pk)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_item_for_staff(request.user, pk)  # type: ignore[arg-type]
    data = services.working(item)
    return render(
        request,
        "powers/staff/detail.html",
        {
            "nav": "powers",
            "item": item,
            # What the editor works on: a published item's pending revision, else the item itself.
            "w": {
                "code": data["code"],
                "name": data["name"],
                "category_label": PowerCategory(data["category"]).label,
                "department": Department.objects.filter(pk=data["department"]).first(),
            },
            "moves": ITEM.allowed_moves(request.user, item),  # type: ignore[arg-type]
            "problems": services.publish_problems(item),
            "history": item.changes.all(),
            "transitions": item.transitions.select_related("actor"),
            "levels": Level.choices,
            "kinds": [
                (ChangeKind.KEPT, ChangeKind.KEPT.label),
                (ChangeKind.AMENDED, ChangeKind.AMENDED.label),
            ],
        },
    )


@editor_login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_item_for_staff(request.user, pk)  # type: ignore[arg-type]
    if not ITEM.may(request.user, item, "update"):  # type: ignore[arg-type]
        # Those who only read the item (the leader, the auditor) are not shown a form they cannot use.
        raise PermissionDenied(_("您无权修改该事项。"))
    if request.method != "POST":
        restored = drafts.take_on_get(request)
        if restored:
            # What was typed when the session ended, with the version it was typed against.
            return _form(request, item, restored, restored=restored)
        # A published item's form opens on its pending revision, if it has one.
        data = services.working(item)
        values: dict[str, Any] = {name: data.get(name) for name in MAIN_FIELDS}
        values.update(
            list_kind=data["list_kind"],
            department=data["department"],
            version=item.version,
            **_lines_of(data),
        )
        if data["list_kind"] == ItemList.APPROVALS:
            values.update({name: data.get(name) for name in (*GUIDE_TEXT, "statutory_days", "promised_days")})
        return _form(request, item, values)
    try:
        data = _form_data(request, item)
        version = version_param(request.POST.get("version"))
        services.do_update_item(item, data, actor=request.user, expected_version=version)  # type: ignore[arg-type]
    except (acts.ActError, flowchart.FlowError) as exc:
        # What the user typed is shown again; nothing was saved.
        return _form(request, item, request.POST.dict(), str(exc))
    messages.success(request, _("已保存。"))
    return redirect("workbench:powers_staff:detail", item.pk)


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    item = queries.get_item_for_staff(request.user, pk)  # type: ignore[arg-type]
    user: Any = request.user
    post = request.POST
    version = version_param(post.get("version"))
    try:
        if move == "submit":
            services.do_submit_item(item, actor=user, expected_version=version)
        elif move == "approve":
            services.do_approve_item(item, actor=user, expected_version=version)
        elif move == "return":
            services.do_return_item(item, actor=user, reason=post.get("reason", ""), expected_version=version)
        elif move == "discard":
            services.do_discard_revision(item, actor=user, expected_version=version)
        elif move in ("cancel", "delegate", "record_change"):
            try:
                on = dt.date.fromisoformat(post.get("on", ""))
            except ValueError:
                raise services.PowersError(_("请填写决定生效日期（YYYY-MM-DD）。")) from None
            common: dict[str, Any] = {
                "on": on,
                "document": post.get("document", ""),
                "actor": user,
                "expected_version": version,
                "note": post.get("note", ""),
            }
            if move == "cancel":
                services.do_cancel_item(item, **common)
            elif move == "delegate":
                services.do_delegate_item(item, to_level=post.get("to_level", ""), **common)
            else:
                services.do_record_item_change(item, kind=post.get("kind", ""), **common)
        else:
            raise services.PowersError(_("未知的操作。"))
    except acts.ActError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("workbench:powers_staff:detail", item.pk)


@login_required
def editions(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        try:
            services.do_propose_edition(
                request.POST.get("list_kind", ""),
                title=request.POST.get("title", ""),
                doc_number=request.POST.get("doc_number", ""),
                actor=user,
            )
        except acts.ActError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已提请公开办发布。"))
        return redirect("workbench:powers_staff:editions")
    rows = [
        (e, EDITION.allowed_moves(user, e))
        for e in ListEdition.objects.select_related("proposed_by", "announcement")
    ]
    return render(
        request, "powers/staff/editions.html", {"nav": "powers", "rows": rows, "lists": ItemList.choices}
    )


@login_required
@require_POST
def edition_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    edition = get_object_or_404(ListEdition, pk=pk)
    user: Any = request.user
    version = version_param(request.POST.get("version"))
    try:
        if move == "publish":
            services.do_publish_edition(edition, actor=user, expected_version=version)
        elif move == "return":
            services.do_return_edition(
                edition, actor=user, reason=request.POST.get("reason", ""), expected_version=version
            )
        else:
            raise services.PowersError(_("未知的操作。"))
    except acts.ActError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("workbench:powers_staff:editions")


@login_required
def import_items(request: HttpRequest) -> HttpResponse:
    outcome = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择要导入的 XLSX 文件。")
        else:
            try:
                outcome = importer.import_items(upload.read(), actor=request.user)  # type: ignore[arg-type]
            except acts.ActError as exc:
                error = str(exc)
    return render(
        request,
        "powers/staff/import.html",
        {"nav": "powers", "outcome": outcome, "error": error, "columns": list(importer.COLUMNS)},
        status=400 if error or (outcome is not None and not outcome.ok) else 200,
    )
