"""The letters carry the applicant's full name and address: whoever sees the applicant masked on
the case page (a department asked for its opinion) may not open them, nor is offered the links.
Once the office shares the identity with that department for the case, it may (test_identity_share.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD
from gongkai.accounts.services import do_create_staff
from gongkai.core.models import AuditEvent
from gongkai.inforequests import queries, services
from gongkai.inforequests.choices import Outcome
from gongkai.inforequests.letter_services import case_letters
from gongkai.inforequests.tests.acting import seen

D = dt.date


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 9, 10, tzinfo=dt.UTC))


@pytest.fixture
def dept_head(departments):
    """The head of 出入境管理局, the department asked for its opinion."""
    return do_create_staff(username="exit_head", password=PASSWORD, full_name="吴处长",
                           department=departments["exit_entry"], roles=["head"], actor=None)  # fmt: skip


@pytest.fixture
def asked_for_an_opinion(make_application, reviewer, departments):
    """A case the office sent to 出入境管理局 for its opinion, with a reply drafted (a draft letter)."""
    app = make_application()
    services.do_assign_application(app, expected_version=seen(app), departments=[departments["exit_entry"]],
                                   due_on=D(2021, 6, 20), instructions="", actor=reviewer)  # fmt: skip
    services.do_draft_reply(app, expected_version=seen(app), outcome=Outcome.GRANTED,
                            legal_basis="第二十七条", reply_text="予以公开。", actor=reviewer)  # fmt: skip
    app.refresh_from_db()
    return app


def letter_urls(app):
    return [
        reverse("workbench:inforequests_staff:letter", args=[app.pk, letter.slug, fmt])
        for letter in case_letters(app)
        for fmt in ("pdf", "docx")
    ]


def case_page(client, app):
    response = client.get(reverse("workbench:inforequests_staff:case", args=[app.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["dept_staff", "dept_head"])
def test_it_refuses_every_letter_to_the_department_asked_for_its_opinion(
    request, client, asked_for_an_opinion, who
):
    app, user = asked_for_an_opinion, request.getfixturevalue(who)
    assert services.is_handler(user, app) and not queries.shows_personal_data(user, app)
    urls = letter_urls(app)
    assert len(urls) >= 4  # the acknowledgement and the drafted reply, each as PDF and DOCX
    assert client.login(username=user.username, password=PASSWORD)

    page = case_page(client, app)
    for url in urls:
        assert url not in page
        assert client.get(url).status_code == 403
    assert "文书含有申请人个人信息，只有承办人员可以下载。" in page
    assert not AuditEvent.objects.filter(action="inforequests.letter.generated").exists()


def test_the_office_handler_gets_every_letter(client, asked_for_an_opinion, reviewer):
    app = asked_for_an_opinion
    urls = letter_urls(app)
    assert client.login(username=reviewer.username, password=PASSWORD)

    page = case_page(client, app)
    for url in urls:
        assert url in page
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert response.content
    assert AuditEvent.objects.filter(action="inforequests.letter.generated").count() == len(urls)
