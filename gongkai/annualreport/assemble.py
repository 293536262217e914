"""Assemble a year's annual report from the period figures (core.figures) and nothing else.

Two forms: the national format of 国办公开办函〔2021〕30号 (six sections; tables 二, 三, 四 as the
format file lays them out) and the narrative form of the years before 2019 (shaped like the seed:
一、工作开展情况及成效, 二、存在问题, 三、工作设想). Every passage that states a number is drafted
here from the figures, and each number is recorded as a `Mention` of the figure it was read from.
A passage whose figures are not registered (an app not installed yet) is left out, with a note to
the office; the passages without numbers are the office's text, drafted as a starting point.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.annualreport.document import (
    Cell,
    Form,
    Mention,
    Number,
    Passage,
    ReportDocument,
    Row,
    Section,
    Table,
)
from gongkai.core import figures as core_figures
from gongkai.core.figures import Figure, Period, Registry

FORMS: tuple[Form, ...] = ("national", "narrative")
# The national format applies to report years from 2021 (国办公开办函〔2021〕30号); before 2019 a report
# is narrative (no national table existed); 2019 and 2020 are drafted in the national layout too.
NATIONAL_FROM = 2021
NARRATIVE_BEFORE = 2019


class AssemblyError(ValueError):
    """A report that cannot be assembled (an unknown form, a year out of range)."""


def default_form(year: int) -> Form:
    return "narrative" if year < NARRATIVE_BEFORE else "national"


# -- drafting text from figures -----------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.+\-]*)(?::(cn|zero))?\}")
CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """0–99 in Chinese numerals as reports write them ("九大类", "十二项"); larger numbers in digits."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def format_number(value: Number) -> str:
    """An int as digits without separators (as published reports write them); a Decimal without
    trailing zeros ("80" for 80.0, "35.7")."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


class MissingFigures(Exception):
    """The figures a passage states are not registered (or undefined for the period)."""

    def __init__(self, codes: list[str], undefined: bool = False) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes
        self.undefined = undefined


@dataclass
class Figures:
    """The figures of one period by code, with what the report read from them."""

    by_code: dict[str, Figure]
    read: dict[str, Number | None] = field(default_factory=dict)

    def has(self, code: str) -> bool:
        return all(part in self.by_code for part in code.split("+"))

    def value(self, code: str) -> Number | None:
        """A figure's value, or the sum of "+"-joined figures; recorded as read."""
        parts = code.split("+")
        missing = [part for part in parts if part not in self.by_code]
        if missing:
            raise MissingFigures(missing)
        values = [self.by_code[part].value for part in parts]
        total: Number | None = None if any(v is None for v in values) else sum(values, start=0)  # type: ignore[arg-type]
        for part in parts:
            self.read[part] = self.by_code[part].value
        if len(parts) > 1:
            self.read[code] = total
        return total

    def first(self, *codes: str) -> str | None:
        """The first of these codes whose figures are all registered."""
        return next((code for code in codes if self.has(code)), None)


def draft(template: str, figures: Figures) -> tuple[str, list[Mention]]:
    """Fill `{code}` placeholders with figures ("{a+b}" their sum, "{code:cn}" in Chinese numerals,
    "{code:zero}" as 没有 when zero) and record where each number stands."""
    needed = [m.group(1) for m in PLACEHOLDER.finditer(template)]
    missing = sorted({part for code in needed for part in code.split("+") if part not in figures.by_code})
    if missing:
        raise MissingFigures(missing)
    out: list[str] = []
    mentions: list[Mention] = []
    length = 0
    at = 0
    for match in PLACEHOLDER.finditer(template):
        out.append(template[at : match.start()])
        length += match.start() - at
        code, style = match.group(1), match.group(2)
        value = figures.value(code)
        if value is None:
            raise MissingFigures([code], undefined=True)
        if style == "cn" and isinstance(value, int):
            text = chinese_numeral(value)
        elif style == "zero" and value == 0:
            text = "没有"
        else:
            text = format_number(value)
        mentions.append(Mention(code, value, length, length + len(text)))
        out.append(text)
        length += len(text)
        at = match.end()
    out.append(template[at:])
    return "".join(out), mentions


