"""Server-rendered SVG charts (pygal) of figures, readable without JavaScript, with the numbers
also given as an HTML table (the chart is a picture of the table, never the only place a number is).

    from gongkai.core import charts

    svg = charts.bar_chart("咨询留言", ["收到", "答复"], {"件数": [120, 118]})
    table = charts.data_table("咨询留言", ["收到", "答复"], {"件数": [120, 118]})
    both = charts.chart_block("bar", "咨询留言", ["收到", "答复"], {"件数": [120, 118]})

- `labels`: the categories (x axis), one per value; `series`: a name -> values mapping, each list as
  long as `labels`; a value may be None (no figure: a gap in a line, an empty bar, "—" in the table).
- The SVG is safe to embed in a page (`SafeString`): pygal escapes every text it writes, no script
  is referenced or embedded (`js=[]`), and it carries `role="img"` with the title as its label.
  It scales to its container (viewBox), so it fits a 390 px phone; the table beside it keeps the
  numbers readable at any size and for screen readers.
- Chinese text is drawn in a CJK font family (FONT_FAMILY) the reader's system has.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pygal
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from pygal.style import Style

from gongkai.core.templatetags.scroll_region import scroll_region

Number = int | float | Decimal | None

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", "Hiragino Sans GB", sans-serif'
)
# The portal's palette: dark blue, green, amber, red, grey (distinguishable in print and greyscale).
COLOURS = ("#0a4a9c", "#1f7a3e", "#b36b00", "#b3261e", "#5a6573", "#6b3fa0")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#c9d1da",
    colors=COLOURS,
    font_family=FONT_FAMILY,
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=13,
    tooltip_font_size=13,
    opacity=".9",
    opacity_hover="1",
)


_SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


class ChartError(ValueError):
    """Series and labels that do not match."""


def _check(labels: Sequence[Any], series: Mapping[Any, Sequence[Number]]) -> None:
    for name, values in series.items():
        if len(values) != len(labels):
            raise ChartError(f"series {name!s}: {len(values)} values for {len(labels)} labels")


def _plain(value: Number) -> float | int | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _config(chart: Any, title: str, labels: Sequence[Any], series: Mapping[Any, Sequence[Number]]) -> Any:
    chart.title = str(title)
    chart.x_labels = [str(label) for label in labels]
    longest = max((len(str(label)) for label in labels), default=0)
    if longest * len(labels) > 40:
        chart.x_label_rotation = 25
        chart.truncate_label = 14
    for name, values in series.items():
        chart.add(str(name), [_plain(v) for v in values])
    counts = [v for values in series.values() for v in values if isinstance(v, int)]
    if counts and len(counts) == sum(v is not None for values in series.values() for v in values):
        top = max(counts)
        if min(counts) >= 0 and top <= 10:
            # Small counts: whole-number ticks (pygal would label 0.4, 0.8 … between them).
            chart.y_labels = list(range(0, max(top, 1) + 1))
    return chart


def _render(chart: Any, title: str) -> SafeString:
    svg: str = chart.render(is_unicode=True)
    # pygal writes its configuration for its optional tooltip script: not needed, and a page's
    # Content-Security-Policy may forbid inline scripts.
    svg = _SCRIPT_RE.sub("", svg)
    svg = svg.replace("<svg ", format_html('<svg role="img" aria-label="{}" ', str(title)), 1)
    return mark_safe(svg)


def _options(series: Mapping[Any, Sequence[Number]]) -> dict[str, Any]:
    return {
        "style": STYLE,
        "js": [],  # no script: the chart is read as drawn
        "disable_xml_declaration": True,
        "width": 720,
        "height": 380,
        "show_legend": len(series) > 1,
        "legend_at_bottom": True,
        "print_values": True,
        "print_zeroes": True,
        "value_formatter": lambda v: _format(v),
        "show_y_guides": True,
        "min_scale": 2,
        "max_scale": 8,
        "no_data_text": "—",
    }


def bar_chart(title: str, labels: Sequence[Any], series: Mapping[Any, Sequence[Number]]) -> SafeString:
    """A bar chart (one bar per label and series) as SVG markup, safe to embed."""
    _check(labels, series)
    return _render(_config(pygal.Bar(**_options(series)), title, labels, series), title)


def line_chart(title: str, labels: Sequence[Any], series: Mapping[Any, Sequence[Number]]) -> SafeString:
    """A line chart (one line per series over the labels, e.g. months) as SVG markup, safe to embed."""
    _check(labels, series)
    options = _options(series)
    options["print_values"] = len(labels) <= 12
    options["allow_interruptions"] = True  # a None value is a gap, not a zero
    return _render(_config(pygal.Line(**options), title, labels, series), title)


def _format(value: Number) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value)}" if isinstance(value, float) else str(value)


def data_table(title: str, labels: Sequence[Any], series: Mapping[Any, Sequence[Number]]) -> SafeString:
    """The same numbers as an HTML table: a row per label, a column per series."""
    _check(labels, series)
    names = list(series)
    head = format_html_join("", '<th scope="col">{}</th>', ((str(n),) for n in names))
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                str(label),
                format_html_join("", '<td class="num">{}</td>', ((_format(series[n][i]),) for n in names)),
            )
            for i, label in enumerate(labels)
        ),
    )
    return format_html(
        '<table class="chart-table"><caption>{}</caption><thead><tr><th scope="col">'
        '<span class="sr-only">{}</span></th>{}</tr></thead><tbody>{}</tbody></table>',
        str(title),
        # The corner names the row headers' column for screen readers (an empty header is not).
        gettext("项目"),
        head,
        rows,
    )


def chart_block(
    kind: str, title: str, labels: Sequence[Any], series: Mapping[Any, Sequence[Number]]
) -> SafeString:
    """A `<figure>` with the chart (`kind` "bar" or "line") and its table beside it."""
    draw = {"bar": bar_chart, "line": line_chart}.get(kind)
    if draw is None:
        raise ChartError(f"unknown chart kind {kind!r}")
    return format_html(
        '<figure class="chart"><div class="chart-svg">{}</div>{}</figure>',
        draw(title, labels, series),
        scroll_region(title, data_table(title, labels, series), extra_class="chart-data"),
    )
