"""The checker on a draft's text (ReportDocument.plain_text), as the validation before approval
runs it: a drafted report passes, an edit that breaks a part is found."""

from __future__ import annotations

from gongkai.annualreport.assemble import assemble
from gongkai.annualreport.checker import check_text
from gongkai.annualreport.tests import fakes

FIGURES = {**fakes.SEED_2015, **fakes.table_3_values()}


def _problems(result):
    return [(f.kind, f.message) for f in result.findings if f.severity != "notice"]


def test_the_drafted_2015_report_states_the_seeds_figures_correctly():
    doc = assemble(2015, registry=fakes.registry(FIGURES))
    result = check_text(doc.plain_text(), source=doc.title)
    assert result.form == "narrative"
    assert _problems(result) == []
    assert {"3 + 17 = 20", "35 → 7 = 80%", "171 → 110 = 35.7%"} <= set(result.statements())


def test_the_drafted_national_report_balances():
    doc = assemble(2021, registry=fakes.registry(FIGURES))
    result = check_text(doc.plain_text(), source=doc.title)
    assert result.form == "national"
    assert _problems(result) == []
    assert "表三 总计列：12 + 2 = 11 + 3" in result.statements()


def test_an_edit_that_breaks_a_part_is_found_in_its_paragraph():
    doc = assemble(2015, registry=fakes.registry(FIGURES))
    passage = next(p for p in doc.passages() if "其中以省政府名义召开3场" in p.text)
    passage.text = passage.text.replace("召开17场", "召开18场")
    result = check_text(doc.plain_text(), source=doc.title)
    finding = next(f for f in result.findings if f.kind == "sum.parts")
    assert "3 + 18 = 21" in finding.message
    assert "召开18场" in finding.place.quote
