"""What one uncached public page costs Django, in-process: CPU time and instructions per request.

    .venv/bin/python -m bench.page_cost [--requests 2000] [--no-callgrind] [--data-dir DIR]

Calls Django's WSGI handler in a loop (page cache off, no HTTP server, no other requests) for the
record page and the other public pages, on the demo data in a scratch data folder. Prints the CPU
time a request took and, with valgrind installed, the instructions a request executed (callgrind:
the same count whatever else the machine is doing, so a change can be judged on a busy machine;
runs 50-100x slower, so it uses a few hundred requests). bench.web measures the same page through
gunicorn and wrk.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "record": "/catalog/r/013544308/2015-00010/",
    "home": "/",
    "category": "/catalog/c/alerts/",
    "search": "/catalog/search/?q=%E6%88%B7%E7%B1%8D",
    "apply form": "/apply/",
}


def environ(path: str) -> dict[str, object]:
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def serve(path: str, count: int) -> tuple[str, int]:
    """Answer `count` requests for `path`; return the last status and body size."""
    from gongkai.wsgi import application

    status: list[str] = []

    def start_response(s: str, headers: object, exc_info: object = None) -> None:
        status.append(s)

    size = 0
    for _ in range(count):
        body = application(environ(path), start_response)  # type: ignore[arg-type]
        size = len(b"".join(body))
        body.close()  # type: ignore[attr-defined]
    return (status[-1] if status else "-"), size


def worker(page: str, warm: int, count: int) -> None:
    """Child process for callgrind: warm up, then `count` more requests."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    serve(PAGES[page], warm + count)


def callgrind_instructions(page: str, count: int, env: dict[str, str]) -> float | None:
    """Instructions per request: a run with `count` more requests minus a run with none."""
    if shutil.which("valgrind") is None:
        return None
    totals = []
    for extra in (0, count):
        with tempfile.TemporaryDirectory() as scratch:
            out = subprocess.run(
                [
                    "valgrind",
                    "--tool=callgrind",
                    f"--callgrind-out-file={scratch}/cg.out",
                    sys.executable,
                    "-m",
                    "bench.page_cost",
                    "--worker",
                    page,
                    str(extra),
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        found = re.search(r"Collected : (\d+)", out.stderr)
        if not found:
            return None
        totals.append(int(found.group(1)))
    return (totals[1] - totals[0]) / count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="requests per page for the CPU time")
    parser.add_argument("--callgrind-requests", type=int, default=200)
    parser.add_argument("--no-callgrind", action="store_true")
    parser.add_argument(
        "--data-dir", help="use this data folder (migrated, with the demo) instead of a new one"
    )
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], 30, int(args.worker[1]))
        return

    scratch = None
    if args.data_dir:
        data_dir = Path(args.data_dir)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="gongkai-bench-page-"))
        data_dir = scratch / "data"
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(data_dir),
        "GONGKAI_PUBLIC_CACHE_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    }
    os.environ.update(env)
    try:
        if scratch is not None:
            print(f"scratch data in {data_dir}: migrate, demo ...", flush=True)
            gongkai = str(Path(sys.executable).parent / "gongkai")
            for command in (["migrate", "--no-input", "-v", "0"], ["demo"]):
                subprocess.run([gongkai, *command], env=env, check=True, capture_output=True)
        import django

        django.setup()
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("| page | status | bytes | CPU ms/request (median of 5 rounds) | instructions/request |")
        print("| --- | --- | ---: | ---: | ---: |")
        for page, path in PAGES.items():
            status, size = serve(path, 50)  # warm: templates compiled, queries prepared
            rounds = []
            per_round = max(1, args.requests // 5)
            for _ in range(5):
                started = time.process_time()
                serve(path, per_round)
                rounds.append((time.process_time() - started) / per_round * 1000)
            instructions = (
                None if args.no_callgrind else callgrind_instructions(page, args.callgrind_requests, env)
            )
            shown = f"{instructions / 1e6:.2f} M" if instructions else "-"
            print(
                f"| {page} `{path}` | {status} | {size:,} | {statistics.median(rounds):.3f} | {shown} |",
                flush=True,
            )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