@dataclass(frozen=True)
class Spec:
    """A passage to draft: its key and heading, and its text — a template of figure placeholders,
    or a function of the figures (for wording that depends on a value) returning a template."""

    key: str
    heading: str
    template: str | Callable[[Figures], str]
    # What to tell the office when its figures are missing (defaults to the passage's heading).
    about: str = ""


class Drafter:
    """Drafts passages, leaving out those whose figures are missing with a note to the office."""

    def __init__(self, figures: Figures, context: Mapping[str, object]) -> None:
        self.figures = figures
        self.context = context
        self.notes: list[str] = []

    def passages(self, specs: Iterable[Spec]) -> list[Passage]:
        result = []
        for spec in specs:
            passage = self.passage(spec)
            if passage is not None:
                result.append(passage)
        return result

    def passage(self, spec: Spec) -> Passage | None:
        try:
            template = spec.template(self.figures) if callable(spec.template) else spec.template
            text, mentions = draft(_fill_context(template, self.context), self.figures)
        except MissingFigures as missing:
            what = spec.about or spec.heading or spec.key
            if missing.undefined:
                self.notes.append(
                    _("“%(what)s”一段未起草：本期无法计算 %(codes)s，请办公室核实后补写。")
                    % {"what": what, "codes": "、".join(missing.codes)}
                )
            else:
                self.notes.append(
                    _("“%(what)s”一段未起草：尚未登记统计项 %(codes)s，请办公室核实后补写。")
                    % {"what": what, "codes": "、".join(missing.codes)}
                )
            return None
        return Passage(spec.key, spec.heading, text, drafted=text, mentions=mentions)


def _fill_context(template: str, context: Mapping[str, object]) -> str:
    """`[name]` markers for the year, the agency … (square brackets: braces are figures)."""
    for name, value in context.items():
        template = template.replace(f"[{name}]", str(value))
    return template


# -- the narrative form (years before 2019, like the seed) ----------------------------------------


def _litigation(figures: Figures) -> str:
    codes = "inforequests.table4.litigation_direct.total+inforequests.table4.litigation_after.total"
    if figures.has(codes) and figures.value(codes) == 0:
        return (
            "六是加强依申请公开管理服务。本年度共受理政府信息公开申请{inforequests.table3.new_received.total}件，"
            "办结{inforequests.table3.total_processed.total}件，"
            "[agency]{" + codes + ":zero}因政府信息公开不及时、办理不适当被起诉。"
        )
    return (
        "六是加强依申请公开管理服务。本年度共受理政府信息公开申请{inforequests.table3.new_received.total}件，"
        "办结{inforequests.table3.total_processed.total}件；"
        "因政府信息公开被提起行政诉讼{" + codes + "}件。"
    )


def _new_media(figures: Figures) -> str:
    code = (
        figures.first("newmedia.posts.delivered") or "catalog.publications.weibo+catalog.publications.wechat"
    )
    return (
        "四是发挥各类信息公开平台和渠道作用。充分发挥公安新媒体政府信息公开作用，利用公安微博、微信平台积极回应社会关切，"
        "公布公安机关行政审批、办事流程等有关业务注意事项。[year]年，各部门、警种官方政务微博群、政务微信主动公开警务信息、"
        "安防提示、政策法规解读信息内容{" + code + "}条。"
    )


