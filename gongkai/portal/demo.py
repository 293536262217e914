"""Demo data: the seed agency's 2015 catalog (吉林省公安厅), deterministic.

Records go through the services for a handful of workflow examples (so timelines exist); the bulk
of the published catalog and the channel counts (nearly 10,000 items, about 8,000 on Weibo and
WeChat, 20 press conferences) go through the catalog's bulk API (`catalog.importer.load_records`,
`add_publications`), like an import: the demo writes no catalog table itself.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from gongkai.accounts import twofactor
from gongkai.accounts.choices import DepartmentKind, Role
from gongkai.accounts.models import Department, User
from gongkai.accounts.services import do_create_staff
from gongkai.catalog import importer, services
from gongkai.catalog.choices import Channel, DisclosureAttribute, Genre, LegalBasis, Status, Validity
from gongkai.catalog.models import Category, Publication, Record
from gongkai.core.audit import log_event
from gongkai.portal import demo_text

DEMO_PASSWORD = "demo-pass-2015"  # noqa: S105 - the published demo password
TZ = ZoneInfo("Asia/Shanghai")
AGENCY = "吉林省公安厅"

DEPARTMENTS = [
    ("指挥中心", DepartmentKind.OFFICE, "公开办"),
    ("办公室", DepartmentKind.DEPARTMENT, ""),
    ("政治部", DepartmentKind.DEPARTMENT, ""),
    ("警务保障部", DepartmentKind.DEPARTMENT, ""),
    ("法制总队", DepartmentKind.DEPARTMENT, ""),
    ("治安管理总队", DepartmentKind.POLICE_BRANCH, "治安"),
    ("交通警察总队", DepartmentKind.POLICE_BRANCH, "交管"),
    ("出入境管理局", DepartmentKind.POLICE_BRANCH, "出入境"),
    ("户政管理处", DepartmentKind.POLICE_BRANCH, "户政"),
    ("网络安全保卫总队", DepartmentKind.POLICE_BRANCH, "网安"),
    ("消防总队", DepartmentKind.POLICE_BRANCH, "消防"),
    ("刑事侦查总队", DepartmentKind.POLICE_BRANCH, "刑侦"),
    ("禁毒总队", DepartmentKind.POLICE_BRANCH, "禁毒"),
    ("监所管理总队", DepartmentKind.POLICE_BRANCH, "监管"),
    ("吉林省公安厅警犬基地", DepartmentKind.AFFILIATED, ""),
    ("长春市公安局", DepartmentKind.CITY_BUREAU, ""),
    ("吉林市公安局", DepartmentKind.CITY_BUREAU, ""),
    ("延边朝鲜族自治州公安局", DepartmentKind.CITY_BUREAU, ""),
    ("四平市公安局", DepartmentKind.CITY_BUREAU, ""),
]

STAFF = [
    ("gongkaiban", "刘公开", "指挥中心", [Role.REVIEWER]),
    # The office's own items (its annual report) are drafted by an editor of the office: the
    # reviewer who approves them must be a second person (four eyes).
    ("zhihui", "何指挥", "指挥中心", [Role.EDITOR]),
    ("lingdao", "孙厅长", None, [Role.LEADER]),
    ("churujing", "王出入", "出入境管理局", [Role.EDITOR]),
    ("churujing_head", "金局长", "出入境管理局", [Role.HEAD]),
    ("jiaoguan", "赵交管", "交通警察总队", [Role.EDITOR]),
    ("zhian", "钱治安", "治安管理总队", [Role.EDITOR]),
    ("huzheng", "周户政", "户政管理处", [Role.EDITOR]),
    ("baozhang", "吴保障", "警务保障部", [Role.EDITOR]),
    ("fazhi", "郑法制", "法制总队", [Role.EDITOR]),
    ("sysadmin", "冯系统", "指挥中心", [Role.SYSTEM_ADMIN]),
    ("secadmin", "陈安全", "指挥中心", [Role.SECURITY_ADMIN]),
    ("auditadmin", "褚审计", "指挥中心", [Role.AUDIT_ADMIN]),
]

# Named items of the seed report, each placed in its column.
SEED_ITEMS = [
    (
        "press",
        "出入境管理局",
        "延吉口岸签证业务启动新闻发布会",
        "2015-03-18",
        Genre.NEWS,
        "延吉口岸签证业务正式启动，外国人可在口岸申办签证。",
        "签证,口岸,出入境",
    ),
    (
        "press",
        "出入境管理局",
        "出台五项出入境便民利民措施新闻发布会",
        "2015-05-12",
        Genre.NEWS,
        "省公安厅出台五项出入境便民利民措施，方便群众办理出入境证件。",
        "出入境,便民,护照",
    ),
    (
        "press",
        "治安管理总队",
        "改进公安派出所出具证明工作新闻发布会",
        "2015-07-08",
        Genre.NEWS,
        "规范和减少派出所出具证明事项，群众办事更便捷。",
        "派出所,证明,户籍",
    ),
    (
        "powers-duty",
        "法制总队",
        "关于公示吉林省公安厅责任清单的通告",
        "2015-10-20",
        Genre.CIRCULAR,
        "公示省公安厅7类行政职权对应的责任事项、职责边界、公共服务事项和事中事后监管措施。",
        "责任清单,权力清单",
    ),
    (
        "approvals",
        "法制总队",
        "吉林公安行政审批（办事）项目办理标准",
        "2015-09-01",
        Genre.GUIDE,
        "涵盖10个警种110项公安行政审批项目的办理标准。",
        "行政审批,办理标准,办事指南",
    ),
    (
        "finance-final",
        "警务保障部",
        "吉林省公安厅厅机关2014年部门决算",
        "2015-07-15",
        Genre.REPORT,
        "厅机关2014年度收入支出决算情况。",
        "部门决算,财政",
    ),
    (
        "finance-budget",
        "警务保障部",
        "吉林省公安厅厅机关2015年部门预算",
        "2015-02-10",
        Genre.REPORT,
        "厅机关2015年度收入支出预算情况。",
        "部门预算,财政",
    ),
    (
        "finance-3p",
        "警务保障部",
        "吉林省公安厅2014年厅机关“三公”经费执行情况",
        "2015-07-15",
        Genre.REPORT,
        "因公出国（境）费、公务用车购置及运行费、公务接待费执行情况。",
        "三公经费,财政",
    ),
    (
        "powers-list",
        "法制总队",
        "吉林省公安厅行政职权目录（九大类79项）",
        "2015-06-30",
        Genre.TABLE,
        "清理后的厅机关行政职权项目九大类79项，附基本信息表和权力运行流程图。",
        "权力清单,行政职权",
    ),
    (
        "annual-reports",
        "指挥中心",
        "吉林省公安厅2014年度政府信息公开工作报告",
        "2015-03-20",
        Genre.REPORT,
        "2014年度政府信息公开工作情况。",
        "年度报告,政府信息公开",
    ),
]

# The bulk catalog's generator draws, for each record, a column, a subject position among 34 (the
# demo's first subject list) and a title template, then its dates, 4 of 7 body sentences, its
# department, issuer, document number and a genre. The words are now written by `demo_text` from
# the record itself (its genre from its title, its body from its kind and topic), but every draw is
# kept as it was: the dates, departments and channels that the seed reproduction counts follow them.
SUBJECT_DRAWS = 34
BODY_DRAWS = 7


def _dt(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def demo_loaded() -> bool:
    return User.objects.filter(username="gongkaiban").exists()


@transaction.atomic
def load_demo(progress: Callable[[str], None] = lambda _msg: None) -> dict[str, int]:
    rng = random.Random(2015)  # noqa: S311 - deterministic demo data, not security
    before = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    agency = Department.objects.create(name=AGENCY, kind=DepartmentKind.AGENCY, position=0)
    departments: dict[str, Department] = {}
    for position, (name, kind, short) in enumerate(DEPARTMENTS, start=1):
        departments[name] = Department.objects.create(
            name=name, kind=kind, short_name=short, parent=agency, position=position
        )
    staff: dict[str, User] = {}
    for username, full_name, dept, roles in STAFF:
        staff[username] = do_create_staff(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            department=departments[dept] if dept else agency,
            roles=roles,
            email=f"{username}@gongkai.example",
            actor=None,
        )
    progress(f"departments: {len(departments) + 1}, staff: {len(staff)}")
    reviewer = staff["gongkaiban"]
    categories = {c.code: c for c in Category.objects.all()}
    org_code = settings.AGENCY_ORG_CODE

    # 1. The seed's named items, through the services: draft → submitted → approved → published.
    #    The department's editor drafts and submits; the office reviewer, a second person, approves.
    editors_by_dept = {
        u.department.name: u for u in staff.values() if u.department and u.has_role(Role.EDITOR)
    }
    for code, dept_name, name, formed, genre, summary, keywords in SEED_ITEMS:
        formed_on = dt.date.fromisoformat(formed)
        author = editors_by_dept[dept_name]
        record = services.do_create_record(
            {
                "name": name,
                "summary": summary,
                "formed_on": formed_on,
                "issuer": AGENCY,
                "genre": genre,
                "body": demo_text.write_body(
                    name,
                    subject=name,
                    topic=demo_text.DEPARTMENT_TOPICS.get(dept_name, "policing"),
                    department=dept_name,
                    formed_on=formed_on,
                    agency=AGENCY,
                    key=name,
                ),
                "category": categories[code],
                "keywords": keywords,
                "department": departments[dept_name],
            },
            actor=author,
            now=_dt(formed_on, 9),
        )
        record = services.do_submit_record(record, actor=author, expected_version=record.version)
        record = services.do_approve_record(record, actor=reviewer, expected_version=record.version)
        services.do_publish_record(
            record,
            actor=reviewer,
            expected_version=record.version,
            now=_dt(formed_on + dt.timedelta(days=3), 10),
        )
    progress(f"seed items: {len(SEED_ITEMS)}")

    # 2. The 2015 catalog in bulk (published through the year, as an import would load it), through
    #    the catalog's bulk API: records, their transitions, portal publications, audit events, index.
    dept_names = list(departments)
    rows: list[dict[str, Any]] = []
    sequence = Record.objects.filter(index_number__startswith=f"{org_code}/2015-").count()
    day0 = dt.date(2015, 1, 5)
    for i in range(1600):
        code = rng.choice(list(demo_text.TITLES))
        draw = rng.choice(range(SUBJECT_DRAWS))
        template_index = rng.choice(range(len(demo_text.TITLES[code])))
        formed_on = day0 + dt.timedelta(days=rng.randrange(0, 355))
        published_on = formed_on + dt.timedelta(days=rng.randrange(0, 20))
        sequence += 1
        rng.sample(range(BODY_DRAWS), 4)  # drawn as before; the body is written below
        department = departments[rng.choice(dept_names)]
        written = demo_text.write_record(
            code,
            template_index,
            draw,
            department=department.name,
            formed_on=formed_on,
            agency=AGENCY,
            key=f"{sequence}:{code}:{draw}",
        )
        body = written.body
        rows.append(
            {
                "index_number": f"{org_code}/2015-{sequence:05d}",
                "name": written.name,
                "summary": f"{written.subject}相关{categories[code].name}信息。",
                "body": body,
                "body_text": body.replace("<p>", "").replace("</p>", " ").strip(),
                "formed_on": formed_on,
                "issuer": AGENCY if rng.random() < 0.8 else department.name,
                "doc_number": f"吉公{rng.choice('发通办字')}〔2015〕{rng.randrange(1, 200)}号"
                if rng.random() < 0.5
                else "",
                "category_id": categories[code].pk,
                "genre": written.genre,
                "keywords": written.subject,
                "department_id": department.pk,
                "status": Status.PUBLISHED,
                "attribute": DisclosureAttribute.PROACTIVE,
                "publish_due": services.compute_publish_due(formed_on),
                "published_at": _dt(published_on, 8 + i % 9, i % 60),
                "created_by_id": editors_by_dept.get(department.name, reviewer).pk,
                "created_at": _dt(formed_on, 9),
                "updated_at": _dt(published_on, 8 + i % 9, i % 60),
            }
        )
        rng.choice(Genre.values)  # drawn as before (later draws follow it); the genre is the title's
    # Annual report table 二 counts the normative documents (规范性文件) made, repealed and in force:
    # of the year's, one was amended and two superseded ones were repealed in December's clean-up.
    normative = [
        row
        for row in rows
        if row["category_id"] == categories["policy-rules"].pk and row["formed_on"] < dt.date(2015, 11, 1)
    ]
    normative[0]["validity"] = Validity.AMENDED
    for row, repealed_on in zip(normative[1:3], (dt.date(2015, 12, 15), dt.date(2015, 12, 28)), strict=True):
        row["validity"] = Validity.REPEALED
        row["repealed_on"] = repealed_on
    ids = importer.load_records(rows, recorded_by=reviewer, note="demo load")
    # In the catalog's own order (latest publication first): the posts below follow it.
    records = importer.published_at_order(rows, ids)
    progress(f"published 2015 records: {len(records)}")

    # 3. Channels: every record on the portal (above); about 8,000 Weibo/WeChat posts; 20 press
    #    conferences (3 in the provincial government's name, 17 in the department's own; pressroom
    #    will hold them).
    news = {categories[c].pk for c in ("news", "alerts", "interpretation", "approvals", "policy-other")}
    new_media = [
        r for r in records if r["category_id"] in news and r["published_at"] < _dt(dt.date(2015, 12, 1))
    ]
    publications: list[dict[str, Any]] = []
    # "约8000余条" on Weibo and WeChat in 2015: every post falls within the year.
    for n in range(8050):
        r = new_media[n % len(new_media)]
        publications.append(
            {
                "record_id": r["id"],
                "channel": Channel.WEIBO if n % 2 else Channel.WECHAT,
                "published_at": r["published_at"]
                + dt.timedelta(minutes=5 + n % 50, days=n // len(new_media)),
                "link": f"https://weibo.example/jlga/{n}" if n % 2 else f"https://mp.weixin.example/jlga/{n}",
            }
        )
    press = Record.objects.filter(category=categories["press"], status=Status.PUBLISHED).order_by("formed_on")
    press_days = [
        dt.date(2015, m, d)
        for m, d in [
            (1, 20),
            (2, 5),
            (3, 18),
            (4, 9),
            (4, 28),
            (5, 12),
            (5, 26),
            (6, 16),
            (7, 8),
            (7, 28),
            (8, 18),
            (9, 8),
            (9, 22),
            (10, 13),
            (10, 27),
            (11, 10),
            (11, 24),
            (12, 8),
            (12, 17),
            (12, 24),
        ]
    ]
    press_ids = [r.pk for r in press] or [records[0]["id"]]
    for n, day in enumerate(press_days):
        publications.append(
            {
                "record_id": press_ids[n % len(press_ids)],
                "channel": Channel.PRESS_CONFERENCE,
                "published_at": _dt(day, 10),
            }
        )
    added = importer.add_publications(publications, recorded_by=reviewer)
    progress(f"publications: {len(records) + added}")

    # 4. Work in progress, for the workbench: drafts, a submission, a return, a withdrawal, overdue items.
    editor = staff["churujing"]
    base = {"issuer": AGENCY, "department": departments["出入境管理局"], "genre": Genre.NOTICE}
    services.do_create_record(
        {
            **base,
            "name": "关于调整出入境证件受理时间的通知（草稿）",
            "formed_on": dt.date(2015, 12, 21),
            "category": categories["policy-other"],
            "summary": "调整春节期间出入境证件受理时间。",
        },
        actor=editor,
    )
    submitted = services.do_create_record(
        {
            **base,
            "name": "关于开展出入境证件“就近办”的公告",
            "formed_on": dt.date(2015, 12, 10),
            "category": categories["policy-other"],
            "summary": "群众可在户籍所在地以外就近办理出入境证件。",
        },
        actor=editor,
    )
    services.do_submit_record(submitted, actor=editor, expected_version=submitted.version)
    returned = services.do_create_record(
        {
            **base,
            "name": "出入境管理局2016年工作要点",
            "formed_on": dt.date(2015, 12, 1),
            "category": categories["plans"],
            "summary": "2016年出入境管理主要工作。",
        },
        actor=editor,
    )
    returned = services.do_submit_record(returned, actor=editor, expected_version=returned.version)
    services.do_return_record(
        returned, actor=reviewer, reason="文号缺失，请补充后重新提交。", expected_version=returned.version
    )
    services.do_create_record(
        {
            **base,
            "name": "外国人入境出境管理内部工作规程",
            "formed_on": dt.date(2015, 11, 2),
            "category": categories["policy-other"],
            "attribute": DisclosureAttribute.WITHHELD,
            "attribute_basis": LegalBasis.INTERNAL_ART16,
            "attribute_reason": "内部管理流程。",
        },
        actor=editor,
    )
    to_withdraw = (
        Record.objects.filter(category=categories["alerts"], status=Status.PUBLISHED).order_by("id").first()
    )
    if to_withdraw is not None:
        services.do_withdraw_record(
            to_withdraw,
            actor=reviewer,
            reason="内容已过时效，由新的警方提示替代。",
            expected_version=to_withdraw.version,
        )
    from gongkai.inforequests.demo import load_demo_applications

    load_demo_applications(staff, departments, progress)
    from gongkai.powers.demo import load_demo_powers

    load_demo_powers(staff, departments, progress)
    from gongkai.newmedia.demo import load_demo_newmedia

    load_demo_newmedia(staff, departments, progress)
    from gongkai.pressroom.demo import load_demo_pressroom

    load_demo_pressroom(staff, departments, progress)
    from gongkai.engagement.demo import load_demo_engagement

    load_demo_engagement(staff, departments, progress)
    # The demo's own accounts (every app's demo adds some) sign in with the published demo TOTP
    # secret wherever a second factor is required (all staff by default; none under pytest).
    for user in User.objects.filter(pk__gt=before).order_by("pk"):
        if twofactor.required(user) and not twofactor.enrolled(user):
            twofactor.do_enrol_demo(user)
    log_event("core.demo.loaded", actor=None, note="seed agency 2015 catalog and applications")
    counts = {
        "records": Record.objects.count(),
        "published": Record.objects.filter(status=Status.PUBLISHED).count(),
        "publications": Publication.objects.count(),
    }
    progress(f"done: {counts}")
    return counts
