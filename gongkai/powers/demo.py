"""Demo data reproducing seed §一(三)1–2: 79 power items in 9 categories (responsibility lists for
7 of them), each with its basic-information form and the flowchart of every procedure it is
exercised by (166 forms and flowcharts: "共160余份"), the department's approval items cut from 35
to 7 (80%) and the province's from 171 to 110 (35.7%) across 10 police branches, in 2015 — all
through the services, deterministic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from gongkai.accounts.models import Department, User
from gongkai.powers import demo_approvals, services
from gongkai.powers.choices import ItemList, Level
from gongkai.powers.demo_powers import DUTIES_BY_CATEGORY, POWERS, SUB_ITEMS

TZ = ZoneInfo("Asia/Shanghai")
SET_ON = dt.date(2004, 7, 1)  # 《中华人民共和国行政许可法》施行
SET_DOC = "《吉林省人民政府关于公布省级行政审批项目目录的决定》"

# The approval items (their names, bases, guides and 2015 fates) are in demo_approvals; the
# department's seven kept items are the first there, the passport leading with its full guide.
STEPS = [
    {
        "number": 1,
        "name": "申请受理",
        "post": "受理窗口民警",
        "time_limit": "即时",
        "next_steps": "材料齐全:2；需补正:5",
        "basis": "《中华人民共和国行政许可法》第三十二条",
    },
    {
        "number": 2,
        "name": "审查",
        "post": "审核岗民警",
        "time_limit": "5个工作日",
        "next_steps": "3",
        "basis": "《中华人民共和国行政许可法》第三十四条",
    },
    {
        "number": 3,
        "name": "审批决定",
        "post": "部门负责人",
        "time_limit": "2个工作日",
        "next_steps": "准予:4；不予:6",
        "basis": "《中华人民共和国行政许可法》第三十八条",
    },
    {
        "number": 4,
        "name": "制证送达",
        "post": "制证发证岗",
        "time_limit": "3个工作日",
        "next_steps": "",
        "basis": "《中华人民共和国行政许可法》第四十四条",
    },
    {
        "number": 5,
        "name": "一次性告知补正材料",
        "post": "受理窗口民警",
        "time_limit": "即时",
        "next_steps": "1",
        "basis": "《中华人民共和国行政许可法》第三十二条",
    },
    {
        "number": 6,
        "name": "书面说明不予许可理由",
        "post": "审核岗民警",
        "time_limit": "1个工作日",
        "next_steps": "",
        "basis": "《中华人民共和国行政许可法》第三十八条第二款",
    },
]


def short_steps(promised_days: int) -> list[dict[str, Any]]:
    """The flow of an approval item other than the department's kept ones: accept, examine and
    decide within the promised working days, deliver."""
    return [
        {
            "number": 1,
            "name": "申请受理",
            "post": "受理窗口民警",
            "time_limit": "即时",
            "next_steps": "2",
            "basis": "",
        },
        {
            "number": 2,
            "name": "审查决定",
            "post": "审核岗民警",
            "time_limit": f"{promised_days}个工作日",
            "next_steps": "3",
            "basis": "",
        },
        {
            "number": 3,
            "name": "送达",
            "post": "受理窗口民警",
            "time_limit": "即时",
            "next_steps": "",
            "basis": "",
        },
    ]


# -- The power items' operation flows, by category (one flow per procedure) -----------------------

PENALTY_LAW = "《中华人民共和国行政处罚法》"
FORCE_LAW = "《中华人民共和国行政强制法》"


def _step(
    number: int, name: str, post: str, time_limit: str = "", next_steps: str = "", basis: str = ""
) -> dict[str, Any]:
    return {
        "number": number,
        "name": name,
        "post": post,
        "time_limit": time_limit,
        "next_steps": next_steps,
        "basis": basis,
    }


def _penalty_general(basis: str) -> list[dict[str, Any]]:
    return [
        _step(1, "受案登记", "办案单位", "即时", "2", f"{PENALTY_LAW}第三十六条"),
        _step(2, "调查取证", "办案民警（不少于二人）", "30日", "3", f"{PENALTY_LAW}第三十七条"),
        _step(
            3,
            "处罚前告知",
            "办案民警",
            "",
            "要求听证:4；未要求听证:5",
            f"{PENALTY_LAW}第三十一条、第三十二条",
        ),
        _step(4, "组织听证", "法制部门", "告知后3日内提出", "5", f"{PENALTY_LAW}第四十二条"),
        _step(5, "审核审批", "法制部门、机关负责人", "3个工作日", "给予处罚:6；不予处罚:8", basis),
        _step(6, "制作并送达处罚决定书", "办案民警", "7日内", "7", f"{PENALTY_LAW}第三十九条、第四十条"),
        _step(7, "执行（罚缴分离）", "办案单位", "15日内", "", f"{PENALTY_LAW}第四十四条、第四十六条"),
        _step(8, "制作不予行政处罚决定书", "办案单位", "", "", f"{PENALTY_LAW}第三十八条"),
    ]


def _penalty_summary(post: str, basis: str) -> list[dict[str, Any]]:
    """当场处罚: the on-the-spot procedure of the public security and traffic laws."""
    return [
        _step(1, "表明执法身份", post, "即时", "2", basis),
        _step(2, "告知违法事实、处罚理由和依据", post, "即时", "3", f"{PENALTY_LAW}第三十一条"),
        _step(3, "听取陈述和申辩", post, "即时", "4", f"{PENALTY_LAW}第三十二条"),
        _step(4, "当场填写处罚决定书并交付", post, "即时", "5", f"{PENALTY_LAW}第三十四条"),
        _step(5, "报所属公安机关备案", post, "24小时内", "", basis),
    ]


def _enforcement(basis: str) -> list[dict[str, Any]]:
    return [
        _step(
            1,
            "报告机关负责人批准",
            "办案民警",
            "即时",
            "经批准:2；情况紧急当场实施:6",
            f"{FORCE_LAW}第十八条",
        ),
        _step(2, "通知当事人到场，出示执法证件", "办案民警（二人以上）", "即时", "3", f"{FORCE_LAW}第十八条"),
        _step(3, "告知理由、依据和救济途径，听取陈述申辩", "办案民警", "即时", "4", f"{FORCE_LAW}第十八条"),
        _step(4, "实施强制措施，制作现场笔录", "办案民警", "即时", "5", basis),
        _step(5, "送达决定书，告知家属或所在单位", "办案单位", "24小时内", "", basis),
        _step(6, "补办批准手续", "办案民警", "24小时内", "2", f"{FORCE_LAW}第十九条"),
    ]


def _levy(basis: str) -> list[dict[str, Any]]:
    return [
        _step(1, "核定收费项目和标准", "收费窗口", "即时", "2", basis),
        _step(2, "开具财政票据并收费", "收费窗口", "即时", "3", ""),
        _step(3, "缴入国库", "财务部门", "按规定期限", "", ""),
    ]


def _benefit(basis: str) -> list[dict[str, Any]]:
    return [
        _step(1, "受理申请", "政治部", "即时", "2", basis),
        _step(2, "调查核实", "政治部", "20个工作日", "符合:3；不符合:5", basis),
        _step(3, "公示", "政治部", "7日", "4", ""),
        _step(4, "发放抚恤金", "财务部门", "", "", basis),
        _step(5, "书面告知不予给付的理由", "政治部", "", "", ""),
    ]


def _inspection(basis: str) -> list[dict[str, Any]]:
    return [
        _step(1, "制定检查计划，随机抽取检查对象", "监督检查岗", "", "2", "“双随机、一公开”"),
        _step(2, "实施检查，出示执法证件", "检查民警（二人以上）", "", "3", basis),
        _step(3, "制作检查记录", "检查民警", "即时", "发现问题:4；未发现问题:6", basis),
        _step(4, "责令限期改正", "检查民警", "", "5", basis),
        _step(5, "复查", "检查民警", "期限届满后3日内", "6", ""),
        _step(6, "归档并公开检查结果", "监督检查岗", "", "", ""),
    ]


def _registration(basis: str) -> list[dict[str, Any]]:
    return [
        _step(1, "受理申请", "受理窗口民警", "即时", "材料齐全:2；需补正:5", basis),
        _step(2, "审核", "审核岗民警", "5个工作日", "符合:3；不符合:4", basis),
        _step(3, "登记（制证）并发放", "受理窗口民警", "", "", basis),
        _step(4, "书面告知不予办理的理由", "审核岗民警", "", "", ""),
        _step(5, "一次性告知补正材料", "受理窗口民警", "即时", "1", ""),
    ]


def _accident(general: tuple[str, str, str], summary_basis: str) -> list[list[dict[str, Any]]]:
    """An accident finding (事故认定): the general procedure and the summary one for minor cases."""
    post, limit, basis = general
    return [
        [
            _step(1, "接警出警，保护现场", post, "即时", "2", basis),
            _step(2, "现场勘验、调查取证", post, "", "3", basis),
            _step(3, "检验、鉴定", post, "", "4", basis),
            _step(4, "制作事故认定书", f"{post}（负责人审批）", limit, "5", basis),
            _step(5, "送达当事人", post, "", "", basis),
        ],
        [
            _step(1, "表明身份，固定现场证据", post, "即时", "2", summary_basis),
            _step(2, "询问当事人，核实事故事实", post, "即时", "3", summary_basis),
            _step(3, "当场制作事故认定书", post, "即时", "4", summary_basis),
            _step(4, "当事人签名并交付", post, "即时", "", summary_basis),
        ],
    ]


def _reward(basis: str) -> list[dict[str, Any]]:
    return [
        _step(1, "推荐申报", "基层单位", "", "2", basis),
        _step(2, "审核", "政治部", "", "3", basis),
        _step(3, "公示", "政治部", "7日", "无异议:4；有异议:5", ""),
        _step(4, "作出奖励决定并表彰", "厅党委", "", "", basis),
        _step(5, "调查核实异议", "政治部", "", "不属实:4；属实:6", ""),
        _step(6, "书面告知不予奖励的理由", "政治部", "", "", ""),
    ]


# Powers exercised by more than one procedure: the on-the-spot penalties of the public security
# and traffic laws (a warning or a small fine), the summary procedure for minor traffic accidents
# and fires.
PSL_SPOT = "《中华人民共和国治安管理处罚法》第一百条、第一百零一条"
ROAD_SPOT = "《中华人民共和国道路交通安全法》第一百零七条"


def _penalty_two(post: str, spot_basis: str) -> Callable[[str], list[tuple[str, list[dict[str, Any]]]]]:
    return lambda basis: [
        ("一般程序", _penalty_general(basis)),
        ("当场处罚", _penalty_summary(post, spot_basis)),
    ]


PROCEDURES: dict[str, Callable[[str], list[tuple[str, list[dict[str, Any]]]]]] = {
    "对扰乱单位、公共场所、公共交通工具秩序的处罚": _penalty_two("执勤民警", PSL_SPOT),
    "对扰乱大型群众性活动秩序的处罚": _penalty_two("执勤民警", PSL_SPOT),
    "对非法携带枪支、弹药、管制器具的处罚": _penalty_two("执勤民警", PSL_SPOT),
    "对行人、乘车人、非机动车驾驶人违反道路交通安全法律法规的处罚": _penalty_two("交通警察", ROAD_SPOT),
    "对机动车驾驶人违反道路交通安全法律法规的处罚": _penalty_two("交通警察", ROAD_SPOT),
    "对违反机动车停放、临时停车规定的处罚": _penalty_two("交通警察", ROAD_SPOT),
    "道路交通事故认定": lambda basis: list(
        zip(
            ("一般程序", "简易程序"),
            _accident(("事故处理民警", "现场调查之日起10日内", basis), "《道路交通事故处理程序规定》"),
            strict=True,
        )
    ),
    "火灾事故认定": lambda basis: list(
        zip(
            ("一般程序", "简易程序"),
            _accident(("火灾事故调查人员", "接警之日起30日内", basis), "《火灾事故调查规定》"),
            strict=True,
        )
    ),
}
FLOWS: dict[str, Callable[[str], list[dict[str, Any]]]] = {
    "licensing": lambda _basis: STEPS,
    "penalty": _penalty_general,
    "enforcement": _enforcement,
    "levy": _levy,
    "benefit": _benefit,
    "inspection": _inspection,
    "confirmation": _registration,
    "reward": _reward,
    "other": _registration,
}


def power_steps(category: str, name: str, basis: str) -> list[dict[str, Any]]:
    """The steps of a power item: its one flow, or each of its procedures' flows."""
    several = PROCEDURES.get(name)
    if several is None:
        return FLOWS[category](basis)
    return [{**step, "procedure": procedure} for procedure, flow in several(basis) for step in flow]


