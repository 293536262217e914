"""The search stories again on the tantivy engine (SEARCH_ENGINE = "tantivy"), and what is its own:
the query-time check, several writers, the reindex switch, writes after the commit.

Every test of test_search.py and test_search_page.py (and the import's search test) is collected here a second time (imported
below) with the engine set and a fresh index directory per test: database rollbacks do not roll
tantivy back, and SQLite reuses ids, so no index may outlive its test."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import transaction

from gongkai.catalog import search, search_bulk
from gongkai.catalog.models import Record
from gongkai.catalog.search import tantivy_engine
from gongkai.catalog.tests.test_import import (  # noqa: F401  (the import indexes through the engine)
    run,
    test_published_rows_are_searchable_and_drafts_are_not,
)
from gongkai.catalog.tests.test_search import *  # noqa: F403  (the stories, collected again here)
from gongkai.catalog.tests.test_search import ids
from gongkai.catalog.tests.test_search_page import (
    test_it_cuts_the_same_snippets_in_sql_as_from_the_whole_texts,  # noqa: F401
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tantivy_index(settings, tmp_path):
    """The tantivy engine on an index of this test's own."""
    settings.SEARCH_ENGINE = "tantivy"
    settings.SEARCH_TANTIVY_DIR = str(tmp_path / "search-tantivy")
    yield Path(settings.SEARCH_TANTIVY_DIR)
    tantivy_engine._opened.clear()
    tantivy_engine._stamps.clear()


@pytest.fixture(autouse=True)
def _tantivy(tantivy_index, monkeypatch):
    """Writes at once: a test's transaction is rolled back, never committed (the commit hook has
    its own test below)."""
    monkeypatch.setattr(tantivy_engine, "after_commit", lambda fn: fn())


def test_rebuild_does_not_merge_while_loading_and_merges_as_usual_after():  # type: ignore[no-redef]
    pytest.skip("FTS5's merge settings")


def test_a_common_term_with_a_filter_and_a_recheck_keeps_exact_matches_newest_first(  # type: ignore[no-redef]
    make_record, departments, monkeypatch
):
    """As in test_search, but the department is changed through the index too: a common query
    (more than BM25_MAX matches) is narrowed by the index's filter fields, which a change made
    outside the services leaves stale until it is indexed again (`gongkai reindex`)."""
    monkeypatch.setattr(search.base, "TOTAL_CAP", 4)
    monkeypatch.setattr(search.base, "BM25_MAX", 4)
    traffic = departments["traffic"]
    records = []
    for i in range(24):
        body = "<p>办理出入境证件</p>" if i % 3 else "<p>出入口，入境处</p>"
        records.append(make_record(status="published", name=f"通知{i}", summary="", body=body))
    in_traffic = [r.pk for r in records[::2]]
    Record.objects.filter(pk__in=in_traffic).update(department=traffic)
    search.index_records(Record.objects.filter(pk__in=in_traffic))
    expected = [r.pk for r in reversed(records) if r.pk in in_traffic and r.body_text.startswith("办理")]

    result = search.search("出入境", department_id=traffic.pk, limit=3)
    assert result.total_capped and result.total == 4
    assert ids(result) == expected[:3]
    assert set(search.matching_ids("出入境", department_id=traffic.pk)) == set(expected)


def test_engine_is_tantivy():
    assert search.backend() is tantivy_engine


# --------------------------------------------------------------------------------------------
# The database decides


def test_a_withdrawn_record_the_index_still_holds_is_never_shown(make_record, monkeypatch):
    kept = make_record(status="published", name="护照办理指南")
    gone = make_record(status="published", name="护照遗失补办")
    # Withdrawn behind the index's back (as if the worker died between the commit and the write).
    Record.objects.filter(pk=gone.pk).update(status="withdrawn")
    assert gone.pk in tantivy_engine.indexed_ids()

    assert ids(search.search("护照")) == [kept.pk]
    assert search.search("护照").total == 1
    assert search.matching_ids("护照") == [kept.pk]
    assert tantivy_engine.reconcile() == (0, 1)
    assert gone.pk not in tantivy_engine.indexed_ids()


