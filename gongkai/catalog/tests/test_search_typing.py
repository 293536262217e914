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


def test_a_title_holding_the_query_ranks_above_summaries_bodies_and_files(make_record, editor):
    import datetime as dt

    from gongkai.catalog.models import Attachment, AttachmentText

    in_file = make_record(status="published", name="工作动态一", summary="", body="<p>无关</p>")
    attachment = Attachment.objects.create(
        record=in_file,
        file="t/a.pdf",
        original_name="附件.pdf",
        extension=".pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=editor,
        uploaded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    AttachmentText.objects.create(
        attachment=attachment, record=in_file, state=AttachmentText.State.DONE, text="护照护照护照护照"
    )
    search.index_records([in_file])
    in_body = make_record(status="published", name="工作动态二", summary="", body="<p>护照。" * 20 + "</p>")
    in_summary = make_record(
        status="published", name="工作动态三", summary="护照护照护照，护照", body="<p>护照护照护照</p>"
    )
    # a long title holding the word once, inside it: bm25 alone put it below the summary's repeats
    in_name = make_record(
        status="published",
        name="关于进一步做好全省出入境证件受理审批工作中普通护照办理有关事项的通知",
        summary="",
        body="<p>详见附件</p>",
    )
    opening = make_record(status="published", name="护照办理须知", summary="", body="<p>详见附件</p>")

    assert ids(search.search("护照")) == [opening.pk, in_name.pk, in_summary.pk, in_body.pk, in_file.pk]


def test_the_record_titled_with_the_query_ranks_first(make_record):
    seed = make_record(
        status="published", name="延吉口岸签证业务启动新闻发布会", summary="", body="<p>发布会。</p>"
    )
    for i in range(6):
        make_record(
            status="published",
            name=f"转发延吉口岸签证{i}",  # shorter than the seed's title: bm25 alone ranks these higher
            summary="延吉口岸签证业务正式启动。延吉口岸签证",
            body="<p>" + "延吉口岸签证业务。" * 5 + "</p>",
        )
    for i in range(20):  # so that the phrase is rare, as in a real catalog (bm25's idf)
        make_record(status="published", name=f"交通安全提示{i}", summary="", body="<p>减速慢行</p>")
    result = search.search("延吉口岸签证")
    assert result.total == 7
    assert ids(result)[0] == seed.pk


def test_date_order_is_newest_publication_first_with_the_same_total(make_record):
    import datetime as dt

    from gongkai.catalog.models import Record

    made = [make_record(status="published", name=f"通知{i}", summary="", body="<p>户籍办理</p>") for i in range(5)]
    named = make_record(status="published", name="户籍办理指南", summary="", body="<p>正文</p>")
    base = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    # publication order differs from id order
    for days, record in zip((5, 1, 4, 2, 3, 0), [*made, named], strict=True):
        Record.objects.filter(pk=record.pk).update(published_at=base + dt.timedelta(days=days))
    newest = [made[0].pk, made[2].pk, made[4].pk, made[3].pk, made[1].pk, named.pk]

    by_relevance = search.search("户籍")
    by_date = search.search("户籍", order=search.DATE)
    assert ids(by_relevance)[0] == named.pk
    assert ids(by_date) == newest
    assert by_date.total == by_relevance.total == 6
    assert ids(search.search("户籍", order=search.DATE, offset=2, limit=2)) == newest[2:4]
    assert set(by_date.ids or []) == set(newest)
