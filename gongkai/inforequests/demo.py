"""Demo applications, deterministic: 2015 under the 2007 Regulations, 2021–2025 under the 2019 ones.

Every case runs through the services, each act recorded at a moment of the day it happened
(`now=`) and dated that day (`on=`); nothing is patched, so timelines, clocks and statistics are
those the services compute. Covered: every outcome row of table 三, a request to
complete (2019 only) with a completed one and an abandoned one, consultations, extensions,
department opinions, cases carried across year ends, a reconsideration (upheld), two applicants
asking for the same information (Art. 44), and a few open cases due around the day of loading.
No 2015 case has a reconsideration or litigation.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Department, User
from gongkai.core import clock, workdays
from gongkai.inforequests import services
from gongkai.inforequests.choices import (
    OUTCOME_ARTICLES,
    ApplicantKind,
    IntakeChannel,
    Outcome,
    PauseKind,
    ReviewKind,
    ReviewResult,
)
from gongkai.inforequests.models import Application

TZ = ZoneInfo("Asia/Shanghai")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
]
ORGANISATIONS = {
    ApplicantKind.COMMERCIAL: ["长春某某物流有限公司", "吉林某某科技有限公司", "延边某某贸易有限公司"],
    ApplicantKind.RESEARCH: ["吉林大学某研究所", "某某社会科学研究院"],
    ApplicantKind.SOCIAL_WELFARE: ["某某公益基金会", "某某志愿者协会"],
    ApplicantKind.LEGAL_SERVICE: ["吉林某某律师事务所", "长春某某法律服务所"],
    ApplicantKind.OTHER: ["某某业主委员会", "某某行业协会"],
}

# What is asked for, by outcome: (title, reply text).
REQUESTS: dict[str, tuple[str, str]] = {
    Outcome.GRANTED: ("{y}年全省机动车保有量统计", "所申请信息予以公开，电子文件随本答复送达。"),
    Outcome.PARTIAL: (
        "{y}年某路段交通事故统计及处理情况",
        "统计数据予以公开；涉及当事人个人信息的部分不予公开。",
    ),
    Outcome.DENIED_STATE_SECRET: ("全省警力部署方案", "所申请信息属于国家秘密，不予公开。"),
    Outcome.DENIED_LAW_FORBID: ("某刑事案件侦查卷宗", "法律禁止公开，不予公开。"),
    Outcome.DENIED_SECURITY: ("重点目标安保预案", "公开后可能危及公共安全，不予公开。"),
    Outcome.DENIED_THIRD_PARTY: (
        "某公司申领剧毒化学品购买许可证的申请材料",
        "涉及第三方商业秘密，第三方不同意公开。",
    ),
    Outcome.DENIED_INTERNAL: ("厅机关内部考勤管理办法", "属于内部事务信息，不予公开。"),
    Outcome.DENIED_PROCESS: ("关于调整户籍迁移政策的讨论记录", "属于过程性信息，不予公开。"),
    Outcome.DENIED_CASE_FILE: ("某治安案件行政处罚案卷", "属于行政执法案卷信息，不予公开。"),
    Outcome.DENIED_ADMIN_QUERY: ("本人名下机动车违法记录", "属于行政查询事项，请通过交通管理服务平台查询。"),
    Outcome.UNABLE_NOT_HELD: ("某县城市道路规划图", "本机关不掌握该信息，该信息由自然资源部门掌握。"),
    Outcome.UNABLE_NEEDS_CREATION: (
        "近十年全省各派出所接处警数据分析报告",
        "需要另行制作，本机关不负有加工分析的义务。",
    ),
    Outcome.UNABLE_UNCLEAR: ("有关部门的相关文件", "经补正后申请内容仍不明确，无法提供。"),
    Outcome.NOT_PROCESSED_PETITION: ("对某派出所民警执法行为的投诉", "属于投诉举报，已转信访部门依法处理。"),
    Outcome.NOT_PROCESSED_REPEAT: ("{y}年全省机动车保有量统计", "重复申请，本机关已作出答复，不再重复处理。"),
    Outcome.NOT_PROCESSED_PUBLICATION: ("《吉林公安年鉴》全文", "属于公开出版物，请通过公开渠道获取。"),
    Outcome.NOT_PROCESSED_MASSIVE: ("全省各公安机关全部内设机构文件", "无正当理由大量反复申请，不予处理。"),
    Outcome.NOT_PROCESSED_CONFIRM: (
        "确认已取得的无犯罪记录证明真实性",
        "要求确认或重新出具已获取信息，不予处理。",
    ),
    Outcome.OTHER_NO_CORRECTION: ("某事项的文件", ""),
    Outcome.OTHER_NO_FEE: ("全省历年全部交通违法处理记录汇总", "申请人逾期未缴纳信息处理费，不再处理。"),
    Outcome.OTHER: ("出入境证件办理相关规定", "申请人撤回申请。"),
}
OPEN_TITLES = {
    26: "本市出入境证件“就近办”试点单位名单",
    17: "{y}年全省电动自行车登记数量",
    3: "城区限行措施的制定依据",
    6: "某公司申请烟花爆竹运输许可的批复",
}
# 2015 cases used the outcomes the 2007 Regulations knew (Art. 21).
OUTCOMES_2015 = [
    Outcome.GRANTED,
    Outcome.GRANTED,
    Outcome.GRANTED,
    Outcome.PARTIAL,
    Outcome.DENIED_STATE_SECRET,
    Outcome.DENIED_THIRD_PARTY,
    Outcome.DENIED_CASE_FILE,
    Outcome.UNABLE_NOT_HELD,
    Outcome.UNABLE_NEEDS_CREATION,
    Outcome.NOT_PROCESSED_PETITION,
    Outcome.DENIED_ADMIN_QUERY,
]


@dataclass
class Spec:
    received: dt.date
    outcome: str | None  # None: still open
    reply_after: int = 12  # working days from the last step to the reply
    kind: str = ApplicantKind.NATURAL_PERSON
    channel: str = IntakeChannel.ONLINE
    title: str = ""
    assign: tuple[str, ...] = ()
    consult: str = ""  # a PauseKind
    extend: int = 0
    supplement: bool = False
    review: tuple[str, str] | None = None  # (ReviewKind, ReviewResult)
    suggests_proactive: bool = False
    id_number: str = ""


# Who holds a road plan: urban planning sat with the housing and urban-rural development departments
# until the 2018 reorganisation gave it to the new natural-resources departments (the province's in
# late 2018), so a 2015 reply refers the applicant to the authority of its day.
LAND_AGENCY_RENAMED = 2019


def _land_agency(day: dt.date) -> str:
    return "吉林省住房和城乡建设厅" if day.year < LAND_AGENCY_RENAMED else "吉林省自然资源厅"


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    """The moment an act of `day` is recorded: office hours that day (never after the real now, so
    a case of today is not recorded in the hours still to come)."""
    return min(dt.datetime(day.year, day.month, day.day, hour, 30, tzinfo=TZ), clock.now())


def _seen(app: Application) -> int:
    """The version the member of staff sees on opening the case, as every move requires."""
    app.refresh_from_db()
    return app.version


def _wd(day: dt.date, n: int) -> dt.date:
    return workdays.add_workdays(day, n)


class _Loader:
    def __init__(
        self, staff: dict[str, User], departments: dict[str, Department], rng: random.Random
    ) -> None:
        self.rng = rng
        self.reviewer = staff["gongkaiban"]
        self.leader = staff["lingdao"]
        self.departments = departments
        self.dept_staff = {
            u.department_id: u for u in staff.values() if u.department_id and u.has_role(Role.EDITOR)
        }
        self.count = 0

    def applicant(self, spec: Spec) -> dict[str, Any]:
        rng = self.rng
        person = f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}"
        organisations = ORGANISATIONS.get(ApplicantKind(spec.kind))
        year = spec.received.year
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 15000))
        id_number = spec.id_number or f"2201{rng.randrange(10, 99)}{born:%Y%m%d}{rng.randrange(1000, 9999)}"
        title, _text = REQUESTS.get(spec.outcome or Outcome.GRANTED, REQUESTS[Outcome.GRANTED])
        return {
            "applicant_kind": spec.kind,
            "applicant_name": rng.choice(organisations) if organisations else person,
            "contact_person": person if organisations else "",
            "id_type": "统一社会信用代码" if organisations else "居民身份证",
            "id_number": id_number,
            "phone": f"13{rng.randrange(100000000, 999999999)}",
            "email": f"applicant{self.count}@example.com",
            "address": f"长春市{rng.choice(['朝阳区', '南关区', '绿园区', '宽城区'])}某某路{rng.randrange(1, 300)}号",
            "postcode": "130000",
            "information_title": (spec.title or title).format(y=year - 1),
            "description": "请提供电子版。",
            "form_wanted": "electronic",
            "delivery": "email",
            "suggests_proactive": spec.suggests_proactive,
        }

    def run(self, spec: Spec) -> Application:
        self.count += 1
        day = spec.received
        app, _code = services.do_submit_application(
            self.applicant(spec),
            channel=spec.channel,
            received_on=day,
            actor=None if spec.channel == IntakeChannel.ONLINE else self.reviewer,
            now=_at(day),
        )
        day = _wd(day, 1)
        app = services.do_accept_application(
            app, actor=self.reviewer, expected_version=_seen(app), now=_at(day)
        )
        if spec.supplement:
            day = _wd(day, 1)
            services.do_request_supplement(
                app,
                request_text="请写明所需信息的名称或文号。",
                actor=self.reviewer,
                expected_version=_seen(app),
                on=day,
                now=_at(day),
            )
            if spec.outcome == Outcome.OTHER_NO_CORRECTION:
                day = _wd(day, services.DEFAULT_SUPPLEMENT_REPLY_WORKDAYS + 1)
                return services.do_close_abandoned(
                    app, actor=self.reviewer, expected_version=_seen(app), on=day, now=_at(day, 15)
                )
            day = _wd(day, 4)
            app = services.do_receive_supplement(
                app,
                on=day,
                response_text="申请人补充了说明。",
                actor=self.reviewer,
                expected_version=_seen(app),
                now=_at(day),
            )
        if spec.assign:
            day = _wd(day, 1)
            opinions = spec.outcome is not None  # open cases keep their assignments unanswered
            departments = [self.departments[name] for name in spec.assign]
            services.do_assign_application(
                app,
                departments=departments,
                due_on=_wd(day, 5),
                instructions="请核实并提出意见。",
                actor=self.reviewer,
                expected_version=_seen(app),
                now=_at(day, 10),
            )
            for offset, department in enumerate(departments if opinions else [], start=3):
                author = self.dept_staff.get(department.pk, self.reviewer)
                given = _wd(day, offset)
                services.do_give_opinion(
                    app.assignments.get(department=department),
                    opinion="经核实，该信息由本部门掌握，建议按意见答复。",
                    suggested_outcome=spec.outcome or "",
                    actor=author,
                    expected_version=_seen(app),
                    on=given,
                    now=_at(given, 16),
                )
            day = _wd(day, 2 + len(departments))
        if spec.consult:
            day = _wd(day, 1)
            services.do_start_consultation(
                app,
                kind=spec.consult,
                party="某某有限公司" if spec.consult == PauseKind.THIRD_PARTY else "吉林省交通运输厅",
                request_text="所申请信息涉及贵方，请于15个工作日内提出意见。",
                actor=self.reviewer,
                expected_version=_seen(app),
                on=day,
                now=_at(day),
            )
            if spec.outcome is None:
                return app
            day = _wd(day, 8)
            app = services.do_end_consultation(
                app,
                on=day,
                response_text="对方不同意公开涉及其商业秘密的部分。",
                actor=self.reviewer,
                expected_version=_seen(app),
                now=_at(day),
            )
        if spec.extend:
            version = _seen(app)
            assert app.due_on is not None
            day = max(day, app.due_on - dt.timedelta(days=3))
            services.do_extend_application(
                app,
                extra_workdays=spec.extend,
                reason="所需信息数据量较大，需要汇总核对。",
                actor=self.leader,
                expected_version=version,
                on=day,
                now=_at(day, 11),
            )
        if spec.outcome is None:
            return app
        day = _wd(day, max(spec.reply_after - 1, 1))
        outcome = spec.outcome
        _title, text = REQUESTS[outcome]
        if day.year < LAND_AGENCY_RENAMED:
            text = text.replace("自然资源部门", "城乡规划主管部门")
        article = "第二十一条" if app.rule_set == "2007" else OUTCOME_ARTICLES[outcome] or "第三十六条"
        app = services.do_draft_reply(
            app,
            outcome=outcome,
            legal_basis=f"《中华人民共和国政府信息公开条例》{article}",
            reply_text=text,
            withheld_note="涉及当事人个人信息，依法不予公开。" if outcome == Outcome.PARTIAL else "",
            holder_agency=_land_agency(day) if outcome == Outcome.UNABLE_NOT_HELD else "",
            actor=self.reviewer,
            expected_version=_seen(app),
            now=_at(day, 10),
        )
        # The office drafted; the leader, a second person, approves (four eyes).
        day = _wd(day, 1)
        app = services.do_approve_reply(
            app, actor=self.leader, expected_version=_seen(app), on=day, now=_at(day, 15)
        )
        services.do_record_delivery(
            app,
            letter_kind="reply",
            method="email",
            delivered_on=day,
            reference="",
            actor=self.reviewer,
            expected_version=_seen(app),
            now=_at(_wd(day, 2), 10),
        )
        if spec.review:
            kind, result = spec.review
            filed = day + dt.timedelta(days=30)
            review = services.do_record_review(
                app,
                kind=kind,
                filed_on=filed,
                body="吉林省人民政府" if kind == ReviewKind.RECONSIDERATION else "长春市中级人民法院",
                actor=self.reviewer,
                expected_version=_seen(app),
                now=_at(filed),
            )
            if result != ReviewResult.PENDING:
                decided = filed + dt.timedelta(days=55)
                services.do_decide_review(
                    review,
                    result=result,
                    decided_on=decided,
                    actor=self.reviewer,
                    expected_version=_seen(app),
                    now=_at(decided),
                )
        return app


def _specs_2015(rng: random.Random) -> list[Spec]:
    kinds = [ApplicantKind.NATURAL_PERSON] * 6 + [ApplicantKind.COMMERCIAL, ApplicantKind.LEGAL_SERVICE]
    channels = [IntakeChannel.ONLINE, IntakeChannel.LETTER, IntakeChannel.IN_PERSON, IntakeChannel.EMAIL]
    specs = []
    for n in range(30):
        received = dt.date(2015, 1, 6) + dt.timedelta(days=rng.randrange(0, 330))
        specs.append(
            Spec(
                received=received,
                outcome=OUTCOMES_2015[n % len(OUTCOMES_2015)],
                reply_after=rng.randrange(2, 8),
                kind=rng.choice(kinds),
                channel=rng.choice(channels),
                assign=(rng.choice(["出入境管理局", "交通警察总队", "户政管理处", "治安管理总队"]),)
                if n % 3 == 0
                else (),
            )
        )
    specs += [
        # Consultation of a third party (not counted, 2007 Art. 24) and an extension (15 working days).
        Spec(
            dt.date(2015, 6, 8),
            Outcome.DENIED_THIRD_PARTY,
            consult=PauseKind.THIRD_PARTY,
            reply_after=4,
            kind=ApplicantKind.COMMERCIAL,
            assign=("治安管理总队",),
        ),
        Spec(dt.date(2015, 9, 14), Outcome.GRANTED, extend=10, reply_after=8, assign=("交通警察总队",)),
        # Carried into 2016.
        Spec(dt.date(2015, 12, 21), Outcome.GRANTED, reply_after=9, channel=IntakeChannel.LETTER),
        Spec(dt.date(2015, 12, 28), Outcome.PARTIAL, reply_after=12, kind=ApplicantKind.RESEARCH),
    ]
    return specs


def _specs_recent(rng: random.Random, today: dt.date) -> list[Spec]:
    kinds = [ApplicantKind.NATURAL_PERSON] * 5 + [k for k in ApplicantKind.values if k != "natural_person"]
    outcomes = [o for o in Outcome.values if o != Outcome.OTHER_NO_CORRECTION]
    specs = []
    n = 0
    for year in range(2021, 2026):
        for _ in range(10):
            received = dt.date(year, 1, 4) + dt.timedelta(days=rng.randrange(0, 330))
            outcome = outcomes[n % len(outcomes)]
            n += 1
            specs.append(
                Spec(
                    received=received,
                    outcome=outcome,
                    reply_after=rng.randrange(4, 19),
                    kind=rng.choice(kinds),
                    channel=rng.choice(list(IntakeChannel)),
                    supplement=outcome == Outcome.UNABLE_UNCLEAR,
                    assign=(rng.choice(["出入境管理局", "交通警察总队", "户政管理处", "治安管理总队"]),)
                    if n % 2
                    else (),
                )
            )
    specs += [
        # Art. 30: completed after a request, and abandoned.
        Spec(dt.date(2022, 3, 7), Outcome.GRANTED, supplement=True, assign=("户政管理处",)),
        Spec(dt.date(2023, 4, 10), Outcome.OTHER_NO_CORRECTION, supplement=True),
        # Consultations (third party, another agency), an extension by the office head (Art. 33).
        Spec(
            dt.date(2022, 8, 1),
            Outcome.PARTIAL,
            consult=PauseKind.THIRD_PARTY,
            kind=ApplicantKind.LEGAL_SERVICE,
        ),
        Spec(dt.date(2024, 5, 6), Outcome.UNABLE_NOT_HELD, consult=PauseKind.OTHER_AGENCY),
        Spec(
            dt.date(2023, 9, 4),
            Outcome.GRANTED,
            extend=15,
            reply_after=10,
            assign=("交通警察总队", "出入境管理局"),
        ),
        # Reconsideration, upheld.
        Spec(
            dt.date(2022, 5, 9),
            Outcome.DENIED_CASE_FILE,
            review=(ReviewKind.RECONSIDERATION, ReviewResult.UPHELD),
            assign=("治安管理总队",),
        ),
        # Two applicants ask for the same information, granted (Art. 44); one suggests publishing it.
        Spec(dt.date(2024, 3, 4), Outcome.GRANTED, title="2023年全省道路交通事故统计年报"),
        Spec(
            dt.date(2024, 6, 3),
            Outcome.GRANTED,
            title="《2023年全省道路交通事故统计年报》",
            suggests_proactive=True,
        ),
        # Carried across year ends.
        Spec(dt.date(2021, 12, 27), Outcome.GRANTED, reply_after=10),
        Spec(dt.date(2023, 12, 25), Outcome.DENIED_PROCESS, reply_after=14),
        Spec(dt.date(2025, 12, 22), Outcome.GRANTED, reply_after=8),
    ]
    # Open work around the day of loading: overdue, due soon, fresh, one in consultation. A clock
    # runs up to 40 working days ahead (reply + extension): where next year's calendar is not entered
    # yet, the cases are placed as of the last day whose clock can be known.
    anchor = _last_day_with_known_clock(today)
    if anchor is not None:
        for back, kind in ((26, ""), (17, ""), (3, ""), (6, PauseKind.THIRD_PARTY)):
            received = anchor
            for _ in range(back):
                received = _previous_workday(received)
            specs.append(
                Spec(received, None, consult=kind, assign=("出入境管理局",), title=OPEN_TITLES[back])
            )
    return specs


def _last_day_with_known_clock(today: dt.date) -> dt.date | None:
    day = today
    for _ in range(120):
        try:
            workdays.add_workdays(day, 45)
            _previous_workday(_previous_workday(day))
            return day
        except workdays.CalendarUnknownError:
            day -= dt.timedelta(days=1)
    return None


def _previous_workday(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not workdays.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


@transaction.atomic
def load_demo_applications(
    staff: dict[str, User],
    departments: dict[str, Department],
    progress: Callable[[str], None] = lambda _msg: None,
) -> dict[str, int]:
    """Load the demo applications; needs the demo staff (gongkaiban, lingdao, …) and departments."""
    rng = random.Random(44)  # noqa: S311 - deterministic demo data, not security
    today = clock.today()
    loader = _Loader(staff, departments, rng)
    specs = _specs_2015(rng) + _specs_recent(rng, today)
    specs.sort(key=lambda s: s.received)
    apps = [loader.run(spec) for spec in specs]
    counts = {
        "applications": len(apps),
        "of 2015": sum(1 for a in apps if a.received_on.year == 2015),
        "open": sum(1 for a in apps if a.is_open),
    }
    progress(f"applications: {counts}")
    return counts
