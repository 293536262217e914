"""The Word letters as a person opening them sees them: converted by LibreOffice (Debian's
libreoffice-writer-nogui, installed by `make sysdeps`) to PDF and read back.

Word and WPS lay the letters out like the product's PDF; LibreOffice 7.4 ignores the "no extra
space between Chinese and Latin text" flag (w:autoSpaceDE) and so may run a long letter a few lines
longer. What must hold everywhere: the text is Chinese in the named face (no boxes), every part is
there in order, a short letter stays on one page, and the signature never stands on a page alone.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from gongkai.inforequests.letters.docx import render_docx
from gongkai.inforequests.letters.pdf import render_pdf
from gongkai.inforequests.letters.samples import sample

SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (libreoffice-writer-nogui) or poppler-utils not installed: run `make sysdeps`",
)


def _convert(tmp_path: Path, letters: dict[str, bytes]) -> dict[str, Path]:
    """Each DOCX converted by one LibreOffice run (its own profile: runs in parallel do not share one)."""
    for name, data in letters.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            *[str(tmp_path / f"{name}.docx") for name in letters],
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {name: tmp_path / "out" / f"{name}.pdf" for name in letters}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    return [page for page in text.decode().split("\f") if page.strip()]


def _page_count(data: bytes, tmp_path: Path, name: str) -> int:
    path = tmp_path / f"{name}.product.pdf"
    path.write_bytes(data)
    return len(_pages(path))


@needs_libreoffice
def test_word_letters_open_in_libreoffice_with_every_part_in_order(tmp_path: Path) -> None:
    contexts = {
        "acknowledgement": sample("acknowledgement"),
        "granted": sample("reply", "granted"),
        "partial": sample("reply", "partial"),
        "fee_notice": sample("fee_notice"),
    }
    converted = _convert(tmp_path, {name: render_docx(ctx) for name, ctx in contexts.items()})
    for name, ctx in contexts.items():
        pages = _pages(converted[name])
        text = "".join(pages).replace(" ", "")
        blocks = [
            b for b in ctx.blocks() if b.role in ("title", "doc_number", "recipient", "signature_organ")
        ]
        at = -1
        for block in [*blocks, next(b for b in ctx.blocks() if b.role == "signature_date")]:
            found = text.find(block.text.replace(" ", ""), at + 1)
            assert found > at, f"{name}: {block.role} {block.text!r} missing or out of order"
            at = found
        assert "（印章）" in text
        # The signature shares its page with the end of the text (GB/T 9704 7.3.5.1).
        organ = next(b.text for b in ctx.blocks() if b.role == "signature_organ")
        page = next(p for p in pages if organ in p.replace(" ", "").split("（印章）")[-1])
        before = page.replace(" ", "").split("（印章）")[0]
        assert len(before.strip()) > 20, f"{name}: the signature stands on a page alone"
        # Chinese in the named face, embedded: no missing glyphs.
        fonts = subprocess.run(["pdffonts", str(converted[name])], capture_output=True, check=True).stdout
        assert b"Bousung" in fonts or b"Sungti" in fonts, fonts.decode()
    # The one-page letters stay on one page, as their PDF does.
    for name in ("acknowledgement", "granted"):
        assert len(_pages(converted[name])) == _page_count(render_pdf(contexts[name]), tmp_path, name) == 1


def test_word_letters_ask_for_no_space_between_chinese_and_latin_text() -> None:
    """Word's and WPS's default adds space around digits and letters, which re-breaks the lines."""
    with zipfile.ZipFile(io.BytesIO(render_docx(sample("reply", "granted")))) as package:
        styles = package.read("word/styles.xml").decode()
    normal = styles[styles.index('w:styleId="Normal"') :]
    normal = normal[: normal.index("</w:style>")]
    assert '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>' in normal
    # In the schema's order (before the spacing), which Word requires to open the file.
    assert normal.index("w:autoSpaceDN") < normal.index("<w:spacing")


def test_text_stored_with_control_characters_still_makes_a_word_file() -> None:
    """A case saved before every input lost its control characters (issue 12): the letter opens."""
    ctx = sample(
        "reply", "granted", recipient="张\x0b三", title_of_request="2018年\x01全省道路交通事故统计数据"
    )
    with zipfile.ZipFile(io.BytesIO(render_docx(ctx))) as package:
        document = package.read("word/document.xml").decode()
    assert "张三" in document and "2018年全省道路交通事故统计数据" in document
    assert "\x0b" not in document and "\x01" not in document
