"""The queue, registration of paper applications, the statistics page and the Art. 44 list."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import PASSWORD
from gongkai.inforequests import services
from gongkai.inforequests.choices import Outcome, Status
from gongkai.inforequests.models import Application
from gongkai.inforequests.tests.acting import seen
from gongkai.inforequests.views.staff_reports import normalise_title

D = dt.date
QUEUE = "workbench:inforequests_staff:queue"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The queue caches the year's on-time rate per day; frozen days repeat across tests."""
    cache.clear()
    yield
    cache.clear()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2021, 7, 5, 9, tzinfo=dt.UTC))
    return D(2021, 7, 5)


def test_the_queue_sorts_by_due_date_and_marks_overdue_and_near(client, make_application, reviewer, today):
    late = make_application(received_on=D(2021, 6, 1), information_title="超期的申请")  # due 30 June
    near = make_application(received_on=D(2021, 6, 7), information_title="临近的申请")  # due 5 July
    later = make_application(received_on=D(2021, 7, 1), information_title="新的申请")
    login(client, reviewer)
    r = client.get(reverse(QUEUE))
    assert r.status_code == 200
    text = r.content.decode()
    assert text.index("超期的申请") < text.index("临近的申请") < text.index("新的申请")
    assert "badge overdue" in text and "badge near" in text
    assert r.context["counts"] == {"open": 3, "overdue": 1, "near": 1}
    assert [a.pk for a, _ in r.context["rows"]] == [late.pk, near.pk, later.pk]
    overdue = client.get(reverse(QUEUE), {"state": "overdue"})
    assert [a.pk for a, _ in overdue.context["rows"]] == [late.pk]


def test_the_queue_filters(client, make_application, reviewer, departments, today):
    a = make_application(received_on=D(2021, 6, 1))
    b = make_application(received_on=D(2020, 12, 1))
    services.do_assign_application(a, departments=[departments["traffic"]], due_on=D(2021, 7, 9),
                                   instructions="", actor=reviewer, expected_version=seen(a))  # fmt: skip
    login(client, reviewer)
    r = client.get(reverse(QUEUE), {"department": departments["traffic"].pk})
    assert [x.pk for x, _ in r.context["rows"]] == [a.pk]
    r = client.get(reverse(QUEUE), {"year": "2020"})
    assert [x.pk for x, _ in r.context["rows"]] == [b.pk]
    r = client.get(reverse(QUEUE), {"status": Status.RECEIVED})
    assert [x.pk for x, _ in r.context["rows"]] == [b.pk]
    r = client.get(reverse(QUEUE), {"state": "closed"})
    assert r.context["rows"] == []


def test_the_queue_does_not_grow_queries_with_rows(client, make_application, reviewer, departments, today,
                                                   django_assert_max_num_queries):  # fmt: skip
    for _ in range(12):
        app = make_application(received_on=D(2021, 6, 1))
        services.do_assign_application(app, departments=[departments["traffic"], departments["exit_entry"]],
                                       due_on=D(2021, 7, 9), instructions="", actor=reviewer, expected_version=seen(app))  # fmt: skip
    login(client, reviewer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse(QUEUE)).status_code == 200


def test_department_staff_see_only_their_assignments(client, make_application, reviewer, dept_staff,
                                                     departments, today):  # fmt: skip
    mine = make_application()
    make_application()
    services.do_assign_application(mine, departments=[departments["exit_entry"]], due_on=D(2021, 7, 9),
                                   instructions="", actor=reviewer, expected_version=seen(mine))  # fmt: skip
    login(client, dept_staff)
    r = client.get(reverse(QUEUE))
    assert [a.pk for a, _ in r.context["rows"]] == [mine.pk]
    assert "按期答复率" not in r.content.decode()
    assert client.get(reverse("workbench:inforequests_staff:stats")).status_code == 302
    assert client.get(reverse("workbench:inforequests_staff:register")).status_code == 302


def test_the_on_time_rate_of_the_year(client, make_application, reviewer, office_head, leader, today):
    for received, replied in [(D(2021, 6, 1), D(2021, 6, 20)), (D(2021, 5, 6), D(2021, 7, 1))]:
        app = make_application(received_on=received)
        app = services.do_draft_reply(app, outcome=Outcome.GRANTED, legal_basis="x", reply_text="x",
                                      actor=reviewer, expected_version=seen(app))  # fmt: skip
        services.do_approve_reply(app, actor=office_head, on=replied, expected_version=seen(app))
    login(client, leader)
    r = client.get(reverse(QUEUE))
    assert r.context["on_time"]["rate"] == 0.5
    assert "50%" in r.content.decode()


