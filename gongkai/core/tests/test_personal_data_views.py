"""Who saw whose personal data (issue 12): opening a case page with the applicant unmasked, or one
of its letters, writes core.personal_data.viewed naming the person and the case — never the data;
a masked view writes nothing; the audit page filters these events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from gongkai.core import audit
from gongkai.core.models import AuditEvent

ID_NUMBER = "220102198001011234"


@pytest.fixture
def case(make_application, time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 3, 9, tzinfo=dt.UTC))
    return make_application(id_number=ID_NUMBER)


def viewed():
    return AuditEvent.objects.filter(action=audit.PERSONAL_DATA_VIEWED)


def test_a_handler_opening_the_case_page_is_recorded_without_the_data(client, reviewer, case):
    client.force_login(reviewer)

    page = client.get(reverse("workbench:inforequests_staff:case", args=[case.pk]))

    assert page.status_code == 200 and ID_NUMBER in page.content.decode()
    event = viewed().get()
    assert event.actor == reviewer
    assert (event.object_type, event.object_id, event.object_repr) == (
        "inforequests.application",
        str(case.pk),
        case.tracking_number,
    )
    assert event.after == {"view": "case"}
    stored = f"{event.object_repr}{event.after}{event.note}{event.before}"
    assert ID_NUMBER not in stored and case.applicant_name not in stored and case.phone not in stored


def test_the_views_stay_off_the_case_timeline(client, reviewer, case):
    client.force_login(reviewer)
    client.get(reverse("workbench:inforequests_staff:case", args=[case.pk]))

    page = client.get(reverse("workbench:inforequests_staff:case", args=[case.pk]))

    assert viewed().count() == 2
    assert all(e.action != audit.PERSONAL_DATA_VIEWED for e in page.context["events"])


def test_a_masked_view_writes_no_event(client, leader, case):
    client.force_login(leader)

    page = client.get(reverse("workbench:inforequests_staff:case", args=[case.pk]))

    assert page.status_code == 200
    assert page.context["applicant"]["masked"]
    assert not viewed().exists()


def test_a_letter_download_is_recorded_with_the_letter_and_format(client, reviewer, case):
    client.force_login(reviewer)

    response = client.get(
        reverse("workbench:inforequests_staff:letter", args=[case.pk, "acknowledgement", "pdf"])
    )

    assert response.status_code == 200
    event = viewed().get()
    assert event.after == {"view": "letter", "letter": "acknowledgement", "format": "pdf"}


def test_a_refused_letter_download_writes_no_view(client, leader, case):
    client.force_login(leader)

    response = client.get(
        reverse("workbench:inforequests_staff:letter", args=[case.pk, "acknowledgement", "pdf"])
    )

    assert response.status_code in (403, 404)
    assert not viewed().exists()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_audit_page_filters_the_views_of_personal_data(client, reviewer, case, auditor, language):
    client.force_login(reviewer)
    client.get(reverse("workbench:inforequests_staff:case", args=[case.pk]))
    audit.log_event("core.demo.loaded", actor=reviewer)
    client.force_login(auditor)
    client.cookies["gk_lang"] = language

    page = client.get("/workbench/audit/", {"personal": "1", "subject": case.tracking_number})

    assert page.status_code == 200
    shown = list(page.context["page"].object_list)
    assert [e.action for e in shown] == [audit.PERSONAL_DATA_VIEWED]
    body = page.content.decode()
    with translation.override(language):  # English once the catalogue has it (security.po)
        assert str(audit.ACTION_LABELS[audit.PERSONAL_DATA_VIEWED]) in body
    assert case.tracking_number in body
    everything = client.get("/workbench/audit/", {"personal": "x", "subject": "9" * 25})
    assert everything.status_code == 200 and not everything.context["page"].object_list
