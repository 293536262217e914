"""The asker's name and contact details (issue 12): the office, which handles inquiries, sees them
in full and each such view writes core.personal_data.viewed naming the inquiry, never the data;
the department routed to answer sees the question and dates with the asker masked, and nothing is
written; leaders and auditors see the asker masked too. A proposal's proposer is a deputy or a
member, named on the public page: not masked."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core import audit
from gongkai.core.models import AuditEvent
from gongkai.engagement import queries, services
from gongkai.engagement.tests.conftest import at

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "张三", "13900000000", "asker@example.com"


@pytest.fixture
def routed(ask, reviewer, departments):
    """An inquiry from 张三 routed to the exit-entry department (the editor's)."""
    inquiry, _code = ask(dt.date(2015, 6, 1), asker_name=NAME, phone=PHONE, email=EMAIL)
    return services.do_route_inquiry(
        inquiry,
        departments["exit_entry"],
        actor=reviewer,
        version=inquiry.version,
        now=at(dt.date(2015, 6, 1), 11),
    )


def viewed():
    return AuditEvent.objects.filter(action=audit.PERSONAL_DATA_VIEWED)


def page(client, user, inquiry):
    client.force_login(user)
    return client.get(reverse("workbench:engagement_staff:inquiry", args=[inquiry.pk]))


def test_it_masks_the_asker_for_everyone_but_the_office(routed, reviewer, editor, leader, auditor):
    assert queries.sees_asker(reviewer, routed)
    assert queries.asker_view(reviewer, routed) == {
        "masked": False,
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
    }
    for user in (editor, leader, auditor):
        assert not queries.sees_asker(user, routed)
        assert queries.asker_view(user, routed) == {
            "masked": True,
            "name": "张*",
            "phone": "139****0000",
            "email": "a***@example.com",
        }


def test_it_shows_the_department_the_question_and_dates_with_the_asker_masked(client, routed, editor):
    response = page(client, editor, routed)

    body = response.content.decode()
    assert response.status_code == 200 and response.context["asker"]["masked"]
    assert routed.question in body and "2015-06-01" in body and routed.due_on.isoformat() in body
    assert "张*" in body and "139****0000" in body and "a***@example.com" in body
    assert NAME not in body and PHONE not in body and EMAIL not in body
    assert not viewed().exists()


def test_it_shows_the_office_the_asker_and_records_each_view(client, routed, reviewer):
    first = page(client, reviewer, routed)

    body = first.content.decode()
    assert NAME in body and PHONE in body and EMAIL in body
    event = viewed().get()
    assert event.actor == reviewer
    assert (event.object_type, event.object_id) == ("engagement.inquiry", str(routed.pk))
    assert routed.number in event.object_repr and event.after == {"view": "inquiry"}
    stored = f"{event.object_repr}{event.after}{event.note}{event.before}"
    assert NAME not in stored and PHONE not in stored and EMAIL not in stored

    page(client, reviewer, routed)

    assert viewed().count() == 2


def test_a_refused_move_shown_again_to_the_office_is_recorded_too(client, routed, reviewer):
    client.force_login(reviewer)
    url = reverse("workbench:engagement_staff:inquiry_move", args=[routed.pk, "route"])

    response = client.post(url, {"version": routed.version - 1, "department": ""})

    assert response.status_code in (400, 409) and PHONE in response.content.decode()
    assert viewed().count() == 1


def test_a_move_refused_to_the_office_shows_the_asker_masked_and_writes_nothing(client, routed, reviewer):
    client.force_login(reviewer)
    url = reverse("workbench:engagement_staff:inquiry_move", args=[routed.pk, "answer"])

    response = client.post(url, {"version": routed.version, "answer": "答复"})

    body = response.content.decode()
    assert response.status_code == 403 and "139****0000" in body and PHONE not in body
    assert not viewed().exists()


def test_the_department_moves_write_no_view(client, routed, editor):
    client.force_login(editor)
    url = reverse("workbench:engagement_staff:inquiry_move", args=[routed.pk, "answer"])

    done = client.post(url, {"version": routed.version, "answer": "携带身份证办理。"})
    shown = client.get(done["Location"])

    assert done.status_code == 302 and PHONE not in shown.content.decode()
    assert not viewed().exists()


def test_the_queue_names_no_asker(client, routed, reviewer):
    client.force_login(reviewer)

    body = client.get(reverse("workbench:engagement_staff:inquiries")).content.decode()

    assert routed.number in body and NAME not in body and PHONE not in body and EMAIL not in body
    assert not viewed().exists()


def test_a_proposer_is_shown_as_registered(client, reviewer, editor, departments):
    proposal = services.do_register_proposal(
        {
            "kind": "npc",
            "number": "101",
            "title": "关于优化出入境证件办理的建议",
            "proposer": "王代表",
            "lead_department": departments["exit_entry"],
            "co_departments": [],
            "received_on": dt.date(2015, 3, 20),
            "due_on": dt.date(2015, 6, 20),
        },
        actor=reviewer,
        now=at(dt.date(2015, 3, 20)),
    )
    client.force_login(editor)

    body = client.get(reverse("workbench:engagement_staff:proposal", args=[proposal.pk])).content.decode()

    assert "王代表" in body and not viewed().exists()
