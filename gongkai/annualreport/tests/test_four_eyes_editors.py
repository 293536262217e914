"""Four eyes covers whoever wrote the report's text, not only whoever put it to the leader: an
office reviewer who edited the passages may not publish it though a colleague made `check`, and a
leader who edited (a person holding both roles) may not approve it; a redraft starts the list anew."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD
from gongkai.annualreport import services
from gongkai.annualreport.choices import Status
from gongkai.annualreport.tests import fakes
from gongkai.annualreport.tests.conftest import SEED
from gongkai.annualreport.workflows import REPORT, submitted_or_edited_by
from gongkai.core.acts import PermissionDeniedError

NOW = dt.datetime(2016, 1, 10, 9, 0, tzinfo=dt.UTC)
FOUR_EYES = "双人审核"


@pytest.fixture
def report(office_editor, seed_registry):
    return services.do_create_report(2015, actor=office_editor, registry=seed_registry, now=NOW)


def _edit(report, actor, suffix="（补充）"):
    passage = report.current().passages()[0]
    return services.do_save_edits(
        report, passages={passage.key: passage.text + suffix}, actor=actor, expected_version=report.version
    )


def _check(report, actor, registry):
    report = services.do_validate_report(
        report, actor=actor, expected_version=report.version, registry=registry, now=NOW
    )
    return services.do_check_report(
        report, actor=actor, expected_version=report.version, registry=registry, now=NOW
    )


def _approve(report, leader, registry):
    return services.do_approve_report(
        report, actor=leader, expected_version=report.version, registry=registry
    )


def test_an_editor_of_the_passages_does_not_publish_though_another_checked_it(
    report, reviewer, second_reviewer, leader, seed_registry, pdf_stub
):
    report = _edit(report, reviewer)
    assert set(report.edited_by.all()) == {reviewer}
    report = _approve(_check(report, second_reviewer, seed_registry), leader, seed_registry)
    assert report.checked_by == second_reviewer
    assert "publish" not in REPORT.allowed_moves(reviewer, report)
    with pytest.raises(PermissionDeniedError, match=FOUR_EYES):
        services.do_publish_report(report, actor=reviewer, expected_version=report.version)
    # Nor the one who checked it; another reviewer, who neither edited nor checked it, does.
    with pytest.raises(PermissionDeniedError, match=FOUR_EYES):
        services.do_publish_report(report, actor=second_reviewer, expected_version=report.version)


def test_another_reviewer_publishes_it(
    report, office_editor, reviewer, second_reviewer, leader, seed_registry, pdf_stub
):
    report = _edit(report, office_editor)
    report = _approve(_check(report, second_reviewer, seed_registry), leader, seed_registry)
    assert "publish" in REPORT.allowed_moves(reviewer, report)
    published = services.do_publish_report(report, actor=reviewer, expected_version=report.version)
    assert published.published_by == reviewer
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED


def test_a_save_that_changes_nothing_is_no_edit(report, reviewer):
    passage = report.current().passages()[0]
    report = services.do_save_edits(
        report, passages={passage.key: passage.text}, actor=reviewer, expected_version=report.version
    )
    assert not report.edited_by.exists()


def test_a_leader_who_edited_does_not_approve(report, office_editor, leader, departments, seed_registry):
    from conftest import _staff

    # A leader as such cannot edit the passages at all; one who is also an office reviewer can.
    with pytest.raises(PermissionDeniedError):
        _edit(report, leader)
    both = _staff("leader_reviewer", "孙兼职", departments["office"], ["leader", "reviewer"])
    report = _check(_edit(report, both), office_editor, seed_registry)
    assert "approve" not in REPORT.allowed_moves(both, report)
    with pytest.raises(PermissionDeniedError, match=FOUR_EYES):
        _approve(report, both, seed_registry)
    report = _approve(report, leader, seed_registry)
    assert report.approved_by == leader


def test_a_redraft_clears_the_editors(
    report, office_editor, reviewer, second_reviewer, leader, seed_registry, pdf_stub
):
    report = _edit(report, reviewer)
    report = _approve(_check(report, office_editor, seed_registry), leader, seed_registry)
    services.do_publish_report(report, actor=second_reviewer, expected_version=report.version)
    report.refresh_from_db()
    changed = fakes.registry({**SEED, "catalog.publications.total": 9700})
    report = services.do_redraft_report(
        report, actor=office_editor, expected_version=report.version, registry=changed
    )
    assert not report.edited_by.exists()
    assert reviewer.pk not in submitted_or_edited_by(report)
    # The new draft: whoever edits it now is recorded again.
    report = _edit(report, second_reviewer, "（再次补充）")
    assert set(report.edited_by.all()) == {second_reviewer}
    report = _approve(_check(report, office_editor, changed), leader, changed)
    assert "publish" in REPORT.allowed_moves(reviewer, report)
    assert "publish" not in REPORT.allowed_moves(second_reviewer, report)


def test_a_return_keeps_the_editors(report, office_editor, reviewer, leader, seed_registry):
    report = _check(_edit(report, reviewer), office_editor, seed_registry)
    report = services.do_return_report(report, reason="再充实", actor=leader, expected_version=report.version)
    assert set(report.edited_by.all()) == {reviewer}


def test_the_page_says_why_publishing_is_not_offered(
    client, report, reviewer, second_reviewer, office_editor, leader, seed_registry
):
    report = _edit(report, reviewer)
    report = _approve(_check(report, second_reviewer, seed_registry), leader, seed_registry)
    url = reverse("workbench:annualreport_staff:detail", args=[report.pk])
    client.login(username=reviewer.username, password=PASSWORD)
    html = client.get(url).content.decode()
    assert "发布到“年度报告”栏目" not in html
    assert 'id="four-eyes"' in html and "您修改过此报告的内容，须由另一名公开办审核员发布" in html
    client.login(username=second_reviewer.username, password=PASSWORD)
    html = client.get(url).content.decode()
    assert "发布到“年度报告”栏目" not in html and "您提请了此报告的审批" in html
    client.login(username=office_editor.username, password=PASSWORD)
    html = client.get(url).content.decode()
    assert 'id="four-eyes"' not in html  # not a reviewer: publishing is not theirs anyway


def test_the_page_tells_a_leader_who_edited(client, report, office_editor, departments, seed_registry):
    from conftest import _staff

    both = _staff("leader_reviewer", "孙兼职", departments["office"], ["leader", "reviewer"])
    report = _check(_edit(report, both), office_editor, seed_registry)
    client.login(username=both.username, password=PASSWORD)
    html = client.get(reverse("workbench:annualreport_staff:detail", args=[report.pk])).content.decode()
    assert "审批通过" not in html.split('id="findings"')[0]
    assert "您修改过此报告的内容，须由另一名领导审批（双人审核）。" in html


def test_the_migration_takes_the_editors_from_the_audit_trail(
    report, office_editor, reviewer, second_reviewer, leader, seed_registry, pdf_stub
):
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("gongkai.annualreport.migrations.0003_report_edited_by").backfill
    # Edited by the reviewer, published, redrafted, then edited by the second reviewer; a save
    # that changed nothing (the office editor's) is no edit.
    report = _edit(report, reviewer)
    report = _approve(_check(report, office_editor, seed_registry), leader, seed_registry)
    services.do_publish_report(report, actor=second_reviewer, expected_version=report.version)
    report.refresh_from_db()
    report = services.do_redraft_report(
        report, actor=office_editor, expected_version=report.version, registry=seed_registry
    )
    report = _edit(report, second_reviewer, "（再次补充）")
    passage = report.current().passages()[0]
    report = services.do_save_edits(
        report, passages={passage.key: passage.text}, actor=office_editor, expected_version=report.version
    )
    report.edited_by.clear()
    backfill(apps, None)
    assert set(report.edited_by.all()) == {second_reviewer}
