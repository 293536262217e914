"""The case page asks the database a bounded number of questions: the move guards read the
pauses, reviews and assignments fetched once with the case, not once per move (41 queries before)."""

import datetime as dt

from django.urls import reverse

from conftest import PASSWORD


def test_the_case_page_of_an_accepted_case_runs_a_bounded_number_of_queries(
    client, make_application, reviewer, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(dt.datetime(2021, 6, 3, 9, tzinfo=dt.UTC))
    app = make_application()
    assert client.login(username=reviewer.username, password=PASSWORD)
    accepted = client.post(
        reverse("workbench:inforequests_staff:action", args=[app.pk, "accept"]), {"version": app.version}
    )
    assert accepted.status_code == 302
    # 22 for the page, 4 for its audit event "personal data viewed" (savepoint, chain head, insert,
    # head moved): a handler sees the applicant unmasked; 29 measured once the staff-account checks
    # landed (3 more, not yet read one by one; the page took 41 before it read its parts once).
    with django_assert_max_num_queries(29):
        page = client.get(reverse("workbench:inforequests_staff:case", args=[app.pk]))
    assert page.status_code == 200
    names = [m["name"] for m in page.context["moves"]]
    assert "accept" not in names and "assign" in names and "supplement" in names  # the guards ran
