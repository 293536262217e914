"""The dashboard's year figures come from the catalog's period figures, over what the user may see."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from gongkai.catalog.choices import Channel, Status
from gongkai.catalog.models import Category, Publication, Record

BEIJING = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=BEIJING)


@pytest.fixture
def year_2015(time_machine, departments, editor):
    time_machine.move_to(at(2015, 6, 15))
    leaf = Category.objects.filter(parent__isnull=False)[0]

    def record(n: int, department: str, published: dt.datetime, channels: list[str], withdrawn: bool = False):
        item = Record.objects.create(
            index_number=f"013544308/2015-{n:05d}",
            name=f"测试信息{n}",
            formed_on=published.date(),
            issuer="吉林省公安厅",
            category=leaf,
            department=departments[department],
            status=Status.WITHDRAWN if withdrawn else Status.PUBLISHED,
            published_at=published,
            withdrawn_at=published + dt.timedelta(days=3) if withdrawn else None,
            created_by=editor,
            created_at=published,
            updated_at=published,
        )
        for channel in channels:
            Publication.objects.create(
                record=item, channel=channel, published_at=published, recorded_by=editor
            )

    record(1, "exit_entry", at(2015, 2, 1), [Channel.PORTAL, Channel.WEIBO])
    # Midnight on 1 January in Beijing (16:00 on 31 December in UTC) is this year's.
    record(2, "exit_entry", at(2015, 1, 1, 0), [Channel.PORTAL])
    record(3, "traffic", at(2015, 3, 1), [Channel.PORTAL])
    record(4, "traffic", at(2014, 12, 31, 23), [Channel.WECHAT])
    record(5, "traffic", at(2015, 4, 1), [], withdrawn=True)


def stat(html: str, label: str) -> int:
    match = re.search(r'<span class="n">(\d+)</span>' + label, html)
    assert match, label
    return int(match.group(1))


def test_the_office_sees_the_agencys_year(client, reviewer, year_2015):
    client.force_login(reviewer)
    response = client.get("/workbench/")
    html = response.content.decode()
    # Published this year, the record withdrawn since included: it was published in 2015.
    assert stat(html, "本年已发布") == response.context["published_this_year"] == 4
    assert response.context["channels"] == [("门户网站", 3), ("政务微博", 1)]
    assert "本年各渠道发布数" in html
    assert "<td>门户网站</td><td>3</td>" in html and "政务微信" not in html


def test_a_department_editor_sees_their_departments_year(client, editor, year_2015):
    client.force_login(editor)
    response = client.get("/workbench/")
    assert stat(response.content.decode(), "本年已发布") == 2
    assert response.context["channels"] == [("门户网站", 2), ("政务微博", 1)]


def test_a_quiet_year_shows_zero_and_no_channel_table(client, reviewer, time_machine):
    time_machine.move_to(at(2015, 6, 15))
    client.force_login(reviewer)
    html = client.get("/workbench/").content.decode()
    assert stat(html, "本年已发布") == 0
    assert "本年各渠道发布数" not in html
