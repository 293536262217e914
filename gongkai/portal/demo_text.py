"""The demo catalog's words: titles, genres and bodies that read like the seed agency's own records.

A record's genre follows from what its title says it is (a 通知 is a notice, a 管理办法 a measure,
only a 《…》解读 / 图解 / 答记者问 an interpretation), never at random. Its body is written for its
kind (a notice, an alert, a release, a guide …) and its topic (households, exit-entry, traffic,
fire, public order …), from a few sentence templates filled with the record's own title, department
and date. Everything here is pure and deterministic: the template variants are chosen by a
`random.Random` seeded from the record's own key, so the demo's shared generator is not touched.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from gongkai.catalog.choices import Genre


@dataclass(frozen=True)
class Topic:
    field: str  # 户籍管理, 出入境管理 …
    law: str  # the law the work rests on
    where: str  # where people go
    hotline: str  # the number they call
    people: str  # whom it concerns
    unit: str  # the agency's department in charge


TOPICS: dict[str, Topic] = {
    "households": Topic(
        "户籍管理",
        "《中华人民共和国户口登记条例》",
        "户籍所在地公安派出所户籍窗口",
        "0431-82098251",
        "广大户籍居民",
        "户政管理处",
    ),
    "exit-entry": Topic(
        "出入境管理",
        "《中华人民共和国出境入境管理法》",
        "各地公安机关出入境管理部门办证大厅",
        "0431-82098251",
        "申请出入境证件的内地居民和在吉外国人",
        "出入境管理局",
    ),
    "traffic": Topic(
        "道路交通管理",
        "《中华人民共和国道路交通安全法》",
        "各地公安交通管理部门车管所和交警大队服务窗口",
        "0431-82098251",
        "广大机动车驾驶人和交通参与者",
        "交通警察总队",
    ),
    "fire": Topic(
        "消防安全",
        "《中华人民共和国消防法》",
        "各地公安消防机构",
        "0431-82098251",
        "社会单位和广大居民群众",
        "消防总队",
    ),
    "public-order": Topic(
        "治安管理",
        "《中华人民共和国治安管理处罚法》",
        "当地公安派出所或县级公安机关治安管理部门",
        "0431-82098251",
        "相关行业场所经营者和广大群众",
        "治安管理总队",
    ),
    "cyber": Topic(
        "网络安全",
        "《计算机信息网络国际联网安全保护管理办法》",
        "当地公安机关网安部门或就近公安派出所",
        "0431-82098251",
        "广大网民和手机用户",
        "网络安全保卫总队",
    ),
    "drugs": Topic(
        "禁毒",
        "《中华人民共和国禁毒法》",
        "当地公安机关禁毒部门",
        "0431-82098251",
        "广大群众特别是青少年",
        "禁毒总队",
    ),
    "policing": Topic(
        "公安队伍建设和警务",
        "《中华人民共和国人民警察法》",
        "省公安厅政府信息公开工作领导小组办公室",
        "0431-82098251",
        "全省各级公安机关",
        "政治部",
    ),
}

# Subject pools, each (subject, topic), for the title templates that take them.
CAMPAIGNS = [
    ("打击电信诈骗", "cyber"),
    ("冬季道路交通安全整治", "traffic"),
    ("春运道路交通安全保卫", "traffic"),
    ("禁毒严打整治", "drugs"),
    ("消防安全隐患排查整治", "fire"),
    ("校园及周边治安秩序整治", "public-order"),
    ("旅馆业治安检查", "public-order"),
    ("打击整治枪支爆炸物品违法犯罪", "public-order"),
    ("打黑除恶", "public-order"),
    ("户口登记清理整顿", "households"),
    ("打击非法出入境", "exit-entry"),
    ("网吧治安秩序整治", "cyber"),
    ("反恐防范检查", "public-order"),
    ("执法规范化建设", "policing"),
    ("打击盗抢机动车犯罪", "public-order"),
    ("道路交通违法行为集中整治", "traffic"),
    ("寄递物流安全管理", "public-order"),
    ("打击侵犯公民个人信息犯罪", "cyber"),
    ("出入境证件“一站式”服务", "exit-entry"),
    ("冬季火灾防控", "fire"),
]
FRAUDS = [
    ("冒充公检法", "cyber"),
    ("网购退款", "cyber"),
    ("虚假中奖", "cyber"),
    ("冒充客服", "cyber"),
    ("网络刷单", "cyber"),
    ("虚假贷款", "cyber"),
    ("机票改签", "cyber"),
    ("冒充熟人", "cyber"),
    ("冒充领导", "cyber"),
    ("网络交友", "cyber"),
    ("虚假投资理财", "cyber"),
    ("冒充快递理赔", "cyber"),
    ("虚假招聘", "cyber"),
    ("游戏装备交易", "cyber"),
    ("医保卡异常", "cyber"),
    ("冒充电商客服", "cyber"),
    ("虚假购物网站", "cyber"),
]
SEASONS = [
    ("春运", "traffic"),
    ("春节", "traffic"),
    ("清明节", "traffic"),
    ("五一假期", "traffic"),
    ("端午节", "traffic"),
    ("暑期", "traffic"),
    ("国庆假期", "traffic"),
    ("冰雪天气", "traffic"),
]
RULE_NOTICES = [
    ("进一步放宽户口迁移政策", "households"),
    ("规范机动车驾驶人考试工作", "traffic"),
    ("加强旅馆业治安管理", "public-order"),
    ("简化出入境证件办理手续", "exit-entry"),
    ("加强民用爆炸物品安全管理", "public-order"),
    ("加强消防安全重点单位管理", "fire"),
    ("规范户口登记工作", "households"),
    ("实施居住证制度", "households"),
    ("调整出入境证件收费标准", "exit-entry"),
    ("推行机动车检验便民措施", "traffic"),
    ("加强寄递物流业治安管理", "public-order"),
    ("做好公安行政审批事项清理", "policing"),
    ("规范公安派出所出具证明工作", "public-order"),
    ("加强危险化学品运输车辆管理", "traffic"),
    ("开展消防安全网格化管理", "fire"),
    ("加强剧毒化学品购买管理", "public-order"),
    ("推行户籍业务网上预约", "households"),
]
RULE_OPINIONS = [
    ("户口登记", "households"),
    ("道路交通事故处理", "traffic"),
    ("治安调解", "public-order"),
    ("110接处警", "policing"),
    ("出入境证件签发", "exit-entry"),
    ("消防监督检查", "fire"),
    ("执法办案", "policing"),
    ("公安行政许可", "policing"),
    ("机动车检验", "traffic"),
    ("居民身份证受理", "households"),
    ("外国人住宿登记", "exit-entry"),
    ("娱乐场所治安管理", "public-order"),
    ("公安机关涉案财物管理", "policing"),
    ("火灾事故调查", "fire"),
    ("交通违法处理", "traffic"),
    ("易制毒化学品管理", "drugs"),
    ("犬类登记", "public-order"),
]
MEASURES = [
    ("居住证", "households"),
    ("养犬", "public-order"),
    ("旅馆业治安", "public-order"),
    ("大型群众性活动安全", "public-order"),
    ("保安服务", "public-order"),
    ("消防安全重点单位", "fire"),
    ("机动车停放", "traffic"),
    ("互联网上网服务营业场所治安", "cyber"),
    ("公安机关警务公开", "policing"),
    ("寄递物流业治安", "public-order"),
    ("烟花爆竹安全", "public-order"),
    ("机动车驾驶人培训", "traffic"),
    ("流动人口服务", "households"),
    ("外国人住宿登记", "exit-entry"),
    ("易制毒化学品", "drugs"),
    ("高层建筑消防安全", "fire"),
    ("公安行政执法监督", "policing"),
]
WORK_NOTICES = [
    ("春运道路交通安全", "traffic"),
    ("冬季消防安全", "fire"),
    ("户口整顿", "households"),
    ("出入境证件受理", "exit-entry"),
    ("禁毒宣传", "drugs"),
    ("节假日安全保卫", "public-order"),
    ("网络安全检查", "cyber"),
    ("元旦春节期间安全保卫", "public-order"),
    ("清明节期间森林防火", "fire"),
    ("高考期间交通保障", "traffic"),
    ("汛期道路交通安全", "traffic"),
    ("暑期出入境证件办理", "exit-entry"),
    ("国庆期间安全保卫", "public-order"),
    ("冬季道路交通事故预防", "traffic"),
    ("全国两会期间安全保卫", "public-order"),
    ("第二代居民身份证换领", "households"),
    ("户口登记项目变更更正", "households"),
]
ACTIVITIES = [
    ("全民禁毒宣传月", "drugs"),
    ("公安机关开放日", "policing"),
    ("“119”消防宣传月", "fire"),
    ("“122”全国交通安全日", "traffic"),
    ("出入境便民服务月", "exit-entry"),
    ("户政窗口预约服务", "households"),
    ("防范电信诈骗宣传", "cyber"),
    ("“6·26”国际禁毒日宣传", "drugs"),
    ("“110”宣传日", "policing"),
    ("出入境证件集中受理", "exit-entry"),
    ("平安校园宣传", "public-order"),
    ("网络安全宣传周", "cyber"),
    ("冬季交通安全宣传", "traffic"),
    ("消防安全进社区", "fire"),
    ("流动人口集中登记", "households"),
    ("打击传销宣传", "public-order"),
    ("“警营开放日”", "policing"),
]
GUIDES = [
    ("户口迁移", "households"),
    ("居民身份证申领", "households"),
    ("普通护照申请", "exit-entry"),
    ("往来港澳通行证申请", "exit-entry"),
    ("机动车注册登记", "traffic"),
    ("机动车驾驶证申领", "traffic"),
    ("公众聚集场所投入使用前消防安全检查", "fire"),
    ("旅馆业特种行业许可证核发", "public-order"),
    ("大型群众性活动安全许可", "public-order"),
    ("居住证申领", "households"),
    ("出生登记", "households"),
    ("外国人签证延期", "exit-entry"),
    ("台湾居民来往大陆通行证申请", "exit-entry"),
    ("机动车检验合格标志核发", "traffic"),
    ("机动车转移登记", "traffic"),
    ("建设工程消防设计审核", "fire"),
    ("剧毒化学品购买许可", "public-order"),
    ("爆破作业单位许可", "public-order"),
    ("保安服务公司设立许可", "public-order"),
]
PURCHASES = [
    ("执法记录仪", "policing"),
    ("交通技术监控设备", "traffic"),
    ("出入境自助签注设备", "exit-entry"),
    ("居民身份证制证设备", "households"),
    ("消防救援车辆", "fire"),
    ("警用车辆", "policing"),
    ("社会治安视频监控系统", "public-order"),
    ("网络安全防护设备", "cyber"),
    ("警用服装", "policing"),
    ("移动警务终端", "policing"),
    ("交通信号控制系统", "traffic"),
    ("出入境证件制证耗材", "exit-entry"),
    ("户籍档案数字化", "households"),
    ("消防员个人防护装备", "fire"),
    ("毒品检测试剂", "drugs"),
    ("警犬饲料", "policing"),
    ("看守所监控系统改造", "policing"),
]
POSTS = [
    ("省公安厅2015年度人民警察", "policing"),
    ("省公安厅警务辅助人员", "policing"),
    ("出入境管理局窗口服务", "exit-entry"),
    ("交通警察总队交通管理辅警", "traffic"),
    ("消防总队合同制消防员", "fire"),
    ("刑事侦查总队法医", "policing"),
    ("网络安全保卫总队网络技术", "cyber"),
    ("出入境管理局朝鲜语翻译", "exit-entry"),
    ("警犬基地警犬训导", "policing"),
    ("监所管理总队看守所医务", "policing"),
    ("指挥中心新闻宣传", "policing"),
    ("警务保障部财务会计", "policing"),
    ("交通警察总队高速公路巡逻辅警", "traffic"),
    ("长春市公安局特警", "policing"),
    ("延边朝鲜族自治州公安局边境派出所", "exit-entry"),
    ("四平市公安局社区民警", "policing"),
]
PLANS = [
    ("公安交通管理", "traffic"),
    ("公安消防", "fire"),
    ("出入境管理", "exit-entry"),
    ("公安户政管理", "households"),
    ("公安信息化建设", "policing"),
    ("禁毒", "drugs"),
    ("公安治安管理", "public-order"),
    ("公安网络安全保卫", "cyber"),
    ("公安监所管理", "policing"),
    ("公安队伍教育训练", "policing"),
    ("公安科技", "policing"),
    ("警务保障", "policing"),
]
PROPOSALS = [
    ("加强校园周边交通安全管理", "traffic"),
    ("放宽户口迁移条件", "households"),
    ("增设出入境证件受理点", "exit-entry"),
    ("加强高层建筑消防安全", "fire"),
    ("打击电信诈骗犯罪", "cyber"),
    ("规范城市养犬管理", "public-order"),
    ("加强农村禁毒宣传", "drugs"),
    ("简化机动车年检手续", "traffic"),
    ("加强城市交通拥堵治理", "traffic"),
    ("推行户籍业务异地办理", "households"),
    ("方便外籍人员办理居留许可", "exit-entry"),
    ("加强农村消防基础设施建设", "fire"),
    ("加强校园安全防范", "public-order"),
    ("整治城乡接合部治安秩序", "public-order"),
    ("加强网吧未成年人管理", "cyber"),
    ("打击非法营运车辆", "traffic"),
    ("加强社区戒毒康复", "drugs"),
]

# The bulk catalog's title templates by column, each with its pool. A column keeps its number of
# templates: the demo's generator draws a template per record, and later data follow the draws.
TITLES: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "news": [
        ("全省公安机关开展{x}专项行动", CAMPAIGNS),
        ("{x}工作推进会在长春召开", CAMPAIGNS),
        ("省公安厅部署{x}工作", CAMPAIGNS),
        ("{x}工作取得阶段性成效", CAMPAIGNS),
    ],
    "alerts": [
        ("警方提示：谨防{x}诈骗", FRAUDS),
        ("警方提示：{x}期间注意出行安全", SEASONS),
        ("警方提示：警惕{x}新型骗局", FRAUDS),
    ],
    "policy-rules": [
        ("吉林省公安厅关于{x}的通知", RULE_NOTICES),
        ("关于进一步规范{x}工作的意见", RULE_OPINIONS),
        ("吉林省{x}管理办法", MEASURES),
    ],
    "policy-other": [("关于做好{x}工作的通知", WORK_NOTICES), ("关于开展{x}活动的公告", ACTIVITIES)],
    "interpretation": [("《吉林省{x}管理办法》政策解读", MEASURES), ("图解：吉林省{x}管理办法", MEASURES)],
    "approvals": [("{x}办事指南", GUIDES), ("{x}申请须知", GUIDES)],
    "procurement": [
        ("{x}采购项目中标公告", PURCHASES),
        ("{x}采购项目公开招标公告", PURCHASES),
        ("{x}采购合同公示", PURCHASES),
    ],
    "personnel": [("{x}岗位公开招录公告", POSTS), ("{x}岗位拟录用人员公示", POSTS)],
    "org-functions": [("{x}主要职责", [])],  # the record's own department
    "plans": [("吉林省{x}2015年工作计划", PLANS), ("吉林省{x}“十三五”发展规划", PLANS)],
    "proposals": [
        ("对省人大代表关于{x}建议的答复", PROPOSALS),
        ("对省政协委员关于{x}提案的答复", PROPOSALS),
    ],
}

# A department's topic, for the records it writes of itself (its duties).
DEPARTMENT_TOPICS = {
    "治安管理总队": "public-order",
    "交通警察总队": "traffic",
    "出入境管理局": "exit-entry",
    "户政管理处": "households",
    "网络安全保卫总队": "cyber",
    "消防总队": "fire",
    "禁毒总队": "drugs",
}

# The field and law of the agency's other departments, for their duties.
DEPARTMENT_FIELDS = {
    "指挥中心": ("指挥调度、新闻宣传和政府信息公开", "《中华人民共和国政府信息公开条例》"),
    "办公室": ("机关政务运转和综合协调", "《中华人民共和国人民警察法》"),
    "政治部": ("公安队伍建设", "《中华人民共和国人民警察法》"),
    "警务保障部": ("警务保障和财务装备", "《中华人民共和国预算法》"),
    "法制总队": ("公安法制", "《中华人民共和国行政处罚法》"),
    "刑事侦查总队": ("刑事侦查", "《中华人民共和国刑事诉讼法》"),
    "监所管理总队": ("监所管理", "《中华人民共和国看守所条例》"),
    "吉林省公安厅警犬基地": ("警犬培训和使用", "《中华人民共和国人民警察法》"),
}

# A travel alert speaks of the season of its date (a record formed in December warns of ice).
SEASONS_BY_MONTH = {
    1: "春运",
    2: "春节",
    3: "清明节",
    4: "清明节",
    5: "五一假期",
    6: "端午节",
    7: "暑期",
    8: "暑期",
    9: "国庆假期",
    10: "国庆假期",
    11: "冰雪天气",
    12: "冰雪天气",
}

# What a record is, read from its title: (kind, genre), the first whose marker the title holds.
# Interpretations first: a 《…管理办法》解读 is an interpretation, not a measure.
KINDS: list[tuple[tuple[str, ...], str, str]] = [
    (("解读", "答记者问", "图解"), "interpretation", Genre.INTERPRETATION),
    (("警方提示", "警情通报"), "alert", Genre.NEWS),
    (("新闻发布会",), "press", Genre.NEWS),
    (("工作报告",), "annual-report", Genre.REPORT),
    (("决算", "预算", "经费执行情况"), "finance", Genre.REPORT),
    (("目录",), "table", Genre.TABLE),
    (("办事指南", "须知", "办理标准"), "guide", Genre.GUIDE),
    (("采购",), "procurement", Genre.ANNOUNCEMENT),
    (("招录", "录用"), "personnel", Genre.ANNOUNCEMENT),
    (("答复",), "reply", Genre.OTHER),
    (("主要职责",), "duties", Genre.OTHER),
    (("规划", "计划", "工作要点"), "plan", Genre.PLAN),
    (("办法",), "measure", Genre.MEASURE),
    (("规定", "规程"), "regulation", Genre.REGULATION),
    (("意见",), "opinion", Genre.OPINION),
    (("通告",), "circular", Genre.CIRCULAR),
    (("公告", "公示"), "announcement", Genre.ANNOUNCEMENT),
    (("通知",), "notice", Genre.NOTICE),
    (("专项行动", "推进会", "部署", "成效", "召开"), "news", Genre.NEWS),
]


def kind_of(title: str) -> tuple[str, str]:
    """The record's kind and genre, from its title (其他 when the title says nothing)."""
    for markers, kind, genre in KINDS:
        if any(marker in title for marker in markers):
            return kind, genre
    return "other", Genre.OTHER


