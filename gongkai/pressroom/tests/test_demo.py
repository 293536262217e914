"""The press room demo reproduces the seed's 2015 figures: 20 conferences, 3 in the provincial
government's name and 17 in the department's own, listed on the portal."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gongkai.accounts.choices import DepartmentKind
from gongkai.accounts.models import Department
from gongkai.accounts.services import do_create_staff
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Category
from gongkai.core.figures import Period
from gongkai.portal.demo import DEPARTMENTS, SEED_ITEMS, STAFF
from gongkai.pressroom import stats
from gongkai.pressroom.choices import Form, Status
from gongkai.pressroom.demo import CONFERENCES, load_demo_pressroom
from gongkai.pressroom.models import Conference, Interpretation

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")

# A small catalog in place of the portal's: four published 2015 policies (规范性文件).
POLICIES = [
    ("吉林省公安厅关于出入境证件的通知", "出入境管理局", dt.date(2015, 5, 4)),
    ("吉林省户籍迁移管理办法", "户政管理处", dt.date(2015, 4, 1)),
    ("关于进一步规范社区警务工作的意见", "治安管理总队", dt.date(2015, 7, 1)),
    ("吉林省公安厅关于机动车驾驶证的通知", "交通警察总队", dt.date(2015, 7, 20)),
]


@pytest.fixture
def world(db):
    """The portal demo's departments and staff, keyed as `portal.demo.load_demo` keys them."""
    agency = Department.objects.create(name="吉林省公安厅", kind=DepartmentKind.AGENCY)
    departments = {
        name: Department.objects.create(name=name, kind=kind, short_name=short, parent=agency)
        for name, kind, short in DEPARTMENTS
    }
    staff = {
        username: do_create_staff(username=username, password="x-demo-pass", full_name=full_name,
                                  department=departments[dept] if dept else agency, roles=roles,
                                  email=f"{username}@example.com", actor=None)
        for username, full_name, dept, roles in STAFF
    }  # fmt: skip
    return staff, departments


@pytest.fixture
def catalog_records(world):
    """The seed's three press releases and the policies above, published through the services."""
    staff, departments = world
    editors = {u.department.name: u for u in staff.values() if u.department and u.has_role("editor")}
    press = [
        (name, dept, dt.date.fromisoformat(day))
        for code, dept, name, day, *_ in SEED_ITEMS
        if code == "press"
    ]
    rows = [("press", *row) for row in press] + [("policy-rules", *row) for row in POLICIES]
    for code, name, dept, day in rows:
        author = editors[dept]
        record = catalog.do_create_record(
            {
                "name": name,
                "summary": name,
                "formed_on": day,
                "issuer": "吉林省公安厅",
                "genre": "notice",
                "category": Category.objects.get(code=code),
                "department": departments[dept],
            },
            actor=author,
        )
        record = catalog.do_submit_record(record, actor=author, expected_version=record.version)
        record = catalog.do_approve_record(record, actor=staff["gongkaiban"], expected_version=record.version)
        catalog.do_publish_record(
            record,
            actor=staff["gongkaiban"],
            expected_version=record.version,
            now=dt.datetime.combine(day, dt.time(10), tzinfo=TZ),
        )


def _figures():
    return {f.code: f.value for f in stats.figures(Period.year(2015))}


def test_it_reproduces_the_seed_conference_figures(client, world, catalog_records):
    counts = load_demo_pressroom(*world)
    assert (counts["conferences"], counts["government"], counts["agency"]) == (20, 3, 17)
    got = _figures()
    assert got["pressroom.conferences.total"] == 20
    assert got["pressroom.conferences.host.government"] == 3
    assert got["pressroom.conferences.host.agency"] == 17
    assert not Conference.objects.exclude(status=Status.PUBLISHED).exists()
    assert Conference.objects.filter(answers__isnull=True).count() == 0
    assert counts["answers"] == sum(1 + len(plan.qa) for plan in CONFERENCES)
    # The seed's three named conferences link their press release from the catalog.
    named = Conference.objects.filter(release__isnull=False)
    assert sorted(c.held_on.isoformat() for c in named) == ["2015-03-18", "2015-05-12", "2015-07-08"]

    page = client.get(reverse("pressroom:index"), {"year": 2015})
    assert page.status_code == 200
    html = page.content.decode()
    assert "共召开 20 场" in html and "以省政府名义 3 场" in html and "以本机关名义 17 场" in html
    for plan in CONFERENCES:
        assert plan.title in html
    conference = Conference.objects.get(title="延吉口岸签证业务启动新闻发布会")
    assert "口岸签证向哪些人开放" in client.get(conference.get_absolute_url()).content.decode()


def test_it_interprets_the_catalog_policies(client, world, catalog_records):
    counts = load_demo_pressroom(*world)
    assert counts["interpretations"] == len(POLICIES) == Interpretation.objects.count()
    assert _figures()["pressroom.interpretations.total"] == len(POLICIES)
    assert _figures()["pressroom.policies.uninterpreted"] == 0
    at_conference = Interpretation.objects.get(form=Form.CONFERENCE, policy__name=POLICIES[0][0])
    assert at_conference.conference is not None
    assert at_conference.conference.title == "出台五项出入境便民利民措施新闻发布会"
    assert at_conference.policy in at_conference.conference.related_records.all()
    assert {i.published_at.year for i in Interpretation.objects.all() if i.published_at} == {2015}
    html = client.get(reverse("pressroom:interpretations")).content.decode()
    assert at_conference.title in html


def test_it_loads_without_a_catalog(world):
    counts = load_demo_pressroom(*world)
    assert (counts["conferences"], counts["interpretations"]) == (20, 0)
    assert _figures()["pressroom.conferences.total"] == 20


def test_nothing_is_published_by_whoever_drafted_or_last_edited_it(world, catalog_records):
    load_demo_pressroom(*world)
    items: list[Conference | Interpretation] = [*Conference.objects.all(), *Interpretation.objects.all()]
    assert len(items) == len(CONFERENCES) + len(POLICIES)
    publishers = set()
    for item in items:
        publisher = item.transitions.get(to_status=Status.PUBLISHED).actor
        assert publisher.has_role("reviewer")
        assert publisher.pk not in {item.created_by_id, item.last_edited_by_id}, item
        publishers.add(publisher.username)
    # The office drafts for the departments without an editor; its second reviewer publishes those.
    assert publishers == {"gongkaiban", "fabu"}
