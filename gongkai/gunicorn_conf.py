"""Gunicorn settings for production: `gunicorn -c gongkai/gunicorn_conf.py gongkai.wsgi:application`.

Every value can be overridden from the environment (GONGKAI_BIND, GONGKAI_WORKERS, ...) or on the
command line (command-line flags win over this file). The defaults are what measured best on a
2-core machine behind nginx (docs/operations.md, "Measured"):

- worker class gthread, (2 x cores + 1) processes x 2 threads: the page is CPU-bound Python, so
  more threads do not add throughput, but a thread per connection keeps keep-alive connections from
  nginx cheap and one slow query does not block a whole process;
- at most threads + 10 connections a worker, so that a burst of keep-alive connections is shared;
- the application is loaded once in the master (`preload_app`) and forked, so the workers share
  its memory pages and start in milliseconds;
- no access log by default: nginx writes one in front; writing a line per request to stdout from
  every worker cost ~10 % of throughput under load (set GONGKAI_ACCESS_LOG=- to get it back);
- each worker answers page-cache hits in front of Django's WSGI handler (`post_worker_init`,
  gongkai/core/pagecache.py `WSGIFront`): a hit then skips the request signals and the middleware
  chain. GONGKAI_WSGI_FRONT=0 turns that off (the middleware still answers the hits).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GONGKAI_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = _int("GONGKAI_WORKERS", 2 * multiprocessing.cpu_count() + 1)
worker_class = os.environ.get("GONGKAI_WORKER_CLASS", "gthread")
threads = _int("GONGKAI_THREADS", 2)
# Connections one worker holds at most (gthread). Without a cap, a burst of keep-alive connections
# lands on whichever worker wakes first: with wrk's 32 connections one worker took 18-32 of them in
# some runs, and as one process uses one core at most, throughput fell to ~730 requests/s. With
# threads + 10 (12) a burst is shared by at least three workers; a tighter cap (7) spread it over
# all five but cost more CPU a request (more processes taking turns on two cores, and connections
# closed and reopened). The cap cannot stall anyone: a worker keeps at most (cap - threads) idle
# keep-alive connections and answers "Connection: close" beyond that, so it always has room.
worker_connections = _int("GONGKAI_WORKER_CONNECTIONS", threads + 10)
preload_app = True
# Keep-alive connections from nginx (upstream keepalive) and from browsers when run without nginx.
keepalive = _int("GONGKAI_KEEPALIVE", 15)
backlog = 2048
timeout = _int("GONGKAI_TIMEOUT", 60)
# A restart or a recycled worker lets running requests finish first: a large catalog import (up to
# 200,000 rows, streamed progress) takes about a minute on 2 cores.
graceful_timeout = _int("GONGKAI_GRACEFUL_TIMEOUT", 120)
# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = _int("GONGKAI_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10
# Only nginx on this machine may set X-Forwarded-For / X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GONGKAI_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GONGKAI_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GONGKAI_GUNICORN_LOG_LEVEL", "warning")
proc_name = "gongkai"
# The longest request line read (gunicorn's own maximum; its default, 4094, answered a long pasted
# search with a raw "URI Too Long"): up to here Django answers, and the search view turns a query
# string past catalog.views.public.MAX_QUERY_STRING into the project's own 414 page.
limit_request_line = _int("GONGKAI_LIMIT_REQUEST_LINE", 8190)


def pre_fork(server: Any, worker: Any) -> None:
    # Move everything the preloaded application allocated out of the collector's reach, so a
    # collection in a worker does not touch (and copy) the pages shared with the master.
    gc.freeze()


def post_worker_init(worker: Any) -> None:
    if os.environ.get("GONGKAI_WSGI_FRONT", "1").strip() in {"0", "false", "no", "off"}:
        return
    from gongkai.core.pagecache import WSGIFront

    worker.wsgi = WSGIFront(worker.wsgi)
