"""A national-format report, correct and with planted errors, read from text, HTML, DOCX and PDF:
every extraction path finds the same tables and the same problems, each at its place."""

from __future__ import annotations

import pytest

from gongkai.annualreport.checker import check_bytes, check_file

from . import fixtures

RENDER = {
    "txt": lambda report: fixtures.to_text(report).encode("utf-8"),
    "html": lambda report: fixtures.to_html(report).encode("utf-8"),
    "docx": fixtures.to_docx,
    "pdf": fixtures.to_pdf,
}
PLANTED = {
    "period.year",
    "notice.wrong",
    "section.missing",
    "table3.balance",
    "table4.total",
    "text_table",
    "sum.parts",
    "percent",
}


@pytest.fixture(scope="module", params=sorted(RENDER))
def kind(request):
    return request.param


@pytest.fixture(scope="module")
def correct(kind):
    return check_bytes(RENDER[kind](fixtures.national_report()), f"report.{kind}")


@pytest.fixture(scope="module")
def wrong(kind):
    return check_bytes(RENDER[kind](fixtures.national_report(errors=True)), f"report.{kind}")


def test_the_static_fixtures_are_the_ones_built():
    for name, errors in (("national_2022", False), ("national_2022_errors", True)):
        report = fixtures.national_report(errors=errors)
        assert (fixtures.HERE / f"{name}.txt").read_text(encoding="utf-8") == fixtures.to_text(report)
        assert (fixtures.HERE / f"{name}.html").read_text(encoding="utf-8") == fixtures.to_html(report)


def test_it_finds_nothing_wrong_in_the_correct_report(correct):
    assert correct.year == 2022
    assert correct.form == "national"
    assert [f.message for f in correct.findings] == []


def test_it_reads_every_table(correct):
    assert correct.tables["三"]["new_received"] == ["80", "4", "0", "0", "2", "0", "86"]
    assert correct.tables["三"]["carried_forward"] == ["7", "0", "0", "0", "0", "0", "7"]
    assert len(correct.tables["三"]) == 25
    assert correct.tables["四"] == ["2", "0", "0", "1", "3", "1", "0", "0", "0", "1", "0", "0", "0", "1", "1"]
    assert correct.tables["二"]["行政事业性收费"] == ["1256.38"]
    assert correct.tables["二"]["行政规范性文件"] == ["3", "2", "20"]


def test_it_confirms_the_arithmetic_of_the_correct_report(correct):
    statements = correct.statements()
    assert "表三 总计列：86 + 4 = 83 + 7" in statements
    assert "表三 25行：总计 = 各类申请人之和" in statements
    assert "表四 行政复议：2 + 0 + 0 + 1 = 3" in statements
    assert "4 + 8 = 12" in statements
    assert "80 ÷ 86 = 93%" in statements
    assert "35.2万 → 41.6万 = 18.2%" in statements
    assert "37 + 12 + 19 + 11 + 3 + 1 = 83" in statements
    assert any(s.startswith("正文“收到政府信息公开申请86件”") for s in statements)


def test_it_finds_every_planted_error(wrong):
    assert wrong.kinds() >= PLANTED
    assert all(f.severity == "error" for f in wrong.findings)


def _one(result, kind, text=""):
    found = [f for f in result.findings if f.kind == kind and text in f.message]
    assert found, (kind, text, [f.message for f in result.findings])
    return found[0]


def test_it_places_the_unbalanced_column(wrong, kind):
    finding = _one(wrong, "table3.balance", "自然人")
    assert finding.place.table == "三"
    assert finding.place.column == "自然人"
    assert "结转下年度继续办理" in finding.place.row
    assert "80 + 上年结转4 = 84" in finding.message
    if kind == "pdf":
        assert finding.place.page == 2


def test_it_places_the_wrong_percentages(wrong):
    share = _one(wrong, "percent", "80 ÷ 86")
    assert "应为 93%" in share.message and "95%" in share.message
    assert "占95%" in share.place.quote
    growth = _one(wrong, "percent", "35.2万 → 41.6万")
    assert "18.2%" in growth.message and "21.3%" in growth.message


def test_it_places_the_period_and_the_notice(wrong, kind):
    period = _one(wrong, "period.year")
    assert "2021年1月1日起至2022年12月31日止" in period.place.quote
    # After the title (and, on the web page, the breadcrumb line above it).
    assert period.place.paragraph == (3 if kind == "html" else 2)
    notice = _one(wrong, "notice.wrong")
    assert "国办公开办函〔2021〕30号" in notice.message and "〔2019〕60号" in notice.place.quote


def test_it_names_the_missing_section(wrong):
    assert "六、其他需要报告的事项" in _one(wrong, "section.missing").message


def test_it_finds_the_text_disagreeing_with_the_tables(wrong):
    assert "结转下年度继续办理7件" in _one(wrong, "text_table", "结转下年度").message
    assert "行政复议3件" in _one(wrong, "text_table", "行政复议").message
    assert "4 + 9 = 13" in _one(wrong, "sum.parts").message
    assert "总计却是4" in _one(wrong, "table4.total").message


def test_it_reads_a_file_on_disk(tmp_path):
    path = tmp_path / "报告.html"
    path.write_text(fixtures.to_html(fixtures.national_report(errors=True)), encoding="utf-8")
    result = check_file(path)
    assert result.source == "报告.html"
    assert result.kinds() >= PLANTED


def test_it_reads_gb18030_text():
    content = fixtures.to_text(fixtures.national_report()).encode("gb18030")
    result = check_bytes(content, "report.txt")
    assert result.findings == []
    assert "表三 总计列：86 + 4 = 83 + 7" in result.statements()
