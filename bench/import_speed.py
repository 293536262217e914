"""Benchmark of the catalog import (docs/import.md).

    .venv/bin/python -m bench.import_speed --records 50000
    .venv/bin/python -m bench.import_speed --records 20000 --format xlsx
    bash .ci/with-postgres .venv/bin/python -m bench.import_speed --records 50000

Writes a deterministic synthetic catalog file (CSV or XLSX; 60% of the rows published), then runs
the whole import the way `gongkai import_catalog` does: read, check, bulk-create records,
transitions, publications, audit events, and the search index. Runs on a scratch SQLite database in
its own GONGKAI_DATA_DIR temp dir (never /work/main/data), or on DATABASE_URL when it is set.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

SEED = 2015
HEADER = [
    "索引号",
    "名称",
    "内容概述",
    "正文",
    "成文日期",
    "发布机构",
    "文号",
    "主题分类",
    "责任部门",
    "发布日期",
]
WORDS = [
    "公安",
    "工作",
    "管理",
    "办理",
    "服务",
    "群众",
    "开展",
    "加强",
    "依法",
    "规定",
    "相关",
    "部门",
    "单位",
    "人员",
    "信息",
    "公开",
    "政府",
    "机关",
    "社会",
    "安全",
    "治安",
    "交通",
    "民警",
    "警务",
    "违法",
    "犯罪",
    "案件",
    "全省",
    "落实",
    "组织",
    "提高",
    "推进",
    "要求",
    "情况",
    "措施",
    "制度",
    "建设",
    "活动",
    "重点",
    "申请",
    "审批",
    "材料",
    "办法",
    "户籍",
    "签证",
    "护照",
    "出入境",
    "身份证",
    "居住证",
    "驾驶证",
    "机动车",
    "道路",
    "事故",
    "消防",
    "网络",
    "电信",
    "诈骗",
    "盗窃",
    "禁毒",
    "反恐",
    "信访",
    "举报",
    "投诉",
    "咨询",
    "窗口",
    "便民",
    "预约",
    "受理",
    "审核",
    "核发",
    "登记",
    "注销",
    "迁移",
    "落户",
    "暂住",
    "流动人口",
    "口岸",
    "边境",
    "外国人",
    "签注",
    "预算",
    "决算",
    "三公经费",
    "采购",
    "延吉",
    "珲春",
    "长春",
    "吉林",
    "四平",
    "通化",
    "白山",
    "松原",
    "白城",
]
HEADS = ("关于", "关于做好", "关于加强", "关于开展", "关于印发", "关于进一步规范")
TAILS = ("的通知", "的通告", "的公告", "的意见", "实施方案", "工作情况", "办事指南")
CATEGORIES = ("policy-rules", "policy-other", "规划计划", "警务动态", "警方提示", "新闻发布", "政策解读")
DEPARTMENTS = ("出入境管理局", "交通管理局", "治安管理总队", "指挥中心（公开办）")


def sentence(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(words))


def make_rows(n: int, rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    start = dt.date(2008, 1, 1)
    for i in range(n):
        formed = start + dt.timedelta(days=rng.randrange(0, 8 * 365))
        published = formed + dt.timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.6 else None
        body = "\n".join(sentence(rng, rng.randrange(15, 40)) + "。" for _ in range(rng.randrange(3, 8)))
        rows.append(
            [
                # Every fifth row carries its own index number from the old catalog; the rest get new ones.
                f"000014349/{formed.year}-{i + 1:05d}" if i % 5 == 0 else "",
                rng.choice(HEADS) + sentence(rng, rng.randrange(2, 6)) + rng.choice(TAILS),
                sentence(rng, rng.randrange(8, 20)) + "。",
                body,
                formed.isoformat(),
                "吉林省公安厅",
                f"吉公发〔{formed.year}〕{rng.randrange(1, 300)}号" if rng.random() < 0.5 else "",
                rng.choice(CATEGORIES),
                rng.choice(DEPARTMENTS),
                published.strftime("%Y/%m/%d") if published else "",
            ]
        )
    return rows


def write_file(rows: list[list[object]], fmt: str) -> tuple[str, bytes]:
    if fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        for r in rows:
            sheet.append(r)
        out = io.BytesIO()
        workbook.save(out)
        return "catalog.xlsx", out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return "catalog.csv", text.getvalue().encode("utf-8-sig")


def setup_database() -> object:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from gongkai.accounts.choices import DepartmentKind
    from gongkai.accounts.models import Department, User
    from gongkai.accounts.services import do_create_staff

    for name in DEPARTMENTS:
        Department.objects.get_or_create(name=name, defaults={"kind": DepartmentKind.DEPARTMENT})
    reviewer = User.objects.filter(username="bench_reviewer").first()
    if reviewer is None:
        reviewer = do_create_staff(
            username="bench_reviewer",
            password="bench-password-2015",  # noqa: S106  (scratch database only)
            full_name="李审核",
            department=Department.objects.get(name="指挥中心（公开办）"),
            roles=["reviewer"],
            actor=None,
        )
    return reviewer


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--keep", action="store_true", help="keep the scratch data dir")
    parser.add_argument(
        "--profile", metavar="FILE", help="profile the import (cProfile) and write the top functions to FILE"
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="gongkai-bench-import-"))
    os.environ["GONGKAI_DATA_DIR"] = str(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_FAST_HASHER", "1")
    reviewer = setup_database()

    from django.conf import settings
    from django.db import connection

    from gongkai.catalog.importer import import_file
    from gongkai.catalog.models import Record
    from gongkai.core import clock

    database = (
        "PostgreSQL"
        if connection.vendor == "postgresql"
        else f"SQLite ({settings.DATABASES['default']['NAME']})"
    )
    print(f"database: {database}")
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    rows = make_rows(args.records, rng)
    name, content = write_file(rows, args.format)
    print(
        f"generated {len(rows)} rows, {len(content) / 1e6:.1f} MB {args.format} in {time.perf_counter() - t0:.1f} s"
    )

    stage_started: dict[str, float] = {}
    last_print = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        stage_started.setdefault(stage, now)
        if now - last_print[0] > 0.5 or done == total:
            last_print[0] = now
            rate = done / (now - stage_started[stage]) if now > stage_started[stage] else 0.0
            print(
                f"\r  {stage:<6} {done:>8}/{total} {rate:>10.0f}/s",
                end="" if done < total else "\n",
                flush=True,
            )

    before = Record.objects.count()
    profiler = cProfile.Profile() if args.profile else None
    cpu_started = time.process_time()
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    report = import_file(name, content, actor=reviewer, now=clock.now(), progress=progress)  # type: ignore[arg-type]
    if profiler is not None:
        profiler.disable()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    if profiler is not None:
        with open(args.profile, "w") as out:
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(80)
            stats.sort_stats("tottime").print_stats(40)
        print(f"profile written to {args.profile} (figures below include the profiler's overhead)")
    if report.file_error is not None or report.errors:
        print("import failed:", report.file_error, report.errors[:5], file=sys.stderr)
        sys.exit(1)
    assert Record.objects.count() - before == args.records
    stages = sorted(stage_started.items(), key=lambda kv: kv[1])
    read_time = stages[0][1] - started if stages else 0.0
    print(f"read {args.format}: {read_time:.2f} s")
    for (stage, at), nxt in zip(stages, [*[s[1] for s in stages[1:]], started + elapsed], strict=True):
        print(f"  {stage}: {nxt - at:.2f} s")
    print(
        f"imported {report.imported} records ({report.published} published and indexed, {report.drafts} drafts) "
        f"in {elapsed:.2f} s: {report.imported / elapsed:.0f} records/s end to end"
    )
    # On a shared machine the wall clock includes other processes; CPU time does not (one core).
    load = os.getloadavg()[0]
    print(f"CPU time {cpu:.2f} s: {report.imported / cpu:.0f} records/s per core (load average {load:.1f})")
    if not args.keep and connection.vendor == "sqlite":
        import shutil

        connection.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
