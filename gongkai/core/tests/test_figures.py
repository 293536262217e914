"""The period-figures contract: periods, figures, the registry, and `gongkai figures`."""

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext_lazy

from gongkai.catalog.tests.test_stats import add_record, catalog_demo  # noqa: F401 - fixtures
from gongkai.core import figures
from gongkai.core.figures import (
    CASES,
    ITEMS,
    PERCENT,
    DuplicateFigureError,
    Figure,
    FiguresError,
    Period,
    PeriodError,
    Registry,
    UnknownFigureError,
)
from gongkai.inforequests.tests.test_figures import requests_demo  # noqa: F401 - fixture

D = dt.date
BEIJING = ZoneInfo("Asia/Shanghai")


def count(code: str, value: int = 0) -> Figure:
    return Figure(code, "数量", "Count", value, ITEMS)


# Periods


def test_it_makes_a_calendar_year():
    period = Period.year(2015)
    assert (period.start, period.end) == (D(2015, 1, 1), D(2015, 12, 31))
    assert period.is_calendar_year
    assert not Period(D(2014, 1, 1), D(2015, 12, 31)).is_calendar_year


def test_it_refuses_a_start_after_the_end_with_both_dates_named():
    with pytest.raises(PeriodError, match="2015-12-31 晚于结束日期 2015-01-01"):
        Period(D(2015, 12, 31), D(2015, 1, 1))


def test_it_explains_the_error_in_english_too():
    with translation.override("en"), pytest.raises(PeriodError) as error:
        Period(D(2015, 12, 31), D(2015, 1, 1))
    assert "2015-12-31" in str(error.value) and "after" in str(error.value)


def test_it_accepts_a_single_day():
    assert D(2015, 3, 1) in Period(D(2015, 3, 1), D(2015, 3, 1))


def test_it_refuses_a_datetime_for_a_date():
    with pytest.raises(PeriodError):
        Period(dt.datetime(2015, 1, 1, tzinfo=dt.UTC), D(2015, 12, 31))


def test_it_parses_dates_and_names_the_bad_one():
    assert Period.parse("2015-01-01", " 2015-12-31") == Period.year(2015)
    with pytest.raises(PeriodError, match="2015-02-30"):
        Period.parse("2015-02-30", "2015-12-31")


def test_it_counts_31_december_late_evening_in_beijing_as_that_year():
    late = dt.datetime(2015, 12, 31, 23, 30, tzinfo=BEIJING)
    assert late in Period.year(2015)
    assert late not in Period.year(2016)
    first, after = Period.year(2015).bounds()
    assert first <= late < after
    assert after == dt.datetime(2016, 1, 1, tzinfo=BEIJING)
    # 00:30 on 1 January in Beijing is still 31 December in UTC: it is the new year's.
    assert dt.datetime(2016, 1, 1, 0, 30, tzinfo=BEIJING) not in Period.year(2015)


# Figures


def test_it_renders_a_translatable_label_in_both_languages():
    item = Figure.make("core.example.total", gettext_lazy("总计"), 3, CASES)
    assert (item.label_zh, item.label_en) == ("总计", "Total")
    with translation.override("en"):
        assert item.label == "Total"
        assert str(item.unit) == "cases"
    assert item.label == "总计"


@pytest.mark.parametrize(
    "code", ["records", "Catalog.records", "catalog..records", "catalog.records.", "目录.数"]
)
def test_it_refuses_a_badly_formed_code(code):
    with pytest.raises(FiguresError, match="dotted"):
        count(code)


def test_it_refuses_a_fractional_count_and_a_boolean():
    with pytest.raises(FiguresError, match="must be an int"):
        Figure("core.x.rate", "比例", "Rate", Decimal("1.5"), ITEMS)
    with pytest.raises(FiguresError, match="value"):
        Figure("core.x.flag", "标志", "Flag", True, ITEMS)


def test_a_rate_is_not_a_count_of_its_objects():
    rate = Figure("core.x.rate", "比例", "Rate", Decimal("95.5"), PERCENT, objects=lambda: None)  # type: ignore[arg-type,return-value]
    assert not rate.counts_objects
    assert rate.as_dict()["value"] == 95.5


# The registry


def test_it_collects_providers_in_registration_order():
    registry = Registry()
    registry.register("alpha", lambda period: [count("alpha.one", 1)])
    registry.register("beta", lambda period: [count("beta.one", 2), count("beta.two", 3)])
    assert [f.code for f in registry.collect(Period.year(2015))] == ["alpha.one", "beta.one", "beta.two"]
    assert [f.code for f in registry.collect(Period.year(2015), apps=["beta"])] == ["beta.one", "beta.two"]
    assert registry.figure("beta.two", Period.year(2015)).value == 3


def test_it_passes_the_period_to_each_provider():
    registry = Registry()
    registry.register("alpha", lambda period: [count("alpha.days", (period.end - period.start).days + 1)])
    assert registry.figure("alpha.days", Period.year(2016)).value == 366


