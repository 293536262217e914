"""The decision on a correction request (2019 Art. 41) is a letter like the others: built from the
case in the office's wording for its rule set, listed on the case page once decided, downloadable
by the applicant from the status page, and e-mailed with the PDF when decided (delivery recorded)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re

import docx
import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import PASSWORD
from gongkai.core.models import AuditEvent
from gongkai.inforequests import letter_services, services
from gongkai.inforequests.choices import CorrectionOutcome, RequestKind
from gongkai.inforequests.letters.build import context_for
from gongkai.inforequests.letters.pdf import render_pdf
from gongkai.inforequests.models import LetterDelivery, LetterTemplate

D = dt.date
DECIDED_ON = D(2021, 6, 10)
NOTE = "经核对户籍档案，已将出生日期更正为1980年1月10日。"
PERSONAL = ("张三", "zhangsan@example.com", "220102198001011234", "13900000000")


@pytest.fixture(autouse=True)
def _today(time_machine):
    cache.clear()
    time_machine.move_to(dt.datetime(2021, 6, 10, 10, tzinfo=dt.UTC))
    yield
    cache.clear()


@pytest.fixture
def correction(make_application):
    def make(**overrides):
        return make_application(
            request_kind=RequestKind.CORRECTION,
            information_title="本人户籍登记信息中的出生日期",
            description="出生日期登记为1980年1月1日，应为1980年1月10日；附出生医学证明。",
            **overrides,
        )

    return make


def decide(app, actor, outcome=CorrectionOutcome.CORRECTED, note=NOTE, forwarded_to="", on=DECIDED_ON):
    app.refresh_from_db()  # the version the decision maker saw on the case page
    return services.do_decide_correction(
        app,
        outcome=outcome,
        note=note,
        forwarded_to=forwarded_to,
        actor=actor,
        on=on,
        expected_version=app.version,
    )


def body(ctx) -> str:
    return "\n".join(ctx.body_paragraphs)


# The letter -------------------------------------------------------------------------------------


def test_a_corrected_record_is_told_with_the_office_note(correction, office_head):
    app = decide(correction(), office_head)

    ctx = context_for(app, "correction")

    assert ctx.kind == "correction" and ctx.outcome == "corrected"
    assert ctx.title.endswith("更正政府信息申请答复书")
    assert ctx.recipient == "张三"
    assert ctx.date_issued == DECIDED_ON
    assert "要求更正“本人户籍登记信息中的出生日期”" in body(ctx)
    assert "确实不准确，本机关已予以更正" in body(ctx)
    assert ctx.body_paragraphs[-1] == NOTE
    assert ctx.legal_basis == "《中华人民共和国政府信息公开条例》第四十一条"
    assert "特此告知" in ctx.legal_basis_paragraph
    assert ctx.remedies is False  # the applicant got what was asked


def test_forwarding_names_the_agency_and_states_the_remedies(correction, office_head):
    app = decide(
        correction(),
        office_head,
        CorrectionOutcome.FORWARDED,
        note="请与该局户政科联系。",
        forwarded_to="长春市公安局朝阳区分局",
    )

    ctx = context_for(app, "correction")

    assert "已将您的申请转送长春市公安局朝阳区分局处理" in body(ctx)
    assert ctx.remedies is True
    assert "申请行政复议" in ctx.remedies_paragraph


def test_a_refusal_says_why_and_states_the_remedies(correction, office_head):
    app = decide(correction(), office_head, CorrectionOutcome.NOT_INACCURATE, note="与原始档案一致。")

    ctx = context_for(app, "correction")

    assert "本机关不予更正" in body(ctx)
    assert "与原始档案一致。" in body(ctx)
    assert ctx.remedies is True


def test_a_2015_request_cites_the_2007_regulations(correction, office_head, time_machine):
    time_machine.move_to(dt.datetime(2015, 6, 10, 10, tzinfo=dt.UTC))
    app = decide(correction(received_on=D(2015, 6, 1)), office_head, on=D(2015, 6, 10))

    ctx = context_for(app, "correction")

    assert ctx.rules == "2007"
    assert ctx.legal_basis == "《中华人民共和国政府信息公开条例》（国务院令第492号）第二十五条第二款"
    assert app.legal_basis == ctx.legal_basis  # what the status page shows as the basis


def test_no_letter_before_the_decision_nor_on_a_disclosure_request(correction, make_application):
    with pytest.raises(LookupError):
        context_for(correction(), "correction")
    with pytest.raises(LookupError):
        context_for(make_application(), "correction")


def test_the_office_wording_replaces_the_default_and_the_note_still_goes_in(correction, office_head):
    LetterTemplate.objects.create(
        key="correction:corrected",
        rules="2019",
        text="经审核，您的更正申请属实，已予更正。",
        updated_at=dt.datetime(2021, 6, 1, tzinfo=dt.UTC),
        updated_by=office_head,
    )
    app = decide(correction(), office_head)

    ctx = context_for(app, "correction")

    assert ctx.body_paragraphs == ("经审核，您的更正申请属实，已予更正。", NOTE)


def test_the_office_may_place_the_note_and_the_agency(correction, office_head, reviewer):
    letter_services.do_save_letter_template(
        "correction:forwarded",
        "2019",
        "已转送{forwarded_to}。\n\n说明：{correction_note}",
        actor=reviewer,
        expected_version=0,
    )
    app = decide(
        correction(), office_head, CorrectionOutcome.FORWARDED, note="请联系户政科。", forwarded_to="某分局"
    )

    assert context_for(app, "correction").body_paragraphs == ("已转送某分局。", "说明：请联系户政科。")


def test_the_letter_renders_as_pdf_and_docx(correction, office_head):
    from gongkai.inforequests.letters.docx import render_docx

    ctx = context_for(decide(correction(), office_head), "correction")

    assert render_pdf(ctx).startswith(b"%PDF")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(ctx))).paragraphs)
    assert "更正政府信息申请答复书" in text and NOTE in text


# The case page ----------------------------------------------------------------------------------


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_the_case_page_lists_the_decision_letter_once_decided(client, correction, office_head, reviewer):
    app = correction()
    assert [letter.slug for letter in letter_services.case_letters(app)] == ["acknowledgement"]
    app = decide(app, office_head)
    login(client, reviewer)

    page = client.get(reverse("workbench:inforequests_staff:case", args=[app.pk])).content.decode()
    assert [letter.slug for letter in letter_services.case_letters(app)] == ["acknowledgement", "correction"]
    assert "更正申请答复书" in page
    response = client.get(f"/workbench/requests/{app.pk}/letters/correction.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="inforequests.letter.generated", after__letter="correction", after__format="pdf"
    ).exists()


def test_the_wording_can_be_edited_and_previewed(client, reviewer):
    login(client, reviewer)

    listing = client.get(reverse("workbench:inforequests_staff:letter_templates")).content.decode()
    assert "更正政府信息申请答复书：无权更正，已转送有权机关" in listing
    preview = client.get(
        reverse("workbench:inforequests_staff:letter_template_preview", args=["2019", "correction:forwarded"])
    )
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    editor = client.get(
        reverse("workbench:inforequests_staff:letter_template", args=["2007", "correction:not_inaccurate"])
    ).content.decode()
    assert "{correction_note}" in editor and "{forwarded_to}" in editor


# The public status page -------------------------------------------------------------------------


def test_the_applicant_downloads_the_decision_letter(client, correction, office_head):
    app = correction()
    code = app.query_code
    decide(app, office_head, CorrectionOutcome.NOT_INACCURATE, note="与原始档案一致。")

    page = client.post(
        "/apply/status/", follow=True, data={"tracking_number": app.tracking_number, "query_code": code}
    )
    text = page.content.decode()
    assert "下载答复书（PDF）" in text
    assert "可以依法申请行政复议" in text
    letter_url = reverse("inforequests:reply_letter", args=[app.tracking_number])
    assert letter_url in text

    response = client.get(letter_url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert f"correction-{app.tracking_number}.pdf" in response["Content-Disposition"]


def test_no_download_before_the_decision(client, correction):
    app = correction()
    text = client.post(
        "/apply/status/",
        follow=True,
        data={"tracking_number": app.tracking_number, "query_code": app.query_code},
    ).content.decode()
    assert "下载答复书" not in text
    assert client.get(reverse("inforequests:reply_letter", args=[app.tracking_number])).status_code == 404


# The e-mail -------------------------------------------------------------------------------------


def test_the_decision_letter_is_mailed_after_commit(
    correction, office_head, smtp_server, django_capture_on_commit_callbacks
):
    app = correction()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decide(app, office_head)
        assert smtp_server.messages == []  # nothing leaves before the decision is committed

    assert len(callbacks) == 1
    [(sender, recipients, data)] = smtp_server.messages
    assert sender == "gongkai@example.gov.cn"
    assert recipients == ["zhangsan@example.com"]
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert "更正政府信息申请答复书" in str(message["Subject"])
    assert app.tracking_number in str(message["Subject"])
    text = message.get_body().get_content()  # type: ignore[union-attr]
    assert "更正政府信息申请" in text and app.tracking_number in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"correction-{app.tracking_number}.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_the_mailed_decision_is_recorded_as_delivered(
    client, correction, office_head, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    app = correction()
    with django_capture_on_commit_callbacks(execute=True):
        decide(app, office_head, on=D(2021, 6, 9))

    delivery = LetterDelivery.objects.get(application=app)
    assert (delivery.letter_kind, delivery.method, delivery.delivered_on) == (
        "correction",
        "email",
        D(2021, 6, 9),
    )
    assert delivery.recorded_by == office_head
    event = AuditEvent.objects.get(action="inforequests.letter.delivered", object_id=str(app.pk))
    assert event.after is not None and event.after["letter"] == "correction"
    login(client, reviewer)
    page = client.get(reverse("workbench:inforequests_staff:case", args=[app.pk])).content.decode()
    assert re.search(r"<td>更正申请答复书</td><td>电子邮件</td>", page)


def test_no_address_no_mail(correction, office_head, smtp_server, django_capture_on_commit_callbacks):
    app = correction(email="", delivery="post", address="长春市人民大街1号")
    with django_capture_on_commit_callbacks(execute=True):
        decide(app, office_head)

    # The decision's event is still delivered (other subscribers may want it); no mail leaves.
    assert smtp_server.messages == []
    assert not LetterDelivery.objects.exists()


def test_a_refused_decision_sends_nothing(
    correction, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    app = correction()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(services.RequestError):
        decide(app, reviewer)  # only the office head or a leader decides

    assert callbacks == []
    assert smtp_server.messages == []


def test_a_mail_failure_keeps_the_decision_and_logs_no_personal_data(
    correction, office_head, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on discard
    settings.EMAIL_TIMEOUT = 2
    app = correction()

    with django_capture_on_commit_callbacks(execute=True):
        decide(app, office_head)

    app.refresh_from_db()
    assert app.correction_outcome == CorrectionOutcome.CORRECTED
    assert not LetterDelivery.objects.exists()
    assert app.tracking_number in caplog.text
    for personal in PERSONAL:
        assert personal not in caplog.text
