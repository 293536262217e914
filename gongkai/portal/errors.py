"""The project's own error pages (400, 403, 404, 410, 500, CSRF failure) in the portal's layout, with the
search box and the navigation, in the visitor's language (gongkai/urls.py handler*, settings
CSRF_FAILURE_VIEW; `gone` for the pages of withdrawn items)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from gongkai.portal import resubmit

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, heading: str, message: str) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {"status": status, "heading": heading, "message": message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 400, _("请求有误"), _("这个地址或提交的内容无法处理。请检查地址，或回到首页重新操作。")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        403,
        _("没有权限访问"),
        _("您没有查看这个页面的权限。工作人员请先登录；公众可以从下面的导航或检索找到公开的信息。"),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("没有找到这个页面"),
        _(
            "您要找的页面不存在，可能地址有误，或者该信息已经调整了位置。可以用下面的检索框查找，或从导航进入相应栏目。"
        ),
    )


def gone(
    request: HttpRequest,
    exception: Exception | None = None,
    *,
    heading: str = "",
    title: str = "",
    withdrawn_at: dt.datetime | dt.date | None = None,
    reason: str = "",
    details: Sequence[tuple[str, str]] = (),
    section: tuple[str, str] | None = None,
    nav: str = "",
) -> HttpResponse:
    """410 Gone: a withdrawn item's own address (a record, a press conference, an interpretation)
    answers with what happened, when and why, the search box and the ways on, never the content.
    Not cached as a page (core.pagecache stores only 200 answers)."""
    section_name, section_url = section or ("", "")
    return render(
        request,
        "portal/gone.html",
        {
            "nav": nav,
            "heading": heading or _("该信息已撤回"),
            "title": title,
            "withdrawn_at": withdrawn_at,
            "reason": reason,
            "details": list(details),
            "section_name": section_name,
            "section_url": section_url,
        },
        status=410,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(
            request,
            500,
            _("系统出了问题"),
            _("系统暂时出了问题，我们已经记录下来。请稍后再试；急需办理的，请按“咨询方式”中的电话联系我们。"),
        )
    except Exception:
        # The error page itself failed (the database may be down): a page that needs nothing.
        logger.exception("portal: the 500 page could not be rendered")
        return HttpResponseServerError(render_to_string("portal/error_bare.html"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security cookie or with a stale token (cookies off, a page left open
    too long, signed in again in another tab, Back and send again): the application, look-up and
    engagement forms come back as typed; any other form gets a page that says why, offers to send the
    same fields again with a fresh token and shows what was typed for copying."""
    from gongkai.engagement.views import public as engagement_public
    from gongkai.inforequests.views import public as inforequests_public

    logger.info("csrf failure on %s: %s", request.path, reason)
    for form_after_csrf_failure in (
        inforequests_public.form_after_csrf_failure,
        engagement_public.form_after_csrf_failure,
    ):
        response = form_after_csrf_failure(request)
        if response is not None:
            return response
    return resubmit.page(request, reason)
