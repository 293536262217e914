"""The figures of a period: national tables 三 and 四 balance, and the processing times."""

import datetime as dt
import random

import pytest

from gongkai.inforequests import services, stats
from gongkai.inforequests.choices import ApplicantKind, Outcome, PauseKind, ReviewKind, ReviewResult, Status
from gongkai.inforequests.models import Application, Pause, Review

D = dt.date
UTC = dt.UTC


def _bulk(rng: random.Random, n: int, first: dt.date, last: dt.date) -> list[Application]:
    span = (last - first).days
    rows = []
    for i in range(n):
        received = first + dt.timedelta(days=rng.randrange(span))
        replied = received + dt.timedelta(days=rng.randrange(0, 60)) if rng.random() < 0.8 else None
        rows.append(
            Application(
                tracking_number=f"T{i:06d}",
                query_code_hash="x",
                applicant_kind=rng.choice(ApplicantKind.values),
                applicant_name="某某",
                id_number="220102198001011234",
                phone="13900000000",
                information_title="统计",
                form_wanted="electronic",
                delivery="email",
                channel="online",
                received_on=received,
                submitted_at=dt.datetime(received.year, received.month, received.day, tzinfo=UTC),
                rule_set="2019",
                clock_start=received,
                due_on=received + dt.timedelta(days=28),
                status=Status.CLOSED if replied else Status.IN_PROGRESS,
                outcome=rng.choice(Outcome.values) if replied else "",
                replied_on=replied,
            )
        )
    return Application.objects.bulk_create(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_balances_on_random_data(db, seed):
    rng = random.Random(seed)
    _bulk(rng, 400, D(2020, 6, 1), D(2022, 6, 30))
    for start, end in [(D(2021, 1, 1), D(2021, 12, 31)), (D(2021, 3, 1), D(2021, 3, 31))]:
        table = stats.table_3(start, end)
        assert stats.check_table_3(table) == []
        # T3-BAL, T3-SUM and T3-COL, spelled out.
        for c in stats.COLUMNS:
            assert (
                table["new_received"][c] + table["carried_over"][c]
                == table["total_processed"][c] + table["carried_forward"][c]
            )
            assert table["total_processed"][c] == sum(table[o][c] for o in Outcome.values)
        for values in table.values():
            assert values["total"] == sum(values[k] for k in ApplicantKind.values)


def test_it_carries_across_the_year_end(db):
    rng = random.Random(7)
    _bulk(rng, 300, D(2020, 1, 1), D(2022, 12, 31))
    t2020 = stats.table_3(D(2020, 1, 1), D(2020, 12, 31))
    t2021 = stats.table_3(D(2021, 1, 1), D(2021, 12, 31))
    assert t2021["carried_over"] == t2020["carried_forward"]  # T3-XYEAR
    assert t2021["carried_over"]["total"] > 0


def test_it_counts_each_row_by_its_dates(db):
    rng = random.Random(0)
    apps = _bulk(rng, 3, D(2021, 3, 1), D(2021, 3, 2))
    Application.objects.filter(pk=apps[0].pk).update(
        received_on=D(2020, 12, 20), replied_on=D(2021, 1, 10), outcome=Outcome.PARTIAL,
        applicant_kind=ApplicantKind.LEGAL_SERVICE,
    )  # fmt: skip
    Application.objects.filter(pk=apps[1].pk).update(
        received_on=D(2021, 12, 28), replied_on=None, applicant_kind=ApplicantKind.NATURAL_PERSON
    )
    Application.objects.filter(pk=apps[2].pk).update(
        received_on=D(2021, 5, 6), replied_on=D(2021, 5, 20), outcome=Outcome.GRANTED,
        applicant_kind=ApplicantKind.NATURAL_PERSON,
    )  # fmt: skip
    table = stats.table_3(D(2021, 1, 1), D(2021, 12, 31))
    assert table["carried_over"]["legal_service"] == 1
    assert table["partial"]["legal_service"] == 1
    assert table["new_received"]["natural_person"] == 2
    assert table["granted"]["natural_person"] == 1
    assert table["carried_forward"]["total"] == 1
    assert table["total_processed"]["total"] == 2
    layout = stats.table_3_layout(table)
    assert [r["key"] for r in layout][:3] == ["new_received", "carried_over", "granted"]
    assert len(layout) == 2 + len(Outcome.values) + 2


def test_table_4_counts_pending_as_of_the_period_end(make_application):
    app = make_application()
    Review.objects.create(application=app, kind=ReviewKind.RECONSIDERATION, filed_on=D(2021, 8, 1),
                          result=ReviewResult.UPHELD, decided_on=D(2021, 10, 1))  # fmt: skip
    Review.objects.create(application=app, kind=ReviewKind.RECONSIDERATION, filed_on=D(2021, 11, 1),
                          result=ReviewResult.CORRECTED, decided_on=D(2022, 2, 1))  # fmt: skip
    Review.objects.create(application=app, kind=ReviewKind.LITIGATION_DIRECT, filed_on=D(2021, 12, 1))
    Review.objects.create(application=app, kind=ReviewKind.LITIGATION_AFTER, filed_on=D(2020, 3, 1),
                          result=ReviewResult.UPHELD, decided_on=D(2020, 9, 1))  # fmt: skip
    table = stats.table_4(D(2021, 1, 1), D(2021, 12, 31))
    assert table["reconsideration"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert table["litigation_direct"]["pending"] == 1
    assert table["litigation_after"]["total"] == 0  # decided in 2020: not in 2021's table
    for values in table.values():  # T4-SUM
        assert values["total"] == sum(values[r] for r in ReviewResult.values)
    assert stats.table_4(D(2022, 1, 1), D(2022, 12, 31))["reconsideration"]["corrected"] == 1


def test_processing_times_count_working_days_minus_consultation(make_application, reviewer):
    # Received Tue 1 June 2021; replied Tue 15 June: 14 June is the Dragon Boat holiday → 9 working days.
    a = make_application(received_on=D(2021, 6, 1))
    Application.objects.filter(pk=a.pk).update(status=Status.CLOSED, outcome=Outcome.GRANTED,
                                               replied_on=D(2021, 6, 15))  # fmt: skip
    b = make_application(received_on=D(2021, 6, 1))
    Application.objects.filter(pk=b.pk).update(status=Status.CLOSED, outcome=Outcome.GRANTED,
                                               replied_on=D(2021, 7, 30))  # fmt: skip
    # b consulted a third party 2 June – 9 June: 5 working days not counted.
    Pause.objects.create(application=b, kind=PauseKind.THIRD_PARTY, started_on=D(2021, 6, 2),
                         ended_on=D(2021, 6, 9))  # fmt: skip
    times = stats.processing_times(D(2021, 1, 1), D(2021, 12, 31))
    from gongkai.core.workdays import workdays_between

    assert times.count == 2
    assert times.shortest == 9 == workdays_between(D(2021, 6, 1), D(2021, 6, 15))
    assert times.longest == workdays_between(D(2021, 6, 1), D(2021, 7, 30)) - 5
    assert times.on_time == 1  # b's due date was 30 June
    assert times.on_time_rate == 0.5
    assert times.approximate_years == []
    assert services.is_on_time(Application.objects.get(pk=b.pk)) is False


def test_an_empty_period_has_no_times(db):
    times = stats.processing_times(D(2015, 1, 1), D(2015, 12, 31))
    assert times.count == 0 and times.median is None and times.on_time_rate is None
