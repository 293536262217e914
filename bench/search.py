"""Benchmark of the catalog search (docs/search.md).

    .venv/bin/python -m bench.search --records 1000000            # SQLite, scratch data dir
    bash .ci/with-postgres .venv/bin/python -m bench.search --postgres --records 200000

Generates a deterministic synthetic corpus of Chinese police/government records into a scratch
database (never /work/main/data; on PostgreSQL a fresh database next to DATABASE_URL's), builds the
index through ``search_bulk.rebuild`` (what `gongkai reindex` runs), then prints build speed, recall against a substring scan,
top-20 latency for 2-, 3-, 4-character and two-term queries, and the same against a LIKE scan and a
tantivy index of the same bigram tokens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SEED = 2015
# Realistic bodies (issue 11): lognormal with median 1,232 and mean 1,876 characters.
BODY_MU = math.log(1232)
BODY_SIGMA = math.sqrt(2 * math.log(1876 / 1232))
ATTACHMENT_SHARE = 0.2

# Vocabulary, most frequent first within each list; the lists are merged and weighted by a Zipf law.
COMMON = (
    "公安 工作 管理 办理 服务 群众 开展 进一步 加强 依法 规定 相关 部门 单位 人员 信息 公开 政府 "
    "机关 社会 安全 治安 交通 民警 警务 违法 犯罪 案件 全省 全市 落实 组织 提高 推进 要求 情况 "
    "问题 措施 制度 建设 活动 重点 工作人员 申请 审批 材料 办法 通知 公告 通告 意见 方案 决定 "
    "实施 检查 监督 执法 规范 队伍 责任 领导 会议 部署 宣传 教育 培训 保障 发展 稳定 防范 打击"
)
MIDDLE = (
    "户籍 签证 护照 出入境 身份证 居住证 驾驶证 机动车 驾驶人 车辆 道路 事故 消防 火灾 网络 电信 "
    "诈骗 盗窃 抢劫 毒品 禁毒 扫黑除恶 反恐 维稳 信访 举报 投诉 咨询 窗口 大厅 便民 网上 预约 "
    "受理 审核 核发 登记 注销 变更 迁移 落户 暂住 流动人口 实有人口 出租房屋 特种行业 旅馆业 "
    "典当 枪支 弹药 爆炸物品 危险化学品 大型活动 安全检查 交通管制 限行 酒驾 醉驾 超速 违章 "
    "罚款 拘留 处罚 复议 诉讼 听证 赔偿 看守所 拘留所 戒毒所 监所 刑侦 经侦 治安管理 巡逻 "
    "110 122 119 APP 微信 微博 政务 公众号 热线 12345 二维码 电子证照 一网通办 最多跑一次 "
    "港澳 台湾 通行证 口岸 边境 边防 外国人 签注 团队旅游 商务 探亲 留学 就业 永久居留 "
    "预算 决算 三公经费 采购 招标 中标 合同 项目 经费 资金 支出 收入 财政 审计 "
    "新闻发布会 政策解读 警方提示 年度报告 建议提案 人大代表 政协委员 答复 办理结果"
)
RARE_CHARS = (
    "延吉珲春图们敦化龙井和龙汪清安图长春吉林四平辽源通化白山松原白城梅河口公主岭农安榆树德惠"
    "九台双阳宽城朝阳南关绿园二道净月高新经开汽开蛟河桦甸舒兰磐石伊通双辽梨树东丰东辽集安柳河"
    "辉南临江抚松靖宇长白扶余前郭乾安长岭洮南大安镇赉通榆"
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉宇浩凯健俊帆帅旭宁龙林"
NAME_TAILS = ("的通知", "的通告", "的公告", "的意见", "实施方案", "工作情况", "办事指南", "的答复", "的函")
NAME_HEADS = ("关于", "关于做好", "关于加强", "关于开展", "关于印发", "关于进一步规范", "")


def build_vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words = COMMON.split() + MIDDLE.split()
    # a long tail: place names, people's names, case numbers
    places = [RARE_CHARS[i : i + 2] for i in range(0, len(RARE_CHARS) - 1, 2)]
    words += [p + suffix for p in places for suffix in ("市", "县", "区", "派出所", "分局", "边检站")]
    words += [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(3000)]
    words += [
        f"{rng.choice(RARE_CHARS)}公{rng.choice('刑治交行')}字〔{rng.randint(2008, 2020)}〕"
        for _ in range(500)
    ]
    words = list(dict.fromkeys(words))
    head = words[:40]
    tail = words[40:]
    rng.shuffle(tail)
    words = head + tail
    weights = [1.0 / (i + 3) ** 0.9 for i in range(len(words))]
    cum = []
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    return words, cum


class Corpus:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.words, self.cum = build_vocabulary(self.rng)

    def _phrase(self, k: int) -> str:
        return "".join(self.rng.choices(self.words, cum_weights=self.cum, k=k))

    def sentence(self, k: int) -> str:
        rng = self.rng
        parts = [self._phrase(rng.randint(2, 4)) for _ in range(max(1, k // 3))]
        return "，".join(parts) + rng.choice("。。。；！")

    def record(self) -> tuple[str, str, str]:
        """The short corpus (issue 2): bodies of median ~230 characters. Kept for comparison."""
        rng = self.rng
        name = rng.choice(NAME_HEADS) + self._phrase(rng.randint(2, 4)) + rng.choice(NAME_TAILS)
        summary = self.sentence(rng.randint(6, 12))
        body = "".join(self.sentence(rng.randint(6, 15)) for _ in range(rng.randint(4, 9)))
        return name, summary, body

    def text_of(self, length: int) -> str:
        parts: list[str] = []
        size = 0
        while size < length:
            parts.append(self.sentence(self.rng.randint(6, 15)))
            size += len(parts[-1])
        return "".join(parts)[:length]

    def realistic(self) -> tuple[str, str, str, list[tuple[str, str]]]:
        """Issue 11: body lengths lognormal (median 1,232, mean ~1,876, p99 ~10,400 characters, cut
        at 50,000); ATTACHMENT_SHARE of records carry 1-2 files of 5,000-50,000 characters of text."""
        rng = self.rng
        name = rng.choice(NAME_HEADS) + self._phrase(rng.randint(2, 4)) + rng.choice(NAME_TAILS)
        summary = self.sentence(rng.randint(6, 12))
        length = min(50_000, max(200, round(rng.lognormvariate(BODY_MU, BODY_SIGMA))))
        body = self.text_of(length)
        files: list[tuple[str, str]] = []
        if rng.random() < ATTACHMENT_SHARE:
            for k in range(rng.choice((1, 1, 2))):
                ext = rng.choice((".pdf", ".pdf", ".docx", ".xlsx"))
                chars = round(math.exp(rng.uniform(math.log(5_000), math.log(50_000))))
                files.append((f"附件{k + 1}{ext}", self.text_of(chars)))
        return name, summary, body, files


def progress(label: str, done: int, total: int, started: float) -> None:
    elapsed = max(time.monotonic() - started, 1e-6)
    end = "\n" if done >= total else ""
    sys.stderr.write(
        f"\r  {label}: {done:,}/{total:,} ({100 * done / total:5.1f}%) {done / elapsed:,.0f}/s   {end}"
    )
    sys.stderr.flush()


def setup_django(args: argparse.Namespace) -> dict[str, Any]:
    info: dict[str, Any] = {}
    if args.postgres:
        import psycopg

        base = os.environ.get("DATABASE_URL")
        if not base:
            sys.exit("--postgres needs DATABASE_URL (e.g. run under: bash .ci/with-postgres ...)")
        from urllib.parse import urlparse, urlunparse

        parsed = urlparse(base)
        dbname = f"gongkai_bench_{args.records}"
        with psycopg.connect(base, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
            if exists and not args.reuse:
                conn.execute(f'DROP DATABASE "{dbname}"')
            if not exists or not args.reuse:
                conn.execute(
                    f"CREATE DATABASE \"{dbname}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'"
                )
        os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path="/" + dbname))
        info["database"] = f"PostgreSQL database {dbname}"
        data_dir = Path(tempfile.mkdtemp(prefix="gongkai-bench-pg-"))
    else:
        os.environ.pop("DATABASE_URL", None)
        data_dir = Path(args.data_dir or Path(tempfile.gettempdir()) / f"gongkai-bench-{args.records}")
        if data_dir.resolve() == (Path(__file__).resolve().parent.parent / "data").resolve():
            sys.exit("refusing to use the project's data directory")
        if not args.reuse and data_dir.exists():
            for f in data_dir.glob("gongkai.sqlite3*"):
                f.unlink()
        info["database"] = f"SQLite {data_dir / 'gongkai.sqlite3'}"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ["GONGKAI_SEARCH_ENGINE"] = "database"  # the in-app tantivy engine is switched on later
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    info["data_dir"] = data_dir
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return info


def generate(n: int, postgres: bool, corpus_kind: str = "realistic") -> float:
    from django.db import connection, transaction

    from gongkai.accounts.models import Department, User
    from gongkai.catalog.models import Category

    dept, _ = Department.objects.get_or_create(name="吉林省公安厅", defaults={"kind": "agency"})
    depts = [dept] + [
        Department.objects.get_or_create(name=n, defaults={"kind": "police_branch", "parent": dept})[0]
        for n in ("出入境管理局", "交通管理局", "治安管理总队", "刑事侦查总队")
    ]
    user, _ = User.objects.get_or_create(username="bench", defaults={"department": dept})
    categories = list(Category.objects.exclude(parent=None).values_list("id", flat=True)) or list(
        Category.objects.values_list("id", flat=True)
    )
    corpus = Corpus()
    rng = random.Random(SEED + 1)
    cols = (
        "index_number, name, summary, body, body_text, formed_on, issuer, doc_number, genre, keywords, "
        "validity, secrecy, attribute, attribute_basis, attribute_reason, status, published_at, "
        "withdrawal_reason, return_reason, created_at, updated_at, version, category_id, created_by_id, "
        "department_id"
    )
    sql = f"INSERT INTO catalog_record ({cols}) VALUES ({', '.join(['%s'] * 25)})"
    start_day = dt.date(2008, 1, 1)
    started = time.monotonic()
    batch = 10_000
    if not postgres:
        with connection.cursor() as c:
            c.execute("PRAGMA synchronous=OFF")
    for first in range(0, n, batch):
        rows = []
        files: list[tuple[int, str, str]] = []
        for i in range(first, min(n, first + batch)):
            if corpus_kind == "short":
                name, summary, body = corpus.record()
            else:
                name, summary, body, attached = corpus.realistic()
                files.extend((i, fname, ftext) for fname, ftext in attached)
            formed = start_day + dt.timedelta(days=i * 6200 // n)
            at = dt.datetime(formed.year, formed.month, formed.day, 9, tzinfo=dt.UTC) + dt.timedelta(days=2)
            rows.append(
                (
                    f"B/{formed.year}-{i:07d}",
                    name,
                    summary,
                    body,
                    body,
                    formed,
                    "吉林省公安厅",
                    "",
                    "notice",
                    "",
                    "in_force",
                    "non_secret",
                    "proactive",
                    "",
                    "",
                    "published",
                    at,
                    "",
                    "",
                    at,
                    at,
                    1,
                    rng.choice(categories),
                    user.pk,
                    rng.choice(depts).pk,
                )
            )
        with transaction.atomic(), connection.cursor() as c:
            c.executemany(sql, rows)
            if files:
                add_files(c, files, user.pk, first, len(rows))
        progress("generate", min(n, first + batch), n, started)
    return time.monotonic() - started


def add_files(cursor: Any, files: list[tuple[int, str, str]], user_pk: int, first: int, count: int) -> None:
    """Attachments with their extracted text, as catalog.attachment.extract leaves them (no file
    on disk: the bench measures the index, not the extraction). Record ids: the batch's index
    numbers looked up."""
    cursor.execute("SELECT max(id) FROM catalog_record")
    last = int(cursor.fetchone()[0])
    # ids are dense and in insertion order: record number i of this batch has id first_id + (i - first)
    first_id = last - count + 1
    ids = {i: first_id + (i - first) for i, _, _ in files}
    now = dt.datetime.now(dt.UTC)
    for i, fname, text in files:
        cursor.execute(
            "INSERT INTO catalog_attachment (record_id, file, original_name, extension, content_type, size, "
            "sha256, uploaded_by_id, uploaded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                ids[i],
                f"bench/{i}{fname[-5:]}",
                fname,
                fname[fname.rindex(".") :],
                "application/octet-stream",
                len(text.encode()),
                "0" * 64,
                user_pk,
                now,
            ],
        )
        cursor.execute("SELECT max(id) FROM catalog_attachment")
        att = int(cursor.fetchone()[0])
        cursor.execute(
            "INSERT INTO catalog_attachmenttext (attachment_id, record_id, state, text, note, extracted_at) "
            "VALUES (%s, %s, 'done', %s, '', %s)",
            [att, ids[i], text, now],
        )


def corpus_shape() -> None:
    """Characters per record (name + summary + body + attachment text) and the attachments' share."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT length(r.name) + length(r.summary) + length(r.body_text) + "
            "coalesce((SELECT sum(length(a.text)) FROM catalog_attachmenttext a WHERE a.record_id = r.id), 0) "
            "FROM catalog_record r WHERE r.status = 'published'"
        )
        sizes = sorted(int(x) for (x,) in c.fetchall())
        c.execute("SELECT count(DISTINCT record_id), count(*) FROM catalog_attachmenttext")
        with_files, files = c.fetchone()
        c.execute("SELECT length(text) FROM catalog_attachmenttext ORDER BY 1")
        texts = [int(x) for (x,) in c.fetchall()]
    n = len(sizes) or 1
    print(
        f"corpus: {len(sizes):,} records; characters per record (attachments included) median "
        f"{statistics.median(sizes):,.0f}, mean {statistics.fmean(sizes):,.0f}, "
        f"p99 {sizes[min(len(sizes) - 1, int(0.99 * len(sizes)))]:,}, max {sizes[-1]:,}"
    )
    if texts:
        print(
            f"attachments: {with_files / n:.1%} of records have some ({files:,} files); text per file "
            f"median {statistics.median(texts):,.0f}, mean {statistics.fmean(texts):,.0f}, max {texts[-1]:,} characters"
        )
    else:
        print("attachments: none")


