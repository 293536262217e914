"""A record marked 已废止 carries the day it was repealed (annual report table 二 counts repeals by
it): the one entered, else the day it is marked so; none for any other validity."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gongkai.catalog import services
from gongkai.catalog.choices import Validity
from gongkai.catalog.forms import RecordForm
from gongkai.catalog.models import Record

NOW = dt.datetime(2015, 9, 1, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_marking_a_record_repealed_dates_the_repeal_today_unless_a_day_is_given(make_record, editor):
    record = make_record()
    assert record.repealed_on is None
    record = services.do_update_record(
        record, {"validity": Validity.REPEALED}, actor=editor, expected_version=record.version, now=NOW
    )
    assert record.repealed_on == dt.date(2015, 9, 1)  # Beijing's day, not UTC's
    record = services.do_update_record(
        record, {"repealed_on": dt.date(2015, 8, 3)}, actor=editor, expected_version=record.version, now=NOW
    )
    assert Record.objects.get(pk=record.pk).repealed_on == dt.date(2015, 8, 3)
    # Back in force: no repeal date.
    record = services.do_update_record(
        record, {"validity": Validity.IN_FORCE}, actor=editor, expected_version=record.version, now=NOW
    )
    assert Record.objects.get(pk=record.pk).repealed_on is None


def test_a_record_created_repealed_keeps_its_day(make_record):
    record = make_record(validity=Validity.REPEALED, repealed_on=dt.date(2015, 7, 1))
    assert record.repealed_on == dt.date(2015, 7, 1)
    assert make_record(repealed_on=dt.date(2015, 7, 1)).repealed_on is None


def test_a_repeal_before_the_record_was_formed_is_refused(make_record):
    with pytest.raises(services.CatalogError, match="废止日期不能早于成文日期"):
        make_record(validity=Validity.REPEALED, repealed_on=dt.date(2015, 5, 1))


def test_the_form_takes_the_day_only_for_a_repealed_record(editor, departments, leaf_category):
    data = {
        "name": "关于规范户籍业务办理的通知",
        "formed_on": "2015-06-01",
        "issuer": "吉林省公安厅",
        "department": departments["exit_entry"].pk,
        "category": leaf_category.pk,
        "genre": "notice",
        "validity": "in_force",
        "secrecy": "non_secret",
        "attribute": "proactive",
        "repealed_on": "2015-10-01",
    }
    form = RecordForm(data, user=editor)
    assert not form.is_valid() and "repealed_on" in form.errors
    assert RecordForm({**data, "validity": "repealed"}, user=editor).is_valid()
    assert RecordForm({**data, "validity": "repealed", "repealed_on": ""}, user=editor).is_valid()
    early = RecordForm({**data, "validity": "repealed", "repealed_on": "2015-05-01"}, user=editor)
    assert not early.is_valid() and "repealed_on" in early.errors