def genre_of(title: str) -> str:
    return kind_of(title)[1]


# Bodies by kind: slots of sentence variants, one variant a slot. Fields: {title}, {x} (subject),
# {dept}, {date}, {agency} and the topic's {field} {law} {where} {hotline} {people}.
# A slot is a list of variants (one chosen by the record's key) or (marker, variant if the title
# holds the marker, variant otherwise): a fraud alert warns of fraud, a travel alert of the road.
Slot = list[str] | tuple[str, str, str]
BODIES: dict[str, list[Slot]] = {
    "news": [
        [
            "{date}，{agency}召开会议，部署全省公安机关{x}工作。",
            "近日，{unit}会同各地公安机关深入推进{x}工作。",
        ],
        [
            "据介绍，前一阶段全省{field}工作总体平稳有序，各地突出重点、加强督导，各项措施落实到位。",
            "各地公安机关围绕{x}开展集中检查和宣传，查处了一批违法违规行为，群众安全感进一步提升。",
        ],
        [
            "{unit}要求，要坚持问题导向，把{x}与服务群众结合起来，对群众反映强烈的突出问题优先解决。",
            "据统计，活动开展以来各地共出动警力数千人次，排查整改隐患一批，受到群众好评。",
        ],
        [
            "下一步，全省公安机关将持续推进{x}，及时向社会公布工作进展。",
            "{unit}将加强督导检查，确保{x}取得实效。",
        ],
    ],
    "alert": [
        (
            "骗",
            "近期，我省发生多起{x}诈骗案件，{unit}提醒广大群众提高警惕，守好自己的“钱袋子”。",
            "{x}期间，道路交通流量和人员流动明显增加，{unit}提醒广大群众注意出行安全。",
        ),
        (
            "骗",
            "不法分子常冒充公安机关、银行或客服人员，以各种理由诱骗群众转账汇款或提供银行卡密码、验证码。"
            "公安机关不会通过电话要求转账，更没有所谓“安全账户”。",
            "出行前请合理安排行程，关注天气和路况信息；驾车不超速、不疲劳驾驶、不酒后驾驶，"
            "冰雪路面减速慢行；乘车妥善保管随身财物。",
        ),
        (
            "骗",
            "遇到可疑情况请及时拨打110报警，或到就近公安派出所咨询。",
            "遇到交通事故或紧急情况，请及时拨打110或122报警。",
        ),
    ],
    "notice": [
        ["各市（州）公安局，省公安厅各部门、警种：", "各有关单位："],
        (
            "做好",
            "为做好{x}工作，根据{law}等有关规定，结合我省实际，现就有关事项通知如下。",
            "为{x}，切实方便群众办事，根据{law}等有关规定，经研究决定，现将有关事项通知如下。",
        ),
        [
            "一、提高认识，加强领导。各地要把{field}工作摆上重要位置，主要负责同志亲自抓。",
            "一、明确职责，严格落实。{where}要公开办理条件和流程，做到一次告知、限时办结。",
        ],
        ["各地要明确责任分工，加强督导检查，执行中遇到的问题请及时报{unit}。"],
        ["本通知自{date}起施行。"],
    ],
    "opinion": [
        ["为进一步规范{x}工作，提高{field}执法和服务水平，根据{law}等规定，提出如下意见。"],
        [
            "一、明确工作标准，统一办理条件、程序和时限。二、加强监督管理，落实执法责任制。三、公开办事流程，接受群众监督。",
        ],
        ["各地公安机关要结合实际抓好落实，工作中的问题及时报{unit}。"],
    ],
    "measure": [
        ["第一条　为加强{x}管理，维护社会治安秩序，保障公民合法权益，根据{law}等法律法规，制定本办法。"],
        ["第二条　本办法适用于本省行政区域内的{x}管理工作。县级以上公安机关负责本行政区域内的{x}管理。"],
        [
            "第三条　公安机关应当公开{x}管理的办理条件、程序和时限，接受社会监督。违反本办法的，依照有关法律法规处理。"
        ],
        ["第四条　本办法自{date}起施行。"],
    ],
    "regulation": [
        ["第一条　为规范{x}工作，根据{law}等有关规定，制定本规定。"],
        ["第二条　{unit}负责本规定的组织实施和监督检查。"],
        ["第三条　本规定自{date}起施行。"],
    ],
    "circular": [
        ["根据{law}等有关规定，现将{x}有关事项通告如下。"],
        ["自{date}起，{people}可到{where}办理相关业务，具体条件和材料以窗口公示为准。"],
        ["咨询电话：{hotline}。特此通告。"],
    ],
    "announcement": [
        ["为做好{x}工作，{agency}决定开展相关活动，现将有关事项公告如下。"],
        ["活动期间，{where}将设立咨询点，向群众宣传{field}法律法规，现场解答群众咨询。"],
        ["请广大群众积极参与，共同维护良好的社会治安秩序。咨询电话：{hotline}。特此公告。"],
    ],
    "interpretation": [
        ["《吉林省{x}管理办法》（以下简称《办法》）已印发施行。现就《办法》的主要内容解读如下。"],
        [
            "一、制定背景。为规范{x}管理，根据{law}，结合我省实际制定《办法》。",
            "一、适用范围。《办法》适用于本省行政区域内的{x}管理，由县级以上公安机关负责实施。",
        ],
        [
            "二、主要内容。《办法》明确了{x}管理的责任主体、办理条件和程序，规定了相关单位和个人的义务及法律责任。"
        ],
        ["三、群众关心的问题。办理相关事项可到{where}，咨询电话{hotline}。"],
    ],
    "guide": [
        ["一、事项名称：{x}。二、设定依据：{law}及有关规定。"],
        ["三、办理地点：{where}。四、办理程序：申请、受理、审核、办结，办理结果当场告知或通知领取。"],
        [
            "五、申请材料：本人居民身份证及相关证明材料，材料齐全、符合法定形式的当场受理。六、收费标准：按国家规定标准收取。"
        ],
        ["七、咨询电话：{hotline}。"],
    ],
    "procurement": [
        ["受{unit}委托，吉林省政府采购中心就{x}采购项目组织政府采购，现将有关事项公告如下。"],
        ["项目编号：JLGA-2015-{n:03d}。采购方式：公开招标。采购内容：{x}一批。"],
        ["采购人：吉林省公安厅。采购代理机构：吉林省政府采购中心。联系人及电话详见采购文件。"],
        ["对本公告有异议的，可自公告发布之日起七个工作日内以书面形式提出。"],
    ],
    "personnel": [
        (
            "公示",
            "根据公务员录用和人民警察招录有关规定，经笔试、面试、体能测评、体检和考察，现将{x}岗位拟录用人员予以公示。",
            "根据公务员录用和人民警察招录有关规定，经批准，{agency}面向社会公开招录{x}岗位工作人员，现将有关事项公告如下。",
        ),
        (
            "公示",
            "公示期为{date}起七个工作日。公示期间，对公示人选如有异议，可向省公安厅政治部书面反映。",
            "报考人员须具有本科以上学历，年龄在18周岁以上、30周岁以下，身体健康，符合人民警察录用体检标准。"
            "报名时间自{date}起，报名咨询可与省公安厅政治部联系。",
        ),
    ],
    "reply": [
        ["您提出的关于{x}的建议收悉，{unit}高度重视，认真研究办理，现答复如下。"],
        [
            "近年来，全省公安机关依照{law}，持续推进{field}工作。对您提出的建议，我们将在下一步工作中认真研究吸纳。"
        ],
        [
            "下一步，我们将会同有关部门加强调查研究，完善工作措施，并及时向您通报办理进展。感谢您对公安工作的关心和支持。"
        ],
    ],
    "duties": [
        (
            "公安局",
            "{dept}是{agency}领导下的市（州）级公安机关，主要职责是：",
            "{dept}是{agency}主管全省{field}工作的职能部门，主要职责是：",
        ),
        (
            "公安局",
            "贯彻执行国家和省有关公安工作的法律法规和方针政策，领导本地区公安工作，维护本地区社会治安秩序，"
            "预防、制止和侦查违法犯罪活动。",
            "贯彻执行{law}等法律法规，拟订全省{field}工作的规范性文件并组织实施；指导、监督全省公安机关开展{field}工作。",
        ),
        ["承办{agency}交办的其他事项。"],
    ],
    "plan": [
        ["为做好全省{x}工作，根据公安部和省委、省政府的部署，结合我省实际，制定本计划。"],
        ["主要任务：一是完善工作机制，二是推进信息化建设，三是提升服务群众水平，四是加强队伍建设。"],
        ["各地公安机关要按照本计划明确的任务和时限抓好落实，{unit}负责统筹协调和督导检查。"],
    ],
}

