"""An integrating system registers applications it received and follows them, with its own token."""

from __future__ import annotations

import datetime as dt
import io
import typing

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import CommandError, call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from gongkai.inforequests import api as applications_api
from gongkai.inforequests import choices
from gongkai.inforequests.models import Application, IntegrationToken
from gongkai.inforequests.services import check_query_code, issue_integration_token
from gongkai.inforequests.tests.acting import seen

ID_NUMBER = "220102198001011234"


@pytest.fixture(autouse=True)
def _today(db, time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 8, 10, tzinfo=dt.UTC))


@pytest.fixture
def token(db):
    _obj, plain = issue_integration_token("省统一平台", actor=None)
    return plain


@pytest.fixture
def other_token(db):
    _obj, plain = issue_integration_token("12345热线", actor=None)
    return plain


@pytest.fixture
def payload():
    return {
        "received_on": "2021-06-01",
        "channel": "platform",
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_type": "居民身份证",
        "id_number": ID_NUMBER,
        "phone": "13900000000",
        "email": "zhangsan@example.com",
        "information_title": "2020年全省机动车保有量统计",
        "form_wanted": "electronic",
        "delivery": "email",
    }


def post(client, payload, token, **headers):
    return client.post(
        "/api/v1/applications",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", **headers},
    )


def test_it_registers_an_application_with_its_due_dates_and_computation(client, token, payload):
    response = post(client, payload, token)

    assert response.status_code == 201
    data = response.json()
    application = Application.objects.get()
    assert data["tracking_number"] == application.tracking_number
    assert check_query_code(application, data["query_code"])
    assert data["status"] == {"code": "received", "label": "已收到"}
    assert data["channel"]["code"] == "platform"
    assert data["received_on"] == "2021-06-01"
    assert data["due_on"] == "2021-06-30"
    assert data["extended_due_on"] == "2021-07-28"
    assert data["extended"] is False
    assert data["computation"]["rule_set"] == "2019"
    assert data["computation"]["due"] == "2021-06-30"
    assert any("20 个工作日" in step for step in data["computation"]["steps"])
    assert application.integration is not None
    assert application.integration.name == "省统一平台"
    assert application.channel == "platform"


def test_it_never_answers_the_identity_number_unmasked(client, token, payload):
    response = post(client, payload, token)

    assert ID_NUMBER.encode() not in response.content
    assert response.json()["id_number_masked"] == "2201**********1234"
    detail = client.get(
        f"/api/v1/applications/{response.json()['tracking_number']}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert ID_NUMBER.encode() not in detail.content
    assert b"13900000000" not in detail.content


def test_the_same_idempotency_key_makes_one_application(client, token, other_token, payload):
    first = post(client, payload, token, **{"Idempotency-Key": "order-17"})
    again = post(client, payload, token, **{"Idempotency-Key": "order-17"})

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["tracking_number"] == first.json()["tracking_number"]
    assert again.json()["query_code"] is None  # the code is given once
    assert Application.objects.count() == 1

    # Keys belong to a system: another system's same key is another application.
    other = post(client, payload, other_token, **{"Idempotency-Key": "order-17"})
    assert other.status_code == 201
    assert Application.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "location", "words"),
    [
        ({"information_title": "", "description": ""}, "body.information_title", "至少填一项"),
        ({"id_number": "220102198001011235"}, "body.id_number", "校验位"),
        ({"email": ""}, "body.email", "电子邮箱"),
        ({"received_on": "2021-06-09"}, "body.received_on", "不能晚于今天"),
        ({"received_on": "2007-01-05"}, "body.received_on", "早于"),
        ({"channel": "pigeon"}, "body.payload.channel", ""),
    ],
)
def test_it_refuses_an_invalid_application_with_the_error_shape(
    client, token, payload, change, location, words
):
    response = post(client, {**payload, **change}, token)

    assert response.status_code == 422
    data = response.json()
    assert set(data) >= {"code", "message", "message_en", "errors"}
    assert location in [e["location"] for e in data["errors"]]
    assert words in " ".join(e["message"] for e in data["errors"])
    assert Application.objects.count() == 0


