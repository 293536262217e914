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

    made = [
        make_record(status="published", name=f"通知{i}", summary="", body="<p>户籍办理</p>") for i in range(5)
    ]
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


# --------------------------------------------------------------------------------------------
# The search page

SEARCH = "/catalog/search/"


def page(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response.content.decode()


def test_an_index_number_goes_straight_to_its_record(client, make_record):
    rec = make_record(status="published", name="护照办理指南")
    make_record(status="published", name="其他", body=f"<p>见{rec.index_number}</p>")
    for typed in (rec.index_number, f" {rec.index_number}。", rec.index_number.replace("2015", "２０１５")):
        response = client.get(SEARCH, {"q": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == rec.get_absolute_url()


def test_a_withdrawn_records_index_number_is_searched_as_text(client, make_record):
    gone = make_record(status="withdrawn", name="护照作废")
    response = client.get(SEARCH, {"q": gone.index_number})
    assert response.status_code == 200


def test_a_document_number_goes_straight_to_its_record_however_its_brackets_are_typed(client, make_record):
    rec = make_record(status="published", name="关于口岸签证的通告", doc_number="吉公发〔2015〕12号")
    make_record(status="published", name="解读", body="<p>《关于口岸签证的通告》（吉公发〔2015〕12号）</p>")
    for typed in (
        "吉公发〔2015〕12号",
        "吉公发[2015]12号",
        "吉公发(2015)12号",
        "吉公发（2015）12号",
        "吉公发【2015】12号",
        "吉公发［２０１５］１２号",
        "吉公发〔2015〕第12号",
        "吉公发〔2015〕12",
        " 吉公发 [2015] 12号 ",
    ):
        response = client.get(SEARCH, {"q": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == rec.get_absolute_url(), typed
    # not another number of the same year
    assert client.get(SEARCH, {"q": "吉公发〔2015〕1号"}).status_code == 200


def test_a_document_number_shared_by_two_records_lists_them(client, make_record):
    make_record(status="published", name="通告甲", doc_number="吉公通〔2015〕7号")
    make_record(status="published", name="通告乙", doc_number="吉公通[2015]7号")
    assert client.get(SEARCH, {"q": "吉公通〔2015〕7号"}).status_code == 200


def test_a_department_name_offers_the_departments_whole_list(client, make_record, departments):
    exit_entry = departments["exit_entry"]
    make_record(status="published", name="通知", body="<p>出入境管理局提示</p>")
    make_record(status="published", name="护照办理")  # the department's, without its name in the text
    html = page(client, q="出入境管理局")
    assert "“出入境管理局”是责任部门的名称" in html
    assert f'href="/catalog/?department={exit_entry.pk}"' in html
    assert "出入境管理局公开的全部信息（2 条）" in html
    assert "找到 1 条结果" in html
    html = page(client, q="交通管理局")  # no published record: nothing to offer
    assert "是责任部门的名称" not in html


def test_words_with_no_record_in_common_show_each_words_records(client, make_record):
    make_record(status="published", name="签证办理", summary="", body="<p>延吉口岸</p>")
    make_record(status="published", name="户籍迁移", summary="", body="<p>珲春</p>")
    html = page(client, q="签证 珲春", year="2015")
    assert "找到 0 条结果" in html
    assert "没有同时包含“签证”、“珲春”的信息" in html
    assert "含有“签证”的信息（1 条）" in html and "含有“珲春”的信息（1 条）" in html
    assert "只搜“签证”" in html
    assert 'href="?q=%E7%AD%BE%E8%AF%81&amp;year=2015"' in html  # 只搜 keeps the filters
    assert "<mark>签证</mark>办理" in html
    html = page(client, q="签证 延吉")
    assert "没有同时包含" not in html


def test_the_sort_control_switches_and_is_kept_in_paging_links(client, make_record, monkeypatch):
    from gongkai.catalog.views import public

    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    for i in range(5):
        make_record(status="published", name=f"签证通知{i}")
    html = page(client, q="签证")
    assert '<strong aria-current="true">相关度</strong>' in html
    assert 'href="?q=%E7%AD%BE%E8%AF%81&amp;sort=date"' in html
    html = page(client, q="签证", sort="date")
    assert '<strong aria-current="true">发布日期（新的在前）</strong>' in html
    assert 'href="?q=%E7%AD%BE%E8%AF%81&amp;sort=date&amp;page=2"' in html
    assert '<input type="hidden" name="sort" value="date">' in html  # kept by the filter form
    assert "page=2" in html
    page(client, q="签证", sort="nonsense")  # an unknown order is the default


def test_counts_per_filter_value_are_shown_for_the_current_query(
    client, make_record, departments, monkeypatch
):
    import datetime as dt

    from gongkai.catalog import search as search_package
    from gongkai.catalog.models import Category, Record

    other = Category.objects.get(code="policy-other")
    plain = {"summary": "", "body": "<p>正文</p>"}
    make_record(status="published", name="签证甲", formed_on=dt.date(2015, 3, 1), **plain)
    make_record(status="published", name="签证乙", formed_on=dt.date(2016, 3, 1), category=other, **plain)
    c = make_record(status="published", name="签证丙", formed_on=dt.date(2015, 5, 1), **plain)
    make_record(status="published", name="户籍", formed_on=dt.date(2014, 5, 1), **plain)
    Record.objects.filter(pk=c.pk).update(department=departments["traffic"])

    html = page(client, q="签证")
    assert ">2015（2）</option>" in html and ">2016（1）</option>" in html and ">2014（0）</option>" in html
    assert ">交通管理局（1）</option>" in html and ">出入境管理局（2）</option>" in html
    assert f"{other.display_name}（1）</option>" in html
    # a chosen year: the other filters count within it, the years still count without it
    html = page(client, q="签证", year="2015")
    assert ">2016（1）</option>" in html
    assert ">出入境管理局（1）</option>" in html and ">交通管理局（1）</option>" in html
    assert "找到 2 条结果" in html
    # beyond the cap no counts are computed
    monkeypatch.setattr(search_package.base, "TOTAL_CAP", 2)
    html = page(client, q="签证")
    assert "（1）</option>" not in html and "（2）</option>" not in html


@pytest.mark.django_db
def test_the_document_number_lookup_uses_an_index_not_a_scan_of_the_catalog():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.catalog.search import lookup

    with CaptureQueriesContext(connection) as captured:
        assert lookup.named_record("吉公发〔2015〕12号") is None
    (sql,) = [q["sql"] for q in captured.captured_queries if "doc_number" in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "record_status_docno" in plan, plan
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "record_status_docno" in plan, plan
