"""A national-format report (2022, a city public security bureau) as offices publish it, correct or
with planted errors, rendered as text, HTML (the official merged header and label cells of table 三),
DOCX (python-docx, merged cells) and PDF (reportlab, ruled tables, CJK font, page numbers)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent / "files"

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
# Table 三 of the correct report: row label → the six applicant columns (总计 is added).
TABLE3 = {
    "new_received": [80, 4, 0, 0, 2, 0],
    "carried_over": [4, 0, 0, 0, 0, 0],
    "granted": [33, 3, 0, 0, 1, 0],
    "partial": [11, 1, 0, 0, 0, 0],
    "denied.state_secret": [1, 0, 0, 0, 0, 0],
    "denied.law_forbid": [0, 0, 0, 0, 0, 0],
    "denied.three_security_one_stability": [2, 0, 0, 0, 0, 0],
    "denied.third_party": [2, 0, 0, 0, 1, 0],
    "denied.internal_affairs": [1, 0, 0, 0, 0, 0],
    "denied.process_info": [2, 0, 0, 0, 0, 0],
    "denied.enforcement_case_file": [4, 0, 0, 0, 0, 0],
    "denied.admin_query": [6, 0, 0, 0, 0, 0],
    "unable.not_held": [8, 0, 0, 0, 0, 0],
    "unable.needs_creation": [2, 0, 0, 0, 0, 0],
    "unable.unclear_after_correction": [1, 0, 0, 0, 0, 0],
    "not_processed.petition_complaint": [2, 0, 0, 0, 0, 0],
    "not_processed.repeat": [1, 0, 0, 0, 0, 0],
    "not_processed.publication": [0, 0, 0, 0, 0, 0],
    "not_processed.massive_repeated": [0, 0, 0, 0, 0, 0],
    "not_processed.confirm_or_reissue": [0, 0, 0, 0, 0, 0],
    "other.overdue_no_correction": [1, 0, 0, 0, 0, 0],
    "other.overdue_no_fee": [0, 0, 0, 0, 0, 0],
    "other.other": [0, 0, 0, 0, 0, 0],
}
GROUPS = {
    "denied": ("（三）不予公开", 8),
    "unable": ("（四）无法提供", 3),
    "not_processed": ("（五）不予处理", 5),
    "other": ("（六）其他处理", 3),
}
LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied.state_secret": "1.属于国家秘密",
    "denied.law_forbid": "2.其他法律行政法规禁止公开",
    "denied.three_security_one_stability": "3.危及“三安全一稳定”",
    "denied.third_party": "4.保护第三方合法权益",
    "denied.internal_affairs": "5.属于三类内部事务信息",
    "denied.process_info": "6.属于四类过程性信息",
    "denied.enforcement_case_file": "7.属于行政执法案卷",
    "denied.admin_query": "8.属于行政查询事项",
    "unable.not_held": "1.本机关不掌握相关政府信息",
    "unable.needs_creation": "2.没有现成信息需要另行制作",
    "unable.unclear_after_correction": "3.补正后申请内容仍不明确",
    "not_processed.petition_complaint": "1.信访举报投诉类申请",
    "not_processed.repeat": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.massive_repeated": "4.无正当理由大量反复申请",
    "not_processed.confirm_or_reissue": "5.要求行政机关确认或重新出具已获取信息",
    "other.overdue_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.overdue_no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "3.其他",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
# Column widths (mm) of the PDF tables by their number of columns: table 三 (10), 四 (15), 二 (4, 2).
COLUMN_WIDTHS: dict[int, list[float]] = {
    10: [14.0, 16.0, 44.0] + [12.0] * 7,
    15: [10.6] * 15,
    4: [40, 40, 40, 40],
    2: [80, 80],
}
TABLE4 = [2, 0, 0, 1, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1]


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    caption: str
    rows: list[list[Cell]]


@dataclass
class Report:
    title: str
    blocks: list[tuple[str, str] | Table] = field(default_factory=list)


def _c(text: object, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(str(text), rowspan, colspan)


def table3_rows(values: dict[str, list[int]]) -> list[list[Cell]]:
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    header = [
        [_c(note, 3, 3), _c("申请人情况", 1, 7)],
        [_c("自然人", 2), _c("法人或其他组织", 1, 5), _c("总计", 2)],
        [_c(label) for label in APPLICANTS[1:6]],
    ]

    def numbers(key: str) -> list[Cell]:
        row = values[key]
        return [_c(v) for v in row]

    body = [
        [_c(LABELS["new_received"], 1, 3), *numbers("new_received")],
        [_c(LABELS["carried_over"], 1, 3), *numbers("carried_over")],
        [_c("三、本年度办理结果", 22), _c(LABELS["granted"], 1, 2), *numbers("granted")],
        [_c(LABELS["partial"], 1, 2), *numbers("partial")],
    ]
    for prefix, (group, size) in GROUPS.items():
        keys = [key for key in LABELS if key.startswith(prefix + ".")]
        for index, key in enumerate(keys):
            lead = [_c(group, size)] if index == 0 else []
            body.append([*lead, _c(LABELS[key]), *numbers(key)])
    body.append([_c(LABELS["total_processed"], 1, 2), *numbers("total_processed")])
    body.append([_c(LABELS["carried_forward"], 1, 3), *numbers("carried_forward")])
    return header + body


def table3_values(**changes: list[int]) -> dict[str, list[int]]:
    """Table 三 with 总计 added, the totals computed, then `changes` (whole rows) applied."""
    values = {key: [*row, sum(row)] for key, row in TABLE3.items()}
    results = [row for key, row in values.items() if key not in ("new_received", "carried_over")]
    values["total_processed"] = [sum(column) for column in zip(*results, strict=True)]
    values["carried_forward"] = [
        values["new_received"][c] + values["carried_over"][c] - values["total_processed"][c] for c in range(7)
    ]
    values.update(changes)
    return values


def table4_rows(values: list[int]) -> list[list[Cell]]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [_c("行政复议", 1, 5), _c("行政诉讼", 1, 10)],
        [*(_c(r, 2) for r in results), _c("未经复议直接起诉", 1, 5), _c("复议后起诉", 1, 5)],
        [*(_c(r) for r in results), *(_c(r) for r in results)],
        [_c(v) for v in values],
    ]


def table2_tables() -> list[Table]:
    return [
        Table(
            "第二十条第（一）项",
            [
                [_c("信息内容"), _c("本年制发件数"), _c("本年废止件数"), _c("现行有效件数")],
                [_c("规章"), _c(0), _c(0), _c(0)],
                [_c("行政规范性文件"), _c(3), _c(2), _c(20)],
            ],
        ),
        Table("第二十条第（五）项", [[_c("信息内容"), _c("本年处理决定数量")], [_c("行政许可"), _c(15620)]]),
        Table(
            "第二十条第（六）项",
            [[_c("信息内容"), _c("本年处理决定数量")], [_c("行政处罚"), _c(8452)], [_c("行政强制"), _c(326)]],
        ),
        Table(
            "第二十条第（八）项",
            [[_c("信息内容"), _c("本年收费金额（单位：万元）")], [_c("行政事业性收费"), _c("1256.38")]],
        ),
    ]


def national_report(*, errors: bool = False, filler: int = 0) -> Report:
    """The correct report, or one with planted errors: the period of two years, the 2019 trial
    format's notice, a press-conference part too many, a share and a growth rate wrong, table 三's
    natural-person column unbalanced (carried forward 8, the text still says 7), table 四's
    reconsideration total wrong, section 六 missing. `filler` adds that many paragraphs of narrative
    (for the 50-page benchmark)."""
    year = 2022
    start = "2021年1月1日" if errors else "2022年1月1日"
    notice = "国办公开办函〔2019〕60号" if errors else "国办公开办函〔2021〕30号"
    t3 = table3_values()
    t4 = list(TABLE4)
    if errors:
        t3 = table3_values(carried_forward=[8, 0, 0, 0, 0, 0, 8])
        t4[4] = 4
    blocks: list[tuple[str, str] | Table] = [
        (
            "p",
            f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
            f"（{notice}）要求编制。本报告中所列数据的统计期限自{start}起至{year}年12月31日止。"
            "本报告电子版可在某市公安局门户网站“政府信息公开”专栏查阅或下载。",
        ),
        ("h", "一、总体情况"),
        (
            "p",
            "（一）主动公开。2022年，我局通过门户网站、政务微博、政务微信等渠道主动公开政府信息3256条，"
            "其中门户网站发布1208条、政务微博发布1124条、政务微信发布924条。全年召开新闻发布会12场，其中以市政府名义召开4场、"
            f"以本局名义召开{9 if errors else 8}场。",
        ),
        (
            "p",
            "（二）依申请公开。2022年共收到政府信息公开申请86件，其中自然人申请80件，"
            f"占{95 if errors else 93}%，法人或其他组织申请6件；上年结转4件；办结83件，其中予以公开37件、部分公开12件、"
            "不予公开19件、无法提供11件、不予处理3件、其他处理1件；结转下年度继续办理7件。",
        ),
        (
            "p",
            "（三）政府信息管理。全年清理规范性文件25件，其中继续有效20件、宣布失效3件、废止2件，清理结果已向社会公布。",
        ),
        (
            "p",
            "（四）政府信息公开平台建设。政务新媒体关注人数由2021年的35.2万人增至41.6万人，"
            f"增长{21.3 if errors else 18.2}%。",
        ),
        (
            "p",
            "（五）监督保障。全年组织政府信息公开业务培训6期，培训240人次。因政府信息公开被申请行政复议3件、提起行政诉讼2件。",
        ),
    ]
    for index in range(filler):
        blocks.append(
            (
                "p",
                f"{index + 1}.结合公安工作实际，我局持续推进政务公开标准化规范化建设，围绕治安管理、出入境管理、交通管理、"
                "户政管理等重点领域，梳理公开事项，细化公开标准，明确公开主体、公开时限和公开方式，做到应公开尽公开。"
                "各警种按照“谁制作、谁公开，谁保存、谁公开”的原则，落实公开属性源头认定，及时发布办事指南、政策解读和警情通报，"
                "主动回应社会关切，切实保障人民群众的知情权、参与权、表达权和监督权。"
                f"本阶段共发布警情通报{10 + index % 7}期，其中交通警情{4 + index % 3}期、治安警情{6 + index % 7 - index % 3}期。",
            )
        )
    blocks.append(("h", "二、主动公开政府信息情况"))
    blocks.extend(table2_tables())
    blocks.append(("h", "三、收到和处理政府信息公开申请情况"))
    blocks.append(Table("", table3_rows(t3)))
    blocks.append(("h", "四、政府信息公开行政复议、行政诉讼情况"))
    blocks.append(Table("", table4_rows(t4)))
    blocks.append(("h", "五、存在的主要问题及改进情况"))
    blocks.append(
        (
            "p",
            "一是部分警种主动公开信息更新不够及时；二是政策解读形式较为单一。下一步，我局将健全信息发布审核机制，"
            "丰富图解、视频等解读形式，加强业务培训。",
        )
    )
    if not errors:
        blocks.append(("h", "六、其他需要报告的事项"))
        blocks.append(("p", "本年度未收取信息处理费。本机关无其他需要报告的事项。"))
    return Report(f"某市公安局{year}年政府信息公开工作年度报告", blocks)


# --- renderers ---------------------------------------------------------------------------------


def layout(rows: list[list[Cell]]) -> tuple[list[tuple[int, int, Cell]], int]:
    """Each cell at its grid position (HTML's rowspan/colspan rules) and the number of columns."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
            width = max(width, c)
    return placed, width


def to_text(report: Report) -> str:
    lines = [report.title, ""]
    for block in report.blocks:
        if isinstance(block, Table):
            if block.caption:
                lines.append(block.caption)
            for row in block.rows:
                lines.append("\t".join(cell.text for cell in row))
            lines.append("")
        else:
            lines.append(block[1])
    return "\n".join(lines) + "\n"


def to_html(report: Report) -> str:
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>{escape(report.title)}</title><style>td{{border:1px solid #000}}</style></head><body>",
        "<div class='nav'><a href='/'>首页</a> &gt; <a href='/xxgk/'>政府信息公开</a></div>",
        f"<h1>{escape(report.title)}</h1><div class='content'>",
    ]
    for block in report.blocks:
        if isinstance(block, Table):
            if block.caption:
                parts.append(f"<p style='text-align:center'>{escape(block.caption)}</p>")
            parts.append("<table border='1' cellspacing='0'><tbody>")
            for row in block.rows:
                cells = "".join(
                    f"<td{f' rowspan={c.rowspan}' if c.rowspan > 1 else ''}"
                    f"{f' colspan={c.colspan}' if c.colspan > 1 else ''}><p>{escape(c.text)}</p></td>"
                    for c in row
                )
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</tbody></table>")
        elif block[0] == "h":
            parts.append(f"<p><strong>{escape(block[1])}</strong></p>")
        else:
            parts.append(f"<p>&emsp;&emsp;{escape(block[1])}</p>")
    parts.append("</div><script>var x = '一、总体情况 99 99';</script></body></html>")
    return "\n".join(parts)


def to_docx(report: Report) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(report.title, level=1)
    for block in report.blocks:
        if isinstance(block, Table):
            if block.caption:
                document.add_paragraph(block.caption)
            placed, width = layout(block.rows)
            height = len(block.rows)
            table = document.add_table(rows=height, cols=width)
            table.style = "Table Grid"
            for r, c, cell in placed:
                target = table.cell(r, c)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                target.text = cell.text
        else:
            document.add_paragraph(block[1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(report: Report, *, header: str = "") -> bytes:
    """The report on A4 with its page number at the foot of each page and, if given, a running
    header at the top."""
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
    from reportlab.lib.units import mm  # type: ignore[import-untyped]
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer  # type: ignore[import-untyped]
    from reportlab.platypus import Table as PdfTable

    from gongkai.inforequests.letters.pdf import fonts

    font = fonts()[0].name
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK")
    head = ParagraphStyle("head", fontName=font, fontSize=14, leading=24, wordWrap="CJK")
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=30, alignment=1, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9, wordWrap="CJK")
    story = [Paragraph(escape(report.title), title), Spacer(1, 6 * mm)]
    for block in report.blocks:
        if isinstance(block, Table):
            if block.caption:
                story.append(Paragraph(escape(block.caption), head))
            placed, width = layout(block.rows)
            grid: list[list[object]] = [["" for _ in range(width)] for _ in block.rows]
            widths = COLUMN_WIDTHS.get(width, [160 / width] * width)
            commands: list[tuple[object, ...]] = [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
            ]
            for r, c, cell in placed:
                numeric = cell.text.replace(".", "").isdigit()
                grid[r][c] = cell.text if numeric else Paragraph(escape(cell.text), cell_style)
                if cell.rowspan > 1 or cell.colspan > 1:
                    commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            story.append(PdfTable(grid, colWidths=[w * mm for w in widths], style=commands, repeatRows=0))
            story.append(Spacer(1, 4 * mm))
        elif block[0] == "h":
            story.append(Paragraph(escape(block[1]), head))
        else:
            story.append(Paragraph(escape(block[1]), body))

    def footer(canvas: object, doc: object) -> None:
        canvas.setFont(font, 10)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {doc.page} -")  # type: ignore[attr-defined]
        if header:
            canvas.drawRightString(A4[0] - 25 * mm, A4[1] - 15 * mm, header)  # type: ignore[attr-defined]

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, title=report.title).build(
        story, onFirstPage=footer, onLaterPages=footer
    )
    return out.getvalue()
