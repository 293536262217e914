"""A document delegates, keeps or amends an item: the history shows each move with its date and
deciding document, and the public page of a cancelled or delegated item says so."""

import datetime as dt

import pytest
from django.core.cache import cache

from gongkai.powers import services
from gongkai.powers.models import ItemChange, ItemVersion
from gongkai.powers.services import PowersError


@pytest.fixture(autouse=True)
def _fresh_pages():
    """Each test publishes the same code; a page kept from another test would answer for it."""
    cache.clear()
    yield
    cache.clear()


def _published(make_item, passport_data, editor, reviewer):
    item = make_item(passport_data)
    item = services.do_submit_item(item, actor=editor, expected_version=item.version)
    services.do_approve_item(item, actor=reviewer, expected_version=item.version)
    edition = services.do_propose_edition("approvals", title="通告", actor=editor)
    services.do_publish_edition(edition, actor=reviewer, expected_version=edition.version)
    item.refresh_from_db()
    return item


def _history(item):
    return list(
        ItemChange.objects.filter(item=item).order_by("on", "id").values_list("kind", "on", "document")
    )


def test_it_delegates_an_item_to_a_lower_level_by_a_dated_document(
    make_item, passport_data, editor, reviewer
):
    item = _published(make_item, passport_data, editor, reviewer)
    item = services.do_delegate_item(
        item,
        on=dt.date(2016, 3, 1),
        document="吉政发〔2016〕3号",
        to_level="city",
        actor=reviewer,
        expected_version=item.version,
    )
    assert item.status == "delegated"
    assert not ItemVersion.objects.filter(item=item, is_live=True).exists()
    assert _history(item)[-1] == ("delegated", dt.date(2016, 3, 1), "吉政发〔2016〕3号")
    assert ItemChange.objects.get(item=item, kind="delegated").to_level == "city"


def test_it_refuses_delegating_to_the_same_or_a_higher_level(make_item, passport_data, editor, reviewer):
    item = _published(make_item, passport_data, editor, reviewer)
    with pytest.raises(PowersError):
        services.do_delegate_item(
            item,
            on=dt.date(2016, 3, 1),
            document="x",
            to_level="province",
            actor=reviewer,
            expected_version=None,
        )
    assert _history(item) == [("set", dt.date(2004, 7, 1), "吉政发〔2004〕1号")]


def test_it_records_a_document_keeping_then_amending_an_item(make_item, passport_data, editor, reviewer):
    item = _published(make_item, passport_data, editor, reviewer)
    item = services.do_record_item_change(
        item,
        kind="kept",
        on=dt.date(2015, 5, 1),
        document="吉政发〔2015〕8号",
        actor=reviewer,
        expected_version=item.version,
    )
    item = services.do_record_item_change(
        item,
        kind="amended",
        on=dt.date(2017, 9, 1),
        document="吉政发〔2017〕2号",
        actor=reviewer,
        expected_version=item.version,
    )
    assert _history(item) == [
        ("set", dt.date(2004, 7, 1), "吉政发〔2004〕1号"),
        ("kept", dt.date(2015, 5, 1), "吉政发〔2015〕8号"),
        ("amended", dt.date(2017, 9, 1), "吉政发〔2017〕2号"),
    ]
    assert ItemVersion.objects.filter(item=item, is_live=True).exists()  # still in force


def test_it_refuses_recording_a_cancellation_as_a_plain_change(make_item, passport_data, editor, reviewer):
    item = _published(make_item, passport_data, editor, reviewer)
    with pytest.raises(PowersError):
        services.do_record_item_change(
            item,
            kind="cancelled",
            on=dt.date(2015, 5, 1),
            document="x",
            actor=reviewer,
            expected_version=None,
        )
    assert len(_history(item)) == 1


def test_the_public_page_of_a_kept_item_lists_its_history(client, make_item, passport_data, editor, reviewer):
    item = _published(make_item, passport_data, editor, reviewer)
    services.do_record_item_change(
        item,
        kind="kept",
        on=dt.date(2015, 5, 1),
        document="吉政发〔2015〕8号",
        actor=reviewer,
        expected_version=item.version,
    )
    page = client.get("/powers/i/JL-CRJ-001/").content.decode()
    assert "2015-05-01" in page and "吉政发〔2015〕8号" in page and "保留" in page
    assert 'class="ended"' not in page


@pytest.mark.parametrize(("move", "said"), [("cancel", "取消"), ("delegate", "下放")])
def test_the_public_page_of_a_removed_item_says_so_with_date_and_document(
    client, make_item, passport_data, editor, reviewer, move, said
):
    item = _published(make_item, passport_data, editor, reviewer)
    when, doc = dt.date(2016, 3, 1), "吉政发〔2016〕3号"
    if move == "cancel":
        services.do_cancel_item(item, on=when, document=doc, actor=reviewer, expected_version=item.version)
    else:
        services.do_delegate_item(
            item, on=when, document=doc, to_level="county", actor=reviewer, expected_version=item.version
        )
    response = client.get("/powers/i/JL-CRJ-001/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"本事项已于 2016-03-01 依据{doc}{said}" in page
    assert "普通护照签发" in page  # its last published content stays readable
    assert "普通护照签发" not in client.get("/powers/approvals/").content.decode()
