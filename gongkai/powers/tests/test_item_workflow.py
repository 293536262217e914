"""An exit-entry editor drafts the passport item; the office reviewer, a second person, approves it
and publishes the list; the announcement appears in the catalog; a later draft leaves it live."""

import datetime as dt

import pytest

from gongkai.core import acts
from gongkai.powers import services
from gongkai.powers.models import ItemVersion


def _publish(item, editor, reviewer):
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    item = services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition("approvals", title="关于公布行政审批事项的通告", actor=editor)
    return services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)


def test_it_publishes_a_list_with_its_flowchart_and_announcement(make_item, passport_data, editor, reviewer):
    item = make_item(passport_data)
    edition = _publish(item, editor, reviewer)
    item.refresh_from_db()
    assert item.status == "published"
    live = item.live
    assert live is not None and live.is_live
    [chart] = live.flowcharts.all()
    assert "<svg" in chart.svg and "Noto Sans CJK SC" in chart.svg
    assert "受理窗口民警" in chart.svg
    assert chart.procedure == "" and "第 2 步：审核" in chart.text
    assert edition.announcement is not None and edition.announcement.status == "published"
    assert edition.announcement.category.code == "approvals"


def test_it_keeps_the_published_version_live_while_a_draft_is_edited(
    make_item, passport_data, editor, reviewer
):
    item = make_item(passport_data)
    _publish(item, editor, reviewer)
    item.refresh_from_db()
    item = services.do_update_item(
        item, {"name": "普通护照签发（修订）"}, actor=editor, expected_version=item.version
    )
    assert item.status == "draft"
    assert ItemVersion.objects.get(item=item, is_live=True).name == "普通护照签发"


def test_it_refuses_to_submit_an_approval_item_without_materials_or_limits(make_item, passport_data, editor):
    item = make_item({**passport_data, "materials": [], "statutory_days": None})
    with pytest.raises(acts.ActError) as refused:
        services.do_submit_item(item, actor=editor, expected_version=item.version)
    assert "缺少申请材料" in str(refused.value) and "时限" in str(refused.value)


def test_it_refuses_the_drafter_approving_their_own_item(make_item, passport_data, editor, reviewer):
    item = make_item(passport_data)
    item = services.do_submit_item(item, actor=reviewer, expected_version=item.version)
    with pytest.raises(acts.PermissionDeniedError):
        services.do_approve_item(item, actor=reviewer, expected_version=item.version)


def test_it_refuses_another_departments_editor(make_item, passport_data, other_editor):
    item = make_item(passport_data)
    with pytest.raises(acts.PermissionDeniedError):
        services.do_update_item(item, {"name": "x"}, actor=other_editor, expected_version=item.version)


def test_it_cancels_a_published_item_by_a_dated_document(make_item, passport_data, editor, reviewer):
    item = make_item(passport_data)
    _publish(item, editor, reviewer)
    item.refresh_from_db()
    item = services.do_cancel_item(
        item,
        on=dt.date(2015, 6, 1),
        document="吉政发〔2015〕8号",
        actor=reviewer,
        expected_version=item.version,
    )
    assert item.status == "cancelled"
    assert not ItemVersion.objects.filter(item=item, is_live=True).exists()
