"""Charts of the report's year against the years before, for its key figures (applications received
and answered, results, items published, press conferences, reviews): server-side SVG from the
shared `gongkai.core.charts.bar_chart` (pygal, CJK font family, values printed on the bars, no
script), each with its data table.

The years before come in as `history` (year → code → value, what earlier reports stated); the year
itself is read from the document's figures. A series summing several codes (不予公开 = every
`denied.*` row) sums those present. The PDF draws the same charts with reportlab graphics
(`chartimage.chart_drawing`); the DOCX embeds PNGs of those drawings (`chartimage.chart_pngs`: no
SVG-to-PNG renderer is installed, PDFium rasterises them) over their data tables; the XLSX has
native Excel bar charts fed from cells of their data (`xlsx.py`, sheet 图表).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from gongkai.annualreport.document import Number, ReportDocument
from gongkai.core import charts

from .layout import format_number

FONT_FAMILY: Final = (
    '"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif'
)
COLOURS: Final = ("#1f5fa8", "#d9822b", "#3a8f4b", "#a8322d", "#6b4fa0")
HISTORY_YEARS: Final = 5  # the year and up to four before


@dataclass(frozen=True)
class SeriesSpec:
    label: str
    codes: tuple[str, ...]  # summed; a code ending in ".*" stands for every code under it


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    unit: str
    series: tuple[SeriesSpec, ...]


TOTAL = ".total"
KEY_FIGURES: Final[tuple[ChartSpec, ...]] = (
    ChartSpec(
        "applications",
        "政府信息公开申请",
        "件",
        (
            SeriesSpec("本年新收", ("inforequests.table3.new_received.total",)),
            SeriesSpec("本年办结", ("inforequests.table3.total_processed.total",)),
        ),
    ),
    ChartSpec(
        "results",
        "申请办理结果",
        "件",
        (
            SeriesSpec("予以公开", ("inforequests.table3.granted.total",)),
            SeriesSpec("部分公开", ("inforequests.table3.partial.total",)),
            SeriesSpec("不予公开", ("inforequests.table3.denied.*",)),
            SeriesSpec("无法提供", ("inforequests.table3.unable.*",)),
            SeriesSpec(
                "不予处理及其他", ("inforequests.table3.not_processed.*", "inforequests.table3.other.*")
            ),
        ),
    ),
    ChartSpec(
        "published",
        "主动公开政府信息",
        "条",
        (SeriesSpec("主动公开", ("catalog.records.published.total",)),),
    ),
    ChartSpec(
        "conferences",
        "新闻发布会",
        "场",
        (
            SeriesSpec("合计", ("pressroom.conferences.total",)),
            SeriesSpec("以政府名义", ("pressroom.conferences.host.government",)),
            SeriesSpec("以本机关名义", ("pressroom.conferences.host.agency",)),
        ),
    ),
    ChartSpec(
        "reviews",
        "行政复议、行政诉讼",
        "件",
        (
            SeriesSpec("行政复议", ("inforequests.table4.reconsideration.total",)),
            SeriesSpec(
                "行政诉讼",
                ("inforequests.table4.litigation_direct.total", "inforequests.table4.litigation_after.total"),
            ),
        ),
    ),
)


@dataclass
class Series:
    label: str
    values: list[Number | None]  # one per year of the chart, None where that year did not state it


@dataclass
class Chart:
    key: str
    title: str
    unit: str
    years: list[int]
    series: list[Series]
    svg: str = field(default="", repr=False)

    @property
    def caption(self) -> str:
        return f"{self.title}（单位：{self.unit}）"

    @property
    def svg_inline(self) -> str:
        """The SVG without its XML declaration, to sit inside an HTML page, and without its
        <title> elements (pygal's tooltips): the picture is hidden from screen readers, which read
        the data table below it, and an HTML page has one title."""
        text = self.svg
        if text.startswith("<?xml"):
            text = text[text.index("?>") + 2 :].lstrip()
        return _SVG_TITLE_RE.sub("", text)

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        """The data table: per year, the value of each series as printed ("—" where none)."""
        return [
            (year, [format_number(s.values[i]) if s.values[i] is not None else "—" for s in self.series])
            for i, year in enumerate(self.years)
        ]


def _value(figures: dict[str, Number | None], codes: Iterable[str]) -> Number | None:
    total: Number | None = None
    for code in codes:
        if code.endswith(".*"):
            prefix = code[:-1]
            # Only a row's total column, so a row is not counted once per applicant column.
            parts = [
                v for k, v in figures.items() if k.startswith(prefix) and k.endswith(TOTAL) and v is not None
            ]
            if not parts:
                continue
            found: Number | None = sum(parts, start=0)
        else:
            found = figures.get(code)
        if found is not None:
            total = found if total is None else total + found
    return total


_SVG_TITLE_RE = re.compile(r"<title>.*?</title>", re.S)


def _svg(chart: Chart) -> str:
    labels = [str(year) for year in chart.years]
    return str(charts.bar_chart(chart.caption, labels, {s.label: s.values for s in chart.series}))


def year_charts(
    doc: ReportDocument, history: dict[int, dict[str, Number]], specs: Iterable[ChartSpec] = KEY_FIGURES
) -> list[Chart]:
    """One chart per key figure the report's year states, over that year and up to four before."""
    years = [*sorted(y for y in history if y < doc.year)[-(HISTORY_YEARS - 1) :], doc.year]
    by_year: dict[int, dict[str, Number | None]] = {y: dict(history.get(y, {})) for y in years}
    by_year[doc.year] = _current(doc)
    charts = []
    for spec in specs:
        series = [Series(s.label, [_value(by_year[y], s.codes) for y in years]) for s in spec.series]
        if all(s.values[-1] is None for s in series):
            continue  # the report does not state this figure: no chart of it
        chart = Chart(spec.key, spec.title, spec.unit, years, series)
        chart.svg = _svg(chart)
        charts.append(chart)
    return charts


def figures_of(doc: ReportDocument) -> dict[str, Number | None]:
    """Every figure a report states (its table cells, the figures of its text, its own figures), by
    code: what a chart of a later year reads of this one."""
    return _current(doc)


def _current(doc: ReportDocument) -> dict[str, Number | None]:
    figures: dict[str, Number | None] = {}
    for table in doc.tables():
        for row in table.rows:
            for cell in row.cells:
                if cell.code:
                    figures[cell.code] = cell.value
    for passage in doc.passages():
        for mention in passage.mentions:
            figures.setdefault(mention.code, mention.value)
    figures.update(doc.figures)
    return figures
