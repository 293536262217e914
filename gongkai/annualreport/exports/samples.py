"""Filled-in reports to export (tests, previews, the docs): a national-format 2021 report with
tables 二, 三 and 四 as the 2021 format lays them out, and a narrative 2015 report shaped like the
吉林省公安厅 2015 report of the seed. Every number in them is consistent (tables balance, the text
agrees with the tables), so a test that finds a number misplaced is finding an export fault."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

from gongkai.annualreport.document import Cell, Mention, Number, Passage, ReportDocument, Row, Section, Table

from .national import APPLICANTS, RESULTS, TABLE_3_NOTE

AGENCY: Final = "吉林省公安厅"

TABLE_3_COLUMNS: Final = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
TABLE_3_GROUPS: Final = (
    "申请人情况",
    *("申请人情况/法人或其他组织",) * 5,
    "申请人情况",
)
# (row key, label, parent under 三、本年度办理结果 or "", counts per applicant column)
TABLE_3_RESULTS: Final[tuple[tuple[str, str, str, tuple[int, ...]], ...]] = (
    ("granted", "（一）予以公开", "", (96, 4, 1, 0, 2, 1)),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", (18, 1, 0, 0, 1, 0)),
    ("denied.state_secret", "1.属于国家秘密", "（三）不予公开", (2, 0, 0, 0, 0, 0)),
    ("denied.law_forbid", "2.其他法律行政法规禁止公开", "（三）不予公开", (3, 0, 0, 0, 0, 0)),
    ("denied.three_security_one_stability", "3.危及“三安全一稳定”", "（三）不予公开", (1, 0, 0, 0, 0, 0)),
    ("denied.third_party", "4.保护第三方合法权益", "（三）不予公开", (6, 0, 0, 0, 1, 0)),
    ("denied.internal_affairs", "5.属于三类内部事务信息", "（三）不予公开", (2, 0, 0, 0, 0, 0)),
    ("denied.process_info", "6.属于四类过程性信息", "（三）不予公开", (4, 1, 0, 0, 0, 0)),
    ("denied.enforcement_case_file", "7.属于行政执法案卷", "（三）不予公开", (5, 0, 0, 0, 1, 0)),
    ("denied.admin_query", "8.属于行政查询事项", "（三）不予公开", (8, 0, 0, 0, 0, 0)),
    ("unable.not_held", "1.本机关不掌握相关政府信息", "（四）无法提供", (41, 2, 0, 1, 1, 1)),
    ("unable.needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供", (3, 0, 1, 0, 0, 0)),
    ("unable.unclear_after_correction", "3.补正后申请内容仍不明确", "（四）无法提供", (2, 0, 0, 0, 0, 0)),
    ("not_processed.petition_complaint", "1.信访举报投诉类申请", "（五）不予处理", (7, 0, 0, 0, 0, 0)),
    ("not_processed.repeat", "2.重复申请", "（五）不予处理", (5, 1, 0, 0, 0, 0)),
    ("not_processed.publication", "3.要求提供公开出版物", "（五）不予处理", (1, 0, 0, 0, 0, 0)),
    ("not_processed.massive_repeated", "4.无正当理由大量反复申请", "（五）不予处理", (0, 0, 0, 0, 0, 0)),
    (
        "not_processed.confirm_or_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        "（五）不予处理",
        (2, 0, 0, 0, 0, 0),
    ),
    (
        "other.overdue_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
        (3, 0, 0, 0, 0, 0),
    ),
    (
        "other.overdue_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
        (1, 0, 0, 0, 0, 0),
    ),
    ("other.other", "3.其他", "（六）其他处理", (2, 0, 0, 0, 0, 0)),
)
NEW_RECEIVED: Final = (212, 9, 2, 1, 6, 3)
CARRIED_OVER: Final = (14, 1, 0, 0, 1, 0)

REVIEW_KINDS: Final = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼/未经复议直接起诉"),
    ("litigation_after", "行政诉讼/复议后起诉"),
)
REVIEW_RESULTS: Final = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
TABLE_4: Final = {
    "reconsideration": (3, 1, 0, 1),
    "litigation_direct": (1, 0, 0, 1),
    "litigation_after": (0, 0, 0, 1),
}


def _passage(key: str, heading: str, text: str, figures: list[tuple[str, Number]]) -> Passage:
    """A drafted passage whose mentions point at each figure's digits, found in order in the text."""
    mentions = []
    at = 0
    for code, value in figures:
        digits = str(value)
        start = text.index(digits, at)
        mentions.append(Mention(code, value, start, start + len(digits)))
        at = start + len(digits)
    return Passage(key, heading, text, drafted=text, mentions=mentions)


