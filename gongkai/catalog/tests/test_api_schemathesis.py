"""Property-based test of the JSON API against its own OpenAPI document (schemathesis).

Every generated request must get an answer that is not a 5xx, whose status code, content type and
body are those the document promises; invalid input must be refused with a 4xx.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
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

from gongkai.catalog import services

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# Loaded at collection: building the OpenAPI document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def api_data(make_record, reviewer):
    # A published record, a repealed one (its validity dates and document set), a withdrawn one and
    # a draft, so that detail and search paths find data.
    make_record("published", name="关于延吉口岸签证业务的通告")
    repealed = make_record("published", name="已废止的口岸签证规定")
    services.do_change_validity(
        repealed,
        validity="repealed",
        on=dt.date(2016, 3, 1),
        document="吉公发〔2016〕3号",
        reason="已被新文件废止",
        actor=reviewer,
        expected_version=repealed.version,
    )
    make_record("withdrawn", name="已撤回的通告", formed_on=dt.date(2014, 5, 5))
    make_record("draft", name="草稿")
    # As Django's test client does: keep the test transaction's connection open across requests.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
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
def test_api_conforms_to_its_openapi_document(case, api_data):
    case.call_and_validate(checks=CHECKS)