def build_index(n: int) -> float:
    """`gongkai reindex`'s path: search_bulk.rebuild, 5,000 records a batch, then optimize."""
    from gongkai.catalog import search_bulk

    started = time.monotonic()
    search_bulk.rebuild(batch=5000, progress=lambda done, total: progress("index", done, n, started))
    return time.monotonic() - started


def make_queries(per_kind: int) -> dict[str, list[str]]:
    """Words of the vocabulary (every frequency) and substrings of real records (what people paste)."""
    from gongkai.catalog import search
    from gongkai.catalog.models import Record

    rng = random.Random(SEED + 2)
    corpus = Corpus()
    by_len: dict[int, list[str]] = {2: [], 3: [], 4: []}
    for w in corpus.words:
        if len(w) in by_len and search.segments(w) == [w]:
            by_len[len(w)].append(w)
    max_id = Record.objects.order_by("-id").values_list("id", flat=True).first() or 1
    sample_ids = [rng.randint(1, max_id) for _ in range(per_kind * 3)]
    texts = list(Record.objects.filter(id__in=sample_ids).values_list("body_text", flat=True))
    queries: dict[str, list[str]] = {}
    for length in (2, 3, 4):
        kind: list[str] = []
        words = by_len[length]
        while len(kind) < per_kind:
            if words and rng.random() < 0.5:
                kind.append(rng.choice(words))
            else:
                segs = [s for s in search.segments(rng.choice(texts)) if len(s) >= length]
                if segs:
                    seg = rng.choice(segs)
                    start = rng.randrange(0, len(seg) - length + 1)
                    kind.append(seg[start : start + length])
        queries[f"{length}-char"] = kind
    two = by_len[2] + by_len[3]
    queries["two-term"] = [f"{rng.choice(two)} {rng.choice(two)}" for _ in range(per_kind)]
    return queries


