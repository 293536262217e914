"""Demo data reproducing seed §二(二)四–五: the online events of 2015 (微访谈、微直播、微发布) with
the public's questions answered, the year's inquiries on exit-entry, household, traffic and public
order answered (most published, some rated, two still open at the year's end), and the NPC
suggestions and CPPCC proposals replied, sent to the provincial government office and disclosed.

Everything goes through the services, each act dated on the day it happened in 2015; the names
are invented (askers are 某先生/某女士 with an example.com address), no identity number appears."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from gongkai.engagement import services
from gongkai.engagement.choices import EventKind, InquiryKind, ProposalKind, Rating, Topic

TZ = ZoneInfo("Asia/Shanghai")
REVIEWER = "gongkaiban"  # the office (公开办) reviewer of portal/demo.py STAFF

# The department that answers each topic, and its editor (portal/demo.py DEPARTMENTS and STAFF).
HANDLERS: dict[str, tuple[str, str]] = {
    Topic.EXIT_ENTRY: ("出入境管理局", "churujing"),
    Topic.HOUSEHOLD: ("户政管理处", "huzheng"),
    Topic.ID_CARD: ("户政管理处", "huzheng"),
    Topic.TRAFFIC: ("交通警察总队", "jiaoguan"),
    Topic.PUBLIC_ORDER: ("治安管理总队", "zhian"),
}
EDITORS = {department: username for department, username in HANDLERS.values()} | {"法制总队": "fazhi"}


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


# -- online events ---------------------------------------------------------------------------------


class Question(NamedTuple):
    nickname: str
    text: str
    guest: str = ""  # empty: not taken up, `answer` is then the moderator's reason
    answer: str = ""


class Event(NamedTuple):
    kind: str
    department: str
    title: str
    summary: str
    starts: str  # YYYY-MM-DD HH:MM, Beijing time
    minutes: int
    guests: str
    slug: str
    questions: list[Question]


EVENTS = [
    Event(
        EventKind.LIVE,
        "出入境管理局",
        "延吉口岸签证业务启动微直播",
        "现场直播延吉口岸签证业务启动，介绍口岸签证的申请条件、办理流程和所需材料，并解答网友提问。",
        "2015-03-18 09:30",
        90,
        "朴成浩|出入境管理局副局长\n李春梅|延吉口岸签证处负责人",
        "yanji-port-visa",
        [
            Question(
                "边城小李",
                "口岸签证一般多长时间能办好？",
                "李春梅",
                "材料齐全、符合条件的，口岸签证当场受理，一般在一个工作日内办结。",
            ),
            Question(
                "图们江畔",
                "口岸签证的停留期限是多久？到期了还想多待几天怎么办？",
                "李春梅",
                "口岸签证签发的停留期限一般不超过30日。需要延长停留期限的，"
                "应在期限届满七日前向停留地公安机关出入境管理机构申请。",
            ),
            Question(
                "长白山下",
                "以后我省还会有更多口岸开办签证业务吗？",
                "朴成浩",
                "我们将根据口岸开放情况和出入境人员的实际需求，研究在更多口岸开办签证业务，有关消息会及时公开。",
            ),
            Question("路过的网友", "请问延吉哪家冷面最好吃？", "", "与本次直播主题无关。"),
        ],
    ),
    Event(
        EventKind.INTERVIEW,
        "出入境管理局",
        "出入境五项便民利民措施微访谈",
        "邀请出入境管理局负责同志解读新出台的五项出入境便民利民措施，回答网友关心的办证问题。",
        "2015-04-28 10:00",
        90,
        "朴成浩|出入境管理局副局长\n王丽娟|出入境管理局证件管理处处长",
        "exit-entry-measures",
        [
            Question(
                "春城网友",
                "这次出台的便民措施里，护照办理时间缩短了吗？",
                "王丽娟",
                "缩短了。普通护照的审批时限进一步压缩，材料齐全的申请将在更短时间内签发，具体时限以办事指南公布为准。",
            ),
            Question(
                "松花江水",
                "自助签注机在哪些地方能找到？",
                "王丽娟",
                "全省各市（州）出入境接待大厅均已设置自助签注机，持电子往来港澳通行证、往来台湾通行证且符合条件的，可自助办理签注。",
            ),
            Question(
                "学生小王",
                "在外地读大学，可以在学校所在地办理护照吗？",
                "朴成浩",
                "可以。在校大学生凭学校出具的在读证明和居民身份证，可在学校所在地出入境管理部门申请普通护照。",
            ),
            Question(
                "旅行达人",
                "能不能在网上预约办证，免得去了排长队？",
                "朴成浩",
                "可以。通过本网站“办事服务”栏目或出入境政务微信预约办证时间，按预约时段到大厅办理即可。",
            ),
        ],
    ),
    Event(
        EventKind.INTERVIEW,
        "交通警察总队",
        "驾驶人考试与交通违法处理微访谈",
        "围绕驾驶人考试预约、实习期管理和交通违法处理，交警部门负责同志与网友在线交流。",
        "2015-07-09 14:30",
        90,
        "马德胜|交通警察总队副总队长\n刘海涛|交通警察总队车辆管理处民警",
        "driver-exams",
        [
            Question(
                "新手司机",
                "驾照实习期内可以开车上高速吗？",
                "马德胜",
                "可以，但实习期内驾驶机动车上高速公路行驶，应当由持相应或者更高准驾车型驾驶证三年以上的驾驶人陪同。",
            ),
            Question(
                "车主老张",
                "交通违法罚款可以在网上缴纳吗？",
                "刘海涛",
                "已开通网上处理的交通违法，确认违法事实后可通过互联网交通安全综合服务平台在线缴纳罚款。",
            ),
            Question(
                "考驾照中",
                "科目一考试没通过，多久可以补考？",
                "刘海涛",
                "科目一考试不合格的，可以当场或另行预约补考一次；补考仍不合格的，本次考试终止，需重新预约考试。",
            ),
            Question("代办小哥", "代办驾照，包过，有意私聊。", "", "广告内容，不予采纳。"),
        ],
    ),
    Event(
        EventKind.RELEASE,
        "户政管理处",
        "改进公安派出所出具证明工作微发布",
        "发布改进公安派出所出具证明工作的措施，说明不再出具的证明事项和办理时限，回答网友提问。",
        "2015-09-10 10:00",
        60,
        "韩立新|户政管理处处长",
        "police-station-certificates",
        [
            Question(
                "社区工作者",
                "派出所不再开具的证明主要有哪些？",
                "韩立新",
                "法律法规没有规定、可以通过户口簿或居民身份证等证件证明的事项，派出所不再出具证明，例如户口簿已记载的亲属关系和户籍信息。",
            ),
            Question(
                "上班族小赵",
                "确实需要派出所开证明的，现在多长时间能开好？",
                "韩立新",
                "能当场出具的当场出具；需要调查核实的，一般在三个工作日内出具并告知办理进度。",
            ),
            Question(
                "热心市民",
                "如果其他单位还要求我们去派出所开证明，该怎么办？",
                "韩立新",
                "可以通过本网站的咨询留言反映，我们会同有关部门核实，推动直接查验证件、不再要求群众提供不必要的证明。",
            ),
        ],
    ),
    Event(
        EventKind.LIVE,
        "交通警察总队",
        "国庆假期全省高速公路路况微直播",
        "国庆假期首日直播全省高速公路通行情况，发布出行提示，解答网友的路况和事故处理问题。",
        "2015-10-01 08:00",
        120,
        "刘海涛|交通警察总队指挥中心民警",
        "national-day-roads",
        [
            Question(
                "自驾出游",
                "长春往长白山方向今天路况怎么样？",
                "刘海涛",
                "目前长白山方向高速公路通行正常，部分收费站出口车流量较大，请合理安排出行时间，注意保持车距。",
            ),
            Question(
                "带娃出门",
                "国庆期间小客车走高速免费是从什么时候开始的？",
                "刘海涛",
                "7座以下（含7座）载客车辆免收通行费，从节假日第一天零时开始，到最后一天二十四时结束，以驶离出口收费站的时间为准。",
            ),
            Question(
                "返乡路上",
                "在高速上发生轻微剐蹭，应该怎么处理？",
                "刘海涛",
                "未造成人员伤亡、车辆可以移动的，请开启危险报警闪光灯、在车后方放置警告标志，拍照固定证据后将车辆移至不妨碍交通的地点协商处理或报警。",
            ),
        ],
    ),
    Event(
        EventKind.INTERVIEW,
        "治安管理总队",
        "春节烟花爆竹安全管理微访谈",
        "春节临近，治安部门负责同志介绍烟花爆竹禁放区域、运输许可和违规燃放的处理，提醒群众安全燃放。",
        "2015-12-22 14:00",
        90,
        "赵永军|治安管理总队副总队长",
        "fireworks-safety",
        [
            Question(
                "平安吉林",
                "哪些地方是禁止燃放烟花爆竹的？",
                "赵永军",
                "文物保护单位，车站、机场等交通枢纽，易燃易爆物品生产储存单位，医院、幼儿园、学校、敬老院，重点防火区以及当地政府规定的禁放区域，都禁止燃放。",
            ),
            Question(
                "零售店主",
                "春节前想临时卖烟花爆竹，要办什么手续？",
                "赵永军",
                "烟花爆竹零售经营许可由安全生产监督管理部门审批，公安机关负责燃放安全管理和道路运输许可。请先向当地安全生产监督管理部门申请零售许可。",
            ),
            Question(
                "小区居民",
                "发现有人在禁放区燃放，应该怎么办？",
                "赵永军",
                "可以拨打110报警。在禁止的时间、地点燃放的，由公安部门责令停止燃放，并依照《烟花爆竹安全管理条例》第四十二条处以罚款。",
            ),
        ],
    ),
]


def _load_events(staff: dict[str, Any], departments: dict[str, Any]) -> tuple[int, int, int]:
    """Each event drafted a week ahead, announced five days ahead, questions taken from two days
    ahead, moderated before it starts, answered while it runs and archived an hour after it ends."""
    events = asked = answered = 0
    for item in EVENTS:
        organiser = staff[EDITORS[item.department]]
        starts_at = dt.datetime.fromisoformat(item.starts).replace(tzinfo=TZ)
        ends_at = starts_at + dt.timedelta(minutes=item.minutes)
        taken = [q for q in item.questions if q.guest]
        archive = (
            f"{item.summary}活动历时{item.minutes}分钟，共收到网友提问{len(item.questions)}个，"
            f"嘉宾解答{len(taken)}个，问答内容整理如下。"
        )
        event = services.do_create_event(
            {
                "kind": item.kind,
                "title": item.title,
                "summary": item.summary,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "guests": item.guests,
                "department": departments[item.department],
                "video_url": f"https://video.gongkai.example/2015/{item.slug}",
            },
            actor=organiser,
            now=starts_at - dt.timedelta(days=7),
        )
        event = services.do_announce_event(
            event, actor=organiser, version=event.version, now=starts_at - dt.timedelta(days=5)
        )
        moderated = starts_at - dt.timedelta(minutes=15)
        for n, q in enumerate(item.questions):
            question = services.do_ask_question(
                event, q.nickname, q.text, now=starts_at - dt.timedelta(days=2) + dt.timedelta(hours=3 * n)
            )
            asked += 1
            if not q.guest:
                services.do_moderate_question(
                    question,
                    "reject",
                    actor=organiser,
                    version=question.version,
                    reason=q.answer,
                    now=moderated,
                )
                continue
            question = services.do_moderate_question(
                question, "approve", actor=organiser, version=question.version, now=moderated
            )
            services.do_answer_question(
                question,
                q.answer,
                q.guest,
                actor=organiser,
                version=question.version,
                now=starts_at + dt.timedelta(minutes=10 * (n + 1)),
            )
            answered += 1
        event.refresh_from_db()
        services.do_archive_event(
            event,
            archive_text=archive,
            actor=organiser,
            version=event.version,
            now=ends_at + dt.timedelta(hours=1),
        )
        events += 1
    return events, asked, answered


# -- inquiries -------------------------------------------------------------------------------------


# An outcome is "" (answered and published within the time limit) or "+"-joined flags:
#   satisfied / basically / unsatisfied  the asker rated the answer
#   private      the asker did not want it public: the answer is given to them only
#   late         answered three weeks later, after the due day
#   sendback     routed first to the public order branch, which sent it back
#   return       the office returned the first answer for more detail
#   repeat       the asker sent the same question again the next day: held and not accepted
#   routed / submitted   still open at the end of the year
class Ask(NamedTuple):
    day: str
    topic: str
    title: str
    question: str
    asker: str
    answer: str
    outcome: str = ""
    kind: str = InquiryKind.INQUIRY


INQUIRIES = [
    Ask(
        "2015-01-06",
        Topic.EXIT_ENTRY,
        "首次办理普通护照需要什么材料",
        "我是长春市户籍，第一次办理普通护照，需要准备哪些材料？可以在居住地办理吗？",
        "刘女士",
        "首次申请普通护照，请携带本人居民身份证（未满16周岁的可持户口簿）到户籍所在地县级以上公安机关"
        "出入境管理部门申请，现场采集照片和指纹。符合规定的，自受理之日起15个工作日内签发。",
        "satisfied",
    ),
    Ask(
        "2015-01-13",
        Topic.TRAFFIC,
        "驾驶证到期换证可以异地办理吗",
        "我的驾驶证今年4月到期，目前在吉林市工作，驾驶证是在白城核发的，能否在吉林市直接换证？",
        "张先生",
        "机动车驾驶人可以在驾驶证核发地以外的车辆管理所申请换证，需提交居民身份证、驾驶证和医疗机构"
        "出具的身体条件证明。请在驾驶证有效期满前九十日内办理。",
    ),
    Ask(
        "2015-01-20",
        Topic.HOUSEHOLD,
        "大学毕业后户口迁回原籍怎么办理",
        "我去年大学毕业，户口还在学校集体户，想迁回老家，需要办哪些手续？",
        "王先生",
        "毕业生户口迁回原籍，请先到学校所在地公安派出所开具户口迁移证，再持毕业证书、报到证（或学校出具的"
        "证明）和户口迁移证到原籍户口所在地公安派出所办理落户。",
        "basically",
    ),
    Ask(
        "2015-01-27",
        Topic.PUBLIC_ORDER,
        "建议春节期间加强居民小区烟花爆竹燃放管理",
        "每年春节期间小区内随意燃放烟花爆竹，停放的车辆和楼道都有安全隐患，建议公安机关加强巡查和宣传。",
        "李先生",
        "感谢您的建议。春节期间，全省公安机关将会同有关部门加强烟花爆竹运输和燃放环节的安全管理，在禁放"
        "区域和重点时段增加巡逻，依法查处违规燃放行为，并通过社区提示和政务微博、微信开展安全宣传。",
        kind=InquiryKind.MESSAGE,
    ),
    Ask(
        "2015-02-03",
        Topic.ID_CARD,
        "身份证丢失后如何补办",
        "我的居民身份证丢了，必须回户籍地补办吗？补办期间坐火车怎么办？",
        "陈女士",
        "居民身份证丢失的，请到常住户口所在地公安派出所或户政窗口申请补领。领证前乘坐火车，可到车站"
        "公安制证窗口办理临时乘车身份证明。",
        "satisfied",
    ),
    Ask(
        "2015-02-10",
        Topic.EXIT_ENTRY,
        "往来港澳通行证团队旅游签注办理时间",
        "春节前想去香港旅游，往来港澳通行证已经有了，只需要办团队旅游签注，大概需要几天？",
        "赵女士",
        "已持有效电子往来港澳通行证的，可在出入境接待大厅的自助签注机即时办理签注，窗口办理一般在7个"
        "工作日内完成。请留意签注的有效期和每次逗留期限。",
    ),
    Ask(
        "2015-02-26",
        Topic.TRAFFIC,
        "外省车辆在省内的交通违法怎么处理",
        "我的车是外省号牌，在长春被电子警察拍到闯红灯，必须到长春处理吗？",
        "孙先生",
        "机动车在登记地以外被记录的交通违法行为，可以在机动车登记地或违法行为发生地的公安机关交通管理部门"
        "处理；符合条件的，也可以通过互联网交通安全综合服务平台在网上处理。",
    ),
    Ask(
        "2015-03-04",
        Topic.EXIT_ENTRY,
        "延吉口岸签证面向哪些人员",
        "听说延吉口岸可以办签证了，外国朋友来吉林探亲，能在口岸直接申请吗？需要什么条件？",
        "金先生",
        "口岸签证主要面向出于人道原因需要紧急入境、应邀入境从事紧急商务或工程抢修等有紧急入境需要的外国人，"
        "并需持有关主管部门同意在口岸申办签证的证明材料。一般探亲请提前向我国驻外使领馆申请签证。",
        "satisfied",
    ),
    Ask(
        "2015-03-11",
        Topic.HOUSEHOLD,
        "新生儿落户需要哪些材料",
        "孩子上个月出生，父母户口不在一起，孩子随母亲落户需要带什么？",
        "周女士",
        "申报新生儿出生登记，请携带《出生医学证明》、父母双方的居民身份证和户口簿、结婚证，到随迁一方户口"
        "所在地公安派出所办理。新生儿随父或随母落户，由父母自愿选择。",
    ),
    Ask(
        "2015-03-18",
        Topic.PUBLIC_ORDER,
        "设立保安服务公司需要什么条件",
        "我们准备设立一家保安服务公司，请问向哪个部门申请？注册资本有什么要求？",
        "吴先生",
        "设立保安服务公司，应向所在地设区的市级公安机关提出申请，由省公安厅审核决定。注册资本不低于人民币"
        "100万元，拟任的法定代表人和主要管理人员应具备相应的专业知识和工作经验，并有符合规定的住所和管理制度。"
        "具体条件见《保安服务管理条例》第八条。",
        "basically",
    ),
    Ask(
        "2015-03-25",
        Topic.TRAFFIC,
        "建议在学校门口增派交通协管",
        "孩子学校在路口附近，上下学时段车辆和行人混行，建议增派交警或交通协管员。",
        "郑女士",
        "感谢您的留言。我们已将您的建议转交属地交警大队，上下学高峰时段将在学校周边安排警力疏导交通，"
        "并协调有关部门完善学校周边的交通标志标线。",
        kind=InquiryKind.MESSAGE,
    ),
    Ask(
        "2015-04-08",
        Topic.EXIT_ENTRY,
        "出入境便民利民措施从什么时候开始实施",
        "新闻上说出台了五项出入境便民利民措施，具体包括哪些？从什么时候开始？",
        "冯先生",
        "五项措施自发布之日起在全省出入境管理部门施行，主要包括压缩证件审批时限、推行自助签注、预约办证、"
        "证件邮寄和在校学生就地办证等，详细办事指南可在本网站“办事服务”栏目查阅。",
        "satisfied",
    ),
    Ask(
        "2015-04-15",
        Topic.ID_CARD,
        "临时居民身份证有效期多长",
        "办理身份证期间急需使用，可以申请临时居民身份证吗？有效期多久？",
        "褚女士",
        "在申请领取、换领、补领居民身份证期间急需使用的，可以向公安机关申请临时居民身份证，有效期限为三个月。",
    ),
    Ask(
        "2015-04-22",
        Topic.HOUSEHOLD,
        "购房后户口迁入的条件",
        "我在长春买了商品房，想把户口从外地迁过来，需要满足什么条件？",
        "何先生",
        "在城镇购买住房的，可持房屋所有权证、居民身份证和户口簿等材料，向拟迁入地公安派出所申请户口迁入，"
        "具体条件以当地公安机关公布的户籍政策为准。",
        "private",
    ),
    Ask(
        "2015-05-06",
        Topic.TRAFFIC,
        "科目二考完多久可以预约科目三",
        "科目二考试合格以后，多久可以预约科目三？能否在网上预约？",
        "韩先生",
        "科目二考试合格后即可预约科目三道路驾驶技能考试，可以通过互联网交通安全服务平台、车管所窗口或驾校"
        "预约。考试须在学习驾驶证明有效期内完成。",
    ),
    Ask(
        "2015-05-13",
        Topic.EXIT_ENTRY,
        "赴台个人旅游签注在哪里办理",
        "我们这里的居民现在可以办理赴台湾个人旅游签注吗？",
        "杨女士",
        "赴台个人旅游签注目前只在公安部公布的试点城市受理，试点城市户籍居民可持有效的大陆居民往来台湾通行证"
        "申请；其他地区居民可申请赴台团队旅游签注。试点城市名单以公安部出入境管理局公布的为准。",
        "basically",
    ),
    Ask(
        "2015-05-20",
        Topic.PUBLIC_ORDER,
        "举办演唱会需要办理哪些安全许可",
        "公司计划在体育馆举办一场约八千人的演唱会，需要向公安机关申请什么许可？提前多久申请？",
        "曹先生",
        "预计参加人数在5000人以上的大型群众性活动，由活动所在地设区的市级公安机关实施安全许可。承办者应当在"
        "活动举办日的20日前提出申请，并提交安全工作方案等材料，见《大型群众性活动安全管理条例》第十一条、第十二条。",
    ),
    Ask(
        "2015-06-03",
        Topic.TRAFFIC,
        "机动车年检可以异地进行吗",
        "我的车登记在四平，人在长春工作，年检必须回四平吗？",
        "许先生",
        "机动车在登记地以外的，可以向车辆所在地的机动车安全技术检验机构申请检验，检验合格后在车辆所在地"
        "车辆管理所申领检验合格标志。",
        "satisfied",
    ),
    Ask(
        "2015-06-10",
        Topic.HOUSEHOLD,
        "户口簿丢失怎么补办",
        "家里的户口簿找不到了，户主在外地打工，其他家庭成员可以去补办吗？",
        "邓女士",
        "户口簿丢失的，可由户主或本户成年成员持本人居民身份证到户口所在地公安派出所申请补领。",
    ),
    Ask(
        "2015-06-17",
        Topic.EXIT_ENTRY,
        "建议出入境大厅周末也能办证",
        "工作日请假很不方便，建议出入境接待大厅周末也能办理业务。",
        "田先生",
        "感谢您的建议。自2015年7月起，省、市两级出入境接待大厅实行周六上午办证服务，同时推行网上预约，"
        "减少群众排队等候时间。",
        "satisfied",
        kind=InquiryKind.MESSAGE,
    ),
    Ask(
        "2015-07-01",
        Topic.ID_CARD,
        "未满16周岁可以办身份证吗",
        "孩子今年10岁，暑假要坐飞机，可以给孩子办身份证吗？",
        "彭女士",
        "未满十六周岁的公民可以自愿申领居民身份证，由监护人代为申请。请监护人带孩子和户口簿到户口所在地"
        "公安派出所办理，证件有效期为五年。",
    ),
    Ask(
        "2015-07-08",
        Topic.TRAFFIC,
        "对交通事故认定有异议怎么办",
        "上个月发生一起交通事故，对事故认定书有异议，可以申请复核吗？",
        "曾先生",
        "当事人对道路交通事故认定有异议的，可以自道路交通事故认定书送达之日起三日内，向上一级公安机关交通管理"
        "部门提出书面复核申请。",
        "private+basically",
    ),
    Ask(
        "2015-07-15",
        Topic.PUBLIC_ORDER,
        "住宾馆可以用驾驶证登记吗",
        "外地游客入住宾馆，没带身份证，用驾驶证可以登记吗？",
        "肖女士",
        "旅馆接待旅客住宿，应当查验旅客的居民身份证等有效身份证件并如实登记。驾驶证不能用于住宿登记，"
        "没有带身份证的，可以到就近的公安派出所开具临时身份证明。",
    ),
    Ask(
        "2015-07-22",
        Topic.EXIT_ENTRY,
        "护照快到期了可以提前换发吗",
        "我的护照明年初到期，近期要出国，现在能提前换发吗？",
        "潘先生",
        "普通护照有效期不足六个月或者签证页即将用完的，可以申请换发。请携带居民身份证和原护照到出入境管理部门办理。",
        "satisfied",
    ),
    Ask(
        "2015-08-03",
        Topic.HOUSEHOLD,
        "老人投靠子女落户的条件",
        "父母年纪大了，想投靠我在长春落户，需要满足什么条件？",
        "袁女士",
        "投靠子女落户的，一般要求老人达到规定年龄、子女在当地有合法固定住所。请携带双方户口簿、居民身份证、"
        "亲属关系证明和住房证明到拟迁入地公安派出所申请，具体条件以当地户籍政策为准。",
        "late+unsatisfied",
    ),
    Ask(
        "2015-08-12",
        Topic.TRAFFIC,
        "反映路口左转信号灯时间太短",
        "我家附近一个主干道路口的左转信号灯时间太短，早晚高峰经常排长队，建议调整配时。",
        "梁先生",
        "感谢您的反映。属地交警大队已对该路口进行实地观测，将在高峰时段适当延长左转相位时间，并持续跟踪通行效果。",
        "sendback",
        kind=InquiryKind.MESSAGE,
    ),
    Ask(
        "2015-08-19",
        Topic.PUBLIC_ORDER,
        "养犬登记在哪里办理",
        "在市区养犬需要登记吗？到哪里办理？",
        "蒋女士",
        "城市市区内饲养犬只应当按照当地养犬管理规定办理登记。请携带居民身份证、犬只免疫证明等材料到居住地"
        "公安机关指定的养犬登记窗口办理，具体以当地公布的办事指南为准。",
        "basically",
    ),
    Ask(
        "2015-09-02",
        Topic.ID_CARD,
        "在工作地换领身份证",
        "我户籍在延边，在长春工作多年，身份证快到期了，能否在长春换领？",
        "蔡先生",
        "我省已在各市（州）开展居民身份证省内异地受理。您可持原居民身份证到长春市任一开通异地受理业务的户政窗口"
        "申请换领，现场采集照片和指纹，证件制作完成后可选择窗口领取或邮寄。",
        "return",
    ),
    Ask(
        "2015-09-09",
        Topic.EXIT_ENTRY,
        "外国人签证到期如何延期",
        "我的外籍同事签证下月到期，工作还没有结束，应该在哪里办理延期？",
        "余先生",
        "在华外国人需要延长签证停留期限的，应当在停留期限届满七日前，向停留地县级以上地方人民政府公安机关"
        "出入境管理机构提出申请，并按照要求提交申请材料。",
    ),
    Ask(
        "2015-09-16",
        Topic.HOUSEHOLD,
        "派出所不再开具哪些证明",
        "听说公安派出所不再开具一些证明了，哪些证明现在不用开了？",
        "杜女士",
        "按照改进公安派出所出具证明工作的要求，法律法规没有规定、可以通过户口簿等证件证明的事项，派出所"
        "不再出具证明，如户口簿已记载的亲属关系和户籍信息。确需出具的，派出所当场或限时出具。",
        "satisfied",
    ),
    Ask(
        "2015-09-23",
        Topic.TRAFFIC,
        "国庆期间高速公路是否免费",
        "国庆假期小型客车走高速免费吗？从几号到几号？",
        "程先生",
        "重大节假日期间，7座以下（含7座）载客车辆免收车辆通行费，免费时段从节假日第一天零时开始，"
        "到节假日最后一天二十四时结束，具体以交通运输部门公布为准。",
    ),
    Ask(
        "2015-10-14",
        Topic.PUBLIC_ORDER,
        "夜间装修噪音扰民可以报警吗",
        "楼上邻居经常晚上十点以后装修，多次沟通无效，请问可以报警吗？",
        "魏女士",
        "违反社会生活噪声污染防治规定、制造噪声干扰他人正常生活的，可以拨打110或向辖区派出所反映，"
        "公安机关将依照《中华人民共和国治安管理处罚法》第五十八条处理。",
        "private",
    ),
    Ask(
        "2015-10-21",
        Topic.EXIT_ENTRY,
        "出入境证件可以邮寄吗",
        "在外地上学，护照办好以后能邮寄到学校吗？",
        "苏先生",
        "申请出入境证件时可以选择证件邮寄服务并填写收件地址，证件签发后由邮政部门寄递，邮费由申请人承担。",
        "satisfied",
    ),
    Ask(
        "2015-11-04",
        Topic.TRAFFIC,
        "驾驶证记满12分怎么处理",
        "驾驶证一个记分周期内被记满12分，需要参加什么学习和考试？",
        "吕先生",
        "一个记分周期内累积记分达到12分的，公安机关交通管理部门扣留驾驶证，驾驶人应当在十五日内参加为期七日的"
        "道路交通安全法律法规学习并接受考试，考试合格的，记分予以清除，发还驾驶证。",
    ),
    Ask(
        "2015-11-11",
        Topic.HOUSEHOLD,
        "户口簿上的出生日期登记错了怎么更正",
        "户口簿上我的出生日期登记错了，怎么申请更正？",
        "丁女士",
        "申请更正出生日期，应当提供出生医学证明、原始户籍档案或者其他能够证明真实出生日期的材料，"
        "到户口所在地公安派出所提出申请，经审核后按规定办理。",
        "basically",
    ),
    Ask(
        "2015-11-25",
        Topic.ID_CARD,
        "换领身份证需要按指纹吗",
        "今年换领身份证需要按指纹吗？不按可以吗？",
        "沈先生",
        "根据《中华人民共和国居民身份证法》第三条，公民申请领取、换领、补领居民身份证，应当登记指纹信息。",
    ),
    Ask(
        "2015-12-02",
        Topic.PUBLIC_ORDER,
        "未成年人能否进入网吧",
        "未成年人可以进网吧吗？网吧上网必须用身份证登记吗？",
        "姚女士",
        "互联网上网服务营业场所不得接纳未成年人进入，上网消费者应当持有效身份证件登记上网。发现违规接纳未成年人的，"
        "可以向当地公安机关或文化部门举报。",
        "satisfied+repeat",
    ),
    Ask(
        "2015-12-09",
        Topic.EXIT_ENTRY,
        "参加边境旅游需要什么证件",
        "想从图们参加边境旅游团，需要办理什么证件？",
        "崔先生",
        "参加经批准的边境旅游，可持有效护照或者按规定申请的出入境通行证件出行，由具备资质的组团社统一办理相关手续。"
        "具体请咨询当地出入境管理部门。",
    ),
    Ask(
        "2015-12-16",
        Topic.TRAFFIC,
        "雪天高速公路封路信息在哪里查",
        "冬季下雪高速经常封闭，在哪里可以及时查到封路信息？",
        "高先生",
        "全省高速公路通行情况通过吉林公安交警政务微博、政务微信和交通广播实时发布，出行前请留意查询。",
    ),
    Ask(
        "2015-12-29",
        Topic.TRAFFIC,
        "外省车辆转入本省需要什么手续",
        "车辆从外省迁入我省，需要办理哪些手续？",
        "任先生",
        "",
        "routed",
    ),
    Ask(
        "2015-12-30",
        Topic.HOUSEHOLD,
        "户口迁出需要本人到场吗",
        "准备把户口迁到外省，办理户口迁出时本人必须到场吗？",
        "邹女士",
        "",
        "submitted",
    ),
]

FIRST_DRAFT = "可以异地办理，请到当地户政窗口咨询。"
RETURN_REASON = "答复过于简单，请补充办理窗口、所需材料和领证方式。"
SEND_BACK_REASON = "属于交通信号灯配时事项，应由交警部门答复。"
RATING_COMMENTS = {
    Rating.SATISFIED: "答复及时，讲得很清楚。",
    Rating.BASICALLY: "基本清楚，希望能说明具体办理地点。",
    Rating.UNSATISFIED: "答复时间太长。",
}


def _load_inquiries(staff: dict[str, Any], departments: dict[str, Any]) -> dict[str, int]:
    """Submitted by the public, routed by the office the next morning, answered by the department
    that afternoon, published (or given privately) by the office the day after, rated two days on."""
    reviewer = staff[REVIEWER]
    counts = {"inquiries": 0, "answered": 0, "published": 0, "rated": 0}
    for i, row in enumerate(INQUIRIES, start=1):
        day = dt.date.fromisoformat(row.day)
        flags = set(row.outcome.split("+")) - {""}
        data = {
            "kind": row.kind,
            "topic": row.topic,
            "title": row.title,
            "question": row.question,
            "wants_public": "private" not in flags,
            "asker_name": row.asker,
            "phone": "",
            "email": f"asker{i:02d}@example.com",
        }
        inquiry, code = services.do_submit_inquiry(data, now=_at(day, 9 + i % 9, 5 * (i % 12)))
        assert code is not None
        counts["inquiries"] += 1
        if "submitted" in flags:
            continue
        department, username = HANDLERS[row.topic]
        handler = staff[username]
        next_day = day + dt.timedelta(days=1)
        if "sendback" in flags:
            inquiry = services.do_route_inquiry(
                inquiry,
                departments["治安管理总队"],
                actor=reviewer,
                version=inquiry.version,
                now=_at(next_day, 9),
            )
            inquiry = services.do_send_back_inquiry(
                inquiry,
                actor=staff["zhian"],
                version=inquiry.version,
                reason=SEND_BACK_REASON,
                now=_at(next_day, 11),
            )
        inquiry = services.do_route_inquiry(
            inquiry, departments[department], actor=reviewer, version=inquiry.version, now=_at(next_day, 14)
        )
        if "routed" in flags:
            continue
        answer_day = day + dt.timedelta(days=21 if "late" in flags else 1)
        if "return" in flags:
            inquiry = services.do_answer_inquiry(
                inquiry, FIRST_DRAFT, actor=handler, version=inquiry.version, now=_at(answer_day, 15)
            )
            inquiry = services.do_return_answer(
                inquiry,
                actor=reviewer,
                version=inquiry.version,
                reason=RETURN_REASON,
                now=_at(answer_day, 17),
            )
            answer_day += dt.timedelta(days=1)
        inquiry = services.do_answer_inquiry(
            inquiry, row.answer, actor=handler, version=inquiry.version, now=_at(answer_day, 16)
        )
        reply_day = answer_day + dt.timedelta(days=1)
        if "private" in flags:
            inquiry = services.do_reply_inquiry(
                inquiry, actor=reviewer, version=inquiry.version, now=_at(reply_day, 10)
            )
        else:
            inquiry = services.do_publish_inquiry(
                inquiry,
                public_question=row.question,
                public_answer=row.answer,
                actor=reviewer,
                version=inquiry.version,
                now=_at(reply_day, 10),
            )
            counts["published"] += 1
        counts["answered"] += 1
        rating = next((r for r in Rating if r.value in flags), None)
        if rating is not None:
            services.do_rate_inquiry(
                inquiry, code, rating, RATING_COMMENTS[rating], now=_at(reply_day + dt.timedelta(days=2), 20)
            )
            counts["rated"] += 1
        if "repeat" in flags:
            # The same text again the next day: held as a repeat, and not accepted by the office.
            again, _code = services.do_submit_inquiry(data, now=_at(next_day, 21))
            counts["inquiries"] += 1
            earlier = next(f.get("earlier", "") for f in again.findings if f["kind"] == "duplicate")
            services.do_reject_inquiry(
                again,
                actor=reviewer,
                version=again.version,
                reason=f"重复提交，已在 {earlier} 中答复。",
                now=_at(next_day + dt.timedelta(days=1), 9),
            )
    return counts


# -- proposals -------------------------------------------------------------------------------------


class Handled(NamedTuple):
    kind: str
    number: str
    title: str
    proposer: str
    lead: str
    co: tuple[str, ...]
    received: str
    reply_after: int  # days from the day received to the lead department's reply
    summary: str


PROPOSALS = [
    Handled(
        ProposalKind.NPC,
        "0112",
        "关于加快推进居民身份证异地受理的建议",
        "张立华等6名代表",
        "户政管理处",
        (),
        "2015-03-16",
        52,
        "我厅已在全省各市（州）开展居民身份证省内异地受理，群众可在居住地户政窗口申请换领、补领，"
        "下一步将扩大受理网点，推行证件邮寄送达。",
    ),
    Handled(
        ProposalKind.NPC,
        "0236",
        "关于加强农村道路交通安全管理的建议",
        "李雪梅代表",
        "交通警察总队",
        ("治安管理总队",),
        "2015-03-16",
        60,
        "我厅会同有关部门在农村地区设立劝导站、配备交通安全劝导员，开展农村面包车、拖拉机违法载人专项整治，"
        "并将交通安全宣传纳入平安村屯建设。",
    ),
    Handled(
        ProposalKind.NPC,
        "0341",
        "关于延边地区开通更多口岸签证业务的建议",
        "金哲洙代表",
        "出入境管理局",
        (),
        "2015-03-18",
        45,
        "延吉口岸签证业务已于2015年3月启动。我厅将根据口岸开放和出入境人员需求，积极向公安部申请在更多口岸"
        "开办签证业务。",
    ),
    Handled(
        ProposalKind.NPC,
        "0418",
        "关于加强校园周边治安防控的建议",
        "王秀芳代表",
        "治安管理总队",
        ("交通警察总队",),
        "2015-03-20",
        58,
        "全省公安机关在中小学、幼儿园周边设立护学岗，上下学时段安排警力巡逻值守，会同教育部门完善校园安全防范设施，"
        "并常态化开展校园周边治安和交通秩序整治。",
    ),
    Handled(
        ProposalKind.NPC,
        "0527",
        "关于规范公安派出所出具证明事项的建议",
        "刘振国等3名代表",
        "户政管理处",
        ("法制总队",),
        "2015-03-23",
        70,
        "我厅已出台改进公安派出所出具证明工作的措施，清理并公布不再出具的证明事项，对确需出具的证明实行"
        "当场或限时出具，并通过政务网站接受群众监督。",
    ),
    Handled(
        ProposalKind.NPC,
        "0603",
        "关于推进警务公开和执法信息公开的建议",
        "陈建平代表",
        "法制总队",
        ("指挥中心",),
        "2015-03-25",
        75,
        "我厅持续完善政务信息公开目录，依法公开执法依据、办事流程和执法结果，通过新闻发布会、政务微博和微信"
        "解读重大政策，并建立依申请公开统一受理、审核和答复机制。",
    ),
    Handled(
        ProposalKind.CPPCC,
        "0089",
        "关于治理城区交通拥堵的提案",
        "民进吉林省委员会",
        "交通警察总队",
        (),
        "2015-03-12",
        48,
        "我厅指导各地交警部门优化重点路口信号配时，高峰时段增加警力疏导，推行轻微交通事故快处快赔，"
        "并配合城市规划部门完善路网和停车设施。",
    ),
    Handled(
        ProposalKind.CPPCC,
        "0156",
        "关于便利外籍人才出入境和居留的提案",
        "孙立新委员",
        "出入境管理局",
        (),
        "2015-03-12",
        55,
        "我厅对来吉工作的外籍高层次人才开通签证和居留许可绿色通道，缩短审批时限，并在出入境接待大厅设立"
        "外国人服务窗口。",
    ),
    Handled(
        ProposalKind.CPPCC,
        "0231",
        "关于加强电信网络诈骗防范宣传的提案",
        "赵宏伟委员",
        "治安管理总队",
        ("刑事侦查总队", "网络安全保卫总队"),
        "2015-03-17",
        62,
        "我厅通过政务微博、微信和社区宣传栏及时发布新型诈骗手法提示，会同金融、通信部门开展防范宣传进社区、"
        "进校园活动，并依法严厉打击电信网络诈骗犯罪。",
    ),
    Handled(
        ProposalKind.CPPCC,
        "0318",
        "关于完善流动人口居住登记服务的提案",
        "黄美玲委员",
        "户政管理处",
        ("治安管理总队",),
        "2015-03-19",
        66,
        "我厅推行流动人口居住登记和居住证制度，简化登记手续，依托社区警务室就近办理，并逐步将教育、"
        "医疗等公共服务与居住证挂钩。",
    ),
    Handled(
        ProposalKind.CPPCC,
        "0402",
        "关于加强冬季冰雪道路交通安全保障的提案",
        "九三学社吉林省委员会",
        "交通警察总队",
        (),
        "2015-03-24",
        90,
        "每年入冬前，我厅会同交通运输部门制定冰雪天气道路交通应急预案，在易结冰路段设置警示标志，"
        "雨雪天气及时发布路况信息并实施临时交通管制，保障群众安全出行。",
    ),
    Handled(
        ProposalKind.CPPCC,
        "0477",
        "关于加强公安执法规范化建设的提案",
        "周建民委员",
        "法制总队",
        (),
        "2015-03-26",
        80,
        "我厅健全执法制度和案件审核机制，推行执法记录仪全程使用，开展执法资格等级考试和案件评查，"
        "并公开执法监督投诉渠道，接受社会监督。",
    ),
]
# The provincial government office disclosed the handling results in two batches.
DISCLOSURE_BATCHES = (dt.date(2015, 6, 18), dt.date(2015, 8, 20))


def _load_proposals(staff: dict[str, Any], departments: dict[str, Any]) -> tuple[int, int]:
    """Registered by the office when assigned, replied by the lead department, which agrees to
    disclose its summary; sent a week later and disclosed in the next batch."""
    reviewer = staff[REVIEWER]
    registered = disclosed = 0
    for row in PROPOSALS:
        received_on = dt.date.fromisoformat(row.received)
        lead = departments[row.lead]
        editor = staff[EDITORS[row.lead]]
        proposal = services.do_register_proposal(
            {
                "kind": row.kind,
                "number": row.number,
                "title": row.title,
                "proposer": row.proposer,
                "lead_department": lead,
                "co_departments": [departments[name] for name in row.co],
                "received_on": received_on,
                "due_on": received_on + dt.timedelta(days=90),
            },
            actor=reviewer,
            now=_at(received_on, 15),
        )
        registered += 1
        replied_on = received_on + dt.timedelta(days=row.reply_after)
        reply = f"{row.proposer}：\n您提出的《{row.title}》收悉，现答复如下：\n{row.summary}\n感谢您对公安工作的关心和支持。\n吉林省公安厅{row.lead}"
        proposal = services.do_reply_proposal(
            proposal, reply, on=replied_on, actor=editor, version=proposal.version, now=_at(replied_on, 16)
        )
        proposal = services.do_record_consent(
            proposal,
            consent=True,
            public_summary=row.summary,
            actor=editor,
            version=proposal.version,
            now=_at(replied_on, 17),
        )
        sent_on = replied_on + dt.timedelta(days=7)
        proposal = services.do_send_proposal(
            proposal, on=sent_on, actor=reviewer, version=proposal.version, now=_at(sent_on, 10)
        )
        disclosed_on = next(d for d in DISCLOSURE_BATCHES if d >= sent_on + dt.timedelta(days=7))
        services.do_disclose_proposal(
            proposal, on=disclosed_on, actor=reviewer, version=proposal.version, now=_at(disclosed_on, 10)
        )
        disclosed += 1
    return registered, disclosed


def load_demo_engagement(
    staff: dict[str, Any], departments: dict[str, Any], progress: Callable[[str], None] = lambda _m: None
) -> dict[str, int]:
    events, asked, answered = _load_events(staff, departments)
    progress(f"online events: {events}, questions asked: {asked}, answered: {answered}")
    counts = _load_inquiries(staff, departments)
    progress(
        f"inquiries: {counts['inquiries']}, answered: {counts['answered']}, published: {counts['published']}, "
        f"rated: {counts['rated']}"
    )
    proposals, disclosed = _load_proposals(staff, departments)
    progress(f"proposals: {proposals}, disclosed: {disclosed}")
    return {
        "events": events,
        "event_questions": asked,
        "event_answers": answered,
        **counts,
        "proposals": proposals,
        "proposals_disclosed": disclosed,
    }
