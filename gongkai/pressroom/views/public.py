"""Public pages: press conferences by year, a conference with its release, its Q&A by speaker, its
related records and the interpretations given at it; policy interpretations beside their policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from gongkai.core import params
from gongkai.core.pagecache import public_page
from gongkai.portal import errors
from gongkai.pressroom import queries
from gongkai.pressroom.choices import Form, Host, Status
from gongkai.pressroom.models import Answer


def _year(value: str | None) -> int | None:
    return params.int_param(value, low=1990, high=2100)


@require_safe
@public_page
@vary_on_cookie
def index(request: HttpRequest) -> HttpResponse:
    conferences = queries.public_conferences()
    years = list(
        conferences.annotate(year=ExtractYear("held_on"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-year")
    )
    year = _year(request.GET.get("year")) or (years[0]["year"] if years else None)
    shown = conferences.filter(held_on__year=year).order_by("held_on", "id") if year else conferences.none()
    by_host = dict(shown.values_list("host").annotate(n=Count("id")).order_by())
    return render(
        request,
        "pressroom/public/index.html",
        {
            "nav": "press",
            "years": years,
            "year": year,
            "conferences": shown,
            "hosts": [(h.label, by_host.get(h.value, 0)) for h in Host],
        },
    )


def _by_speaker(answers: list[Answer]) -> list[dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = {}
    for answer in answers:
        group = groups.setdefault(answer.speaker_id, {"speaker": answer.speaker, "answers": []})
        group["answers"].append(answer)
    return sorted(groups.values(), key=lambda g: g["speaker"].position)


@require_safe
@public_page
@vary_on_cookie
def conference(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_public_conference(pk)
    if item.status == Status.WITHDRAWN:
        return errors.gone(
            request,
            heading=_("该发布会信息已撤回"),
            title=item.title,
            withdrawn_at=item.withdrawn_at,
            reason=item.withdrawal_reason,
            section=(_("新闻发布会"), reverse("pressroom:index")),
            nav="press",
        )
    context: dict[str, Any] = {"nav": "press", "c": item}
    if item.status == Status.PUBLISHED:
        context.update(
            speakers=list(item.speakers.all()),
            groups=_by_speaker(list(item.answers.select_related("speaker"))),
            release=item.release if item.release is not None and item.release.status == "published" else None,
            related=queries.public_records(item.related_records.all()),
            interpretations=queries.public_interpretations().filter(conference=item),
        )
    return render(request, "pressroom/public/conference.html", context)


@require_safe
@public_page
@vary_on_cookie
def interpretations(request: HttpRequest) -> HttpResponse:
    shown = queries.public_interpretations().order_by("-published_at", "-id")
    form = request.GET.get("form") or ""
    counts = dict(shown.values_list("form").annotate(n=Count("id")).order_by())
    if form in Form.values:
        shown = shown.filter(form=form)
    return render(
        request,
        "pressroom/public/interpretations.html",
        {
            "nav": "press",
            "interpretations": shown[:500],
            "form": form,
            "forms": [(f.value, f.label, counts.get(f.value, 0)) for f in Form],
            "total": sum(counts.values()),
        },
    )


@require_safe
@public_page
@vary_on_cookie
def interpretation(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.get_public_interpretation(pk)
    if item.status == Status.WITHDRAWN:
        return errors.gone(
            request,
            heading=_("该解读已撤回"),
            title=item.title,
            withdrawn_at=item.withdrawn_at,
            reason=item.withdrawal_reason,
            section=(_("政策解读"), reverse("pressroom:interpretations")),
            nav="press",
        )
    conference = (
        item.conference
        if item.conference is not None and item.conference.status == Status.PUBLISHED
        else None
    )
    return render(
        request,
        "pressroom/public/interpretation.html",
        {
            "nav": "press",
            "i": item,
            "policy": item.policy,
            "conference": conference,
            "others": queries.public_interpretations().filter(policy=item.policy).exclude(pk=item.pk),
        },
    )