NARRATIVE_WORK: tuple[tuple[str, tuple[Spec, ...]], ...] = (
    (
        "",
        (
            Spec(
                "work.intro",
                "",
                "按照中央、公安部、省委省政府全面推进政务公开工作的要求，[agency]组织机关各部门、警种按照政府信息公开"
                "有关工作部署和要求，结合工作实际，强化组织领导，健全工作机制，突出重点，重点开展以下方面工作：",
            ),
        ),
    ),
    (
        "（一）强化组织领导",
        (
            Spec(
                "work.organisation",
                "（一）强化组织领导",
                "[agency]高度重视政府信息公开工作，成立了政府信息公开领导小组，领导小组下设办公室，明确专人负责机关"
                "政府信息公开工作，利用各种形式开展政府信息公开业务培训，不断强化政府信息公开工作意识。",
            ),
            Spec(
                "work.published",
                "",
                "[year]年，通过网站发布、新闻发布会、公安新媒体平台共发布政府信息{catalog.publications.total}条。"
                "通过全面深入立体化形式开展政府信息公开工作，使公众充分了解公安工作、理解公安工作，"
                "扩大了公众知情权，增强了公安工作的透明度。",
                about="发布政府信息总数",
            ),
        ),
    ),
    (
        "（二）深化政府信息主动公开",
        (
            Spec(
                "work.catalog",
                "（二）深化政府信息主动公开",
                "一是完善政府信息公开目录。定期更新政府信息公开目录，[year]年在目录中主动公开政府信息"
                "{catalog.records.published.total}条，不断完善办事指南、机构设置、咨询方式等内容，"
                "为群众提供方便、快捷的查询渠道和途径。",
                about="政府信息公开目录",
            ),
            Spec(
                "work.press",
                "",
                "二是加大政策解读回应力度。出台重大工作政策前，通过召开新闻发布会、开展新闻宣传等形式加大政策解读力度。"
                "[year]年[agency]共召开新闻发布会{pressroom.conferences.total}场，"
                "其中以省政府名义召开{pressroom.conferences.host.government}场、"
                "以本机关名义召开{pressroom.conferences.host.agency}场，面向公众主动公开重大工作事项和政策。",
                about="新闻发布会",
            ),
            Spec(
                "work.interpretations",
                "",
                "全年发布政策解读{pressroom.interpretations.total}件，其中文字解读{pressroom.interpretations.form.text}件、"
                "图解{pressroom.interpretations.form.graphic}件、视频解读{pressroom.interpretations.form.video}件、"
                "新闻发布会解读{pressroom.interpretations.form.conference}件。",
                about="政策解读",
            ),
            Spec(
                "work.opinion",
                "",
                "三是健全警务舆情收集研判处置回应机制。统筹协调相关部门、警种以及事涉地公安机关及时发布权威信息、澄清谣言。",
            ),
            Spec("work.new_media", "", _new_media, about="政务微博、微信发布信息"),
            Spec(
                "work.events",
                "",
                "通过举办微访谈、微直播、微发布等线上线下活动{engagement.events.total}场"
                "（微访谈{engagement.events.kind.interview}场、微直播{engagement.events.kind.live}场、"
                "微发布{engagement.events.kind.release}场），解答公众政策咨询，主动倾听网民需求与建议。",
                about="微访谈、微直播、微发布",
            ),
            Spec(
                "work.inquiries",
                "",
                "全年受理网民咨询{engagement.inquiries.received}件，答复{engagement.inquiries.answered}件，"
                "其中按期答复{engagement.inquiries.answered_on_time}件，群众满意率{engagement.inquiries.satisfaction_rate}%。",
                about="网民咨询",
            ),
            Spec(
                "work.proposals",
                "",
                "五是统筹建议提案办理公开。全年办理人大代表建议{engagement.proposals.npc}件、政协委员提案"
                "{engagement.proposals.cppcc}件，已答复{engagement.proposals.replied}件，"
                "公开办理结果{engagement.proposals.disclosed}件。",
                about="建议提案办理",
            ),
            Spec("work.requests", "", _litigation, about="依申请公开"),
        ),
    ),
    (
        "（三）推进重点领域信息公开",
        (
            Spec(
                "work.powers",
                "（三）推进重点领域信息公开",
                "一是推行行政权力运行信息公开。对依法履行的行政职权进行全面清理，共清理行政职权项目"
                "{powers.items.categories:cn}大类{powers.items.total}项，共填写行政职权基本信息表及绘制权力运行流程图共"
                "{powers.forms.power_list+powers.flowcharts.power_list}份。在此基础上建立共包括"
                "{powers.responsibilities.categories}类行政职权对应的责任清单，并在门户网站予以公开。",
                about="权力清单、责任清单",
            ),
            # Both rates count cancelled and delegated items (powers.stats.reduction), so both say
            # 取消下放率, the seed's own word for its 171 → 110; its "取消率" for 35 → 7 would misname it.
            Spec(
                "work.approvals",
                "",
                "二是推进行政审批项目信息公开。[agency]行政审批项目由{powers.approvals.department.before}项精简为"
                "{powers.approvals.department.after}项，取消下放率达{powers.approvals.department.rate}%，"
                "全省公安机关行政审批项目由{powers.approvals.province.before}项精简为"
                "{powers.approvals.province.after}项，取消下放率达{powers.approvals.province.rate}%。",
                about="行政审批项目精简",
            ),
            Spec(
                "work.guides",
                "",
                "编制公安行政审批（办事）项目办理标准，涵盖{powers.guides.branches}个警种"
                "{powers.guides.total}项公安行政审批项目，并在门户网站上向公众公开。",
                about="办事指南",
            ),
            Spec(
                "work.finance",
                "",
                "三是推进财政信息公开。及时公开部门预算、部门决算和“三公”经费等财政信息"
                "{catalog.records.published.category.finance}条，公开政府采购信息"
                "{catalog.records.published.category.procurement}条。",
                about="财政信息",
            ),
        ),
    ),
)

