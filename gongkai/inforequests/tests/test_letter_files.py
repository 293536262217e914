"""The letter files themselves: their properties are the letter's (dated the day it bears, by the
agency, nothing of python-docx's template), the DOCX names the face the PDF embeds, and the PDF's
lines never split a word, a date or a number from its unit, nor start with a closing mark."""

import dataclasses
import datetime as dt
import io
import itertools
import re
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from gongkai.inforequests.letters.docx import render_docx
from gongkai.inforequests.letters.pdf import (
    NO_END,
    NO_START,
    font_family,
    justify_pieces,
    render_pdf,
    text_width,
    wrap,
)
from gongkai.inforequests.letters.samples import all_samples, sample

ISSUED = dt.date(2015, 3, 2)


def package_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(
            package.read(name).decode("utf-8", "replace")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


def test_it_dates_the_docx_the_day_the_letter_bears_by_the_agency():
    ctx = sample("reply", "granted", date_issued=ISSUED)
    props = docx.Document(io.BytesIO(render_docx(ctx))).core_properties
    assert props.created is not None and props.created.date() == ISSUED
    assert props.modified is not None and props.modified.date() == ISSUED
    assert props.author == props.last_modified_by == "吉林省公安厅"
    assert props.title == "吉林省公安厅政府信息公开申请答复书"
    assert props.subject == "政府信息公开申请答复书"
    assert ctx.tracking_number in props.keywords and ctx.tracking_number in props.comments
    for text in (props.keywords, props.comments, props.subject):
        assert ctx.recipient not in text  # no personal data in the properties


def test_nothing_of_python_docx_or_its_template_is_left_in_the_package():
    data = render_docx(sample("acknowledgement", date_issued=ISSUED))
    text = package_text(data)
    for trace in ("python-docx", "Macintosh", "2013-12-23", "Normal.dotm"):
        assert trace not in text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        app = package.read("docProps/app.xml").decode()
        assert "docProps/thumbnail.jpeg" not in package.namelist()  # the template's blank page
    assert "<Application>Gongkai</Application>" in app
    assert "<Company>吉林省公安厅</Company>" in app
    assert re.search(r"<AppVersion>\d\d\.\d{4}</AppVersion>", app)


def pdfinfo(data: bytes) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-isodates", "-"], input=data, capture_output=True, check=True)
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in out.stdout.decode().splitlines())
    )


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_the_pdf_is_dated_the_day_the_letter_bears_by_the_agency_made_by_gongkai():
    info = pdfinfo(render_pdf(sample("supplement", date_issued=ISSUED)))
    assert info["CreationDate"].startswith("2015-03-02")
    assert info["ModDate"].startswith("2015-03-02")
    assert info["Creator"] == info["Producer"] == "Gongkai"
    assert info["Author"] == "吉林省公安厅"
    assert info["Title"] == "吉林省公安厅政府信息公开申请补正告知书"


def test_the_same_letter_renders_to_the_same_pdf_whenever_it_is_rendered():
    ctx = sample("extension", date_issued=ISSUED)
    assert render_pdf(ctx) == render_pdf(ctx)


def embedded_families(data: bytes) -> set[str]:
    """The families (as fontconfig names them) of the fonts the PDF embeds, by PostScript name."""
    out = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    families: set[str] = set()
    for row in out.stdout.decode().splitlines()[2:]:
        postscript = row.split()[0].split("+", 1)[-1]
        found = subprocess.run(
            ["fc-list", f":postscriptname={postscript}", "family"], capture_output=True, check=True
        )
        families.update(name for line in found.stdout.decode().splitlines() for name in line.split(","))
    return families


@pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("fc-list") is None,
    reason="poppler or fontconfig missing",
)
def test_the_docx_names_the_face_the_pdf_embeds_for_title_and_text():
    ctx = sample("reply", "granted")
    families = embedded_families(render_pdf(ctx))
    document = docx.Document(io.BytesIO(render_docx(ctx)))
    named = {
        fonts.get(qn("w:eastAsia"))
        for p in document.paragraphs
        for run in p.runs
        if (fonts := run.element.find(qn("w:rPr") + "/" + qn("w:rFonts"))) is not None
    }
    assert named == {font_family()}
    assert font_family() in families
    styles = docx.Document(io.BytesIO(render_docx(ctx))).styles["Normal"]
    assert styles.element.rPr.rFonts.get(qn("w:eastAsia")) == font_family()