def _row(
    key: str, label: str, values: tuple[Number | None, ...], codes: list[str], parents: list[str]
) -> Row:
    return Row(key, label, [Cell(v, c) for v, c in zip(values, codes, strict=True)], parents)


def table_2() -> list[Table]:
    """Table 二 as its four blocks (Art. 20 items (一), (五), (六), (八)), each its own Table."""
    blocks: list[tuple[str, str, tuple[str, ...], list[tuple[str, str, tuple[Number, ...]]]]] = [
        (
            "二.1",
            "第二十条第（一）项",
            ("本年制发件数", "本年废止件数", "现行有效件数"),
            [("rules", "规章", (0, 0, 0)), ("normative", "行政规范性文件", (6, 2, 41))],
        ),
        ("二.2", "第二十条第（五）项", ("本年处理决定数量",), [("licensing", "行政许可", (186532,))]),
        (
            "二.3",
            "第二十条第（六）项",
            ("本年处理决定数量",),
            [("penalty", "行政处罚", (52311,)), ("coercion", "行政强制", (3120,))],
        ),
        (
            "二.4",
            "第二十条第（八）项",
            ("本年收费金额（单位：万元）",),
            [("fees", "行政事业性收费", (Decimal("1823.46"),))],
        ),
    ]
    tables = []
    for key, caption, columns, rows in blocks:
        column_keys = [f"c{i}" for i in range(1, len(columns) + 1)]
        tables.append(
            Table(
                key=key,
                title="主动公开政府信息情况",
                caption=caption,
                columns=list(columns),
                column_keys=column_keys,
                rows=[
                    _row(rk, label, values, [f"annualreport.table2.{rk}.{ck}" for ck in column_keys], [])
                    for rk, label, values in rows
                ],
                corner="信息内容",
                unit="万元" if key == "二.4" else "",
            )
        )
    return tables


def table_3() -> Table:
    """Table 三 with all 25 rows; 总计 and the carried-forward row computed so every rule holds."""

    def codes(row: str) -> list[str]:
        return [f"inforequests.table3.{row}.{c}" for c in (*APPLICANTS, "total")]

    def with_total(values: tuple[int, ...]) -> tuple[int, ...]:
        return (*values, sum(values))

    processed = tuple(sum(r[3][i] for r in TABLE_3_RESULTS) for i in range(len(APPLICANTS)))
    forward = tuple(n + c - p for n, c, p in zip(NEW_RECEIVED, CARRIED_OVER, processed, strict=True))
    rows = [
        _row(
            "new_received",
            "一、本年新收政府信息公开申请数量",
            with_total(NEW_RECEIVED),
            codes("new_received"),
            [],
        ),
        _row(
            "carried_over",
            "二、上年结转政府信息公开申请数量",
            with_total(CARRIED_OVER),
            codes("carried_over"),
            [],
        ),
    ]
    for key, label, parent, values in TABLE_3_RESULTS:
        parents = [RESULTS, parent] if parent else [RESULTS]
        rows.append(_row(key, label, with_total(values), codes(key), parents))
    rows.append(
        _row("total_processed", "（七）总计", with_total(processed), codes("total_processed"), [RESULTS])
    )
    rows.append(
        _row("carried_forward", "四、结转下年度继续办理", with_total(forward), codes("carried_forward"), [])
    )
    return Table(
        key="三",
        title="收到和处理政府信息公开申请情况",
        columns=list(TABLE_3_COLUMNS),
        column_keys=[*APPLICANTS, "total"],
        column_groups=list(TABLE_3_GROUPS),
        corner=TABLE_3_NOTE,
        rows=rows,
        unit="件",
    )


