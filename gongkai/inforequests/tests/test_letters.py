"""The letters of a case: every kind and every reply outcome renders to DOCX and PDF with its
title, recipient, legal basis and (for replies) the remedies; the PDF carries its CJK font."""

import datetime as dt
import io
import re
import shutil
import subprocess
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from gongkai.inforequests.letters import (
    KIND_NAMES,
    TEMPLATES,
    Contact,
    LetterContext,
    build_context,
    find_template,
    remedies_sentence,
    reply_outcomes,
    table3_key,
)
from gongkai.inforequests.letters.docx import render_docx
from gongkai.inforequests.letters.pdf import font_family, fonts, render_pdf, wrap
from gongkai.inforequests.letters.samples import all_samples, sample

SAMPLES = [*all_samples("2019"), *(("2007-" + label, ctx) for label, ctx in all_samples("2007"))]
IDS = [label for label, _ in SAMPLES]

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdftotext(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode()


def squeeze(text: str) -> str:
    """The text without spaces, line breaks and page numbers ("— 2 —")."""
    return re.sub(r"—\d+—", "", "".join(text.split()))


def east_asian_font(run) -> str | None:
    fonts = run.element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def docx_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize(("label", "ctx"), SAMPLES, ids=IDS)
def test_it_renders_docx_with_title_recipient_basis_and_east_asian_fonts(label, ctx):
    document = docx.Document(io.BytesIO(render_docx(ctx)))
    text = docx_text(document)
    assert KIND_NAMES[ctx.kind] in text
    assert f"{ctx.recipient}：" in text
    assert ctx.legal_basis and ctx.legal_basis in text
    assert "（印章）" in text and ctx.date_line in text
    if ctx.remedies:
        assert ctx.remedies_paragraph in text
    assert east_asian_font(document.paragraphs[0].runs[0]) == font_family()
    body = next(p for p in document.paragraphs if p.text == f"{ctx.recipient}：")
    assert east_asian_font(body.runs[0]) == font_family()
    section = document.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins if m is not None] == [37, 35, 28, 26]


@needs_poppler
@pytest.mark.parametrize(("label", "ctx"), SAMPLES, ids=IDS)
def test_it_renders_pdf_with_recipient_and_remedies(label, ctx):
    data = render_pdf(ctx)
    assert data.startswith(b"%PDF")
    text = squeeze(pdftotext(data))
    assert f"{ctx.recipient}：" in text
    assert squeeze(KIND_NAMES[ctx.kind]) in text
    assert squeeze(ctx.legal_basis_paragraph) in text
    if ctx.remedies:
        assert squeeze(ctx.remedies_paragraph) in text
    else:
        assert "行政复议" not in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts not installed")
def test_it_embeds_the_cjk_font_in_the_pdf():
    data = render_pdf(sample("reply", "granted"))
    out = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=False)
    if out.returncode != 0:  # older pdffonts cannot read stdin
        pytest.skip("pdffonts cannot read from stdin")
    rows = out.stdout.decode().splitlines()[2:]
    assert rows, "no fonts in the PDF"
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column of every font


@needs_poppler
def test_it_draws_characters_missing_from_the_gb2312_font_from_the_fallback():
    if fonts()[1] is None:
        pytest.skip("no fallback font (fonts-arphic-uming) installed")
    data = render_pdf(sample("acknowledgement", recipient="王堃"))
    assert "王堃：" in squeeze(pdftotext(data))


def test_the_remedies_sentence_names_the_organ_and_the_court():
    sentence = remedies_sentence("吉林省人民政府", "长春铁路运输法院")
    assert "六十日内向吉林省人民政府申请行政复议" in sentence
    assert "六个月内向长春铁路运输法院提起行政诉讼" in sentence
    assert "依法向人民法院提起行政诉讼" in remedies_sentence("吉林省人民政府")


def test_every_reply_outcome_states_remedies_and_other_letters_do_not():
    for rules in ("2019", "2007"):
        for outcome in reply_outcomes(rules):
            assert sample("reply", outcome, rules=rules).remedies
        for kind in ("acknowledgement", "supplement", "extension", "consultation", "fee_notice"):
            assert not sample(kind, rules=rules).remedies


def test_reply_outcomes_cover_every_result_row_of_table_3():
    rows = {
        "granted", "partial", "denied.state_secret", "denied.law_forbid",
        "denied.three_security_one_stability", "denied.third_party", "denied.internal_affairs",
        "denied.process_info", "denied.enforcement_case_file", "denied.admin_query",
        "unable.not_held", "unable.needs_creation", "unable.unclear_after_correction",
        "not_processed.petition_complaint", "not_processed.repeat", "not_processed.publication",
        "not_processed.massive_repeated", "not_processed.confirm_or_reissue",
        "other.overdue_no_correction", "other.overdue_no_fee", "other.other",
    }  # fmt: skip
    assert rows <= set(reply_outcomes("2019"))
    assert table3_key("granted.already_public") == "granted"
    assert table3_key("unable.not_exist") == "unable.not_held"
    assert table3_key("denied.third_party") == "denied.third_party"