# The seed's named items, each written out (title → paragraphs).
SEED_BODIES: dict[str, list[str]] = {
    "延吉口岸签证业务启动新闻发布会": [
        "2015年3月18日，省公安厅召开新闻发布会，宣布延吉口岸签证业务正式启动。",
        "经公安部批准，外国人因紧急事由来华，来不及在境外申请签证的，可以在延吉口岸签证机关申办口岸签证。",
        "出入境管理局负责同志介绍了口岸签证的申请条件、所需材料和办理流程，并回答了记者提问。",
    ],
    "出台五项出入境便民利民措施新闻发布会": [
        "2015年5月12日，省公安厅召开新闻发布会，发布五项出入境便民利民措施。",
        "五项措施包括：扩大异地办证范围、推行网上预约受理、缩短审批时限、开通急事急办绿色通道、实行证件邮寄送达。",
        "措施自发布之日起实施，群众可通过门户网站或出入境办证大厅了解详情。",
    ],
    "改进公安派出所出具证明工作新闻发布会": [
        "2015年7月8日，省公安厅召开新闻发布会，通报改进公安派出所出具证明工作有关情况。",
        "法律法规没有规定由公安派出所出具的证明，派出所不再出具；能通过居民身份证、户口簿等证件证明的事项，不再另开证明。",
        "群众办事遇到证明问题，可向当地公安机关反映。",
    ],
    "关于公示吉林省公安厅责任清单的通告": [
        "根据省委、省政府关于推行权力清单和责任清单制度的部署，现将吉林省公安厅责任清单予以公示。",
        "责任清单包括7类行政职权对应的责任事项、职责边界、公共服务事项和事中事后监管措施。",
        "公民、法人和其他组织对责任清单有意见建议的，可向省公安厅法制总队反映。特此通告。",
    ],
    "吉林公安行政审批（办事）项目办理标准": [
        "本标准涵盖治安、交管、出入境、户政、消防等10个警种110项公安行政审批项目。",
        "每个项目列明设定依据、申请条件、申请材料、办理程序、办理时限、收费标准和咨询电话。",
        "群众可在门户网站查阅，或到各级公安机关服务窗口咨询。",
    ],
    "吉林省公安厅厅机关2014年部门决算": [
        "根据省财政厅统一部署，现公开吉林省公安厅厅机关2014年部门决算。",
        "决算包括收入支出决算总表、财政拨款收入支出决算表、一般公共预算财政拨款“三公”经费支出决算表等。",
        "本决算已经省财政厅审核批复。",
    ],
    "吉林省公安厅厅机关2015年部门预算": [
        "根据省财政厅统一部署，现公开吉林省公安厅厅机关2015年部门预算。",
        "预算包括部门收支总体情况、一般公共预算支出情况和“三公”经费预算安排情况，并对主要变动作出说明。",
        "本预算经省人民代表大会批准。",
    ],
    "吉林省公安厅2014年厅机关“三公”经费执行情况": [
        "现将吉林省公安厅厅机关2014年“三公”经费执行情况公开如下。",
        "公开内容包括因公出国（境）费、公务用车购置及运行费、公务接待费的预算数、决算数及增减变化原因。",
        "厅机关严格执行中央八项规定，“三公”经费支出继续压减。",
    ],
    "吉林省公安厅行政职权目录（九大类79项）": [
        "经全面清理，吉林省公安厅厅机关及直属单位行政职权项目共九大类79项。",
        "每项职权附行政职权基本信息表和权力运行流程图，列明职权名称、实施依据、实施主体和办理流程。",
        "目录实行动态调整，职权变化时及时更新公布。",
    ],
    "吉林省公安厅2014年度政府信息公开工作报告": [
        "根据《中华人民共和国政府信息公开条例》的规定，现公布吉林省公安厅2014年度政府信息公开工作报告。",
        "报告包括主动公开政府信息情况、依申请公开政府信息情况、政府信息公开的收费及减免情况、"
        "因政府信息公开申请行政复议和提起行政诉讼情况，以及存在的主要问题和改进措施。",
        "如对本报告有疑问，请与省公安厅政府信息公开工作领导小组办公室联系（电话：0431-82098251）。",
    ],
}