def like_scan(query: str) -> list[int]:
    from django.db import connection

    from gongkai.catalog import search

    terms = [search.ascii_lower(t) for t in search.parse_terms(query)]
    conds = []
    params: list[str] = []
    for t in terms:
        if connection.vendor == "postgresql":
            conds.append(
                "(strpos(lower(name), %s) > 0 OR strpos(lower(summary), %s) > 0 OR strpos(lower(body_text), %s) > 0 "
                "OR EXISTS (SELECT 1 FROM catalog_attachmenttext a WHERE a.record_id = catalog_record.id "
                "AND strpos(lower(a.text), %s) > 0))"
            )
            params += [t, t, t, t]
        else:
            p = "%" + t + "%"
            conds.append(
                "(name LIKE %s OR summary LIKE %s OR body_text LIKE %s OR EXISTS (SELECT 1 FROM "
                "catalog_attachmenttext a WHERE a.record_id = catalog_record.id AND a.text LIKE %s))"
            )
            params += [p, p, p, p]
    with connection.cursor() as c:
        c.execute(
            f"SELECT id FROM catalog_record WHERE status = 'published' AND {' AND '.join(conds)}", params
        )
        return [int(r[0]) for r in c.fetchall()]


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def ms(values: list[float], cpu: list[float] | None = None) -> str:
    """Wall-clock median/p95/max, the load average, and (in-process work: SQLite, tantivy) the
    CPU time's median/p95: the machine is shared, CPU time is what load does not inflate."""
    values = sorted(values)
    load = os.getloadavg()[0]
    out = (
        f"median {statistics.median(values) * 1000:7.1f} ms  p95 {p95(values) * 1000:7.1f} ms  "
        f"max {values[-1] * 1000:7.1f} ms  (load {load:.2f})"
    )
    if cpu:
        out += f"  cpu median {statistics.median(cpu) * 1000:6.2f} ms  p95 {p95(cpu) * 1000:6.2f} ms"
    return out


