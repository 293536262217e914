"""A repealed (已废止) or amended (已修改) record is marked so after its title in the public lists —
the catalog, a category page and the search results — so that nobody follows a repealed rule from
a list; a record in force carries no mark. The Atom feed says nothing of validity, so neither does
this mark there."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog import services

REPEALED_ON = dt.date(2016, 3, 1)
AMENDED_ON = dt.date(2016, 4, 2)


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def records(make_record, reviewer):
    in_force = make_record("published", name="护照办理仍然有效的通告")
    repealed = make_record("published", name="护照办理已废止的规定")
    amended = make_record("published", name="护照办理已修改的规定")
    for record, validity, on in ((repealed, "repealed", REPEALED_ON), (amended, "amended", AMENDED_ON)):
        services.do_change_validity(
            record,
            validity=validity,
            on=on,
            document="吉公发〔2016〕3号",
            reason="已被新文件废止或修改",
            actor=reviewer,
            expected_version=record.version,
        )
    return in_force, repealed, amended


def _item_of(body: str, name: str) -> str:
    """The markup of the one list row or result that holds `name`."""
    start = body.index(name)
    ends = [i for i in (body.find("</tr>", start), body.find("</li>", start)) if i != -1]
    return body[start : min(ends)]


REPEALED_BADGE = '<span class="badge validity repealed" title="废止日期：2016-03-01">已废止'
AMENDED_BADGE = '<span class="badge validity amended" title="修改日期：2016-04-02">已修改'


@pytest.mark.parametrize(
    "url",
    ["/catalog/", "/catalog/c/policy-rules/", "/catalog/c/policy/", "/catalog/search/?q=口岸"],
)
def test_a_list_marks_a_repealed_and_an_amended_record_and_not_one_in_force(client, records, url):
    in_force, repealed, amended = records

    response = client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    repealed_item = _item_of(body, repealed.name)
    assert REPEALED_BADGE in repealed_item
    # the day for screen readers too, not in a tooltip only
    assert '<span class="sr-only"> 废止日期：2016-03-01</span>' in repealed_item
    assert AMENDED_BADGE in _item_of(body, amended.name)
    in_force_item = _item_of(body, in_force.name)
    assert "badge validity" not in in_force_item
    assert "已废止" not in in_force_item and "已修改" not in in_force_item


def test_the_mark_follows_the_title_outside_its_link(client, records):
    _in_force, repealed, _amended = records

    body = client.get("/catalog/").content.decode()

    assert f'{repealed.name}</a> <span class="badge validity repealed"' in body


def test_a_repealed_record_without_a_day_is_marked_without_a_tooltip(client, records):
    _in_force, repealed, _amended = records
    type(repealed).objects.filter(pk=repealed.pk).update(repealed_on=None)

    item = _item_of(client.get("/catalog/").content.decode(), repealed.name)

    assert '<span class="badge validity repealed">已废止</span>' in item


def test_the_mark_is_in_english_for_an_english_visitor(client, records):
    _in_force, repealed, amended = records
    client.cookies["gk_lang"] = "en"

    body = client.get("/catalog/search/?q=口岸").content.decode()

    assert ">Repealed<" in _item_of(body, repealed.name).replace('<span class="sr-only">', "<")
    assert ">Amended<" in _item_of(body, amended.name).replace('<span class="sr-only">', "<")


def test_the_feed_shows_no_validity(client, records):
    body = client.get("/catalog/c/policy-rules/feed.atom").content.decode()

    assert "badge" not in body and "已废止" not in body.replace(records[1].name, "")


def test_the_home_page_lists_mark_them_too(client, records):
    _in_force, repealed, _amended = records

    body = client.get("/").content.decode()

    start = body.index(repealed.name)
    assert "已废止" in body[start : start + 400]
    assert body.count('class="badge validity repealed"') == 1
