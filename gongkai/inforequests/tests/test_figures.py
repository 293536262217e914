"""Disclosure on request through the period-figures contract: every cell of tables 三 and 四 and the
processing times, each counting exactly the applications or reviews it lists."""

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.figures import Figure, Period
from gongkai.inforequests import stats
from gongkai.inforequests.choices import (
    ApplicantKind,
    CorrectionOutcome,
    Outcome,
    PauseKind,
    RequestKind,
    ReviewKind,
    ReviewResult,
)
from gongkai.inforequests.models import Application, Pause, Review
from gongkai.inforequests.tests.test_stats import _bulk

D = dt.date
FORMAT_FILE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "annual_report_format_2021.json"
PERIODS = [Period.year(2020), Period.year(2021), Period(D(2021, 3, 1), D(2021, 3, 31))]


@pytest.fixture
def requests_demo(db):
    """Two years of applications of every kind and outcome, some without an outcome recorded,
    consultations, correction requests and reviews decided before, in and after the period."""
    rng = random.Random(21)
    applications = _bulk(rng, 300, D(2020, 6, 1), D(2022, 3, 31))
    replied = [a for a in applications if a.replied_on]
    for application in replied[:5]:
        # A reply whose outcome was never recorded: table 三 counts it under 其他.
        Application.objects.filter(pk=application.pk).update(outcome="")
    for application in replied[5:40]:
        Pause.objects.create(
            application=application,
            kind=PauseKind.THIRD_PARTY,
            started_on=application.received_on + dt.timedelta(days=2),
            ended_on=application.received_on + dt.timedelta(days=9),
        )
    for application in replied[40:55]:
        Application.objects.filter(pk=application.pk).update(
            request_kind=RequestKind.CORRECTION,
            outcome="",
            correction_outcome=rng.choice(["", *CorrectionOutcome.values]),
        )
    for application in replied[55:95]:
        assert application.replied_on is not None
        filed = application.replied_on + dt.timedelta(days=rng.randrange(60))
        decided = filed + dt.timedelta(days=rng.randrange(200)) if rng.random() < 0.7 else None
        Review.objects.create(
            application=application,
            kind=rng.choice(ReviewKind.values),
            filed_on=filed,
            result=rng.choice([r for r in ReviewResult.values if r != ReviewResult.PENDING])
            if decided
            else ReviewResult.PENDING,
            decided_on=decided,
        )


def by_code(items: list[Figure]) -> dict[str, Figure]:
    return {f.code: f for f in items}


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_every_figure_counts_exactly_what_it_lists(requests_demo, period):
    items = stats.figures(period)
    counted = [f for f in items if f.counts_objects]
    assert len(counted) == len(stats.ROWS) * len(stats.COLUMNS) + 15 + 2 + 2 + len(CorrectionOutcome)
    for item in counted:
        assert item.value == item.objects().count(), item.code  # type: ignore[misc]
    processed = by_code(items)["inforequests.table3.total_processed.total"].value
    assert isinstance(processed, int) and processed > 0


def test_the_figures_are_the_tables(requests_demo):
    period = Period.year(2021)
    codes = by_code(stats.figures(period))
    table3 = stats.table_3(period.start, period.end)
    table4 = stats.table_4(period.start, period.end)
    for row in stats.ROWS:
        for column in stats.COLUMNS:
            assert codes[f"inforequests.table3.{row}.{column}"].value == table3[row][column]
    for kind in ReviewKind.values:
        for result in (*ReviewResult.values, "total"):
            assert codes[f"inforequests.table4.{kind}.{result}"].value == table4[kind][result]
    assert sum(table4[k]["total"] for k in ReviewKind.values) > 0


def test_a_reply_without_an_outcome_is_listed_under_other(requests_demo):
    period = Period(D(2020, 6, 1), D(2022, 6, 30))
    other = by_code(stats.figures(period))["inforequests.table3.other.other.total"]
    assert other.objects().filter(outcome="").count() == 5  # type: ignore[misc]


def test_the_processing_times_are_those_of_the_statistics_page(requests_demo):
    period = Period.year(2021)
    times = stats.processing_times(period.start, period.end)
    codes = by_code(stats.figures(period))
    assert codes["inforequests.times.replied"].value == times.count
    assert codes["inforequests.times.on_time"].value == times.on_time
    assert times.on_time_rate is not None and times.median is not None and times.mean is not None
    rate = codes["inforequests.times.on_time_rate"]
    assert rate.value == Decimal(str(round(times.on_time_rate * 100, 1)))
    assert (rate.unit.zh, rate.unit.en) == ("%", "%")
    assert codes["inforequests.times.median"].value == Decimal(str(times.median)).quantize(Decimal("0.1"))
    assert codes["inforequests.times.mean"].value == Decimal(str(times.mean))
    assert codes["inforequests.times.shortest"].value == times.shortest
    assert codes["inforequests.times.longest"].value == times.longest
    assert codes["inforequests.times.median"].unit.zh == "个工作日"
    assert codes["inforequests.times.median"].objects().count() == times.count  # type: ignore[misc]


def test_a_period_without_replies_has_no_median_rather_than_zero(db):
    codes = by_code(stats.figures(Period.year(2021)))
    assert codes["inforequests.times.replied"].value == 0
    assert codes["inforequests.times.median"].value is None
    assert codes["inforequests.times.on_time_rate"].value is None
    assert codes["inforequests.table3.new_received.total"].value == 0


def test_the_corrections_are_counted_apart(requests_demo):
    period = Period(D(2020, 6, 1), D(2022, 6, 30))
    counts = stats.corrections(period.start, period.end)
    codes = by_code(stats.figures(period))
    assert codes["inforequests.corrections.received"].value == counts["received"] == 15
    assert codes["inforequests.corrections.decided"].value == counts["decided"]
    for outcome in CorrectionOutcome.values:
        assert codes[f"inforequests.corrections.{outcome}"].value == counts[outcome]


def test_the_table_3_codes_are_the_national_formats_row_and_column_keys(db):
    codes = [f.code for f in stats.figures(Period.year(2021)) if f.section == "inforequests.table3"]
    expected = [f"inforequests.table3.{r}.{c}" for r in stats.ROWS for c in stats.COLUMNS]
    assert codes == expected
    assert "inforequests.table3.not_processed.confirm_or_reissue.natural_person" in codes
    assert (*ApplicantKind.values, "total") == stats.COLUMNS
    assert set(Outcome.values) < set(stats.ROWS)
    if not FORMAT_FILE.exists():
        pytest.skip(f"{FORMAT_FILE} is not on this machine")
    national = json.loads(FORMAT_FILE.read_text(encoding="utf-8"))["table_3"]
    assert list(stats.ROWS) == [row["key"] for row in national["rows"]]
    assert list(stats.COLUMNS) == [column["key"] for column in national["columns"]]


def test_the_labels_name_table_row_and_column_in_both_languages(db):
    codes = by_code(stats.figures(Period.year(2021)))
    cell = codes["inforequests.table3.denied.state_secret.legal_service"]
    assert cell.label_zh == "表三 不予公开：属于国家秘密（法律服务机构）"
    assert cell.label_en.startswith("Table 3 ") and "(" in cell.label_en
    review = codes["inforequests.table4.litigation_after.pending"]
    assert review.label_zh == "表四 行政诉讼（复议后起诉）：尚未审结"
    assert review.label_en.startswith("Table 4 Administrative litigation")