CPU: list[float] = []  # CPU time of each `timed` call, in order


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    wall = time.perf_counter() - t0
    CPU.append(time.process_time() - c0)
    return wall, out


def timed_all(fn: Any, queries: list[str], **kwargs: Any) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of fn(q) for each query."""
    start = len(CPU)
    wall = [timed(fn, q, **kwargs)[0] for q in queries]
    return wall, CPU[start:]


def ranked_ids(query: str) -> list[int]:
    """The ranked page of 20 ids alone (count, rank, paging; no names or snippets): what the
    tantivy comparison fetches."""
    from gongkai.catalog import search

    parsed = search._query(query, None, None, None)
    return [] if parsed is None else [i for i, _ in search._matching_ids(parsed, 0, 20)[2]]


class Tantivy:
    """The same bigram tokens in tantivy (whitespace tokenizer), phrase queries, BM25, name boosted."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self.t = tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_integer_field("id", stored=True, indexed=True, fast=True)
        for field in ("name", "summary", "body", "attachments"):
            sb.add_text_field(field, tokenizer_name="ws", index_option="position")
        self.schema = sb.build()
        path.mkdir(parents=True, exist_ok=True)
        for f in path.iterdir():
            f.unlink()
        self.index = tantivy.Index(self.schema, path=str(path))
        self.index.register_tokenizer(
            "ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
        )

    def build(self, n: int) -> float:
        from django.db import connection

        from gongkai.catalog import search

        started = time.monotonic()
        writer = self.index.writer(heap_size=1_000_000_000, num_threads=2)
        done = 0
        with connection.cursor() as c:
            c.execute(
                "SELECT r.id, r.name, r.summary, r.body_text, coalesce((SELECT group_concat(a.text, char(10)) "
                "FROM catalog_attachmenttext a WHERE a.record_id = r.id), '') FROM catalog_record r "
                "WHERE r.status = 'published' ORDER BY r.id"
            )
            while rows := c.fetchmany(5000):
                for rid, name, summary, body, attached in rows:
                    writer.add_document(
                        self.t.Document(
                            id=int(rid),
                            name=search.token_text(name),
                            summary=search.token_text(summary),
                            body=search.token_text(body),
                            attachments=search.token_text(attached),
                        )
                    )
                done += len(rows)
                progress("tantivy", done, n, started)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return time.monotonic() - started

    def query(self, q: str) -> Any:
        from gongkai.catalog import search

        t = self.t
        must = []
        for term in search.parse_terms(q):
            per_field = []
            for seg in search.segments(term):
                grams = [a + b for a, b in itertools.pairwise(seg)] or [seg]
                for f, boost in (("name", 10.0), ("summary", 4.0), ("body", 1.0), ("attachments", 0.5)):
                    sub = (
                        t.Query.term_query(self.schema, f, grams[0])
                        if len(grams) == 1
                        else t.Query.phrase_query(self.schema, f, grams)
                    )
                    per_field.append((t.Occur.Should, t.Query.boost_query(sub, boost)))
            must.append((t.Occur.Must, t.Query.boolean_query(per_field)))
        return t.Query.boolean_query(must)

    def search(self, q: str) -> list[int]:
        result = self.searcher.search(self.query(q), 20)
        return [self.searcher.doc(addr)["id"][0] for _, addr in result.hits]


