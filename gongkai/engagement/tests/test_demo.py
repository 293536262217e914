"""The engagement demo: the 2015 events, inquiries and proposals it creates are what the app's
figures for 2015 count, and what the public pages show."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PASSWORD
from gongkai.accounts.choices import DepartmentKind
from gongkai.accounts.models import Department
from gongkai.accounts.services import do_create_staff
from gongkai.core.figures import Period
from gongkai.engagement import stats
from gongkai.engagement.choices import InquiryStatus, QuestionStatus
from gongkai.engagement.demo import EVENTS, INQUIRIES, PROPOSALS, load_demo_engagement
from gongkai.engagement.models import EventQuestion, Inquiry, OnlineEvent, Proposal
from gongkai.portal.demo import AGENCY, DEPARTMENTS, STAFF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """The pages read here would otherwise be shared with the next tests' visitors."""
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def demo(db):
    """The portal demo's departments and staff (by name and by username), then the engagement demo."""
    agency = Department.objects.create(name=AGENCY, kind=DepartmentKind.AGENCY)
    departments = {
        name: Department.objects.create(name=name, kind=kind, short_name=short, parent=agency)
        for name, kind, short in DEPARTMENTS
    }
    staff = {
        username: do_create_staff(
            username=username,
            password=PASSWORD,
            full_name=full_name,
            department=departments[dept] if dept else agency,
            roles=roles,
            actor=None,
        )
        for username, full_name, dept, roles in STAFF
    }
    messages: list[str] = []
    counts = load_demo_engagement(staff, departments, messages.append)
    return counts, messages


def _figures() -> dict[str, object]:
    return {f.code: f.value for f in stats.figures(Period.year(2015))}


def test_it_counts_what_it_created(demo):
    counts, messages = demo
    assert counts == {
        "events": 6,
        "event_questions": 21,
        "event_answers": 19,
        "inquiries": 42,
        "answered": 39,
        "published": 36,
        "rated": 17,
        "proposals": 12,
        "proposals_disclosed": 12,
    }
    assert counts["events"] == len(EVENTS) == OnlineEvent.objects.count()
    assert counts["inquiries"] == len(INQUIRIES) + 1 == Inquiry.objects.count()  # one sent twice
    assert counts["proposals"] == len(PROPOSALS) == Proposal.objects.count()
    assert EventQuestion.objects.filter(status=QuestionStatus.ANSWERED).count() == counts["event_answers"]
    assert len(messages) == 3


def test_it_gives_the_2015_figures(demo):
    counts, _messages = demo
    figures = _figures()
    assert figures["engagement.events.total"] == counts["events"] == 6
    assert figures["engagement.events.kind.interview"] == 3
    assert figures["engagement.events.kind.live"] == 2
    assert figures["engagement.events.kind.release"] == 1
    assert figures["engagement.inquiries.received"] == counts["inquiries"]
    assert figures["engagement.inquiries.answered"] == counts["answered"]
    # One answered three weeks late; the two still open at the year's end are not yet due.
    assert figures["engagement.inquiries.answered_on_time"] == counts["answered"] - 1
    assert figures["engagement.inquiries.overdue"] == 1
    assert figures["engagement.inquiries.public"] == counts["published"]
    assert figures["engagement.inquiries.rating.satisfied"] == 10
    assert figures["engagement.inquiries.rating.basically"] == 6
    assert figures["engagement.inquiries.rating.unsatisfied"] == 1
    assert figures["engagement.inquiries.satisfaction_rate"] == Decimal("94.1")
    assert figures["engagement.proposals.npc"] == 6
    assert figures["engagement.proposals.cppcc"] == 6
    assert figures["engagement.proposals.replied"] == counts["proposals"]
    assert figures["engagement.proposals.disclosed"] == counts["proposals_disclosed"]


def test_it_leaves_the_year_end_inquiries_open_and_the_repeat_rejected(demo):
    still_open = Inquiry.objects.filter(status__in=[InquiryStatus.ROUTED, InquiryStatus.SUBMITTED])
    assert sorted(still_open.values_list("received_on", flat=True)) == [
        dt.date(2015, 12, 29),
        dt.date(2015, 12, 30),
    ]
    assert all(i.due_on.year == 2016 for i in still_open)  # not overdue in 2015
    rejected = Inquiry.objects.get(status=InquiryStatus.REJECTED)
    original = Inquiry.objects.get(title=rejected.title, status=InquiryStatus.PUBLISHED)
    assert original.number in rejected.reason


def test_the_public_pages_list_the_events_and_answers(demo, client):
    events = client.get(reverse("engagement:events"))
    assert events.status_code == 200
    body = events.content.decode()
    for item in EVENTS:
        assert item.title in body
    event = OnlineEvent.objects.get(title=EVENTS[0].title)
    page = client.get(event.get_absolute_url()).content.decode()
    assert EVENTS[0].questions[0].answer in page
    assert EVENTS[0].questions[-1].text not in page  # not taken up

    answers = client.get(reverse("engagement:answers"))
    assert answers.status_code == 200
    assert (
        answers.context["page"].paginator.count
        == Inquiry.objects.filter(status=InquiryStatus.PUBLISHED).count()
    )
    latest = Inquiry.objects.filter(status=InquiryStatus.PUBLISHED).order_by("-published_at").first()
    assert latest is not None and latest.title in answers.content.decode()
    answer = client.get(latest.get_absolute_url()).content.decode()
    assert latest.public_answer in answer

    proposals = client.get(reverse("engagement:proposals"))
    assert proposals.status_code == 200
    assert all(p.title in proposals.content.decode() for p in PROPOSALS)
