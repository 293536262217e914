"""`gongkai deadline`: due dates by the rule set in force on the receipt date, with the explanation."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_it_uses_2007_rules_before_the_change(db):
    data = json.loads(run("--received", "2015-02-10", "--json"))
    assert data["due"] == "2015-03-06"
    assert data["extended_due"] == "2015-03-27"
    assert data["rule_set"]["code"] == "2007"
    assert "492" in data["rule_set"]["title"] and data["rule_set"]["title_en"].startswith("Regulations")
    kinds = {c["kind"] for c in data["explanation"]["reply"]["crossed"]}
    assert kinds == {"holiday", "makeup"}


def test_it_uses_2019_rules_from_15_may_2019(db):
    before = json.loads(run("--received", "2019-05-14", "--json"))
    after = json.loads(run("--received", "2019-05-15", "--json"))
    assert before["rule_set"]["code"] == "2007"
    assert after["rule_set"]["code"] == "2019"
    # 2019-05-15 Wed + 20 working days, Dragon Boat Festival (Fri 7 June) skipped = 2019-06-13
    assert after["due"] == "2019-06-13"


def test_it_crosses_national_day_with_2019_rules(db):
    data = json.loads(run("--received", "2019-09-27", "--json"))
    # 29 Sep (Sun, make-up), 30 Sep, 8–11 Oct, 12 Oct (Sat, make-up), 14–18, 21–25, 28–30 Oct
    assert data["due"] == "2019-10-30"


def test_text_output_explains(db):
    text = run("--received", "2015-09-30")
    assert "2015-10-01 节假日" in text
    assert "调休上班" in text


def test_it_refuses_an_unknown_year_and_a_bad_date(db):
    with pytest.raises(CommandError, match="2027"):
        run("--received", "2027-01-05")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--received", "2015/01/05")


def test_it_uses_the_one_reply_clock_of_the_case_pages(db):
    from gongkai.core import deadlines
    from gongkai.inforequests import deadlines as case_deadlines

    received = dt.date(2019, 9, 27)
    clock = deadlines.compute(deadlines.ClockInput(received_on=received, as_of=received))
    data = json.loads(run("--received", received.isoformat(), "--json"))

    assert case_deadlines.compute is deadlines.compute  # no second clock beside it
    assert not hasattr(deadlines, "reply_deadline")
    assert clock.due is not None and clock.extended_due is not None
    assert (data["due"], data["extended_due"]) == (clock.due.isoformat(), clock.extended_due.isoformat())
    assert data["explanation"]["steps"] == [step.text for step in clock.steps]
    crossed = data["explanation"]["reply"]["crossed"] + data["explanation"]["extension"]["crossed"]
    assert [c["date"] for c in crossed] == [d.isoformat() for d, _, _ in clock.crossed]
