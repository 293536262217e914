"""Control characters at every input (issue 12): one function (core.text.strip_control), applied to
every posted form field by CleanInputMiddleware (NUL too: many views read a reason or an answer
from request.POST without a form) and to every JSON body and API query parameter by the API's
parser (a NUL in a body: 400 in its error shape)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from gongkai.catalog.models import Record
from gongkai.catalog.tests.test_staff_editing import form_data
from gongkai.core import text
from gongkai.core.middleware import CleanInputMiddleware
from gongkai.inforequests.models import Application
from gongkai.inforequests.tests.test_api_applications import _today, payload, post, token

__all__ = ["_today", "form_data", "payload", "token"]

NASTY = "通\x01知\x1b\x7f\ufffe\uffff"  # a form cannot carry a lone surrogate; JSON can


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("张\x01三\x1b", "张三"),
        ("第一行\n第二行\t制表\r\n", "第一行\n第二行\t制表\r\n"),
        ("a\x00b", "ab"),
        ("a\ud800b\udfffc", "abc"),
        ("a\ufffeb\uffff", "ab"),
        ("a\x7fb\x0bc\x0cd", "abcd"),
        ("普通文字 ABC １２３", "普通文字 ABC １２３"),  # NFKC is for numbers only, not here
    ],
)
def test_strip_control_removes_what_breaks_letters_and_databases(given, kept):
    assert text.strip_control(given) == kept


def test_nul_may_be_kept_for_a_form_to_refuse():
    assert text.strip_control("a\x00\x01b", keep_nul=True) == "a\x00b"


def test_clean_tree_reaches_every_string_of_decoded_json():
    tree = {"a\x01": ["x\x02", {"y": "z\x03"}, 3, None, True]}
    assert text.clean_tree(tree) == {"a": ["x", {"y": "z"}, 3, None, True]}


def _seen_post(data, content_type=None):
    factory = RequestFactory()
    request = factory.post("/x/", data) if content_type is None else factory.post("/x/", data, content_type)
    seen = {}

    def view(request):
        seen.update({k: request.POST.getlist(k) for k in request.POST})
        return HttpResponse()

    CleanInputMiddleware(view)(request)
    return seen


def test_the_middleware_cleans_every_posted_field_nul_included():
    seen = _seen_post({"name": NASTY, "many": ["a\x01", "b\x02"], "nul": "a\x00b", "lines": "一\n二"})

    assert seen == {"name": ["通知"], "many": ["a", "b"], "nul": ["ab"], "lines": ["一\n二"]}


def test_the_middleware_leaves_other_bodies_alone():
    seen = _seen_post('{"name": "a\\u0001"}', "application/json")
    assert seen == {}


def test_a_staff_form_stores_no_control_characters(client, editor, form_data):
    client.force_login(editor)
    data = {**form_data, "name": "关于调整\x01户籍\x1b业务办理时间的通知", "summary": "第一行\x0b\n第二行"}

    assert client.post("/workbench/records/new/", data).status_code == 302
    record = Record.objects.get()
    assert record.name == "关于调整户籍业务办理时间的通知"
    assert record.summary == "第一行\n第二行"


def test_a_nul_posted_to_a_staff_form_is_dropped_and_the_rest_kept(client, editor, form_data):
    client.force_login(editor)

    assert (
        client.post(
            "/workbench/records/new/", {**form_data, "name": "关于调整户籍\x00业务的通知"}
        ).status_code
        == 302
    )
    assert Record.objects.get().name == "关于调整户籍业务的通知"


def test_a_nul_in_a_reason_read_without_a_form_never_reaches_the_database(
    client, editor, reviewer, form_data
):
    """The moves' views read their reason from request.POST themselves (no form to refuse it)."""
    client.force_login(editor)
    client.post("/workbench/records/new/", form_data)
    record = Record.objects.get()
    client.post(f"/workbench/records/{record.pk}/submit/", {"version": record.version})
    record.refresh_from_db()
    client.force_login(reviewer)

    response = client.post(
        f"/workbench/records/{record.pk}/return/", {"version": record.version, "reason": "请补\x00充依据"}
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "returned"
    assert "请补充依据" in list(record.transitions.values_list("reason", flat=True))


def test_the_api_strips_control_characters_from_a_body(client, token, payload):
    payload = {**payload, "applicant_name": "张\x01三\ud800", "information_title": "统计\x1b表\ufffe"}

    response = post(client, payload, token)

    assert response.status_code == 201, response.content
    application = Application.objects.get()
    assert application.applicant_name == "张三"
    assert application.information_title == "统计表"


def test_the_api_refuses_nul_in_a_body_in_its_error_shape(client, token, payload):
    response = post(client, {**payload, "applicant_name": "张\x00三"}, token)

    assert response.status_code == 400
    body = response.json()
    assert (
        body["code"] == "bad_request"
        and body["message"] == "请求有误。"
        and body["message_en"] == "Bad request."
    )
    assert not Application.objects.exists()


def test_the_api_query_parameters_are_cleaned(client, db):
    response = client.get("/api/v1/records", {"q": "户籍\x00\x01", "year": "2015"})

    assert response.status_code in (200, 422)
    assert response.status_code != 500


def test_full_width_numbers_from_the_api_are_stored_plain(client, token, payload):
    full = "２２０１０２１９８００１０１１２３" + "4"
    response = post(client, {**payload, "id_number": full, "phone": "１３９００００００００"}, token)

    assert response.status_code == 201, response.content
    application = Application.objects.get()
    assert application.id_number == "220102198001011234"
    assert application.phone == "13900000000"