NARRATIVE_PROBLEMS = (
    Spec(
        "problems",
        "",
        "[agency]政府信息公开工作总体上运行良好，但也存在一些不足：一是工作基础不牢，工作方法相对单一；"
        "二是工作能力不强，人员数量与工作需求相比仍显不足；三是工作机制不实，信息报送渠道还需进一步畅通。",
    ),
)

NARRATIVE_PLANS = (
    Spec(
        "plans.1",
        "（一）加大工作力度，拓宽公开渠道，不断扩大信息公开量",
        "进一步加大政务网站建设力度，巩固和优化现有网上服务，继续推出网上便民服务措施。",
    ),
    Spec(
        "plans.2",
        "（二）创新公开新渠道，拓展政府信息公开广度",
        "充分发挥公安新媒体载体公开作用，扩大公共服务信息公开范围。",
    ),
    Spec(
        "plans.3",
        "（三）加强过程性监督，强化考核评估",
        "通过网上监察、专项检查和常规性工作报备等措施，督促、保障相关工作有效落实。",
    ),
    Spec(
        "plans.4",
        "（四）规范工作机制，提高政府信息公开质量",
        "进一步规范文件公开属性审核工作，提高公文类信息主动公开率和公开规范性。",
    ),
)


def _narrative(drafter: Drafter) -> list[Section]:
    work: list[Passage] = []
    for heading, specs in NARRATIVE_WORK:
        passages = drafter.passages(specs)
        # The sub-section's heading stays on its first passage, whichever was left out.
        if passages and heading and passages[0].heading != heading:
            passages[0].heading = heading
        work += passages
    return [
        Section("一", "工作开展情况及成效", passages=work),
        Section("二", "存在问题", passages=drafter.passages(NARRATIVE_PROBLEMS)),
        Section("三", "工作设想", passages=drafter.passages(NARRATIVE_PLANS)),
    ]


