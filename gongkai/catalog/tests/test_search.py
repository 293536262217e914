"""Stories of the catalog search: a person types what they remember and finds every record with it."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command

from gongkai.catalog import search
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Record

pytestmark = pytest.mark.django_db


def ids(result: search.SearchResult) -> list[int]:
    return [h.record_id for h in result.hits]


def test_it_finds_two_character_words(make_record):
    visa = make_record(status="published", name="关于口岸签证业务的通告", summary="", body="<p>办理须知</p>")
    household = make_record(
        status="published", name="便民措施", summary="户籍迁移可网上办理。", body="<p>详见附件</p>"
    )
    make_record(status="published", name="交通安全提示", summary="雨天路滑", body="<p>减速慢行</p>")

    assert ids(search.search("签证")) == [visa.pk]
    assert ids(search.search("户籍")) == [household.pk]
    assert search.search("签证").total == 1


def test_it_finds_longer_phrases_only_as_exact_substrings(make_record):
    hit = make_record(status="published", name="出入境管理局通知", summary="", body="<p>出入境证件办理</p>")
    # every bigram of 出入境证件 appears in `split`, but never in a row
    make_record(status="published", name="出入境事项", summary="境证明，证件遗失", body="<p>入境</p>")

    assert ids(search.search("出入境证件")) == [hit.pk]
    assert ids(search.search("境证")) != []


def test_a_phrase_does_not_run_across_punctuation(make_record):
    make_record(status="published", name="通知", summary="签证，业务量增加", body="<p>无</p>")
    assert search.search("签证业务").total == 0
    assert search.search("签证，业务").total == 1


def test_name_matches_rank_above_body_matches(make_record):
    in_body = make_record(status="published", name="工作动态", summary="", body="<p>本周办理护照三百本。</p>")
    in_name = make_record(status="published", name="护照办理指南", summary="", body="<p>携带身份证件。</p>")

    assert ids(search.search("护照")) == [in_name.pk, in_body.pk]
    hits = search.search("护照").hits
    assert hits[0].rank > hits[1].rank


def test_every_term_must_match(make_record):
    both = make_record(status="published", name="签证办理", summary="延吉口岸", body="<p>正文</p>")
    make_record(status="published", name="签证办理", summary="珲春口岸", body="<p>正文</p>")

    assert ids(search.search("签证 延吉")) == [both.pk]
    assert ids(search.search("签证\u3000延吉")) == [both.pk]


def test_one_character_terms_match_anywhere(make_record):
    first = make_record(status="published", name="警", summary="", body="<p>无</p>")
    middle = make_record(status="published", name="交警提示", summary="", body="<p>无</p>")
    last = make_record(status="published", name="一般通知", summary="", body="<p>民警</p>")
    make_record(status="published", name="通知", summary="", body="<p>无</p>")

    assert set(ids(search.search("警"))) == {first.pk, middle.pk, last.pk}


def test_ascii_and_digits_ignore_case(make_record):
    rec = make_record(
        status="published", name="APP 上线", summary="电话0431-82098251", body="<p>Gongkai v2 WeChat</p>"
    )
    assert ids(search.search("app")) == [rec.pk]
    assert ids(search.search("wechat")) == [rec.pk]
    assert ids(search.search("WECHAT 上线")) == [rec.pk]
    assert ids(search.search("0431-82098251")) == [rec.pk]
    assert ids(search.search("0431")) == [rec.pk]
    assert search.search("0431-9").total == 0
    # a term of punctuation only is dropped: nothing is left to look for
    assert search.search("-").total == 0
    assert search.search("%").total == 0


def test_filters_narrow_the_results(make_record, departments):
    from gongkai.catalog.models import Category

    other_category = Category.objects.get(code="policy-other")
    a = make_record(status="published", name="签证通知甲", formed_on=dt.date(2015, 3, 1))
    b = make_record(
        status="published", name="签证通知乙", formed_on=dt.date(2016, 3, 1), category=other_category
    )
    c = make_record(status="published", name="签证通知丙", formed_on=dt.date(2015, 12, 31))
    Record.objects.filter(pk=c.pk).update(department=departments["traffic"])  # filters read the record

    assert set(ids(search.search("签证", year=2015))) == {a.pk, c.pk}
    assert ids(search.search("签证", category_ids=[other_category.pk])) == [b.pk]
    assert ids(search.search("签证", department_id=departments["traffic"].pk)) == [c.pk]
    assert search.search("签证", year=2014).total == 0


def test_withdrawn_and_unpublished_records_are_never_found(make_record):
    make_record(status="draft", name="签证草稿")
    make_record(status="approved", name="签证待发布")
    withdrawn = make_record(status="withdrawn", name="签证已撤回")
    assert search.search("签证已撤回").total == 0
    assert search.search("签证").total == 0
    assert Record.objects.get(pk=withdrawn.pk).status == Status.WITHDRAWN


def test_snippets_are_escaped_and_marked(make_record):
    make_record(
        status="published",
        name="<b>签证</b> & 通知",
        summary="",
        body="<p>正文提到&lt;script&gt;alert('签证')&lt;/script&gt;以及更多内容。</p>",
    )
    hit = search.search("签证").hits[0]
    assert hit.name_html == "&lt;b&gt;<mark>签证</mark>&lt;/b&gt; &amp; 通知"
    assert "<script" not in hit.snippet_html
    assert "<mark>签证</mark>" in hit.snippet_html
    assert hit.snippet_html.count("<mark>") == 1


def test_snippet_is_around_the_first_match(make_record):
    body = "无关内容。" * 60 + "本次重点是户籍制度改革。" + "其他内容。" * 60
    make_record(status="published", name="工作通报", summary="", body=f"<p>{body}</p>")
    snippet = search.search("户籍").hits[0].snippet_html
    assert "<mark>户籍</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 200


def test_paging_is_stable_and_complete(make_record):
    made = {make_record(status="published", name=f"签证通知第{i}号").pk for i in range(7)}
    first = search.search("签证", limit=4)
    second = search.search("签证", offset=4, limit=4)
    assert first.total == 7
    assert set(ids(first)) | set(ids(second)) == made
    assert not set(ids(first)) & set(ids(second))


def test_reindex_rebuilds_from_published_records(make_record, capsys):
    rec = make_record(status="published", name="护照办理")
    make_record(status="withdrawn", name="护照作废")
    search.clear_index()
    assert search.search("护照").total == 0
    call_command("reindex")
    assert ids(search.search("护照")) == [rec.pk]
    assert "1/1" in capsys.readouterr().out


def test_rebuild_in_small_batches_takes_out_what_a_service_indexed_meanwhile(make_record, monkeypatch):
    from gongkai.catalog import search_bulk

    made = {make_record(status="published", name=f"户籍证明{i}").pk for i in range(5)}
    # As if each record had been published (and indexed by its service) after the index was emptied.
    monkeypatch.setattr(search, "clear_index", lambda: None)
    assert search_bulk.rebuild(batch=2) == 5
    assert set(ids(search.search("户籍证明", limit=20))) == made
    assert search.search("户籍证明").total == 5


def test_rebuild_does_not_merge_while_loading_and_merges_as_usual_after(make_record):
    from django.db import connection

    from gongkai.catalog import search_bulk

    if connection.vendor != "sqlite":
        pytest.skip("FTS5's merge settings")
    from gongkai.catalog.search.base import FTS_TABLE, NAME_TABLE

    def merging() -> dict[str, int]:
        with connection.cursor() as cursor:
            out = {}
            for table in (FTS_TABLE, NAME_TABLE):
                cursor.execute(f"SELECT k, v FROM {table}_config WHERE k IN ('automerge', 'crisismerge')")  # noqa: S608
                out.update({f"{table}.{k}": v for k, v in cursor.fetchall()})
            return out

    for i in range(3):
        make_record(status="published", name=f"居住证{i}")
    seen: list[dict[str, int]] = []
    search_bulk.rebuild(batch=1, progress=lambda done, total: seen.append(merging()))
    assert len(seen) == 3
    assert all(set(s.values()) <= {0, 64} and len(s) == 4 for s in seen), seen
    after = merging()
    assert after == {
        f"{t}.{k}": v for t in (FTS_TABLE, NAME_TABLE) for k, v in (("automerge", 4), ("crisismerge", 16))
    }
    assert search.search("居住证").total == 3


def test_indexing_twice_does_not_duplicate(make_record):
    rec = make_record(status="published", name="护照办理")
    search.index_records([rec, rec])
    search.index_records([rec])
    assert search.search("护照").total == 1
    search.unindex_record(rec.pk)
    assert search.search("护照").total == 0


ALPHABET = "签证户籍警民交通安全办理，。Aa1-"


def assert_finds_what_a_substring_scan_finds(records, queries):
    """Every query finds exactly the records holding each of its terms as a substring."""
    for query in queries:
        terms = [search.ascii_lower(t) for t in search.parse_terms(query)]
        expected = {
            r.pk
            for r in records
            if terms  # a query of punctuation only has none: it finds nothing
            and all(t in search.ascii_lower(f"{r.name}\x00{r.summary}\x00{r.body_text}") for t in terms)
        }
        result = search.search(query, limit=100)
        assert set(ids(result)) == expected, query
        assert result.total == len(expected), query


def test_recall_and_precision_equal_a_substring_scan(make_record):
    rng = random.Random(2015)

    def text(n):
        return "".join(rng.choice(ALPHABET) for _ in range(n))

    records = [
        make_record(status="published", name=text(8), summary=text(20), body=f"<p>{text(40)}</p>")
        for _ in range(25)
    ]
    records = list(Record.objects.filter(pk__in=[r.pk for r in records]))
    queries = [text(rng.randint(1, 4)) for _ in range(120)]
    queries += [text(2) + " " + text(1) for _ in range(30)]
    assert_finds_what_a_substring_scan_finds(records, queries)


def test_very_common_terms_rank_a_bounded_candidate_set(make_record, monkeypatch):
    monkeypatch.setattr(search.base, "TOTAL_CAP", 3)
    in_name = make_record(status="published", name="公安工作通知", summary="", body="<p>无</p>")
    others = [
        make_record(status="published", name=f"通知{i}", summary="", body="<p>公安机关</p>") for i in range(5)
    ]

    result = search.search("公安", limit=2)
    assert result.total_capped and result.total == 3
    assert ids(result)[0] == in_name.pk  # found through the name even though it is the oldest
    assert set(ids(search.search("公安", offset=1, limit=2))) <= {r.pk for r in others}


@pytest.fixture
def small_buckets(monkeypatch):
    """PostgreSQL reads common terms recency bucket by bucket; tiny buckets exercise that walk."""
    monkeypatch.setattr(search.postgres, "BUCKET_SHIFT", 1)
    monkeypatch.setattr(search.postgres, "COARSE_SHIFT", 3)
    monkeypatch.setattr(search.postgres, "FINE_MAX_SPAN", 2)


def test_recall_is_exact_when_the_index_is_read_bucket_by_bucket(make_record, small_buckets):
    rng = random.Random(41)

    def text(n):
        return "".join(rng.choice(ALPHABET) for _ in range(n))

    records = [
        make_record(status="published", name=text(6), summary=text(12), body=f"<p>{text(30)}</p>")
        for _ in range(40)
    ]
    records = list(Record.objects.filter(pk__in=[r.pk for r in records]))
    queries = [text(rng.randint(1, 4)) for _ in range(60)] + [text(2) + " " + text(1) for _ in range(15)]
    assert_finds_what_a_substring_scan_finds(records, queries)


def test_a_very_common_term_gives_a_capped_page_newest_first_with_old_name_matches_on_top(
    make_record, monkeypatch, small_buckets
):
    monkeypatch.setattr(search.base, "TOTAL_CAP", 5)
    monkeypatch.setattr(search.base, "BM25_MAX", 5)
    records = [
        make_record(
            status="published",
            name="公安工作通知" if i in (1, 3) else f"通知{i}",
            summary="",
            body="<p>公安机关</p>",
        )
        for i in range(20)
    ]
    make_record(status="withdrawn", name="公安已撤回", summary="", body="<p>公安</p>")
    newest = [r.pk for r in reversed(records)]

    first = search.search("公安", limit=3)
    assert first.total_capped and first.total == 5
    assert ids(first) == [records[3].pk, records[1].pk, newest[0]]
    assert ids(search.search("公安", offset=3, limit=3)) == newest[1:4]


def test_a_common_term_with_a_filter_and_a_recheck_keeps_exact_matches_newest_first(
    make_record, departments, monkeypatch, small_buckets
):
    monkeypatch.setattr(search.base, "TOTAL_CAP", 4)
    monkeypatch.setattr(search.base, "BM25_MAX", 4)
    traffic = departments["traffic"]
    records = []
    for i in range(24):
        # "出入 … 入境" holds both bigrams of 出入境 but not the word: the index matches, the re-check does not
        body = "<p>办理出入境证件</p>" if i % 3 else "<p>出入口，入境处</p>"
        records.append(make_record(status="published", name=f"通知{i}", summary="", body=body))
    in_traffic = [r.pk for r in records[::2]]
    Record.objects.filter(pk__in=in_traffic).update(department=traffic)
    expected = [r.pk for r in reversed(records) if r.pk in in_traffic and r.body_text.startswith("办理")]

    result = search.search("出入境", department_id=traffic.pk, limit=3)
    assert result.total_capped and result.total == 4
    assert ids(result) == expected[:3]
    assert set(search.matching_ids("出入境", department_id=traffic.pk)) == set(expected)


def test_a_common_term_is_tiered_from_the_index_and_checked_against_the_rows_at_query_time(
    make_record, monkeypatch
):
    """More than BM25_MAX matches: the field tiers come from the index's column filters (no row
    read) and the page's rows are checked: a record the index still holds but no longer published
    is never shown, nor counted."""
    monkeypatch.setattr(search.base, "BM25_MAX", 3)
    bodies = [
        make_record(status="published", name=f"通知{i}", summary="", body="<p>办理签证</p>") for i in range(8)
    ]
    in_summary = make_record(status="published", name="一份通知", summary="签证须知", body="<p>无</p>")
    in_name = make_record(status="published", name="签证办理通知", summary="", body="<p>无</p>")
    stale = make_record(status="published", name="签证业务暂停的通知", summary="签证", body="<p>签证</p>")
    Record.objects.filter(pk=stale.pk).update(status="withdrawn")  # behind the services' back

    found = search.search("签证", limit=4)

    assert not found.total_capped and found.total == 10
    assert ids(found) == [in_name.pk, in_summary.pk, bodies[-1].pk, bodies[-2].pk]
    assert stale.pk not in ids(search.search("签证", limit=20))
