"""Text of attachments (PDF, DOCX, XLSX), extracted in a child process bounded in time and memory.

Extraction runs in the background job `catalog.attachment.extract` (catalog/tasks.py), never in
the request that adds the file. Every file is read by a separate process: `pdftotext` (Debian's
poppler-utils) for PDF, this module run as ``python -m gongkai.catalog.extract`` for DOCX
(python-docx) and XLSX (openpyxl's cell parser, without its padding to the declared dimension).
Every quantity is bounded (`Limits`), so a broken, encrypted or hostile file ends in a note on the
attachment, never in a stuck or exhausted worker:

- the child's address space (RLIMIT_AS), CPU time (RLIMIT_CPU), output (RLIMIT_FSIZE) and a
  wall-clock timeout, after which the parent kills it;
- a DOCX or XLSX is checked from its zip directory before any parser opens it: the number of
  members, each member's declared size against its compressed size, the sum of the declared
  sizes (zipfile stops every member at its declared size, so the declaration bounds what is read);
- what is read: PDF pages, XLSX sheets, rows (XLSX rows and DOCX table rows) and columns, DOCX
  paragraphs, and the characters kept (`CATALOG_EXTRACT_MAX_CHARS`, 2 M by default). A file past
  a bound is cut there: its first part is searchable, a note says so and the log records it.

Why a process rather than pypdf in the worker: poppler is the maintained reader Debian ships, and
a crash, a loop or a runaway allocation in any reader takes down the child only.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import logging
import math
import os
import resource
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    seconds: float = 60.0  # wall clock and CPU; the job's lease (tasks.py) leaves room for it
    memory: int = 1024 * 1024 * 1024  # the child's address space
    chars: int = 2_000_000  # kept per attachment (a 500-page report is about 600,000)
    pages: int = 2_000  # PDF
    sheets: int = 100  # XLSX
    rows: int = 200_000  # XLSX rows of all sheets together; DOCX table rows
    columns: int = 256  # XLSX cells further right are not read
    paragraphs: int = 200_000  # DOCX
    zip_members: int = 10_000
    zip_bytes: int = 200 * 1024 * 1024  # decompressed, all members together
    zip_ratio: int = 200  # a member may expand this much (members under 1 KiB count as 1 KiB)

    @property
    def output_bytes(self) -> int:
        """The child is stopped beyond this (RLIMIT_FSIZE): UTF-8 of `chars` with room to spare."""
        return 4 * self.chars + 1024 * 1024


DEFAULT_LIMITS = Limits()
# Fewer visible characters than this per page: the PDF has no text layer (a scan).
SCAN_CHARS_PER_PAGE = 10

EXIT_ENCRYPTED = 3
EXIT_BROKEN = 4
EXIT_BOMB = 5
EXIT_MEMORY = 6
EXIT_NO_PROGRAM = 127  # as a shell says it
KILLED = -9  # by the parent at the timeout (or by the kernel at the CPU hard limit)
SIGXCPU, SIGXFSZ = -24, -25


@dataclass(frozen=True)
class Extraction:
    state: str  # models.AttachmentText.State
    text: str = ""
    pages: int | None = None
    note: str = ""


def configured_limits() -> Limits:
    """The defaults, with the settings CATALOG_EXTRACT_MAX_CHARS, _SECONDS and _MEMORY_BYTES."""
    from django.conf import settings

    return dataclasses.replace(
        DEFAULT_LIMITS,
        chars=int(getattr(settings, "CATALOG_EXTRACT_MAX_CHARS", DEFAULT_LIMITS.chars)),
        seconds=float(getattr(settings, "CATALOG_EXTRACT_SECONDS", DEFAULT_LIMITS.seconds)),
        memory=int(getattr(settings, "CATALOG_EXTRACT_MEMORY_BYTES", DEFAULT_LIMITS.memory)),
    )


def _run(command: list[str], limits: Limits) -> tuple[int, str, str]:
    """Run `command` (which bounds itself: `_bounded`, `_child_command`); (exit code, stdout (cut),
    stderr); KILLED when the wall-clock timeout was reached."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.run(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, timeout=limits.seconds, check=False
            )
            code = proc.returncode
        except subprocess.TimeoutExpired:  # run() has killed and reaped the child
            code = KILLED
        out.seek(0)
        err.seek(0)
        text = out.read(limits.output_bytes).decode("utf-8", "replace")
        return code, text, err.read(4000).decode("utf-8", "replace")


def _apply_limits(limits: Limits) -> None:  # pragma: no cover - runs in the child
    """The child's own bounds, set first thing (not by a preexec_fn, which may deadlock a
    threaded worker between fork and exec); an exec'd reader inherits them."""
    cpu = math.ceil(limits.seconds)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))


