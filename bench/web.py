"""Web speed of the public record page: gunicorn uncached, gunicorn with the page cache, nginx in front.

    .venv/bin/python -m bench.web [--duration 10] [--connections 32] [--no-nginx]

Sets up a scratch data folder (migrate, demo data, collectstatic), starts the production server
(gunicorn -c gongkai/gunicorn_conf.py) on a free loopback port, runs wrk against one published
record page, and prints requests/s, latency p50/p99 and the memory of the gunicorn workers (sum of
RSS, and of PSS, which counts pages shared after the fork once). With nginx installed, it also runs
docs/deploy/nginx.conf in front (TLS lines dropped, ports and folders replaced). Everything it
started is stopped at the end, always. Loopback only, bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX_CONF = ROOT / "docs" / "deploy" / "nginx.conf"


@dataclass
class Result:
    name: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    errors: str = ""
    cpu_ms: float = 0.0  # CPU time of the measured processes per request (independent of other load)
    memory: dict[str, float] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (http on loopback)
                response.read()
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout:.0f} s") from None
            time.sleep(0.2)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http on loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, *, duration: int, connections: int, threads: int) -> Result:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30, check=True).stdout
    result = Result(name=url)
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result.rps = float(m.group(1))
    if m := re.search(r"(\d+) requests in", out):
        result.requests = int(m.group(1))
    for pct, attr in (("50", "p50_ms"), ("99", "p99_ms")):
        if m := re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M):
            setattr(result, attr, _ms(m.group(1), m.group(2)))
    errors = [line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    result.errors = "; ".join(errors)
    return result


def children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes (utime, stime in /proc/PID/stat)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / TICK


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB."""
    rss = pss = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


class MemorySampler:
    """Peak of the summed RSS/PSS of a master's children (the workers), sampled while wrk runs."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.peak = {"workers": 0, "rss_mb": 0.0, "pss_mb": 0.0, "master_rss_mb": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = children(self.master)
            sizes = [memory_kb(pid) for pid in pids]
            rss, pss = sum(s[0] for s in sizes) / 1024, sum(s[1] for s in sizes) / 1024
            if rss > self.peak["rss_mb"]:
                self.peak.update(workers=len(pids), rss_mb=rss, pss_mb=pss)
            self.peak["master_rss_mb"] = max(self.peak["master_rss_mb"], memory_kb(self.master)[0] / 1024)
            self._stop.wait(0.5)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], port: int, cache_seconds: int, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    env = {**env, "GONGKAI_BIND": f"127.0.0.1:{port}", "GONGKAI_PUBLIC_CACHE_SECONDS": str(cache_seconds)}
    cmd = [
        str(BIN / "gunicorn"),
        "-c",
        str(ROOT / "gongkai" / "gunicorn_conf.py"),
        "gongkai.wsgi:application",
    ]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        yield proc
    finally:
        stop(proc)


def nginx_config(data_dir: Path, scratch: Path, listen_port: int, app_port: int) -> str:
    """docs/deploy/nginx.conf on loopback: no TLS, no HTTP->HTTPS server, scratch folders."""
    site = NGINX_CONF.read_text()
    site = re.sub(r"# HTTP -> HTTPS\.\s+BEGIN redirect.*?# END redirect\n", "", site, flags=re.S)
    lines = []
    for line in site.splitlines():
        stripped = line.strip()
        if stripped.startswith("listen 443"):
            line = f"    listen 127.0.0.1:{listen_port} reuseport;"
        elif stripped.startswith(("listen [::]:443", "ssl_", "http2 ")):
            continue
        lines.append(line)
    site = "\n".join(lines)
    site = (
        site.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
        .replace("/srv/gongkai/data/", f"{data_dir}/")
        .replace("/var/cache/nginx/gongkai", str(scratch / "cache"))
        .replace("/var/log/nginx/", f"{scratch}/")
    )
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes auto;\ndaemon off;\npid {scratch}/nginx.pid;\nerror_log {scratch}/error.log warn;\n"
        "events { worker_connections 4096; }\n"
        "http {\n"
        "include /etc/nginx/mime.types;\ndefault_type application/octet-stream;\nsendfile on;\ntcp_nopush on;\n"
        f"client_body_temp_path {scratch}/body;\nproxy_temp_path {scratch}/proxy;\n"
        f"fastcgi_temp_path {scratch}/fcgi;\nuwsgi_temp_path {scratch}/uwsgi;\nscgi_temp_path {scratch}/scgi;\n"
        f"{site}\n}}\n"
    )


@contextlib.contextmanager
def nginx(
    data_dir: Path, scratch: Path, listen_port: int, app_port: int
) -> Iterator[subprocess.Popen[bytes]]:
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "cache").mkdir(exist_ok=True)
    if os.geteuid() == 0:  # workers run as nobody: they must read static files and write the cache
        for path in (scratch.parent, data_dir, data_dir / "static"):
            path.chmod(0o755)
        shutil.chown(scratch / "cache", "nobody", "nogroup")
    conf = scratch / "nginx.conf"
    conf.write_text(nginx_config(data_dir, scratch, listen_port, app_port))
    check = subprocess.run(
        ["nginx", "-t", "-q", "-p", str(scratch), "-c", str(conf)], capture_output=True, text=True
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
    with (scratch / "stderr.log").open("ab") as out:
        proc = subprocess.Popen(
            ["nginx", "-p", str(scratch), "-c", str(conf)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_http(f"http://127.0.0.1:{listen_port}/")
        yield proc
    finally:
        stop(proc, signal.SIGQUIT)


def prepare(data_dir: Path, env: dict[str, str]) -> str:
    gongkai = str(BIN / "gongkai")
    for args in (["migrate", "--no-input", "-v", "0"], ["demo"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run(
            [gongkai, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, timeout=600
        )
    with contextlib.closing(sqlite3.connect(data_dir / "gongkai.sqlite3")) as db:
        row = db.execute(
            "SELECT index_number FROM catalog_record WHERE status = 'published' ORDER BY index_number LIMIT 1 OFFSET 9"
        ).fetchone()
    return str(row[0])


def run_case(
    name: str, url: str, master: int, args: argparse.Namespace, cpu_of: list[int] | None = None
) -> Result:
    """wrk against url; memory of master's workers; CPU per request of cpu_of (default: those workers)."""
    wrk(url, duration=2, connections=args.connections, threads=args.threads)  # warm up every worker
    measured = cpu_of if cpu_of is not None else children(master)
    cpu_before = cpu_seconds(measured)
    with MemorySampler(master) as sampler:
        result = wrk(url, duration=args.duration, connections=args.connections, threads=args.threads)
    result.cpu_ms = (cpu_seconds(measured) - cpu_before) * 1000 / max(result.requests, 1)
    result.name = name
    result.memory = dict(sampler.peak)
    return result


