"""Speed of disclosure on request at volume: the staff queue and the statistics of a year.

    .venv/bin/python -m bench.requests [--applications 100000] [--requests 50] [--year 2025]

Sets up a scratch data folder (its own GONGKAI_DATA_DIR, migrate; or the database in DATABASE_URL),
bulk-creates open and closed applications over 2015 to today with assignments, consultations and
reviews, then measures with Django's test client, logged in as an office reviewer: the first page
of the queue and a filtered page (p50/p95 over --requests requests each), and table 三 + table 四 +
processing times for one year. Targets: queue p95 <= 100 ms, statistics <= 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

QUEUE_P95_TARGET_MS = 100.0
STATS_TARGET_S = 1.0


def generate(n: int, today: dt.date, rng: random.Random) -> dict[str, Any]:
    from django.db import transaction

    from gongkai.accounts.choices import DepartmentKind, Role
    from gongkai.accounts.models import Department
    from gongkai.accounts.services import do_create_staff
    from gongkai.inforequests.choices import (
        OPEN_STATUSES,
        ApplicantKind,
        Outcome,
        PauseKind,
        ReviewKind,
        ReviewResult,
        Status,
    )
    from gongkai.inforequests.models import Application, Assignment, Pause, Review

    agency = Department.objects.create(name="吉林省公安厅", kind=DepartmentKind.AGENCY)
    office = Department.objects.create(name="指挥中心", kind=DepartmentKind.OFFICE, parent=agency)
    branches = [
        Department.objects.create(name=name, kind=DepartmentKind.POLICE_BRANCH, parent=agency)
        for name in ("出入境管理局", "交通警察总队", "治安管理总队", "户政管理处", "刑事侦查总队")
    ]
    reviewer = do_create_staff(
        username="bench_reviewer",
        password="bench-pass-2015",  # noqa: S106 - a scratch database
        full_name="李审核",
        department=office,
        roles=[Role.REVIEWER],
        actor=None,
    )
    first = dt.date(2015, 1, 1)
    span = (today - first).days
    kinds = [ApplicantKind.NATURAL_PERSON] * 6 + list(ApplicantKind.values)
    open_statuses = sorted(OPEN_STATUSES)
    outcomes = Outcome.values
    tz = dt.UTC
    apps = []
    for i in range(n):
        received = first + dt.timedelta(days=rng.randrange(span))
        due = received + dt.timedelta(days=28)
        recent = (today - received).days < 40
        is_open = rng.random() < (0.5 if recent else 0.01)
        replied = None if is_open else min(received + dt.timedelta(days=rng.randrange(1, 45)), today)
        apps.append(
            Application(
                tracking_number=f"GK{received.year}-B{i:07d}",
                query_code_hash="-",
                applicant_kind=rng.choice(kinds),
                applicant_name="某某",
                id_number=f"2201{i:014d}",
                phone="13900000000",
                information_title=f"第{i % 5000}号信息",
                form_wanted="electronic",
                delivery="email",
                channel="online",
                received_on=received,
                submitted_at=dt.datetime(received.year, received.month, received.day, 9, tzinfo=tz),
                rule_set="2007" if received < dt.date(2019, 5, 15) else "2019",
                clock_start=received,
                due_on=due,
                extended_due_on=due + dt.timedelta(days=28),
                extended=rng.random() < 0.03,
                status=rng.choice(open_statuses) if is_open else Status.CLOSED,
                handler=reviewer,
                outcome="" if is_open else rng.choice(outcomes),
                replied_on=replied,
            )
        )
    with transaction.atomic():
        Application.objects.bulk_create(apps, batch_size=2000)
        ids = list(Application.objects.values_list("id", "received_on"))
        now = dt.datetime.now(tz)
        assignments, pauses, reviews = [], [], []
        for pk, received in ids:
            if rng.random() < 0.3:
                assignments.append(
                    Assignment(
                        application_id=pk, department=rng.choice(branches), due_on=received + dt.timedelta(days=10),
                        assigned_by=reviewer, assigned_at=now,
                    )
                )  # fmt: skip
            if rng.random() < 0.05:
                pauses.append(
                    Pause(
                        application_id=pk, kind=PauseKind.THIRD_PARTY, started_on=received + dt.timedelta(days=3),
                        ended_on=received + dt.timedelta(days=12),
                    )
                )  # fmt: skip
            if rng.random() < 0.005:
                decided = rng.random() < 0.8
                reviews.append(
                    Review(
                        application_id=pk, kind=rng.choice(ReviewKind.values), filed_on=received + dt.timedelta(days=60),
                        result=rng.choice([ReviewResult.UPHELD, ReviewResult.CORRECTED, ReviewResult.OTHER])
                        if decided else ReviewResult.PENDING,
                        decided_on=received + dt.timedelta(days=120) if decided else None,
                    )
                )  # fmt: skip
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        Pause.objects.bulk_create(pauses, batch_size=5000)
        Review.objects.bulk_create(reviews, batch_size=5000)
    return {
        "reviewer": reviewer,
        "department": branches[0],
        "open": sum(1 for a in apps if a.status != Status.CLOSED),
        "assignments": len(assignments),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure_page(client: Any, url: str, n: int) -> tuple[float, float, int]:
    client.get(url)  # warm up (templates, calendar)
    times = []
    status = 0
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    return statistics.median(times), percentile(times, 95), status


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="gongkai-bench-requests-"))
    os.environ["GONGKAI_DATA_DIR"] = str(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_FAST_HASHER", "1")
    try:
        import warnings

        import django

        warnings.filterwarnings("ignore", message="No directory at")
        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from gongkai.core import clock
        from gongkai.inforequests import stats

        setup_test_environment()
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        today = clock.today()
        started = time.perf_counter()
        made = generate(args.applications, today, random.Random(2015))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        load_s = time.perf_counter() - started
        print(
            f"database: {connection.vendor}; {args.applications} applications ({made['open']} open, "
            f"{made['assignments']} assignments) generated in {load_s:.1f} s"
        )

        client = Client()
        client.force_login(made["reviewer"])
        pages = {
            "queue, first page": "/workbench/requests/",
            "queue, filtered": f"/workbench/requests/?state=all&department={made['department'].pk}&year={args.year}",
            "queue, overdue": "/workbench/requests/?state=overdue",
        }
        ok = True
        for name, url in pages.items():
            p50, p95, status = measure_page(client, url, args.requests)
            verdict = "ok" if p95 <= QUEUE_P95_TARGET_MS and status == 200 else "SLOW"
            ok &= verdict == "ok"
            print(f"{name:22s} HTTP {status}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  [{verdict}]")

        start, end = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            table3 = stats.table_3(start, end)
            t1 = time.perf_counter()
            stats.table_4(start, end)
            t2 = time.perf_counter()
            times = stats.processing_times(start, end)
            t3 = time.perf_counter()
            runs.append((t3 - t0, t1 - t0, t2 - t1, t3 - t2))
        total, t3_s, t4_s, pt_s = min(runs, key=lambda r: r[0])
        worst = max(r[0] for r in runs)
        assert stats.check_table_3(table3) == [], stats.check_table_3(table3)
        verdict = "ok" if worst <= STATS_TARGET_S else "SLOW"
        ok &= verdict == "ok"
        print(
            f"stats {args.year}: best {total * 1000:.0f} ms (table 三 {t3_s * 1000:.0f}, table 四 {t4_s * 1000:.0f}, "
            f"times {pt_s * 1000:.0f}), worst of 5 {worst * 1000:.0f} ms  [{verdict}]"
        )
        print(
            f"  {args.year}: new {table3['new_received']['total']}, processed {table3['total_processed']['total']}, "
            f"carried forward {table3['carried_forward']['total']}; median {times.median} working days, "
            f"on time {times.on_time_rate:.1%}"
            if times.on_time_rate is not None
            else ""
        )
        print("all targets met" if ok else "some targets missed")
    finally:
        if args.keep:
            print(f"scratch kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