def table_4() -> Table:
    columns, keys, groups, cells = [], [], [], []
    for kind, group in REVIEW_KINDS:
        values = (*TABLE_4[kind], sum(TABLE_4[kind]))
        for (result, label), value in zip([*REVIEW_RESULTS, ("total", "总计")], values, strict=True):
            columns.append(label)
            keys.append(f"{kind}.{result}")
            groups.append(group)
            cells.append(Cell(value, f"inforequests.table4.{kind}.{result}"))
    return Table(
        key="四",
        title="政府信息公开行政复议、行政诉讼情况",
        columns=columns,
        column_keys=keys,
        column_groups=groups,
        rows=[Row("cases", "", cells)],
        unit="件",
    )


def national_2021() -> ReportDocument:
    """吉林省公安厅2021年政府信息公开工作年度报告, in the national format of 国办公开办函〔2021〕30号."""
    t3 = table_3()
    new_total = t3.cell("new_received", "total").value
    carried = t3.cell("carried_over", "total").value
    processed = t3.cell("total_processed", "total").value
    forward = t3.cell("carried_forward", "total").value
    granted = t3.cell("granted", "total").value
    t4 = table_4()
    reconsideration = t4.cell("cases", "reconsideration.total").value
    litigation = sum(
        int(t4.cell("cases", f"{k}.total").value or 0) for k in ("litigation_direct", "litigation_after")
    )
    assert isinstance(new_total, int) and isinstance(processed, int)
    overview = [
        _passage(
            "overview.proactive",
            "（一）主动公开",
            "2021年，通过门户网站、新闻发布会、公安新媒体平台共主动公开政府信息12486条，其中门户网站发布3215条，"
            "公安新媒体平台发布9251条；共召开新闻发布会20场，其中以省政府名义召开3场、以本机关名义召开17场。",
            [
                ("catalog.records.published.total", 12486),
                ("catalog.publications.portal", 3215),
                ("newmedia.posts.delivered", 9251),
                ("pressroom.conferences.total", 20),
                ("pressroom.conferences.host.government", 3),
                ("pressroom.conferences.host.agency", 17),
            ],
        ),
        _passage(
            "overview.requests",
            "（二）依申请公开",
            f"2021年共收到政府信息公开申请{new_total}件，上年结转{carried}件，办结{processed}件，其中予以公开{granted}件；"
            f"结转下年度继续办理{forward}件。",
            [
                ("inforequests.table3.new_received.total", new_total),
                ("inforequests.table3.carried_over.total", carried or 0),
                ("inforequests.table3.total_processed.total", processed),
                ("inforequests.table3.granted.total", granted or 0),
                ("inforequests.table3.carried_forward.total", forward or 0),
            ],
        ),
        Passage(
            "overview.management",
            "（三）政府信息管理",
            "严格执行公文公开属性源头认定制度，拟制公文时同步确定主动公开、依申请公开或不予公开属性；"
            "定期清理已公开的政府信息，对过时失效的信息及时标注或撤除。",
            drafted="",
        ),
        _passage(
            "overview.platform",
            "（四）政府信息公开平台建设",
            "门户网站“政府信息公开”专栏设置公开指南、公开目录、年度报告等栏目，全年更新栏目内容3215条；"
            "政务微博、微信公众号全年发布信息9251条。",
            [("catalog.publications.portal", 3215), ("newmedia.posts.delivered", 9251)],
        ),
        _passage(
            "overview.oversight",
            "（五）监督保障",
            f"将政府信息公开工作纳入年度绩效考核，全年开展业务培训4次；因政府信息公开被申请行政复议{reconsideration}件、"
            f"提起行政诉讼{litigation}件。",
            [
                ("annualreport.training.sessions", 4),
                ("inforequests.table4.reconsideration.total", int(reconsideration or 0)),
                ("annualreport.table4.litigation.total", litigation),
            ],
        ),
    ]
    sections = [
        Section("一", "总体情况", passages=overview),
        Section("二", "主动公开政府信息情况", tables=table_2()),
        Section("三", "收到和处理政府信息公开申请情况", tables=[t3]),
        Section("四", "政府信息公开行政复议、行政诉讼情况", tables=[t4]),
        Section(
            "五",
            "存在的主要问题及改进情况",
            passages=[
                Passage(
                    "problems",
                    "",
                    "一是部分警种主动公开信息更新不够及时；二是依申请公开答复的规范化水平仍需提高。下一步，将完善信息发布审核机制，"
                    "加强答复文书的集体审核，组织业务培训，提升工作人员的依法公开能力。",
                )
            ],
        ),
        Section(
            "六",
            "其他需要报告的事项",
            passages=[
                _passage(
                    "other",
                    "",
                    "本年度未收取信息处理费（0万元）。本机关无其他需要报告的事项。",
                    [("inforequests.fees.collected", 0)],
                )
            ],
        ),
    ]
    doc = ReportDocument(
        year=2021,
        form="national",
        agency=AGENCY,
        title="吉林省公安厅2021年政府信息公开工作年度报告",
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 12, 31),
        preface=(
            "本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发"
            "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）编制。"
            "报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。"
        ),
        sections=sections,
        issued_on=dt.date(2022, 1, 28),
    )
    doc.figures = collect_figures(doc)
    return doc