# -- the national format (国办公开办函〔2021〕30号) ----------------------------------------------------

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other")
TABLE_3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
TABLE_3_GROUPS = ("申请人情况", *("申请人情况/法人或其他组织",) * 5, "申请人情况")
TABLE_3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE_3_RESULTS = "三、本年度办理结果"
# (row key, label, parent heading under 三、本年度办理结果): the format file's rows, in order.
TABLE_3_ROWS: tuple[tuple[str, str, str | None], ...] = (
    ("new_received", "一、本年新收政府信息公开申请数量", None),
    ("carried_over", "二、上年结转政府信息公开申请数量", None),
    ("granted", "（一）予以公开", ""),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("denied.state_secret", "1.属于国家秘密", "（三）不予公开"),
    ("denied.law_forbid", "2.其他法律行政法规禁止公开", "（三）不予公开"),
    ("denied.three_security_one_stability", "3.危及“三安全一稳定”", "（三）不予公开"),
    ("denied.third_party", "4.保护第三方合法权益", "（三）不予公开"),
    ("denied.internal_affairs", "5.属于三类内部事务信息", "（三）不予公开"),
    ("denied.process_info", "6.属于四类过程性信息", "（三）不予公开"),
    ("denied.enforcement_case_file", "7.属于行政执法案卷", "（三）不予公开"),
    ("denied.admin_query", "8.属于行政查询事项", "（三）不予公开"),
    ("unable.not_held", "1.本机关不掌握相关政府信息", "（四）无法提供"),
    ("unable.needs_creation", "2.没有现成信息需要另行制作", "（四）无法提供"),
    ("unable.unclear_after_correction", "3.补正后申请内容仍不明确", "（四）无法提供"),
    ("not_processed.petition_complaint", "1.信访举报投诉类申请", "（五）不予处理"),
    ("not_processed.repeat", "2.重复申请", "（五）不予处理"),
    ("not_processed.publication", "3.要求提供公开出版物", "（五）不予处理"),
    ("not_processed.massive_repeated", "4.无正当理由大量反复申请", "（五）不予处理"),
    ("not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", "（五）不予处理"),
    (
        "other.overdue_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    (
        "other.overdue_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "（六）其他处理",
    ),
    ("other.other", "3.其他", "（六）其他处理"),
    ("total_processed", "（七）总计", ""),
    ("carried_forward", "四、结转下年度继续办理", None),
)
REVIEW_KINDS = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼/未经复议直接起诉"),
    ("litigation_after", "行政诉讼/复议后起诉"),
)
REVIEW_RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
# Table 二 (Art. 20 items (一), (五), (六), (八)): the catalog counts the rules and normative
# documents it holds (`catalog.table2.<row>.<column>`, row 二.1); no app counts licensing, penalty
# and coercion decisions or fees: the office enters them, under the codes
# `annualreport.table2.<row>.<column>`, unless a provider registers a figure of that code.
TABLE_2_BLOCKS: tuple[tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (
        "二.1",
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        (("rules", "规章"), ("normative", "行政规范性文件")),
    ),
    ("二.2", "第二十条第（五）项", ("本年处理决定数量",), (("licensing", "行政许可"),)),
    (
        "二.3",
        "第二十条第（六）项",
        ("本年处理决定数量",),
        (("penalty", "行政处罚"), ("coercion", "行政强制")),
    ),
    ("二.4", "第二十条第（八）项", ("本年收费金额（单位：万元）",), (("fees", "行政事业性收费"),)),
)


def _cell(figures: Figures, code: str) -> Cell:
    if code in figures.by_code:
        return Cell(figures.value(code), code)
    return Cell(None, code)


def _table_2_code(figures: Figures, row_key: str, column: str) -> str:
    provided = f"catalog.table2.{row_key}.{column}"
    return provided if figures.has(provided) else f"annualreport.table2.{row_key}.{column}"


def table_2(figures: Figures, notes: list[str]) -> list[Table]:
    tables = []
    entered: list[str] = []
    for key, caption, columns, rows in TABLE_2_BLOCKS:
        column_keys = [f"c{i}" for i in range(1, len(columns) + 1)]
        table_rows = []
        for row_key, label in rows:
            cells = [_cell(figures, _table_2_code(figures, row_key, c)) for c in column_keys]
            if any(cell.value is None for cell in cells):
                entered.append(label)
            table_rows.append(Row(row_key, label, cells))
        tables.append(
            Table(
                key=key,
                title="主动公开政府信息情况",
                caption=caption,
                columns=list(columns),
                column_keys=column_keys,
                rows=table_rows,
                corner="信息内容",
                unit="万元" if key == "二.4" else "",
            )
        )
    if entered:
        notes.append(_("表二中%(rows)s的数字没有业务系统提供，请办公室填写。") % {"rows": "、".join(entered)})
    return tables


def table_3(figures: Figures) -> Table:
    rows = []
    for key, label, parent in TABLE_3_ROWS:
        parents = [] if parent is None else ([TABLE_3_RESULTS, parent] if parent else [TABLE_3_RESULTS])
        cells = [_cell(figures, f"inforequests.table3.{key}.{c}") for c in (*APPLICANTS, "total")]
        rows.append(Row(key, label, cells, parents))
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