def check_recall(queries: dict[str, list[str]], per_kind: int) -> list[float]:
    from gongkai.catalog import search

    print("\n## recall and precision against a substring scan (whole corpus)")
    recall_hits = recall_truth = precision_bad = pages_bad = 0
    like_times: list[float] = []
    for kind, qs in queries.items():
        for q in qs[:per_kind]:
            t_like, truth = timed(like_scan, q)
            like_times.append(t_like)
            got = set(search.matching_ids(q))
            truth_set = set(truth)
            recall_hits += len(got & truth_set)
            recall_truth += len(truth_set)
            precision_bad += len(got - truth_set)
            if got != truth_set:
                print(f"  MISMATCH {kind} {q!r}: index {len(got)}, scan {len(truth_set)}")
            # The top-20 path: the capped total, every hit a true match, and (when capped) every hit
            # among the newest TOTAL_CAP matches or a name match.
            page = search.search(q, limit=20)
            newest = set(sorted(truth_set)[-search.TOTAL_CAP :])
            hits = [h.record_id for h in page.hits]
            ok = (
                page.total == min(len(truth_set), search.TOTAL_CAP)
                and page.total_capped == (len(truth_set) > search.TOTAL_CAP)
                and len(hits) == min(20, len(truth_set))
                and all(
                    h in newest or "<mark>" in hit.name_html for h, hit in zip(hits, page.hits, strict=True)
                )
            )
            pages_bad += not ok
            if not ok:
                print(
                    f"  PAGE MISMATCH {kind} {q!r}: total {page.total}, {len(hits)} hits, scan {len(truth_set)}"
                )
    recall = recall_hits / recall_truth if recall_truth else 1.0
    print(
        f"recall {recall:.4f}, false positives {precision_bad} "
        f"({per_kind * len(queries)} queries, {recall_truth:,} true matches); "
        f"top-20 pages checked against the scan: {pages_bad} wrong"
    )
    print(f"LIKE scan (all matches): {ms(like_times)}")
    return like_times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--queries", type=int, default=100, help="timed queries per kind")
    ap.add_argument(
        "--recall-queries", type=int, default=15, help="queries per kind checked against a full scan"
    )
    ap.add_argument(
        "--postgres", action="store_true", help="use PostgreSQL (a new database beside DATABASE_URL)"
    )
    ap.add_argument("--data-dir", help="scratch directory for the SQLite file and tantivy index")
    ap.add_argument("--reuse", action="store_true", help="keep an existing generated corpus and index")
    ap.add_argument("--no-tantivy", action="store_true")
    ap.add_argument(
        "--no-engine", action="store_true", help="skip the in-app tantivy engine (SEARCH_ENGINE=tantivy)"
    )
    ap.add_argument(
        "--corpus",
        choices=("realistic", "short"),
        default="realistic",
        help="realistic (issue 11, default) or short (issue 2's bodies, for comparison only)",
    )
    args = ap.parse_args()

    info = setup_django(args)
    from django.db import connection

    from gongkai.catalog import search
    from gongkai.catalog.models import Record

    print(
        f"# catalog search bench — {dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, {info['database']}"
    )
    print(
        f"corpus: {args.corpus}"
        + (" (a comparison only: bodies far shorter than real ones)" if args.corpus == "short" else "")
    )
    have = Record.objects.filter(status="published").count()
    if args.reuse and have == args.records:
        print(f"reusing {have:,} records and their index")
    else:
        gen = generate(args.records, args.postgres, args.corpus)
        print(f"generated {args.records:,} records in {gen:.1f} s ({args.records / gen:,.0f}/s)")
        build = build_index(args.records)
        print(
            f"index build: {build:.1f} s, {args.records / build:,.0f} records/s (search_bulk.rebuild, 5000/batch)"
        )
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(
                "SELECT pg_total_relation_size('catalog_search'), pg_total_relation_size('catalog_search_name'), "
                "pg_total_relation_size('catalog_record')"
            )
            idx, names, tbl = c.fetchone()
            print(
                f"index size {idx / 2**20:,.0f} MiB + names {names / 2**20:,.0f} MiB "
                f"(records table {tbl / 2**20:,.0f} MiB)"
            )
        else:
            c.execute("SELECT sum(length(block)) FROM catalog_search_data")
            idx = c.fetchone()[0] or 0
            print(f"FTS5 index size {idx / 2**20:,.0f} MiB")

    corpus_shape()
    queries = make_queries(args.queries)
    # warm the caches once
    for q in queries["2-char"][:10]:
        search.search(q)

    like_times: list[float] = []
    if args.recall_queries > 0:
        like_times = check_recall(queries, args.recall_queries)

    print("\n## top-20 search (search.search: capped count, page, snippets)")
    print(f"load before timing: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    all_times: list[float] = []
    all_cpu: list[float] = []
    for kind, qs in queries.items():
        times, cpu = timed_all(search.search, qs, limit=20)
        all_times += times
        all_cpu += cpu
        print(f"{kind:9} {ms(times, cpu)}")
    print(f"{'all':9} {ms(all_times, all_cpu)}")
    if like_times:
        like_med = statistics.median(like_times)
        print(f"ratio: LIKE scan median / search median = {like_med / statistics.median(all_times):.1f}x")
    print("\n## top-20 ranked ids only (count, rank, page; no names or snippets)")
    id_times, id_cpu = [], []
    for kind, qs in queries.items():
        times, cpu = timed_all(ranked_ids, qs)
        id_times += times
        id_cpu += cpu
        print(f"{kind:9} {ms(times, cpu)}")
    print(f"{'all':9} {ms(id_times, id_cpu)}")

    if not args.no_tantivy:
        print("\n## tantivy, same bigram tokens, same queries (top 20, ids fetched)")
        tv = Tantivy(Path(info["data_dir"]) / "tantivy")
        build = tv.build(args.records)
        print(f"tantivy build: {build:.1f} s, {args.records / build:,.0f} records/s")
        tv_times: list[float] = []
        tv_cpu: list[float] = []
        for kind, qs in queries.items():
            times, cpu = timed_all(tv.search, qs)
            tv_times += times
            tv_cpu += cpu
            print(f"{kind:9} {ms(times, cpu)}")
        print(f"{'all':9} {ms(tv_times, tv_cpu)}")
        tv_med, tv_p95 = statistics.median(tv_times), p95(tv_times)
        print(
            f"ratio search / tantivy: median {statistics.median(all_times) / tv_med:.1f}x, "
            f"p95 {p95(all_times) / tv_p95:.1f}x; ranked ids only / tantivy: median "
            f"{statistics.median(id_times) / tv_med:.1f}x, p95 {p95(id_times) / tv_p95:.1f}x"
        )
    if not args.no_engine:
        tv_figures = None if args.no_tantivy else (tv_times, tv_med, tv_p95)
        bench_engine(args, info, queries, all_times, id_times, tv_figures)
    print(f"load at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bench_engine(
    args: argparse.Namespace,
    info: dict[str, Any],
    queries: dict[str, list[str]],
    db_times: list[float],
    db_id_times: list[float],
    tv_figures: tuple[list[float], float, float] | None,
) -> None:
    """The product's tantivy engine (search.tantivy_engine), same corpus and queries, this run:
    built by `gongkai reindex`'s rebuild, checked against the scan, timed as the database engine."""
    from django.conf import settings

    from gongkai.catalog import search, search_bulk
    from gongkai.catalog.search import tantivy_engine

    print("\n## in-app tantivy engine (SEARCH_ENGINE=tantivy: search.search, SQL checks, snippets)")
    settings.SEARCH_ENGINE = "tantivy"
    settings.SEARCH_TANTIVY_DIR = str(Path(info["data_dir"]) / "search-tantivy")
    started = time.monotonic()
    done = search_bulk.rebuild(batch=5000, progress=lambda d, total: progress("engine", d, total, started))
    build = time.monotonic() - started
    size = dir_size(tantivy_engine.current_dir())
    print(
        f"engine build (search_bulk.rebuild, new directory + switch): {build:.1f} s, "
        f"{done / build:,.0f} records/s; index size {size / 2**20:,.0f} MiB"
    )
    for q in queries["2-char"][:10]:
        search.search(q)
    if args.recall_queries > 0:
        check_recall(queries, args.recall_queries)
    times_all: list[float] = []
    cpu_all: list[float] = []
    print("top-20 search.search:")
    for kind, qs in queries.items():
        times, cpu = timed_all(search.search, qs, limit=20)
        times_all += times
        cpu_all += cpu
        print(f"{kind:9} {ms(times, cpu)}")
    print(f"{'all':9} {ms(times_all, cpu_all)}")
    ids_all: list[float] = []
    ids_cpu: list[float] = []
    print("top-20 ranked ids only:")
    for kind, qs in queries.items():
        times, cpu = timed_all(ranked_ids, qs)
        ids_all += times
        ids_cpu += cpu
        print(f"{kind:9} {ms(times, cpu)}")
    print(f"{'all':9} {ms(ids_all, ids_cpu)}")
    med, p = statistics.median(times_all), p95(times_all)
    id_med, id_p = statistics.median(ids_all), p95(ids_all)
    print(
        f"ratio engine / database engine (search.search): median {med / statistics.median(db_times):.2f}x, "
        f"p95 {p / p95(db_times):.2f}x; ranked ids: median {id_med / statistics.median(db_id_times):.2f}x, "
        f"p95 {id_p / p95(db_id_times):.2f}x"
    )
    if tv_figures is not None:
        _, tv_med, tv_p95 = tv_figures
        print(
            f"ratio engine / raw tantivy: search.search median {med / tv_med:.1f}x, p95 {p / tv_p95:.1f}x; "
            f"ranked ids median {id_med / tv_med:.1f}x, p95 {id_p / tv_p95:.1f}x"
        )
    settings.SEARCH_ENGINE = "database"


if __name__ == "__main__":
    main()
