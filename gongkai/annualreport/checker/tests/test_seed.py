"""The seed, a real 2015 report of a provincial public security department, through the checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.annualreport.checker import check_text

SEED = Path(__file__).resolve().parents[5] / "shared" / "seed" / "000_07b19879f036b61c.txt"


@pytest.fixture(scope="module")
def result():
    if not SEED.exists():
        pytest.skip("the seed is not in this checkout")
    return check_text(SEED.read_text(encoding="utf-8"), source=SEED.name)


def test_it_reads_the_year_and_the_form(result):
    assert result.year == 2015
    assert result.form == "narrative"


def test_it_reports_the_period_that_is_not_the_year(result):
    periods = [f for f in result.findings if f.kind == "period.year"]
    assert len(periods) == 1
    assert periods[0].severity == "error"
    assert "2014年1月1日" in periods[0].message
    assert periods[0].place.paragraph == 2
    assert "2014年1月1日起至2015年12月31日止" in periods[0].place.quote


def test_it_confirms_the_press_conferences(result):
    assert "3 + 17 = 20" in result.statements()


def test_it_confirms_the_approval_reductions(result):
    assert "35 → 7 = 80%" in result.statements()
    assert "171 → 110 = 35.7%" in result.statements()


def test_it_finds_nothing_else_wrong_in_its_arithmetic(result):
    assert not {"sum.parts", "sum.parts_short", "sum.part_exceeds", "percent"} & result.kinds()
