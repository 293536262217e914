"""Demo data reproducing seed §一(二)2: the 20 press conferences the department held in 2015 (3 in
the provincial government's name, 17 in its own), each with its speakers and a short transcript,
and a few policy interpretations of published catalog policies — all through the services, dated
as they happened, deterministic."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Department, User
from gongkai.accounts.services import do_create_staff
from gongkai.catalog.models import Record
from gongkai.core.acts import ADMIN_ROLE_CODES
from gongkai.pressroom import policies, services
from gongkai.pressroom.choices import Form, Host
from gongkai.pressroom.models import Conference

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2015
AGENCY_HALL = "吉林省公安厅新闻发布厅"
GOVERNMENT_HALL = "吉林省人民政府新闻发布厅"
SPOKESMAN = ("高发言", "新闻发言人", "指挥中心")
# The office's second reviewer, made when the demo has none (username, full name).
SECOND_REVIEWER = ("fabu", "李发布")

# A speaker: (name, post, organisation). An exchange of the transcript: (the answering speaker's
# position from 1, who asked, question, answer); the first speaker opens with the summary.
Person = tuple[str, str, str]
Exchange = tuple[int, str, str, str]


@dataclass(frozen=True)
class Plan:
    held_on: dt.date
    host: Host
    department: str
    title: str
    topics: tuple[str, ...]
    summary: str
    speakers: tuple[Person, ...]
    qa: tuple[Exchange, ...]


def _d(month: int, day: int) -> dt.date:
    return dt.date(YEAR, month, day)


G, A = Host.GOVERNMENT, Host.AGENCY
# The three the seed names (18 March, 12 May, 8 July) keep the days and titles of the catalog
# demo's press releases, so each finds its release there.
CONFERENCES: list[Plan] = [
    Plan(
        _d(1, 20),
        A,
        "交通警察总队",
        "2015年春运道路交通安全管理工作新闻发布会",
        ("春运道路交通安全形势", "春运期间交通管理措施"),
        "今年春运自2月4日开始，全省公安交管部门将在高速公路、国省干线增设临时执勤点，严查客运车辆超员、疲劳驾驶等违法行为。",
        (("崔通", "副总队长", "交通警察总队"), ("林畅", "秩序处处长", "交通警察总队")),
        (
            (
                2,
                "吉林日报记者",
                "春运期间遇到冰雪天气，高速公路会封闭吗？",
                "将视路况分段管控，封闭信息通过交通广播和交警政务微博实时发布。",
            ),
        ),
    ),
    Plan(
        _d(2, 5),
        A,
        "消防总队",
        "春节期间烟花爆竹燃放安全暨火灾防控新闻发布会",
        ("春节期间火灾防控", "烟花爆竹安全燃放"),
        "春节期间全省消防部队将开展火灾防控专项行动，对人员密集场所和烟花爆竹销售网点逐一检查，提示群众在规定区域、规定时段燃放。",
        (("孟炎", "副总队长", "消防总队"), ("郝安", "防火监督处处长", "消防总队")),
        (
            (
                2,
                "吉林电视台记者",
                "群众发现违规销售烟花爆竹怎么办？",
                "可拨打119或110举报，消防和公安机关将及时查处。",
            ),
        ),
    ),
    Plan(
        _d(3, 18),
        A,
        "出入境管理局",
        "延吉口岸签证业务启动新闻发布会",
        ("延吉口岸签证业务启动", "口岸签证的申请条件和办理流程"),
        "经公安部批准，延吉口岸签证业务自即日起正式启动，因紧急事由来华的外国人可在口岸申办签证。",
        (("金明", "副局长", "出入境管理局"), ("李华", "站长", "延吉边防检查站")),
        (
            (
                1,
                "新华社记者",
                "口岸签证向哪些人开放？",
                "向应邀前来处理紧急商务、参加紧急救援或探望危重病人等确需紧急入境的外国人开放。",
            ),
            (2, "延边日报记者", "通关需要多长时间？", "材料齐全的，一般不超过30分钟。"),
        ),
    ),
    Plan(
        _d(4, 9),
        G,
        "户政管理处",
        "吉林省进一步推进户籍制度改革新闻发布会",
        ("户籍制度改革实施意见", "城乡统一的户口登记制度", "居住证制度"),
        "省政府出台进一步推进户籍制度改革的实施意见，取消农业户口与非农业户口性质区分，全面放开建制镇和小城市落户限制。",
        (
            ("韩民", "副厅长", "吉林省公安厅"),
            ("周籍", "处长", "户政管理处"),
            ("吴策", "副主任", "省发展改革委"),
        ),
        (
            (
                2,
                "人民日报记者",
                "在长春市落户需要满足什么条件？",
                "有合法稳定就业和住所并参加社会保险达到一定年限的，本人及其共同居住的配偶、子女、父母可以申请落户。",
            ),
            (
                1,
                "中国吉林网记者",
                "没有落户的外来人员如何享受公共服务？",
                "将实施居住证制度，持证人享有义务教育、就业、医疗等基本公共服务。",
            ),
        ),
    ),
    Plan(
        _d(4, 28),
        A,
        "刑事侦查总队",
        "全省打击治理电信网络新型违法犯罪专项行动新闻发布会",
        ("专项行动部署", "典型案例通报", "防骗提示"),
        "全省公安机关自即日起开展打击治理电信网络新型违法犯罪专项行动，严打冒充公检法、网络购物退款等诈骗犯罪。",
        (("马侦", "副总队长", "刑事侦查总队"), ("罗锐", "反诈中心主任", "刑事侦查总队")),
        (
            (
                2,
                "城市晚报记者",
                "接到自称公安机关的电话要求转账怎么办？",
                "公安机关不会通过电话要求转账，更没有所谓安全账户，请立即挂断并拨打110。",
            ),
        ),
    ),
    Plan(
        _d(5, 12),
        A,
        "出入境管理局",
        "出台五项出入境便民利民措施新闻发布会",
        ("五项出入境便民利民措施", "出入境证件办理时限压缩"),
        "省公安厅出台五项出入境便民利民措施：放宽异地办证条件、压缩办证时限、开通预约受理、推行证件邮寄送达、设立自助签注设备。",
        (("金明", "副局长", "出入境管理局"), ("赵晴", "处长", "出入境管理局")),
        (
            (
                2,
                "新文化报记者",
                "外省户籍人员可以在吉林办护照吗？",
                "在我省居住的外省户籍人员，持居住证即可在居住地出入境管理部门申请。",
            ),
            (
                1,
                "吉林日报记者",
                "办证时限压缩到多少天？",
                "普通护照由15个工作日压缩至10个工作日，往来港澳通行证签注实现即时办理。",
            ),
        ),
    ),
    Plan(
        _d(5, 26),
        A,
        "禁毒总队",
        "“6·26”国际禁毒日全省禁毒工作新闻发布会",
        ("全省禁毒工作形势", "禁毒宣传月活动"),
        "今年以来全省公安机关共破获毒品刑事案件数百起，“6·26”前后将集中开展禁毒宣传进学校、进社区、进家庭活动。",
        (("白净", "总队长", "禁毒总队"), ("邹明", "宣传教育处处长", "禁毒总队")),
        (
            (
                1,
                "吉林电视台记者",
                "新型毒品有哪些特点？",
                "伪装性强，常以饮料、零食等形式出现，青少年尤其要提高警惕。",
            ),
        ),
    ),
    Plan(
        _d(6, 16),
        A,
        "治安管理总队",
        "全省公安机关夏季治安打击整治行动新闻发布会",
        ("夏季治安打击整治行动", "社会面巡逻防控"),
        "全省公安机关开展为期百日的夏季治安打击整治行动，加强夜间巡逻，严打街面“两抢一盗”和涉黄涉赌违法犯罪。",
        (("钱治", "副总队长", "治安管理总队"), ("彭卫", "处长", "治安管理总队")),
        (
            (
                1,
                "长春日报记者",
                "夜间巡逻会覆盖到居民小区吗？",
                "将组织社区民警和治安志愿者对老旧小区开展联合巡逻。",
            ),
        ),
    ),
    Plan(
        _d(7, 8),
        A,
        "治安管理总队",
        "改进公安派出所出具证明工作新闻发布会",
        ("取消派出所出具的部分证明", "保留证明事项的规范办理"),
        "省公安厅决定改进公安派出所出具证明工作，取消一批可由信息系统核实的证明事项，保留的证明事项实行一次告知、限时办结。",
        (("钱治", "副总队长", "治安管理总队"), ("周籍", "处长", "户政管理处")),
        (
            (
                1,
                "新华社记者",
                "取消的证明今后由谁来证明？",
                "能通过信息系统核实的由办事部门自行核查，群众不必再往返开证明。",
            ),
            (
                2,
                "吉林日报记者",
                "派出所拒不出具应当出具的证明怎么办？",
                "可向所属公安机关督察部门投诉，核实后严肃问责。",
            ),
        ),
    ),
    Plan(
        _d(7, 28),
        A,
        "交通警察总队",
        "机动车驾驶人考试和驾驶证业务便民措施新闻发布会",
        ("驾驶证异地考试", "小型汽车驾驶人自学直考试点"),
        "自8月1日起，群众可在居住地申领小型汽车驾驶证，机动车驾驶证审验、换证实现省内通办。",
        (("崔通", "副总队长", "交通警察总队"), ("尹考", "车驾管处处长", "交通警察总队")),
        ((2, "城市晚报记者", "驾驶证到期换证还要回户籍地吗？", "不需要，可在省内任一车管所或服务站办理。"),),
    ),
    Plan(
        _d(8, 18),
        A,
        "网络安全保卫总队",
        "全省公安机关“净网”专项行动新闻发布会",
        ("“净网”专项行动成果", "个人信息保护提示"),
        "全省公安机关“净网”专项行动侦破侵犯公民个人信息、网络赌博等案件一百余起，清理网上违法有害信息两万余条。",
        (("任网", "总队长", "网络安全保卫总队"), ("石盾", "副总队长", "网络安全保卫总队")),
        (
            (
                1,
                "中国吉林网记者",
                "网民如何举报网上违法信息？",
                "可通过网警政务微博或网上报警平台举报，网警将在24小时内核查处置。",
            ),
        ),
    ),
    Plan(
        _d(9, 8),
        G,
        "法制总队",
        "全省公安机关服务经济社会发展十项措施新闻发布会",
        ("服务经济社会发展十项措施", "行政审批制度改革成果"),
        "经省政府同意，省公安厅推出服务经济社会发展十项措施，厅行政审批项目由35项精简为7项，全省公安行政审批项目由171项精简为110项。",
        (("韩民", "副厅长", "吉林省公安厅"), ("郑律", "总队长", "法制总队")),
        (
            (
                1,
                "人民日报记者",
                "精简后的审批项目如何办理？",
                "全部编入《吉林公安行政审批（办事）项目办理标准》，在门户网站公开，一次告知、限时办结。",
            ),
            (2, "吉林日报记者", "企业办理审批能网上申请吗？", "保留的审批项目将逐步开通网上申请和进度查询。"),
        ),
    ),
    Plan(
        _d(9, 22),
        A,
        "交通警察总队",
        "国庆长假道路交通安全出行新闻发布会",
        ("国庆期间道路交通预测", "出行安全提示"),
        "国庆长假期间小型客车免费通行，预计高速公路车流量同比增长二成，交警部门将在易拥堵路段加强疏导。",
        (("林畅", "秩序处处长", "交通警察总队"), SPOKESMAN),
        (
            (
                1,
                "吉林交通广播记者",
                "哪些路段容易拥堵？",
                "长春绕城高速、长吉高速和景区周边道路，请错峰出行并提前查询路况。",
            ),
        ),
    ),
    Plan(
        _d(10, 13),
        A,
        "法制总队",
        "《吉林公安行政审批（办事）项目办理标准》新闻发布会",
        ("办理标准的编制", "10个警种110项审批项目"),
        "《吉林公安行政审批（办事）项目办理标准》涵盖10个警种110项公安行政审批项目，逐项明确办理条件、材料、流程和时限，已在门户网站全文公开。",
        (("郑律", "总队长", "法制总队"), ("冯规", "副总队长", "法制总队")),
        (
            (
                1,
                "新文化报记者",
                "办理标准与以前的办事指南有什么不同？",
                "统一了全省标准，同一事项在任何地方办理，条件和材料都一样。",
            ),
        ),
    ),
    Plan(
        _d(10, 27),
        A,
        "法制总队",
        "公示吉林省公安厅权力清单和责任清单新闻发布会",
        ("九大类79项行政职权", "7类行政职权的责任清单"),
        "省公安厅全面清理行政职权，形成九大类79项权力清单，并公布7类行政职权对应的责任清单，接受社会监督。",
        (("郑律", "总队长", "法制总队"), SPOKESMAN),
        (
            (
                1,
                "吉林日报记者",
                "群众如何监督清单的执行？",
                "清单在门户网站公开，对超越清单行使权力的，可向厅纪委和督察部门举报。",
            ),
        ),
    ),
    Plan(
        _d(11, 10),
        A,
        "消防总队",
        "冬春火灾防控工作新闻发布会",
        ("冬春火灾防控形势", "家庭防火安全提示"),
        "全省进入供暖期，消防部门将开展冬春火灾防控工作，重点检查人员密集场所，提示群众谨慎使用电取暖设备。",
        (("孟炎", "副总队长", "消防总队"), ("郝安", "防火监督处处长", "消防总队")),
        (
            (
                2,
                "长春日报记者",
                "家里使用电暖器要注意什么？",
                "不要与可燃物贴近放置，人离开时断电，不要私拉乱接电线。",
            ),
        ),
    ),
    Plan(
        _d(11, 24),
        A,
        "户政管理处",
        "居民身份证办理便民措施新闻发布会",
        ("居民身份证异地受理", "临时身份证即时办理"),
        "自12月1日起，在我省居住的群众可就近申领、换领和补领居民身份证，办证大厅可即时制发临时居民身份证。",
        (("周籍", "处长", "户政管理处"), ("田证", "副处长", "户政管理处")),
        ((1, "城市晚报记者", "补领身份证需要多长时间？", "一般在30日内制发完毕，可选择邮寄送达。"),),
    ),
    Plan(
        _d(12, 8),
        A,
        "交通警察总队",
        "冬季雨雪冰冻天气道路交通安全新闻发布会",
        ("冬季道路交通安全形势", "冰雪路面驾驶提示"),
        "进入冬季后冰雪路面增多，交警部门将与公路部门联动除雪保畅，提示驾驶人降低车速、保持车距。",
        (("崔通", "副总队长", "交通警察总队"), SPOKESMAN),
        (
            (
                1,
                "吉林电视台记者",
                "冬季轮胎有必要更换吗？",
                "建议在冰雪路面较多的地区更换冬季轮胎，提高行车安全。",
            ),
        ),
    ),
    Plan(
        _d(12, 17),
        G,
        "指挥中心",
        "全省公安机关2015年打击犯罪维护稳定工作成效新闻发布会",
        ("2015年打击犯罪工作成效", "群众安全感调查结果"),
        "2015年全省公安机关刑事案件立案数同比下降，命案全部侦破，群众安全感测评保持在较高水平。",
        (("韩民", "副厅长", "吉林省公安厅"), ("马侦", "副总队长", "刑事侦查总队"), SPOKESMAN),
        (
            (
                1,
                "人民日报记者",
                "明年公安工作的重点是什么？",
                "继续深化公安改革，推进立体化社会治安防控体系建设，让群众更有安全感。",
            ),
            (
                2,
                "新华社记者",
                "电信诈骗案件今年有何变化？",
                "发案数上升势头得到遏制，专项行动追回被骗资金一千余万元。",
            ),
        ),
    ),
    Plan(
        _d(12, 24),
        A,
        "指挥中心",
        "元旦春节期间社会治安防控新闻发布会",
        ("元旦春节期间安保工作", "2016年春运准备"),
        "元旦春节期间全省公安机关将启动高等级勤务，加强车站、商场等人员密集场所的巡逻防控。",
        (SPOKESMAN, ("彭卫", "处长", "治安管理总队")),
        (
            (
                2,
                "长春日报记者",
                "节日期间群众遇到紧急情况如何求助？",
                "拨打110，公安机关实行24小时值守，快速出警。",
            ),
        ),
    ),
]


@dataclass(frozen=True)
class Explain:
    """A planned interpretation: of a published catalog policy matching one of `subjects`, about
    the day `around` (the conference's, for one given at a conference)."""

    form: Form
    department: str
    subjects: tuple[str, ...]
    around: dt.date
    conference: str = ""
    body: str = ""


EXPLAINS: list[Explain] = [
    Explain(
        Form.CONFERENCE,
        "出入境管理局",
        ("出入境证件", "护照办理", "港澳通行证", "签证"),
        _d(5, 12),
        conference="出台五项出入境便民利民措施新闻发布会",
        body="在新闻发布会上就五项出入境便民利民措施的适用对象、办理条件和时限作了解读。",
    ),
    Explain(
        Form.CONFERENCE,
        "户政管理处",
        ("户籍迁移", "居住证", "流动人口"),
        _d(4, 9),
        conference="吉林省进一步推进户籍制度改革新闻发布会",
        body="在新闻发布会上就户籍制度改革后的落户条件和居住证制度作了解读。",
    ),
    Explain(
        Form.TEXT,
        "治安管理总队",
        ("治安调解", "社区警务", "执法规范化", "旅馆业治安"),
        _d(7, 10),
        body="一、出台背景\n规范公安派出所出具证明，减少群众办事往返。\n二、主要内容\n取消可由信息系统核实的证明事项，保留事项一次告知、限时办结。\n三、施行时间\n自发布之日起施行。",
    ),
    Explain(
        Form.GRAPHIC,
        "交通警察总队",
        ("机动车驾驶证", "交通违法处理", "车辆登记", "冬季交通安全"),
        _d(7, 30),
    ),
    Explain(Form.VIDEO, "消防总队", ("消防安全",), _d(11, 12)),
    Explain(
        Form.TEXT,
        "网络安全保卫总队",
        ("网络安全", "网吧管理", "电信诈骗"),
        _d(8, 20),
        body="一、为什么出台\n维护网络空间秩序，保护公民个人信息。\n二、对网民有哪些要求\n文明上网，不传播违法有害信息。\n三、如何举报\n通过网上报警平台或网警政务微博举报。",
    ),
]


TITLES = {Form.GRAPHIC: "图解：《{name}》", Form.VIDEO: "视频解读：《{name}》"}
# The text beside a graphic or a video, for readers who cannot see it.
MEDIA = {
    Form.GRAPHIC: "本图解以问答形式介绍《{name}》的出台背景、主要内容和办理方式。",
    Form.VIDEO: "本视频由承办部门负责人介绍《{name}》的出台背景、主要内容和办理方式。",
}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _transcript(plan: Plan) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["发言人", "提问人", "问题", "回答"])
    writer.writerow([plan.speakers[0][0], "", "", f"各位记者朋友，大家好。{plan.summary}"])
    for position, asked_by, question, answer in plan.qa:
        writer.writerow([plan.speakers[position - 1][0], asked_by, question, answer])
    return out.getvalue().encode()


