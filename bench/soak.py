"""Soak: the real server under a steady, realistic mix for N minutes, with its memory curve.

    .venv/bin/python -m bench.soak --minutes 30 [--data-dir DIR] [--clients 4] [--max-growth-mb 50]

Starts the server the way `make run` does: gunicorn with gongkai/gunicorn_conf.py on a free
loopback port and the background worker (`gongkai run_huey`) beside it, on a throwaway copy of a
data folder. `--data-dir` names an already-loaded one (copied first, never changed; loading the
demo takes several minutes); without it a scratch folder gets migrate, `gongkai demo` and
collectstatic. A few client threads then drive a mix of portal pages, search (common and rare
terms), record pages, attachments, the Atom feed, the API, an application submitted now and then
and one staff member paging the request queue. Every `--interval` seconds it samples the RSS of
each gunicorn worker, of the master and of the background worker (psutil if installed, else
/proc/PID/status VmRSS), the request and error counts and the latency percentiles of the
interval. It prints the shape of the load and the samples, writes the samples as CSV and the
memory curve as a chart (PNG with matplotlib, else an SVG drawn here) under bench/results/ (or
`--out PREFIX`), and reports each worker's RSS growth from minute 2 to the end.

Exit 1 if any request answered 5xx or a worker's RSS grew more than --max-growth-mb. Loopback
only; everything it started is stopped at the end, always.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import heapq
import html
import http.cookiejar
import os
import platform
import random
import re
import shutil
import socketserver
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.web import BIN, ROOT, children, free_port, stop, wait_http

RESULTS = ROOT / "bench" / "results"
STAFF_USER, STAFF_PASSWORD = "gongkaiban", "demo-pass-2015"  # the demo's office account
COMMON_TERMS = ["户籍", "出入境", "交通", "通知", "办理", "公安", "证件", "2015"]
# Share of each kind in the public mix (weights; the staff member and the applications run beside it).
MIX = {
    "home": 8,
    "catalog": 4,
    "category": 8,
    "record": 26,
    "search common": 10,
    "search rare": 6,
    "attachment": 5,
    "feed": 4,
    "api records": 5,
    "api record": 6,
    "api search": 5,
    "apply form": 3,
    "status form": 2,
    "pages": 3,
}


# ---------------------------------------------------------------------------------------------
# Memory


def rss_kb(pid: int) -> int:
    """Resident set size of one process in kB (0 if it is gone)."""
    try:
        import psutil  # type: ignore[import-untyped]

        return int(psutil.Process(pid).memory_info().rss // 1024)
    except ImportError:
        pass
    except Exception:  # psutil.NoSuchProcess and friends
        return 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# ---------------------------------------------------------------------------------------------
# Data


@dataclass
class Targets:
    records: list[str]
    categories: list[str]
    attachments: list[str]
    rare_terms: list[str]
    pages: list[str]


def targets(db_path: Path) -> Targets:
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        records = [
            r[0] for r in db.execute("SELECT index_number FROM catalog_record WHERE status = 'published'")
        ]
        titles = [r[0] for r in db.execute("SELECT name FROM catalog_record WHERE status = 'published'")]
        categories = [r[0] for r in db.execute("SELECT code FROM catalog_category")]
        attachments = [
            f"/catalog/r/{number}/attachments/{pk}/"
            for pk, number in db.execute(
                "SELECT a.id, r.index_number FROM catalog_attachment a JOIN catalog_record r ON r.id = a.record_id"
                " WHERE r.status = 'published'"
            )
        ]
        pages = []
        with contextlib.suppress(sqlite3.Error):
            pages = [r[0] for r in db.execute("SELECT slug FROM catalog_page")]
    # Rare terms: three characters out of one record's title (few records share them).
    rng = random.Random(12)
    rare: list[str] = []
    for title in rng.sample(titles, min(60, len(titles))):
        chars = re.sub(r"[\W\d_a-zA-Z]", "", title)
        if len(chars) >= 6:
            start = rng.randrange(0, len(chars) - 3)
            rare.append(chars[start : start + 3])
    return Targets(records, categories, attachments, rare or ["罕见词"], pages)


SEED_ATTACHMENTS = """
import django, sys
django.setup()
from gongkai.accounts.models import User
from gongkai.catalog import services
from gongkai.catalog.models import Record
actor = User.objects.get(username=sys.argv[1])
pdf = (b"%PDF-1.4\\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\\n"
       b"trailer<</Root 1 0 R>>\\n%%EOF\\n")