def _approval_branches(departments: dict[str, Department]) -> dict[str, Department]:
    """The ten police branches granting approvals, by name; the two the portal demo does not set up
    (边防, 内保) are added under the same agency."""
    from gongkai.accounts.choices import DepartmentKind

    agency = departments["治安管理总队"].parent
    last = Department.objects.order_by("-position").values_list("position", flat=True).first() or 0
    found = {}
    for n, branch in enumerate(demo_approvals.BRANCHES.values(), start=1):
        found[branch.name] = (
            departments.get(branch.name)
            or Department.objects.get_or_create(
                name=branch.name,
                defaults={
                    "kind": DepartmentKind.POLICE_BRANCH,
                    "short_name": branch.short,
                    "parent": agency,
                    "position": last + n,
                },
            )[0]
        )
    return found


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def load_demo_powers(
    staff: dict[str, User], departments: dict[str, Department], progress: Callable[[str], None]
) -> dict[str, int]:
    reviewer, compiler = staff["gongkaiban"], staff["fazhi"]
    created = []
    # 1. The power list: 79 powers in 9 categories, 7 of them with their responsibility list.
    for i, (category, name, dept, basis) in enumerate(POWERS, start=1):
        created.append(
            services.do_create_item(
                {
                    "list_kind": ItemList.POWERS,
                    "category": category,
                    "code": f"JLGA-QL-{i:03d}",
                    "name": name,
                    "sub_items": "\n".join(SUB_ITEMS.get(name, [])),
                    "legal_basis": basis,
                    "department": departments[dept],
                    "level": Level.PROVINCE,
                    "responsibilities": DUTIES_BY_CATEGORY.get(category, []),
                    "steps": power_steps(category, name, basis),
                },
                set_on=SET_ON,
                set_document=SET_DOC,
                actor=reviewer,
                now=_at(dt.date(2015, 3, 2)),
            )
        )
    # 2. Approval items: 35 of the department (7 kept), 136 of the cities and counties (103 kept).
    specs = demo_approvals.approvals()
    branches = _approval_branches(departments)
    approvals = []
    for i, spec in enumerate(specs, start=1):
        kept_here = spec.level == Level.PROVINCE and spec.fate == demo_approvals.KEPT
        approvals.append(
            services.do_create_item(
                {
                    "list_kind": ItemList.APPROVALS,
                    "category": "other" if "备案" in spec.name else "licensing",
                    "code": f"JLGA-SP-{i:03d}",
                    "name": spec.name,
                    "legal_basis": spec.basis,
                    "department": branches[spec.branch.name],
                    "level": spec.level,
                    **spec.guide(),
                    "materials": spec.materials,
                    "steps": STEPS if kept_here else short_steps(spec.promised_days),
                },
                set_on=SET_ON,
                set_document=SET_DOC,
                actor=reviewer,
                now=_at(dt.date(2015, 3, 2)),
            )
        )
    # The office drafts the lists; a second office reviewer approves (four eyes); the legal
    # department compiles each edition and the office publishes it.
    from gongkai.accounts.services import do_create_staff

    second = do_create_staff(
        username="shenhe",
        password="demo-pass-2015",  # noqa: S106 - the published demo password
        full_name="王审核",
        department=reviewer.department,
        roles=["reviewer"],
        email="shenhe@gongkai.example",
        actor=None,
    )
    for item in [*created, *approvals]:
        item = services.do_submit_item(item, actor=reviewer, expected_version=item.version)
        services.do_approve_item(item, actor=second, expected_version=item.version)
    for kind, title in (
        (ItemList.POWERS, "吉林省公安厅行政职权目录（九大类79项）"),
        (ItemList.APPROVALS, "吉林省公安行政审批项目目录"),
    ):
        edition = services.do_propose_edition(
            kind, title=title, actor=compiler, now=_at(dt.date(2015, 3, 20))
        )
        services.do_publish_edition(
            edition, actor=reviewer, expected_version=edition.version, now=_at(dt.date(2015, 3, 25))
        )
    # 3. The 2015 reduction (吉政发〔2015〕18号): 28 of the department's 35 and 33 of the 136 local
    # items leave the list, cancelled or delegated to the level below.
    decided = dt.date(2015, 6, 30)
    for spec, item in zip(specs, approvals, strict=True):
        if spec.fate == demo_approvals.KEPT:
            continue
        item.refresh_from_db()
        if spec.fate == demo_approvals.DELEGATED:
            services.do_delegate_item(
                item,
                on=decided,
                document=demo_approvals.DECISION,
                actor=reviewer,
                to_level=spec.to_level,
                expected_version=item.version,
                now=_at(dt.date(2015, 7, 2)),
            )
        else:
            services.do_cancel_item(
                item,
                on=decided,
                document=demo_approvals.DECISION,
                actor=reviewer,
                expected_version=item.version,
                now=_at(dt.date(2015, 7, 2)),
            )
    progress(f"powers: {len(created)} power items, {len(approvals)} approval items")
    return {"powers": len(created), "approvals": len(approvals)}