def _published(record: Record) -> dt.datetime:
    assert record.published_at is not None  # a published record has its time
    return record.published_at


def _pick(
    candidates: list[Record], subjects: tuple[str, ...], around: dt.datetime, *, by: bool
) -> Record | None:
    """The published policy about one of `subjects` (else any) published closest to `around`;
    `by`: published by then if there is one (a conference explains a policy already issued)."""
    matching = [r for r in candidates if any(s in r.name for s in subjects)] or candidates
    if by:
        matching = [r for r in matching if _published(r) <= around] or matching
    if not matching:
        return None
    return min(matching, key=lambda r: (abs((_published(r) - around).total_seconds()), r.pk))


def second_reviewer(reviewer: User) -> User:
    """Another reviewer of the office (the powers demo's 王审核 when it has been loaded), made if
    there is none: the one who publishes what the office drafted."""
    others = (
        User.objects.filter(is_active=True, department=reviewer.department, roles__role=Role.REVIEWER)
        .exclude(pk=reviewer.pk)
        .distinct()
        .order_by("pk")
    )
    for user in others:
        if not user.role_set() & ADMIN_ROLE_CODES:
            return user
    return do_create_staff(
        username=SECOND_REVIEWER[0],
        password="demo-pass-2015",  # noqa: S106 - the published demo password
        full_name=SECOND_REVIEWER[1],
        department=reviewer.department,
        roles=[Role.REVIEWER],
        email=f"{SECOND_REVIEWER[0]}@gongkai.example",
        actor=None,
    )