done = 0
for record in Record.objects.filter(status="published").order_by("id")[: int(sys.argv[2])]:
    try:
        services.do_add_attachment(record, services.UploadedFile(f"附件{record.pk}.pdf", pdf + b"%" + str(record.pk).encode()),
                                   actor=actor, expected_version=record.version)
        done += 1
    except Exception as exc:  # noqa: BLE001
        print(f"attachment refused on {record.index_number}: {exc}", file=sys.stderr)
        break
print(done)
"""


def prepare(args: argparse.Namespace, scratch: Path, env: dict[str, str]) -> Path:
    data_dir = scratch / "data"
    if args.data_dir:
        source = Path(args.data_dir)
        print(f"copying {source} to {data_dir} ...", flush=True)
        shutil.copytree(source, data_dir)  # the source is only read, never opened as a database
        for name in ("gongkai.sqlite3", "huey.sqlite3"):  # fold the copy's WAL into its database file
            if (data_dir / name).exists():
                with contextlib.closing(sqlite3.connect(data_dir / name)) as db:
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        subprocess.run(
            [str(BIN / "gongkai"), "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=600,
        )
    else:
        print(f"scratch data in {data_dir}: migrate, demo, collectstatic (several minutes) ...", flush=True)
        for cmd in (
            ["migrate", "--no-input", "-v", "0"],
            ["demo"],
            ["collectstatic", "--no-input", "-v", "0"],
        ):
            subprocess.run(
                [str(BIN / "gongkai"), *cmd],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
                timeout=1200,
            )
    with contextlib.closing(sqlite3.connect(data_dir / "gongkai.sqlite3")) as db:
        has_attachments = db.execute("SELECT count(*) FROM catalog_attachment").fetchone()[0]
    if not has_attachments and args.attachments:
        out = subprocess.run(
            [str(BIN / "python"), "-c", SEED_ATTACHMENTS, STAFF_USER, str(args.attachments)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        print(
            f"added {out.stdout.strip() or 0} small PDF attachments to published records {out.stderr.strip()}"
        )
    return data_dir


# ---------------------------------------------------------------------------------------------
# Load


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    kinds: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # connection errors, timeouts
    latencies: list[float] = field(default_factory=list)  # since the last sample, ms
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # the whole run, ms
    slowest: list[tuple[float, str]] = field(default_factory=list)  # the 5 slowest (ms, what)
    applications: list[float] = field(default_factory=list)  # time.monotonic() of each one accepted
    total: int = 0
    errors: int = 0  # 5xx and connection errors

    def add(self, kind: str, url: str, status: int, ms: float) -> None:
        with self.lock:
            self.total += 1
            self.kinds[kind] += 1
            self.statuses[status] += 1
            self.latencies.append(ms)
            self.by_kind.setdefault(kind, []).append(ms)
            if len(self.slowest) < 5 or ms > self.slowest[0][0]:
                heapq.heappush(self.slowest, (ms, f"{kind} {url} ({status})"))
                if len(self.slowest) > 5:
                    heapq.heappop(self.slowest)
            if status >= 500 or status == 0:
                self.errors += 1
                (self.server_errors if status else self.failures).append(f"{status} {kind} {url}")

    def take(self) -> tuple[int, int, list[float]]:
        with self.lock:
            window, self.latencies = self.latencies, []
            return self.total, self.errors, window


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Client:
    """One visitor (or staff member) with a cookie jar, counting every answer."""

    def __init__(self, base: str, stats: Stats) -> None:
        self.base = base
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, kind: str, path: str, data: dict[str, str] | None = None) -> tuple[int, bytes]:
        url = self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers={"Referer": self.base + "/"})  # noqa: S310
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, content = error.code, error.read()
        except (urllib.error.URLError, OSError):
            status, content = 0, b""
        self.stats.add(kind, path, status, (time.perf_counter() - start) * 1000)
        return status, content


def hidden(body: bytes, name: str) -> str:
    m = re.search(
        rf'name="{name}"\s+value="([^"]*)"|value="([^"]*)"\s+name="{name}"', body.decode(errors="replace")
    )
    return html.unescape(m.group(1) or m.group(2)) if m else ""


def id_number(rng: random.Random) -> str:
    """A valid resident identity number (GB 11643 check character, as forms_public checks it)."""
    first = f"110101{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, weights, strict=True)) % 11]


def public_path(kind: str, t: Targets, rng: random.Random) -> str:
    q = urllib.parse.quote
    match kind:
        case "home":
            return "/"
        case "catalog":
            return f"/catalog/?page={rng.randint(1, 5)}"
        case "category":
            return f"/catalog/c/{rng.choice(t.categories)}/"
        case "record":
            return f"/catalog/r/{rng.choice(t.records)}/"
        case "search common":
            return f"/catalog/search/?q={q(rng.choice(COMMON_TERMS))}"
        case "search rare":
            return f"/catalog/search/?q={q(rng.choice(t.rare_terms))}"
        case "attachment":
            return rng.choice(t.attachments) if t.attachments else f"/catalog/r/{rng.choice(t.records)}/"
        case "feed":
            return f"/catalog/c/{rng.choice(t.categories)}/feed.atom"
        case "api records":
            return f"/api/v1/records?page={rng.randint(1, 5)}"
        case "api record":
            return f"/api/v1/records/{rng.choice(t.records)}"
        case "api search":
            return f"/api/v1/search?q={q(rng.choice(COMMON_TERMS + t.rare_terms))}"
        case "apply form":
            return "/apply/"
        case "status form":
            return "/apply/status/"
        case "pages":
            return f"/catalog/pages/{rng.choice(t.pages)}/" if t.pages else "/"
    raise ValueError(kind)


def visitor(base: str, t: Targets, stats: Stats, stop_at: float, seed: int, pause: float) -> None:
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    client = Client(base, stats)
    while time.monotonic() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        client.request(kind, public_path(kind, t, rng))
        time.sleep(rng.uniform(0, 2 * pause))


def applicant(base: str, stats: Stats, stop_at: float, every: float) -> None:
    """Submits an application through the public form every `every` seconds (a new visitor each time)."""
    rng = random.Random(7)
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        client = Client(base, stats)
        status, body = client.request("apply form", "/apply/")
        if status == 200:
            form = {
                "csrfmiddlewaretoken": hidden(body, "csrfmiddlewaretoken"),
                "token": hidden(body, "token"),
                "request_kind": "disclosure",
                "applicant_kind": "natural_person",
                "applicant_name": f"压测{n}",
                "id_type": "居民身份证",
                "id_number": id_number(rng),
                "phone": f"1380000{rng.randint(0, 9999):04d}",
                "email": f"soak{n}@example.org",
                "address": "北京市东城区测试路1号",
                "postcode": "100010",
                "information_title": f"{rng.choice(COMMON_TERMS)}相关信息（压测 {n}）",
                "description": "用于压力测试的申请。" * 3,
                "form_wanted": "electronic",
                "delivery": "email",
                "declaration": "on",
            }
            sent = time.monotonic()
            status, _body = client.request("apply submit", "/apply/", form)
            if status == 302:
                with stats.lock:
                    stats.applications.append(sent)
            else:
                with stats.lock:
                    stats.failures.append(f"application {n} not accepted: {status}")
        wait = every - 0.0
        deadline = time.monotonic() + wait
        while time.monotonic() < min(deadline, stop_at):
            time.sleep(0.5)


def staff(base: str, stats: Stats, stop_at: float, pause: float) -> None:
    """The office signs in and pages the request queue (and now and then the record list)."""
    rng = random.Random(3)
    client = Client(base, stats)
    status, body = client.request("staff login", "/accounts/login/")
    form = {
        "csrfmiddlewaretoken": hidden(body, "csrfmiddlewaretoken"),
        "username": STAFF_USER,
        "password": STAFF_PASSWORD,
        "next": "/workbench/",
    }
    status, _body = client.request("staff login", "/accounts/login/", form)
    if status == 302:  # the second factor, when required: a demo account's code page shows its code
        _status, body = client.request("staff login", "/accounts/login/code/")
        code = re.search(r'class="demo-code">(\d+)<', body.decode(errors="replace"))
        if code:
            form = {"csrfmiddlewaretoken": hidden(body, "csrfmiddlewaretoken"), "code": code.group(1)}
            status, _body = client.request("staff login", "/accounts/login/code/", form)
    if status != 302:
        with stats.lock:
            stats.failures.append(f"staff sign-in answered {status}: staff pages skipped")
        return
    page = 1
    while time.monotonic() < stop_at:
        roll = rng.random()
        if roll < 0.7:
            status, _body = client.request("staff queue", f"/workbench/requests/?page={page}")
            page = 1 if status != 200 or page >= 5 else page + 1
        elif roll < 0.85:
            client.request("staff queue", "/workbench/requests/?state=open&overdue=1")
        else:
            client.request("staff records", f"/workbench/records/?page={rng.randint(1, 5)}")
        time.sleep(rng.uniform(0, 2 * pause))


class SMTPSink(socketserver.ThreadingTCPServer):
    """Accepts the server's e-mail (acknowledgements) on loopback and throws it away, counting it."""

    daemon_threads = True
    allow_reuse_address = True
    messages = 0


class SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.wfile.write(b"220 soak ESMTP\r\n")
        in_data = False
        for raw in self.rfile:
            line = raw.rstrip(b"\r\n")
            if in_data:
                if line == b".":
                    in_data = False
                    self.server.messages += 1  # type: ignore[attr-defined]
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif verb == b"EHLO":
                self.wfile.write(b"250-soak\r\n250 8BITMIME\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


def log_problems(path: Path) -> list[str]:
    """What the server and the worker logged with a traceback (the line before it), and gunicorn's errors."""
    found: list[str] = []
    with contextlib.suppress(OSError):
        lines = path.read_text(errors="replace").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Traceback"):
                found.append((lines[i - 1] if i else line).strip()[:200])
            elif "[ERROR]" in line or "[CRITICAL]" in line:
                found.append(line.strip()[:200])
    return found


# ---------------------------------------------------------------------------------------------
# Sampling


@dataclass
class Sample:
    t: float  # seconds since the load started
    requests: int
    errors: int
    rps: float
    p50: float
    p95: float
    p99: float
    workers: dict[int, float]  # pid -> RSS MB
    master: float
    huey: float


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def sampler(
    master: int,
    huey: int,
    stats: Stats,
    started: float,
    interval: float,
    done: threading.Event,
    samples: list[Sample],
) -> None:
    last_t, last_n = 0.0, 0
    while not done.wait(max(0.0, started + (len(samples) + 1) * interval - time.monotonic())):
        t = time.monotonic() - started
        n, errors, window = stats.take()
        huey_kb = sum(rss_kb(pid) for pid in [huey, *children(huey)])
        samples.append(
            Sample(
                t=t,
                requests=n,
                errors=errors,
                rps=(n - last_n) / max(t - last_t, 1e-6),
                p50=pct(window, 50),
                p95=pct(window, 95),
                p99=pct(window, 99),
                workers={pid: rss_kb(pid) / 1024 for pid in sorted(children(master))},
                master=rss_kb(master) / 1024,
                huey=huey_kb / 1024,
            )
        )
        last_t, last_n = t, n


# ---------------------------------------------------------------------------------------------
# Output


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB/hour (0 with fewer than 2 points)."""
    if len(points) < 2:
        return 0.0
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    var = sum((p[0] - mx) ** 2 for p in points)
    return 3600 * sum((p[0] - mx) * (p[1] - my) for p in points) / var if var else 0.0


def second_half_slopes(samples: list[Sample]) -> dict[str, float]:
    """RSS trend of each process over the second half of the run, MB/hour: a leak keeps a slope,
    a one-time step (a cache or font loaded on first use) does not, once it is behind."""
    half = samples[len(samples) // 2 :]
    out: dict[str, float] = {}
    for pid in half[-1].workers:
        out[f"worker {pid}"] = slope([(s.t, s.workers[pid]) for s in half if pid in s.workers])
    out["master"] = slope([(s.t, s.master) for s in half])
    out["huey worker"] = slope([(s.t, s.huey) for s in half])
    return out


def growth(
    samples: list[Sample], from_s: float
) -> tuple[dict[str, tuple[float, float, float, float]], float]:
    """{process: (RSS at from_s, at the end, MB, MB/hour)} for processes alive at both ends; hours."""
    base = next((s for s in samples if s.t >= from_s), samples[0])
    end = samples[-1]
    hours = max(end.t - base.t, 1e-6) / 3600
    out: dict[str, tuple[float, float, float, float]] = {}
    for pid, mb in base.workers.items():
        if pid in end.workers:
            d = end.workers[pid] - mb
            out[f"worker {pid}"] = (mb, end.workers[pid], d, d / hours)
    for name, a, b in (("master", base.master, end.master), ("huey worker", base.huey, end.huey)):
        out[name] = (a, b, b - a, (b - a) / hours)
    return out, hours


def series(samples: list[Sample]) -> dict[str, list[tuple[float, float]]]:
    lines: dict[str, list[tuple[float, float]]] = {}
    for s in samples:
        for pid, mb in s.workers.items():
            lines.setdefault(f"worker {pid}", []).append((s.t / 60, mb))
        lines.setdefault("master", []).append((s.t / 60, s.master))
        lines.setdefault("huey worker", []).append((s.t / 60, s.huey))
    return lines


def write_csv(path: Path, samples: list[Sample]) -> None:
    pids = sorted({pid for s in samples for pid in s.workers})
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "seconds",
                "requests",
                "errors",
                "rps",
                "p50_ms",
                "p95_ms",
                "p99_ms",
                "master_mb",
                "huey_mb",
                *[f"worker_{pid}_mb" for pid in pids],
            ]
        )
        for s in samples:
            w.writerow(
                [
                    f"{s.t:.1f}",
                    s.requests,
                    s.errors,
                    f"{s.rps:.1f}",
                    f"{s.p50:.1f}",
                    f"{s.p95:.1f}",
                    f"{s.p99:.1f}",
                    f"{s.master:.1f}",
                    f"{s.huey:.1f}",
                    *[f"{s.workers[pid]:.1f}" if pid in s.workers else "" for pid in pids],
                ]
            )


COLOURS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]


def write_chart(prefix: Path, samples: list[Sample], title: str, mark: float, events: list[float]) -> Path:
    """The RSS curve; `events` (minutes) are the applications submitted, ticked on the time axis."""
    lines = series(samples)
    try:
        import matplotlib  # type: ignore[import-not-found]

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found]
    except ImportError:
        path = prefix.with_suffix(".svg")
        path.write_text(svg_chart(lines, title, mark, events))
        return path
    fig, ax = plt.subplots(figsize=(10, 5))
    for name, points in lines.items():
        ax.plot([p[0] for p in points], [p[1] for p in points], label=name)
    ax.axvline(mark, color="#999", linestyle="--", linewidth=1)
    ax.plot(events, [0] * len(events), "k|", markersize=12, label="application submitted")
    ax.set(xlabel="minutes", ylabel="RSS MB", title=title, ylim=(0, None))
    ax.legend(fontsize=8)
    path = prefix.with_suffix(".png")
    fig.savefig(path, dpi=100)
    return path


def svg_chart(
    lines: dict[str, list[tuple[float, float]]], title: str, mark: float, events: list[float]
) -> str:
    """Lines of RSS MB over minutes, a dashed line where growth is measured from, ticks for events."""
    w, h, left, right, top, bottom = 900, 460, 60, 170, 40, 45
    xs = [p[0] for pts in lines.values() for p in pts] or [0.0, 1.0]
    ys = [p[1] for pts in lines.values() for p in pts] or [0.0, 1.0]
    x_max = max(max(xs), 1e-6)
    y_max = max(ys) * 1.1 or 1.0
    y_step = next(s for s in (5, 10, 20, 25, 50, 100, 200, 500, 1000) if y_max / s <= 8)
    x_step = next(s for s in (0.5, 1, 2, 5, 10, 15, 30, 60) if x_max / s <= 10)

    def px(x: float) -> float:
        return left + x / x_max * (w - left - right)

    def py(y: float) -> float:
        return h - bottom - y / y_max * (h - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<text x="{w / 2}" y="22" text-anchor="middle" font-size="14">{html.escape(title)}</text>',
    ]
    y = 0.0
    while y <= y_max:
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{py(y):.1f}" y2="{py(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
        y += y_step
    x = 0.0
    while x <= x_max + 1e-9:
        out.append(f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{top}" y2="{h - bottom}" stroke="#eee"/>')
        out.append(f'<text x="{px(x):.1f}" y="{h - bottom + 16}" text-anchor="middle">{x:g}</text>')
        x += x_step
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 8}" text-anchor="middle">minutes</text>')
    out.append(
        f'<text x="16" y="{h / 2}" transform="rotate(-90 16 {h / 2})" text-anchor="middle">RSS MB</text>'
    )
    out.append(
        f'<rect x="{left}" y="{top}" width="{w - left - right}" height="{h - top - bottom}" fill="none" '
        'stroke="#333"/>'
    )
    if 0 < mark < x_max:
        out.append(
            f'<line x1="{px(mark):.1f}" x2="{px(mark):.1f}" y1="{top}" y2="{h - bottom}" stroke="#999" '
            'stroke-dasharray="4 3"/>'
        )
    for e in events:
        if 0 <= e <= x_max:
            out.append(
                f'<line x1="{px(e):.1f}" x2="{px(e):.1f}" y1="{h - bottom}" y2="{h - bottom - 10}" stroke="black"/>'
            )
    if events:
        ly = top + 14 + len(lines) * 16
        out.append(
            f'<line x1="{w - right + 20}" x2="{w - right + 20}" y1="{ly}" y2="{ly - 10}" stroke="black"/>'
        )
        out.append(f'<text x="{w - right + 34}" y="{ly}">application</text>')
    for i, (name, points) in enumerate(lines.items()):
        colour = COLOURS[i % len(COLOURS)]
        d = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in points)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{d}"/>')
        ly = top + 14 + i * 16
        out.append(
            f'<line x1="{w - right + 10}" x2="{w - right + 30}" y1="{ly - 4}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        out.append(f'<text x="{w - right + 34}" y="{ly}">{html.escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(samples: list[Sample]) -> str:
    pids = sorted({pid for s in samples for pid in s.workers})
    head = [
        "min",
        "requests",
        "err",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "master",
        "huey",
        *[f"w{pid}" for pid in pids],
    ]
    rows = [" | ".join(head)]
    for s in samples:
        rows.append(
            " | ".join(
                [
                    f"{s.t / 60:.2f}",
                    str(s.requests),
                    str(s.errors),
                    f"{s.rps:.1f}",
                    f"{s.p50:.1f}",
                    f"{s.p95:.1f}",
                    f"{s.p99:.1f}",
                    f"{s.master:.0f}",
                    f"{s.huey:.0f}",
                    *[f"{s.workers[pid]:.1f}" if pid in s.workers else "-" for pid in pids],
                ]
            )
        )
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--data-dir", help="an already-loaded GONGKAI_DATA_DIR (copied, never changed)")
    parser.add_argument("--clients", type=int, default=4, help="public visitor threads (default 4)")
    parser.add_argument(
        "--pause", type=float, default=0.25, help="mean think time of a visitor, s (default 0.25)"
    )
    parser.add_argument(
        "--apply-every", type=float, default=30.0, help="seconds between applications (default 30)"
    )
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between samples (default 10)")
    parser.add_argument(
        "--max-growth-mb", type=float, default=50.0, help="fail above this RSS growth a worker"
    )
    parser.add_argument("--growth-from", type=float, default=2.0, help="minute growth is measured from")
    parser.add_argument(
        "--attachments",
        type=int,
        default=20,
        help="small PDFs to attach if the data has none (default 20; 0: none)",
    )
    parser.add_argument("--out", help="path prefix of the CSV and chart (default bench/results/soak-<time>)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="gongkai-bench-soak-"))
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(scratch / "data"),
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("GONGKAI_DEBUG", None)
    # One address sends every application: lift the form's per-address ceiling (30 an hour).
    env["GONGKAI_APPLY_LIMIT"] = "100000"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        data_dir = prepare(args, scratch, env)
        t = targets(data_dir / "gongkai.sqlite3")
        port = free_port()
        smtp = SMTPSink(("127.0.0.1", 0), SMTPHandler)
        threading.Thread(target=smtp.serve_forever, daemon=True).start()
        server_env = {
            **env,
            "GONGKAI_BIND": f"127.0.0.1:{port}",
            "PORT": str(port),
            "GONGKAI_EMAIL_HOST": "127.0.0.1",
            "GONGKAI_EMAIL_PORT": str(smtp.server_address[1]),
        }
        log = (scratch / "server.log").open("ab")
        huey = subprocess.Popen(
            [str(BIN / "gongkai"), "run_huey"],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(huey)
        app = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                str(ROOT / "gongkai" / "gunicorn_conf.py"),
                "gongkai.wsgi:application",
            ],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(app)
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/", timeout=60)
        time.sleep(1)
        load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average {load_before}\n"
            f"server {base}: gunicorn pid {app.pid} with {len(children(app.pid))} workers, huey pid {huey.pid}\n"
            f"data: {len(t.records):,} published records, {len(t.categories)} categories, "
            f"{len(t.attachments)} attachments, {len(t.rare_terms)} rare terms\n"
            f"load: {args.clients} visitors (think time 0-{2 * args.pause:g} s), an application every "
            f"{args.apply_every:g} s, one staff member paging the queue; {args.minutes:g} min, "
            f"sample every {args.interval:g} s",
            flush=True,
        )

        stats = Stats()
        started = time.monotonic()
        stop_at = started + args.minutes * 60
        done = threading.Event()
        samples: list[Sample] = []
        threads = [
            threading.Thread(target=visitor, args=(base, t, stats, stop_at, i, args.pause), daemon=True)
            for i in range(args.clients)
        ]
        threads.append(
            threading.Thread(target=applicant, args=(base, stats, stop_at, args.apply_every), daemon=True)
        )
        threads.append(
            threading.Thread(target=staff, args=(base, stats, stop_at, args.pause * 4), daemon=True)
        )
        sample_thread = threading.Thread(
            target=sampler,
            args=(app.pid, huey.pid, stats, started, args.interval, done, samples),
            daemon=True,
        )
        sample_thread.start()
        for th in threads:
            th.start()
        last_print = 0
        while any(th.is_alive() for th in threads):
            time.sleep(1)
            if len(samples) > last_print:
                s = samples[-1]
                last_print = len(samples)
                print(
                    f"  {s.t / 60:5.2f} min  {s.requests:7d} requests  {s.errors} errors  {s.rps:6.1f}/s  "
                    f"p95 {s.p95:6.1f} ms  workers {sum(s.workers.values()):.0f} MB",
                    flush=True,
                )
        for th in threads:
            th.join()
        done.set()
        sample_thread.join()
        load_after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if not samples:
            print("no samples: the run was shorter than one interval", file=sys.stderr)
            return 1

        elapsed = time.monotonic() - started
        print(
            f"\nshape of the load ({stats.total:,} requests in {elapsed / 60:.1f} min, "
            f"{stats.total / elapsed:.1f}/s; load average after {load_after}):"
        )
        print(f"  {'kind':15s} {'requests':>8s}  {'share':>7s}  {'p50 ms':>7s}  {'p95 ms':>7s}")
        for kind, n in stats.kinds.most_common():
            ms = stats.by_kind[kind]
            print(
                f"  {kind:15s} {n:8,d}  {100 * n / max(stats.total, 1):5.1f} %  {pct(ms, 50):7.1f}  {pct(ms, 95):7.1f}"
            )
        print(
            "slowest: " + "; ".join(f"{what} {ms:.0f} ms" for ms, what in sorted(stats.slowest, reverse=True))
        )
        print(
            "statuses: "
            + ", ".join(f"{code or 'no answer'}: {n:,}" for code, n in sorted(stats.statuses.items()))
        )
        print("\nsamples (RSS in MB):")
        print(table(samples))

        grown, hours = growth(samples, args.growth_from * 60)
        print(f"\nRSS growth from minute {args.growth_from:g} to the end ({hours * 60:.1f} min):")
        trends = second_half_slopes(samples)
        print(f"  {'process':18s} {'RSS MB':>18s}  {'growth':>9s}  {'MB/hour':>10s}  trend over the 2nd half")
        for name, (a, b, d, per_hour) in grown.items():
            trend = f"{trends[name]:+7.1f} MB/hour" if name in trends else "-"
            print(f"  {name:18s} {a:7.1f} -> {b:7.1f}  {d:+6.1f} MB  {per_hour:+10.1f}  {trend}")
        recycled = sorted({p for s in samples for p in s.workers} - set(samples[-1].workers))
        if recycled:
            print(f"  workers gone during the run (recycled after max_requests?): {recycled}")

        prefix = Path(args.out) if args.out else RESULTS / f"soak-{dt.datetime.now():%Y%m%d-%H%M}"
        prefix.parent.mkdir(parents=True, exist_ok=True)
        csv_path = prefix.with_suffix(".csv")
        write_csv(csv_path, samples)
        chart = write_chart(
            prefix,
            samples,
            f"gongkai soak: RSS per process, {args.minutes:g} min, "
            f"{stats.total:,} requests, {dt.date.today().isoformat()} (dashed: minute {args.growth_from:g})",
            args.growth_from,
            [(a - started) / 60 for a in stats.applications],
        )
        log.close()
        shutil.copy(scratch / "server.log", prefix.with_suffix(".log"))
        print(f"\nwritten: {csv_path}, {chart}, {prefix.with_suffix('.log')} (server and worker output)")
        print(f"e-mails the server sent (to a loopback sink): {smtp.messages}")
        problems = log_problems(scratch / "server.log")
        print(
            f"logged errors: {len(problems)}"
            + "".join(f"\n  {n} x {line}" for line, n in Counter(problems).most_common(5))
        )

        failed = False
        if stats.server_errors:
            failed = True
            print(f"FAIL: {len(stats.server_errors)} answers 5xx, e.g. {stats.server_errors[:5]}")
        if stats.failures:
            print(f"note: {len(stats.failures)} problems: {stats.failures[:5]}")
            if any(f.startswith("0 ") for f in stats.failures):
                failed = True
        worst = max((d for name, (_a, _b, d, _h) in grown.items() if name.startswith("worker")), default=0.0)
        if worst > args.max_growth_mb:
            failed = True
            print(f"FAIL: a worker's RSS grew {worst:.1f} MB (> {args.max_growth_mb:g} MB)")
        print("FAILED" if failed else "OK: no 5xx, RSS growth within the limit")
        return 1 if failed else 0
    finally:
        for proc in reversed(procs):
            stop(proc)
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
