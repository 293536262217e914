"""The office shares the applicant's identity with one assigned department for one case, with a
reason, and may withdraw it: while the share stands that department's editors and head see the
applicant in full (each view recorded) and may open the letters; any other department stays masked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD
from gongkai.accounts.services import do_create_staff
from gongkai.core import acts, audit
from gongkai.core.models import AuditEvent
from gongkai.inforequests import queries, services
from gongkai.inforequests.choices import Outcome
from gongkai.inforequests.letter_services import case_letters
from gongkai.inforequests.models import Assignment
from gongkai.inforequests.tests.acting import seen

D = dt.date
REASON = "需核实申请人身份"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 9, 10, tzinfo=dt.UTC))


@pytest.fixture
def traffic_head(departments):
    return do_create_staff(username="traffic_head", password=PASSWORD, full_name="钱处长",
                           department=departments["traffic"], roles=["head"], actor=None)  # fmt: skip


@pytest.fixture
def case(make_application, reviewer, departments):
    """Sent to 出入境管理局 and 交通管理局 for their opinion, with a reply drafted (letters)."""
    app = make_application()
    services.do_assign_application(app, expected_version=seen(app), due_on=D(2021, 6, 20), instructions="",
                                   departments=[departments["exit_entry"], departments["traffic"]],
                                   actor=reviewer)  # fmt: skip
    services.do_draft_reply(app, expected_version=seen(app), outcome=Outcome.GRANTED,
                            legal_basis="第二十七条", reply_text="予以公开。", actor=reviewer)  # fmt: skip
    app.refresh_from_db()
    return app


def assignment(app, department):
    return Assignment.objects.get(application=app, department=department)


def share(app, department, actor, reason=REASON):
    return services.do_share_identity(assignment(app, department), reason=reason, actor=actor,
                                      expected_version=seen(app))  # fmt: skip


def unshare(app, department, actor):
    return services.do_unshare_identity(assignment(app, department), actor=actor, expected_version=seen(app))


def fresh(app):
    return type(app).objects.get(pk=app.pk)


def letter_urls(app):
    return [reverse("workbench:inforequests_staff:letter", args=[app.pk, letter.slug, fmt])
            for letter in case_letters(app) for fmt in ("pdf", "docx")]  # fmt: skip


def views_by(user, app):
    return AuditEvent.objects.filter(action=audit.PERSONAL_DATA_VIEWED, actor=user, object_id=str(app.pk))


def test_the_office_shares_and_withdraws_and_the_department_sees_accordingly(
    client, case, reviewer, dept_staff, other_editor, traffic_head, departments
):
    exit_entry = departments["exit_entry"]
    assert queries.applicant_view(dept_staff, case)["masked"]

    shared = share(case, exit_entry, reviewer)
    assert shared.identity_shared_by == reviewer and shared.identity_share_reason == REASON
    app = fresh(case)
    view = queries.applicant_view(dept_staff, app)
    assert not view["masked"] and view["id_number"] == "220102198001011234"
    # The other department asked about the same case stays masked.
    assert queries.applicant_view(other_editor, app)["masked"]
    assert queries.applicant_view(traffic_head, app)["masked"]

    # The case page shows the department the applicant in full, recorded as a view, with letters.
    assert client.login(username=dept_staff.username, password=PASSWORD)
    page = client.get(reverse("workbench:inforequests_staff:case", args=[app.pk])).content.decode()
    assert "220102198001011234" in page and "公开办已就本案向本部门提供申请人身份信息" in page
    assert views_by(dept_staff, app).filter(after__view="case").count() == 1
    urls = letter_urls(app)
    assert urls and all(url in page for url in urls)
    for url in urls:
        assert client.get(url).status_code == 200
    assert views_by(dept_staff, app).filter(after__view="letter").count() == len(urls)

    unshare(app, exit_entry, reviewer)
    app = fresh(case)
    assert queries.applicant_view(dept_staff, app)["masked"]
    withdrawn = assignment(app, exit_entry)
    assert withdrawn.identity_shared_at is None and withdrawn.identity_share_reason == ""
    before = views_by(dept_staff, app).count()
    page = client.get(reverse("workbench:inforequests_staff:case", args=[app.pk])).content.decode()
    assert "220102198001011234" not in page and "请联系公开办" in page
    for url in urls:
        assert url not in page
        assert client.get(url).status_code == 403
    assert views_by(dept_staff, app).count() == before


def test_one_audit_event_each_naming_the_case_and_department_without_personal_data(
    case, reviewer, departments
):
    share(case, departments["exit_entry"], reviewer)
    unshare(fresh(case), departments["exit_entry"], reviewer)
    for code in ("inforequests.assignment.identity_shared", "inforequests.assignment.identity_unshared"):
        event = AuditEvent.objects.get(action=code)
        assert event.object_id == str(case.pk) and event.actor == reviewer
        assert (event.after or {})["department"] == departments["exit_entry"].name
        written = f"{event.after} {event.before} {event.note} {event.object_repr}"
        for personal in ("张三", "220102198001011234", "13900000000", REASON):
            assert personal not in written


@pytest.mark.parametrize("who", ["dept_staff", "leader", "other_editor"])
def test_only_the_office_shares(request, case, departments, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(acts.PermissionDeniedError):
        share(case, departments["exit_entry"], actor)
    assert assignment(case, departments["exit_entry"]).identity_shared_at is None
    assert not AuditEvent.objects.filter(action="inforequests.assignment.identity_shared").exists()


def test_withdrawing_is_the_office_s_too(case, reviewer, dept_staff, departments):
    share(case, departments["exit_entry"], reviewer)
    with pytest.raises(acts.PermissionDeniedError):
        unshare(fresh(case), departments["exit_entry"], dept_staff)
    assert assignment(case, departments["exit_entry"]).identity_shared_at is not None


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(case, reviewer, departments, reason):
    with pytest.raises(services.RequestError):
        share(case, departments["exit_entry"], reviewer, reason=reason)
    assert assignment(case, departments["exit_entry"]).identity_shared_at is None
    assert fresh(case).version == case.version


def test_the_case_page_offers_the_share_to_the_office_next_to_each_department(
    client, case, reviewer, departments
):
    assert client.login(username=reviewer.username, password=PASSWORD)
    url = reverse("workbench:inforequests_staff:case", args=[case.pk])
    share_url = reverse("workbench:inforequests_staff:action", args=[case.pk, "share_identity"])
    unshare_url = reverse("workbench:inforequests_staff:action", args=[case.pk, "unshare_identity"])
    page = client.get(url).content.decode()
    assert page.count(f'action="{share_url}"') == 2 and unshare_url not in page

    # Without a reason the form comes back and nothing is shared.
    exit_pk = assignment(case, departments["exit_entry"]).pk
    response = client.post(share_url, {"version": case.version, "assignment": exit_pk, "reason": ""})
    assert response.status_code == 200
    assert assignment(case, departments["exit_entry"]).identity_shared_at is None

    response = client.post(share_url, {"version": case.version, "assignment": exit_pk, "reason": REASON})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert f"已向该部门提供（原因：{REASON}" in page and "李审核" in page
    assert page.count(f'action="{share_url}"') == 1 and page.count(f'action="{unshare_url}"') == 1

    response = client.post(unshare_url, {"version": fresh(case).version, "assignment": exit_pk})
    assert response.status_code == 302
    assert assignment(case, departments["exit_entry"]).identity_shared_at is None
