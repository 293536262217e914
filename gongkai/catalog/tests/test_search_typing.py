"""Search as people type: punctuation and full-width forms in the query, numbers that name one
record, department names, words with no record in common, sorting and counts beside the filters."""

from __future__ import annotations

import pytest

from gongkai.catalog import search
from gongkai.catalog.search import text

pytestmark = pytest.mark.django_db


def ids(result: search.SearchResult) -> list[int]:
    return [h.record_id for h in result.hits]


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("签证?", ["签证"]),
        ("签证？", ["签证"]),
        ("（签证）", ["签证"]),
        ("(签证", ["签证"]),
        ("签证。", ["签证"]),
        ("“签证”！", ["签证"]),
        ("《签证》 【户籍】", ["签证", "户籍"]),
        ("ＡＢＣ１２３", ["ABC123"]),
        ("0431-82098251", ["0431-82098251"]),
        ("吉公发〔2015〕12号", ["吉公发〔2015〕12号"]),
        ("签证，业务", ["签证，业务"]),
        ("C++", ["C++"]),
        ("- 。 ？", []),
        ("签证 签证。", ["签证"]),
    ],
)
def test_terms_lose_the_punctuation_around_them_and_full_width_letters_and_digits(typed, searched):
    assert text.parse_terms(typed) == searched


def test_punctuation_typed_around_a_word_finds_what_the_word_finds(make_record):
    visa = {
        make_record(status="published", name="关于口岸签证业务的通告", summary="", body="<p>办理须知</p>").pk,
        make_record(status="published", name="通知", summary="", body="<p>（签证）材料。签证？</p>").pk,
    }
    make_record(status="published", name="交通安全提示", summary="雨天路滑", body="<p>减速慢行</p>")
    assert set(ids(search.search("签证"))) == visa
    for typed in ("签证?", "（签证）", "(签证", "签证。", "“签证”", " 签证， "):
        result = search.search(typed)
        assert set(ids(result)) == visa, typed
        assert result.total == 2, typed


def test_full_width_letters_and_digits_in_the_query_find_their_ascii_forms(make_record):
    rec = make_record(
        status="published", name="ABC123 系统上线", summary="电话0431-82098251", body="<p>正文</p>"
    )
    assert ids(search.search("ＡＢＣ１２３")) == [rec.pk]
    assert ids(search.search("ａｂｃ")) == [rec.pk]
    assert ids(search.search("０４３１-82098251")) == [rec.pk]
    assert ids(search.search("0431-82098251。")) == [rec.pk]


def test_inner_punctuation_still_decides(make_record):
    rec = make_record(status="published", name="通知", summary="签证，业务量增加", body="<p>无</p>")
    assert search.search("签证业务").total == 0
    assert ids(search.search("签证，业务")) == [rec.pk]
    assert ids(search.search("（签证，业务）")) == [rec.pk]


def test_a_query_of_punctuation_only_finds_nothing(make_record):
    make_record(status="published", name="通知", summary="？。（）", body="<p>-</p>")
    for typed in ("？", "。", "（）", "-", "? ! 。"):
        assert search.search(typed).total == 0, typed
