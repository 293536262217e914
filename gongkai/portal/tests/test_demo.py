"""The demo states what the seed report states (../shared/reference/seed_2015_figures.json)."""

import datetime as dt

import pytest

from gongkai.catalog.models import Publication, Record, RecordTransition
from gongkai.inforequests.models import Application, Review
from gongkai.portal.demo import SEED_ITEMS, demo_loaded, load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            counts = load_demo()
            yield counts
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_loads_the_2015_catalog_and_its_channels(demo):
    assert demo_loaded()
    year = {"published_at__year": 2015}
    assert Publication.objects.filter(channel="press_conference", **year).count() == 20
    new_media = Publication.objects.filter(channel__in=["weibo", "wechat"], **year).count()
    assert new_media >= 8000  # "约8000余条"
    total = Publication.objects.filter(**year).count()
    assert 9000 <= total < 10000  # "近万条"
    for title in (
        "延吉口岸签证业务启动新闻发布会",
        "吉林省公安厅厅机关2015年部门预算",
        "关于公示吉林省公安厅责任清单的通告",
    ):
        assert Record.objects.filter(name=title, status="published").exists()


@pytest.mark.django_db
def test_demo_applications_of_2015_led_to_no_lawsuit(demo):
    of_2015 = Application.objects.filter(received_on__year=2015)
    assert of_2015.exists()
    assert {a.rule_set for a in of_2015} == {"2007"}
    assert not Review.objects.filter(application__in=of_2015, kind__startswith="litigation").exists()
    assert Application.objects.filter(received_on__gte=dt.date(2019, 5, 15), rule_set="2019").exists()


@pytest.mark.django_db
def test_demo_records_are_drafted_by_their_department_and_approved_by_a_second_person(demo):
    approvals = RecordTransition.objects.filter(to_status="approved").select_related(
        "record__created_by", "actor"
    )
    assert approvals.count() >= len(SEED_ITEMS)
    for approval in approvals:
        record = approval.record
        submitters = set(
            RecordTransition.objects.filter(record=record, to_status="submitted").values_list(
                "actor_id", flat=True
            )
        )
        assert approval.actor.has_role("reviewer")
        assert approval.actor_id != record.created_by_id and approval.actor_id not in submitters
        assert record.created_by.has_role("editor")
        assert record.created_by.department_id == record.department_id
