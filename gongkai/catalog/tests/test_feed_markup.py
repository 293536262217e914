"""A summary in the Atom feed is text: no feed reader turns it into live markup."""

import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("summary", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">'])
def test_it_sends_a_markup_summary_as_escaped_text(make_record, client, settings, summary):
    settings.PUBLIC_CACHE_SECONDS = 0
    make_record("published", summary=summary)
    feed = client.get("/catalog/c/policy/feed.atom")
    assert feed.status_code == 200
    body = feed.content.decode()
    assert 'type="html"' not in body
    assert "<script>" not in body and "<img" not in body
    element = ET.fromstring(feed.content).find(f"{ATOM}entry/{ATOM}summary")  # noqa: S314 - our own feed
    assert element is not None and element.get("type") == "text"
    assert element.text == summary  # the words as written, shown as words
