"""Information-processing fees (2019 Art. 42; 国办函〔2020〕109号): the schedule at each band boundary,
no fee under the 2007 rules or before 2021, the clock standing still until payment, the lapse,
the fee section of the case page, permissions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import PASSWORD
from gongkai.core import workdays
from gongkai.core.models import AuditEvent
from gongkai.inforequests import fees, queries, services, stats
from gongkai.inforequests.choices import FeeMethod, Outcome, PauseKind, Status
from gongkai.inforequests.models import Application, FeeNotice
from gongkai.inforequests.tests.acting import at, seen

D = dt.date
PER_APP = FeeMethod.PER_APPLICATION
PER_VOL = FeeMethod.PER_VOLUME


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# The schedule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "fee"),
    [
        (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300),
        (51, 400), (60, 400), (61, 500), (100, 800), (101, 900),
    ],
)  # fmt: skip
def test_per_application_bands(n, fee):
    assert fees.compute_fee(PER_APP, n, on=D(2021, 6, 1)) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (1, 0), (30, 0), (31, 10), (32, 20), (100, 700), (101, 720), (200, 2700), (201, 2740),
        (250, 4700),
    ],
)  # fmt: skip
def test_per_volume_bands_add_up(pages, fee):
    assert fees.compute_fee(PER_VOL, pages, on=D(2021, 6, 1)) == Decimal(fee)


def test_no_schedule_before_2021_and_bad_input():
    with pytest.raises(fees.FeeError, match="2021年1月1日"):
        fees.compute_fee(PER_APP, 20, on=D(2020, 12, 31))
    assert fees.compute_fee(PER_APP, 20, on=D(2021, 1, 1)) == Decimal(100)
    with pytest.raises(fees.FeeError):
        fees.compute_fee(PER_APP, 0, on=D(2021, 6, 1))
    with pytest.raises(fees.FeeError, match="只能选择一种"):
        fees.compute_fee("both", 40, on=D(2021, 6, 1))
    assert fees.schedule_for(D(2020, 12, 31)) is None
    assert fees.schedule_for(D(2021, 1, 1)) is fees.SCHEDULE_2021


def test_fee_basis_states_method_and_amount():
    assert "第12件" in fees.fee_basis(PER_APP, 12, on=D(2021, 6, 1))
    assert "100.00元" in fees.fee_basis(PER_APP, 12, on=D(2021, 6, 1))
    assert "共101页" in fees.fee_basis(PER_VOL, 101, on=D(2021, 6, 1))


def test_monthly_application_count(make_application):
    first = make_application(received_on=D(2021, 6, 1))
    second = make_application(received_on=D(2021, 6, 2))
    make_application(received_on=D(2021, 6, 30))
    make_application(received_on=D(2021, 7, 1))  # next month
    make_application(received_on=D(2021, 6, 3), id_number="220102199001011111")  # someone else
    assert fees.monthly_application_count("220102198001011234", D(2021, 6, 15)) == 3
    assert fees.monthly_application_count(" 220102198001011234 ", D(2021, 6, 1), up_to=second) == 2
    assert fees.monthly_application_count("220102198001011234", D(2021, 6, 1), up_to=first) == 1
    assert fees.monthly_application_count("220102198001011234", D(2021, 7, 1)) == 1


# The services -----------------------------------------------------------------------------------


NOTICE_DAY = D(2021, 6, 7)


def _issue(application, actor, *, method=PER_APP, units=12, on=NOTICE_DAY, note="本月第12件"):
    return fees.do_issue_fee_notice(
        application,
        method=method,
        units=units,
        note=note,
        actor=actor,
        on=on,
        expected_version=seen(application),
    )


def test_no_fee_under_the_2007_rules(make_application, reviewer):
    application = make_application(received_on=D(2018, 6, 1))
    with pytest.raises(services.RequestError, match="2007年"):
        _issue(application, reviewer, on=D(2018, 6, 5))
    with pytest.raises(services.RequestError, match="第二十七条"):
        _issue(application, reviewer, on=D(2021, 6, 7))
    assert not FeeNotice.objects.exists()


def test_no_fee_before_2021(make_application, reviewer):
    application = make_application(received_on=D(2020, 12, 15))
    with pytest.raises(services.RequestError, match="2021年1月1日"):
        _issue(application, reviewer, on=D(2020, 12, 20))
    with pytest.raises(services.RequestError, match="2021年1月1日"):
        _issue(application, reviewer, on=D(2021, 1, 5))  # the application's receipt date decides
    assert not FeeNotice.objects.exists()


def test_only_an_office_reviewer_charges(make_application, leader, dept_staff, office_head):
    application = make_application()
    for actor in (leader, dept_staff):
        with pytest.raises(services.PermissionDeniedError):
            _issue(application, actor)
    _issue(application, office_head)  # the office head is also a reviewer
    assert FeeNotice.objects.count() == 1


def test_nothing_to_charge_is_refused(make_application, reviewer):
    application = make_application()
    with pytest.raises(services.RequestError, match="不收费"):
        _issue(application, reviewer, method=PER_VOL, units=30)
    with pytest.raises(services.RequestError, match="不收费"):
        _issue(application, reviewer, method=PER_APP, units=10)
    assert not application.pauses.exists()


def test_issue_pauses_the_clock_and_payment_moves_the_due_date(make_application, reviewer):
    application = make_application(received_on=D(2021, 6, 1))
    application = services.do_accept_application(
        application, actor=reviewer, expected_version=seen(application)
    )
    assert application.due_on == D(2021, 6, 30)
    notice = _issue(application, reviewer, units=12, on=D(2021, 6, 7))
    assert notice.amount == Decimal("100.00")
    assert notice.pay_by == workdays.add_workdays(D(2021, 6, 7), 20) == D(2021, 7, 6)  # 14 June off
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS  # the status stays; the clock stands still
    pause = application.pauses.get(kind=PauseKind.FEE)
    assert pause.started_on == D(2021, 6, 7) and pause.ended_on is None
    assert services.compute_clock(application, D(2021, 6, 9)).paused_now
    with pytest.raises(services.RequestError, match="一次只能有一份"):
        _issue(application, reviewer, units=13, on=D(2021, 6, 8))
    fees.do_record_fee_paid(
        application,
        paid_on=D(2021, 6, 11),
        actor=reviewer,
        now=at(D(2021, 6, 11)),
        expected_version=seen(application),
    )
    application.refresh_from_db()
    paused = workdays.workdays_between(D(2021, 6, 7), D(2021, 6, 11))
    assert paused == 4
    assert application.due_on == workdays.add_workdays(D(2021, 6, 30), paused) == D(2021, 7, 6)
    notice.refresh_from_db()
    assert notice.paid_on == D(2021, 6, 11) and fees.notice_state(notice) == fees.PAID
    assert not services.compute_clock(application, D(2021, 6, 15)).paused_now
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk), action__startswith="inforequests.fee.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["inforequests.fee.notice_issued", "inforequests.fee.paid"]


def test_never_both_methods_on_one_application(make_application, reviewer):
    application = make_application()
    _issue(application, reviewer, method=PER_VOL, units=120)
    fees.do_waive_fee(
        application, note="困难群众", actor=reviewer, on=D(2021, 6, 8), expected_version=seen(application)
    )
    with pytest.raises(services.RequestError, match="只能选择一种计收方式"):
        _issue(application, reviewer, method=PER_APP, units=12, on=D(2021, 6, 9))
    notice = FeeNotice.objects.get()
    assert fees.notice_state(notice) == fees.WAIVED
    application.refresh_from_db()
    assert application.due_on == workdays.add_workdays(D(2021, 6, 30), 1)  # 7→8 June: one day


def test_payment_date_is_checked(make_application, reviewer):
    application = make_application()
    _issue(application, reviewer, on=D(2021, 6, 7))
    with pytest.raises(services.RequestError, match="不能早于"):
        fees.do_record_fee_paid(
            application,
            paid_on=D(2021, 6, 4),
            actor=reviewer,
            now=at(D(2021, 6, 8)),
            expected_version=seen(application),
        )
    with pytest.raises(services.RequestError, match="不能晚于今天"):
        fees.do_record_fee_paid(
            application,
            paid_on=D(2021, 6, 9),
            actor=reviewer,
            now=at(D(2021, 6, 8)),
            expected_version=seen(application),
        )
    assert fees.open_notice(application) is not None


def test_waiver_needs_a_reason(make_application, reviewer):
    application = make_application()
    _issue(application, reviewer)
    with pytest.raises(services.RequestError, match="免收理由"):
        fees.do_waive_fee(
            application, note=" ", actor=reviewer, on=D(2021, 6, 8), expected_version=seen(application)
        )
    with pytest.raises(services.RequestError, match="没有待缴费"):
        unnoticed = make_application()
        fees.do_record_fee_paid(
            unnoticed, paid_on=D(2021, 6, 8), actor=reviewer, expected_version=seen(unnoticed)
        )


def test_lapse_closes_only_after_pay_by(make_application, reviewer):
    application = make_application(received_on=D(2021, 6, 1))
    services.do_accept_application(application, actor=reviewer, expected_version=seen(application))
    notice = _issue(application, reviewer, on=D(2021, 6, 7))
    with pytest.raises(services.RequestError, match="尚未届满"):
        fees.do_close_unpaid(
            application, actor=reviewer, on=notice.pay_by, expected_version=seen(application)
        )
    closed = fees.do_close_unpaid(
        application, actor=reviewer, on=D(2021, 7, 7), expected_version=seen(application)
    )
    assert closed.status == Status.CLOSED
    assert closed.outcome == Outcome.OTHER_NO_FEE
    assert Outcome.OTHER_NO_FEE.value == "other.overdue_no_fee"
    assert closed.legal_basis == "第四十二条；国办函〔2020〕109号"
    assert closed.replied_on == D(2021, 7, 7)
    assert services.is_on_time(closed)  # the time waiting for payment was not counted
    notice.refresh_from_db()
    assert notice.lapsed and fees.notice_state(notice) == fees.LAPSED
    assert AuditEvent.objects.filter(object_id=str(application.pk), action="inforequests.fee.lapsed").exists()
    # Counted in table 三 under its own row.
    table = stats.table_3(D(2021, 1, 1), D(2021, 12, 31))
    assert table[Outcome.OTHER_NO_FEE]["natural_person"] == 1
    assert table[Outcome.OTHER_NO_FEE]["total"] == 1
    assert table["total_processed"]["total"] == 1
    assert stats.check_table_3(table) == []


def test_a_case_awaiting_payment_is_never_overdue(make_application, reviewer):
    application = make_application(received_on=D(2021, 6, 1))
    services.do_accept_application(application, actor=reviewer, expected_version=seen(application))
    _issue(application, reviewer, on=D(2021, 6, 28))
    application.refresh_from_db()
    today = D(2021, 7, 12)  # past the stored due date (30 June), before pay_by
    assert application.due_on is not None and application.due_on < today
    qs = queries.with_effective_due(queries.open_applications(Application.objects.all()))
    assert not qs.filter(queries.overdue_q(today)).exists()
    assert not qs.filter(queries.near_q(D(2021, 6, 29), D(2021, 7, 6))).exists()
    row = qs.get(pk=application.pk)
    assert queries.due_state(row, today, queries.near_limit(today)) == "paused"
    assert queries.due_state(application, today, queries.near_limit(today)) == "paused"
    fees.do_record_fee_paid(
        application,
        paid_on=D(2021, 7, 12),
        actor=reviewer,
        now=at(D(2021, 7, 12)),
        expected_version=seen(application),
    )
    application.refresh_from_db()
    assert application.due_on == workdays.add_workdays(
        D(2021, 6, 30), workdays.workdays_between(D(2021, 6, 28), D(2021, 7, 12))
    )
    assert queries.due_state(application, today, queries.near_limit(today)) in ("", "near")


# The case page ----------------------------------------------------------------------------------


def case_url(app):
    return reverse("workbench:inforequests_staff:case", args=[app.pk])


def fee_url(app, name):
    return reverse("workbench:inforequests_staff:fee_action", args=[app.pk, name])


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def june_2021(time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 7, 9, tzinfo=dt.UTC))
    return time_machine


def test_the_fee_flow_on_the_case_page(client, make_application, reviewer, june_2021):
    for _ in range(11):
        make_application(received_on=D(2021, 6, 1))
    app = make_application(received_on=D(2021, 6, 2))  # the applicant's 12th this month
    app = services.do_accept_application(app, actor=reviewer, expected_version=seen(app))
    login(client, reviewer)
    page = client.get(case_url(app)).content.decode()
    assert "信息处理费" in page and "第 12 件" in page
    assert fee_url(app, "issue") in page
    # A trial computation changes nothing.
    r = client.post(fee_url(app, "issue"), {"version": app.version, "method": PER_APP, "preview": "1"})
    assert r.status_code == 200
    assert "试算" in r.content.decode() and "100.00" in r.content.decode()
    assert not FeeNotice.objects.exists()
    # Both methods at once: refused, nothing created.
    r = client.post(
        fee_url(app, "issue"), {"version": app.version, "method": [PER_APP, PER_VOL], "units": 50}
    )
    assert r.status_code == 200
    assert "只能选择一种" in r.content.decode()
    assert not FeeNotice.objects.exists()
    # Issue: the units default to the applicant's place in the month.
    r = client.post(fee_url(app, "issue"), {"version": app.version, "method": PER_APP, "note": "本月第12件"})
    assert r.status_code == 302
    notice = FeeNotice.objects.get()
    assert (notice.units, notice.amount, notice.pay_by) == (12, Decimal("100.00"), D(2021, 7, 6))
    page = client.get(r["Location"]).content.decode()
    assert "100.00" in page and "2021-07-06" in page and "待缴费" in page
    assert "发出收费通知（期间不计入答复期限）" in page  # the timeline says it in words
    assert fee_url(app, "paid") in page and fee_url(app, "waive") in page
    assert fee_url(app, "lapse") not in page  # not before pay_by
    # A stale version: refused with a clear message, input kept.
    app.refresh_from_db()
    r = client.post(fee_url(app, "paid"), {"version": app.version - 1, "paid_on": "2021-06-07"})
    assert r.status_code == 409
    text = r.content.decode()
    assert "已被他人处理或修改" in text and 'value="2021-06-07"' in text
    notice.refresh_from_db()
    assert notice.paid_on is None
    # Payment.
    june_2021.move_to(dt.datetime(2021, 6, 11, 9, tzinfo=dt.UTC))
    login(client, reviewer)  # the session does not outlive days
    before = app.due_on
    assert before == D(2021, 7, 1)
    r = client.post(fee_url(app, "paid"), {"version": app.version, "paid_on": "2021-06-11"})
    assert r.status_code == 302 and r["Location"].endswith("#fees")
    app.refresh_from_db()
    assert app.due_on == workdays.add_workdays(before, 4) == D(2021, 7, 7)
    assert "已缴费" in client.get(case_url(app)).content.decode()


def test_the_lapse_on_the_case_page(client, make_application, reviewer, june_2021):
    app = make_application(received_on=D(2021, 6, 1))
    app = services.do_accept_application(app, actor=reviewer, expected_version=seen(app))
    login(client, reviewer)
    r = client.post(fee_url(app, "issue"), {"version": app.version, "method": PER_VOL, "units": 101})
    assert r.status_code == 302
    assert FeeNotice.objects.get().amount == Decimal("720.00")
    app.refresh_from_db()
    june_2021.move_to(dt.datetime(2021, 7, 6, 9, tzinfo=dt.UTC))  # the last day to pay
    login(client, reviewer)  # the session does not outlive days
    r = client.post(fee_url(app, "lapse"), {"version": app.version, "on": "2021-07-06"})
    assert r.status_code == 200 and "尚未届满" in r.content.decode()
    june_2021.move_to(dt.datetime(2021, 7, 7, 9, tzinfo=dt.UTC))
    login(client, reviewer)
    assert fee_url(app, "lapse") in client.get(case_url(app)).content.decode()
    r = client.post(fee_url(app, "lapse"), {"version": app.version, "on": "2021-07-07"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.CLOSED and app.outcome == Outcome.OTHER_NO_FEE
    page = client.get(case_url(app)).content.decode()
    assert "逾期未缴" in page and fee_url(app, "issue") not in page


def test_per_volume_needs_pages_and_2007_cases_say_why(client, make_application, reviewer, june_2021):
    app = make_application(received_on=D(2021, 6, 1))
    login(client, reviewer)
    r = client.post(fee_url(app, "issue"), {"version": app.version, "method": PER_VOL})
    assert r.status_code == 200 and "页数" in r.content.decode()
    old = make_application(received_on=D(2018, 6, 1))
    page = client.get(case_url(old)).content.decode()
    assert "第二十七条" in page and fee_url(old, "issue") not in page
    r = client.post(fee_url(old, "issue"), {"version": old.version, "method": PER_APP, "units": 20})
    assert r.status_code == 200 and "2007年" in r.content.decode()
    assert not FeeNotice.objects.exists()


def test_permissions_on_the_case_page(client, make_application, reviewer, leader, dept_staff, june_2021):
    app = make_application(received_on=D(2021, 6, 1))
    login(client, leader)  # sees every case, charges none
    page = client.get(case_url(app)).content.decode()
    assert "信息处理费" in page and fee_url(app, "issue") not in page
    r = client.post(fee_url(app, "issue"), {"version": app.version, "method": PER_VOL, "units": 120})
    assert r.status_code == 403
    assert not FeeNotice.objects.exists()
    client.logout()
    login(client, dept_staff)  # not assigned: the case does not exist for them
    r = client.post(fee_url(app, "issue"), {"version": app.version, "method": PER_VOL, "units": 120})
    assert r.status_code == 404
    client.logout()
    r = client.post(fee_url(app, "issue"), {"version": app.version, "method": PER_VOL, "units": 120})
    assert r.status_code == 302 and "login" in r["Location"]
    assert not FeeNotice.objects.exists()
    login(client, reviewer)
    assert client.get(fee_url(app, "issue")).status_code == 302  # GET only redirects back
    assert client.post(fee_url(app, "nonsense"), {"version": app.version}).status_code == 404


def test_no_consultation_or_reply_while_a_fee_is_unpaid(make_application, reviewer):
    application = make_application(received_on=D(2021, 6, 1))
    _issue(application, reviewer)
    with pytest.raises(services.RequestError, match="信息处理费尚未缴纳"):
        services.do_start_consultation(
            application,
            kind="third_party",
            party="某公司",
            request_text="x",
            actor=reviewer,
            on=D(2021, 6, 10),
            expected_version=seen(application),
        )
    with pytest.raises(services.RequestError, match="信息处理费尚未缴纳"):
        services.do_draft_reply(
            application,
            outcome="granted",
            legal_basis="x",
            reply_text="y",
            actor=reviewer,
            expected_version=seen(application),
        )


# The notice letter ------------------------------------------------------------------------------


def test_the_notice_letter_words_the_basis_as_the_fee_rules_do(make_application, reviewer):
    from gongkai.inforequests.letters.build import context_for

    application = make_application()
    _issue(application, reviewer, units=31)

    ctx = context_for(application, "fee_notice")
    text = "\n".join(ctx.body_paragraphs)

    basis = fees.fee_basis(PER_APP, 31, on=application.received_on, with_amount=False)
    assert f"收费标准：{basis}。" in text
    assert "适用每件200元的标准" in basis
    assert text.count("200.00元") == 1  # the amount is stated once, after the basis
    assert ctx.date_issued == NOTICE_DAY


def test_the_basis_without_the_amount_is_the_same_words():
    full = fees.fee_basis(PER_VOL, 101, on=D(2021, 6, 1))
    short = fees.fee_basis(PER_VOL, 101, on=D(2021, 6, 1), with_amount=False)
    assert full == f"{short}，应缴720.00元"
    assert "应缴" not in short


def test_the_sample_letter_words_the_basis_the_same_way():
    from gongkai.inforequests.letters import samples

    assert samples.SAMPLE_FIELDS["fee_basis"] == fees.fee_basis(
        PER_APP, 12, on=D(2021, 6, 1), with_amount=False
    )
