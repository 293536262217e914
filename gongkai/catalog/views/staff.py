"""Staff catalog pages: record list, editor, review queue, workflow actions, attachments, pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.catalog import queries, services
from gongkai.catalog.choices import Status
from gongkai.catalog.files import FileRejectedError
from gongkai.catalog.forms import (
    AttachmentForm,
    ChangeValidityForm,
    PageForm,
    PublicationForm,
    ReasonForm,
    RecordForm,
)
from gongkai.catalog.models import Page, Record
from gongkai.catalog.workflows import PAGE, RECORD, moves_for
from gongkai.core import acts, clock, drafts
from gongkai.core.audit import timeline
from gongkai.core.drafts import editor_login_required


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _record_data(form: RecordForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    records = queries.staff_records(user).order_by("-updated_at")
    status = request.GET.get("status") or ""
    if status in Status.values:
        records = records.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    if q:
        records = records.filter(name__contains=q)
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "catalog/staff/record_list.html",
        {
            "nav": "records",
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "q": q,
            "query_base": params.urlencode(),
            "today": clock.today(),
        },
    )


@editor_login_required
def record_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not RECORD.may(user, Record(department=user.department), "create"):
        messages.error(request, _("您没有新建信息的权限。"))
        return redirect("workbench:dashboard")
    restored = drafts.take(request) if request.method == "GET" else None
    initial = restored or {"department": user.department_id, "issuer": _agency_name()}
    form = RecordForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.do_create_record(_record_data(form), actor=user)
        except services.CatalogError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存草稿，索引号 %(n)s。") % {"n": record.index_number})
            return redirect("workbench:record", pk=record.pk)
    return render(
        request,
        "catalog/staff/record_form.html",
        {"nav": "new", "form": form, "record": None, **_draft_context(user, restored)},
    )


def _draft_context(user: User, restored: dict[str, Any] | None) -> dict[str, Any]:
    return drafts.context(user, restored)


def _agency_name() -> str:
    from django.conf import settings

    return str(settings.AGENCY_NAME)


@editor_login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = queries.get_record_for_staff(user, pk)
    if not RECORD.may(user, record, "update"):
        messages.error(request, _("只有草稿或已退回的信息可以修改，且须为本部门或公开办人员。"))
        return redirect("workbench:record", pk=record.pk)
    restored = drafts.take(request) if request.method == "GET" else None
    form = RecordForm(request.POST or None, instance=record, user=user, initial=restored)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_record(
                record, _record_data(form), actor=user, expected_version=form.cleaned_data.get("version")
            )
        except services.CatalogError as exc:
            # Nothing typed is lost: the form is shown again with the user's input.
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("workbench:record", pk=record.pk)
    return render(
        request,
        "catalog/staff/record_form.html",
        {"nav": "records", "form": form, "record": record, **_draft_context(user, restored)},
    )


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    return _record_page(request, user, queries.get_record_for_staff(user, pk))


def _record_page(
    request: HttpRequest, user: User, record: Record, *, validity_form: ChangeValidityForm | None = None
) -> HttpResponse:
    """The record page; `validity_form` is a refused change of validity, shown with what was typed."""
    return render(
        request,
        "catalog/staff/record_detail.html",
        {
            "nav": "records",
            "record": record,
            "attachments": record.attachments.all(),
            "publications": record.publications.select_related("recorded_by"),
            "events": timeline(record)[:200],
            "may": moves_for(user, record),
            "reason_form": ReasonForm(initial={"version": record.version}),
            "validity_form": validity_form or ChangeValidityForm(),
            "attachment_form": AttachmentForm(),
            "publication_form": PublicationForm(
                initial={"published_at": clock.now().strftime("%Y-%m-%dT%H:%M")}
            ),
            "today": clock.today(),
        },
    )


def _action(
    act: Callable[[Record, User, HttpRequest], Record], success: Any
) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        record = queries.get_record_for_staff(user, pk)
        try:
            act(record, user, request)
        except services.CatalogError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success)
        return redirect("workbench:record", pk=record.pk)

    return view


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _reason(request: HttpRequest) -> str:
    return (request.POST.get("reason") or "").strip()


record_submit = _action(
    lambda r, u, q: services.do_submit_record(r, actor=u, expected_version=_version(q)),
    gettext_lazy("已提交公开办审核。"),
)
record_approve = _action(
    lambda r, u, q: services.do_approve_record(r, actor=u, expected_version=_version(q)),
    gettext_lazy("公开属性审核通过。"),
)
record_return = _action(
    lambda r, u, q: services.do_return_record(r, actor=u, reason=_reason(q), expected_version=_version(q)),
    gettext_lazy("已退回。"),
)
record_publish = _action(
    lambda r, u, q: services.do_publish_record(r, actor=u, expected_version=_version(q)),
    gettext_lazy("已发布到门户网站。"),
)
record_withdraw = _action(
    lambda r, u, q: services.do_withdraw_record(r, actor=u, reason=_reason(q), expected_version=_version(q)),
    gettext_lazy("已撤回；公开地址将显示撤回说明。"),
)


@login_required
@require_POST
def record_change_validity(request: HttpRequest, pk: int) -> HttpResponse:
    """A published record repealed or amended by a later document: a refusal in words shows the
    record page again with the form open and what was typed in it."""
    user = _user(request)
    record = queries.get_record_for_staff(user, pk)
    if not RECORD.may(user, record, "change_validity"):
        messages.error(request, RECORD.refusal(user, record, "change_validity") or "")
        return redirect("workbench:record", pk=record.pk)
    form = ChangeValidityForm(request.POST)
    if form.is_valid():
        try:
            services.do_change_validity(
                record,
                validity=form.cleaned_data["validity"],
                on=form.cleaned_data["on"],
                document=form.cleaned_data["document"],
                reason=form.cleaned_data["reason"],
                actor=user,
                expected_version=_version(request),
            )
        except services.CatalogError as exc:
            form.add_error("on" if isinstance(exc, acts.DateError) else None, str(exc))
        else:
            messages.success(request, _("已变更有效性；公开页面将在一分钟内显示。"))
            return redirect("workbench:record", pk=record.pk)
    record.refresh_from_db()  # the page shows the record as it is now (a conflict changed it)
    return _record_page(request, user, record, validity_form=form)


@login_required
@require_POST
def record_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = queries.get_record_for_staff(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("workbench:record", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        services.do_add_attachment(
            record,
            services.UploadedFile(name=upload.name or "file", content=upload.read()),
            actor=user,
            expected_version=_version(request),
        )
    except (services.CatalogError, FileRejectedError) as exc:
        messages.error(request, _("附件未保存：%(reason)s") % {"reason": exc})
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("workbench:record", pk=pk)


@login_required
def record_attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """A reviewer checks the file before approving it: whoever may see the record may open its files."""
    record = queries.get_record_for_staff(_user(request), pk)
    item = get_object_or_404(record.attachments, pk=attachment_id)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    # Unpublished files must not stay in shared caches or the browser's after logout.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def record_publication(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = queries.get_record_for_staff(user, pk)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("发布渠道登记信息不完整：%(e)s") % {"e": form.errors.as_text()})
        return redirect("workbench:record", pk=pk)
    try:
        services.do_record_publication(
            record,
            channel=form.cleaned_data["channel"],
            published_at=form.cleaned_data["published_at"],
            link=form.cleaned_data["link"],
            actor=user,
            expected_version=_version(request),
        )
    except services.CatalogError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已登记发布渠道。"))
    return redirect("workbench:record", pk=pk)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    records = (
        queries.staff_records(user)
        .filter(status__in=[Status.SUBMITTED, Status.APPROVED])
        .order_by("publish_due", "updated_at")
    )
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/staff/review_queue.html",
        {"nav": "review", "page": page, "is_reviewer": user.has_role(Role.REVIEWER), "today": clock.today()},
    )


@login_required
def page_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/staff/page_list.html", {"nav": "pages", "pages": Page.objects.all()})


@editor_login_required
def page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    page = get_object_or_404(Page, slug=slug)
    if not PAGE.may(user, page, "update"):
        messages.error(request, _("只有公开办可以修改指南和栏目页面。"))
        return redirect("workbench:pages")
    restored = drafts.take(request) if request.method == "GET" else None
    form = PageForm(
        request.POST or None,
        initial=restored or {"title": page.title, "body": page.body, "version": page.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_page(
                page,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                actor=user,
                expected_version=form.cleaned_data["version"],
            )
        except services.CatalogError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("页面已更新，门户将在一分钟内显示新内容。"))
            return HttpResponseRedirect(page.get_absolute_url())
    return render(
        request,
        "catalog/staff/page_form.html",
        {"nav": "pages", "form": form, "page": page, **_draft_context(user, restored)},
    )
