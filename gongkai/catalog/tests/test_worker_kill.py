"""A real worker (`gongkai run_huey`) killed with SIGKILL in the middle of a catalog import and of
the work that follows a publication (issue 12's fault suite): afterwards everything is done
exactly once, or nothing is. The worker pauses at a named point (worker_kill_settings.py) and is
killed there."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai.core.tests.test_jobs_worker import GONGKAI, Site, worker_env

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("real-worker")]

SETTINGS = "gongkai.catalog.tests.worker_kill_settings"
ROWS = 300
SETUP = "from gongkai.catalog.tests.worker_kill_setup import "


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    folder: Path = tmp_path_factory.mktemp("catalog-worker")
    env = {**worker_env(folder, "unused"), "DJANGO_SETTINGS_MODULE": SETTINGS}
    subprocess.run([GONGKAI, "migrate", "-v", "0"], env=env, check=True, timeout=180)
    return folder


def make_site(migrated: Path, folder: Path, point: str) -> Site:
    for name in ("gongkai.sqlite3", "secret_key", "data_keys.json"):
        if (migrated / name).exists():
            shutil.copy(migrated / name, folder / name)
    site = Site(folder)
    site.env.update(DJANGO_SETTINGS_MODULE=SETTINGS, GONGKAI_TEST_PAUSE_AT=point)
    return site


@pytest.fixture
def import_site(migrated, tmp_path) -> Iterator[Site]:
    site = make_site(migrated, tmp_path, "import.index")
    yield site
    site.stop()


def shell(site: Site, code: str) -> str:
    out = subprocess.run(
        [GONGKAI, "shell", "-c", code], env=site.env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def run_id(out: str) -> int:
    return int(next(line for line in out.splitlines() if line.startswith("run ")).split()[1])


def test_an_import_killed_midway_leaves_nothing_and_the_rerun_imports_every_row_once(import_site):
    site = import_site
    site.start_worker()
    run = run_id(
        shell(site, f"from gongkai.catalog.tests.worker_kill_setup import start_import; start_import({ROWS})")
    )
    # The records, transitions, publications and events are written; the index is next.
    site.wait_for("the import to reach the index", lambda: (site.folder / "paused-import.index").exists(), 60)
    site.kill_worker()

    assert site.run(run)["state"] == "running"  # the run remembers; Huey forgot the task
    assert site.rows("SELECT count(*) FROM catalog_record") == [(0,)]  # nothing half-imported
    assert site.rows("SELECT count(*) FROM catalog_importoutcome") == [(0,)]
    assert site.rows("SELECT count(*) FROM catalog_search_doc") == [(0,)]
    assert site.rows("SELECT last FROM catalog_indexsequence") in ([], [(0,)])  # no number used up
    # The page still says the import is under way (the sweep has not run yet): nothing reported.
    page = shell(site, SETUP + f"import_page; import_page({run})")
    assert "status 200" in page and "running True" in page and "report False" in page
    held = list((site.folder / "import-staging").glob("*.importing"))
    assert len(held) == 1  # kept for the re-run

    site.start_worker()  # its sweep at start re-queues the dead worker's run
    site.wait_for("the import to finish", lambda: site.run(run)["state"] == "done", 60)
    done = site.run(run)
    assert (done["attempts"], done["done"], done["total"]) == (2, ROWS, ROWS)
    assert not held[0].exists()

    numbers = [n for (n,) in site.rows("SELECT index_number FROM catalog_record ORDER BY index_number")]
    assert len(numbers) == len(set(numbers)) == ROWS  # every row once
    assert [int(n[-5:]) for n in numbers] == list(range(1, ROWS + 1))  # no gap: the killed try used none
    assert site.rows("SELECT last FROM catalog_indexsequence") == [(ROWS,)]
    published = ROWS // 2
    assert site.rows("SELECT count(*) FROM catalog_record WHERE status = 'published'") == [(published,)]
    assert site.rows("SELECT count(*) FROM catalog_publication") == [(published,)]
    assert site.rows("SELECT count(*) FROM catalog_recordtransition") == [(published,)]
    events = site.rows("SELECT count(*) FROM core_auditevent WHERE action = 'catalog.record.imported'")
    assert events == [(ROWS,)]
    assert site.rows("SELECT count(*) FROM core_auditevent WHERE action = 'catalog.import.completed'") == [
        (1,)
    ]
    # The index agrees with the records: each published record once, nothing else.
    indexed = site.rows(
        "SELECT d.record_id, count(*) FROM catalog_search_doc d "
        "JOIN catalog_record r ON r.id = d.record_id AND r.status = 'published' GROUP BY d.record_id"
    )
    assert len(indexed) == published and {n for _, n in indexed} == {1}
    assert site.rows("SELECT count(*) FROM catalog_search_doc") == [(published,)]
    page = shell(site, SETUP + f"import_page; import_page({run})")
    assert "running False" in page and "report True" in page
    assert "('save', 'done'), ('index', 'done')" in page
    # The run's report says what happened, as the staff page shows it.
    page = shell(
        site,
        "import json; from gongkai.catalog.models import ImportOutcome; "
        f"print(json.dumps(ImportOutcome.objects.get(run_id={run}).report))",
    )
    assert f'"imported": {ROWS}' in page and f'"published": {published}' in page


SECRET = "worker-test-secret"


@pytest.fixture
def publish_site(migrated, tmp_path) -> Iterator[Site]:
    site = make_site(migrated, tmp_path, "search.index")
    yield site
    site.stop()


def published_state(site: Site) -> dict[str, object]:
    """Everything a publication implies, counted."""

    def count(sql: str) -> int:
        [(n,)] = site.rows(sql)
        return int(n)

    [(status, published_at)] = site.rows("SELECT status, published_at FROM catalog_record")
    return {
        "status": status,
        "published_at": published_at is not None,
        "publications": sorted(site.rows("SELECT channel FROM catalog_publication")),
        "transitions": count("SELECT count(*) FROM catalog_recordtransition WHERE to_status = 'published'"),
        "audit": count("SELECT count(*) FROM core_auditevent WHERE action = 'catalog.record.published'"),
        "event": count("SELECT count(*) FROM core_outboxevent WHERE code = 'catalog.record.published'"),
        "indexed": count("SELECT count(*) FROM catalog_search_doc"),
        "posts": count("SELECT count(*) FROM newmedia_post"),
    }


NOT_PUBLISHED = {
    "status": "approved",
    "published_at": False,
    "publications": [],
    "transitions": 0,
    "audit": 0,
    "event": 0,
    "indexed": 0,
    "posts": 0,
}


def kill_while_paused(site: Site, code: str, point: str) -> None:
    """Run `code` in a shell process (as a web request would) and kill it at the pause point."""
    process = subprocess.Popen([GONGKAI, "shell", "-c", code], env=site.env, stdout=site.log, stderr=site.log)
    try:
        site.wait_for(f"the act to reach {point}", lambda: (site.folder / f"paused-{point}").exists(), 60)
    finally:
        process.kill()
        process.wait(timeout=10)


def test_a_publication_killed_before_the_index_is_written_publishes_nothing(publish_site):
    site = publish_site
    shell(site, SETUP + "approved_record; approved_record()")
    # The record page's publish button: the act and the index entry, killed between the two.
    kill_while_paused(site, SETUP + "publish; publish()", "search.index")
    assert published_state(site) == NOT_PUBLISHED

    shell(site, SETUP + "publish; publish()")  # the reviewer presses the button again
    published = {
        "status": "published",
        "published_at": True,
        "publications": [("portal",)],
        "transitions": 1,
        "audit": 1,
        "event": 1,
        "indexed": 1,
        "posts": 0,
    }
    assert published_state(site) == published

    site.start_worker()  # the attachment's text, then the record indexed again with it
    site.wait_for(
        "the attachment's text",
        lambda: (
            site.rows("SELECT state FROM catalog_attachmenttext") == [("unsupported",)]
            or site.rows("SELECT state FROM catalog_attachmenttext") == [("done",)]
        ),
        60,
    )
    assert published_state(site) == published


def test_a_worker_killed_after_a_publish_and_send_finishes_its_work_once(publish_site):
    from gongkai.newmedia.tests.channel_server import ChannelServer

    site = publish_site
    with ChannelServer(secret=SECRET) as channel:
        shell(site, SETUP + f"approved_record; approved_record({channel.url('/weibo')!r}, {SECRET!r})")
        # The new-media page's "publish and send", killed inside its one transaction.
        kill_while_paused(site, SETUP + "publish; publish(send=True)", "search.index")
        assert published_state(site) == NOT_PUBLISHED
        assert site.rows("SELECT count(*) FROM core_outboxevent WHERE code = 'newmedia.posts.requested'") == [
            (0,)
        ]

        shell(site, SETUP + "publish; publish(send=True)")  # pressed again: no pause this time
        (site.folder / "paused-search.index").unlink()  # the worker pauses there next
        site.start_worker()
        # The worker indexes the record again with its attachment's text, and is killed there.
        site.wait_for("the worker to pause", lambda: (site.folder / "paused-search.index").exists(), 60)
        site.kill_worker()

        site.start_worker()  # its sweep at start re-queues the dead worker's run
        # The worker's second thread may have taken the delivery's message and died before claiming
        # its run: that run is queued, its message gone. The minutely sweep sends it again once
        # QUEUED_GRACE has passed; here, a sweep as if that time had come.
        shell(
            site,
            "import datetime as dt; from gongkai.core import clock, jobs; "
            "jobs.sweep(now=clock.now() + jobs.QUEUED_GRACE + dt.timedelta(seconds=1))",
        )
        site.wait_for(
            "the post and the attachment's text",
            lambda: (
                site.rows("SELECT state FROM newmedia_post") == [("delivered",)]
                and site.rows("SELECT state FROM catalog_attachmenttext") != [("pending",)]
            ),
            90,
        )
        site.wait_for(
            "every job to finish",
            lambda: site.rows("SELECT count(*) FROM core_jobrun WHERE state NOT IN ('done')") == [(0,)],
            60,
        )
        assert published_state(site) == {
            "status": "published",
            "published_at": True,
            "publications": [("portal",), ("weibo",)],
            "transitions": 1,
            "audit": 1,
            "event": 1,
            "indexed": 1,
            "posts": 1,
        }
        assert len(channel.posts) == 1  # posted once
        # Each domain event delivered once to each of its subscribers.
        deliveries = site.rows("SELECT event_id, subscriber, state FROM core_outboxdelivery")
        assert len(deliveries) == len({(e, s) for e, s, _ in deliveries})
        assert {state for _, _, state in deliveries} == {"done"}
