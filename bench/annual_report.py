"""Assembling the annual report of one year at a big agency's volume (SQLite).

    .venv/bin/python -m bench.annual_report [--records 1000000] [--applications 100000]
        [--year 2025] [--repeat 5] [--data-dir /tmp/gongkai-bench-annual] [--regenerate]

Writes, with bulk SQL (executemany in one transaction, on a migrated database in `--data-dir`),
catalog records spread over the eight years up to today (~1/8 in the report year) with their
channel publications and attachments, disclosure-on-request applications with replies and
outcomes, consultations and supplements, fee notices, reconsiderations and lawsuits, power and
approval items with their history, versions, duties and guides, press conferences and
interpretations, inquiries, online events and proposals, and new-media posts. No search index
(the report does not read it). A second run with the same sizes reuses the data
(`<data-dir>/bench-shape.json`); `--regenerate` starts over.

Then it times `assemble(year)` (what `gongkai report annual --year Y --format json` runs, plus
the JSON rendering apart), `--repeat` times (median, p95, CPU time), each app's figures provider
alone with the time its SQL spent in SQLite, and, as the best alternative, the bare COUNT /
GROUP BY queries those figures need, hand-written, on the same connection. Prints the data's
shape (rows per table, rows in the year), the load average and the figures. Target: <= 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

TARGET_S = 5.0
SEED = 2019
SHAPE_VERSION = 1
BEIJING = dt.timezone(dt.timedelta(hours=8))
JSON_COLUMNS = {"content": "{}", "faqs": "[]", "findings": "[]", "payload": "{}", "recovery_codes": "[]"}
WORD_LINE = (
    "关于 进一步 加强 全省 公安机关 户籍 管理 出入境 证件 办理 交通 安全 治安 整治 专项 行动 通知 "
    "实施 意见 办法 规定 公告 通告 工作 方案 年度 计划 统计 情况 通报 便民 服务 措施 网上 办事 "
    "居民身份证 驾驶证 机动车 登记 消防 监督 检查 禁毒 宣传 网络 安全 保护 个人信息 执法 规范化 建设"
)
WORDS = WORD_LINE.split()


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def utc(day: dt.date, hour: int, minute: int = 0) -> str:
    """A Beijing time of `day` as SQLite holds a Django timestamp (naive UTC text)."""
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class Writer:
    """executemany into one table: the given columns, every other NOT NULL column a constant."""

    def __init__(self, cursor: Any, table: str, columns: Sequence[str], batch: int = 20_000) -> None:
        self.cursor, self.table, self.batch = cursor, table, batch
        info = cursor.execute(
            f"PRAGMA table_info({table})"
        ).fetchall()  # cid, name, type, notnull, default, pk
        rest = [(name, self._default(name, kind)) for _cid, name, kind, notnull, _d, pk in info
                if notnull and not pk and name not in columns]  # fmt: skip
        names = [*columns, *(name for name, _ in rest)]
        quoted = ", ".join(f'"{n}"' for n in names)
        self.sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})"
        self.tail = tuple(value for _, value in rest)
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    @staticmethod
    def _default(name: str, kind: str) -> Any:
        kind = kind.lower()
        if name in JSON_COLUMNS:
            return JSON_COLUMNS[name]
        if kind.startswith(("integer", "bigint", "smallint", "bool", "decimal", "real")):
            return 0
        if kind == "datetime":
            return "2020-01-01 00:00:00"
        if kind == "date":
            return "2020-01-01"
        return ""

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.tail)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.cursor.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


class Generator:
    """The agency's data, deterministic for a seed; ids are assigned here (fresh tables)."""

    def __init__(self, cursor: Any, args: argparse.Namespace, today: dt.date) -> None:
        self.c, self.args, self.today = cursor, args, today
        self.rng = random.Random(SEED)
        self.first_day = dt.date(args.year - 6, 1, 1)  # eight years: Y-6 .. Y+1 (today)
        self.span = (today - self.first_day).days
        self.now = utc(today, 12)
        self.phases: list[tuple[str, int, float]] = []
        paragraphs = [self._sentence(self.rng.randint(40, 160)) for _ in range(400)]
        self.paragraphs = paragraphs

    def _sentence(self, chars: int) -> str:
        out: list[str] = []
        while sum(map(len, out)) < chars:
            out.append(self.rng.choice(WORDS))
        return "".join(out) + "。"

    def day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=self.rng.randrange(self.span))

    def phase(self, name: str, fn: Callable[[], int]) -> None:
        started = time.perf_counter()
        rows = fn()
        seconds = time.perf_counter() - started
        self.phases.append((name, rows, seconds))
        print(f"  {name}: {rows:,} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f}/s)", flush=True)

    # -- people and places -------------------------------------------------------------------

    def people(self) -> int:
        c = self.c
        departments = Writer(
            c, "accounts_department", ("id", "name", "kind", "position", "is_active", "parent_id")
        )
        names = ["吉林省公安厅", "公开办"] + [
            f"{n}" for n in ("出入境管理局", "交通警察总队", "治安管理总队", "户政管理处", "刑事侦查总队",
                             "网络安全保卫总队", "禁毒总队", "监所管理总队", "经济犯罪侦查总队", "法制总队",
                             "科技信息化总队", "警务保障部")
        ] + [f"{city}市公安局" for city in ("长春", "吉林", "四平", "辽源", "通化", "白山", "松原", "白城", "延边州")]  # fmt: skip
        for i, name in enumerate(names, start=1):
            kind = (
                "agency"
                if i == 1
                else "office"
                if i == 2
                else "city_bureau"
                if name.endswith("市公安局")
                else "police_branch"
            )
            departments.add(i, name, kind, i, 1, None if i == 1 else 1)
        departments.flush()
        self.departments = list(range(1, len(names) + 1))
        self.branches = self.departments[2:]
        users = Writer(
            c, "accounts_user", ("id", "password", "username", "is_active", "date_joined", "department_id")
        )
        for i in range(1, 41):
            users.add(i, "!", f"bench{i:02d}", 1, self.now, self.departments[(i - 1) % len(self.departments)])
        users.flush()
        self.users = list(range(1, 41))
        categories = c.execute("SELECT id, code, parent_id FROM catalog_category").fetchall()
        parents = {p for _i, _c, p in categories if p}
        self.category_ids = {code: pk for pk, code, _p in categories}
        # Leaves, weighted roughly as an agency's columns fill: news and alerts most.
        weights = {"news": 30, "alerts": 18, "policy-other": 6, "policy-rules": 2, "press": 5, "interpretation": 2,
                   "finance-budget": 1, "finance-final": 1, "finance-3p": 1, "procurement": 4, "personnel": 4,
                   "plans": 3, "approvals": 3, "powers-list": 2, "powers-duty": 1, "org-functions": 1,
                   "org-leaders": 1, "proposals": 2, "annual-reports": 0.01}  # fmt: skip
        leaves = [(pk, code) for pk, code, _p in categories if pk not in parents]
        self.leaf_ids = [pk for pk, _code in leaves]
        self.leaf_weights = [weights.get(code, 1) for _pk, code in leaves]
        return len(names) + len(self.users)

    # -- catalog -----------------------------------------------------------------------------

    def catalog(self) -> int:
        rng, c = self.rng, self.c
        records = Writer(c, "catalog_record", (
            "id", "index_number", "name", "summary", "body", "body_text", "formed_on", "issuer", "genre",
            "validity", "secrecy", "attribute", "status", "publish_due", "published_at", "withdrawn_at",
            "created_at", "updated_at", "version", "category_id", "created_by_id", "department_id",
        ))  # fmt: skip
        publications = Writer(
            c, "catalog_publication", ("channel", "published_at", "record_id", "recorded_by_id")
        )
        attachments = Writer(c, "catalog_attachment", (
            "file", "original_name", "extension", "content_type", "size", "sha256", "uploaded_at", "record_id",
            "uploaded_by_id",
        ))  # fmt: skip
        genres = ["news"] * 6 + [
            "notice",
            "announcement",
            "circular",
            "opinion",
            "measure",
            "report",
            "table",
            "guide",
        ]
        self.policy_records: list[tuple[int, dt.date]] = []
        self.social: list[tuple[int, str, str]] = []  # record, channel, published_at: for new-media posts
        policy = self.category_ids.get("policy-rules")
        n = self.args.records
        categories = rng.choices(self.leaf_ids, self.leaf_weights, k=n)
        started = time.perf_counter()
        for pk in range(1, n + 1):
            formed = self.day()
            department = rng.choice(self.departments)
            user = rng.choice(self.users)
            category = categories[pk - 1]
            body = "".join(rng.choices(self.paragraphs, k=rng.randint(1, 6)))
            name = self._sentence(rng.randint(10, 30))
            roll = rng.random()
            attribute = "proactive" if roll < 0.82 else "on_request" if roll < 0.94 else "withheld"
            created_day = formed + dt.timedelta(days=rng.randrange(4))
            created = utc(created_day, rng.randint(8, 18), rng.randrange(60))
            due = published = withdrawn = None
            status = "approved"
            if attribute == "proactive":
                due = (formed + dt.timedelta(days=28)).isoformat()
                roll = rng.random()
                status = ("published" if roll < 0.90 else "withdrawn" if roll < 0.92 else "draft" if roll < 0.96
                          else "submitted" if roll < 0.98 else "returned" if roll < 0.99 else "approved")  # fmt: skip
                lag = rng.randint(30, 60) if rng.random() < 0.03 else rng.randint(0, 25)
                on = created_day + dt.timedelta(days=lag)
                if status in ("published", "withdrawn") and on <= self.today:
                    published = utc(on, rng.randint(8, 23), rng.randrange(60))
                    if status == "withdrawn":
                        gone = min(on + dt.timedelta(days=rng.randint(20, 400)), self.today)
                        withdrawn = utc(gone, rng.randint(8, 18))
                    publications.add("portal", published, pk, user)
                    for channel, share in (("weibo", 0.22), ("wechat", 0.15), ("press_conference", 0.01)):
                        if rng.random() < share:
                            publications.add(channel, published, pk, user)
                            if channel in ("weibo", "wechat"):
                                self.social.append((pk, channel, published))
                    if category == policy:
                        self.policy_records.append((pk, on))
                elif status in ("published", "withdrawn"):
                    status = "approved"
            records.add(
                pk, f"{department:03d}/{formed.year}-{pk:07d}", name, body[:120], f"<p>{body}</p>", body,
                formed.isoformat(), "吉林省公安厅", rng.choice(genres), "in_force", "non_secret", attribute, status,
                due, published, withdrawn, created, published or created, 1, category, user, department,
            )  # fmt: skip
            if rng.random() < 0.12:
                ext = rng.choice((".pdf", ".docx", ".xlsx"))
                attachments.add(
                    f"bench/{pk}{ext}", f"附件{pk}{ext}", ext, "application/octet-stream", rng.randint(20_000, 3_000_000),
                    "0" * 64, created, pk, user,
                )  # fmt: skip
            if pk % 100_000 == 0:
                rate = pk / (time.perf_counter() - started)
                sys.stderr.write(f"\r    records {pk:,}/{n:,} ({rate:,.0f}/s)   ")
                sys.stderr.flush()
        if n >= 100_000:
            sys.stderr.write("\n")
        for writer in (records, publications, attachments):
            writer.flush()
        return records.count + publications.count + attachments.count

    # -- disclosure on request ---------------------------------------------------------------

    def inforequests(self) -> int:
        rng, c = self.rng, self.c
        from gongkai.inforequests.choices import Outcome

        apps = Writer(c, "inforequests_application", (
            "id", "tracking_number", "query_code_hash", "request_kind", "applicant_kind", "applicant_name",
            "id_number", "phone", "information_title", "form_wanted", "delivery", "channel", "received_on",
            "submitted_at", "rule_set", "clock_start", "due_on", "extended_due_on", "extended", "status",
            "handler_id", "outcome", "correction_outcome", "replied_on", "closed_at", "created_at", "version",
        ))  # fmt: skip
        pauses = Writer(c, "inforequests_pause", ("kind", "started_on", "ended_on", "application_id"))
        fees = Writer(c, "inforequests_feenotice", (
            "method", "units", "amount", "issued_on", "pay_by", "paid_on", "lapsed", "application_id", "issued_by_id",
        ))  # fmt: skip
        reviews = Writer(
            c, "inforequests_review", ("kind", "filed_on", "body", "result", "decided_on", "application_id")
        )
        assignments = Writer(c, "inforequests_assignment", ("application_id", "department_id", "due_on",
                                                            "assigned_by_id", "assigned_at"))  # fmt: skip
        outcome_weights = {
            Outcome.GRANTED: 34, Outcome.PARTIAL: 9, Outcome.DENIED_STATE_SECRET: 1, Outcome.DENIED_LAW_FORBID: 1,
            Outcome.DENIED_SECURITY: 1, Outcome.DENIED_THIRD_PARTY: 3, Outcome.DENIED_INTERNAL: 1,
            Outcome.DENIED_PROCESS: 2, Outcome.DENIED_CASE_FILE: 2, Outcome.DENIED_ADMIN_QUERY: 3,
            Outcome.UNABLE_NOT_HELD: 18, Outcome.UNABLE_NEEDS_CREATION: 4, Outcome.UNABLE_UNCLEAR: 2,
            Outcome.NOT_PROCESSED_PETITION: 6, Outcome.NOT_PROCESSED_REPEAT: 3, Outcome.NOT_PROCESSED_PUBLICATION: 1,
            Outcome.NOT_PROCESSED_MASSIVE: 1, Outcome.NOT_PROCESSED_CONFIRM: 1, Outcome.OTHER_NO_CORRECTION: 3,
            Outcome.OTHER_NO_FEE: 1, Outcome.OTHER: 3,
        }  # fmt: skip
        outcomes, weights = list(outcome_weights), list(outcome_weights.values())
        kinds = ["natural_person"] * 14 + [
            "commercial",
            "commercial",
            "research",
            "social_welfare",
            "legal_service",
            "other",
        ]
        open_statuses = ["received", "in_progress", "awaiting_supplement", "in_consultation", "reply_drafted"]
        handlers = self.users[:8]
        for pk in range(1, self.args.applications + 1):
            received = self.day()
            correction = rng.random() < 0.02
            due = received + dt.timedelta(days=28)
            age = (self.today - received).days
            is_open = rng.random() < (0.6 if age < 30 else 0.25 if age < 60 else 0.002)
            extended = rng.random() < 0.04
            replied = (
                None
                if is_open
                else min(received + dt.timedelta(days=rng.randint(1, 55 if extended else 30)), self.today)
            )
            outcome = correction_outcome = ""
            if replied and correction:
                correction_outcome = rng.choice(("corrected", "forwarded", "not_inaccurate"))
            elif replied:
                outcome = str(rng.choices(outcomes, weights)[0])
            apps.add(
                pk, f"GK{received.year}-{pk:07d}", "-", "correction" if correction else "disclosure", rng.choice(kinds),
                "某某", f"2201{pk:014d}", "13900000000", f"申请公开{self._sentence(12)}", "electronic", "email",
                rng.choice(("online", "online", "online", "letter", "in_person", "platform")), received.isoformat(),
                utc(received, rng.randint(0, 23), rng.randrange(60)), "2007" if received < dt.date(2019, 5, 15) else "2019",
                received.isoformat(), due.isoformat(), (due + dt.timedelta(days=28)).isoformat(), int(extended),
                rng.choice(open_statuses) if is_open else "closed", rng.choice(handlers), outcome, correction_outcome,
                replied and replied.isoformat(), replied and utc(replied, 17), utc(received, 9), 1,
            )  # fmt: skip
            roll = rng.random()
            if roll < 0.05:
                started = received + dt.timedelta(days=rng.randint(1, 5))
                ended = started + dt.timedelta(days=rng.randint(3, 15))
                pauses.add("supplement", started, None if is_open and ended > self.today else ended, pk)
            elif roll < 0.08:
                started = received + dt.timedelta(days=rng.randint(2, 8))
                ended = started + dt.timedelta(days=rng.randint(5, 15))
                kind = "third_party" if roll < 0.065 else "other_agency"
                pauses.add(kind, started, None if is_open and ended > self.today else ended, pk)
            elif roll < 0.09:
                issued = received + dt.timedelta(days=rng.randint(3, 10))
                paid = rng.random() < 0.7
                fees.add("per_volume", rng.randint(1, 40), f"{rng.randint(1, 40) * 10}.00", issued, issued + dt.timedelta(days=20),
                         issued + dt.timedelta(days=rng.randint(1, 15)) if paid else None, int(not paid), pk, rng.choice(handlers))  # fmt: skip
                pauses.add("fee", issued, issued + dt.timedelta(days=rng.randint(1, 15)), pk)
            if replied and rng.random() < 0.012:
                kind = rng.choices(
                    ("reconsideration", "litigation_direct", "litigation_after"), (70, 20, 10)
                )[0]
                filed = replied + dt.timedelta(days=rng.randint(10, 60))
                decided = filed + dt.timedelta(days=rng.randint(40, 200))
                if filed <= self.today:
                    done = decided <= self.today and rng.random() < 0.9
                    result = (
                        rng.choices(("upheld", "corrected", "other"), (75, 10, 15))[0] if done else "pending"
                    )
                    reviews.add(kind, filed, "吉林省人民政府", result, decided if done else None, pk)
            if rng.random() < 0.3:
                assignments.add(
                    pk,
                    rng.choice(self.branches),
                    received + dt.timedelta(days=10),
                    rng.choice(handlers),
                    utc(received, 10),
                )
        for writer in (apps, pauses, fees, reviews, assignments):
            writer.flush()
        return apps.count + pauses.count + fees.count + reviews.count + assignments.count

    # -- powers ------------------------------------------------------------------------------

    def powers(self) -> int:
        rng, c = self.rng, self.c
        items = Writer(c, "powers_poweritem", ("id", "list_kind", "category", "code", "name", "level", "status",
                                               "created_at", "updated_at", "version", "created_by_id", "department_id"))  # fmt: skip
        changes = Writer(
            c, "powers_itemchange", ("kind", "on", "document", "recorded_at", "recorded_by_id", "item_id")
        )
        versions = Writer(c, "powers_itemversion", (
            "id", "number", "list_kind", "category", "code", "name", "level", "is_live", "published_at",
            "department_id", "published_by_id", "item_id",
        ))  # fmt: skip
        charts = Writer(c, "powers_flowchart", ("version_id", "position", "procedure", "svg"))
        duties = Writer(c, "powers_responsibility", ("position", "stage", "duties", "item_id"))
        guides = Writer(c, "powers_serviceguide", ("conditions", "place", "item_id"))
        categories = ["licensing", "penalty", "enforcement", "levy", "benefit", "inspection", "confirmation",
                      "reward", "adjudication", "other"]  # fmt: skip
        category_weights = [8, 45, 12, 1, 1, 10, 8, 2, 1, 5]
        start = dt.date(self.args.year - 9, 1, 1)
        pk = 0
        for list_kind, count in (("powers", self.args.powers), ("approvals", self.args.powers // 10)):
            for _ in range(count):
                pk += 1
                category = (
                    "licensing" if list_kind == "approvals" else rng.choices(categories, category_weights)[0]
                )
                level = rng.choices(("province", "city", "county"), (60, 30, 10))[0]
                set_on = start + dt.timedelta(days=rng.randrange((self.today - start).days))
                removed = rng.random() < 0.15
                gone_on = set_on + dt.timedelta(days=rng.randint(60, 1500))
                removed = removed and gone_on <= self.today
                kind = rng.choice(("cancelled", "cancelled", "delegated")) if removed else ""
                items.add(pk, list_kind, category, f"{list_kind[:2].upper()}{pk:06d}", self._sentence(rng.randint(8, 20)),
                          level, kind or "published", utc(set_on, 9), utc(set_on, 9), 1, rng.choice(self.users),
                          rng.choice(self.departments))  # fmt: skip
                changes.add("set", set_on, f"吉公发〔{set_on.year}〕{pk % 90}号", utc(set_on, 10), 1, pk)
                if removed:
                    changes.add(
                        kind, gone_on, f"吉公发〔{gone_on.year}〕{pk % 90}号", utc(gone_on, 10), 1, pk
                    )
                number = 0
                on = set_on
                version_id = versions.count + len(versions.rows)
                while on <= self.today and number < 4:
                    number += 1
                    version_id += 1
                    versions.add(version_id, number, list_kind, category, f"{list_kind[:2].upper()}{pk:06d}", "事项",
                                 level, 0, utc(on, 11), rng.choice(self.departments), 1, pk)  # fmt: skip
                    if rng.random() < 0.6:  # one flowchart per procedure: most items one, some two
                        for position in range(1 if rng.random() < 0.9 else 2):
                            charts.add(version_id, position, ("一般程序", "简易程序")[position], "<svg/>")
                    on += dt.timedelta(days=rng.randint(200, 900))
                if list_kind == "powers" and rng.random() < 0.7:
                    for position in range(rng.randint(1, 3)):
                        duties.add(
                            position,
                            rng.choice(("accept", "examine", "decide", "supervise")),
                            "依法履行职责",
                            pk,
                        )
                if list_kind == "approvals" and rng.random() < 0.8:
                    guides.add("申请条件", "政务服务大厅", pk)
        for writer in (items, changes, versions, charts, duties, guides):
            writer.flush()
        return items.count + changes.count + versions.count + charts.count + duties.count + guides.count

    # -- press room, engagement, new media -----------------------------------------------------

    def pressroom(self) -> int:
        rng, c = self.rng, self.c
        conferences = Writer(c, "pressroom_conference", ("id", "title", "held_on", "host", "status", "published_at",
                                                         "created_at", "updated_at", "version", "created_by_id",
                                                         "department_id"))  # fmt: skip
        interpretations = Writer(c, "pressroom_interpretation", (
            "title", "form", "body", "status", "published_at", "withdrawn_at", "created_at", "updated_at", "version",
            "conference_id", "created_by_id", "department_id", "policy_id",
        ))  # fmt: skip
        held: list[tuple[int, dt.date]] = []
        for pk in range(1, self.args.conferences + 1):
            on = self.day()
            status = "published" if rng.random() < 0.95 else "draft"
            conferences.add(pk, f"新闻发布会{pk}", on, rng.choices(("government", "agency"), (25, 75))[0], status,
                            utc(on, 16) if status == "published" else None, utc(on, 9), utc(on, 16), 1,
                            rng.choice(self.users), 1)  # fmt: skip
            held.append((pk, on))
        for record, on in self.policy_records:
            if rng.random() < 0.35:
                form = rng.choices(("text", "graphic", "video", "conference"), (60, 25, 8, 7))[0]
                day = min(on + dt.timedelta(days=rng.randint(0, 10)), self.today)
                status = "published" if rng.random() < 0.96 else "withdrawn"
                conference = rng.choice(held)[0] if form == "conference" and held else None
                interpretations.add(f"解读{record}", form, "解读正文", status, utc(day, 15),
                                    utc(min(day + dt.timedelta(days=90), self.today), 9) if status == "withdrawn" else None,
                                    utc(day, 9), utc(day, 15), 1, conference, rng.choice(self.users), 1, record)  # fmt: skip
        conferences.flush()
        interpretations.flush()
        return conferences.count + interpretations.count

    def engagement(self) -> int:
        rng, c = self.rng, self.c
        inquiries = Writer(c, "engagement_inquiry", (
            "number", "query_code_hash", "kind", "topic", "title", "question", "wants_public", "status", "received_on",
            "submitted_at", "due_on", "due_workdays", "answer", "answered_at", "replied_on", "published_at", "rating",
            "rated_at", "version", "updated_at", "department_id",
        ))  # fmt: skip
        events = Writer(c, "engagement_onlineevent", ("kind", "title", "starts_at", "ends_at", "status", "version",
                                                      "updated_at", "created_by_id", "department_id"))  # fmt: skip
        proposals = Writer(c, "engagement_proposal", (
            "kind", "year", "number", "title", "proposer", "received_on", "due_on", "replied_on", "disclosed_on",
            "status", "version", "updated_at", "created_by_id", "lead_department_id",
        ))  # fmt: skip
        topics = ("exit_entry", "household", "id_card", "traffic", "public_order", "other")
        for pk in range(1, self.args.inquiries + 1):
            received = self.day()
            due = received + dt.timedelta(days=14)
            age = (self.today - received).days
            roll = rng.random()
            replied = published = rated = None
            rating = ""
            if roll < 0.03:
                status = "rejected"
            elif age < 20 and roll < 0.5:
                status = rng.choice(("held", "submitted", "routed", "answered"))
            else:
                replied = min(received + dt.timedelta(days=rng.randint(1, 20)), self.today)
                status = "published" if rng.random() < 0.55 else "replied"
                if status == "published":
                    published = utc(replied, 16)
                if rng.random() < 0.3:
                    rating = rng.choices(("satisfied", "basically", "unsatisfied"), (70, 20, 10))[0]
                    rated = utc(min(replied + dt.timedelta(days=rng.randint(0, 10)), self.today), 20)
            inquiries.add(
                f"ZX{received.year}{pk:08d}", "-", rng.choice(("inquiry", "message")), rng.choice(topics),
                self._sentence(12), self._sentence(60), int(rng.random() < 0.7), status, received,
                utc(received, rng.randint(0, 23)), due, 10, "答复" if replied else "", replied and utc(replied, 15),
                replied, published, rating, rated, 1, self.now, rng.choice(self.branches),
            )  # fmt: skip
        for _ in range(self.args.events):
            on = self.day()
            status = rng.choices(("archived", "announced", "draft"), (85, 5, 10))[0]
            events.add(rng.choice(("interview", "live", "release")), "在线访谈", utc(on, 10), utc(on, 11), status, 1,
                       self.now, 1, rng.choice(self.branches))  # fmt: skip
        numbers: dict[tuple[int, str], int] = {}
        for _ in range(self.args.proposals):
            received = self.day()
            kind = rng.choice(("npc", "cppcc"))
            key = (received.year, kind)
            numbers[key] = numbers.get(key, 0) + 1
            replied = received + dt.timedelta(days=rng.randint(30, 90))
            replied_on = replied if replied <= self.today else None
            disclosed = replied_on and replied_on + dt.timedelta(days=rng.randint(10, 40))
            disclosed = disclosed if disclosed and disclosed <= self.today and rng.random() < 0.6 else None
            status = "disclosed" if disclosed else "replied" if replied_on else "registered"
            proposals.add(kind, received.year, f"{numbers[key]:04d}", "关于加强交通安全的建议", "某代表", received,
                          received + dt.timedelta(days=90), replied_on, disclosed, status, 1, self.now, 1,
                          rng.choice(self.branches))  # fmt: skip
        for writer in (inquiries, events, proposals):
            writer.flush()
        return inquiries.count + events.count + proposals.count

    def newmedia(self) -> int:
        rng, c = self.rng, self.c
        channels = Writer(c, "newmedia_channel", ("id", "slug", "name", "adapter", "catalog_channel", "max_length",
                                                  "active", "position", "created_at", "updated_at", "version"))  # fmt: skip
        channels.add(1, "weibo", "吉林公安微博", "webhook_json", "weibo", 2000, 1, 1, self.now, self.now, 1)
        channels.add(
            2, "wechat", "吉林公安微信", "webhook_json", "wechat", 20000, 1, 2, self.now, self.now, 1
        )
        channels.flush()
        posts = Writer(c, "newmedia_post", ("origin", "state", "idempotency_key", "requested_at", "attempts",
                                            "delivered_at", "failed_at", "version", "channel_id", "record_id"))  # fmt: skip
        for record, channel, published in self.social:
            failed = rng.random() < 0.02
            posts.add("sent", "failed" if failed else "delivered", f"{channel}:{record}", published, 1 if not failed else 5,
                      None if failed else published, published if failed else None, 1, 1 if channel == "weibo" else 2,
                      record)  # fmt: skip
        posts.flush()
        return channels.count + posts.count


def generate(args: argparse.Namespace, today: dt.date) -> list[tuple[str, int, float]]:
    from django.db import connection, transaction

    connection.ensure_connection()
    with connection.cursor() as django_cursor:
        django_cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        cursor = connection.connection.cursor()
        gen = Generator(cursor, args, today)
        gen.phase("departments, users", gen.people)
        gen.phase("catalog (records, publications, attachments)", gen.catalog)
        gen.phase("inforequests (applications, pauses, fees, reviews, assignments)", gen.inforequests)
        gen.phase("powers (items, changes, versions, flowcharts, duties, guides)", gen.powers)
        gen.phase("pressroom (conferences, interpretations)", gen.pressroom)
        gen.phase("engagement (inquiries, events, proposals)", gen.engagement)
        gen.phase("newmedia (channels, posts)", gen.newmedia)
        started = time.perf_counter()
    gen.phases.append(("commit", 0, time.perf_counter() - started))
    # The one transaction left its pages in the WAL; readers would look each one up there.
    with connection.cursor() as django_cursor:
        django_cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return gen.phases


# -- the data's shape ---------------------------------------------------------------------------

# (table, the column the figures date it by, is it a timestamp) for the rows in the year.
DATED: tuple[tuple[str, str, bool], ...] = (
    ("catalog_record", "published_at", True),
    ("catalog_publication", "published_at", True),
    ("catalog_attachment", "uploaded_at", True),
    ("inforequests_application", "received_on", False),
    ("inforequests_pause", "started_on", False),
    ("inforequests_feenotice", "issued_on", False),
    ("inforequests_review", "filed_on", False),
    ("inforequests_assignment", "assigned_at", True),
    ("powers_poweritem", "created_at", True),
    ("powers_itemchange", '"on"', False),
    ("powers_itemversion", "published_at", True),
    ("powers_flowchart", "", False),
    ("powers_responsibility", "", False),
    ("powers_serviceguide", "", False),
    ("pressroom_conference", "held_on", False),
    ("pressroom_interpretation", "published_at", True),
    ("engagement_inquiry", "received_on", False),
    ("engagement_onlineevent", "starts_at", True),
    ("engagement_proposal", "received_on", False),
    ("newmedia_post", "delivered_at", True),
)


def year_bounds(year: int, timestamp: bool) -> tuple[str, str]:
    if timestamp:
        return utc(dt.date(year, 1, 1), 0), utc(dt.date(year + 1, 1, 1), 0)
    return f"{year}-01-01", f"{year + 1}-01-01"


def print_shape(cursor: Any, year: int, path: Path) -> None:
    size = sum(f.stat().st_size for f in path.parent.glob(path.name + "*"))
    print(f"data: {path} ({size / 2**30:.2f} GiB)")
    print(f"  {'table':28s} {'rows':>11s} {'in ' + str(year):>11s}  (dated by)")
    for table, column, timestamp in DATED:
        total = cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        in_year = ""
        if column:
            first, after = year_bounds(year, timestamp)
            n = cursor.execute(
                f"SELECT count(*) FROM {table} WHERE {column} >= ? AND {column} < ?", (first, after)
            )
            in_year = f"{n.fetchone()[0]:,}"
        print(f"  {table:28s} {total:>11,} {in_year:>11s}  {column.strip(chr(34))}")
    first, after = year_bounds(year, False)
    replied = cursor.execute(
        "SELECT count(*) FROM inforequests_application WHERE replied_on >= ? AND replied_on < ?",
        (first, after),
    ).fetchone()[0]
    print(f"  applications replied in {year}: {replied:,}")


# -- the best alternative: the bare queries the figures need --------------------------------------


def bare_queries(year: int) -> dict[str, list[tuple[str, tuple[Any, ...]]]]:
    """Per app, hand-written COUNT / GROUP BY statements giving the same numbers the provider gives
    (table 三's flow and results, table 四, the catalog's per-column, channel and activity counts, …):
    the floor the providers' own SQL and Python are compared with."""
    d0, d1 = f"{year}-01-01", f"{year}-12-31"
    t0, t1 = year_bounds(year, True)
    late_hours = 24 - 8
    return {
        "catalog": [
            ("SELECT count(*) FROM catalog_record WHERE published_at >= ? AND published_at < ?", (t0, t1)),
            (
                "SELECT category_id, count(*) FROM catalog_record WHERE published_at >= ? AND published_at < ? "
                "GROUP BY category_id",
                (t0, t1),
            ),
            (
                "SELECT channel, count(*) FROM catalog_publication WHERE published_at >= ? AND published_at < ? "
                "GROUP BY channel",
                (t0, t1),
            ),
            (
                "SELECT count(*) FILTER (WHERE formed_on >= ?1 AND formed_on <= ?2 AND attribute = 'proactive'), "
                "count(*) FILTER (WHERE formed_on >= ?1 AND formed_on <= ?2 AND attribute = 'on_request'), "
                "count(*) FILTER (WHERE formed_on >= ?1 AND formed_on <= ?2 AND attribute = 'withheld'), "
                "count(*) FILTER (WHERE created_at >= ?3 AND created_at < ?4), "
                "count(*) FILTER (WHERE withdrawn_at >= ?3 AND withdrawn_at < ?4), "
                "count(*) FILTER (WHERE published_at >= ?3 AND published_at < ?4 AND publish_due IS NOT NULL AND "
                f"published_at >= datetime(publish_due, '+{late_hours} hours')) FROM catalog_record",
                (d0, d1, t0, t1),
            ),
            ("SELECT count(*) FROM catalog_attachment WHERE uploaded_at >= ? AND uploaded_at < ?", (t0, t1)),
            (  # table 二 row 二.1: the normative documents (规范性文件 and its leaves)
                "SELECT count(*) FILTER (WHERE formed_on >= ?1 AND formed_on <= ?2), "
                "count(*) FILTER (WHERE validity = 'repealed' AND repealed_on >= ?1 AND repealed_on <= ?2), "
                "count(*) FILTER (WHERE formed_on <= ?2 AND (validity IN ('in_force', 'amended') OR "
                "(validity = 'repealed' AND repealed_on > ?2))) FROM catalog_record WHERE status = 'published' "
                "AND category_id IN (SELECT id FROM catalog_category WHERE code = 'policy-rules' OR parent_id IN "
                "(SELECT id FROM catalog_category WHERE code = 'policy-rules'))",
                (d0, d1),
            ),
        ],
        "inforequests": [
            (
                "SELECT applicant_kind, sum(received_on >= ?1), "
                "sum(received_on < ?1 AND (replied_on IS NULL OR replied_on >= ?1)), "
                "sum(replied_on IS NULL OR replied_on > ?2) FROM inforequests_application "
                "WHERE request_kind = 'disclosure' AND received_on <= ?2 GROUP BY applicant_kind",
                (d0, d1),
            ),
            (
                "SELECT applicant_kind, outcome, count(*) FROM inforequests_application WHERE request_kind = 'disclosure' "
                "AND replied_on >= ? AND replied_on <= ? GROUP BY applicant_kind, outcome",
                (d0, d1),
            ),
            (
                "SELECT kind, result, decided_on IS NULL OR decided_on > ?2, count(*) FROM inforequests_review "
                "WHERE filed_on <= ?2 AND (decided_on IS NULL OR decided_on >= ?1) GROUP BY 1, 2, 3",
                (d0, d1),
            ),
            (
                "SELECT id, received_on, replied_on FROM inforequests_application WHERE request_kind = 'disclosure' "
                "AND replied_on >= ? AND replied_on <= ?",
                (d0, d1),
            ),
            (
                "SELECT p.application_id, p.started_on, p.ended_on FROM inforequests_pause p JOIN inforequests_application a "
                "ON a.id = p.application_id WHERE a.request_kind = 'disclosure' AND a.replied_on >= ? AND a.replied_on <= ? "
                "AND p.kind != 'supplement'",
                (d0, d1),
            ),
            (
                "SELECT sum(received_on >= ?1 AND received_on <= ?2), correction_outcome, count(*) "
                "FROM inforequests_application WHERE request_kind = 'correction' AND "
                "((received_on >= ?1 AND received_on <= ?2) OR (replied_on >= ?1 AND replied_on <= ?2)) "
                "GROUP BY correction_outcome",
                (d0, d1),
            ),
        ],
    }


def time_bare(cursor: Any, queries: Iterable[tuple[str, tuple[Any, ...]]]) -> float:
    started = time.perf_counter()
    for sql, params in queries:
        cursor.execute(sql, params).fetchall()
    return time.perf_counter() - started


# -- measuring -----------------------------------------------------------------------------------


class SqlClock:
    """Time spent inside cursor.execute (SQLite computes an aggregate there), and the statements."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.seconds += spent
            self.statements.append((spent, sql))


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], list[float], Any]:
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus, out


def summary(walls: Sequence[float], cpus: Sequence[float] | None = None) -> str:
    text = f"median {statistics.median(walls):7.3f} s  p95 {percentile(walls, 0.95):7.3f} s  max {max(walls):7.3f} s"
    if cpus:
        text += f"  (CPU median {statistics.median(cpus):.3f} s)"
    return text


def ms(values: Sequence[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f}"


def measure(args: argparse.Namespace) -> bool:
    from django.db import connection

    from gongkai.annualreport.assemble import assemble
    from gongkai.annualreport.exporting import render
    from gongkai.core import figures as core_figures
    from gongkai.core.figures import Period

    year, period = args.year, Period.year(args.year)
    registry = core_figures.registry
    cursor = connection.connection.cursor()
    print(f"load before timing: {load()}")
    assemble(year)  # warm: translations, the calendar, the statement cache
    walls, cpus, doc = timed(lambda: assemble(year), args.repeat)
    ok = max(walls) <= TARGET_S
    verdict = "ok" if ok else "SLOW"
    print(f"assemble({year}) x{args.repeat}: {summary(walls, cpus)}  [{verdict}, target {TARGET_S:.0f} s]")
    json_walls, json_cpus, body = timed(lambda: render(doc, "json"), args.repeat)
    print(f"  + render json ({len(body):,} bytes): median {ms(json_walls)} ms, CPU {ms(json_cpus)} ms")
    figures = core_figures.collect(period)
    draft_walls, draft_cpus, _d = timed(lambda: assemble(year, figures=figures), args.repeat)
    print(f"  drafting alone (figures given): median {ms(draft_walls)} ms, CPU {ms(draft_cpus)} ms")

    print(
        f"per provider (x{args.repeat}, medians in ms; SQL = wall time inside cursor.execute; load {load()}):"
    )
    print(f"  {'app':13s} {'wall':>8s} {'p95':>8s} {'CPU':>8s} {'SQL':>8s}")
    provider_walls: dict[str, float] = {}
    provider_cpus: dict[str, float] = {}
    slowest: list[tuple[float, str, str]] = []
    for label in registry.apps():
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            runs, cpu, out = timed(lambda label=label: registry.collect(period, apps=[label]), args.repeat)
        provider_walls[label], provider_cpus[label] = statistics.median(runs), statistics.median(cpu)
        statements = len(clock.statements) // args.repeat
        print(f"  {label:13s} {ms(runs)} {percentile(runs, 0.95) * 1000:8.1f} {ms(cpu)} "
              f"{clock.seconds / args.repeat * 1000:8.1f}  {statements} statements, {len(out)} figures")  # fmt: skip
        per_statement: dict[str, float] = {}
        for spent, sql in clock.statements:
            per_statement[sql] = per_statement.get(sql, 0.0) + spent / args.repeat
        slowest += [(spent, label, sql) for sql, spent in per_statement.items()]
    print(
        f"  {'sum':13s} {sum(provider_walls.values()) * 1000:8.1f} {'':8s} {sum(provider_cpus.values()) * 1000:8.1f}"
    )
    print("slowest statements (wall, mean per run):")
    for spent, label, sql in sorted(slowest, reverse=True)[:6]:
        print(f"  {spent * 1000:8.1f} ms  {label}: {sql[:140]}")

    bare = bare_queries(year)
    print(f"best alternative: the bare COUNT / GROUP BY queries (x{args.repeat}, medians in ms):")
    floor_wall = floor_cpu = 0.0
    for label, queries in bare.items():
        runs, cpu, _o = timed(lambda queries=queries: time_bare(cursor, queries), args.repeat)
        floor_wall += statistics.median(runs)
        floor_cpu += statistics.median(cpu)
        print(f"  {label:13s} wall {ms(runs)}  CPU {ms(cpu)}  ({len(queries)} statements)")
    t0, t1 = year_bounds(year, True)
    scan, _c, _o = timed(
        lambda: time_bare(cursor, [("SELECT count(*) FROM catalog_record", ())]), args.repeat
    )
    in_year, _c, _o = timed(lambda: time_bare(cursor, [(
        "SELECT count(*) FROM catalog_record WHERE published_at >= ? AND published_at < ?", (t0, t1))]), args.repeat)  # fmt: skip
    print(f"  plain SELECT count(*) FROM catalog_record: {statistics.median(scan) * 1000:.2f} ms; "
          f"WHERE published in {year}: {statistics.median(in_year) * 1000:.2f} ms")  # fmt: skip
    covered_wall = sum(provider_walls.get(label, 0.0) for label in bare)
    covered_cpu = sum(provider_cpus.get(label, 0.0) for label in bare)
    print(f"ratio (catalog + inforequests providers / their bare queries): wall {covered_wall / floor_wall:.2f}x, "
          f"CPU {covered_cpu / floor_cpu:.2f}x; whole assemble / bare queries: wall "
          f"{statistics.median(walls) / floor_wall:.2f}x, CPU {statistics.median(cpus) / floor_cpu:.2f}x")  # fmt: skip

    by_code = {f.code: f.value for f in figures}
    print(f"figures of {year} ({len(by_code)} in all; load {load()}):")
    for code in (
        "catalog.records.published.total", "catalog.publications.portal", "catalog.publications.weibo",
        "catalog.records.formed.total", "catalog.records.published_late", "catalog.attachments.uploaded",
        "inforequests.table3.new_received.total", "inforequests.table3.carried_over.total",
        "inforequests.table3.total_processed.total", "inforequests.table3.granted.total",
        "inforequests.table3.carried_forward.total", "inforequests.table4.reconsideration.total",
        "inforequests.times.median", "inforequests.times.on_time_rate", "powers.items.total",
        "powers.items.reduction.rate", "pressroom.conferences.total", "pressroom.interpretations.total",
        "pressroom.policies.uninterpreted", "engagement.inquiries.received", "engagement.inquiries.satisfaction_rate",
        "newmedia.posts.delivered",
    ):  # fmt: skip
        print(f"  {code:45s} {by_code.get(code, '—')}")
    from gongkai.inforequests import stats

    broken = stats.check_table_3(stats.table_3(period.start, period.end))
    print(f"table 三 consistency (T3-BAL/SUM/COL): {broken or 'ok'}")
    print(f"load at the end: {load()}")
    return ok and not broken


def setup(args: argparse.Namespace) -> Path:
    os.environ.pop("DATABASE_URL", None)
    data_dir = Path(args.data_dir)
    if data_dir.resolve() == (Path(__file__).resolve().parent.parent / "data").resolve():
        sys.exit("refusing to use the project's data directory")
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    return data_dir


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--applications", type=int, default=100_000)
    ap.add_argument("--inquiries", type=int, default=80_000)
    ap.add_argument("--powers", type=int, default=3_000, help="power-list items (approval items: a tenth)")
    ap.add_argument("--conferences", type=int, default=480)
    ap.add_argument("--events", type=int, default=320)
    ap.add_argument("--proposals", type=int, default=800)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "gongkai-bench-annual"))
    ap.add_argument("--regenerate", action="store_true", help="start over even when the data fits")
    args = ap.parse_args()

    data_dir = setup(args)
    shape_file = data_dir / "bench-shape.json"
    shape = {k: getattr(args, k) for k in ("records", "applications", "inquiries", "powers", "conferences",
                                            "events", "proposals", "year")}  # fmt: skip
    shape["version"] = SHAPE_VERSION
    database = data_dir / "gongkai.sqlite3"
    reuse = (
        not args.regenerate
        and database.exists()
        and shape_file.exists()
        and (json.loads(shape_file.read_text()) == shape)
    )
    if not reuse:
        shape_file.unlink(missing_ok=True)
        for f in data_dir.glob("gongkai.sqlite3*"):
            f.unlink()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.core import clock

    print(f"# annual report bench — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"SQLite {connection.Database.sqlite_version}, load {load()}")  # fmt: skip
    if reuse:
        sizes = ", ".join(f"{k} {v:,}" for k, v in shape.items() if k != "version")
        print(f"reusing the data in {data_dir} ({sizes})")
        # Migrations added since the data was made (a new index, a moved column) apply to it.
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"migrated in {time.perf_counter() - started:.1f} s")
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"migrated in {time.perf_counter() - started:.1f} s; generating (load {load()}):")
        started = time.perf_counter()
        phases = generate(args, clock.today())
        total = time.perf_counter() - started
        print(f"generated in {total:.1f} s (commit {phases[-1][2]:.1f} s; load {load()})")
        shape_file.write_text(json.dumps(shape))
    connection.ensure_connection()
    print_shape(connection.connection.cursor(), args.year, database)
    ok = measure(args)
    print("target met" if ok else "target missed")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
