"""The charts drawn with reportlab graphics, one drawing for every format that embeds a picture: the
PDF places the `Drawing` itself (vector, its text in the letters' embedded Song face), the DOCX a
PNG of the same drawing.

The PNG comes from reportlab's renderPM when a backend for it is installed (rlPyCairo); without one
(the usual case here) the drawings are written as the pages of a PDF with renderPDF and each page is
rasterised by PDFium (pypdfium2), which draws the embedded CJK face, so Chinese labels render
wherever the PDF's do.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import pypdfium2  # type: ignore[import-untyped]
from reportlab.graphics import renderPDF, renderPM  # type: ignore[import-untyped]
from reportlab.graphics.charts.barcharts import VerticalBarChart  # type: ignore[import-untyped]
from reportlab.graphics.charts.legends import Legend  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing, String  # type: ignore[import-untyped]
from reportlab.graphics.utils import RenderPMError  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from gongkai.inforequests.letters.pdf import fonts

from .charts import COLOURS
from .layout import format_number

if TYPE_CHECKING:
    from .charts import Chart

MM: Final = 72 / 25.4
HEIGHT: Final = 190.0  # points
PNG_DPI: Final = 200
# PDFium may not be called from two threads at once, not even on different documents.
PDFIUM_LOCK: Final = threading.Lock()


def chart_drawing(chart: Chart, width: float) -> Drawing:
    """The chart as bars per year and series, the values printed over the bars (a year that did not
    state a figure has no bar and no value), the unit top left and the series' legend underneath."""
    face = fonts()[0].name
    height = HEIGHT
    drawing = Drawing(width, height)
    # The renderer starts every drawing in Helvetica (a font reference not embedded) unless told.
    drawing.initialFontName = face
    bars = VerticalBarChart()
    bars.x, bars.y = 48, 42
    bars.width, bars.height = width - 64, height - 70
    bars.data = [[float(v) if v is not None else None for v in s.values] for s in chart.series]
    bars.categoryAxis.categoryNames = [str(y) for y in chart.years]
    bars.categoryAxis.labels.fontName = face
    bars.categoryAxis.labels.fontSize = 9
    bars.valueAxis.labels.fontName = face
    bars.valueAxis.labels.fontSize = 8
    bars.valueAxis.valueMin = 0
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#cccccc")
    bars.valueAxis.gridStrokeDashArray = (2, 2)
    bars.barLabelFormat = _bar_label
    bars.barLabels.fontName = face
    bars.barLabels.fontSize = 7
    bars.barLabels.nudge = 6
    bars.groupSpacing = 10
    for i in range(len(chart.series)):
        bars.bars[i].fillColor = colors.HexColor(COLOURS[i % len(COLOURS)])
        bars.bars[i].strokeColor = None
    drawing.add(bars)
    drawing.add(String(4, height - 12, f"单位：{chart.unit}", fontName=face, fontSize=8))
    legend = Legend()
    legend.fontName = face
    legend.fontSize = 9
    legend.x, legend.y = 48, 14
    legend.alignment = "right"
    legend.columnMaximum = 1
    # Entries across, each as wide as its name (five long names fit in the DOCX's narrower width).
    legend.variColumn = True
    legend.dxTextSpace = 5
    legend.autoXPadding = 16
    legend.dx = legend.dy = 8
    legend.colorNamePairs = [
        (colors.HexColor(COLOURS[i % len(COLOURS)]), s.label) for i, s in enumerate(chart.series)
    ]
    drawing.add(legend)
    return drawing


def _bar_label(value: float | None) -> str:
    if value is None:
        return ""
    return format_number(Decimal(str(value)).normalize() if value != int(value) else int(value))


def _span(chart: Chart) -> str:
    first, last = chart.years[0], chart.years[-1]
    return f"{first}—{last}年" if first != last else f"{first}年"


def chart_title(chart: Chart) -> str:
    """The title over the drawing: "新闻发布会（2017—2021年）"."""
    return f"{chart.title}（{_span(chart)}）"


def description(chart: Chart) -> str:
    """The chart in words, for a picture's alternative text: what it shows and every value."""
    parts = []
    for s in chart.series:
        values = "、".join(
            f"{year}年{format_number(v)}" if v is not None else f"{year}年未填报"
            for year, v in zip(chart.years, s.values, strict=True)
        )
        parts.append(f"{s.label}：{values}")
    return f"柱状图：{chart.caption}，{_span(chart)}。" + "；".join(parts) + "。"


@functools.cache
def _render_pm_available() -> bool:
    try:
        renderPM.drawToString(Drawing(1, 1), fmt="PNG", dpi=72)
    except (RenderPMError, ImportError):
        return False
    return True


def chart_pngs(charts: Sequence[Chart], width: float, *, dpi: int = PNG_DPI) -> list[bytes]:
    """Each chart as PNG bytes, `width` points wide, at `dpi` (the PNG says so in its pHYs).

    Without renderPM, the drawings go onto the pages of one PDF (one font subset for them all) and
    PDFium rasterises each page, one thread at a time."""
    drawings = [chart_drawing(chart, width) for chart in charts]
    if not drawings:
        return []
    if _render_pm_available():
        return [bytes(renderPM.drawToString(d, fmt="PNG", dpi=dpi)) for d in drawings]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=0, initialFontName=fonts()[0].name)
    for drawing in drawings:
        canvas.setPageSize((drawing.width, drawing.height))
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.showPage()
    canvas.save()
    images = []
    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(buffer.getvalue())
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                images.append(page.render(scale=dpi / 72).to_pil().convert("RGB"))
                page.close()
        finally:
            pdf.close()
    pngs = []
    for image in images:
        out = io.BytesIO()
        image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=3)
        pngs.append(out.getvalue())
    return pngs
