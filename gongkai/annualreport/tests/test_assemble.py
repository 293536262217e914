"""Assembly from figures alone: a test registry of fake providers with the agreed codes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from gongkai.annualreport.assemble import (
    AssemblyError,
    Figures,
    assemble,
    chinese_numeral,
    default_form,
    draft,
    figure_codes,
    format_number,
)
from gongkai.annualreport.checker import check_text
from gongkai.annualreport.document import ReportDocument
from gongkai.annualreport.editing import office_cells
from gongkai.annualreport.tests import fakes
from gongkai.core.figures import ITEMS, Figure

SEED = {**fakes.SEED_2015, **fakes.table_3_values()}


def _said(doc: ReportDocument, key: str) -> str:
    return next(p.text for p in doc.passages() if p.key == key)


def _mentioned(doc: ReportDocument, key: str) -> dict[str, object]:
    passage = next(p for p in doc.passages() if p.key == key)
    return {m.code: passage.text[m.start : m.end] for m in passage.mentions}


def test_it_drafts_the_seeds_sentences_from_the_figures():
    doc = assemble(2015, registry=fakes.registry(SEED))
    assert doc.form == "narrative"
    assert "通过网站发布、新闻发布会、公安新媒体平台共发布政府信息9695条" in _said(doc, "work.published")
    assert "共召开新闻发布会20场，其中以省政府名义召开3场、以本机关名义召开17场" in _said(doc, "work.press")
    approvals = _said(doc, "work.approvals")
    assert "行政审批项目由35项精简为7项，取消下放率达80%" in approvals
    assert "由171项精简为110项，取消下放率达35.7%" in approvals
    assert "九大类79项" in _said(doc, "work.powers")
    assert "涵盖10个警种110项" in _said(doc, "work.guides")
    assert "没有因政府信息公开不及时、办理不适当被起诉" in _said(doc, "work.requests")


def test_it_records_where_each_number_stands():
    doc = assemble(2015, registry=fakes.registry(SEED))
    for passage in doc.passages():
        for mention in passage.mentions:
            stated = passage.text[mention.start : mention.end]
            if mention.value == 0 and stated == "没有":
                continue
            if stated == chinese_numeral(int(mention.value or 0)):
                continue
            assert mention.value is not None
            assert stated == format_number(mention.value), (passage.key, mention)
    approvals = _mentioned(doc, "work.approvals")
    assert approvals["powers.approvals.department.rate"] == "80"
    assert approvals["powers.approvals.province.rate"] == "35.7"
    # A sum is one mention of the figures it adds, each of them recorded as read.
    media = _mentioned(doc, "work.new_media")
    assert media == {"catalog.publications.weibo+catalog.publications.wechat": "8050"}
    assert doc.figures["catalog.publications.weibo+catalog.publications.wechat"] == 8050
    assert doc.figures["catalog.publications.weibo"] == 4025


def test_it_prefers_the_new_media_app_when_registered():
    doc = assemble(2015, registry=fakes.registry({**SEED, "newmedia.posts.delivered": 8012}))
    assert _mentioned(doc, "work.new_media") == {"newmedia.posts.delivered": "8012"}


def test_it_leaves_out_a_passage_whose_app_is_not_registered_and_tells_the_office():
    values = {k: v for k, v in SEED.items() if not k.startswith("pressroom.")}
    doc = assemble(2015, registry=fakes.registry(values))
    assert "work.press" not in {p.key for p in doc.passages()}
    assert any("新闻发布会" in note and "pressroom.conferences.total" in note for note in doc.notes)
    # Nothing else is lost, and the sub-section keeps its heading.
    assert "work.catalog" in {p.key for p in doc.passages()}


def test_it_leaves_out_an_undefined_rate():
    doc = assemble(2015, registry=fakes.registry({**SEED, "powers.approvals.department.rate": None}))
    assert "work.approvals" not in {p.key for p in doc.passages()}
    assert any("无法计算" in note for note in doc.notes)


def test_the_heading_of_a_sub_section_survives_its_first_passage_left_out():
    values = {k: v for k, v in SEED.items() if not k.startswith("powers.")}
    doc = assemble(2015, registry=fakes.registry(values))
    section = doc.sections[0]
    finance = next(p for p in section.passages if p.key == "work.finance")
    assert finance.heading == "（三）推进重点领域信息公开"


def test_a_lawsuit_is_stated_as_a_number():
    values = {**SEED, "inforequests.table4.litigation_direct.total": 2}
    doc = assemble(2015, registry=fakes.registry(values))
    assert "被提起行政诉讼2件" in _said(doc, "work.requests")


def test_the_national_format_has_its_six_sections_and_tables():
    doc = assemble(2021, registry=fakes.registry(SEED))
    assert doc.form == "national"
    assert [s.number for s in doc.sections] == ["一", "二", "三", "四", "五", "六"]
    assert [t.key for t in doc.tables()] == ["二.1", "二.2", "二.3", "二.4", "三", "四"]
    t3 = doc.table("三")
    assert len(t3.rows) == 25
    assert t3.column_keys == [*fakes.APPLICANTS, "total"]
    assert t3.cell("new_received", "total").value == 12
    assert t3.cell("new_received", "total").code == "inforequests.table3.new_received.total"
    assert t3.cell("carried_forward", "natural_person").value == 3
    denied = next(r for r in t3.rows if r.key == "denied.state_secret")
    assert denied.parents == ["三、本年度办理结果", "（三）不予公开"]
    t4 = doc.table("四")
    assert len(t4.rows[0].cells) == 15
    assert t4.cell("cases", "reconsideration.total").value == 1
    assert "2021年共收到政府信息公开申请12件，上年结转2件，办结11件" in _said(doc, "overview.requests")


def _with_outcomes(outcomes: dict[str, int]) -> dict[str, int | Decimal]:
    """The seed with table 三's outcome rows (totals) as given and 办结 their sum."""
    values: dict[str, int | Decimal] = {**SEED}
    for row in fakes.TABLE_3_ROWS:
        if row not in ("new_received", "carried_over", "total_processed", "carried_forward"):
            values[f"inforequests.table3.{row}.total"] = outcomes.get(row, 0)
    processed = sum(outcomes.values())
    values["inforequests.table3.total_processed.total"] = processed
    values["inforequests.table3.new_received.total"] = processed + 1
    values["inforequests.table3.carried_over.total"] = 0
    values["inforequests.table3.carried_forward.total"] = 1
    return values