def test_a_reply_cites_the_article_of_its_outcome():
    assert "第三十六条第（一）项" in sample("reply", "granted.already_public").legal_basis
    assert "第三十七条" in sample("reply", "partial").legal_basis
    assert "第十五条" in sample("reply", "denied.third_party").legal_basis
    assert "第三十六条第（五）项" in sample("reply", "unable.not_held").legal_basis
    assert "第三十六条第（六）项" in sample("reply", "not_processed.repeat").legal_basis
    assert "第二十一条第（三）项" in sample("reply", "unable.not_held", rules="2007").legal_basis
    held = sample("reply", "unable.not_held", holder="吉林省交通运输厅")
    assert "吉林省交通运输厅" in "".join(held.body_paragraphs)


def test_an_outcome_the_2007_rules_lack_falls_back_to_its_parent_or_fails():
    assert find_template("reply", "denied.state_secret", "2007") == find_template("reply", "denied", "2007")
    with pytest.raises(KeyError):
        find_template("reply", "not_processed.repeat", "2007")


def test_a_letter_with_its_own_paragraphs_needs_no_default_wording_for_its_outcome():
    ctx = sample("reply", "not_processed.repeat", rules="2007", body_paragraphs=["本机关已答复过。"])
    assert ctx.body_paragraphs == ("本机关已答复过。",)
    assert render_pdf(ctx).startswith(b"%PDF")


def test_an_office_override_replaces_the_default_wording():
    overrides = {"reply:granted": {"paragraphs": ["{recipient}同志，您要的“{title_of_request}”已寄出。"]}}
    ctx = sample("reply", "granted", overrides=overrides)
    assert ctx.body_paragraphs == ("张三同志，您要的“2018年全省道路交通事故统计数据”已寄出。",)
    assert ctx.legal_basis == TEMPLATES["2019"]["reply:granted"]["legal_basis"]  # not overridden: kept


def test_an_unfilled_placeholder_prints_a_blank_or_raises_when_strict():
    fields: dict[str, Any] = {
        "issuing_organ": "吉林省公安厅",
        "recipient": "张三",
        "tracking_number": "1",
        "received_on": dt.date(2019, 6, 3),
        "title_of_request": "某文件",
        "date_issued": dt.date(2019, 6, 20),
    }
    loose = build_context("reply", outcome="unable.not_held", **fields)
    assert "______" in "".join(loose.body_paragraphs)
    with pytest.raises(KeyError, match="holder"):
        build_context("reply", outcome="unable.not_held", strict=True, **fields)
    with pytest.raises(ValueError, match="outcome"):
        build_context("reply", **fields)


def test_a_context_given_directly_renders_without_templates():
    ctx = LetterContext(
        kind="extension",
        issuing_organ="长春市公安局",
        recipient="李四",
        tracking_number="CC-2020-7",
        received_on=dt.date(2020, 3, 2),
        title_of_request="某路段监控设置依据",
        date_issued=dt.date(2020, 3, 27),
        body_paragraphs=["本机关需要延期答复。"],
        legal_basis="《中华人民共和国政府信息公开条例》第三十三条第二款",
        contact=Contact("长春市公安局办公室", "0431-1"),
        attachments_list=["申请书复印件"],
    )
    assert ctx.title == "长春市公安局\n政府信息公开申请延期答复告知书"
    assert ctx.seal_text == "长春市公安局"
    assert "附件：申请书复印件" in docx_text(docx.Document(io.BytesIO(render_docx(ctx))))
    assert render_pdf(ctx).startswith(b"%PDF")


def test_a_long_letter_flows_onto_numbered_pages():
    ctx = sample("reply", "other.other", outcome_text="本机关经审查认为。" * 200)
    data = render_pdf(ctx)
    assert len(re.findall(rb"/Type /Page\b(?!s)", data)) >= 2
    document = docx.Document(io.BytesIO(render_docx(ctx)))
    assert document.settings.odd_and_even_pages_header_footer


def test_line_breaking_keeps_closing_marks_off_the_start_of_a_line():
    for line in wrap("本机关于2019年6月3日收到您提出的申请，“某文件”（2018）》。" * 8, 200, 16):
        assert line[0] not in "，。）》”"
        assert line[-1] not in "（《“"