def load_demo_pressroom(
    staff: dict[str, Any], departments: dict[str, Any], progress: Callable[[str], None] = lambda _m: None
) -> dict[str, int]:
    reviewer: User = staff["gongkaiban"]
    editors: dict[str, User] = {}
    for user in staff.values():
        if user.department_id and user.has_role(Role.EDITOR):
            editors.setdefault(user.department.name, user)

    def drafter(department: Department) -> User:
        # A department without an editor of its own has its items drafted by the office.
        return editors.get(department.name, reviewer)

    def publisher(author: User) -> User:
        # Four eyes: whoever drafted an item does not publish it; what the office drafted is
        # published by a second office reviewer.
        return reviewer if author.pk != reviewer.pk else second_reviewer(reviewer)

    # The policies to interpret, chosen first so that a conference can list its policy among its
    # related records: published 2015 policies of the catalog, each interpreted once.
    candidates = list(
        policies.published_policies()
        .filter(published_at__gte=_at(_d(1, 1), 0), published_at__lt=_at(_d(12, 31), 0))
        .order_by("published_at", "id")
    )
    chosen: list[tuple[Explain, Record]] = []
    for explain in EXPLAINS:
        policy = _pick(
            candidates, explain.subjects, _at(explain.around, 17), by=explain.form == Form.CONFERENCE
        )
        if policy is None:
            break
        candidates.remove(policy)
        chosen.append((explain, policy))
    related = {e.conference: p for e, p in chosen if e.conference}

    conferences: dict[str, Conference] = {}
    answers = 0
    for plan in CONFERENCES:
        department = departments[plan.department]
        author = drafter(department)
        release = Record.objects.filter(category__code="press", name=plan.title, status="published").first()
        conference = services.do_create_conference(
            {
                "title": plan.title,
                "held_on": plan.held_on,
                "host": plan.host,
                "venue": GOVERNMENT_HALL if plan.host == Host.GOVERNMENT else AGENCY_HALL,
                "topics": "\n".join(plan.topics),
                "summary": plan.summary,
                "department": department,
                "release": release,
                "related_records": [related[plan.title]] if plan.title in related else [],
                "speakers": [
                    {"name": name, "post": post, "organisation": organisation}
                    for name, post, organisation in plan.speakers
                ],
            },
            actor=author,
            now=_at(plan.held_on - dt.timedelta(days=3), 9),
        )
        answers += services.do_import_transcript(
            conference,
            _transcript(plan),
            "实录.csv",
            actor=author,
            expected_version=conference.version,
            now=_at(plan.held_on, 15),
        )
        conference.refresh_from_db()
        conferences[plan.title] = services.do_publish_conference(
            conference,
            actor=publisher(author),
            expected_version=conference.version,
            now=_at(plan.held_on, 16),
        )

    interpretations = 0
    for explain, policy in chosen:
        department = departments[explain.department]
        given_at = conferences.get(explain.conference)
        at = max(_at(explain.around, 17), _published(policy) + dt.timedelta(hours=2))
        title = TITLES.get(explain.form, "《{name}》政策解读").format(name=policy.name)
        media = MEDIA.get(explain.form, "")
        author = drafter(department)
        interpretation = services.do_create_interpretation(
            {
                "title": title,
                "form": explain.form,
                "policy": policy,
                "conference": given_at,
                "body": explain.body,
                "media_url": f"https://jlga.example/jiedu/{YEAR}/{policy.pk}" if media else "",
                "media_text": media.format(name=policy.name),
                "department": department,
            },
            actor=author,
            now=at - dt.timedelta(hours=1),
        )
        services.do_publish_interpretation(
            interpretation, actor=publisher(author), expected_version=interpretation.version, now=at
        )
        interpretations += 1

    government = sum(1 for plan in CONFERENCES if plan.host == Host.GOVERNMENT)
    counts = {
        "conferences": len(conferences),
        "government": government,
        "agency": len(conferences) - government,
        "answers": answers,
        "interpretations": interpretations,
    }
    progress(
        f"press room: {counts['conferences']} conferences ({government} in the provincial "
        f"government's name), {answers} answers, {interpretations} interpretations"
    )
    return counts