def test_it_shows_a_system_its_own_application(client, token, payload, reviewer):
    created = post(client, payload, token).json()

    response = client.get(
        f"/api/v1/applications/{created['tracking_number']}", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200
    data = response.json()
    assert data["status"]["code"] == "received"
    assert data["query_code"] is None
    assert data["due_on"] == "2021-06-30"
    assert data["computation"]["effective_due"] == "2021-06-30"
    assert data["outcome"] is None


def test_it_hides_other_systems_applications(client, token, other_token, payload):
    created = post(client, payload, token).json()

    response = client.get(
        f"/api/v1/applications/{created['tracking_number']}",
        headers={"Authorization": f"Bearer {other_token}"},
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "张三" not in response.content.decode()


@pytest.mark.parametrize("number", ["GK2021-99999", "nonsense", "GK2021-00001/../x"])
def test_an_unknown_application_is_not_found(client, token, number):
    response = client.get(f"/api/v1/applications/{number}", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer "])
def test_it_needs_a_valid_token(client, payload, token, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    create = client.post("/api/v1/applications", payload, content_type="application/json", headers=headers)
    read = client.get("/api/v1/applications/GK2021-00001", headers=headers)

    for response in (create, read):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
        assert response.json()["message_en"]
    assert Application.objects.count() == 0


def test_a_deactivated_token_is_refused(client, token, payload):
    IntegrationToken.objects.update(is_active=False)

    assert post(client, payload, token).status_code == 401


def test_the_openapi_document_names_the_bearer_scheme(client):
    document = client.get("/api/v1/openapi.json").json()

    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()
    assert "/api/v1/applications" in document["paths"]
    operation = document["paths"]["/api/v1/applications"]["post"]
    assert operation["security"]
    assert {"201", "200", "401", "422"} <= set(operation["responses"])


def test_the_schema_codes_are_the_choices():
    for alias, enum in [
        (applications_api.ChannelCode, choices.IntakeChannel),
        (applications_api.ApplicantKindCode, choices.ApplicantKind),
        (applications_api.FormWantedCode, choices.FormWanted),
        (applications_api.DeliveryCode, choices.Delivery),
        (applications_api.RequestKindCode, choices.RequestKind),
    ]:
        assert set(typing.get_args(alias)) == set(enum.values)


def test_issue_token_prints_a_working_token_once(client, payload):
    out, err = io.StringIO(), io.StringIO()

    call_command("issue_token", "省政务服务平台", stdout=out, stderr=err)

    plain = out.getvalue().strip()
    assert len(plain) >= 40
    assert "只显示这一次" in err.getvalue()
    stored = IntegrationToken.objects.get(name="省政务服务平台")
    assert plain not in stored.token_hash
    assert post(client, payload, plain).status_code == 201
    with pytest.raises(CommandError):
        call_command("issue_token", "省政务服务平台", stdout=io.StringIO(), stderr=io.StringIO())


# ---------------------------------------------------------------------------------------------
# The applications part of the OpenAPI document, property-tested with a valid token.

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler()).include(
    path_regex="/applications"
)


@pytest.fixture
def api_token(token, client, payload):
    post(client, payload, token)  # one application, so the detail path can find data
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield token
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_applications_api_conforms_to_its_openapi_document(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, checks=CHECKS)


def test_a_closed_application_shows_its_outcome(client, token, payload, reviewer, office_head):
    from gongkai.inforequests import services
    from gongkai.inforequests.choices import Outcome

    created = post(client, payload, token).json()
    application = Application.objects.get(tracking_number=created["tracking_number"])
    services.do_accept_application(application, actor=reviewer, expected_version=seen(application))
    services.do_draft_reply(
        application,
        outcome=Outcome.GRANTED,
        legal_basis="第三十六条",
        reply_text="见附件",
        actor=reviewer,
        expected_version=seen(application),
    )
    services.do_approve_reply(
        application, actor=office_head, on=dt.date(2021, 6, 8), expected_version=seen(application)
    )

    data = client.get(
        f"/api/v1/applications/{created['tracking_number']}", headers={"Authorization": f"Bearer {token}"}
    ).json()

    assert data["status"]["code"] == "closed"
    assert data["outcome"] == {"code": "granted", "label": "予以公开"}
    assert data["replied_on"] == "2021-06-08"