@pytest.mark.parametrize(
    ("outcomes", "stated"),
    [
        ({"granted": 10, "partial": 3}, "其中予以公开10件、部分公开3件；"),
        (
            {
                "granted": 10,
                "partial": 3,
                "denied.third_party": 2,
                "denied.process_info": 1,
                "unable.not_held": 8,
                "not_processed.repeat": 5,
                "other.overdue_no_correction": 2,
                "other.other": 1,
            },
            "其中予以公开10件、部分公开3件、不予公开3件、无法提供8件、不予处理5件、其他处理3件；",
        ),
        ({"unable.not_held": 4, "other.other": 2}, "其中无法提供4件、其他处理2件；"),
        ({"granted": 7}, "其中予以公开7件；"),
        ({}, "办结0件；"),
    ],
)
def test_the_overview_states_every_outcome_so_the_parts_add_up_to_the_processed(outcomes, stated):
    doc = assemble(2021, registry=fakes.registry(_with_outcomes(outcomes)))
    text = _said(doc, "overview.requests")
    assert stated in text
    processed = int(re.search(r"办结(\d+)件", text).group(1))  # type: ignore[union-attr]
    listed = text.partition("其中")[2].partition("；")[0]
    assert sum(int(n) for n in re.findall(r"(\d+)件", listed)) == processed
    assert not [f.kind for f in check_text(text).findings if f.kind.startswith("sum.")]
    # The zero outcomes the sentence leaves out were read all the same: a refresh sees them change.
    assert "inforequests.table3.denied.state_secret.total" in doc.figures


def test_the_overview_leaves_out_the_requests_when_an_outcome_is_not_registered():
    values = _with_outcomes({"granted": 3})
    del values["inforequests.table3.unable.not_held.total"]
    doc = assemble(2021, registry=fakes.registry(values))
    assert "overview.requests" not in {p.key for p in doc.passages()}
    assert any("inforequests.table3.unable.not_held.total" in note for note in doc.notes)