def table_4(figures: Figures) -> Table:
    columns, keys, groups, cells = [], [], [], []
    for kind, group in REVIEW_KINDS:
        for result, label in (*REVIEW_RESULTS, ("total", "总计")):
            columns.append(label)
            keys.append(f"{kind}.{result}")
            groups.append(group)
            cells.append(_cell(figures, f"inforequests.table4.{kind}.{result}"))
    return Table(
        key="四",
        title="政府信息公开行政复议、行政诉讼情况",
        columns=columns,
        column_keys=keys,
        column_groups=groups,
        rows=[Row("cases", "", cells)],
        unit="件",
    )


def _proactive(figures: Figures) -> str:
    media = (
        figures.first("newmedia.posts.delivered") or "catalog.publications.weibo+catalog.publications.wechat"
    )
    return (
        "[year]年，本机关主动公开政府信息{catalog.records.published.total}条，通过门户网站发布"
        "{catalog.publications.portal}条、新闻发布会发布{catalog.publications.press_conference}条、"
        "政务新媒体发布{" + media + "}条。"
    )


def _outcome_groups() -> tuple[tuple[str, str], ...]:
    """Table 三's results as the overview names them (予以公开, 部分公开, 不予公开, 无法提供, 不予处理,
    其他处理), each with the "+"-joined codes of its rows' totals."""
    groups: dict[str, list[str]] = {}
    for key, label, parent in TABLE_3_ROWS:
        if parent is None or key == "total_processed":
            continue
        name = re.sub(r"^（[一二三四五六七八九十]+）|（[^）]*）$", "", parent or label)
        groups.setdefault(name, []).append(f"inforequests.table3.{key}.total")
    return tuple((name, "+".join(codes)) for name, codes in groups.items())


OUTCOME_GROUPS = _outcome_groups()


def _requests(figures: Figures) -> str:
    """The applications received and processed, with every outcome that is not zero, so the parts
    stated after 其中 add up to 办结 (a missing or undefined outcome leaves the passage out)."""
    outcomes = [
        f"{name}{{{code}}}件"
        for name, code in OUTCOME_GROUPS
        if not figures.has(code) or figures.value(code) != 0
    ]
    processed = "办结{inforequests.table3.total_processed.total}件"
    if outcomes:
        processed += "，其中" + "、".join(outcomes)
    return (
        "[year]年共收到政府信息公开申请{inforequests.table3.new_received.total}件，"
        "上年结转{inforequests.table3.carried_over.total}件，"
        + processed
        + "；结转下年度继续办理{inforequests.table3.carried_forward.total}件。"
    )


NATIONAL_OVERVIEW = (
    Spec("overview.proactive", "（一）主动公开", _proactive, about="主动公开"),
    Spec(
        "overview.press",
        "",
        "全年召开新闻发布会{pressroom.conferences.total}场，其中以省政府名义召开"
        "{pressroom.conferences.host.government}场、以本机关名义召开{pressroom.conferences.host.agency}场；"
        "发布政策解读{pressroom.interpretations.total}件。",
        about="新闻发布会、政策解读",
    ),
    Spec(
        "overview.requests",
        "（二）依申请公开",
        _requests,
        about="依申请公开",
    ),
    Spec(
        "overview.management",
        "（三）政府信息管理",
        "[year]年形成政府信息{catalog.records.formed.total}条，其中主动公开{catalog.records.formed.proactive}条、"
        "依申请公开{catalog.records.formed.on_request}条、不予公开{catalog.records.formed.withheld}条。"
        "严格执行公文公开属性源头认定制度，拟制公文时同步确定公开属性。",
        about="政府信息管理",
    ),
    Spec(
        "overview.platform",
        "（四）政府信息公开平台建设",
        "门户网站“政府信息公开”专栏设置公开指南、公开目录、年度报告等栏目，及时更新维护，"
        "方便公众查询、浏览和下载政府信息。",
    ),
    Spec(
        "overview.oversight",
        "（五）监督保障",
        "将政府信息公开工作纳入年度考核，因政府信息公开被申请行政复议{inforequests.table4.reconsideration.total}件、"
        "提起行政诉讼{inforequests.table4.litigation_direct.total+inforequests.table4.litigation_after.total}件。",
        about="监督保障",
    ),
)


