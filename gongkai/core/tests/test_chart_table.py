"""A chart's numbers as a table (core.charts.data_table): every header cell says something — the
corner names the row headers' column for screen readers (axe: empty-table-header)."""

from __future__ import annotations

from lxml import html  # type: ignore[import-untyped]

from gongkai.core import charts


def test_every_header_cell_of_a_chart_table_has_text():
    table = html.fromstring(
        str(charts.data_table("收件量", ["2014", "2015"], {"信件": [3, 5], "网上": [7, 9]}))
    )

    headers = table.xpath("//th")
    assert [h.text_content() for h in headers[:3]] == ["项目", "信件", "网上"]
    assert all(h.text_content().strip() for h in headers)
    assert table.xpath("//thead/tr/th[1]/span[@class='sr-only']")
    assert [r.xpath("string(td[2])") for r in table.xpath("//tbody/tr")] == ["7", "9"]


def test_small_counts_get_whole_number_ticks():
    svg = str(charts.bar_chart("发布会", ["1月", "2月"], {"场次": [1, 2]}))

    ticks = html.fromstring(svg.encode()).xpath("//g[contains(@class,'axis y')]//text/text()")
    assert ticks and all("." not in t for t in ticks)
    assert {"0", "1", "2"} <= set(ticks)
