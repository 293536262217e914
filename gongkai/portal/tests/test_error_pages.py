"""The project's own error pages: in the portal's layout with the search box and the navigation, in
both languages, never Django's bare English ones."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from gongkai.portal import errors


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


def test_an_unknown_record_gets_our_404_with_search_and_navigation(client, db):
    response = client.get("/catalog/r/NO-SUCH-RECORD/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "没有找到这个页面" in body
    assert 'role="search"' in body
    assert 'aria-label="主导航"' in body
    assert "Not Found" not in body


def test_an_unknown_column_gets_it_too(client, db):
    response = client.get("/catalog/c/no-such-column/")

    assert response.status_code == 404
    assert "没有找到这个页面" in response.content.decode()


def test_the_404_in_english(client, db):
    client.cookies["gk_lang"] = "en"
    response = client.get("/catalog/c/no-such-column/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert "没有找到这个页面" not in body


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (errors.bad_request, 400, "请求有误"),
        (errors.permission_denied, 403, "没有权限访问"),
        (errors.server_error, 500, "系统出了问题"),
    ],
)
def test_each_error_has_its_page(db, view, status, heading):
    request = RequestFactory().get("/x/")
    request.COOKIES = {}
    response = view(request) if view is errors.server_error else view(request, None)

    assert response.status_code == status
    assert heading in response.content.decode()


def test_a_staff_form_without_its_csrf_cookie_says_why(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})

    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期，请重新提交" in body
    assert "DEBUG" not in body


def test_an_over_long_search_gets_a_clean_414(client, db):
    response = client.get("/catalog/search/", {"q": "签证" * 2000})

    assert response.status_code == 414
    assert "检索词太长" in response.content.decode()


def test_the_title_keeps_a_space_between_agency_and_site_in_english(client, db):
    client.cookies["gk_lang"] = "en"
    body = client.get("/").content.decode()

    assert "吉林省公安厅Government" not in body
    assert "吉林省公安厅 Government Information Disclosure" in body
