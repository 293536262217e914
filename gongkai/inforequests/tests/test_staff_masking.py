"""Personal data: shown in full to the office and the case's handler, masked for everyone else —
the departments asked for an opinion included."""

from gongkai.inforequests import queries, services
from gongkai.inforequests.tests.acting import at, seen


def test_who_sees_the_applicant_unmasked(
    make_application, reviewer, leader, dept_staff, other_editor, departments
):
    app = make_application()
    services.do_assign_application(app, departments=[departments["exit_entry"]], due_on=app.due_on,
                                   instructions="", actor=reviewer, expected_version=seen(app), now=at(app.received_on))  # fmt: skip
    assert queries.applicant_view(reviewer, app)["id_number"] == "220102198001011234"
    # The department asked for its opinion needs the request, not the identity.
    department_view = queries.applicant_view(dept_staff, app)
    assert department_view["masked"] and department_view["id_number"] == "2201**********1234"
    assert department_view["phone"] == "139****0000"
    masked = queries.applicant_view(leader, app)
    assert masked["masked"] and masked["id_number"] == "2201**********1234" and masked["name"] == "张*"
    assert masked["phone"] == "139****0000"


def test_an_organisation_keeps_its_name(make_application, leader):
    app = make_application(
        applicant_kind="legal_service", applicant_name="吉林某某律师事务所", contact_person="李四"
    )
    view = queries.applicant_view(leader, app)
    assert view["name"] == "吉林某某律师事务所" and view["contact_person"] == "李*"


def test_only_the_office_and_leaders_see_every_case(make_application, reviewer, leader, dept_staff, auditor):
    app = make_application()
    assert list(queries.staff_applications(reviewer)) == [app]
    assert list(queries.staff_applications(leader)) == [app]
    assert list(queries.staff_applications(dept_staff)) == []
    assert list(queries.staff_applications(auditor)) == []