def narrative_2015() -> ReportDocument:
    """吉林省公安厅2015年度政府信息公开工作报告 in the narrative form of the seed (period corrected)."""
    work = [
        _passage(
            "work.organisation",
            "（一）强化组织领导",
            "省公安厅高度重视政府信息公开工作，成立了由常务副厅长任组长的政府信息公开领导小组，小组在厅指挥中心下设办公室，"
            "明确专人负责厅机关政府信息公开工作。2015年，通过网站发布、新闻发布会、公安新媒体平台共发布政府信息9873条。",
            [("catalog.records.published.total", 9873)],
        ),
        _passage(
            "work.proactive",
            "（二）深化政府信息主动公开",
            "一是完善政府信息公开目录。二是加大政策解读回应力度。2015年省公安厅共召开新闻发布会20场，"
            "其中以省政府名义召开3场、以省公安厅名义召开17场，面向公众主动公开重大工作事项和政策。"
            "三是发挥各类信息公开平台和渠道作用，省厅机关各部门、警种官方政务微博群、政务微信主动公开警务信息、"
            "安防提示、政策法规解读信息内容8046条。四是加强依申请公开管理服务，全年受理依申请公开87件，均按期答复；"
            "没有因政府信息公开不及时、办理不适当被起诉（0件）。",
            [
                ("pressroom.conferences.total", 20),
                ("pressroom.conferences.host.government", 3),
                ("pressroom.conferences.host.agency", 17),
                ("newmedia.posts.delivered", 8046),
                ("inforequests.table3.new_received.total", 87),
                ("inforequests.table4.litigation.total", 0),
            ],
        ),
        _passage(
            "work.key_areas",
            "（三）推进重点领域信息公开",
            "一是推行行政权力运行信息公开。共清理我厅行政职权项目9大类79项，共填写行政职权基本信息表及绘制权力运行流程图"
            "共162份，建立共包括7类行政职权对应的省公安厅责任清单。二是推进行政审批项目信息公开。省公安厅行政审批项目由"
            "35项精简为7项，取消率达80%，全省公安机关行政审批项目由171项精简为110项，取消下放率达35.7%。"
            "编制《吉林公安行政审批（办事）项目办理标准》涵盖10个警种110项公安行政审批项目。",
            [
                ("powers.categories.total", 9),
                ("powers.items.total", 79),
                ("powers.documents.total", 162),
                ("powers.duties.categories", 7),
                ("powers.approvals.before", 35),
                ("powers.approvals.after", 7),
                ("powers.approvals.reduction_rate", 80),
                ("powers.province.before", 171),
                ("powers.province.after", 110),
                ("powers.province.reduction_rate", Decimal("35.7")),
                ("powers.branches.total", 10),
                ("powers.province.after", 110),
            ],
        ),
    ]
    problems = Passage(
        "problems",
        "",
        "省公安厅政府信息公开工作总体上运行良好，但是也存在一些不足。主要有：一是工作基础不牢。二是工作能力不强，"
        "人员数量与工作需求相比仍显不足。三是工作机制不实，还需进一步畅通信息报送渠道，简化审批流程。",
    )
    plans = [
        Passage(
            "plans.1",
            "（一）加大工作力度，拓宽公开渠道，不断扩大信息公开量",
            "进一步加大政务网站建设力度，巩固和优化现有网上服务。",
        ),
        Passage(
            "plans.2",
            "（二）创新公开新渠道，拓展政府信息公开广度",
            "充分发挥公安新媒体载体公开作用，扩大公共服务信息公开范围。",
        ),
        Passage(
            "plans.3",
            "（三）加强过程性监督，强化考核评估",
            "通过网上监察、专项检查和常规性工作报备等措施，督促相关工作有效落实。",
        ),
        Passage(
            "plans.4",
            "（四）规范工作机制，提高政府信息公开质量",
            "进一步规范文件公开属性审核工作，提高公文类信息主动公开率。",
        ),
    ]
    doc = ReportDocument(
        year=2015,
        form="narrative",
        agency=AGENCY,
        title="吉林省公安厅2015年度政府信息公开工作报告",
        period_start=dt.date(2015, 1, 1),
        period_end=dt.date(2015, 12, 31),
        preface=(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，现将《吉林省公安厅2015年度政府信息公开工作报告》"
            "予以公布。本年度报告中所列数据的统计期限自2015年1月1日起至2015年12月31日止。如对本年度报告有任何疑问，"
            "请与吉林省公安厅政府信息公开工作领导小组办公室联系（电话：0431-82098251）。"
        ),
        sections=[
            Section("一", "工作开展情况及成效", passages=work),
            Section("二", "存在问题", passages=[problems]),
            Section("三", "工作设想", passages=plans),
        ],
        issued_on=dt.date(2016, 3, 25),
    )
    doc.figures = collect_figures(doc)
    return doc