def report(results: list[Result], args: argparse.Namespace, load_before: str) -> str:
    head = (
        f"{dt.date.today().isoformat()}, {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, load average before: {load_before}"
    )
    rows = [
        "| setup | requests/s | p50 ms | p99 ms | server CPU ms/request | gunicorn workers: RSS / PSS MB | errors |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        mem = r.memory
        memory = f"{mem.get('workers', 0):.0f} x: {mem.get('rss_mb', 0):.0f} / {mem.get('pss_mb', 0):.0f}"
        if "nginx_rss_mb" in mem:
            memory += f" (+ nginx {mem['nginx_rss_mb']:.0f})"
        rows.append(
            f"| {r.name} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.cpu_ms:.3f} | {memory} | {r.errors or '-'} |"
        )
    return head + "\n\n" + "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--no-nginx", action="store_true", help="skip the nginx run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2

    scratch = Path(tempfile.mkdtemp(prefix="gongkai-bench-web-"))
    data_dir = scratch / "data"
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("GONGKAI_DEBUG", None)
    results: list[Result] = []
    try:
        print(f"scratch data in {data_dir}: migrate, demo, collectstatic ...", flush=True)
        index_number = prepare(data_dir, env)
        path = f"/catalog/r/{index_number}/"
        load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        app_port = free_port()
        log = scratch / "gunicorn.log"

        with gunicorn(env, app_port, 0, log) as app:
            url = f"http://127.0.0.1:{app_port}{path}"
            status, headers, body = fetch(url)
            assert status == 200 and index_number.encode() in body, (status, body[:200])
            assert "Set-Cookie" not in headers, headers
            print(f"uncached: {url}", flush=True)
            results.append(
                run_case("gunicorn, page cache off (GONGKAI_PUBLIC_CACHE_SECONDS=0)", url, app.pid, args)
            )

        with gunicorn(env, app_port, 30, log) as app:
            url = f"http://127.0.0.1:{app_port}{path}"
            print(f"cached: {url}", flush=True)
            results.append(run_case("gunicorn, page cache 30 s (locmem)", url, app.pid, args))

            if not args.no_nginx and shutil.which("nginx"):
                nginx_port = free_port()
                with nginx(data_dir, scratch / "nginx", nginx_port, app_port) as web:
                    url = f"http://127.0.0.1:{nginx_port}{path}"
                    fetch(url)
                    status, headers, body = fetch(url)
                    assert status == 200 and headers.get("X-Cache-Status") == "HIT", (status, headers)
                    print(f"nginx: {url}", flush=True)
                    nginx_pids = [web.pid, *children(web.pid)]
                    result = run_case("nginx micro-cache 10 s -> gunicorn", url, app.pid, args, nginx_pids)
                    nginx_kb = sum(memory_kb(pid)[0] for pid in [web.pid, *children(web.pid)])
                    result.memory["nginx_rss_mb"] = nginx_kb / 1024
                    results.append(result)
                    static = f"http://127.0.0.1:{nginx_port}/static/gongkai/site.css"
                    status, _headers, _body = fetch(static)
                    if status == 200:
                        s = wrk(
                            static, duration=args.duration, connections=args.connections, threads=args.threads
                        )
                        s.name = "nginx static file (site.css), for scale"
                        results.append(s)
            elif not args.no_nginx:
                print("nginx is not installed: skipped (apt-get install -y nginx-light)", flush=True)
        print()
        print(report(results, args, load_before))
        print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
        return 0
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
