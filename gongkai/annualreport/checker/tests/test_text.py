"""The checker on text: OCR damage, Chinese numerals, the kinds of sentence that state a total with
its parts or a percentage with its numbers, and the wrong period or format notice."""

from __future__ import annotations

from gongkai.annualreport.checker import check_text
from gongkai.annualreport.checker.normalize import cn_to_int, fold, numbers

from . import fixtures

TITLE = "某县公安局2016年度政府信息公开工作报告\n"


def _problems(result):
    return [f for f in result.findings if f.severity != "notice"]


def _check(body: str, title: str = TITLE):
    return check_text(title + body)


def test_it_folds_full_width_digits_and_radicals_keeping_the_length():
    damaged = "共召开新闻发布会２０场，其中以省政府名义召开３场、以本机关名义召开１７场，⼀⾏⺠⻔"
    folded = fold(damaged)
    assert len(folded) == len(damaged)
    assert folded.endswith("一行民门")
    assert "20场,其中" in folded


def test_it_reads_chinese_numerals():
    assert [cn_to_int(t) for t in ("二十", "十七", "一百一十", "二〇一五", "三千零五", "万", "两万三千")] == [
        20,
        17,
        110,
        2015,
        3005,
        10000,
        23000,
    ]
    found = numbers("召开发布会二十场，第二十条不算，约8000余条，1.2万人，百分之三十五点七")
    assert [(str(n.value), n.unit, n.approx) for n in found] == [
        ("20", "场", False),
        ("8000", "条", True),
        ("12000.0", "人", False),
        ("35.7", "%", False),
    ]


def test_it_confirms_parts_written_in_chinese_numerals():
    result = _check("共召开新闻发布会二十场，其中以省政府名义召开三场、以本机关名义召开十七场。\n")
    assert "3 + 17 = 20" in result.statements()


def test_it_checks_an_ocr_damaged_report_like_a_clean_one():
    clean = fixtures.to_text(fixtures.national_report())
    damaged = clean.translate(str.maketrans("0123456789一行门", "０１２３４５６７８９⼀⾏⻔"))
    result = check_text(damaged)
    assert result.findings == []
    assert result.statements() == check_text(clean).statements()


def test_a_part_above_the_total_is_an_error():
    result = _check("全年受理申请10件，其中网上申请12件。\n")
    assert [f.kind for f in result.findings if f.severity == "error"] == ["sum.part_exceeds"]


def test_parts_short_of_the_total_are_doubtful_unless_listed_with_deng():
    short = _check("全年发布信息200条，其中政策文件50条、工作动态100条。\n")
    assert "sum.parts_short" in short.kinds()
    listed = _check("全年发布信息200条，其中政策文件50条、工作动态100条等。\n")
    assert not {"sum.parts", "sum.parts_short"} & listed.kinds()


def test_parts_before_a_stated_sum_are_added():
    result = _check("当面申请5件、网上申请15件、信函申请3件，合计22件。\n")
    finding = next(f for f in result.findings if f.kind == "sum.parts")
    assert "5 + 15 + 3 = 23" in finding.message
    assert "合计22件" in finding.place.quote
    assert "5 + 15 + 2 = 22" in _check("当面申请5件、网上申请15件、信函申请2件，合计22件。\n").statements()


def test_parenthesised_parts_are_added():
    result = _check("受理申请20件（当面申请5件、网上申请15件），均已办结。\n")
    assert "5 + 15 = 20" in result.statements()


def test_it_checks_year_on_year_changes_and_rates():
    good = _check("全年受理申请120件，比上年的100件增长20%。已办结110件，办结率91.7%。\n")
    assert "100 → 120 = 20%" in good.statements()
    wrong = _check("受理申请20件，已办结18件，办结率95%。\n")
    finding = next(f for f in wrong.findings if f.kind == "percent")
    assert "18 ÷ 20 应为 90%" in finding.message


def test_a_percentage_may_be_cut_rather_than_rounded_but_not_more():
    assert "2 → 1 = 50%" in _check("由2项减为1项，精简率50%。\n").statements()
    assert "3 → 1 = 66.6%" in _check("由3项减为1项，精简率66.6%。\n").statements()
    assert "percent" in _check("由3项减为1项，精简率60%。\n").kinds()


def test_it_reads_a_period_in_chinese_numerals():
    result = _check("本报告统计期限为二〇一六年一月一日至二〇一六年十二月三十一日。\n")
    assert any(s.startswith("统计期限 2016年1月1日 至 2016年12月31日") for s in result.statements())
    assert not _problems(result)


def test_a_period_without_years_is_taken_in_the_report_year():
    result = _check("本报告中所列数据统计期限自1月1日起至12月31日止。\n")
    assert not _problems(result)
    assert any(s.startswith("统计期限 2016年1月1日") for s in result.statements())


def test_a_date_that_does_not_exist_is_an_error():
    result = _check("统计期限为2016年1月1日至2016年2月30日。\n")
    assert "period.invalid" in result.kinds()


def test_a_format_notice_before_there_was_one():
    result = _check("本报告依照国办公开办函〔2021〕30号的格式编制。\n")
    finding = next(f for f in result.findings if f.kind == "notice.wrong")
    assert "2016年度尚无全国统一的年度报告格式" in finding.message


def test_the_2019_trial_format_for_2020_is_right():
    result = check_text("某局2020年政府信息公开工作年度报告\n依照国办公开办函〔2019〕60号编制。\n")
    assert "国办公开办函〔2019〕60号 适用于2020年度" in result.statements()


def test_a_table_typed_with_spaces_and_wrapped_labels_is_read():
    text = fixtures.to_text(fixtures.national_report(errors=True)).replace("\t", "  ")
    text = text.replace(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）  ",
        "（二）部分公开（区分处理的，\n只计这一情形，不计其他情形）\n",
    )
    result = check_text(text)
    assert result.tables["三"]["partial"] == ["11", "1", "0", "0", "0", "0", "12"]
    assert "table3.balance" in result.kinds()


def test_a_report_without_a_year_says_so():
    result = check_text("政府信息公开工作报告\n共召开发布会5场，其中3场、2场。\n")
    assert result.year is None
    assert "year.missing" in result.kinds()
    assert "3 + 2 = 5" in result.statements()


def test_an_empty_report_is_refused_in_words():
    assert check_text("  \n").kinds() == {"empty"}


def test_the_result_reads_as_text_and_as_json():
    result = check_text(fixtures.to_text(fixtures.national_report(errors=True)), source="r.txt")
    text = result.as_text()
    assert text.startswith("检查：r.txt（2022年度，全国统一格式）")
    assert "[错误] 统计期限与报告年度不符" in text
    data = result.as_dict()
    assert data["ok"] is False
    assert data["counts"]["error"] == len(data["findings"])
    assert {"kind", "severity", "message", "place"} <= set(data["findings"][0])
    assert data["tables"]["四"][4] == "4"