def test_a_common_query_reads_more_candidates_when_the_check_drops_some(make_record, monkeypatch):
    monkeypatch.setattr(search.base, "TOTAL_CAP", 3)
    monkeypatch.setattr(search.base, "BM25_MAX", 2)
    made = [make_record(status="published", name=f"通知{i}", body="<p>户籍证明</p>") for i in range(8)]
    newest = [r.pk for r in reversed(made)]
    Record.objects.filter(pk__in=newest[:4]).update(status="withdrawn")  # the index still holds them

    result = search.search("户籍", limit=2)
    assert result.total_capped and result.total == 3
    assert ids(result) == newest[4:6]
    assert set(search.matching_ids("户籍")) == set(newest[4:])


def test_a_publish_is_indexed_when_its_transaction_commits(
    make_record, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.undo()  # the real commit hook
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rec = make_record(status="published", name="居住证办理")
    assert search.search("居住证").total == 0  # not before the commit
    for callback in callbacks:
        callback()
    assert ids(search.search("居住证")) == [rec.pk]


def test_a_publish_rolled_back_is_never_indexed(make_record, monkeypatch):
    monkeypatch.undo()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_record(status="published", name="临时身份证")
        raise RuntimeError
    assert tantivy_engine.indexed_ids() == set()
    assert search.search("身份证").total == 0


# --------------------------------------------------------------------------------------------
# Several writers


WRITER = """
import sys
import django
django.setup()
from pathlib import Path
from gongkai.catalog.search import tantivy_engine
top, first, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
for pk in range(first, first + count):  # one commit each, as services publishing
    tantivy_engine.commit([(pk, f"公告{pk}", "", "户籍迁移", "", 1, 1, 2026, 0)], [], top=top)
"""


def test_two_processes_write_at_once_and_both_land(tantivy_index, tmp_path):
    tantivy_engine.current_dir(tantivy_index)  # made once, before the writers start
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "GONGKAI_DATA_DIR": str(tmp_path / "data"),
    }
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tantivy_index), str(start), "15"], env=env)
        for start in (1, 1001)
    ]
    assert [p.wait(120) for p in procs] == [0, 0]  # no LockBusy escaped
    want = set(range(1, 16)) | set(range(1001, 1016))
    assert tantivy_engine.indexed_ids() == want


def test_two_threads_write_at_once_and_both_land(tantivy_index):
    errors: list[BaseException] = []

    def write(start: int) -> None:
        try:
            for pk in range(start, start + 10):
                tantivy_engine.commit([(pk, "通知", "", "签证", "", 1, 1, 2026, 0)], [])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in (1, 101)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert tantivy_engine.indexed_ids() == set(range(1, 11)) | set(range(101, 111))


# --------------------------------------------------------------------------------------------
# The reindex switch


def test_reindex_switches_to_a_new_directory_and_search_answers_all_the_while(
    make_record, reviewer, tantivy_index
):
    from gongkai.catalog import services

    old = [make_record(status="published", name=f"出入境证件{i}") for i in range(4)]
    before = tantivy_engine.current_dir()
    during: list[int] = []
    meanwhile: list[int] = []

    def progress(done: int, total: int) -> None:
        during.append(search.search("出入境证件").total)  # the old index answers
        if not meanwhile:
            # Once the first record is in the new index: it is withdrawn, another is published;
            # both go to the index in use (the old one).
            first = Record.objects.get(pk=old[0].pk)
            services.do_withdraw_record(
                first, actor=reviewer, reason="已失效", expected_version=first.version
            )
            meanwhile.append(make_record(status="published", name="出入境证件新").pk)

    assert search_bulk.rebuild(batch=1, progress=progress) == 5
    after = tantivy_engine.current_dir()
    assert after != before and not before.exists()
    assert (tantivy_index / "CURRENT").read_text().strip() == after.name
    assert during[0] == 4 and all(n >= 4 for n in during)
    # The reconcile at the switch took out the record withdrawn during the rebuild.
    want = {r.pk for r in old[1:]} | set(meanwhile)
    assert tantivy_engine.indexed_ids() == want
    assert set(ids(search.search("出入境证件"))) == want


def test_reconcile_indexes_a_published_record_the_index_lost(make_record):
    rec = make_record(status="published", name="驾驶证换领")
    tantivy_engine.commit([], [rec.pk])  # as if the process died between the commit and the write
    assert search.search("驾驶证").total == 0
    assert tantivy_engine.reconcile() == (1, 0)
    assert ids(search.search("驾驶证")) == [rec.pk]
