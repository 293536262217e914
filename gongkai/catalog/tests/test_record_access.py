"""The record defects of issue 7, each tried as the staff member who found it: acts on another
department's record, an edit posted without the version it was made on, one reviewer alone taking
a record from draft to approval, and a POST racing the office's own move with the next version."""

from __future__ import annotations

import pytest

from gongkai.catalog import services
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Attachment, Publication, RecordTransition
from gongkai.core.models import AuditEvent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def events(record, action):
    return AuditEvent.objects.filter(object_type="catalog.record", object_id=str(record.pk), action=action)


def upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("通告.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def second_reviewer(departments):
    from gongkai.accounts.services import do_create_staff

    return do_create_staff(
        username="reviewer2",
        password="correct-horse-battery",
        full_name="吴审核",
        department=departments["office"],
        roles=["reviewer"],
        actor=None,
    )


# -- the leader and the audit administrator on another department's record ----------------------

# An administrator (三员) is refused as such before any move's own rule is looked at.
REFUSALS = {"leader": "", "auditor": "系统、安全、审计管理员不能办理业务事项。"}


@pytest.mark.parametrize("persona", ["leader", "auditor"])
def test_the_leader_and_the_auditor_cannot_attach_files_to_a_departments_draft(
    persona, request, client, make_record, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    outsider = request.getfixturevalue(persona)
    draft = make_record()
    client.force_login(outsider)
    # Both may open the record (they oversee the catalog); neither drafts it.
    page = client.get(f"/workbench/records/{draft.pk}/").content.decode()
    assert f"/workbench/records/{draft.pk}/attachments/" not in page
    response = client.post(
        f"/workbench/records/{draft.pk}/attachments/",
        {"version": draft.version, "file": upload()},
        follow=True,
    )
    refusal = REFUSALS[persona] or "您无权为该信息添加附件。"
    assert f"附件未保存：{refusal}" in response.content.decode()
    assert not Attachment.objects.filter(record=draft).exists()
    assert not events(draft, "catalog.attachment.added").exists()
    with pytest.raises(services.PermissionDeniedError):
        services.do_add_attachment(
            draft, services.UploadedFile("通告.pdf", PDF), actor=outsider, expected_version=draft.version
        )
    draft.refresh_from_db()
    assert draft.version == 1


@pytest.mark.parametrize("persona", ["leader", "auditor"])
def test_the_leader_and_the_auditor_cannot_record_where_a_departments_record_went_out(
    persona, request, client, make_record
):
    outsider = request.getfixturevalue(persona)
    # Channels are recorded on published records (a draft is refused whoever asks).
    record = make_record("published")
    client.force_login(outsider)
    response = client.post(
        f"/workbench/records/{record.pk}/publications/",
        {
            "version": record.version,
            "channel": "weibo",
            "published_at": "2015-06-03T10:00",
            "link": "https://weibo.example/1",
        },
        follow=True,
    )
    assert (REFUSALS[persona] or "您无权为该信息登记发布渠道。") in response.content.decode()
    assert list(Publication.objects.filter(record=record).values_list("channel", flat=True)) == ["portal"]
    assert not events(record, "catalog.publication.recorded").exists()


def test_the_departments_editor_still_attaches_files_to_its_draft(
    client, editor, make_record, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = make_record()
    client.force_login(editor)
    client.post(f"/workbench/records/{draft.pk}/attachments/", {"version": draft.version, "file": upload()})
    assert Attachment.objects.get(record=draft).original_name == "通告.pdf"
    draft.refresh_from_db()
    assert draft.version == 2  # the record moved on: a form opened before now is stale


# -- an edit posted without the version it was made on ------------------------------------------


@pytest.fixture
def edit_form(record_data):
    return {
        "name": "我的修改",
        "doc_number": record_data["doc_number"],
        "formed_on": "2015-06-01",
        "issuer": record_data["issuer"],
        "department": record_data["department"].pk,
        "category": record_data["category"].pk,
        "genre": "circular",
        "keywords": "签证",
        "summary": "我改过的概述。",
        "body": "<p>我改过的正文</p>",
        "validity": "in_force",
        "secrecy": "non_secret",
        "attribute": "proactive",
    }


@pytest.mark.parametrize("version", [None, "0"], ids=["no-version", "version-0"])
def test_an_edit_without_the_version_it_was_made_on_overwrites_nothing_and_keeps_the_input(
    version, client, editor, reviewer, make_record, edit_form
):
    record = make_record()
    services.do_update_record(
        record, {"name": "审核员的修改"}, actor=reviewer, expected_version=record.version
    )
    client.force_login(editor)
    form = {**edit_form} if version is None else {**edit_form, "version": version}
    response = client.post(f"/workbench/records/{record.pk}/edit/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "该信息已被他人处理或修改（当前版本 2）" in html
    assert "我的修改" in html and "我改过的概述。" in html and "我改过的正文" in html
    record.refresh_from_db()
    assert (record.name, record.version) == ("审核员的修改", 2)
    assert events(record, "catalog.record.updated").count() == 1


def test_a_service_caller_must_name_the_version_too(make_record, editor):
    record = make_record()
    for version in (None, 0, record.version + 1):
        with pytest.raises(services.ConflictError):
            services.do_update_record(record, {"name": "x"}, actor=editor, expected_version=version)
    record.refresh_from_db()
    assert record.name != "x" and record.version == 1


# -- four eyes ---------------------------------------------------------------------------------


def test_the_office_reviewer_alone_cannot_take_a_record_from_draft_to_approval(
    client, reviewer, second_reviewer, record_data
):
    record = services.do_create_record(record_data, actor=reviewer)
    record = services.do_submit_record(record, actor=reviewer, expected_version=record.version)
    client.force_login(reviewer)
    page = client.get(f"/workbench/records/{record.pk}/").content.decode()
    assert f"/workbench/records/{record.pk}/approve/" not in page
    response = client.post(
        f"/workbench/records/{record.pk}/approve/", {"version": record.version}, follow=True
    )
    assert "起草或提交该事项的人员不能批准自己经手的事项" in response.content.decode()
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED
    assert not events(record, "catalog.record.approved").exists()

    # A second reviewer passes the attribute review; the first may then publish it.
    record = services.do_approve_record(record, actor=second_reviewer, expected_version=record.version)
    assert record.status == Status.APPROVED
    assert RecordTransition.objects.get(record=record, to_status=Status.APPROVED).actor == second_reviewer
    record = services.do_publish_record(record, actor=reviewer, expected_version=record.version)
    assert record.status == Status.PUBLISHED


def test_whoever_submitted_a_record_cannot_approve_it_even_if_someone_else_drafted_it(
    make_record, reviewer, second_reviewer
):
    record = make_record()  # drafted by the department's editor
    record = services.do_submit_record(record, actor=reviewer, expected_version=record.version)
    with pytest.raises(services.PermissionDeniedError, match="双人审核"):
        services.do_approve_record(record, actor=reviewer, expected_version=record.version)
    services.do_approve_record(record, actor=second_reviewer, expected_version=record.version)


# -- the stale-version race -------------------------------------------------------------------------


def test_a_post_racing_the_offices_move_with_the_next_version_is_refused_for_who_sent_it(
    client, leader, editor, reviewer, make_record, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    record = make_record("submitted")
    seen = record.version
    # The office returns the record: its version is now seen + 1, the one the racers guess.
    services.do_return_record(record, actor=reviewer, reason="文号有误", expected_version=seen)
    client.force_login(leader)
    response = client.post(
        f"/workbench/records/{record.pk}/attachments/", {"version": seen + 1, "file": upload()}, follow=True
    )
    assert "您无权为该信息添加附件。" in response.content.decode()
    assert not Attachment.objects.filter(record=record).exists()
    client.force_login(editor)
    response = client.post(f"/workbench/records/{record.pk}/approve/", {"version": seen + 1}, follow=True)
    html = response.content.decode()
    assert "只有公开办审核员可以审核、发布或撤回信息。" in html
    assert "已被他人处理或修改" not in html
    record.refresh_from_db()
    assert (record.status, record.version) == (Status.RETURNED, seen + 1)
    assert not events(record, "catalog.record.approved").exists()
