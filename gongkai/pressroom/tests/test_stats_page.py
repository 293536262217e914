import datetime as dt
import re

import pytest
from django.urls import reverse

from gongkai.core.figures import Period
from gongkai.pressroom import services, stats

pytestmark = pytest.mark.django_db
URL = "workbench:pressroom_staff:stats"


@pytest.fixture
def three(make_conference, reviewer):
    """One government and one agency conference in 2015, another agency one in 2016."""
    for n, (host, day) in enumerate(
        [
            ("government", dt.date(2015, 3, 18)),
            ("agency", dt.date(2015, 5, 12)),
            ("agency", dt.date(2016, 2, 1)),
        ]
    ):
        c = make_conference(title=f"发布会{n}", host=host, held_on=day)
        services.do_publish_conference(c, actor=reviewer, expected_version=1)


def _number(match):
    assert match is not None
    return int(match.group(1))


def _strong(html, code):
    return _number(re.search(rf'data-code="{re.escape(code)}">(\d+)<', html))


def _row(html, label):
    """The number in the chart table's row headed `label`."""
    return _number(re.search(rf'<th scope="row">{re.escape(label)}</th><td class="num">(\d+)</td>', html))


def test_the_page_shows_the_figures_of_the_period(client, editor, three):
    client.force_login(editor)
    response = client.get(reverse(URL), {"year": 2015})
    assert response.status_code == 200
    html = response.content.decode()
    by_code = {f.code: f for f in stats.figures(Period.year(2015))}
    assert by_code["pressroom.conferences.total"].value == 2
    for code in (
        "pressroom.conferences.total",
        "pressroom.interpretations.total",
        "pressroom.policies.uninterpreted",
    ):
        assert _strong(html, code) == by_code[code].value
    for code in ("pressroom.conferences.host.government", "pressroom.conferences.host.agency"):
        assert _row(html, str(by_code[code].label)) == by_code[code].value == 1
    assert _row(html, "2015-03") == 1 and _row(html, "2015-05") == 1 and _row(html, "2015-06") == 0
    assert "2016-02" not in html
    assert _row(html, str(by_code["pressroom.interpretations.form.text"].label)) == 0
    charts = html[html.index('<div class="charts">') :]
    assert charts.count("<svg") == 3 and "<script" not in charts
    uninterpreted = reverse("workbench:pressroom_staff:uninterpreted") + "?from=2015-01-01&amp;to=2015-12-31"
    assert uninterpreted in html
    assert 'href="?year=2016"' in html and 'href="?year=2015" aria-current="page"' in html


def test_a_from_to_period(client, editor, three):
    client.force_login(editor)
    html = client.get(reverse(URL), {"from": "2015-05-01", "to": "2016-12-31"}).content.decode()
    assert _strong(html, "pressroom.conferences.total") == 2
    assert _row(html, "2016-02") == 1 and "2015-03" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2015-13-01", "to": "2015-12-31"},
        {"from": "2015-01-01"},
        {"from": "2016-01-01", "to": "2015-01-01"},
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"year": "abc"},
        {"year": "99999999999999999999"},
    ],
)
def test_a_bad_period_is_a_message_not_a_500(client, editor, query):
    client.force_login(editor)
    response = client.get(reverse(URL), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="notice error" role="alert"' in html and "下面是本年的统计。" in html


def test_refused_to_who_may_not_open_the_press_room(client, three):
    response = client.get(reverse(URL), {"year": 2015})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_press_room_tabs_link_to_it(client, editor):
    client.force_login(editor)
    html = client.get(reverse("workbench:pressroom_staff:list")).content.decode()
    assert reverse(URL) in html
