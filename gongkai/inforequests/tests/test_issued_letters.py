"""A letter once issued is an official document: it is stored as its exact PDF and DOCX when its
act is committed, and the status page, the e-mail attachment and the case page give those bytes
ever after, whatever the office does to its templates. Template edits and resets change only the
letters issued afterwards, and every wording a template had is kept."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import io
import subprocess
from collections.abc import Callable
from typing import Any

import docx
import pytest
from django.core.cache import cache
from django.db import transaction

from gongkai.core.models import AuditEvent
from gongkai.inforequests import fees, letter_services, services
from gongkai.inforequests.choices import CorrectionOutcome, FeeMethod, Outcome, PauseKind, RequestKind
from gongkai.inforequests.models import Application, IssuedLetter, IssuedLetterChangeError
from gongkai.inforequests.tests.acting import seen

D = dt.date
PASSWORD = "correct-horse-battery"
OFFICE_WORDING = "经审查，本机关按本机关的新文本答复您：所申请的信息予以公开。\n\n{reply_text}"


@pytest.fixture(autouse=True)
def _today(db, time_machine):
    cache.clear()  # the status look-up is rate limited per address
    time_machine.move_to(dt.datetime(2021, 6, 8, 10, tzinfo=dt.UTC))
    yield
    cache.clear()


def do(service: Callable[..., Any], application: Application, **kwargs: Any) -> Any:
    """Call an act service as the case page does, with the version of the case the actor saw."""
    return service(application, expected_version=seen(application), **kwargs)


def act(service: Callable[..., Any], application: Application, code: str, **kwargs: Any) -> Application:
    """Perform an act and issue the letters it issues, in one transaction.

    The lead wires ``letter_services.issue_for_act`` into the act services themselves (issue 7, the
    act kernel); once that is done the second call here finds the letters already issued, so these
    tests keep their meaning either way.
    """
    with transaction.atomic():
        do(service, application, **kwargs)
        fresh = Application.objects.get(pk=application.pk)
        letter_services.issue_for_act(fresh, code, actor=kwargs.get("actor"))
    fresh.query_code = getattr(application, "query_code", None)  # type: ignore[attr-defined]
    return fresh


@pytest.fixture
def closed(make_application, reviewer, office_head):
    """A disclosure request answered 予以公开 and approved: its reply letter issued."""

    def make(**overrides: Any) -> Application:
        application = make_application(**overrides)
        letter_services.issue_for_act(application, "inforequests.application.received", actor=None)
        do(services.do_accept_application, application, actor=reviewer)
        do(
            services.do_draft_reply,
            application,
            outcome=Outcome.GRANTED,
            legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
            reply_text="您申请的统计数据见附件。",
            actor=reviewer,
        )
        return act(
            services.do_approve_reply,
            application,
            "inforequests.reply.approved",
            actor=office_head,
            on=D(2021, 6, 8),
        )

    return make


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def public_download(client, application: Application) -> bytes:
    client.post(
        "/apply/status/",
        follow=True,
        data={"tracking_number": application.tracking_number, "query_code": application.query_code},  # type: ignore[attr-defined]
    )
    response = client.get(f"/apply/status/{application.tracking_number}/reply.pdf")
    assert response.status_code == 200
    return bytes(response.content)


def staff_download(client, application: Application, slug: str, fmt: str = "pdf") -> bytes:
    client.login(username="reviewer", password=PASSWORD)
    response = client.get(f"/workbench/requests/{application.pk}/letters/{slug}.{fmt}")
    client.logout()
    assert response.status_code == 200
    return bytes(response.content)


def edit_then_reset(reviewer) -> None:
    row = letter_services.do_save_letter_template(
        "reply:granted", "2019", OFFICE_WORDING, actor=reviewer, expected_version=0
    )
    letter_services.do_reset_letter_template(
        "reply:granted", "2019", actor=reviewer, expected_version=row.version
    )


# What the applicant and the office receive ------------------------------------------------------


def test_an_issued_letter_stays_byte_identical_through_a_template_edit_and_reset(client, closed, reviewer):
    application = closed()
    issued = IssuedLetter.objects.get(application=application, slug="reply")

    letter_services.do_save_letter_template(
        "reply:granted", "2019", OFFICE_WORDING, actor=reviewer, expected_version=0
    )
    after_edit = public_download(client, application)
    letter_services.do_reset_letter_template("reply:granted", "2019", actor=reviewer, expected_version=1)

    status_page = public_download(client, application)
    email = letter_services.issued_letter_pdf(application, "reply")  # what the e-mail attaches
    case_page = staff_download(client, application, "reply")
    case_docx = staff_download(client, application, "reply", "docx")

    assert email is not None and email[0] == f"reply-{application.tracking_number}.pdf"
    assert {sha(after_edit), sha(status_page), sha(email[1]), sha(case_page)} == {issued.pdf_sha256}
    assert sha(case_docx) == issued.docx_sha256
    assert "新文本" not in docx_text(case_docx)
    assert IssuedLetter.objects.filter(application=application, slug="reply").count() == 1


def test_the_mailed_letter_is_the_stored_letter(
    closed, reviewer, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = closed()
    edit_then_reset(reviewer)

    [(_sender, _recipients, data)] = smtp_server.messages
    [attachment] = list(email.message_from_bytes(data, policy=email.policy.default).iter_attachments())
    issued = IssuedLetter.objects.get(application=application, slug="reply")
    again = letter_services.issued_letter_pdf(application, "reply")  # a retried mail attaches this
    assert sha(attachment.get_content()) == issued.pdf_sha256
    assert again is not None and sha(again[1]) == issued.pdf_sha256


def test_a_live_render_would_differ_so_the_comparison_means_something(closed, reviewer):
    from gongkai.inforequests.letters.build import context_for

    application = closed()
    edit_then_reset(reviewer)
    letter_services.do_save_letter_template(
        "reply:granted", "2019", OFFICE_WORDING, actor=reviewer, expected_version=2
    )

    live, live_docx = letter_services.render(context_for(application, "reply"))

    assert sha(live) != IssuedLetter.objects.get(application=application, slug="reply").pdf_sha256
    assert "新文本" in docx_text(live_docx)


def test_a_letter_issued_after_the_edit_uses_the_new_wording(closed, reviewer):
    before = closed()
    letter_services.do_save_letter_template(
        "reply:granted", "2019", OFFICE_WORDING, actor=reviewer, expected_version=0
    )

    after = closed()

    old = IssuedLetter.objects.get(application=before, slug="reply")
    new = IssuedLetter.objects.get(application=after, slug="reply")
    assert "新文本" not in docx_text(bytes(old.docx)) and old.template_version == 0
    assert "新文本" in docx_text(bytes(new.docx)) and new.template_version == 1
    assert new.template_key == "reply:granted" and new.rules == "2019"
    assert "经审查，本机关按本机关的新文本答复您：所申请的信息予以公开。" in new.values["body_paragraphs"]
    pdf_text = subprocess.run(
        ["pdftotext", "-", "-"], input=bytes(new.pdf), capture_output=True, check=True
    ).stdout.decode()
    assert "新文本" in pdf_text.replace("\n", "")


def test_earlier_template_versions_are_listed_and_kept(client, reviewer):
    edit_then_reset(reviewer)
    client.login(username="reviewer", password=PASSWORD)

    page = client.get("/workbench/requests/letters/2019/reply:granted/").content.decode()

    versions = letter_services.template_versions("reply:granted", "2019")
    assert [(v.version, v.action) for v in versions] == [(2, "reset"), (1, "saved"), (0, "default")]
    assert versions[1].text == OFFICE_WORDING and versions[1].saved_by == reviewer
    history = page[page.index('id="versions"') :]
    assert "本机关的新文本" in history and "恢复默认文本" in history and str(reviewer) in history


def test_the_issue_is_audited_with_both_hashes_and_the_template_version(closed):
    application = closed()
    issued = IssuedLetter.objects.get(application=application, slug="reply")

    event = AuditEvent.objects.get(action="inforequests.letter.issued", after__letter="reply")

    assert event.object_id == str(application.pk)
    assert event.actor is not None and event.actor.username == "office_head"
    assert event.act_on == D(2021, 6, 8)
    assert event.after is not None
    assert event.after["pdf_sha256"] == issued.pdf_sha256 == sha(bytes(issued.pdf))
    assert event.after["docx_sha256"] == issued.docx_sha256 == sha(bytes(issued.docx))
    assert event.after["template"] == "reply:granted" and event.after["template_version"] == 0
    assert event.after["act"] == "inforequests.reply.approved" and event.after["frozen_late"] is False


def test_issuing_the_same_act_again_returns_the_first_letter(closed, office_head):
    application = closed()

    again = letter_services.issue_for_act(application, "inforequests.reply.approved", actor=office_head)

    assert [letter.sequence for letter in again] == [1]
    assert IssuedLetter.objects.filter(application=application).count() == 2  # acknowledgement, reply
    assert AuditEvent.objects.filter(action="inforequests.letter.issued").count() == 2


def test_a_stored_pdf_is_a_proper_letter(closed, tmp_path):
    issued = IssuedLetter.objects.get(application=closed(), slug="reply")
    (tmp_path / "reply.pdf").write_bytes(bytes(issued.pdf))

    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(tmp_path / "reply.pdf"), str(tmp_path / "page")], check=True
    )

    assert sorted(p.name for p in tmp_path.glob("page*.png")) == ["page-1.png"]
    text = docx_text(bytes(issued.docx))
    assert "政府信息公开申请答复书" in text and "张三：" in text and "您申请的统计数据见附件。" in text


# Which act issues which letter ------------------------------------------------------------------


def test_each_act_issues_its_letter(make_application, reviewer, office_head):
    application = make_application()
    letter_services.issue_for_act(application, "inforequests.application.received", actor=None)
    application = act(
        services.do_request_supplement,
        application,
        "inforequests.application.supplement_requested",
        request_text="请写明年份。",
        actor=reviewer,
        on=D(2021, 6, 2),
    )
    do(services.do_receive_supplement, application, on=D(2021, 6, 3), response_text="2020年", actor=reviewer)
    application = act(
        services.do_start_consultation,
        application,
        "inforequests.application.consultation_started",
        kind=PauseKind.THIRD_PARTY,
        party="某某有限公司",
        request_text="商业秘密",
        actor=reviewer,
        on=D(2021, 6, 3),
    )
    do(services.do_end_consultation, application, on=D(2021, 6, 4), response_text="同意", actor=reviewer)
    application = act(
        services.do_extend_application,
        application,
        "inforequests.application.extended",
        extra_workdays=5,
        reason="档案",
        actor=office_head,
        on=D(2021, 6, 8),
    )
    # Acts that issue no letter issue none.
    assert (
        letter_services.issue_for_act(application, "inforequests.application.accepted", actor=reviewer) == []
    )

    pause = application.pauses.get(kind=PauseKind.THIRD_PARTY)
    stored = {row.slug: row for row in IssuedLetter.objects.filter(application=application)}
    assert list(stored) == ["acknowledgement", f"consultation-{pause.pk}", "extension", "supplement"]
    assert stored["supplement"].issued_on == D(2021, 6, 2)
    assert stored["acknowledgement"].issued_by is None  # submitted online: issued by the system
    assert stored["extension"].issued_by == office_head
    letters = {letter.slug: letter for letter in letter_services.case_letters(application)}
    assert all(letters[slug].issued == row for slug, row in stored.items())


def test_a_fee_notice_issued_again_gets_the_next_number_and_the_first_is_kept(make_application, reviewer):
    application = make_application()
    issue = dict(method=FeeMethod.PER_APPLICATION, note="", actor=reviewer)
    application = act(
        fees.do_issue_fee_notice,
        application,
        "inforequests.fee.notice_issued",
        units=12,
        on=D(2021, 6, 2),
        **issue,
    )
    do(fees.do_record_fee_paid, application, paid_on=D(2021, 6, 3), actor=reviewer)
    application = act(
        fees.do_issue_fee_notice,
        application,
        "inforequests.fee.notice_issued",
        units=14,
        on=D(2021, 6, 7),
        **issue,
    )

    rows = list(IssuedLetter.objects.filter(application=application, slug="fee_notice"))
    served = letter_services.issued_files(application, "fee_notice")
    first = application.fee_notices.order_by("issued_on").first()
    assert first is not None
    listed = [(letter.slug, letter.day) for letter in letter_services.case_letters(application)]
    earlier = letter_services.issued_files(application, f"fee_notice-{first.pk}")

    assert [(row.sequence, row.issued_on) for row in rows] == [(1, D(2021, 6, 2)), (2, D(2021, 6, 7))]
    assert "第12件申请" in docx_text(bytes(rows[0].docx))
    assert served is not None and sha(served["pdf"][1]) == rows[1].pdf_sha256
    # The first notice stays on the case page, as it was sent.
    assert listed[1:] == [(f"fee_notice-{first.pk}", D(2021, 6, 2)), ("fee_notice", D(2021, 6, 7))]
    assert earlier is not None and sha(earlier["docx"][1]) == rows[0].docx_sha256


def test_a_2015_reply_with_an_outcome_the_2007_rules_do_not_word_is_issued_as_other(
    make_application, reviewer, office_head, time_machine
):
    # A petition passed on as an application (table 三 "信访举报投诉类申请") on a 2007-rules case: the
    # 2007 defaults have no wording for it, so the letter is the 其他处理 reply with the drafted text.
    time_machine.move_to(dt.datetime(2015, 6, 30, 10, tzinfo=dt.UTC))
    application = make_application(received_on=D(2015, 6, 1))
    do(services.do_accept_application, application, actor=reviewer)
    do(
        services.do_draft_reply,
        application,
        outcome=Outcome.NOT_PROCESSED_PETITION,
        legal_basis="《中华人民共和国政府信息公开条例》（2007年）第二十一条",
        reply_text="您反映的问题属于信访事项，请向信访部门提出。",
        actor=reviewer,
    )
    application = act(
        services.do_approve_reply,
        application,
        "inforequests.reply.approved",
        actor=office_head,
        on=D(2015, 6, 10),
    )

    issued = IssuedLetter.objects.get(application=application, slug="reply")
    assert (issued.rules, issued.template_key) == ("2007", "reply:other.other")
    assert "您反映的问题属于信访事项，请向信访部门提出。" in docx_text(bytes(issued.docx))


def test_a_correction_decision_is_issued_and_served_as_stored(
    client, make_application, office_head, reviewer
):
    application = make_application(request_kind=RequestKind.CORRECTION)
    application = act(
        services.do_decide_correction,
        application,
        "inforequests.correction.decided",
        outcome=CorrectionOutcome.NOT_INACCURATE,
        note="与原始档案一致。",
        actor=office_head,
        on=D(2021, 6, 8),
    )
    issued = IssuedLetter.objects.get(application=application, slug="correction")
    letter_services.do_save_letter_template(
        "correction:not_inaccurate",
        "2019",
        "{recipient}：\n\n新的更正答复文本。",
        actor=reviewer,
        expected_version=0,
    )

    client.post(
        "/apply/status/",
        follow=True,
        data={"tracking_number": application.tracking_number, "query_code": application.query_code},  # type: ignore[attr-defined]
    )
    response = client.get(f"/apply/status/{application.tracking_number}/reply.pdf")

    assert sha(response.content) == issued.pdf_sha256
    assert f"correction-{application.tracking_number}.pdf" in response["Content-Disposition"]


# Drafts, letters from before, and the stored bytes themselves -----------------------------------


def test_a_reply_awaiting_approval_is_a_marked_preview_and_is_not_stored(client, make_application, reviewer):
    application = make_application()
    do(services.do_accept_application, application, actor=reviewer)
    do(
        services.do_draft_reply,
        application,
        outcome=Outcome.GRANTED,
        legal_basis="第三十六条",
        reply_text="见附件。",
        actor=reviewer,
    )
    client.login(username="reviewer", password=PASSWORD)

    page = client.get(f"/workbench/requests/{application.pk}/").content.decode()
    response = client.get(f"/workbench/requests/{application.pk}/letters/reply.docx")

    assert "草稿预览，未发出" in page
    assert f"{application.tracking_number}-reply-draft.docx" in response["Content-Disposition"]
    assert letter_services.DRAFT_MARK in docx_text(response.content)
    assert not IssuedLetter.objects.filter(slug="reply").exists()
    assert letter_services.issued_letter_pdf(application, "reply") is None
    with pytest.raises(LookupError):
        letter_services.issue_letter(application, "reply", actor=reviewer)


def test_a_letter_issued_before_letters_were_stored_is_frozen_on_first_serve(
    client, make_application, reviewer, office_head
):
    # A case closed before this change (or before its service issued letters): nothing stored.
    application = make_application()
    do(services.do_accept_application, application, actor=reviewer)
    do(
        services.do_draft_reply,
        application,
        outcome=Outcome.GRANTED,
        legal_basis="第三十六条",
        reply_text="见附件。",
        actor=reviewer,
    )
    do(services.do_approve_reply, application, actor=office_head, on=D(2021, 6, 8))
    application.refresh_from_db()
    # As it was before letters were stored: no row (once the services issue letters themselves,
    # this takes away what they stored; no application code deletes issued letters).
    IssuedLetter._base_manager.filter(application=application).delete()

    first = letter_services.issued_letter_pdf(application, "reply")
    letter_services.do_save_letter_template(
        "reply:granted", "2019", OFFICE_WORDING, actor=reviewer, expected_version=0
    )
    later = staff_download(client, application, "reply")

    row = IssuedLetter.objects.get(application=application, slug="reply")
    event = AuditEvent.objects.get(
        action="inforequests.letter.issued", after__letter="reply", after__frozen_late=True
    )
    assert event.after is not None
    assert first is not None and sha(first[1]) == sha(later) == row.pdf_sha256
    assert row.frozen_late and row.issued_on == D(2021, 6, 8) and row.issued_by is None
    assert event.after["frozen_late"] is True and event.note
    client.login(username="reviewer", password=PASSWORD)
    page = client.get(f"/workbench/requests/{application.pk}/").content.decode()
    assert f"SHA-256 {row.pdf_sha256}" in page and "首次下载时存档" in page


def test_an_issued_letter_cannot_be_changed_or_deleted(closed):
    row = IssuedLetter.objects.get(application=closed(), slug="reply")

    row.pdf = b"%PDF-forged"
    with pytest.raises(IssuedLetterChangeError):
        row.save()
    with pytest.raises(IssuedLetterChangeError):
        row.delete()
    with pytest.raises(IssuedLetterChangeError):
        IssuedLetter.objects.filter(pk=row.pk).update(pdf=b"%PDF-forged")
    with pytest.raises(IssuedLetterChangeError):
        IssuedLetter.objects.filter(pk=row.pk).delete()
    assert IssuedLetter.objects.get(pk=row.pk).pdf_sha256 == sha(
        bytes(IssuedLetter.objects.get(pk=row.pk).pdf)
    )


def test_bytes_that_no_longer_match_their_hash_are_not_served(client, closed):
    application = closed()
    # Past the application's refusals (a hand edit in the database, a bad restore).
    IssuedLetter._base_manager.filter(application=application, slug="reply").update(pdf=b"%PDF-forged")

    with pytest.raises(letter_services.IssuedLetterCorruptError):
        letter_services.issued_letter_pdf(application, "reply")
    client.login(username="reviewer", password=PASSWORD)
    assert client.get(f"/workbench/requests/{application.pk}/letters/reply.pdf").status_code == 503