def test_a_second_provider_for_one_app_fails_loudly():
    registry = Registry()

    def provider(period: Period) -> list[Figure]:
        return []

    registry.register("alpha", provider)
    registry.register("alpha", provider)  # the same provider again (ready() run twice) is harmless
    with pytest.raises(FiguresError, match="already registered"):
        registry.register("alpha", lambda period: [])


def test_a_provider_giving_another_apps_code_fails_loudly():
    registry = Registry()
    registry.register("alpha", lambda period: [count("alpha.one")])
    registry.register("beta", lambda period: [count("alpha.one")])
    with pytest.raises(FiguresError, match=re.escape("must begin with 'beta.'")):
        registry.collect(Period.year(2015))


def test_a_code_given_twice_fails_loudly():
    registry = Registry()
    registry.register("alpha", lambda period: [count("alpha.one"), count("alpha.two"), count("alpha.one")])
    with pytest.raises(DuplicateFigureError, match=re.escape("'alpha.one' given twice")):
        registry.collect(Period.year(2015))


def test_an_unknown_code_or_app_is_named():
    registry = Registry()
    registry.register("alpha", lambda period: [count("alpha.one")])
    with pytest.raises(UnknownFigureError, match=re.escape("alpha.nine")):
        registry.figure("alpha.nine", Period.year(2015))
    with pytest.raises(UnknownFigureError, match="gamma"):
        registry.figure("gamma.one", Period.year(2015))
    with pytest.raises(UnknownFigureError, match=r"gamma.*已登记：alpha"):
        registry.collect(Period.year(2015), apps=["gamma"])


def test_the_project_registers_catalog_and_inforequests_with_unique_codes(db):
    assert {"catalog", "inforequests"} <= set(figures.registered_apps())
    items = figures.collect(Period.year(2015))
    codes = [f.code for f in items]
    assert len(codes) == len(set(codes))
    assert "catalog.records.published.total" in codes
    assert "inforequests.table3.new_received.total" in codes
    assert all(f.label_zh and f.label_en for f in items)


@pytest.mark.usefixtures("catalog_demo", "requests_demo")
@pytest.mark.parametrize(
    "period", [Period.year(2015), Period.year(2021), Period(D(2015, 3, 1), D(2021, 3, 31))]
)
def test_every_registered_figure_counts_exactly_the_objects_it_lists(period):
    """The contract's promise, over whatever the project registers, on generated catalog and
    disclosure-on-request data."""
    items = figures.collect(period)
    assert sum(1 for f in items if f.counts_objects and f.value) > 10
    for item in items:
        if item.counts_objects:
            assert item.objects is not None
            assert item.value == item.objects().count(), item.code
        else:
            # Rates and durations, or an undefined figure: never a count without its list.
            assert not item.unit.counts or item.value is None, item.code


# The command


def run(*args: str) -> str:
    out = StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_every_figure_with_labels_value_and_unit(db):
    output = run("--from", "2015-01-01", "--to", "2015-12-31")
    lines = output.splitlines()
    assert lines[0].startswith("2015-01-01 – 2015-12-31")
    assert len(lines) == 2 + len(figures.collect(Period.year(2015)))
    row = next(line for line in lines if line.startswith("inforequests.table3.new_received.total "))
    assert row.split()[1:4] == ["0", "件", "表三"]
    assert row.endswith("Table 3 New applications received this year (Total)")
    assert any(
        line.startswith("catalog.publications.weibo ") and "通过政务微博发布" in line for line in lines
    )


def test_the_command_prints_json_for_one_app(db):
    data = json.loads(run("--from", "2015-01-01", "--to", "2015-12-31", "--json", "--app", "catalog"))
    assert isinstance(data, list) and data
    assert {item["code"].split(".")[0] for item in data} == {"catalog"}
    first = data[0]
    assert first == {
        "code": "catalog.records.published.total",
        "label_zh": "本期发布的政府信息",
        "label_en": "Government information published",
        "value": 0,
        "unit_zh": "条",
        "unit_en": "items",
        "section": "catalog.records.published",
        "counts_objects": True,
        "staff_url": None,
        "approximate": False,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2015-1-1x", "--to", "2015-12-31"), "YYYY-MM-DD：2015-1-1x"),
        (("--from", "2015-12-31", "--to", "2015-01-01"), "晚于结束日期"),
        (("--from", "2015-01-01", "--to", "2015-12-31", "--app", "nope"), "nope"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_code_2(db, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args)
    assert error.value.returncode == 2
    english = str(error.value).splitlines()[-1]
    assert english.isascii() and english


def test_the_command_names_the_registered_apps_when_one_is_unknown(db):
    with pytest.raises(CommandError) as error:
        run("--from", "2015-01-01", "--to", "2015-12-31", "--app", "nope")
    chinese, english = str(error.value).splitlines()
    assert chinese.startswith("没有登记统计数据的应用：nope（已登记：catalog, inforequests")
    assert english.startswith("No figures are registered for: nope (registered: catalog, inforequests")
