"""Public pages of the power and responsibility lists and the approval items' service guides."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from gongkai.core.pagecache import public_page
from gongkai.core.params import id_param
from gongkai.powers import exports, flowchart, forms, queries
from gongkai.powers.choices import ItemList, Level, MaterialForm, PowerCategory, Stage
from gongkai.powers.models import ItemChange

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def _browse(request: HttpRequest, list_kind: str) -> HttpResponse:
    versions = queries.live_versions(list_kind)
    category = request.GET.get("category") or ""
    department_id = id_param(request.GET.get("department"))
    level = request.GET.get("level") or ""
    is_approvals = list_kind == ItemList.APPROVALS
    categories = dict(versions.values_list("category").annotate(n=Count("id")).order_by())
    departments = list(
        versions.values("department_id", "department__name")
        .annotate(n=Count("id"))
        .order_by("department__name")
    )
    levels = dict(versions.values_list("level").annotate(n=Count("id")).order_by()) if is_approvals else {}
    if category in PowerCategory.values:
        versions = versions.filter(category=category)
    if department_id:
        versions = versions.filter(department_id=department_id)
    if is_approvals and level in Level.values:
        versions = versions.filter(level=level)
    else:
        level = ""
    return render(
        request,
        "powers/public/index.html",
        {
            "nav": "powers",
            "list_kind": list_kind,
            "is_approvals": is_approvals,
            "categories": [(c, categories.get(c.value, 0)) for c in PowerCategory if categories.get(c.value)],
            "category": category,
            "departments": departments,
            "department_id": department_id,
            # The approval list's levels (省级/市级/县级), to tell the city and county copies apart.
            "levels": [(choice, levels[choice.value]) for choice in Level if levels.get(choice.value)],
            "level": level,
            "versions": versions,
            "total": sum(categories.values()),
        },
    )


@require_safe
@public_page
@vary_on_cookie
def index(request: HttpRequest) -> HttpResponse:
    return _browse(request, ItemList.POWERS)


@require_safe
@public_page
@vary_on_cookie
def approvals(request: HttpRequest) -> HttpResponse:
    return _browse(request, ItemList.APPROVALS)


@require_safe
@public_page
@vary_on_cookie
def search(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    results = queries.live_versions().filter(search_text__icontains=q)[:200] if q else []
    return render(request, "powers/public/search.html", {"nav": "powers", "q": q, "results": results})


def _context(code: str) -> dict[str, object]:
    version = queries.get_public_version(code)
    c = version.content
    ended = ItemChange.objects.filter(item_id=version.item_id, kind__in=["cancelled", "delegated"]).first()
    return {
        "nav": "powers",
        "v": version,
        "c": c,
        "category_label": PowerCategory(version.category).label,
        "level_label": Level(version.level).label,
        "responsibilities": [
            {**r, "stage_label": Stage(r["stage"]).label} for r in c.get("responsibilities", [])
        ],
        "materials": [{**m, "form_label": MaterialForm(m["form"]).label} for m in c.get("materials", [])],
        "guide": c.get("guide"),
        # Drawn by Graphviz from escaped labels when the version was published; kept as issued.
        "flowcharts": [
            {
                "title": flowchart.chart_title(version.name, chart.procedure),
                "procedure": chart.procedure,
                "svg": mark_safe(chart.svg),
                "text": chart.text_lines(),
            }
            for chart in version.flowcharts.all()
        ],
        "history": ItemChange.objects.filter(item_id=version.item_id).order_by("on", "id"),
        "ended": ended if not version.is_live else None,
    }


@require_safe
@public_page
@vary_on_cookie
def item(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "powers/public/item.html", _context(code))


@require_safe
@public_page
@vary_on_cookie
def guide(request: HttpRequest, code: str) -> HttpResponse:
    context = _context(code)
    if context["guide"] is None:
        raise Http404
    return render(request, "powers/public/guide.html", context)


@require_safe
@public_page
def download(request: HttpRequest, which: str, fmt: str) -> HttpResponse:
    if which not in exports.LISTS or fmt not in exports.FORMATS:
        raise Http404
    body = {"csv": exports.as_csv, "xlsx": exports.as_xlsx, "json": exports.as_json}[fmt](which)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{which}.{fmt}"'
    return response


@require_safe
@public_page
def basic_form(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The item's basic-information form with its flowchart, as DOCX or PDF."""
    if fmt not in forms.FORMATS:
        raise Http404
    version = queries.get_public_version(code)
    body = forms.to_docx(version) if fmt == "docx" else forms.to_pdf(version)
    response = HttpResponse(body, content_type=forms.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{version.code}.{fmt}"'
    return response
