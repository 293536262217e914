"""A real worker (`gongkai run_huey`) killed while a channel holds its request: the channel has
made the post, the worker never heard back. The next worker sends the same post again under the
same idempotency key; the channel answers with the post it made, and nothing is posted twice."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai.core.tests.test_jobs_worker import GONGKAI, Site, worker_env
from gongkai.newmedia.tests.channel_server import ChannelServer

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("real-worker")]

SECRET = "worker-test-secret"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    folder: Path = tmp_path_factory.mktemp("newmedia-worker")
    subprocess.run([GONGKAI, "migrate", "-v", "0"], env=worker_env(folder, "unused"), check=True, timeout=180)
    return folder


@pytest.fixture
def site(migrated, tmp_path) -> Iterator[Site]:
    for name in ("gongkai.sqlite3", "secret_key", "data_keys.json"):
        if (migrated / name).exists():
            shutil.copy(migrated / name, tmp_path / name)
    running = Site(tmp_path)
    yield running
    running.stop()


def shell(site: Site, code: str) -> str:
    out = subprocess.run(
        [GONGKAI, "shell", "-c", code], env=site.env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_a_worker_killed_while_the_channel_answers_posts_nothing_twice_and_loses_nothing(site):
    with ChannelServer(secret=SECRET, slow_seconds=6) as channel:
        channel.script("/weibo", ["slow"])
        site.start_worker()
        shell(
            site,
            "from gongkai.newmedia.tests.worker_setup import send_alert; "
            f"send_alert({channel.url('/weibo')!r}, {SECRET!r}, 20)",
        )
        assert channel.state.made.wait(60), "the worker never reached the channel"
        site.kill_worker()  # the channel made the post and is still answering

        [(state, attempts)] = site.rows("SELECT state, attempts FROM newmedia_post")
        assert (state, attempts) == ("queued", 1)
        [(outcome,)] = site.rows("SELECT outcome FROM newmedia_postattempt")
        assert outcome == ""  # the attempt cut short by the kill is kept, without an outcome

        site.start_worker()  # its sweep at start re-queues the dead worker's run
        site.wait_for(
            "the post to be delivered",
            lambda: site.rows("SELECT state FROM newmedia_post") == [("delivered",)],
            timeout=60,
        )
        [(url, attempts, key)] = site.rows(
            "SELECT external_url, attempts, idempotency_key FROM newmedia_post"
        )
        assert attempts == 2
        assert len(channel.posts) == 1 and url == channel.posts[key]["url"]
        assert [r.headers["Idempotency-Key"] for r in channel.seen] == [key, key]
        assert all(r.signed for r in channel.seen)
        outcomes = site.rows("SELECT outcome FROM newmedia_postattempt ORDER BY number")
        assert outcomes == [("",), ("ok",)]
        # Recorded once among the record's channels, with the link.
        assert site.rows("SELECT link FROM catalog_publication WHERE channel = 'weibo'") == [(url,)]
