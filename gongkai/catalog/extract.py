"""Text of attachments (PDF, DOCX, XLSX), extracted in a child process bounded in time and memory.

Every file is read by a separate process: `pdftotext` (Debian's poppler-utils) for PDF, this module
run as ``python -m gongkai.catalog.extract`` for DOCX (python-docx) and XLSX (openpyxl, read-only).
The child gets an address-space limit, a CPU limit, an output-size limit and a wall-clock timeout,
so a broken, encrypted or hostile file (a zip bomb) ends in a note, never in a stuck worker. Why a
process for PDF rather than pypdf: poppler is the maintained reader Debian ships; a crash or a loop
in it takes down the child only. The job is `catalog.attachment.extract` (catalog/tasks.py).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 60
MEMORY_BYTES = 1024 * 1024 * 1024
OUTPUT_BYTES = 8 * 1024 * 1024  # the child is stopped beyond this (SIGXFSZ)
MAX_CHARS = 500_000  # kept per attachment
# A zip member may expand at most this much, and all of them together at most ZIP_MAX_BYTES.
ZIP_MAX_RATIO = 200
ZIP_MAX_BYTES = 200 * 1024 * 1024
# Fewer visible characters than this per page: the PDF has no text layer (a scan).
SCAN_CHARS_PER_PAGE = 10

EXIT_ENCRYPTED = 3
EXIT_BROKEN = 4
EXIT_BOMB = 5


@dataclass(frozen=True)
class Extraction:
    state: str  # models.AttachmentText.State
    text: str = ""
    pages: int | None = None
    note: str = ""


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (TIMEOUT_SECONDS, TIMEOUT_SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_BYTES, OUTPUT_BYTES))


def _run(command: list[str]) -> tuple[int, str, str]:
    """Run `command` bounded; (exit code, stdout as text (cut), stderr); -9 on timeout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.run(
                command, stdout=out, stderr=err, timeout=TIMEOUT_SECONDS, preexec_fn=_limits, check=False
            )
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = -9
        out.seek(0)
        err.seek(0)
        text = out.read(OUTPUT_BYTES).decode("utf-8", "replace")
        return code, text, err.read(4000).decode("utf-8", "replace")


def extract_file(path: Path, extension: str) -> Extraction:
    """The text of the file at `path` (an attachment's extension: .pdf, .docx, .xlsx, …)."""
    from gongkai.catalog.models import AttachmentText

    state = AttachmentText.State
    if extension == ".pdf":
        code, text, err = _run(["pdftotext", "-enc", "UTF-8", "-eol", "unix", str(path), "-"])
    elif extension in (".docx", ".xlsx"):
        code, text, err = _run([sys.executable, "-m", "gongkai.catalog.extract", extension, str(path)])
    else:
        return Extraction(state.UNSUPPORTED, note=_("该类文件不提取文字。"))
    if code == -9 or (code < 0 and code != -25):  # killed: timeout, CPU or memory limit
        return Extraction(state.FAILED, note=_("提取超时或超出内存限制，已停止。"))
    if extension == ".pdf" and code != 0:
        if "password" in err.lower() or "encrypt" in err.lower():
            return Extraction(state.FAILED, note=_("文件已加密，无法提取文字。"))
        return Extraction(state.FAILED, note=_("文件已损坏，无法提取文字。"))
    if code == EXIT_ENCRYPTED:
        return Extraction(state.FAILED, note=_("文件已加密，无法提取文字。"))
    if code == EXIT_BOMB:
        return Extraction(state.FAILED, note=_("文件解压后过大，疑似恶意文件，未提取文字。"))
    if code not in (0, -25):  # -25: SIGXFSZ, the output was cut at OUTPUT_BYTES
        return Extraction(state.FAILED, note=_("文件已损坏，无法提取文字。"))
    note = ""
    if len(text) > MAX_CHARS or code == -25:
        text = text[:MAX_CHARS]
        note = _("文字过长，只检索前 %(n)s 个字符。") % {"n": f"{MAX_CHARS:,}"}
    text = text.replace("\x00", "")
    if extension == ".pdf":
        pages = max(1, text.count("\f"))
        visible = sum(1 for ch in text if not ch.isspace())
        if visible < SCAN_CHARS_PER_PAGE * pages:
            return Extraction(
                state.SCAN,
                text=text.strip(),
                pages=pages,
                note=_("PDF 没有文字层（扫描件），无法检索其内容。"),
            )
        return Extraction(state.DONE, text=text.replace("\f", "\n"), pages=pages, note=note)
    return Extraction(state.DONE, text=text, note=note)


# --------------------------------------------------------------------------------------------
# The child process (python -m gongkai.catalog.extract .docx PATH)


def _check_zip(path: str) -> None:
    with zipfile.ZipFile(path) as archive:
        total = 0
        for info in archive.infolist():
            if info.flag_bits & 0x1:
                sys.exit(EXIT_ENCRYPTED)
            total += info.file_size
            if info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1024) or total > ZIP_MAX_BYTES:
                sys.exit(EXIT_BOMB)


def _docx(path: str) -> None:
    import docx

    document = docx.Document(path)
    written = 0
    for paragraph in document.paragraphs:
        written += _emit(paragraph.text)
        if written > MAX_CHARS:
            return
    for table in document.tables:
        for row in table.rows:
            written += _emit("\t".join(cell.text for cell in row.cells))
            if written > MAX_CHARS:
                return


def _xlsx(path: str) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    written = 0
    for sheet in book.worksheets:
        written += _emit(str(sheet.title))
        for row in sheet.iter_rows(values_only=True):
            written += _emit("\t".join("" if v is None else str(v) for v in row).rstrip("\t"))
            if written > MAX_CHARS:
                return


def _emit(line: str) -> int:
    if line:
        sys.stdout.write(line + "\n")
    return len(line) + 1


def main(argv: list[str]) -> int:  # pragma: no cover - run in the child, exit codes tested
    extension, path = argv
    try:
        _check_zip(path)
    except zipfile.BadZipFile:
        return EXIT_BROKEN
    try:
        (_docx if extension == ".docx" else _xlsx)(path)
    except MemoryError:
        return EXIT_BOMB
    except Exception:
        return EXIT_BROKEN
    sys.stdout.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