def test_registering_a_letter(client, reviewer, application_data, today):
    login(client, reviewer)
    url = reverse("workbench:inforequests_staff:register")
    assert "挂号信" in client.get(url).content.decode() or "签收之日" in client.get(url).content.decode()
    data = {**application_data, "channel": "letter", "received_on": "2021-07-01", "request_kind": "disclosure",
            "id_type": "居民身份证"}  # fmt: skip
    r = client.post(url, {**data, "received_on": "2021-08-01"})
    assert r.status_code == 200 and "不能晚于今天" in r.content.decode()
    assert "长春市朝阳区人民大街1号" in r.content.decode()  # nothing typed is lost
    r = client.post(url, data)
    assert r.status_code == 302
    app = Application.objects.get()
    assert app.channel == "letter" and app.received_on == D(2021, 7, 1) and app.registered_by == reviewer
    assert app.due_on == D(2021, 7, 29)


def test_the_statistics_page_shows_the_national_tables(
    client, make_application, reviewer, office_head, today
):
    app = make_application(received_on=D(2021, 6, 1))
    app = services.do_draft_reply(app, outcome=Outcome.DENIED_THIRD_PARTY, legal_basis="第十五条",
                                  reply_text="x", actor=reviewer, expected_version=seen(app))  # fmt: skip
    services.do_approve_reply(app, actor=office_head, on=D(2021, 6, 20), expected_version=seen(app))
    make_application(received_on=D(2021, 6, 2))
    login(client, reviewer)
    r = client.get(reverse("workbench:inforequests_staff:stats"), {"from": "2021-01-01", "to": "2021-12-31"})
    assert r.status_code == 200
    text = r.content.decode()
    for label in ("一、本年新收政府信息公开申请数量", "4.保护第三方合法权益", "（七）总计", "四、结转下年度继续办理",
                  "结果维持", "尚未审结", "中位数"):  # fmt: skip
        assert label in text
    assert r.context["broken"] == []
    rows = {row["key"]: row["cells"] for row in r.context["rows3"]}
    assert rows["new_received"][-1] == 2 and rows["denied.third_party"][0] == 1
    assert rows["carried_forward"][-1] == 1


def test_information_asked_by_two_applicants_is_a_candidate(make_application, reviewer, office_head, client,
                                                           today):  # fmt: skip
    for id_number, title in [("220102198001011234", "2020年全省机动车保有量统计"),
                             ("220102199002023456", "《2020年全省机动车保有量统计》"),
                             ("220102198001011234", "2020年 全省机动车保有量统计")]:  # fmt: skip
        app = make_application(id_number=id_number, information_title=title)
        app = services.do_draft_reply(app, outcome=Outcome.GRANTED, legal_basis="x", reply_text="x",
                                      actor=reviewer, expected_version=seen(app))  # fmt: skip
        services.do_approve_reply(app, actor=office_head, on=D(2021, 6, 20), expected_version=seen(app))
    make_application(information_title="只有一人申请的信息", suggests_proactive=True)
    login(client, reviewer)
    r = client.get(reverse("workbench:inforequests_staff:proactive"))
    groups = r.context["groups"]
    assert len(groups) == 1 and groups[0]["applicants"] == 2 and len(groups[0]["applications"]) == 3
    assert "只有一人申请的信息" in r.content.decode()
    assert "220102" not in r.content.decode()
    assert normalise_title("《关于 X 的通知》") == normalise_title("关于X的通知")


def test_a_case_in_consultation_is_not_overdue(client, make_application, reviewer, today):
    app = make_application(received_on=D(2021, 6, 1))
    services.do_start_consultation(app, kind="third_party", party="某公司", request_text="意见？", actor=reviewer,
                                   on=D(2021, 6, 20), expected_version=seen(app))  # fmt: skip
    login(client, reviewer)
    r = client.get(reverse(QUEUE))
    assert r.context["counts"]["overdue"] == 0
    assert r.context["rows"][0][1] == "paused" and "计时暂停" in r.content.decode()