def collect_figures(doc: ReportDocument) -> dict[str, Number | None]:
    """code → value of every table cell and every mention, as assembly would have read them."""
    figures: dict[str, Number | None] = {}
    for table in doc.tables():
        for row in table.rows:
            for cell in row.cells:
                if cell.code:
                    figures[cell.code] = cell.value
    for passage in doc.passages():
        for mention in passage.mentions:
            figures[mention.code] = mention.value
    return figures


# The years before, for the charts: what the reports of those years stated.
HISTORY: Final[dict[int, dict[str, Number]]] = {
    year: {
        "inforequests.table3.new_received.total": received,
        "inforequests.table3.total_processed.total": processed,
        "inforequests.table3.granted.total": granted,
        "inforequests.table3.partial.total": partial,
        "inforequests.table3.denied.state_secret.total": denied,
        "inforequests.table3.unable.not_held.total": unable,
        "inforequests.table3.other.other.total": processed - granted - partial - denied - unable,
        "catalog.records.published.total": published,
        "pressroom.conferences.total": government + agency,
        "pressroom.conferences.host.government": government,
        "pressroom.conferences.host.agency": agency,
        "inforequests.table4.reconsideration.total": reconsideration,
        "inforequests.table4.litigation_direct.total": litigation,
    }
    for year, received, processed, granted, partial, denied, unable, published, government, agency, reconsideration, litigation in (
        (2017, 118, 109, 52, 9, 14, 25, 10215, 2, 14, 2, 1),
        (2018, 141, 137, 63, 12, 17, 33, 10876, 3, 15, 3, 1),
        (2019, 176, 168, 79, 15, 22, 38, 11302, 2, 15, 4, 2),
        (2020, 204, 195, 91, 17, 28, 44, 11954, 4, 18, 4, 2),
    )
}