def _bounded(limits: Limits, *program: str) -> list[str]:
    """`program` run by this module's child after it has set its limits (see `main`)."""
    return [
        sys.executable,
        "-m",
        "gongkai.catalog.extract",
        "exec",
        json.dumps(dataclasses.asdict(limits)),
        *program,
    ]


def _child_command(extension: str, path: Path, limits: Limits) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gongkai.catalog.extract",
        extension,
        str(path),
        json.dumps(dataclasses.asdict(limits)),
    ]


def extract_file(path: Path, extension: str, limits: Limits | None = None) -> Extraction:
    """The text of the file at `path` (an attachment's extension: .pdf, .docx, .xlsx, …)."""
    from gongkai.catalog.models import AttachmentText

    state = AttachmentText.State
    limits = limits or configured_limits()
    if extension == ".pdf":
        # One page more than the bound, so that a longer file is known to be cut.
        command = _bounded(
            limits, "pdftotext", "-l", str(limits.pages + 1), "-enc", "UTF-8", "-eol", "unix", str(path), "-"
        )
    elif extension in (".docx", ".xlsx"):
        command = _child_command(extension, path, limits)
    else:
        return Extraction(state.UNSUPPORTED, note=_("该类文件不提取文字。"))
    try:
        code, text, err = _run(command, limits)
    except OSError:
        logger.exception("attachment text: the reader for %s could not be started", extension)
        return Extraction(state.FAILED, note=_("无法启动文字提取程序，未提取文字。"))
    failed = _failure(code, err, extension, limits)
    if failed:
        logger.warning("attachment text of %s not extracted (exit %s): %s", path.name, code, failed)
        return Extraction(state.FAILED, note=failed)
    cuts = [line[4:] for line in err.splitlines() if line.startswith("cut:")]
    if code == SIGXFSZ:
        cuts.append("chars")
    text = text.replace("\x00", "")
    pages = None
    if extension == ".pdf":
        parts = text.split("\f")
        if len(parts) > limits.pages + 1 or (len(parts) == limits.pages + 1 and parts[-1].strip()):
            text = "\f".join(parts[: limits.pages]) + "\f"  # pdftotext ends every page with one
            cuts.append("pages")
    if len(text) > limits.chars:
        text = text[: limits.chars]
        cuts.append("chars")
    note = _cut_note(cuts, limits)
    if note:
        logger.info("attachment text of %s cut (%s): %s", path.name, ", ".join(sorted(set(cuts))), note)
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


