"""The exit-entry editor revises the published passport item: its guide, materials, flow and
responsibilities. The public page, the API and the downloads keep the published content until the
office approves the revision and publishes it with the list; a returned revision leaves it too."""

import pytest
from django.core.cache import cache

from gongkai.core import acts
from gongkai.core.models import AuditEvent
from gongkai.powers import services
from gongkai.powers.models import PowerItem
from gongkai.powers.workflows import ITEM

REVISED = {
    "name": "普通护照签发（修订）",
    "conditions": "修订后的受理条件。",
    "promised_days": 5,
    "materials": [{"name": "户口簿", "form": "original", "copies": 1, "note": ""}],
    "responsibilities": [{"stage": "accept", "duties": "修订后的受理责任", "boundary": ""}],
    "steps": [
        {"number": 1, "name": "网上受理", "post": "网上办理平台", "next_steps": "2"},
        {"number": 2, "name": "制证邮寄", "post": "制证中心"},
    ],
}


@pytest.fixture(autouse=True)
def _fresh_pages():
    """Each read below must see what is published now, not a page kept a moment ago."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(make_item, passport_data, editor, reviewer):
    item = make_item(
        {**passport_data, "responsibilities": [{"stage": "accept", "duties": "原受理责任", "boundary": ""}]}
    )
    _publish(item, editor, reviewer)
    item.refresh_from_db()
    return item


def _publish(item, editor, reviewer):
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition("approvals", title="关于公布行政审批事项的通告", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)


def _public(client):
    """What a visitor reads: the item page, its guide, the API and the open-data downloads."""
    cache.clear()
    return "\n".join(
        client.get(url).content.decode()
        for url in (
            "/powers/i/JL-CRJ-001/",
            "/powers/i/JL-CRJ-001/guide/",
            "/api/v1/powers/JL-CRJ-001",
            "/powers/download/approvals.json",
            "/powers/download/responsibilities.csv",
        )
    )


def _revise(item, editor, **extra):
    return services.do_update_item(item, {**REVISED, **extra}, actor=editor, expected_version=item.version)


def test_it_keeps_a_revision_of_a_published_item_off_the_public_side_until_it_is_published(
    client, published, editor, reviewer
):
    item = _revise(published, editor)
    assert item.status == "draft" and item.revision is not None
    page = _public(client)
    for old in ("居民身份证", "中国公民", "原受理责任", "受理窗口民警"):
        assert old in page, old
    for new in ("户口簿", "修订后的受理条件", "修订后的受理责任", "网上办理平台", "（修订）"):
        assert new not in page, new
    # The rows the figures count stay as published too.
    row = PowerItem.objects.get(pk=item.pk)
    assert row.name == "普通护照签发" and list(row.materials.values_list("name", flat=True)) == [
        "居民身份证",
        "近期免冠照片",
    ]

    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    item = services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    assert "户口簿" not in _public(client)  # approved, not yet published with the list

    edition = services.do_propose_edition("approvals", title="关于调整行政审批事项的通告", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)
    page = _public(client)
    for new in ("户口簿", "修订后的受理条件", "修订后的受理责任", "网上办理平台", "（修订）"):
        assert new in page, new
    assert "居民身份证" not in page and "原受理责任" not in page
    item.refresh_from_db()
    live = item.live
    assert item.status == "published" and item.revision is None and live is not None and live.number == 2
    assert list(item.materials.values_list("name", flat=True)) == ["户口簿"]
    assert item.guide.promised_days == 5 and item.guide.statutory_days == 15
    assert [chart.svg.count("网上办理平台") for chart in live.flowcharts.all()] == [1]


def test_the_workbench_shows_the_revision(client, published, editor):
    _revise(published, editor)
    client.force_login(editor)
    detail = client.get(f"/workbench/powers/{published.pk}/").content.decode()
    assert "普通护照签发（修订）" in detail and "修订稿" in detail and "/discard/" in detail
    form = client.get(f"/workbench/powers/{published.pk}/edit/").content.decode()
    assert "户口簿|原件|1|" in form and "网上受理|网上办理平台" in form and "修订后的受理条件" in form
    assert "居民身份证" not in form


def test_a_second_edit_changes_the_revision_not_the_published_rows(published, editor):
    item = _revise(published, editor)
    item = services.do_update_item(item, {"fee": "不收费"}, actor=editor, expected_version=item.version)
    assert item.revision is not None
    assert item.revision["fee"] == "不收费" and item.revision["materials"][0]["name"] == "户口簿"
    assert PowerItem.objects.get(pk=item.pk).guide.fee == "每本120元"


def test_a_returned_revision_leaves_the_published_content(client, published, editor, reviewer):
    item = _revise(published, editor)
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    item = services.do_return_item(item, actor=reviewer, reason="材料清单有误", expected_version=item.version)
    assert item.status == "returned" and item.revision is not None  # the editor fixes it
    page = _public(client)
    assert "居民身份证" in page and "户口簿" not in page
    row = PowerItem.objects.get(pk=item.pk)
    assert list(row.materials.values_list("name", flat=True)) == ["居民身份证", "近期免冠照片"]
    assert row.live is not None and row.live.number == 1 and row.live.is_live


def test_a_revision_is_checked_before_it_can_be_submitted(published, editor):
    item = _revise(published, editor, materials=[], statutory_days=None)
    with pytest.raises(acts.ActError, match="缺少申请材料"):
        services.do_submit_item(item, actor=editor, expected_version=item.version)
    assert "缺少申请材料。" in services.publish_problems(item)
    assert services.publish_problems(PowerItem.objects.get(pk=item.pk)) != []


def test_a_stale_version_is_refused_and_the_revision_kept(published, editor):
    seen = published.version
    item = _revise(published, editor)
    with pytest.raises(acts.ConflictError):
        services.do_update_item(published, {"name": "别人的修改"}, actor=editor, expected_version=seen)
    item.refresh_from_db()
    assert item.revision is not None and item.revision["name"] == "普通护照签发（修订）"


def test_it_refuses_moving_a_published_item_to_the_other_list(published, editor):
    with pytest.raises(acts.ActError, match="另一个清单"):
        services.do_update_item(
            published, {"list_kind": "powers"}, actor=editor, expected_version=published.version
        )


def test_the_edit_is_audited_as_a_revision(published, editor):
    _revise(published, editor)
    event = AuditEvent.objects.filter(action="powers.item.updated", object_id=str(published.pk)).get()
    assert event.before is not None and event.after is not None
    assert event.before["name"] == "普通护照签发" and "revision" not in event.before
    assert event.after["name"] == "普通护照签发（修订）" and event.after["revision"] is True


def test_another_departments_editor_may_not_revise_it(published, other_editor):
    with pytest.raises(acts.PermissionDeniedError):
        _revise(published, other_editor)
    assert PowerItem.objects.get(pk=published.pk).revision is None


def test_a_returned_revision_can_be_dropped_and_the_item_is_published_as_it_stands(
    client, published, editor, reviewer
):
    item = _revise(published, editor)
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    item = services.do_return_item(item, actor=reviewer, reason="不予调整", expected_version=item.version)
    client.force_login(editor)
    response = client.post(f"/workbench/powers/{item.pk}/discard/", {"version": item.version}, follow=True)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == "published" and item.revision is None and item.return_reason == ""
    assert services.working(item)["name"] == "普通护照签发"
    assert AuditEvent.objects.filter(action="powers.item.revision_discarded", object_id=str(item.pk)).exists()
    # Published again, it can be cancelled or delegated as before.
    assert "cancel" in ITEM.allowed_moves(reviewer, item)


def test_an_item_without_a_revision_has_nothing_to_drop(make_item, passport_data, published, editor):
    draft = make_item({**passport_data, "code": "JL-CRJ-002"})
    for item in (draft, published):
        with pytest.raises(acts.ActError):
            services.do_discard_revision(item, actor=editor, expected_version=item.version)