@dataclass(frozen=True)
class Written:
    name: str
    subject: str
    topic: str
    genre: str
    body: str  # HTML paragraphs


def pick_subject(
    code: str, template_index: int, draw: int, department: str, formed_on: dt.date
) -> tuple[str, str]:
    """The subject a bulk record's title takes, and its topic: from the template's pool, at the
    position the demo's generator drew (the record's department for a department's duties, the
    season of its date for a travel alert)."""
    pool = TITLES[code][template_index][1]
    if not pool:
        return department, DEPARTMENT_TOPICS.get(department, "policing")
    if pool is SEASONS:
        return SEASONS_BY_MONTH[formed_on.month], "traffic"
    return pool[draw % len(pool)]


def write_body(
    title: str, *, subject: str, topic: str, department: str, formed_on: dt.date, agency: str, key: str
) -> str:
    """A record's body (HTML paragraphs): the seed's own words for its named items, else its kind's
    templates filled with the record's own subject, department and date; variants chosen by `key`."""
    if title in SEED_BODIES:
        return "".join(f"<p>{s}</p>" for s in SEED_BODIES[title])
    kind = kind_of(title)[0]
    slots = BODIES.get(kind, BODIES["notice"])
    rng = random.Random(key)  # noqa: S311 - deterministic demo text, not security
    facts = TOPICS.get(topic, TOPICS["policing"])
    fields = {
        "title": title,
        "x": subject,
        "dept": department,
        "date": f"{formed_on.year}年{formed_on.month}月{formed_on.day}日",
        "agency": agency,
        "field": facts.field,
        "law": facts.law,
        "where": facts.where,
        "hotline": facts.hotline,
        "people": facts.people,
        "unit": facts.unit,
        "n": rng.randrange(1, 200),
    }
    if kind == "duties" and department in DEPARTMENT_FIELDS:
        fields["field"], fields["law"] = DEPARTMENT_FIELDS[department]
    paragraphs = []
    for slot in slots:
        if isinstance(slot, tuple):  # (marker, if the title holds it, otherwise)
            marker, holds, otherwise = slot
            sentence = holds if marker in title else otherwise
        else:
            sentence = rng.choice(slot)
        paragraphs.append(f"<p>{sentence.format(**fields)}</p>")
    return "".join(paragraphs)


def write_record(
    code: str, template_index: int, draw: int, *, department: str, formed_on: dt.date, agency: str, key: str
) -> Written:
    """A bulk record's title, subject, topic, genre and body."""
    template = TITLES[code][template_index][0]
    subject, topic = pick_subject(code, template_index, draw, department, formed_on)
    name = template.format(x=subject)
    body = write_body(
        name, subject=subject, topic=topic, department=department, formed_on=formed_on, agency=agency, key=key
    )
    return Written(name=name, subject=subject, topic=topic, genre=genre_of(name), body=body)