def _failure(code: int, err: str, extension: str, limits: Limits) -> str:
    """Why the child's run gave no text, or "" when it gave some (perhaps cut)."""
    if code in (KILLED, SIGXCPU):
        return _("提取超过 %(n)s 秒，已停止，未提取文字。") % {"n": f"{limits.seconds:g}"}
    if code == EXIT_MEMORY:
        return _("提取超出内存限制（%(n)s MB），已停止，未提取文字。") % {"n": limits.memory // (1024 * 1024)}
    if code == EXIT_NO_PROGRAM:
        return _("无法启动文字提取程序，未提取文字。")
    if code < 0 and code != SIGXFSZ:  # another signal: a reader crashing, mostly out of memory
        return _("提取超时或超出内存限制，已停止。")
    if extension == ".pdf" and code != 0:
        if "password" in err.lower() or "encrypt" in err.lower():
            return _("文件已加密，无法提取文字。")
        return _("文件已损坏，无法提取文字。")
    if code == EXIT_ENCRYPTED:
        return _("文件已加密，无法提取文字。")
    if code == EXIT_BOMB:
        return _("文件解压后过大，疑似恶意文件，未提取文字。")
    if code not in (0, SIGXFSZ):  # SIGXFSZ: the output was cut at Limits.output_bytes
        return _("文件已损坏，无法提取文字。")
    return ""


def _cut_note(cuts: list[str], limits: Limits) -> str:
    """The staff's note for a file read only in part (the first bound it met is enough)."""
    if "pages" in cuts:
        return _("文件过长，只检索前 %(n)s 页。") % {"n": f"{limits.pages:,}"}
    if "sheets" in cuts:
        return _("文件过大，只检索前 %(n)s 个工作表。") % {"n": f"{limits.sheets:,}"}
    if "rows" in cuts:
        return _("文件过大，只检索前 %(n)s 行。") % {"n": f"{limits.rows:,}"}
    if "paragraphs" in cuts:
        return _("文件过长，只检索前 %(n)s 个段落。") % {"n": f"{limits.paragraphs:,}"}
    if "chars" in cuts:
        return _("文字过长，只检索前 %(n)s 个字符。") % {"n": f"{limits.chars:,}"}
    return ""


# --------------------------------------------------------------------------------------------
# The child process (python -m gongkai.catalog.extract .docx PATH LIMITS-JSON)


class _Cut(Exception):
    """A bound was met: what was written so far is the text."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _Writer:
    """Lines to `out`, at most `limits.chars` characters in all."""

    def __init__(self, out: TextIO, limits: Limits) -> None:
        self.out = out
        self.left = limits.chars

    def line(self, text: str) -> None:
        if not text:
            return
        text += "\n"
        if len(text) > self.left:
            self.out.write(text[: self.left])
            self.left = 0
            raise _Cut("chars")
        self.out.write(text)
        self.left -= len(text)


def _check_zip(path: str, limits: Limits) -> None:
    """Exit before any parser opens an encrypted zip or one that would expand too much."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > limits.zip_members:
            sys.exit(EXIT_BOMB)
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                sys.exit(EXIT_ENCRYPTED)
            total += info.file_size
            if info.file_size > limits.zip_ratio * max(info.compress_size, 1024) or total > limits.zip_bytes:
                sys.exit(EXIT_BOMB)


def _docx(path: str, limits: Limits, write: _Writer) -> None:
    import docx

    document = docx.Document(path)
    for number, paragraph in enumerate(document.paragraphs, 1):
        if number > limits.paragraphs:
            raise _Cut("paragraphs")
        write.line(paragraph.text)
    rows = 0
    for table in document.tables:
        for row in table.rows:
            rows += 1
            if rows > limits.rows:
                raise _Cut("rows")
            write.line("\t".join(cell.text for cell in row.cells[: limits.columns]).rstrip("\t"))


def _xlsx(path: str, limits: Limits, write: _Writer) -> None:
    """Every sheet's cells as the file holds them: openpyxl's read-only rows pad every row (and
    every missing row) to the declared dimension, so `A1:XFD4000` in a 1.6 KB file cost 500 MB;
    its cell parser, fed the sheet directly, costs only what is there."""
    import openpyxl

    from gongkai.core.spreadsheet import cell_parser

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = 0
        for number, sheet in enumerate(book.worksheets, 1):
            if number > limits.sheets:
                raise _Cut("sheets")
            write.line(str(sheet.title))
            with book._archive.open(sheet._worksheet_path) as source:
                parser = cell_parser(book, sheet, source)
                for _number, cells in parser.parse():
                    rows += 1
                    if rows > limits.rows:
                        raise _Cut("rows")
                    values = [
                        str(cell["value"])
                        for cell in cells
                        if cell["value"] is not None and cell["column"] <= limits.columns
                    ]
                    write.line("\t".join(values))
    finally:
        book.close()


PARSERS: dict[str, Callable[[str, Limits, _Writer], None]] = {".docx": _docx, ".xlsx": _xlsx}


def main(argv: list[str]) -> int:  # pragma: no cover - the child
    """``exec LIMITS PROGRAM …``: run PROGRAM within LIMITS. ``.docx|.xlsx PATH LIMITS``: write
    the file's text to stdout, within LIMITS; a cut is named on stderr as ``cut:WHAT``."""
    if argv[0] == "exec":
        _apply_limits(Limits(**json.loads(argv[1])))
        try:
            os.execvp(argv[2], argv[2:])  # noqa: S606 - the program is the parent's (pdftotext), not input
        except OSError:
            return EXIT_NO_PROGRAM
    extension, path = argv[0], argv[1]
    limits = Limits(**json.loads(argv[2])) if len(argv) > 2 else DEFAULT_LIMITS
    _apply_limits(limits)
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    out, err = sys.stdout, sys.stderr
    try:
        _check_zip(path, limits)
    except (zipfile.BadZipFile, OSError, ValueError):
        return EXIT_BROKEN
    try:
        PARSERS[extension](path, limits, _Writer(out, limits))
    except _Cut as cut:
        err.write(f"cut:{cut.what}\n")
    except MemoryError:
        return EXIT_MEMORY
    except OSError as exc:
        if exc.errno != errno.EFBIG:
            return EXIT_BROKEN
        err.write("cut:chars\n")  # past RLIMIT_FSIZE (Python ignores SIGXFSZ): what was written is kept
    except Exception:
        return EXIT_BROKEN
    try:
        out.flush()
    except OSError:  # past RLIMIT_FSIZE (Python ignores SIGXFSZ): what was written is kept
        err.write("cut:chars\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