def _national(drafter: Drafter) -> list[Section]:
    return [
        Section("一", "总体情况", passages=drafter.passages(NATIONAL_OVERVIEW)),
        Section("二", "主动公开政府信息情况", tables=table_2(drafter.figures, drafter.notes)),
        Section("三", "收到和处理政府信息公开申请情况", tables=[table_3(drafter.figures)]),
        Section("四", "政府信息公开行政复议、行政诉讼情况", tables=[table_4(drafter.figures)]),
        Section(
            "五",
            "存在的主要问题及改进情况",
            passages=drafter.passages(
                (
                    Spec(
                        "problems",
                        "",
                        "一是部分警种主动公开信息更新不够及时；二是依申请公开答复的规范化水平仍需提高。"
                        "下一步，将完善信息发布审核机制，加强答复文书审核，组织业务培训。",
                    ),
                )
            ),
        ),
        Section(
            "六",
            "其他需要报告的事项",
            passages=drafter.passages((Spec("other", "", "本机关无其他需要报告的事项。"),)),
        ),
    ]


# -- the report ---------------------------------------------------------------------------------


def title_of(year: int, form: Form, agency: str) -> str:
    if form == "narrative":
        return f"{agency}{year}年度政府信息公开工作报告"
    return f"{agency}{year}年政府信息公开工作年度报告"


def preface_of(year: int, form: Form, agency: str, title: str) -> str:
    if form == "narrative":
        return (
            f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定，现将《{title}》予以公布。"
            f"本年度报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
            f"如对本年度报告有任何疑问，请与{agency}政府信息公开工作领导小组办公室联系。"
        )
    return (
        "本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发"
        "〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）编制。"
        f"报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )


def collect(year: int, registry: Registry | None = None) -> list[Figure]:
    """The year's figures from every registered provider (the one source of the report)."""
    period = Period.year(year)
    if registry is None:
        return core_figures.collect(period)
    return registry.collect(period)


def assemble(
    year: int,
    *,
    form: Form | None = None,
    registry: Registry | None = None,
    agency: str | None = None,
    figures: Iterable[Figure] | None = None,
) -> ReportDocument:
    """The report of `year` in `form` (default: narrative before 2019, else national), drafted
    from the figures of the calendar year (`figures` when the caller has collected them)."""
    if not 2000 <= year <= 2100:
        raise AssemblyError(_("年度应在2000年至2100年之间：%(year)s") % {"year": year})
    form = form or default_form(year)
    if form not in FORMS:
        raise AssemblyError(_("未知的报告形式：%(form)s") % {"form": form})
    agency = agency or settings.AGENCY_NAME
    read = Figures({f.code: f for f in (collect(year, registry) if figures is None else figures)})
    drafter = Drafter(read, {"year": year, "agency": agency})
    sections = _narrative(drafter) if form == "narrative" else _national(drafter)
    title = title_of(year, form, agency)
    period = Period.year(year)
    doc = ReportDocument(
        year=year,
        form=form,
        agency=agency,
        title=title,
        period_start=period.start,
        period_end=period.end,
        sections=sections,
        preface=preface_of(year, form, agency, title),
        figures=dict(read.read),
        notes=drafter.notes,
    )
    return doc


def figure_codes(doc: ReportDocument) -> set[str]:
    """Every figure code the report states (table cells and mentions; sums split into parts)."""
    codes = {cell.code for table in doc.tables() for row in table.rows for cell in row.cells if cell.code}
    codes |= {mention.code for passage in doc.passages() for mention in passage.mentions}
    return {part for code in codes for part in code.split("+")}


def publication_limit(year: int, rule_set: str) -> dt.date:
    """The day a year's report must be published by: 31 January of the next year under the 2019
    Regulations (Art. 49, departments), 31 March under the 2007 ones (Art. 31)."""
    return dt.date(year + 1, 1, 31) if rule_set == "2019" else dt.date(year + 1, 3, 31)
