"""The limits an attacker met (issue 12): shared by every worker, keyed on the real client address,
counting accepted applications and wrong codes only; pages with personal data are never stored."""

from __future__ import annotations

from django.core.cache import caches
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.inforequests.models import Application
from gongkai.inforequests.tests.test_public_apply import _fresh_rate_limits, form_data, form_token

__all__ = ["_fresh_rate_limits", "form_data"]  # the form and the day of test_public_apply.py


def look_up(client, application, code="WRONG234", **extra):
    return client.post(
        "/apply/status/", {"tracking_number": application.tracking_number, "query_code": code}, **extra
    )


def test_it_keeps_the_counters_where_every_worker_sees_them(settings):
    # A per-process memory cache let 35 wrong codes through on 4 workers: the counters are in the
    # database (core.RateCounter), or in Redis when the `ratelimit` cache is set to it.
    assert settings.CACHES.get("ratelimit", {}).get("BACKEND", "") in {
        "",
        "django.core.cache.backends.redis.RedisCache",
    }


def test_a_second_worker_sees_the_first_workers_count(make_application, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "status": (3, 600)}
    application = make_application()
    for _ in range(3):
        look_up(Client(), application)
    caches["default"].clear()  # what a fresh process would have in memory: nothing
    assert look_up(Client(), application, code=application.query_code).status_code == 429


def test_a_changing_forwarded_for_gets_nothing_without_a_trusted_proxy(make_application, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "status": (3, 600)}
    application = make_application()
    answers = [
        look_up(Client(), application, HTTP_X_FORWARDED_FOR=f"10.9.0.{n}").status_code for n in range(8)
    ]
    assert answers.count(429) == 5


def test_behind_a_trusted_proxy_each_client_has_its_own_count(make_application, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "status": (2, 600)}
    application = make_application()
    for _ in range(2):
        look_up(Client(), application, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.7")
    assert (
        look_up(Client(), application, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.7").status_code
        == 429
    )
    # A client cannot escape by writing another address to the left of its own.
    forged = look_up(Client(), application, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7")
    assert forged.status_code == 429
    assert look_up(
        Client(), application, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.8"
    ).status_code in {200, 302}


def test_the_audit_trail_records_the_client_address_behind_the_proxy(client, form_data, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    token = form_token(client.get("/apply/"))
    client.post(
        "/apply/", {**form_data, "token": token}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert Application.objects.count() == 1
    assert set(AuditEvent.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_only_accepted_applications_count(client, form_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "apply": (2, 600)}
    for _ in range(6):  # an honest applicant getting the form wrong, again and again
        response = client.post(
            "/apply/", {**form_data, "id_number": "123", "token": form_token(client.get("/apply/"))}
        )
        assert response.status_code == 200
    for _ in range(2):
        assert (
            client.post("/apply/", {**form_data, "token": form_token(client.get("/apply/"))}).status_code
            == 302
        )
    third = client.post("/apply/", {**form_data, "token": form_token(client.get("/apply/"))})
    assert third.status_code == 429
    assert Application.objects.count() == 2


def test_a_right_code_is_not_counted(make_application, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "status": (2, 600)}
    application = make_application()
    for _ in range(5):
        assert look_up(Client(), application, code=application.query_code).status_code in {200, 302}


def test_pages_with_personal_data_are_never_stored(make_application, client, reviewer):
    application = make_application()
    response = look_up(client, application, code=application.query_code, follow=True)
    assert response.status_code == 200 and application.tracking_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    client.force_login(reviewer)
    for url in ["/workbench/", f"/workbench/requests/{application.pk}/", "/workbench/requests/"]:
        assert "no-store" in client.get(url)["Cache-Control"], url
    api = Client().get(f"/api/v1/applications/{application.tracking_number}")
    assert "no-store" in api["Cache-Control"]