def breaking_before_last(text: str, stop: str) -> float:
    """A width that ends the first line just before the last character of ``stop``."""
    return text_width(text[: text.index(stop) + len(stop) - 1], 16) + 0.5


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("（联系单位：吉林省公安厅政务公开办公室　联系电话：0431-82098114）", "联系电话"),
        ("本机关已于2015年3月2日受理您的申请。", "2015年3月2日"),
        ("本机关将在20个工作日内答复。", "20个工作日"),
        ("您提交的依申请公开申请已收到。", "依申请公开"),
        ("请凭受理编号JLGA-2015-0007查询。", "JLGA-2015-0007"),
        ("本机关收取信息处理费15元。", "15元"),
    ],
)
def test_a_line_never_breaks_inside_a_word_a_date_or_a_number_with_its_unit(text, word):
    width = breaking_before_last(text, word)
    lines = wrap(text, width, 16)
    assert len(lines) >= 2 and lines[1].startswith(word)
    assert "".join(lines) == text


def test_a_per_character_breaker_would_have_split_the_phone_label_at_that_width():
    text = "（联系单位：吉林省公安厅政务公开办公室　联系电话：0431-82098114）"
    width = breaking_before_last(text, "联系电话")
    assert text_width(text[: text.index("联系电话") + 3], 16) <= width  # 联系电 would fit


@pytest.mark.parametrize("mark", list("，。、；：？！）」』"))
def test_no_line_starts_with_a_closing_mark(mark):
    text = f"本机关已经收到您的申请{mark}现答复如下"
    lines = wrap(text, breaking_before_last(text, mark) + 0.2, 16)
    assert all(line[0] not in NO_START for line in lines[1:])
    assert lines[1].startswith("请" + mark)  # the mark takes the character it follows along


@pytest.mark.parametrize("mark", list("（「『"))
def test_no_line_ends_with_an_opening_mark(mark):
    text = f"本机关已经收到您的申请{mark}现答复如下"
    lines = wrap(text, text_width(text[: text.index(mark) + 1], 16) + 0.5, 16)
    assert all(line[-1] not in NO_END for line in lines)
    assert lines[1].startswith(mark)


def test_every_sample_letter_keeps_its_words_and_marks_in_place():
    for _label, ctx in all_samples("2019"):
        for block in ctx.blocks():
            for width in (160.0, 220.0, 300.0):
                lines = wrap(block.text, width, 16)
                for before, after in itertools.pairwise(lines):
                    assert after[0] not in NO_START and before[-1] not in NO_END, (before, after)
                    assert not (before.endswith("联系电") and after.startswith("话"))


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


@pytest.mark.parametrize("kind", ["consultation", "correction"])
def test_a_letter_number_under_the_title_keeps_a_one_page_letter_on_one_page(kind):
    outcome = "forwarded" if kind == "correction" else None
    ctx = sample(kind, outcome)
    numbered = dataclasses.replace(ctx, doc_number="吉公依征〔2019〕15号")
    unnumbered = dataclasses.replace(ctx, doc_number=None)
    assert pages(render_pdf(unnumbered)) == 1
    assert pages(render_pdf(numbered)) == 1


def test_justified_lines_never_space_out_the_digits_of_a_number():
    text = "申请，适用每件100元的标准（10件以内不收费；11—30件每件"
    pieces = justify_pieces(text, 20.0, 16)
    assert "".join(piece for piece, _ in pieces) == text
    spaced = "".join(piece for piece, space in pieces if space)
    assert spaced and not any(ch.isdigit() for ch in spaced)
    assert sum(space * len(piece) for piece, space in pieces) == pytest.approx(20.0)
    assert justify_pieces(text, 16 * 8, 16) == [(text, 0.0)]  # too loose to spread: left as it is
