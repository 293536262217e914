import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gongkai.core import clock, figures
from gongkai.core.figures import Period
from gongkai.pressroom import services

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _values(period):
    return {f.code: f for f in figures.collect(period, apps=["pressroom"])}


def test_conference_figures_count_published_ones_held_in_the_period(make_conference, reviewer):
    for n, (host, day) in enumerate(
        [
            ("government", dt.date(2015, 3, 18)),
            ("agency", dt.date(2015, 5, 12)),
            ("agency", dt.date(2015, 12, 31)),
        ]
    ):
        c = make_conference(title=f"发布会{n}", host=host, held_on=day)
        services.do_publish_conference(c, actor=reviewer, expected_version=1)
    make_conference(title="草稿", held_on=dt.date(2015, 6, 1))  # not published: not counted
    other = make_conference(title="2016", held_on=dt.date(2016, 1, 1))
    services.do_publish_conference(other, actor=reviewer, expected_version=1)
    got = _values(Period.year(2015))
    assert got["pressroom.conferences.total"].value == 3
    assert got["pressroom.conferences.host.government"].value == 1
    assert got["pressroom.conferences.host.agency"].value == 2
    for code in ("pressroom.conferences.total", "pressroom.conferences.host.agency"):
        figure = got[code]
        assert figure.counts_objects and figure.objects().count() == figure.value
        assert figure.staff_url.startswith("/workbench/press/?from=2015-01-01&to=2015-12-31")
    assert (
        _values(Period(dt.date(2015, 12, 31), dt.date(2015, 12, 31)))["pressroom.conferences.total"].value
        == 1
    )


def test_interpretation_and_uninterpreted_figures(interpretation_data, editor, reviewer, make_record):
    year = clock.today().year
    period = Period.year(year)
    policy_a = make_record("published", name="政策甲")
    make_record("published", name="政策乙")  # published, never interpreted
    text = services.do_create_interpretation(
        {**interpretation_data, "policy": policy_a.index_number}, actor=editor
    )
    before = _values(period)
    assert before["pressroom.policies.uninterpreted"].value >= 3  # the fixture's policy too
    assert before["pressroom.interpretations.total"].value == 0
    services.do_publish_interpretation(text, actor=reviewer, expected_version=1)
    got = _values(period)
    assert got["pressroom.interpretations.total"].value == 1
    assert got["pressroom.interpretations.form.text"].value == 1
    assert got["pressroom.interpretations.form.video"].value == 0
    missing = got["pressroom.policies.uninterpreted"]
    assert missing.value == before["pressroom.policies.uninterpreted"].value - 1
    assert policy_a not in missing.objects() and missing.objects().count() == missing.value
    # A period that ended before the interpretation was published still counts policy A.
    last_year = _values(Period.year(year - 1))
    assert last_year["pressroom.interpretations.total"].value == 0


def test_interpretation_published_late_counts_for_its_own_period(
    interpretation_data, editor, reviewer, policy
):
    interpretation = services.do_create_interpretation(interpretation_data, actor=editor)
    services.do_publish_interpretation(
        interpretation, actor=reviewer, expected_version=1, now=dt.datetime(2015, 12, 31, 23, 30, tzinfo=TZ)
    )
    assert _values(Period.year(2015))["pressroom.interpretations.total"].value == 1
    assert _values(Period.year(2016))["pressroom.interpretations.total"].value == 0


def test_every_figure_lists_what_it_counts(make_conference, reviewer):
    for figure in figures.collect(Period.year(2015), apps=["pressroom"]):
        assert figure.objects is not None and figure.staff_url
        assert figure.objects().count() == figure.value