def test_table_2_is_left_for_the_office_unless_a_figure_is_registered():
    doc = assemble(2021, registry=fakes.registry({**SEED, "annualreport.table2.licensing.c1": 186532}))
    assert doc.table("二.2").cell("licensing", "c1").value == 186532
    assert doc.table("二.1").cell("rules", "c1").value is None
    assert any("表二" in note and "规章" in note and "行政许可" not in note for note in doc.notes)


def test_table_2_row_1_takes_the_catalogs_rules_and_normative_documents():
    catalog = {
        "catalog.table2.rules.c1": 0,
        "catalog.table2.rules.c2": 0,
        "catalog.table2.rules.c3": 0,
        "catalog.table2.normative.c1": 12,
        "catalog.table2.normative.c2": 2,
        "catalog.table2.normative.c3": 47,
    }
    doc = assemble(2021, registry=fakes.registry({**SEED, **catalog}))
    table = doc.table("二.1")
    assert [table.cell("normative", c).value for c in ("c1", "c2", "c3")] == [12, 2, 47]
    assert [table.cell("rules", c).value for c in ("c1", "c2", "c3")] == [0, 0, 0]
    assert table.cell("normative", "c2").code == "catalog.table2.normative.c2"
    assert doc.figures["catalog.table2.normative.c3"] == 47
    # The office enters only the rows no app counts; the note names only those.
    assert not [key for key in office_cells(doc) if key.startswith("二.1|")]
    note = next(note for note in doc.notes if "表二" in note)
    assert "行政许可" in note and "行政事业性收费" in note
    assert "规章" not in note and "行政规范性文件" not in note


def test_table_2_row_1_reads_the_catalog_provider_itself(make_record, client, office_editor):
    make_record("published")  # a 规范性文件 formed on 1 June 2015, in force
    repealed = make_record(
        "published", name="关于废止旧规定的通知", validity="repealed", repealed_on=dt.date(2015, 9, 1)
    )
    make_record()  # a draft: not public, not counted
    doc = assemble(2015, form="national")
    table = doc.table("二.1")
    assert [table.cell("normative", c).value for c in ("c1", "c2", "c3")] == [2, 1, 1]
    assert table.cell("normative", "c1").code == "catalog.table2.normative.c1"
    # Each number opens the records it counts.
    client.force_login(office_editor)
    url = reverse("workbench:annualreport_staff:figure", args=["catalog.table2.normative.c2"])
    html = client.get(f"{url}?year=2015").content.decode()
    assert "共1条记录" in html and repealed.name in html


def test_a_national_report_for_an_early_year_on_demand():
    doc = assemble(2015, form="national", registry=fakes.registry(SEED))
    assert doc.form == "national" and doc.table("三").cell("granted", "total").value == 9


def test_the_period_is_the_calendar_year():
    doc = assemble(2015, registry=fakes.registry(SEED))
    assert (doc.period_start.isoformat(), doc.period_end.isoformat()) == ("2015-01-01", "2015-12-31")
    assert "统计期限自2015年1月1日起至2015年12月31日止" in doc.preface


def test_the_document_survives_its_json():
    doc = assemble(2021, registry=fakes.registry(SEED))
    again = ReportDocument.from_dict(doc.as_dict())
    assert again.as_dict() == doc.as_dict()
    assert again.plain_text() == doc.plain_text()


def test_every_stated_figure_is_listed():
    doc = assemble(2015, registry=fakes.registry(SEED))
    assert "powers.approvals.province.rate" in figure_codes(doc)
    assert "catalog.publications.weibo" in figure_codes(doc)


def test_forms_and_years_are_checked():
    assert default_form(2018) == "narrative" and default_form(2019) == "national"
    with pytest.raises(AssemblyError):
        assemble(2015, form="poem", registry=fakes.registry(SEED))  # type: ignore[arg-type]
    with pytest.raises(AssemblyError):
        assemble(1899, registry=fakes.registry(SEED))


def test_drafting_helpers():
    assert chinese_numeral(9) == "九" and chinese_numeral(12) == "十二" and chinese_numeral(70) == "七十"
    assert format_number(Decimal("80.0")) == "80" and format_number(Decimal("35.70")) == "35.7"
    figures = Figures({"catalog.x.a": Figure("catalog.x.a", "a", "a", 3, ITEMS)})
    text, mentions = draft("共{catalog.x.a}条", figures)
    assert text == "共3条" and (mentions[0].start, mentions[0].end) == (1, 2)
