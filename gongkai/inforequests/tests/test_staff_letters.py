"""The case page lists the letters the case has; its handlers download each as DOCX or PDF, every
download is audited, and nobody else gets them (they carry the applicant's personal data)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import docx
import pytest

from gongkai.core.models import AuditEvent
from gongkai.inforequests import services
from gongkai.inforequests.choices import Outcome, PauseKind
from gongkai.inforequests.letter_services import case_letters
from gongkai.inforequests.tests.acting import seen

D = dt.date
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 9, 10, tzinfo=dt.UTC))


@pytest.fixture
def application(make_application):
    return make_application()


def url(application, letter, fmt="pdf"):
    return f"/workbench/requests/{application.pk}/letters/{letter}.{fmt}"


def slugs(application):
    application.refresh_from_db()
    return [letter.slug for letter in case_letters(application)]


def test_a_new_case_has_its_acknowledgement_only(application):
    assert slugs(application) == ["acknowledgement"]


def test_letters_follow_what_happened(application, reviewer, office_head):
    services.do_request_supplement(
        application,
        expected_version=seen(application),
        request_text="请写明年份。",
        actor=reviewer,
        on=D(2021, 6, 2),
    )
    services.do_receive_supplement(
        application,
        expected_version=seen(application),
        on=D(2021, 6, 3),
        response_text="2020年",
        actor=reviewer,
    )
    first = services.do_start_consultation(
        application,
        expected_version=seen(application),
        kind=PauseKind.THIRD_PARTY,
        party="某某有限公司",
        request_text="商业秘密",
        actor=reviewer,
        on=D(2021, 6, 3),
    )
    services.do_end_consultation(
        application,
        expected_version=seen(application),
        on=D(2021, 6, 4),
        response_text="同意",
        actor=reviewer,
    )
    second = services.do_start_consultation(
        application,
        expected_version=seen(application),
        kind=PauseKind.OTHER_AGENCY,
        party="吉林省交通运输厅",
        request_text="来源",
        actor=reviewer,
        on=D(2021, 6, 4),
    )
    services.do_end_consultation(
        application,
        expected_version=seen(application),
        on=D(2021, 6, 7),
        response_text="同意",
        actor=reviewer,
    )
    services.do_extend_application(
        application,
        expected_version=seen(application),
        extra_workdays=5,
        reason="档案",
        actor=office_head,
        on=D(2021, 6, 8),
    )
    before_reply = slugs(application)
    services.do_draft_reply(
        application,
        expected_version=seen(application),
        outcome=Outcome.GRANTED,
        legal_basis="第三十六条",
        reply_text="见附件。",
        actor=reviewer,
    )

    assert before_reply == [
        "acknowledgement",
        "supplement",
        f"consultation-{first.pk}",
        f"consultation-{second.pk}",
        "extension",
    ]
    assert slugs(application)[-1] == "reply"


def test_the_case_page_links_every_letter_for_a_handler(client, application, reviewer):
    pause = services.do_start_consultation(
        application,
        expected_version=seen(application),
        kind=PauseKind.THIRD_PARTY,
        party="某某有限公司",
        request_text="商业秘密",
        actor=reviewer,
    )
    client.login(username="reviewer", password=PASSWORD)

    body = client.get(f"/workbench/requests/{application.pk}/").content.decode()

    assert "文书" in body
    for letter in ("acknowledgement", f"consultation-{pause.pk}"):
        for fmt in ("pdf", "docx"):
            assert url(application, letter, fmt) in body
    assert url(application, "reply") not in body
    assert "征求意见函（某某有限公司）" in body


def test_a_handler_downloads_a_pdf_and_it_is_audited(client, application, reviewer):
    client.login(username="reviewer", password=PASSWORD)

    response = client.get(url(application, "acknowledgement"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"{application.tracking_number}-acknowledgement.pdf" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="inforequests.letter.generated")
    assert event.actor == reviewer
    assert event.object_id == str(application.pk)
    assert event.after == {
        "letter": "acknowledgement",
        "format": "pdf",
        "sha256": hashlib.sha256(response.content).hexdigest(),
    }


def test_a_docx_carries_the_applicant(client, application, reviewer):
    client.login(username="reviewer", password=PASSWORD)

    response = client.get(url(application, "acknowledgement", "docx"))

    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "张三：" in text
    assert application.tracking_number in text


def test_staff_of_an_assigned_department_may_not_download(
    client, application, reviewer, dept_staff, departments
):
    """They see the applicant masked, so not the letters either (test_letters_follow_masking.py)."""
    services.do_assign_application(
        application,
        expected_version=seen(application),
        departments=[departments["exit_entry"]],
        due_on=D(2021, 6, 10),
        instructions="",
        actor=reviewer,
    )
    client.login(username="exit_staff", password=PASSWORD)

    assert client.get(url(application, "acknowledgement")).status_code == 403


def test_a_leader_sees_the_case_but_may_not_download(client, application, leader):
    client.login(username="leader", password=PASSWORD)

    page = client.get(f"/workbench/requests/{application.pk}/").content.decode()
    response = client.get(url(application, "acknowledgement"))

    assert "只有承办人员可以下载" in page
    assert url(application, "acknowledgement") not in page
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="inforequests.letter.generated").exists()


def test_staff_of_another_department_do_not_find_the_case(client, application, other_editor):
    client.login(username="traffic_editor", password=PASSWORD)

    assert client.get(url(application, "acknowledgement")).status_code == 404


def test_a_letter_the_case_does_not_have_is_not_found(client, application, reviewer):
    client.login(username="reviewer", password=PASSWORD)

    assert client.get(url(application, "reply")).status_code == 404
    assert client.get(url(application, "extension")).status_code == 404
    assert client.get(url(application, "consultation-999")).status_code == 404
    assert client.get(url(application, "acknowledgement", "txt")).status_code == 404


def test_the_public_cannot_download(client, application):
    response = client.get(url(application, "acknowledgement"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_case_page_lists_exactly_what_case_letters_computes(client, application, reviewer, office_head):
    import re

    services.do_request_supplement(
        application,
        expected_version=seen(application),
        request_text="请写明年份。",
        actor=reviewer,
        on=D(2021, 6, 2),
    )
    services.do_receive_supplement(
        application,
        expected_version=seen(application),
        on=D(2021, 6, 3),
        response_text="2020年",
        actor=reviewer,
    )
    services.do_start_consultation(
        application,
        expected_version=seen(application),
        kind=PauseKind.THIRD_PARTY,
        party="某某有限公司",
        request_text="商业秘密",
        actor=reviewer,
        on=D(2021, 6, 3),
    )
    services.do_end_consultation(
        application,
        expected_version=seen(application),
        on=D(2021, 6, 4),
        response_text="同意",
        actor=reviewer,
    )
    services.do_extend_application(
        application,
        expected_version=seen(application),
        extra_workdays=5,
        reason="档案",
        actor=office_head,
        on=D(2021, 6, 8),
    )
    services.do_draft_reply(
        application,
        expected_version=seen(application),
        outcome=Outcome.GRANTED,
        legal_basis="第三十六条",
        reply_text="见附件。",
        actor=reviewer,
    )
    application.refresh_from_db()
    client.login(username="reviewer", password=PASSWORD)

    page = client.get(f"/workbench/requests/{application.pk}/").content.decode()

    table = re.search(r'<table class="letters">.*?</table>', page, re.S)
    assert table
    rows = re.findall(r'<tr><td>([^<]*)</td><td class="date">([^<]*)</td>', table.group(0))
    expected = [(x.label, x.day.isoformat() if x.day else "—") for x in case_letters(application)]
    assert rows == expected
    assert [label for label, _ in rows] == [
        "受理通知书",
        "补正告知书",
        "征求意见函（某某有限公司）",
        "延期答复告知书",
        "答复书（待审批）",
    ]


def test_a_fee_notice_is_a_letter_of_the_case(client, application, reviewer):
    from gongkai.inforequests import fees
    from gongkai.inforequests.choices import FeeMethod

    fees.do_issue_fee_notice(
        application,
        expected_version=seen(application),
        method=FeeMethod.PER_APPLICATION,
        units=12,
        note="",
        actor=reviewer,
        on=D(2021, 6, 2),
    )
    assert slugs(application) == ["acknowledgement", "fee_notice"]
    client.login(username="reviewer", password=PASSWORD)

    response = client.get(url(application, "fee_notice", "docx"))

    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "政府信息公开收费通知书" in text
    assert "第12件申请" in text and "人民币100.00元" in text
