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
from gongkai.powers import services
from gongkai.powers.choices import ItemList, Level
from gongkai.powers.demo_powers import DUTIES_BY_CATEGORY, POWERS, SUB_ITEMS

TZ = ZoneInfo("Asia/Shanghai")
SET_ON = dt.date(2004, 7, 1)  # 《中华人民共和国行政许可法》施行
SET_DOC = "《吉林省人民政府关于公布省级行政审批项目目录的决定》"

BRANCHES = [
    "治安管理总队",
    "交通警察总队",
    "出入境管理局",
    "户政管理处",
    "网络安全保卫总队",
    "消防总队",
    "刑事侦查总队",
    "禁毒总队",
    "监所管理总队",
    "法制总队",
]
# The seven approval items the department kept in 2015, the first one with the full exit-entry guide.
KEPT = [
    ("普通护照签发", "出入境管理局", "《中华人民共和国护照法》第五条、第六条"),
    ("爆破作业单位许可证核发", "治安管理总队", "《民用爆炸物品安全管理条例》第三十一条"),
    ("举行集会游行示威许可", "治安管理总队", "《中华人民共和国集会游行示威法》第七条"),
    ("民用枪支（弹药）配置许可", "治安管理总队", "《中华人民共和国枪支管理法》第六条"),
    ("大型群众性活动安全许可", "治安管理总队", "《大型群众性活动安全管理条例》第十一条"),
    ("保安服务公司设立许可", "治安管理总队", "《保安服务管理条例》第八条"),
    ("第一类易制毒化学品购买许可", "禁毒总队", "《易制毒化学品管理条例》第十五条"),
]
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
GUIDE = {
    "conditions": "具有中华人民共和国国籍并定居在国内的中国公民，因前往外国定居、探亲、学习、就业、旅行、从事商务活动等非公务原因出国的。",
    "statutory_days": 15,
    "promised_days": 7,
    "fee": "每本120元",
    "fee_basis": "《国家发展改革委 财政部关于调整护照等出入境证件收费标准的通知》（发改价格〔2013〕1494号）",
    "place": "长春市人民大街3299号 吉林省公安厅出入境管理局办证大厅",
    "hours": "周一至周五 8:30—11:30，13:00—16:30（法定节假日除外）",
    "phone": "0431-82098251",
    "online_url": "https://crj.jl.gov.cn.example/",
    "faqs": [
        {
            "question": "可以在户籍所在地以外办理护照吗？",
            "answer": "可以在居住地公安机关出入境管理部门按规定申请。",
        }
    ],
}
MATERIALS = [
    {"name": "中国公民出入境证件申请表", "form": "original", "copies": 1, "note": "现场填写"},
    {"name": "居民身份证", "form": "both", "copies": 1, "note": "交验原件，留存复印件"},
    {"name": "近期免冠彩色照片", "form": "original", "copies": 2, "note": "48mm×33mm"},
]
SHORT_STEPS = [
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
        "time_limit": "10个工作日",
        "next_steps": "3",
        "basis": "",
    },
    {
        "number": 3,
        "name": "送达",
        "post": "制证发证岗",
        "time_limit": "2个工作日",
        "next_steps": "",
        "basis": "",
    },
]
LOWER_NAMES = ["{b}{n}类事项（市级）办理", "{b}审批事项（县级）第{n}项"]

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
    approvals = []
    for i in range(171):
        provincial = i < 35
        if i < 7:
            name, dept, basis = KEPT[i]
        else:
            branch = BRANCHES[i % len(BRANCHES)]
            dept, basis = branch, "《中华人民共和国行政许可法》第十二条"
            name = (
                f"{branch}审批事项第{i + 1}项" if provincial else LOWER_NAMES[i % 2].format(b=branch, n=i + 1)
            )
        guide = {
            **GUIDE,
            **(
                {}
                if i == 0
                else {
                    "conditions": f"符合{basis}规定条件的申请人。",
                    "place": "吉林省政务服务中心公安窗口",
                    "fee": "不收费",
                    "fee_basis": "",
                }
            ),
        }
        approvals.append(
            services.do_create_item(
                {
                    "list_kind": ItemList.APPROVALS,
                    "category": "licensing",
                    "code": f"JLGA-SP-{i + 1:03d}",
                    "name": name,
                    "legal_basis": basis,
                    "department": departments[dept],
                    "level": Level.PROVINCE if provincial else (Level.CITY if i % 2 else Level.COUNTY),
                    **guide,
                    "materials": MATERIALS,
                    "steps": STEPS if i < 7 else SHORT_STEPS,
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
    # 3. The 2015 reduction: 28 of the department's 35 and 33 of the 136 local items leave the list.
    decided = dt.date(2015, 6, 30)
    for i, item in enumerate(approvals):
        if 7 <= i < 35 or (i >= 35 and (i - 35) % 4 == 0 and (i - 35) // 4 < 33):
            item.refresh_from_db()
            if i % 3 == 0 and item.level != Level.COUNTY:
                services.do_delegate_item(
                    item,
                    on=decided,
                    document="吉政发〔2015〕18号",
                    actor=reviewer,
                    to_level=Level.CITY if item.level == Level.PROVINCE else Level.COUNTY,
                    expected_version=item.version,
                    now=_at(dt.date(2015, 7, 2)),
                )
            else:
                services.do_cancel_item(
                    item,
                    on=decided,
                    document="吉政发〔2015〕18号",
                    actor=reviewer,
                    expected_version=item.version,
                    now=_at(dt.date(2015, 7, 2)),
                )
    progress(f"powers: {len(created)} power items, {len(approvals)} approval items")
    return {"powers": len(created), "approvals": len(approvals)}
