"""Who sees a department's engagement work in the workbench: its editors and heads, the office,
leaders and auditors; not the system or security administrators who sit in that department."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.engagement import queries
from gongkai.engagement.tests.conftest import at


@pytest.fixture
def office_event(departments, reviewer):
    from gongkai.engagement.models import OnlineEvent

    start = at(dt.date(2015, 6, 1))
    return OnlineEvent.objects.create(
        kind="interview",
        title="微访谈：出入境便民措施",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        department=departments["office"],
        created_by=reviewer,
        updated_at=start,
    )


def _staff(username, department, roles):
    from conftest import _staff as make_staff

    return make_staff(username, username, department, roles)


def test_administrators_in_the_department_see_none_of_its_events(departments, office_event, reviewer):
    office = departments["office"]
    system_admin = _staff("sys", office, ["system_admin"])
    security_admin = _staff("sec", office, ["security_admin"])
    office_editor = _staff("offed", office, ["editor"])
    for admin in (system_admin, security_admin):
        assert not queries.events_for_staff(admin).exists()
        assert not queries.proposals_for_staff(admin).exists()
        assert not queries.inquiries_for_staff(admin).exists()
    assert list(queries.events_for_staff(office_editor)) == [office_event]
    assert list(queries.events_for_staff(reviewer)) == [office_event]


def test_an_administrator_opening_the_event_page_gets_not_found(client, departments, office_event):
    admin = _staff("sys", departments["office"], ["system_admin"])
    client.force_login(admin)
    response = client.get(f"/workbench/engagement/events/{office_event.pk}/")
    assert response.status_code == 404
